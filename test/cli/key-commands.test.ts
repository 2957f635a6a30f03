import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { ClaimhubError } from '../../canonical-model/errors.js';
import { registerKeyCommands } from '../../cli/key-commands.js';

const ADMIN_KEY = 'chk_admin-key-for-the-test-hub';

interface StoredKey {
  key: string;
  id: string;
  name: string;
  role: string;
  sources: string[] | null;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** The /v1/keys contract of the hub, in memory; `requests` records what the commands sent. */
class FakeHub {
  readonly keys: StoredKey[] = [];
  readonly requests: { method: string; url: string; body: unknown }[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.server!.close(resolve));
    this.server!.closeAllConnections();
    await closed;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    this.requests.push({ method: req.method!, url: req.url!, body });
    const send = (status: number, answer: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type }).end(JSON.stringify(answer));
    };
    const problem = (status: number, title: string, detail: string, path?: string) =>
      send(
        status,
        { type: 'about:blank', title, status, detail, ...(path ? { errors: [{ path, message: detail }] } : {}) },
        'application/problem+json',
      );
    if (req.headers.authorization !== `Bearer ${ADMIN_KEY}`)
      return problem(401, 'Invalid API key', 'the API key is unknown, revoked or expired');
    const url = new URL(req.url!, this.url);
    if (req.method === 'POST' && url.pathname === '/v1/keys') return this.create(body as Record<string, string>, send, problem);
    if (req.method === 'GET' && url.pathname === '/v1/keys') {
      return send(200, {
        items: this.keys.filter((k) => url.searchParams.get('all') === 'true' || !k.revokedAt).map(({ key: _key, ...record }) => record),
      });
    }
    const id = /^\/v1\/keys\/([^/]+)$/.exec(url.pathname)?.[1];
    const stored = this.keys.find((k) => k.id === id);
    if (req.method !== 'DELETE' || !stored) return problem(404, 'Not found', `no API key ${id}`, 'id');
    if (stored.revokedAt) return problem(409, 'Key already revoked', `API key ${id} was already revoked at ${stored.revokedAt}`, 'id');
    stored.revokedAt = new Date().toISOString();
    const { key: _key, ...record } = stored;
    send(200, record);
  }

  private create(
    body: Record<string, unknown>,
    send: (status: number, answer: unknown) => void,
    problem: (status: number, title: string, detail: string, path: string) => void,
  ) {
    if (this.keys.some((k) => k.name === body.name && !k.revokedAt)) {
      return problem(409, 'Key name taken', `a working API key is already named "${String(body.name)}"`, 'name');
    }
    const key = `chk_${randomUUID().replaceAll('-', '')}0123456789a`;
    const stored: StoredKey = {
      key,
      id: randomUUID(),
      name: String(body.name),
      role: String(body.role),
      sources: (body.sources as string[] | undefined) ?? null,
      prefix: key.slice(0, 12),
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      expiresAt: (body.expiresAt as string | undefined) ?? null,
      revokedAt: null,
    };
    this.keys.push(stored);
    send(201, {
      key,
      id: stored.id,
      name: stored.name,
      role: stored.role,
      sources: stored.sources,
      prefix: stored.prefix,
      createdAt: stored.createdAt,
      expiresAt: stored.expiresAt,
    });
  }
}

/**
 * Runs `claimhub keys …` in this process; resolves with what it printed and what it threw (the CLI
 * prints a thrown ClaimhubError's message and issues and exits 2).
 */
async function claimhub(...args: string[]): Promise<{ stdout: string; error?: unknown }> {
  const program = new Command('claimhub').exitOverride();
  registerKeyCommands(program);
  let stdout = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { stdout };
  } catch (error) {
    return { stdout, error };
  } finally {
    process.stdout.write = write;
  }
}

describe('claimhub keys (command line)', () => {
  let hub: FakeHub;
  let as: string[];
  beforeEach(async () => {
    hub = new FakeHub();
    await hub.start();
    as = ['--url', hub.url, '--key', ADMIN_KEY];
  });
  afterEach(async () => {
    await hub.stop();
  });

  it('create sends the name, role and sources, and prints the key once with a warning', async () => {
    const { stdout, error } = await claimhub(
      'keys',
      'create',
      '--name',
      'epic-prod',
      '--role',
      'source',
      '--source',
      'epic-charges',
      '--source',
      'epic-adt',
      ...as,
    );
    assert.equal(error, undefined);
    assert.deepEqual(hub.requests, [
      { method: 'POST', url: '/v1/keys', body: { name: 'epic-prod', role: 'source', sources: ['epic-charges', 'epic-adt'] } },
    ]);
    const key = hub.keys[0]!.key;
    assert.equal(stdout.split(key).length, 2, 'the key is printed exactly once');
    assert.match(stdout, /role source, sources epic-charges,epic-adt, expires never/);
    assert.match(stdout, /stores only its hash and cannot show it again/);
  });

  it('create --quiet prints the key alone, for scripts', async () => {
    const { stdout } = await claimhub('keys', 'create', '--name', 'ci', '--role', 'ops', '--quiet', ...as);
    assert.equal(stdout, `${hub.keys[0]!.key}\n`);
  });

  it('create --expires takes a time from now or an ISO date, and refuses anything else before calling the hub', async () => {
    const before = Date.now();
    await claimhub('keys', 'create', '--name', 'month', '--role', 'ops', '--expires', '30d', ...as);
    const sent = Date.parse((hub.requests[0]!.body as { expiresAt: string }).expiresAt);
    assert.ok(sent >= before + 30 * 86_400_000 && sent <= Date.now() + 30 * 86_400_000, 'thirty days from now');
    await claimhub('keys', 'create', '--name', 'year-end', '--role', 'auditor', '--expires', '2030-12-31', ...as);
    assert.equal((hub.requests[1]!.body as { expiresAt: string }).expiresAt, '2030-12-31T00:00:00.000Z');
    const { error } = await claimhub('keys', 'create', '--name', 'odd', '--role', 'ops', '--expires', 'next tuesday', ...as);
    assert.ok(error instanceof ClaimhubError && error.issues[0]!.path === '--expires', String(error));
    assert.equal(hub.requests.length, 2);
  });

  it('create reports a taken name as the hub answered it', async () => {
    await claimhub('keys', 'create', '--name', 'clearinghouse', '--role', 'source', ...as);
    const { stdout, error } = await claimhub('keys', 'create', '--name', 'clearinghouse', '--role', 'source', ...as);
    assert.equal(stdout, '');
    assert.ok(error instanceof ClaimhubError);
    assert.match(error.message, /POST \/v1\/keys → 409 Key name taken: a working API key is already named "clearinghouse"/);
    assert.equal(error.issues[0]!.path, 'name');
  });

  it('list shows each key with its role, sources and prefix but never the key, revoked ones with --all', async () => {
    await claimhub('keys', 'create', '--name', 'epic-prod', '--role', 'source', '--source', 'epic-charges', ...as);
    await claimhub('keys', 'create', '--name', 'night-shift', '--role', 'ops', '--expires', '2030-01-01', ...as);
    await claimhub('keys', 'revoke', hub.keys[1]!.id, ...as);
    const working = await claimhub('keys', 'list', ...as);
    const lines = working.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    assert.deepEqual(lines[0], ['id', 'name', 'role', 'sources', 'prefix', 'created', 'last used', 'expires', 'revoked']);
    assert.deepEqual(
      lines.slice(1).map((cells) => cells.slice(0, 5)),
      [[hub.keys[0]!.id, 'epic-prod', 'source', 'epic-charges', hub.keys[0]!.prefix]],
    );
    assert.ok(!working.stdout.includes(hub.keys[0]!.key));
    const all = await claimhub('keys', 'list', '--all', ...as);
    assert.equal(hub.requests.at(-1)!.url, '/v1/keys?all=true');
    const revoked = all.stdout
      .split('\n')
      .find((line) => line.includes('night-shift'))!
      .split('\t');
    assert.deepEqual([revoked[7], revoked[8]], ['2030-01-01T00:00:00', hub.keys[1]!.revokedAt!.slice(0, 19)]);
  });

  it('list --json prints the API answer', async () => {
    await claimhub('keys', 'create', '--name', 'architect-bob', '--role', 'architect', ...as);
    const { stdout } = await claimhub('keys', 'list', '--json', ...as);
    assert.deepEqual(
      JSON.parse(stdout).items.map((k: { name: string; prefix: string }) => [k.name, k.prefix]),
      [['architect-bob', hub.keys[0]!.prefix]],
    );
  });

  it('revoke deletes the key, and reports an unknown or already revoked one as the hub answered it', async () => {
    await claimhub('keys', 'create', '--name', 'lab-feed', '--role', 'source', ...as);
    const id = hub.keys[0]!.id;
    const { stdout } = await claimhub('keys', 'revoke', id, ...as);
    assert.deepEqual(hub.requests.at(-1), { method: 'DELETE', url: `/v1/keys/${id}`, body: undefined });
    assert.match(stdout, new RegExp(`^revoked API key lab-feed \\(${id}\\) at \\d{4}-`));
    const again = await claimhub('keys', 'revoke', id, ...as);
    assert.ok(again.error instanceof ClaimhubError && /→ 409 Key already revoked/.test(again.error.message), String(again.error));
    const unknown = await claimhub('keys', 'revoke', 'f00d', ...as);
    assert.ok(
      unknown.error instanceof ClaimhubError && /DELETE \/v1\/keys\/f00d → 404 Not found: no API key f00d/.test(unknown.error.message),
      String(unknown.error),
    );
  });

  it('asks for an API key before calling the hub, and names a hub it cannot reach', async () => {
    const configured = process.env.CLAIMHUB_API_KEY;
    delete process.env.CLAIMHUB_API_KEY;
    try {
      const { error } = await claimhub('keys', 'list', '--url', hub.url);
      assert.ok(error instanceof ClaimhubError && error.issues[0]!.path === 'CLAIMHUB_API_KEY', String(error));
      assert.equal(hub.requests.length, 0);
    } finally {
      if (configured !== undefined) process.env.CLAIMHUB_API_KEY = configured;
    }
    await hub.stop();
    const { error } = await claimhub('keys', 'list', ...as);
    assert.ok(error instanceof ClaimhubError && error.message.startsWith(`cannot reach the hub at ${hub.url}`), String(error));
    await hub.start();
  });

  it('a hub that refuses the admin key is reported with its problem detail', async () => {
    const { error } = await claimhub('keys', 'list', '--url', hub.url, '--key', 'chk_wrong');
    assert.ok(
      error instanceof ClaimhubError && /→ 401 Invalid API key: the API key is unknown, revoked or expired/.test(error.message),
      String(error),
    );
  });
});
