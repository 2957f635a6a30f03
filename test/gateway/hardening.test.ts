// Versions side by side (a deprecated v1 announcing its sunset and successor, a v2 beside it, an
// unknown version refused with the list), and the gateway's hardening: helmet headers, CORS closed
// unless an origin is configured, body limits per content type, a deadline, no stack traces.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestHub, type TestHub } from '../support/hub.js';
import type { RouteSpec } from '../../gateway/route-table.js';

const V2: RouteSpec[] = [
  {
    method: 'get',
    path: '/queues',
    operationId: 'listQueuesV2',
    tag: 'queues',
    summary: 'v2 queues',
    access: ['ops'],
    responses: { 200: { description: 'ok' } },
    handle: (_req, res) => {
      res.json({ version: 2 });
    },
  },
  {
    method: 'get',
    path: '/slow',
    operationId: 'slow',
    tag: 'test',
    summary: 'answers after 3 s',
    access: ['ops'],
    responses: { 200: { description: 'late' } },
    handle: async (_req, res) => {
      await sleep(3_000);
      res.json({ late: true });
    },
  },
  {
    method: 'get',
    path: '/broken',
    operationId: 'broken',
    tag: 'test',
    summary: 'throws',
    access: ['ops'],
    responses: { 500: { description: 'fails' } },
    handle: () => {
      throw new Error('secret internals at /srv/claimhub/thing.ts:42');
    },
  },
];

describe('gateway: versions side by side, and hardening', function () {
  this.timeout(60_000);
  let t: TestHub;

  before(async () => {
    t = await startTestHub(
      'pglite',
      [
        'gateway:',
        '  jsonBodyLimit: 1kb',
        '  bodyLimit: 8kb',
        '  requestTimeout: 1s',
        '  cors:',
        '    origins: ["https://ops.example.org"]',
        '  versions:',
        '    v1:',
        '      deprecated: "2026-10-01T00:00:00Z"',
        '      sunset: "2027-06-30T00:00:00Z"',
        '      successor: /v2',
      ].join('\n'),
      { moreVersions: { v2: V2 } },
    );
  });
  after(async () => t?.stop());

  it('marks every answer of a deprecated version with Deprecation, Sunset and the successor link', async () => {
    for (const response of [
      await t.call('GET', '/v1/queues'),
      await t.call('GET', '/v1/dead-letters/not-an-id'),
      await fetch(`${t.url}/v1/queues`),
    ]) {
      assert.equal(response.headers.get('deprecation'), `@${Date.parse('2026-10-01T00:00:00Z') / 1000}`);
      assert.equal(response.headers.get('sunset'), 'Wed, 30 Jun 2027 00:00:00 GMT');
      assert.equal(response.headers.get('link'), '</v2>; rel="successor-version"');
    }
    const v2 = await t.call('GET', '/v2/queues');
    assert.equal(v2.status, 200);
    assert.deepEqual(await v2.json(), { version: 2 });
    assert.equal(v2.headers.get('deprecation'), null);
    const openapi = (await (await fetch(`${t.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { deprecated?: boolean }>>;
    };
    assert.equal(openapi.paths['/v1/queues'].get.deprecated, true);
  });

  it('answers an unknown version with 404 problem+json listing the supported ones', async () => {
    const response = await t.call('GET', '/v3/queues');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    const problem = (await response.json()) as { detail: string; supportedVersions: string[] };
    assert.deepEqual(problem.supportedVersions, ['v1', 'v2']);
    assert.equal(problem.detail, 'API version v3 does not exist; supported: v1, v2');
  });

  it('a v2 route has its own roles: deny by default there too', async () => {
    assert.equal((await fetch(`${t.url}/v2/queues`)).status, 401);
  });

  it('sends helmet headers and no X-Powered-By', async () => {
    const response = await t.call('GET', '/v1/queues');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.match(response.headers.get('strict-transport-security') ?? '', /max-age=/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(response.headers.get('x-powered-by'), null);
  });

  it('allows only configured origins across origins, and answers their preflight', async () => {
    const preflight = await fetch(`${t.url}/v1/queues`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://ops.example.org',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://ops.example.org');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const foreign = await t.call('GET', '/v1/queues', undefined, { origin: 'https://evil.example.com' });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  it('limits bodies per content type: JSON operator requests to jsonBodyLimit, messages to bodyLimit', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const bigJson = await t.call('POST', `/v1/dead-letters/${id}/discard`, JSON.stringify({ reason: 'x'.repeat(2_000) }), {
      'content-type': 'application/json',
    });
    assert.equal(bigJson.status, 413);
    assert.match(((await bigJson.json()) as { detail: string }).detail, /JSON requests to operator routes up to 1kb/);
    const message = await t.call('POST', '/v1/messages', 'MSH|' + 'x'.repeat(9_000), { 'content-type': 'x-application/hl7-v2+er7' });
    assert.equal(message.status, 413);
    const smallEnough = await t.call('POST', '/v1/messages', 'MSH|' + 'x'.repeat(2_000), {
      'content-type': 'text/plain',
      accept: 'application/json',
    });
    assert.notEqual(smallEnough.status, 413, 'a 2 kB message is under the 8 kB message limit though over the JSON one');
  });

  it('answers 503 problem+json when a handler misses the deadline', async () => {
    const started = Date.now();
    const response = await t.call('GET', '/v2/slow');
    assert.equal(response.status, 503);
    assert.ok(Date.now() - started < 2_500, 'answered at the deadline, not when the handler finished');
    assert.match(((await response.json()) as { detail: string }).detail, /did not answer within 1 s/);
  });

  it('never puts a stack trace or internal message in an answer', async () => {
    const response = await t.call('GET', '/v2/broken', undefined, { 'x-request-id': 'hardening-500' });
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.doesNotMatch(text, /secret internals|\.ts:\d+|at .*\(/);
    assert.match(text, /quote request id hardening-500/);
  });
});
