// A billing system that is down (it answers every DFT with AR, a retryable rejection) behind a
// circuit breaker of 3 failures and a 1 s cooldown: the hub stops sending after three attempts,
// probes it once per cooldown (doubling), and once it is back delivers every held claim exactly
// once. The jobs keep their attempts while held: with retry attempts 3, none is dead-lettered.
import assert from 'node:assert/strict';
import { readAcknowledgement } from '../../connectors/hl7v2/write/acknowledgement.js';
import { MllpClient } from '../../connectors/hl7v2/mllp-client.js';
import type { BreakerState } from '../../routes/circuit-breaker.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { billingConfig, startBillingSystem, type BillingSystem } from './billing-system.js';
import { mappableDft } from './hl7-fixtures.js';

const MESSAGES = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a circuit breaker in front of a billing system that is down (postgres)', function () {
  this.timeout(120_000);
  let billing: BillingSystem;
  let t: TestHub;

  before(async () => {
    billing = await startBillingSystem();
    const config = billingConfig(billing.port, 3).replace(
      '    retry:',
      '    circuitBreaker: { failures: 3, cooldown: 1s, maxCooldown: 10s }\n    retry:',
    );
    t = await startTestHub('postgres', config);
  });
  after(async () => {
    await t?.stop();
    await billing?.close();
  });

  const breaker = async () => {
    const { queues } = (await (await t.call('GET', '/v1/queues')).json()) as { queues: { destination?: string; breaker?: BreakerState }[] };
    return queues.find((q) => q.destination === 'billing')!.breaker!;
  };
  const count = async (sql: string) => (await t.hub.store.db.query<{ n: number }>(sql)).rows[0].n;

  it('stops after 3 attempts, probes once per cooldown, keeps the queue, and delivers all ten once when the endpoint is back', async () => {
    billing.script.push(...Array.from({ length: 1_000 }, () => 'AR'));
    const client = await MllpClient.connect({ host: '127.0.0.1', port: t.hub.mllpPorts.mllp });
    for (let i = 0; i < MESSAGES; i++) assert.equal(readAcknowledgement(await client.send(mappableDft(`CB-${i}`))).code, 'AA');
    await client.close();

    const opened = await eventually(async () => ((await breaker()).state === 'open' ? breaker() : undefined), 30_000, 'breaker open');
    assert.equal(billing.received.length, 3, 'three failures in a row open it (one delivery at a time over MLLP)');
    assert.equal(opened.consecutiveFailures, 3);
    assert.equal(opened.lastError?.class, 'transient');
    assert.match(opened.lastError?.message ?? '', /AR/);
    const openedAt = Date.parse(opened.openedAt!);

    // 1 s cooldown: nothing, then one probe (an AR again), which doubles the cooldown to 2 s.
    await eventually(async () => (billing.received.length === 4 ? true : undefined), 10_000, 'first probe');
    const probe = billing.received[3];
    assert.ok(probe.at - openedAt >= 1_000, `no attempt during the cooldown (probe after ${probe.at - openedAt} ms)`);
    await sleep(300);
    assert.equal(billing.received.length, 4, 'one probe, not one per held job');
    const reopened = await breaker();
    assert.equal(reopened.state, 'open');
    assert.equal(Date.parse(reopened.until!) - Date.parse(reopened.openedAt!), 2_000);
    await sleep(1_000);
    assert.equal(billing.received.length, 4, 'nothing during the doubled cooldown');
    assert.equal(
      await count("SELECT count(*)::int AS n FROM dead_letters WHERE destination_id = 'billing'"),
      0,
      'no job lost its attempts',
    );

    // The billing system is back: the next probe is accepted, the breaker closes, the queue drains.
    billing.script.splice(0);
    await eventually(
      async () => ((await count("SELECT count(*)::int AS n FROM messages WHERE status = 'delivered'")) === MESSAGES ? true : undefined),
      30_000,
      'all delivered',
    );
    const accepted = billing.received.slice(5);
    assert.equal(billing.received[4].at - Date.parse(reopened.openedAt!) >= 2_000, true, 'the second probe waited the doubled cooldown');
    assert.equal(accepted.length + 1, MESSAGES, 'after the accepted probe, one DFT for each of the other nine');
    assert.equal(new Set(billing.received.slice(4).map((r) => r.controlId)).size, MESSAGES, 'each claim accepted exactly once');
    assert.equal(billing.received.length, 5 + MESSAGES - 1, '3 failures + 2 probes, then the rest: nothing sent twice');
    assert.equal(await count("SELECT count(*)::int AS n FROM dead_letters WHERE destination_id = 'billing'"), 0);
    assert.equal(
      await count("SELECT count(*)::int AS n FROM message_events WHERE event = 'failed'"),
      4,
      'only real attempts are in the lineage',
    );
    // Held back again and again, the six claims never sent before were delivered on their first attempt.
    assert.equal(await count('SELECT count(*)::int AS n FROM deliveries WHERE attempts = 1'), MESSAGES - 4);
    assert.equal(await count('SELECT count(*)::int AS n FROM deliveries WHERE attempts = 2'), 4);
    assert.equal((await breaker()).state, 'closed');
  });
});
