import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { clearRedisPrefix, postgresSchema, REDIS_URL, uniqueName } from '../support/services.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `claimhub start` as a user runs it, in its own process group so SIGKILL takes all of it. */
async function startCli(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/claimhub.js', 'start'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  await eventually(
    async () =>
      (await fetch(`http://127.0.0.1:${env.CLAIMHUB_PORT}/healthz`).then(
        (r) => r.ok,
        () => false,
      )) || undefined,
    60_000,
    'hub start',
  );
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`crash recovery: SIGKILL right after 202 (${kind})`, function () {
    this.timeout(120_000);

    it('delivers every accepted claim exactly once after a restart', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'claimhub-crash-'));
      const schema = kind === 'postgres' ? await postgresSchema() : undefined;
      const port = await freePort();
      const env: Record<string, string> = {
        CLAIMHUB_PORT: String(port),
        CLAIMHUB_MLLP_PORT: String(await freePort()),
        CLAIMHUB_DATA_DIR: dataDir,
        CLAIMHUB_QUEUE_PREFIX: uniqueName('chcrash'),
        CLAIMHUB_API_KEY: 'crash-test-key-0123456789',
        REDIS_URL,
        ...(schema ? { DATABASE_URL: schema.url } : {}),
      };
      const template = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
      const numbers = Array.from({ length: 40 }, (_, i) => `CRASH-${kind}-${i}`);
      let hub = await startCli(env);
      try {
        const post = (n: string) =>
          fetch(`http://127.0.0.1:${port}/v1/messages`, {
            method: 'POST',
            body: template.replace('ACC-5520-01', n),
            headers: { authorization: `Bearer ${env.CLAIMHUB_API_KEY}`, 'content-type': 'application/fhir+json' },
          });
        const responses = await Promise.all(numbers.map(post));
        assert.deepEqual(
          responses.map((r) => r.status),
          numbers.map(() => 202),
        );
        process.kill(-hub.pid!, 'SIGKILL');
        await exited(hub);

        hub = await startCli(env);
        const outbox = join(dataDir, 'outbox');
        const files = await eventually(
          async () => {
            const names = await readdir(outbox).catch(() => [] as string[]);
            const done = names.filter((f) => f.endsWith('.json'));
            return numbers.every((n) => done.some((f) => f.startsWith(`${n}_`))) ? done : undefined;
          },
          60_000,
          'all claims delivered after restart',
        );
        await new Promise((r) => setTimeout(r, 1000)); // a late duplicate would show up now
        const again = (await readdir(outbox)).filter((f) => f.endsWith('.json'));
        for (const n of numbers)
          assert.equal(again.filter((f) => f.startsWith(`${n}_`)).length, 1, `claim ${n} has exactly one outbox file`);
        assert.equal(again.length, files.length);
        // A write cut by SIGKILL leaves at most a hidden temp file, never a partial claim file.
        for (const f of again) JSON.parse(await readFile(join(outbox, f), 'utf8'));
      } finally {
        process.kill(-hub.pid!, 'SIGTERM');
        await exited(hub);
        await clearRedisPrefix(env.CLAIMHUB_QUEUE_PREFIX!);
        await schema?.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
}

describe('clean shutdown', function () {
  this.timeout(60_000);

  it('exits 0 on SIGTERM after draining, and frees its port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'claimhub-stop-'));
    const port = await freePort();
    const prefix = uniqueName('chstop');
    const hub = await startCli({
      CLAIMHUB_PORT: String(port),
      CLAIMHUB_DATA_DIR: dataDir,
      CLAIMHUB_QUEUE_PREFIX: prefix,
      CLAIMHUB_API_KEY: 'stop-test-key-0123456789',
      REDIS_URL,
    });
    try {
      const started = Date.now();
      process.kill(-hub.pid!, 'SIGTERM');
      const code = await new Promise((resolve) => (hub.exitCode !== null ? resolve(hub.exitCode) : hub.once('exit', (c) => resolve(c))));
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 15_000, 'shutdown does not hang');
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
    } finally {
      await clearRedisPrefix(prefix);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
