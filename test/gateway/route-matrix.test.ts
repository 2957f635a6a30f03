// Every route of /v1 × every role, plus no credentials, an unknown key, an expired JWT and a JWT for
// another audience → the status each must get. The table is checked against the OpenAPI document
// (generated from the route table the gateway mounts), so a new route without a row fails here.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startOidcProvider, type FakeIdentityProvider } from '../support/oidc-provider.js';

const ROLES = ['source', 'architect', 'ops', 'auditor', 'admin'] as const;
type Caller = (typeof ROLES)[number] | 'jwt-ops' | 'none' | 'bad-key' | 'expired-jwt' | 'wrong-audience';
const CALLERS: Caller[] = [...ROLES, 'jwt-ops', 'none', 'bad-key', 'expired-jwt', 'wrong-audience'];

const SOME_ID = '00000000-0000-4000-8000-000000000000';

interface Row {
  /** `METHOD /v1/path` as in the OpenAPI document. */
  route: string;
  /** The request made: path with values, body. */
  path: string;
  body?: unknown;
  text?: string;
  /** Roles allowed besides admin (admin always is); `public` for none needed. */
  allowed: readonly (typeof ROLES)[number][] | 'public';
  /** The status an allowed caller gets for this request. */
  ok: number;
}

let bundle = '';
const ROWS: Row[] = [
  { route: 'POST /v1/messages', path: '/v1/messages', text: '<bundle>', allowed: ['source'], ok: 202 },
  { route: 'GET /v1/messages/{id}', path: `/v1/messages/${SOME_ID}`, allowed: ['ops'], ok: 404 },
  { route: 'GET /v1/messages/{id}/ack', path: `/v1/messages/${SOME_ID}/ack`, allowed: ['ops', 'source'], ok: 404 },
  { route: 'GET /v1/claims', path: '/v1/claims?status=held', allowed: ['ops'], ok: 200 },
  { route: 'GET /v1/claims/{id}', path: `/v1/claims/${SOME_ID}`, allowed: ['ops'], ok: 404 },
  { route: 'POST /v1/claims/{id}/release', path: `/v1/claims/${SOME_ID}/release`, body: { reason: 'matrix' }, allowed: ['ops'], ok: 404 },
  { route: 'GET /v1/dead-letters', path: '/v1/dead-letters', allowed: ['ops'], ok: 200 },
  { route: 'GET /v1/dead-letters/{id}', path: `/v1/dead-letters/${SOME_ID}`, allowed: ['ops'], ok: 404 },
  {
    route: 'POST /v1/dead-letters/replay',
    path: '/v1/dead-letters/replay',
    body: { mode: 'as-is', dryRun: true },
    allowed: ['ops'],
    ok: 200,
  },
  { route: 'POST /v1/dead-letters/{id}/replay', path: `/v1/dead-letters/${SOME_ID}/replay`, body: {}, allowed: ['ops'], ok: 404 },
  {
    route: 'POST /v1/dead-letters/{id}/discard',
    path: `/v1/dead-letters/${SOME_ID}/discard`,
    body: { reason: 'matrix' },
    allowed: ['ops'],
    ok: 404,
  },
  { route: 'GET /v1/operations/{id}', path: `/v1/operations/${SOME_ID}`, allowed: ['ops'], ok: 404 },
  { route: 'GET /v1/queues', path: '/v1/queues', allowed: ['ops'], ok: 200 },
  { route: 'POST /v1/queues/{destination}/pause', path: '/v1/queues/no-such-destination/pause', allowed: ['ops'], ok: 404 },
  { route: 'POST /v1/queues/{destination}/resume', path: '/v1/queues/no-such-destination/resume', allowed: ['ops'], ok: 404 },
  { route: 'GET /v1/mappings', path: '/v1/mappings', allowed: ['architect'], ok: 200 },
  { route: 'GET /v1/mappings/{name}', path: '/v1/mappings/no-such-mapping', allowed: ['architect'], ok: 404 },
  {
    route: 'POST /v1/mappings/{name}/test',
    path: '/v1/mappings/no-such-mapping/test',
    text: 'MSH|^~\\&|',
    allowed: ['architect'],
    ok: 404,
  },
  { route: 'GET /v1/mappings/{name}/versions', path: '/v1/mappings/no-such-mapping/versions', allowed: ['architect'], ok: 404 },
  // A file that does not load (no version, source, target, output): refused before anything is stored.
  { route: 'POST /v1/mappings/{name}/versions', path: '/v1/mappings/no-such-mapping/versions', text: 'name: no-such-mapping\n', allowed: ['architect'], ok: 422 },
  { route: 'GET /v1/mappings/{name}/versions/{version}', path: '/v1/mappings/no-such-mapping/versions/1.0.0', allowed: ['architect'], ok: 404 },
  { route: 'POST /v1/mappings/{name}/activate', path: '/v1/mappings/no-such-mapping/activate', body: { version: '1.0.0' }, allowed: ['architect'], ok: 404 },
  { route: 'POST /v1/mappings/{name}/rollback', path: '/v1/mappings/no-such-mapping/rollback', body: {}, allowed: ['architect'], ok: 404 },
  { route: 'GET /v1/audit', path: '/v1/audit?limit=1', allowed: ['auditor'], ok: 200 },
  { route: 'GET /v1/audit/verify', path: '/v1/audit/verify', allowed: ['auditor'], ok: 200 },
  { route: 'POST /v1/keys', path: '/v1/keys', body: { name: 'matrix' }, allowed: [], ok: 400 },
  { route: 'GET /v1/keys', path: '/v1/keys', allowed: [], ok: 200 },
  { route: 'DELETE /v1/keys/{id}', path: `/v1/keys/${SOME_ID}`, allowed: [], ok: 404 },
  { route: 'GET /v1/config', path: '/v1/config', allowed: [], ok: 200 },
  { route: 'GET /v1/openapi.json', path: '/v1/openapi.json', allowed: 'public', ok: 200 },
  { route: 'GET /v1/docs', path: '/v1/docs', allowed: 'public', ok: 200 },
  { route: 'GET /v1/docs/init.js', path: '/v1/docs/init.js', allowed: 'public', ok: 200 },
];

function expected(row: Row, caller: Caller): number {
  if (row.allowed === 'public') return row.ok;
  if (caller === 'none' || caller === 'bad-key' || caller === 'expired-jwt' || caller === 'wrong-audience') return 401;
  const role = caller === 'jwt-ops' ? 'ops' : caller;
  return role === 'admin' || row.allowed.includes(role) ? row.ok : 403;
}

describe('gateway: every route × every role (deny by default)', function () {
  this.timeout(180_000);
  let t: TestHub;
  let idp: FakeIdentityProvider;
  const credentials = new Map<Caller, string | undefined>();

  before(async () => {
    bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    idp = await startOidcProvider();
    t = await startTestHub(
      'postgres',
      [
        'auth:',
        '  oidc:',
        `    issuer: ${idp.issuer}`,
        '    audience: claimhub-api',
        '    rolesClaim: realm_access.roles',
        '    roleMap: { claims-operator: ops }',
      ].join('\n'),
    );
    credentials.set('admin', t.key);
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const created = await t.call('POST', '/v1/keys', JSON.stringify({ name: `matrix-${role}`, role }), {
        'content-type': 'application/json',
      });
      assert.equal(created.status, 201, await created.clone().text());
      credentials.set(role, ((await created.json()) as { key: string }).key);
    }
    credentials.set(
      'jwt-ops',
      await idp.mint({ sub: 'ops-engineer-1', aud: 'claimhub-api', realm_access: { roles: ['claims-operator'] } }),
    );
    credentials.set('none', undefined);
    credentials.set('bad-key', `chk_${'x'.repeat(43)}`);
    credentials.set(
      'expired-jwt',
      await idp.mint({ sub: 'ops-engineer-1', aud: 'claimhub-api', realm_access: { roles: ['ops'] } }, { expiresIn: -3600 }),
    );
    credentials.set('wrong-audience', await idp.mint({ sub: 'ops-engineer-1', aud: 'some-other-api', realm_access: { roles: ['ops'] } }));
  });
  after(async () => {
    await t?.stop();
    await idp?.close();
  });

  it('has a row for every route the OpenAPI document lists, and no row for a route it does not', async () => {
    const document = (await (await fetch(`${t.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-claimhub-roles': string[] }>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual([...documented].sort(), ROWS.map((row) => row.route).sort());
    for (const row of ROWS) {
      const [method, path] = row.route.split(' ');
      const roles = document.paths[path][method.toLowerCase()]['x-claimhub-roles'];
      assert.deepEqual(roles.sort(), row.allowed === 'public' ? [] : [...row.allowed, 'admin'].sort(), `${row.route} documents its roles`);
    }
  });

  it('answers each caller of each route with the expected status', async () => {
    const mismatches: string[] = [];
    for (const row of ROWS) {
      for (const caller of CALLERS) {
        const credential = credentials.get(caller);
        const [method] = row.route.split(' ');
        // Each caller submits as its own source (api:<name>), so no submission is another's resend.
        const text = row.text === '<bundle>' ? bundle : row.text;
        const response = await fetch(t.url + row.path, {
          method,
          headers: {
            ...(credential ? { authorization: `Bearer ${credential}` } : {}),
            ...(row.body !== undefined
              ? { 'content-type': 'application/json' }
              : text !== undefined
                ? { 'content-type': row.text === '<bundle>' ? 'application/fhir+json' : 'text/plain' }
                : {}),
          },
          body: row.body !== undefined ? JSON.stringify(row.body) : text,
        });
        const want = expected(row, caller);
        if (response.status !== want)
          mismatches.push(`${row.route} as ${caller}: ${response.status}, expected ${want} — ${(await response.text()).slice(0, 200)}`);
        else await response.arrayBuffer();
        if (response.status === 401)
          assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="claimhub"/, `${row.route} as ${caller}: challenge`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it('says which roles a refused route is for, and keeps the refusal in the audit trail', async () => {
    const refused = await fetch(`${t.url}/v1/dead-letters`, {
      headers: { authorization: `Bearer ${credentials.get('source')}`, 'x-request-id': 'matrix-denied-1' },
    });
    assert.equal(refused.status, 403);
    const problem = (await refused.json()) as { detail: string; requiredRoles: string[] };
    assert.deepEqual(problem.requiredRoles, ['ops', 'admin']);
    assert.match(problem.detail, /GET \/v1\/dead-letters is for the roles ops, admin; this client has source/);
    const audit = (await (await t.call('GET', '/v1/audit?action=access.denied&limit=500')).json()) as {
      items: { actor: string; resource: string; outcome: string; requestId: string }[];
    };
    const mine = audit.items.find((record) => record.requestId === 'matrix-denied-1');
    assert.deepEqual(mine && [mine.actor, mine.resource, mine.outcome], ['api:matrix-source', 'route/GET /v1/dead-letters', 'failure']);
  });

  it('tells an expired token and a token for another audience apart', async () => {
    for (const [caller, pattern] of [
      ['expired-jwt', /expired/],
      ['wrong-audience', /audience/],
    ] as const) {
      const response = await fetch(`${t.url}/v1/queues`, { headers: { authorization: `Bearer ${credentials.get(caller)}` } });
      assert.equal(response.status, 401);
      assert.match(((await response.json()) as { detail: string }).detail, pattern);
      assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    }
  });

  it('answers a method a path does not have with 405 and Allow, and an unknown path with 404', async () => {
    const wrongMethod = await t.call('DELETE', '/v1/queues');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET, HEAD');
    assert.equal((await t.call('GET', `/v1/nothing-here/${randomUUID()}`)).status, 404);
  });
});
