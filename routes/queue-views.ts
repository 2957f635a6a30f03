// What ops engineers watch: per queue (ingest, and one per destination) how much waits, how old
// the oldest waiting job is, how fast the destination takes deliveries (counted in the store, the
// record, not in Redis), and whether it is paused. Pausing a destination stops its workers taking
// jobs — in every hub process sharing the Redis — while its queue keeps everything it holds.
import type { Queryable } from '../store/db.js';
import { deliverQueueName, INGEST_QUEUE, type Queues } from './queues.js';

export interface QueueView {
  name: string;
  /** The destination a delivery queue serves; absent for ingest. */
  destination?: string;
  waiting: number;
  active: number;
  delayed: number;
  paused: boolean;
  /** Seconds since the oldest job still waiting was added; null when none waits. */
  oldestWaitingSeconds: number | null;
  /** Deliveries recorded in the last minute and hour (delivery queues only). */
  delivered?: { lastMinute: number; lastHour: number };
}

/** A paused queue keeps its jobs waiting (BullMQ 6 has no separate paused state). */
const WAITING_STATES = ['waiting', 'prioritized'] as const;

export async function queueViews(queues: Queues, db: Queryable, destinations: readonly string[]): Promise<QueueView[]> {
  const [counts, throughput] = await Promise.all([
    Promise.all([INGEST_QUEUE, ...destinations.map(deliverQueueName)].map((name) => depthOf(queues, name))),
    deliveredRecently(db),
  ]);
  return counts.map((view, index) => {
    if (index === 0) return view;
    const destination = destinations[index - 1];
    return { ...view, destination, delivered: throughput.get(destination) ?? { lastMinute: 0, lastHour: 0 } };
  });
}

export async function pauseDestination(queues: Queues, destination: string): Promise<void> {
  await queues.queue(deliverQueueName(destination)).pause();
}

export async function resumeDestination(queues: Queues, destination: string): Promise<void> {
  await queues.queue(deliverQueueName(destination)).resume();
}

async function depthOf(queues: Queues, name: string): Promise<QueueView> {
  const queue = queues.queue(name);
  const [counts, paused, oldest] = await Promise.all([
    queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children'),
    queue.isPaused(),
    queue.getJobs([...WAITING_STATES], 0, 0, true),
  ]);
  const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0);
  const first = oldest[0];
  return {
    name,
    waiting,
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    paused,
    oldestWaitingSeconds: first ? Math.max(0, Math.round((Date.now() - first.timestamp) / 1000)) : null,
  };
}

async function deliveredRecently(db: Queryable): Promise<Map<string, { lastMinute: number; lastHour: number }>> {
  const { rows } = await db.query<{ destination_id: string; minute: number; hour: number }>(
    `SELECT destination_id,
            count(*) FILTER (WHERE delivered_at > now() - interval '1 minute')::int AS minute,
            count(*)::int AS hour
     FROM deliveries WHERE delivered_at > now() - interval '1 hour' GROUP BY destination_id`,
  );
  return new Map(rows.map((row) => [row.destination_id, { lastMinute: row.minute, lastHour: row.hour }]));
}
