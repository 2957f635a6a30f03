// The Express app: /v1 routers behind authentication, health endpoints outside it, and one error
// path that answers problem+json without stack traces.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Intake } from '../routes/intake.js';
import type { ApiKeys } from '../store/api-keys.js';
import type { MessageReader } from '../store/messages.js';
import { authenticate } from './auth.js';
import { ClaimhubError, TransientError } from '../canonical-model/errors.js';
import { problem, problemFromError, sendProblem } from './problem.js';
import { requestContext } from './request-context.js';
import { claimsRouter } from './v1/claims.js';
import { auditReads } from './audit-reads.js';
import { auditRouter } from './v1/audit.js';
import { deadLettersRouter, operationsRouter } from './v1/dead-letters.js';
import { messagesRouter } from './v1/messages.js';
import { queuesRouter } from './v1/queues.js';
import type { ReplayDeps } from '../routes/replay.js';
import type { BreakerState } from '../routes/circuit-breaker.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface GatewayDeps {
  intake: Intake;
  reader: MessageReader;
  keys: ApiKeys;
  log: Logger;
  bodyLimit: string;
  x12BodyLimit: string;
  readiness: ReadinessCheck[];
  /** What replaying and discarding dead letters needs (store, queues, the ingest retry policy). */
  replay: ReplayDeps;
  /** Configured destination ids (queue views, pause/resume). */
  destinations: readonly string[];
  /** The destinations' circuit breakers in this process, for the queue views. */
  breakers?: () => Record<string, BreakerState>;
}

const SUPPORTED_VERSIONS = ['v1'];
const READY_TIMEOUT_MS = 2_000;

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  return Promise.race([
    work,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

export function createApp(deps: GatewayDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestContext(deps.log));

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
  const v1 = express.Router();
  v1.use(authenticate(deps.keys));
  v1.use('/messages', messagesRouter({ ...deps, auditRead }));
  v1.use('/dead-letters', deadLettersRouter({ ...deps, auditRead }));
  v1.use('/claims', claimsRouter({ ...deps, auditRead }));
  v1.use('/operations', operationsRouter({ ...deps, auditRead }));
  v1.use('/audit', auditRouter({ db: deps.replay.db }));
  v1.use('/queues', queuesRouter({ queues: deps.replay.queues, db: deps.replay.db, destinations: deps.destinations, breakers: deps.breakers }));
  app.use('/v1', v1);

  app.use((req: Request, res: Response) => {
    const version = /^\/(v\d+)\//.exec(req.path)?.[1];
    const detail =
      version && !SUPPORTED_VERSIONS.includes(version)
        ? `API version ${version} does not exist; supported: ${SUPPORTED_VERSIONS.join(', ')}`
        : `no route ${req.method} ${req.path}`;
    sendProblem(res, problem(404, 'not-found', 'Not found', { detail, instance: req.originalUrl, supportedVersions: SUPPORTED_VERSIONS }));
  });

  // Body-parser errors carry an HTTP status; anything else is our fault: 500, logged, no stack.
  app.use((error: Error & { status?: number; type?: string; limit?: number }, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ClaimhubError) {
      if (error instanceof TransientError) res.setHeader('Retry-After', '5');
      sendProblem(res, problemFromError(error, { instance: req.originalUrl }));
    } else if (error.type === 'entity.too.large') {
      sendProblem(
        res,
        problem(413, 'too-large', 'Message too large', {
          detail: `the body exceeds the limit of ${typeof error.limit === 'number' ? `${error.limit} bytes` : deps.bodyLimit} for its content type (X12 sent as application/edi-x12 may be up to ${deps.x12BodyLimit}; other messages up to ${deps.bodyLimit})`,
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
