import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { problem, sendProblem } from '../../gateway/problem.js';
import { createRateLimits, type RateLimits, type RateLimitSettings } from '../../gateway/rate-limits.js';
import { clearRedisPrefix, REDIS_URL, uniqueName } from '../support/services.js';

const TOKENS: Record<string, string> = {
  'key-ehr-9f3a61': 'ehr',
  'key-billing-77c1d0': 'billing',
  'key-clearinghouse-05be': 'clearinghouse',
};
const tokenOf = (clientId: string) => Object.keys(TOKENS).find((token) => TOKENS[token] === clientId)!;
const perMinute = (points: number) => ({ points, durationSeconds: 60 });
const silent = pino({ level: 'silent' });

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

interface Call {
  as?: string;
  token?: string;
  from?: string;
}

/** One gateway process: its own Redis connection, rate limits and HTTP server. */
interface GatewayProcess {
  post(path: string, call?: Call): Promise<Answer>;
  get(path: string, call?: Call): Promise<Answer>;
}

/** Authentication stand-in: a known bearer token sets the principal; anything else costs the address one try. */
function authenticate(rateLimits: RateLimits): RequestHandler {
  return (req, res, next) => {
    const clientId = TOKENS[/^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? ''];
    if (clientId === undefined) {
      return rateLimits.unauthenticated(req, res, () => sendProblem(res, problem(401, 'invalid-credentials', 'Invalid API key')));
    }
    (req as { principal?: { id: string } }).principal = { id: clientId };
    next();
  };
}

function gatewayApp(rateLimits: RateLimits) {
  const app = express();
  app.set('trust proxy', true); // so a test can pose as several source addresses with X-Forwarded-For
  app.get('/healthz', rateLimits.unauthenticated, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/v1/messages', authenticate(rateLimits), rateLimits.forRoute('POST /v1/messages'), (_req, res) => {
    res.status(202).json({ status: 'received' });
  });
  app.get('/v1/dead-letters/:id', authenticate(rateLimits), rateLimits.forRoute('GET /v1/dead-letters/{id}'), (req, res) => {
    res.json({ id: req.params.id });
  });
  return app;
}

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function send(url: string, method: string, { as, token, from }: Call): Promise<Answer> {
  const headers: Record<string, string> = {};
  const bearer = token ?? (as === undefined ? undefined : tokenOf(as));
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (from) headers['x-forwarded-for'] = from;
  const response = await fetch(url, { method, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const rateLimitHeaders = (answer: Answer) => ({
  limit: answer.headers.get('ratelimit-limit'),
  remaining: answer.headers.get('ratelimit-remaining'),
  policy: answer.headers.get('ratelimit-policy'),
});

/** Asserts a 429 problem+json whose Retry-After and RateLimit-* headers describe `limit`; returns its detail. */
function assertRefused(answer: Answer, limit: { points: number; durationSeconds: number }): string {
  assert.equal(answer.status, 429);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(answer.body.type, 'https://claimhub.dev/problems/rate-limited');
  assert.equal(answer.body.title, 'Too many requests');
  assert.equal(answer.body.status, 429);
  const retryAfter = Number(answer.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= limit.durationSeconds, `Retry-After ${retryAfter}`);
  assert.equal(answer.headers.get('ratelimit-reset'), String(retryAfter));
  assert.deepEqual(rateLimitHeaders(answer), {
    limit: String(limit.points),
    remaining: '0',
    policy: `${limit.points};w=${limit.durationSeconds}`,
  });
  assert.match(answer.body.detail, new RegExp(`; try again in ${retryAfter} s$`));
  return answer.body.detail;
}

describe('gateway rate limits', () => {
  let prefix: string;
  let cleanups: Array<() => Promise<unknown> | void>;

  beforeEach(() => {
    prefix = uniqueName('test_rate_limits');
    cleanups = [];
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await clearRedisPrefix(prefix);
  });

  /** A connection that is ready: until then every process counts on its own, as when Redis is down. */
  async function connectRedis(): Promise<Redis> {
    const redis = new Redis(REDIS_URL);
    cleanups.push(() => redis.quit());
    await once(redis, 'ready');
    return redis;
  }

  async function startProcess(settings: RateLimitSettings, connection?: Redis, log: Logger = silent): Promise<GatewayProcess> {
    const redis = connection ?? (await connectRedis());
    const { server, url } = await listen(gatewayApp(createRateLimits(settings, redis, { keyPrefix: prefix, log })));
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    return {
      post: (path, call = {}) => send(url + path, 'POST', call),
      get: (path, call = {}) => send(url + path, 'GET', call),
    };
  }

  const messagesLimit = (points: number, durationSeconds = 60): RateLimitSettings => ({
    routes: { 'POST /v1/messages': { points, durationSeconds } },
  });

  it('shares a route limit between two gateway processes: of 6 + 6 concurrent requests, 10 are served and 2 refused', async () => {
    const [a, b] = [await startProcess(messagesLimit(10)), await startProcess(messagesLimit(10))];
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).post('/v1/messages', { as: 'ehr' })));
    assert.equal(answers.filter((answer) => answer.status === 202).length, 10);
    const refused = answers.filter((answer) => answer.status !== 202);
    assert.equal(refused.length, 2);
    for (const answer of refused) {
      assert.match(
        assertRefused(answer, perMinute(10)),
        /^client "ehr" may make 10 requests per 60 s to POST \/v1\/messages; try again in \d+ s$/,
      );
    }
  });

  it('counts RateLimit-Remaining down across both processes, then refuses on either', async () => {
    const [a, b] = [await startProcess(messagesLimit(10)), await startProcess(messagesLimit(10))];
    for (let i = 0; i < 10; i++) {
      const answer = await (i % 2 === 0 ? a : b).post('/v1/messages', { as: 'ehr' });
      assert.equal(answer.status, 202);
      assert.deepEqual(rateLimitHeaders(answer), { limit: '10', remaining: String(9 - i), policy: '10;w=60' });
      const reset = Number(answer.headers.get('ratelimit-reset'));
      assert.ok(Number.isInteger(reset) && reset >= 1 && reset <= 60, `RateLimit-Reset ${reset}`);
    }
    assertRefused(await a.post('/v1/messages', { as: 'ehr' }), perMinute(10));
    assertRefused(await b.post('/v1/messages', { as: 'ehr' }), perMinute(10));
  });

  it('keeps clients apart: another client is served while one is refused', async () => {
    const [a, b] = [await startProcess(messagesLimit(3)), await startProcess(messagesLimit(3))];
    for (const gateway of [a, b, a]) assert.equal((await gateway.post('/v1/messages', { as: 'ehr' })).status, 202);
    assertRefused(await b.post('/v1/messages', { as: 'ehr' }), perMinute(3));
    const billing = await b.post('/v1/messages', { as: 'billing' });
    assert.equal(billing.status, 202);
    assert.equal(billing.headers.get('ratelimit-remaining'), '2');
  });

  it('charges another route to the client-wide limit, not to the first route’s limit', async () => {
    const settings: RateLimitSettings = { perClient: perMinute(15), ...messagesLimit(10) };
    const [a, b] = [await startProcess(settings), await startProcess(settings)];
    for (let i = 0; i < 10; i++) {
      const answer = await (i % 2 === 0 ? a : b).post('/v1/messages', { as: 'ehr' });
      assert.equal(answer.status, 202);
      // Both limits are charged; the headers describe the route's, which has less remaining.
      assert.deepEqual(rateLimitHeaders(answer), { limit: '10', remaining: String(9 - i), policy: '10;w=60' });
    }
    for (let i = 0; i < 5; i++) {
      const answer = await (i % 2 === 0 ? b : a).get(`/v1/dead-letters/dl-${i}`, { as: 'ehr' });
      assert.equal(answer.status, 200, 'the exhausted messages limit does not apply to dead letters');
      // The client-wide limit is now the one with the least remaining.
      assert.deepEqual(rateLimitHeaders(answer), { limit: '15', remaining: String(4 - i), policy: '15;w=60' });
    }
    const detail = assertRefused(await a.get('/v1/dead-letters/dl-5', { as: 'ehr' }), perMinute(15));
    assert.match(detail, /^client "ehr" may make 15 requests per 60 s across all routes;/);
  });

  it('applies a client’s own limit instead of perClient', async () => {
    const settings: RateLimitSettings = { perClient: perMinute(2), clients: { clearinghouse: perMinute(5) }, routes: {} };
    const [a, b] = [await startProcess(settings), await startProcess(settings)];
    for (let i = 0; i < 2; i++) assert.equal((await a.get('/v1/dead-letters/dl-1', { as: 'ehr' })).status, 200);
    assertRefused(await b.get('/v1/dead-letters/dl-1', { as: 'ehr' }), perMinute(2));
    for (let i = 0; i < 5; i++)
      assert.equal((await (i % 2 === 0 ? a : b).get('/v1/dead-letters/dl-1', { as: 'clearinghouse' })).status, 200);
    const detail = assertRefused(await a.get('/v1/dead-letters/dl-1', { as: 'clearinghouse' }), perMinute(5));
    assert.match(detail, /^client "clearinghouse" may make 5 requests per 60 s across all routes;/);
  });

  it('limits public routes and failed authentications per source address', async () => {
    const settings: RateLimitSettings = { unauthenticated: perMinute(3), routes: {} };
    const [a, b] = [await startProcess(settings), await startProcess(settings)];
    const guesser = '203.0.113.7';
    const first = await a.post('/v1/messages', { token: 'key-guess-1', from: guesser });
    assert.equal(first.status, 401);
    assert.equal(first.headers.get('ratelimit-remaining'), '2');
    assert.equal((await b.post('/v1/messages', { token: 'key-guess-2', from: guesser })).status, 401);
    assert.equal((await b.get('/healthz', { from: guesser })).status, 200);
    const detail = assertRefused(await a.post('/v1/messages', { token: 'key-guess-3', from: guesser }), perMinute(3));
    assert.match(detail, /^address 203\.0\.113\.7 may make 3 requests per 60 s without credentials;/);
    assertRefused(await b.get('/healthz', { from: guesser }), perMinute(3));

    const neighbour = await a.get('/healthz', { from: '198.51.100.4' });
    assert.equal(neighbour.status, 200);
    assert.equal(neighbour.headers.get('ratelimit-remaining'), '2');
    assert.equal(
      (await b.post('/v1/messages', { as: 'ehr', from: guesser })).status,
      202,
      'valid credentials are not charged to the address',
    );
  });

  it('serves again once the window has passed', async () => {
    const [a, b] = [await startProcess(messagesLimit(2, 1)), await startProcess(messagesLimit(2, 1))];
    assert.equal((await a.post('/v1/messages', { as: 'ehr' })).status, 202);
    assert.equal((await b.post('/v1/messages', { as: 'ehr' })).status, 202);
    const refused = await a.post('/v1/messages', { as: 'ehr' });
    assertRefused(refused, { points: 2, durationSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get('retry-after')) * 1000 + 100));
    const again = await b.post('/v1/messages', { as: 'ehr' });
    assert.equal(again.status, 202);
    assert.equal(again.headers.get('ratelimit-remaining'), '1');
  });

  it('stores client ids and addresses under the prefix, never credentials, and lets the counters expire', async () => {
    const settings: RateLimitSettings = { perClient: perMinute(100), unauthenticated: perMinute(100), ...messagesLimit(10) };
    const a = await startProcess(settings);
    await a.post('/v1/messages', { as: 'ehr' });
    await a.post('/v1/messages', { token: 'key-guess-1', from: '203.0.113.7' });
    const redis = await connectRedis();
    const keys = (await redis.keys(`${prefix}:*`)).sort();
    assert.deepEqual(keys, [`${prefix}:client:ehr`, `${prefix}:ip:203.0.113.7`, `${prefix}:route:POST /v1/messages:ehr`]);
    for (const key of keys) {
      const ttl = await redis.ttl(key);
      assert.ok(ttl > 0 && ttl <= 60, `${key} expires (ttl ${ttl})`);
    }
    assert.ok(!keys.some((key) => key.includes(tokenOf('ehr')) || key.includes('key-guess-1')));
  });

  it('costs nothing where no limit applies: no Redis command, no RateLimit headers', async () => {
    const redis = await connectRedis();
    const sent: string[] = [];
    const sendCommand = redis.sendCommand.bind(redis);
    redis.sendCommand = ((command, stream) => {
      sent.push(command.name);
      return sendCommand(command, stream);
    }) as typeof redis.sendCommand;
    const a = await startProcess({ routes: { 'GET /v1/dead-letters/{id}': perMinute(5) } }, redis);

    const unlimited = [
      await a.post('/v1/messages', { as: 'ehr' }),
      await a.get('/healthz'),
      await a.post('/v1/messages', { token: 'key-guess-1' }),
    ];
    assert.deepEqual(
      unlimited.map((answer) => answer.status),
      [202, 200, 401],
    );
    for (const answer of unlimited) assert.equal(answer.headers.get('ratelimit-limit'), null);
    assert.deepEqual(sent, []);

    assert.equal((await a.get('/v1/dead-letters/dl-1', { as: 'ehr' })).headers.get('ratelimit-limit'), '5');
    assert.ok(sent.length > 0, 'the limited route goes to Redis');
  });

  it('keeps limiting in each process, answering at once, while Redis is unreachable', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = new Redis({
      host: '127.0.0.1',
      port,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 100,
    });
    unreachable.on('error', () => {});
    cleanups.push(() => unreachable.disconnect());
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });

    const cut = await startProcess(messagesLimit(3), unreachable, log);
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const answer = await cut.post('/v1/messages', { as: 'ehr' });
      assert.ok(Date.now() - started < 1_000, 'no waiting for Redis');
      assert.equal(answer.status, 202);
      assert.equal(answer.headers.get('ratelimit-remaining'), String(2 - i));
    }
    assertRefused(await cut.post('/v1/messages', { as: 'ehr' }), perMinute(3));
    assertRefused(await cut.post('/v1/messages', { as: 'ehr' }), perMinute(3));

    const warnings = lines.map((line) => JSON.parse(line));
    assert.equal(warnings.length, 1, 'one warning, not one per request');
    assert.equal(warnings[0].level, 40);
    assert.match(warnings[0].msg, /Redis not ready/);
    assert.ok(!lines[0].includes(tokenOf('ehr')));

    // The counts stayed in that process: a process that reaches Redis starts from a full quota.
    const connected = await startProcess(messagesLimit(3));
    assert.equal((await connected.post('/v1/messages', { as: 'ehr' })).headers.get('ratelimit-remaining'), '2');
  });

  it('answers 500 rather than guess the client when authentication has not run', async () => {
    const rateLimits = createRateLimits(messagesLimit(3), await connectRedis(), { keyPrefix: prefix, log: silent });
    const app = express();
    app.post('/v1/messages', rateLimits.forRoute('POST /v1/messages'), (_req, res) => {
      res.status(202).end();
    });
    app.use(((_error, _req, res, _next) => sendProblem(res, problem(500, 'internal', 'Internal error'))) as express.ErrorRequestHandler);
    const { server, url } = await listen(app);
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    assert.equal((await send(`${url}/v1/messages`, 'POST', {})).status, 500);
  });
});
