// Recovery sweeper: Redis is the transport, not the record. Messages whose status says work is
// pending are re-enqueued (at start-up all of them, then periodically those idle for a while);
// deterministic job ids make this a no-op for jobs that still exist.
import type { Logger } from 'pino';
import type { InFlightCursor, MessageReader } from '../store/messages.js';
import type { Queues } from './queues.js';
import type { RetryPolicy } from './retry-policy.js';

export interface RecoveryOptions {
  intervalMs: number;
  /** A message idle this long in an in-flight status is considered lost by its job. */
  graceSeconds: number;
}

const PAGE = 1000;

export class RecoverySweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly reader: MessageReader,
    private readonly queues: Queues,
    private readonly ingestPolicy: RetryPolicy,
    private readonly log: Logger,
    private readonly options: RecoveryOptions,
  ) {}

  /** Re-enqueues in-flight messages idle for `graceSeconds`; returns how many it looked at. */
  async sweep(graceSeconds = this.options.graceSeconds): Promise<number> {
    let total = 0;
    let after: InFlightCursor | undefined;
    for (;;) {
      const page = await this.reader.inFlight(graceSeconds, PAGE, after);
      await Promise.all(page.map((m) => this.queues.enqueueIngest(m.id, this.ingestPolicy)));
      total += page.length;
      if (page.length < PAGE) break;
      after = page[page.length - 1];
    }
    if (total > 0) this.log.info({ messages: total }, 'recovery: re-enqueued in-flight messages');
    return total;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((error: unknown) => {
          this.log.warn({ err: (error as Error).message }, 'recovery sweep failed; will try again');
          return 0;
        })
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
