// Starts the BullMQ workers of one hub process: "ingest" and one "deliver.<id>" per destination,
// each with its retry policy as the backoff strategy (and a destination's circuit breaker), and
// drains them on shutdown.
import type { SubmittedClaimLookup } from './acknowledgement-stage.js';
import type { OpenClaimLookup } from './patient-update-stage.js';
import { Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Destination } from '../connectors/destination.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { MessageReader } from '../store/messages.js';
import type { BreakerSettings, BreakerState } from './circuit-breaker.js';
import { deliveryStage, deliverActor } from './delivery-stage.js';
import { DestinationBreaker } from './destination-breaker.js';
import { ingestStage, INGEST_ACTOR } from './ingest-stage.js';
import { deliverQueueName, INGEST_QUEUE, type JobData, type QueueConnections, type Queues } from './queues.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';
import type { Router } from './router.js';
import { stageProcessor } from './stage-runner.js';
import type { Translator } from './stage-units.js';

export interface WorkerSetup {
  connections: QueueConnections;
  reader: MessageReader;
  commits: GroupCommit;
  translator: Translator;
  router: Router;
  queues: Queues;
  log: Logger;
  ingest: { concurrency: number; retry: RetryPolicy };
  /** `breaker` unset: the destination has no circuit breaker. */
  destinations: { destination: Destination; retry: RetryPolicy; concurrency: number; breaker?: BreakerSettings; mapping?: string }[];
  /** Finds the claims an inbound acknowledgement answers (see acknowledgement-stage.ts). */
  submittedClaims?: SubmittedClaimLookup;
  /** Finds a patient's open claims for an inbound patient update (see patient-update-stage.ts). */
  openClaims?: OpenClaimLookup;
}

// A crashed worker's active jobs are taken over after the lock expires; keep that short so a
// restarted hub resumes within seconds, with renewals (every lockDuration/2) well inside it.
const LOCK_DURATION_MS = 10_000;
const STALLED_INTERVAL_MS = 5_000;

export class Workers {
  private readonly workers: Worker<JobData>[] = [];
  private readonly breakers = new Map<string, DestinationBreaker>();

  constructor(private readonly setup: WorkerSetup) {}

  start(): void {
    const { setup } = this;
    this.add(
      INGEST_QUEUE,
      setup.ingest.concurrency,
      setup.ingest.retry,
      stageProcessor(setup.commits, setup.reader, setup.log, { stage: 'ingest', actor: INGEST_ACTOR }, ingestStage(setup)),
    );
    for (const { destination, retry, concurrency, breaker: settings, mapping } of setup.destinations) {
      const breaker = settings && new DestinationBreaker(destination.id, settings, setup.log);
      const work = deliveryStage({
        reader: setup.reader,
        commits: setup.commits,
        destination: breaker ? breaker.observe(destination) : destination,
        ...(mapping ? { outbound: { mapping, translator: setup.translator } } : {}),
      });
      const processor = stageProcessor(
        setup.commits,
        setup.reader,
        setup.log,
        { stage: 'deliver', destinationId: destination.id, actor: deliverActor(destination.id) },
        work,
      );
      const worker = this.add(deliverQueueName(destination.id), concurrency, retry, breaker ? breaker.gate(processor) : processor);
      if (breaker) {
        breaker.attach(worker);
        this.breakers.set(destination.id, breaker);
      }
    }
  }

  /** The circuit breaker of every destination that has one, by destination id. */
  breakerStates(): Record<string, BreakerState> {
    return Object.fromEntries([...this.breakers].map(([id, breaker]) => [id, breaker.state()]));
  }

  private add(
    queueName: string,
    concurrency: number,
    retry: RetryPolicy,
    processor: (job: Job<JobData>, token?: string) => Promise<void>,
  ): Worker<JobData> {
    const worker = new Worker<JobData>(queueName, processor, {
      connection: this.setup.connections.worker(),
      prefix: this.setup.connections.prefix,
      concurrency,
      lockDuration: LOCK_DURATION_MS,
      stalledInterval: STALLED_INTERVAL_MS,
      settings: { backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) => retryDelay(retry, attemptsMade, error) },
    });
    worker.on('error', (error) => this.setup.log.warn({ queue: queueName, err: error.message }, 'worker error'));
    this.workers.push(worker);
    return worker;
  }

  /** Lets active jobs finish, then stops taking new ones. */
  async close(): Promise<void> {
    for (const breaker of this.breakers.values()) breaker.close();
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
