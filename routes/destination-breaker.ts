// Puts a circuit breaker between one destination's BullMQ worker and its connector: reports each
// delivery's answer to the breaker, pauses the worker locally while the breaker is open (or its
// probe is out) so waiting jobs stay in the queue with their attempts, and resumes it after.
import { DelayedError, type Job, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import { ClaimhubError, TransientError } from '../canonical-model/errors.js';
import type { Delivery, Destination } from '../connectors/destination.js';
import { CircuitBreaker, type BreakerSettings, type BreakerState, type BreakerTransition, type Permit } from './circuit-breaker.js';
import type { JobData } from './queues.js';

export class DestinationBreaker {
  private readonly breaker: CircuitBreaker;
  private worker: Worker<JobData> | undefined;
  /** Permits of the deliveries under way, by message id (one delivery job per message here). */
  private readonly permits = new Map<string, Permit>();
  private probeTimer: NodeJS.Timeout | undefined;
  private switching: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly destinationId: string,
    settings: BreakerSettings,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.breaker = new CircuitBreaker(settings, (transition) => this.transitioned(transition), now);
  }

  /** The worker to pause and resume; it runs the processor made by `gate`. */
  attach(worker: Worker<JobData>): void {
    this.worker = worker;
  }

  state(): BreakerState {
    return this.breaker.state();
  }

  /** The destination, its answers reported to the breaker. */
  observe(destination: Destination): Destination {
    const deliver = async (delivery: Delivery) => {
      const permit = this.permits.get(delivery.messageId);
      try {
        const receipt = await destination.deliver(delivery);
        if (permit) this.breaker.answered(permit);
        return receipt;
      } catch (error) {
        if (permit && error instanceof TransientError) this.breaker.failed(permit, { class: error.errorClass, message: error.message });
        // A permanent refusal (400, HL7 AE) is an answer: the endpoint is up.
        else if (permit && error instanceof ClaimhubError) this.breaker.answered(permit);
        throw error;
      }
    };
    return { id: destination.id, type: destination.type, submitsClaims: destination.submitsClaims, deliver };
  }

  /** Wraps the delivery processor: a job the breaker holds back goes back to the queue uncounted. */
  gate(process: (job: Job<JobData>) => Promise<void>): (job: Job<JobData>, token?: string) => Promise<void> {
    return async (job, token) => {
      const admission = this.breaker.admit();
      if (!admission.admitted) {
        // Delayed with skipAttempt: the job keeps every attempt of its retry policy.
        await job.moveToDelayed(admission.retryAt, token);
        await this.switching;
        throw new DelayedError();
      }
      const { messageId } = job.data;
      this.permits.set(messageId, admission);
      if (admission.probe) this.sync();
      try {
        await process(job);
      } finally {
        this.permits.delete(messageId);
        this.breaker.released(admission);
        if (admission.probe) this.sync();
      }
    };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
  }

  private transitioned({ from, to, state }: BreakerTransition): void {
    const context = { destination: this.destinationId, from, consecutiveFailures: state.consecutiveFailures, lastError: state.lastError };
    if (to === 'open') {
      this.log.warn({ ...context, until: state.until }, 'circuit breaker open: deliveries held');
    } else if (to === 'half-open') {
      this.log.info(context, 'circuit breaker half-open: one probe delivery');
    } else {
      this.log.info(context, 'circuit breaker closed: deliveries resumed');
    }
    this.sync();
  }

  private lookAgainAt(time: number): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => this.sync(), Math.max(0, time - this.now()) + 1).unref();
  }

  /** Pauses the worker while the breaker holds deliveries back, resumes it otherwise (in order). */
  private sync(): void {
    this.switching = this.switching
      .then(async () => {
        const worker = this.worker;
        if (!worker || this.closed) return;
        const reopensAt = this.breaker.reopensAt;
        // The open breaker becomes half-open at the first look at its state after the cooldown.
        if (reopensAt !== undefined) this.lookAgainAt(reopensAt);
        const hold = reopensAt !== undefined || this.breaker.probing;
        // pause(true): do not wait for the active jobs, whose answers the breaker still takes.
        if (hold && !worker.isPaused()) await worker.pause(true);
        else if (!hold && worker.isPaused()) await worker.resume();
      })
      .catch((error: unknown) =>
        this.log.warn(
          { destination: this.destinationId, err: error instanceof Error ? error.message : String(error) },
          'circuit breaker: pause/resume failed',
        ),
      );
  }
}
