// Request limits per client, per client and route, and per source address, counted in Redis so
// every gateway process shares them. Headers follow draft-ietf-httpapi-ratelimit-headers-06.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { problem, sendProblem } from './problem.js';

export interface RateLimit {
  points: number;
  durationSeconds: number;
}

export interface RateLimitSettings {
  /** Every authenticated client, all routes together. */
  perClient?: RateLimit;
  /** Per client per route; the key is a route id like 'POST /v1/messages' or 'GET /v1/dead-letters/{id}'. */
  routes: Record<string, RateLimit>;
  /** Replaces perClient for one client id. */
  clients?: Record<string, RateLimit>;
  /** Per source address, for requests without valid credentials (brute force) and public routes. */
  unauthenticated?: RateLimit;
}

export interface RateLimits {
  /**
   * Middleware for one route, keyed by the principal's id (authentication runs first). Every limit
   * that applies (the client's own or perClient, and the route's) is charged, even when one of them
   * refuses the request: a client hammering an exhausted route also spends its client-wide quota.
   */
  forRoute(routeId: string): RequestHandler;
  /**
   * Middleware keyed by req.ip, for public routes. Authentication also runs it when credentials are
   * missing or wrong, with `next` sending the 401: each failure costs the address one request, and
   * past the limit the answer is 429 instead.
   */
  unauthenticated: RequestHandler;
}

/** One configured limit, and the words that say what it covers in a 429 detail. */
interface Policy {
  limit: RateLimit;
  limiter: RateLimiterRedis;
  scope: string;
}

interface Outcome {
  policy: Policy;
  res: RateLimiterRes;
  refused: boolean;
}

const passThrough: RequestHandler = (_req, _res, next) => next();

/**
 * Counters live under `<keyPrefix>:client:<id>`, `<keyPrefix>:route:<route id>:<id>` and
 * `<keyPrefix>:ip:<address>`: client ids and addresses, never credentials. Whenever the Redis client
 * is not ready (down, reconnecting, or still connecting at startup: connect it before serving, and
 * not with lazyConnect) each limit counts in this process instead, without waiting for Redis.
 */
export function createRateLimits(settings: RateLimitSettings, redis: Redis, options: { keyPrefix: string; log: Logger }): RateLimits {
  const warnRedisDown = atMostEveryMinute(() =>
    options.log.warn(
      { keyPrefix: options.keyPrefix, redisStatus: redis.status },
      'rate limits: Redis not ready, counting in this gateway process meanwhile',
    ),
  );
  const policy = (name: string, limit: RateLimit, scope: string): Policy => ({
    limit,
    scope,
    limiter: new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${options.keyPrefix}:${name}`,
      points: limit.points,
      duration: limit.durationSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new ProcessLimiter(limit, warnRedisDown),
    }),
  });

  const perClient = settings.perClient && policy('client', settings.perClient, 'across all routes');
  const clients = new Map(Object.entries(settings.clients ?? {}).map(([id, limit]) => [id, policy('client', limit, 'across all routes')]));
  const routes = new Map(
    Object.entries(settings.routes).map(([routeId, limit]) => [routeId, policy(`route:${routeId}`, limit, `to ${routeId}`)]),
  );
  const perAddress = settings.unauthenticated && policy('ip', settings.unauthenticated, 'without credentials');

  return {
    forRoute(routeId) {
      const route = routes.get(routeId);
      if (!route && !perClient && clients.size === 0) return passThrough;
      return async (req, res, next) => {
        const clientId = principalId(req);
        if (clientId === undefined) {
          next(new Error(`rate limits for ${routeId} run after authentication, but the request has no principal`));
          return;
        }
        const applicable = [clients.get(clientId) ?? perClient, route].filter((p): p is Policy => p !== undefined);
        if (applicable.length === 0) return next();
        await enforce(applicable, clientId, `client "${clientId}"`, req, res, next);
      };
    },
    unauthenticated: perAddress
      ? async (req, res, next) => {
          const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
          await enforce([perAddress], address, `address ${address}`, req, res, next);
        }
      : passThrough,
  };
}

/** Reads the principal under its new name and its old one (`req.client`), whichever is set. */
function principalId(req: Request): string | undefined {
  const { principal, client } = req as { principal?: { id: string }; client?: { id: string } };
  return principal?.id ?? client?.id;
}

async function enforce(policies: Policy[], key: string, subject: string, req: Request, res: Response, next: NextFunction): Promise<void> {
  const shown = mostRestrictive(await Promise.all(policies.map((policy) => consume(policy, key))));
  const { points, durationSeconds } = shown.policy.limit;
  const reset = resetSeconds(shown.res);
  res.setHeader('RateLimit-Limit', String(points));
  res.setHeader('RateLimit-Remaining', String(shown.res.remainingPoints));
  res.setHeader('RateLimit-Reset', String(reset));
  res.setHeader('RateLimit-Policy', `${points};w=${durationSeconds}`);
  if (!shown.refused) return next();
  res.setHeader('Retry-After', String(reset));
  sendProblem(
    res,
    problem(429, 'rate-limited', 'Too many requests', {
      detail: `${subject} may make ${points} requests per ${durationSeconds} s ${shown.policy.scope}; try again in ${reset} s`,
      instance: req.originalUrl,
    }),
  );
}

async function consume(policy: Policy, key: string): Promise<Outcome> {
  try {
    return { policy, res: await policy.limiter.consume(key), refused: false };
  } catch (rejection) {
    // rate-limiter-flexible rejects with the counter's state when the limit is exceeded.
    if (rejection instanceof RateLimiterRes) return { policy, res: rejection, refused: true };
    throw rejection;
  }
}

/**
 * The limit the headers describe (draft-06: "the time window with the lower RateLimit-Remaining"):
 * a refusing limit if any, the one the client waits longest for; otherwise the least remaining.
 */
function mostRestrictive(outcomes: Outcome[]): Outcome {
  return outcomes.reduce((shown, outcome) => (moreRestrictive(outcome, shown) ? outcome : shown));
}

function moreRestrictive(a: Outcome, b: Outcome): boolean {
  if (a.refused !== b.refused) return a.refused;
  if (a.res.remainingPoints !== b.res.remainingPoints) return a.res.remainingPoints < b.res.remainingPoints;
  return a.res.msBeforeNext > b.res.msBeforeNext;
}

/** Whole seconds, rounded up so a client that waits that long finds the window reset. */
function resetSeconds(res: RateLimiterRes): number {
  return Math.max(0, Math.ceil(res.msBeforeNext / 1000));
}

/** Counts in this process memory; rate-limiter-flexible turns to it only when Redis failed. */
class ProcessLimiter extends RateLimiterMemory {
  constructor(
    limit: RateLimit,
    private readonly onRedisDown: () => void,
  ) {
    super({ points: limit.points, duration: limit.durationSeconds });
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    this.onRedisDown();
    return super.consume(...args);
  }
}

function atMostEveryMinute(action: () => void): () => void {
  let last = -Infinity;
  return () => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    action();
  };
}
