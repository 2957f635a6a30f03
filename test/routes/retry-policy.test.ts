import assert from 'node:assert/strict';
import { TransientError } from '../../canonical-model/errors.js';
import { retryDelay, type RetryPolicy } from '../../routes/retry-policy.js';

const policy: RetryPolicy = { attempts: 8, backoff: { type: 'exponential', delayMs: 1000, maxMs: 10_000 } };

describe('retry policy', () => {
  it('doubles the delay ceiling each attempt, with jitter between half and all of it', () => {
    assert.equal(
      retryDelay(policy, 1, undefined, () => 0),
      500,
    );
    assert.equal(
      retryDelay(policy, 1, undefined, () => 1),
      1000,
    );
    assert.equal(
      retryDelay(policy, 3, undefined, () => 1),
      4000,
    );
    assert.equal(
      retryDelay(policy, 3, undefined, () => 0),
      2000,
    );
  });

  it('never waits longer than the cap', () => {
    assert.equal(
      retryDelay(policy, 20, undefined, () => 1),
      10_000,
    );
  });

  it('waits at least as long as the server asked with Retry-After', () => {
    const busy = new TransientError('429', { retryAfterMs: 7_000 });
    assert.equal(
      retryDelay(policy, 1, busy, () => 0),
      7_000,
    );
    const veryBusy = new TransientError('503', { retryAfterMs: 60_000 });
    assert.equal(
      retryDelay(policy, 1, veryBusy, () => 0),
      60_000,
      'Retry-After beyond the cap is still honoured',
    );
  });

  it('keeps a fixed delay fixed (with jitter)', () => {
    const fixed: RetryPolicy = { attempts: 3, backoff: { type: 'fixed', delayMs: 200, maxMs: 1000 } };
    assert.equal(
      retryDelay(fixed, 5, undefined, () => 1),
      200,
    );
  });
});
