// The BullMQ queues: "ingest" (map, validate, route) and one "deliver.<destination>" per
// destination. Jobs carry only a message id; their ids are deterministic, so enqueueing the same
// stage of the same message twice (sweeper, replay, crash recovery) is a no-op.
import { Queue, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { BACKOFF_TYPE, type RetryPolicy } from './retry-policy.js';

export const INGEST_QUEUE = 'ingest';
export const deliverQueueName = (destinationId: string) => `deliver.${destinationId}`;
export const ingestJobId = (messageId: string) => `${messageId}.ingest`;
export const deliverJobId = (messageId: string, destinationId: string) => `${messageId}.deliver.${destinationId}`;

export interface JobData {
  messageId: string;
}

export interface QueueConnections {
  /** For Queue producers: fails fast when Redis is away (the store keeps the message). */
  producer: Redis;
  /** Factory for Worker connections (BullMQ needs maxRetriesPerRequest: null and one each). */
  worker: () => Redis;
  prefix: string;
  close(): Promise<void>;
}

export function connectRedis(url: string, prefix: string): QueueConnections {
  const base: RedisOptions = { lazyConnect: false };
  const workers: Redis[] = [];
  const producer = new Redis(url, { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  // Errors surface on commands; the 'error' event only says a reconnect is under way.
  producer.on('error', () => undefined);
  return {
    producer,
    prefix,
    worker: () => {
      const connection = new Redis(url, { ...base, maxRetriesPerRequest: null });
      connection.on('error', () => undefined);
      workers.push(connection);
      return connection;
    },
    async close() {
      await Promise.all([producer, ...workers].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

interface PendingJob {
  name: string;
  data: JobData;
  opts: JobsOptions;
}

/** Producers for every queue, adding jobs in bulk: concurrent enqueues of one tick share a round trip. */
export class Queues {
  private readonly queues = new Map<string, Queue<JobData>>();
  private pending = new Map<string, { job: PendingJob; resolve: () => void; reject: (e: unknown) => void }[]>();
  private scheduled = false;

  constructor(
    private readonly connections: QueueConnections,
    private readonly policies: Map<string, RetryPolicy>,
  ) {}

  queue(name: string): Queue<JobData> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<JobData>(name, { connection: this.connections.producer, prefix: this.connections.prefix });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  enqueueIngest(messageId: string, policy: RetryPolicy): Promise<void> {
    return this.add(INGEST_QUEUE, { name: 'ingest', data: { messageId }, opts: jobOptions(ingestJobId(messageId), policy) });
  }

  enqueueDelivery(messageId: string, destinationId: string, priority?: number): Promise<void> {
    const policy = this.policies.get(destinationId);
    if (!policy) throw new Error(`no retry policy for destination ${destinationId}`);
    const opts = jobOptions(deliverJobId(messageId, destinationId), policy);
    if (priority !== undefined) opts.priority = priority;
    return this.add(deliverQueueName(destinationId), { name: 'deliver', data: { messageId }, opts });
  }

  private add(queueName: string, job: PendingJob): Promise<void> {
    return new Promise((resolve, reject) => {
      const list = this.pending.get(queueName) ?? [];
      list.push({ job, resolve, reject });
      this.pending.set(queueName, list);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batches = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    for (const [queueName, entries] of batches) {
      this.queue(queueName)
        .addBulk(entries.map((e) => e.job))
        .then(
          () => entries.forEach((e) => e.resolve()),
          (error: unknown) => entries.forEach((e) => e.reject(error)),
        );
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

function jobOptions(jobId: string, policy: RetryPolicy): JobsOptions {
  return {
    jobId,
    attempts: policy.attempts,
    backoff: { type: BACKOFF_TYPE },
    // The store is the record: finished jobs are removed so Redis holds only work in progress.
    removeOnComplete: true,
    removeOnFail: true,
  };
}
