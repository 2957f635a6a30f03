// Retry policy of a queue: how many attempts, and how long to wait before each retry
// (exponential with full jitter, capped, and never shorter than a server's Retry-After).
import { TransientError } from '../canonical-model/errors.js';

export interface RetryPolicy {
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delayMs: number; maxMs: number };
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 8,
  backoff: { type: 'exponential', delayMs: 1_000, maxMs: 600_000 },
};

/** Delay before retry number `attemptsMade` (1 = after the first failure). */
export function retryDelay(policy: RetryPolicy, attemptsMade: number, error?: unknown, random = Math.random): number {
  const { type, delayMs, maxMs } = policy.backoff;
  const ceiling = type === 'fixed' ? delayMs : Math.min(maxMs, delayMs * 2 ** Math.max(0, attemptsMade - 1));
  // Jitter spreads retries of many messages that failed together (half fixed, half random), so a
  // recovering endpoint is not hit by a synchronized wave.
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
  const requested = error instanceof TransientError ? (error.retryAfterMs ?? 0) : 0;
  return Math.min(Math.max(delay, requested), Math.max(maxMs, requested));
}

/** BullMQ's name for our backoff strategy; jobs carry `{ type: BACKOFF_TYPE }`. */
export const BACKOFF_TYPE = 'claimhub';
