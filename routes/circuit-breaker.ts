// The circuit breaker of one destination, as pure logic over an injectable clock: closed until
// `failures` retryable failures in a row, then open for a cooldown (doubling after each failed
// probe, capped), then half-open, where exactly one delivery goes through as a probe.

export interface BreakerSettings {
  /** Consecutive retryable failures that open the breaker. */
  failures: number;
  /** How long the breaker stays open before the first probe. */
  cooldownMs: number;
  /** Cap of the cooldown, which doubles after every failed probe. */
  maxCooldownMs: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = { failures: 5, cooldownMs: 30_000, maxCooldownMs: 600_000 };

export type BreakerStateName = 'closed' | 'open' | 'half-open';

/** The last retryable failure, as stored errors are (class and message, no payload). */
export interface BreakerError {
  class: string;
  message: string;
}

export interface BreakerState {
  state: BreakerStateName;
  /** ISO time the breaker last opened (while open or half-open). */
  openedAt?: string;
  /** ISO time the open breaker lets its probe through. */
  until?: string;
  consecutiveFailures: number;
  lastError?: BreakerError;
}

/** A delivery let through; its outcome is reported with it. */
export interface Permit {
  readonly probe: boolean;
  /** The stretch of state it was issued in: outcomes of permits from an earlier stretch are ignored. */
  readonly epoch: number;
}

export type Admission = ({ admitted: true } & Permit) | { admitted: false; retryAt: number };

export interface BreakerTransition {
  from: BreakerStateName;
  to: BreakerStateName;
  state: BreakerState;
}

// While the probe is out, other deliveries look again after this long (or the cooldown, if shorter).
const PROBE_RECHECK_MS = 1_000;

export class CircuitBreaker {
  private name: BreakerStateName = 'closed';
  private epoch = 0;
  private consecutiveFailures = 0;
  private cooldownMs: number;
  private openedAt = 0;
  private until = 0;
  private probeOut = false;
  private lastError: BreakerError | undefined;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly onTransition: (transition: BreakerTransition) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.cooldownMs = settings.cooldownMs;
  }

  /** The state now; an open breaker whose cooldown is over becomes half-open here. */
  current(): BreakerStateName {
    if (this.name === 'open' && this.now() >= this.until) this.moveTo('half-open');
    return this.name;
  }

  /** True while the half-open breaker's one probe is out. */
  get probing(): boolean {
    return this.current() === 'half-open' && this.probeOut;
  }

  /** When the open breaker lets its probe through (epoch ms), or undefined unless open. */
  get reopensAt(): number | undefined {
    return this.current() === 'open' ? this.until : undefined;
  }

  /** Asks to deliver now: closed lets everything through, half-open one probe, open nothing. */
  admit(): Admission {
    const state = this.current();
    if (state === 'open') return { admitted: false, retryAt: this.until };
    if (state === 'half-open') {
      if (this.probeOut) return { admitted: false, retryAt: this.now() + Math.min(this.cooldownMs, PROBE_RECHECK_MS) };
      this.probeOut = true;
      return { admitted: true, probe: true, epoch: this.epoch };
    }
    return { admitted: true, probe: false, epoch: this.epoch };
  }

  /** The endpoint answered: delivered, or refused for good (a 400 or an AE is an answer). */
  answered(permit: Permit): void {
    if (permit.epoch !== this.epoch) return;
    this.consecutiveFailures = 0;
    if (this.name === 'half-open') {
      this.cooldownMs = this.settings.cooldownMs;
      this.moveTo('closed');
    }
  }

  /** A retryable failure: network, timeout, 5xx, 429, HL7 AR. */
  failed(permit: Permit, error: BreakerError): void {
    if (permit.epoch !== this.epoch) return;
    this.lastError = error;
    this.consecutiveFailures += 1;
    if (this.name === 'half-open') {
      this.cooldownMs = Math.min(this.cooldownMs * 2, this.settings.maxCooldownMs);
      this.open();
    } else if (this.consecutiveFailures >= this.settings.failures) {
      this.open();
    }
  }

  /** The permit was not used to reach the endpoint (nothing to send): a probe slot frees up. */
  released(permit: Permit): void {
    if (permit.epoch !== this.epoch || !permit.probe || !this.probeOut) return;
    this.probeOut = false;
  }

  state(): BreakerState {
    const state = this.current();
    return {
      state,
      ...(state === 'closed' ? {} : { openedAt: new Date(this.openedAt).toISOString() }),
      ...(state === 'open' ? { until: new Date(this.until).toISOString() } : {}),
      consecutiveFailures: this.consecutiveFailures,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private open(): void {
    this.openedAt = this.now();
    this.until = this.openedAt + this.cooldownMs;
    this.moveTo('open');
  }

  private moveTo(to: BreakerStateName): void {
    const from = this.name;
    this.name = to;
    this.epoch += 1;
    this.probeOut = false;
    this.onTransition({ from, to, state: this.state() });
  }
}
