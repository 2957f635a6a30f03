import assert from 'node:assert/strict';
import { CircuitBreaker, type Admission, type BreakerTransition, type Permit } from '../../routes/circuit-breaker.js';

const settings = { failures: 3, cooldownMs: 1_000, maxCooldownMs: 3_000 };
const down = { class: 'transient', message: 'cannot connect (ECONNREFUSED)' };

function setUp() {
  const clock = { now: 1_000_000 };
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker(
    settings,
    (t) => transitions.push(t),
    () => clock.now,
  );
  return { clock, transitions, breaker, moves: () => transitions.map((t) => `${t.from}>${t.to}`) };
}

function permitOf(admission: Admission): Permit {
  assert.ok(admission.admitted, 'expected the delivery to be let through');
  return admission;
}

/** Lets `n` deliveries through and fails each. */
function failTimes(breaker: CircuitBreaker, n: number) {
  for (let i = 0; i < n; i++) breaker.failed(permitOf(breaker.admit()), down);
}

describe('circuit breaker', () => {
  it('lets every delivery through while closed, and opens after `failures` retryable failures in a row', () => {
    const { breaker, moves } = setUp();
    failTimes(breaker, 2);
    assert.equal(breaker.current(), 'closed');
    failTimes(breaker, 1);
    assert.equal(breaker.current(), 'open');
    assert.deepEqual(moves(), ['closed>open']);
    const state = breaker.state();
    assert.equal(state.consecutiveFailures, 3);
    assert.deepEqual(state.lastError, down);
    assert.equal(state.openedAt, new Date(1_000_000).toISOString());
    assert.equal(state.until, new Date(1_001_000).toISOString());
  });

  it('does not count a permanent refusal: the endpoint answered, and the run of failures starts over', () => {
    const { breaker } = setUp();
    failTimes(breaker, 2);
    breaker.answered(permitOf(breaker.admit()));
    failTimes(breaker, 2);
    assert.equal(breaker.current(), 'closed');
    assert.equal(breaker.state().consecutiveFailures, 2);
  });

  it('holds every delivery back while open, until the end of the cooldown', () => {
    const { breaker, clock } = setUp();
    failTimes(breaker, 3);
    clock.now += 999;
    assert.deepEqual(breaker.admit(), { admitted: false, retryAt: 1_001_000 });
  });

  it('lets exactly one probe through once half-open, and closes when it succeeds', () => {
    const { breaker, clock, moves } = setUp();
    failTimes(breaker, 3);
    clock.now += 1_000;
    assert.equal(breaker.current(), 'half-open');
    const probe = permitOf(breaker.admit());
    assert.equal(probe.probe, true);
    assert.equal(breaker.probing, true);
    const other = breaker.admit();
    assert.equal(other.admitted, false, 'a second delivery while the probe is out');
    breaker.answered(probe);
    assert.equal(breaker.current(), 'closed');
    assert.deepEqual(moves(), ['closed>open', 'open>half-open', 'half-open>closed']);
    assert.equal(breaker.state().consecutiveFailures, 0);
    assert.equal(permitOf(breaker.admit()).probe, false);
  });

  it('reopens when the probe fails, doubling the cooldown up to its cap', () => {
    const { breaker, clock } = setUp();
    failTimes(breaker, 3);
    const cooldowns: number[] = [];
    for (let i = 0; i < 3; i++) {
      clock.now = breaker.reopensAt!;
      const opened = clock.now;
      breaker.failed(permitOf(breaker.admit()), down);
      assert.equal(breaker.current(), 'open');
      cooldowns.push(breaker.reopensAt! - opened);
    }
    assert.deepEqual(cooldowns, [2_000, 3_000, 3_000]);
  });

  it('starts again from the first cooldown after it has closed', () => {
    const { breaker, clock } = setUp();
    failTimes(breaker, 3);
    clock.now = breaker.reopensAt!;
    breaker.failed(permitOf(breaker.admit()), down);
    clock.now = breaker.reopensAt!;
    breaker.answered(permitOf(breaker.admit()));
    failTimes(breaker, 3);
    assert.equal(breaker.reopensAt! - clock.now, 1_000);
  });

  it('frees the probe slot when the probe sent nothing (already delivered)', () => {
    const { breaker, clock } = setUp();
    failTimes(breaker, 3);
    clock.now += 1_000;
    const probe = permitOf(breaker.admit());
    breaker.released(probe);
    assert.equal(breaker.current(), 'half-open');
    assert.equal(breaker.probing, false);
    assert.equal(permitOf(breaker.admit()).probe, true);
  });

  it('ignores answers of deliveries let through before the state changed', () => {
    const { breaker, clock } = setUp();
    const lateFailure = permitOf(breaker.admit());
    const lateSuccess = permitOf(breaker.admit());
    failTimes(breaker, 3);
    breaker.failed(lateFailure, down);
    assert.equal(breaker.state().consecutiveFailures, 3, 'a delivery still out when it opened does not count');
    clock.now += 1_000;
    const probe = permitOf(breaker.admit());
    breaker.answered(lateSuccess);
    assert.equal(breaker.current(), 'half-open', 'only the probe decides');
    breaker.released(lateSuccess);
    assert.equal(breaker.probing, true);
    breaker.answered(probe);
    assert.equal(breaker.current(), 'closed');
  });
});
