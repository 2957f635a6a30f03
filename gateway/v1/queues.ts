// /v1/queues: depth, age and rate per queue, and pause/resume per destination (audited).
import { Router, type Request, type Response } from 'express';
import { appendAudit } from '../../store/audit.js';
import type { Db } from '../../store/db.js';
import type { Queues } from '../../routes/queues.js';
import { pauseDestination, queueViews, resumeDestination } from '../../routes/queue-views.js';
import type { BreakerState } from '../../routes/circuit-breaker.js';
import { problem, sendProblem } from '../problem.js';

export interface QueuesDeps {
  queues: Queues;
  db: Db;
  /** Configured destination ids, in config order. */
  destinations: readonly string[];
  /** Each destination's circuit breaker in this process (absent: not known here). */
  breakers?: () => Record<string, BreakerState>;
}

export function queuesRouter(deps: QueuesDeps): Router {
  const router = Router();

  router.get('/', async (_req: Request, res: Response) => {
    const views = await queueViews(deps.queues, deps.db, deps.destinations);
    const breakers = deps.breakers?.() ?? {};
    res.json({ queues: views.map((view) => (view.destination && breakers[view.destination] ? { ...view, breaker: breakers[view.destination] } : view)) });
  });

  for (const action of ['pause', 'resume'] as const) {
    router.post(`/:destination/${action}`, async (req: Request, res: Response) => {
      const destination = String(req.params.destination);
      if (!deps.destinations.includes(destination)) {
        sendProblem(
          res,
          problem(404, 'not-found', 'No such destination', {
            detail: `no destination "${destination.slice(0, 80)}": configured are ${deps.destinations.join(', ') || 'none'}`,
            instance: req.originalUrl,
          }),
        );
        return;
      }
      await (action === 'pause' ? pauseDestination : resumeDestination)(deps.queues, destination);
      const client = req.client!;
      await deps.db.transaction((tx) =>
        appendAudit(tx, {
          actor: `api:${client.name}`,
          role: client.role,
          client: client.id,
          action: `queue.${action}`,
          resource: `destination/${destination}`,
          outcome: 'success',
          requestId: req.id,
          sourceIp: req.ip,
        }),
      );
      const [view] = (await queueViews(deps.queues, deps.db, [destination])).slice(1);
      res.json(view);
    });
  }
  return router;
}
