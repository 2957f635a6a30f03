// The Express app: helmet headers, closed CORS unless origins are configured, a deadline per
// request, each API version's route table under /vN (deprecated versions announce it), health
// endpoints outside them, and one error path that answers problem+json without stack traces.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Intake } from '../routes/intake.js';
import type { ApiKeys } from '../store/api-keys.js';
import type { MessageReader } from '../store/messages.js';
import { appendAuditAlone, auditRecordOf } from '../store/audit.js';
import { authenticator, type TokenVerifier } from './auth.js';
import { ClaimhubError, TransientError } from '../canonical-model/errors.js';
import { problem, problemFromError, sendProblem } from './problem.js';
import { requestContext } from './request-context.js';
import { auditReads } from './audit-reads.js';
import { docsAssets } from './docs-page.js';
import { mountRoutes, type RouteSpec } from './route-table.js';
import { announceDeprecation, type VersionPolicy } from './versions.js';
import { v1Routes } from './v1/index.js';
import { operatorOf } from './v1/request-parts.js';
import type { ReplayDeps } from '../routes/replay.js';
import type { BreakerState } from '../routes/circuit-breaker.js';
import type { MappingReleases } from './mapping-releases.js';
import type { Translator } from '../mappings/translate.js';
import type { RateLimits } from './rate-limits.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface GatewaySettings {
  bodyLimit: string;
  x12BodyLimit: string;
  jsonBodyLimit: string;
  requestTimeoutMs: number;
  corsOrigins: string[];
  versions: Record<string, VersionPolicy>;
}

export interface GatewayDeps {
  intake: Intake;
  reader: MessageReader;
  keys: ApiKeys;
  log: Logger;
  settings: GatewaySettings;
  readiness: ReadinessCheck[];
  /** What replaying and discarding dead letters needs (store, queues, the ingest retry policy). */
  replay: ReplayDeps;
  /** Configured destination ids (queue views, pause/resume). */
  destinations: readonly string[];
  /** The destinations' circuit breakers in this process, for the queue views. */
  breakers?: () => Record<string, BreakerState>;
  translator: Pick<Translator, 'mappings' | 'testMapping' | 'mappingText'>;
  /** Mapping versions architects add, activate and roll back. */
  mappingReleases: MappingReleases;
  /** The configuration as admins may read it (secrets hidden). */
  config: () => Record<string, unknown>;
  /** Verifies OIDC bearer JWTs, when an identity provider is configured. */
  oidc?: TokenVerifier & { discoveryUrl: string };
  rateLimits?: RateLimits;
  /** claimhub's release, shown in the OpenAPI document. */
  release: string;
  /** More versions beside v1 (their route tables, by name such as `v2`). */
  moreVersions?: Record<string, RouteSpec[]>;
}

const READY_TIMEOUT_MS = 2_000;

const NO_LIMITS = (() => {
  const pass: RequestHandler = (_req, _res, next) => next();
  return { forRoute: () => pass, unauthenticated: pass };
})();

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  return Promise.race([
    work,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

/** Answers 503 for a request its handler has not answered in time (the work itself runs on). */
function deadline(ms: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.setHeader('Retry-After', '5');
      sendProblem(
        res,
        problem(503, 'timeout', 'No answer in time', {
          detail: `the hub did not answer within ${ms / 1000} s; quote request id ${req.id}`,
          instance: req.originalUrl,
        }),
      );
    }, ms);
    timer.unref();
    res.on('close', () => clearTimeout(timer));
    next();
  };
}

export function createApp(deps: GatewayDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(requestContext(deps.log));
  app.use(helmet());
  if (deps.settings.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: deps.settings.corsOrigins,
        allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'Accept', 'X-Request-Id'],
        exposedHeaders: [
          'Location',
          'X-Request-Id',
          'X-Message-Id',
          'Retry-After',
          'RateLimit-Limit',
          'RateLimit-Remaining',
          'RateLimit-Reset',
          'RateLimit-Policy',
          'Deprecation',
          'Sunset',
          'Link',
        ],
        maxAge: 600,
      }),
    );
  }
  app.use(deadline(deps.settings.requestTimeoutMs));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      deps.readiness.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), READY_TIMEOUT_MS);
          return [name, { status: 'ok' }] as const;
        } catch (error) {
          return [name, { status: 'down', detail: (error as Error).message }] as const;
        }
      }),
    );
    const ready = results.every(([, r]) => r.status === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });

  const auditRead = auditReads(deps.replay.db);
  const limits = deps.rateLimits ?? NO_LIMITS;
  const mount = {
    authenticate: authenticator({ keys: deps.keys, oidc: deps.oidc, failedAttempt: deps.rateLimits?.unauthenticated, log: deps.log }),
    rateLimit: limits,
    jsonBodyLimit: deps.settings.jsonBodyLimit,
    recordDenial: (req: Request, routeId: string) => recordDenial(deps, req, routeId),
  };
  const versions: Record<string, RouteSpec[]> = {
    v1: v1Routes({
      ...deps,
      ...deps.settings,
      auditRead,
      openApi: {
        release: deps.release,
        ...(deps.oidc ? { openIdConnectUrl: deps.oidc.discoveryUrl } : {}),
        deprecated: deps.settings.versions.v1?.deprecated !== undefined,
      },
    }),
    ...deps.moreVersions,
  };
  for (const [version, routes] of Object.entries(versions)) {
    const policy = deps.settings.versions[version];
    app.use(`/${version}`, announceDeprecation(policy));
    app.use(`/${version}/docs/assets`, docsAssets());
    app.use(`/${version}`, mountRoutes(version, routes, mount));
  }
  const supported = Object.keys(versions);

  app.use((req: Request, res: Response) => {
    const version = /^\/(v\d+)(?:\/|$)/.exec(req.path)?.[1];
    const detail =
      version && !supported.includes(version)
        ? `API version ${version} does not exist; supported: ${supported.join(', ')}`
        : `no route ${req.method} ${req.path}`;
    sendProblem(res, problem(404, 'not-found', 'Not found', { detail, instance: req.originalUrl, supportedVersions: supported }));
  });

  // Body-parser errors carry an HTTP status; anything else is our fault: 500, logged, no stack.
  app.use((error: Error & { status?: number; type?: string; limit?: number }, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      // Answered already (the deadline): the late failure is only logged.
      deps.log.warn({ requestId: req.id, err: { type: error.name, message: error.message } }, 'request failed after it was answered');
      return;
    }
    if (error instanceof ClaimhubError) {
      if (error instanceof TransientError) res.setHeader('Retry-After', '5');
      sendProblem(res, problemFromError(error, { instance: req.originalUrl }));
    } else if (error.type === 'entity.too.large') {
      sendProblem(
        res,
        problem(413, 'too-large', 'Message too large', {
          detail: `the body exceeds the limit of ${typeof error.limit === 'number' ? `${error.limit} bytes` : deps.settings.bodyLimit} for its content type (X12 sent as application/edi-x12 may be up to ${deps.settings.x12BodyLimit}; other messages up to ${deps.settings.bodyLimit}; JSON requests to operator routes up to ${deps.settings.jsonBodyLimit})`,
          instance: req.originalUrl,
        }),
      );
    } else if (error.status && error.status >= 400 && error.status < 500) {
      sendProblem(res, problem(error.status, 'bad-request', 'Bad request', { detail: error.message, instance: req.originalUrl }));
    } else {
      deps.log.error({ requestId: req.id, err: { type: error.name, message: error.message, stack: error.stack } }, 'request failed');
      sendProblem(
        res,
        problem(500, 'internal', 'Internal error', {
          detail: `the hub could not handle the request; quote request id ${req.id}`,
          instance: req.originalUrl,
        }),
      );
    }
  });
  return app;
}

/** An authenticated client refused a route: kept in the audit trail (best effort, never blocks the 403). */
async function recordDenial(deps: GatewayDeps, req: Request, routeId: string): Promise<void> {
  await appendAuditAlone(deps.replay.db, auditRecordOf(operatorOf(req), 'access.denied', `route/${routeId}`, undefined, 'failure'));
}
