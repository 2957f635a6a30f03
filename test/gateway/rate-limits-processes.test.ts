// Rate limits hold across gateway processes: two `claimhub start` processes on one PostgreSQL
// schema and one Redis prefix, as behind a load balancer, share each client's budget.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubProcess, stopHubProcess } from '../../bench/hub-process.js';
import { clearRedisPrefix, postgresSchema, REDIS_URL, uniqueName } from '../support/services.js';

const CONFIG = `
rateLimits:
  routes:
    "GET /v1/queues": { requests: 10, per: 60s }
  unauthenticated: { requests: 5, per: 60s }
`;

describe('gateway: rate limits shared by two gateway processes through Redis', function () {
  this.timeout(120_000);
  const key = uniqueName('rate-limit-key-0123456789');
  const prefix = uniqueName('chrl');
  let schema: Awaited<ReturnType<typeof postgresSchema>>;
  let dataDir: string;
  const hubs: { child: ChildProcess; url: string }[] = [];

  before(async () => {
    schema = await postgresSchema();
    dataDir = await mkdtemp(join(tmpdir(), 'claimhub-rl-'));
    await writeFile(join(dataDir, 'claimhub.config.yaml'), CONFIG);
    const env = {
      CLAIMHUB_CONFIG: join(dataDir, 'claimhub.config.yaml'),
      CLAIMHUB_PORT: '0',
      CLAIMHUB_MLLP_PORT: '0',
      CLAIMHUB_QUEUE_PREFIX: prefix,
      CLAIMHUB_API_KEY: key,
      DATABASE_URL: schema.url,
      REDIS_URL,
      LOG_LEVEL: 'info',
      CLAIMHUB_MAPPING_THREADS: '0',
    };
    // One after the other: both migrate the same schema at start.
    hubs.push(await startHubProcess({ ...env, CLAIMHUB_DATA_DIR: join(dataDir, 'a') }));
    hubs.push(await startHubProcess({ ...env, CLAIMHUB_DATA_DIR: join(dataDir, 'b') }));
  });
  after(async () => {
    await Promise.all(hubs.map((hub) => stopHubProcess(hub.child)));
    await clearRedisPrefix(prefix);
    await schema?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves a client exactly its configured 10 requests per window across both, then 429 problem+json from either', async () => {
    assert.notEqual(hubs[0].url, hubs[1].url);
    // Ten at once, five to each process: all served from the one shared budget of ten.
    const ask = (i: number) => fetch(`${hubs[i % 2].url}/v1/queues`, { headers: { authorization: `Bearer ${key}` } });
    const served = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(i)));
    assert.deepEqual(
      served.map((r) => r.status),
      Array(10).fill(200),
    );
    // Each process has served only five, yet both refuse: the count they check is the shared one.
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => ask(i)));
    assert.deepEqual(
      responses.map((r) => r.status),
      Array(6).fill(429),
      'both processes refuse once the shared budget is spent',
    );
    const refused = responses.find((r) => r.status === 429)!;
    assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(refused.headers.get('ratelimit-limit'), '10');
    assert.equal(refused.headers.get('ratelimit-remaining'), '0');
    assert.equal(refused.headers.get('ratelimit-policy'), '10;w=60');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    const problem = (await refused.json()) as { status: number; detail: string };
    assert.equal(problem.status, 429);
    assert.match(problem.detail, /may make 10 requests per 60 s to GET \/v1\/queues/);
    const remaining = served
      .map((r) => Number(r.headers.get('ratelimit-remaining')))
      .sort((a, b) => a - b);
    assert.deepEqual(remaining, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'each success saw the shared count');
    // Another route is not held by this route's limit.
    assert.equal((await fetch(`${hubs[1].url}/v1/dead-letters`, { headers: { authorization: `Bearer ${key}` } })).status, 200);
  });

  it('counts failed authentications per address across both: 401 until the limit, then 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await fetch(`${hubs[i % 2].url}/v1/queues`, { headers: { authorization: 'Bearer chk_guess' } })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
  });
});
