// /v1/queues: depth, age and rate per queue, and pause/resume per destination (audited).
import type { Request, Response } from 'express';
import { appendAuditAlone, auditRecordOf } from '../../store/audit.js';
import type { Db } from '../../store/db.js';
import type { Queues } from '../../routes/queues.js';
import { pauseDestination, queueViews, resumeDestination } from '../../routes/queue-views.js';
import type { BreakerState } from '../../routes/circuit-breaker.js';
import { problem, sendProblem } from '../problem.js';
import type { RouteSpec } from '../route-table.js';
import { operatorOf } from './request-parts.js';
import { json, problemAnswer } from './schemas.js';

export interface QueuesDeps {
  queues: Queues;
  db: Db;
  /** Configured destination ids, in config order. */
  destinations: readonly string[];
  /** Each destination's circuit breaker in this process (absent: not known here). */
  breakers?: () => Record<string, BreakerState>;
}

export function queueRoutes(deps: QueuesDeps): RouteSpec[] {
  const toggle = (action: 'pause' | 'resume'): RouteSpec => ({
    method: 'post',
    path: `/queues/{destination}/${action}`,
    operationId: `${action}Destination`,
    tag: 'queues',
    summary:
      action === 'pause'
        ? 'Stop delivering to a destination; its queue keeps everything (audited)'
        : 'Deliver to a paused destination again (audited)',
    access: ['ops'],
    pathParams: { destination: { type: 'string', description: 'A configured destination id.' } },
    responses: { 200: { description: 'The queue after the change.', schema: json('object') }, 404: problemAnswer('No such destination.') },
    handle: (req, res) => setPaused(deps, action, req, res),
  });
  return [
    {
      method: 'get',
      path: '/queues',
      operationId: 'listQueues',
      tag: 'queues',
      summary: 'Every queue: waiting, active, delayed, oldest age, deliveries per minute and hour, paused, circuit breaker',
      access: ['ops'],
      responses: {
        200: {
          description: 'The queues.',
          schema: { type: 'object', properties: { queues: { type: 'array', items: { type: 'object' } } } },
        },
      },
      handle: async (_req, res) => {
        const views = await queueViews(deps.queues, deps.db, deps.destinations);
        const breakers = deps.breakers?.() ?? {};
        res.json({
          queues: views.map((view) =>
            view.destination && breakers[view.destination] ? { ...view, breaker: breakers[view.destination] } : view,
          ),
        });
      },
    },
    toggle('pause'),
    toggle('resume'),
  ];
}

async function setPaused(deps: QueuesDeps, action: 'pause' | 'resume', req: Request, res: Response): Promise<void> {
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
  await appendAuditAlone(deps.db, auditRecordOf(operatorOf(req), `queue.${action}`, `destination/${destination}`));
  const [view] = (await queueViews(deps.queues, deps.db, [destination])).slice(1);
  res.json(view);
}
