import assert from 'node:assert/strict';
import { pino } from 'pino';
import { TransientError } from '../../canonical-model/errors.js';
import type { Delivery, Destination } from '../../connectors/destination.js';
import { createTranslator } from '../../mappings/translate.js';
import { connectRedis, Queues, type QueueConnections } from '../../routes/queues.js';
import type { RetryPolicy } from '../../routes/retry-policy.js';
import { Router } from '../../routes/router.js';
import { Workers } from '../../routes/workers.js';
import { eventually } from '../support/eventually.js';
import { storeMappedClaim } from '../support/mapped-message.js';
import { clearRedisPrefix, openTestStore, REDIS_URL, uniqueName, type TestStore } from '../support/services.js';

/** An endpoint that is down (503) until told otherwise, and remembers when it was called. */
class SwitchableDestination implements Destination {
  readonly id = 'ledger';
  readonly type = 'scripted';
  up = false;
  calls: { messageId: string; at: number; ok: boolean }[] = [];
  async deliver(delivery: Delivery) {
    const call = { messageId: delivery.messageId, at: Date.now(), ok: this.up };
    this.calls.push(call);
    await new Promise((r) => setTimeout(r, 20));
    if (!call.ok) throw new TransientError('503 Service Unavailable from ledger');
    return { ok: true };
  }
}

const retry: RetryPolicy = { attempts: 3, backoff: { type: 'fixed', delayMs: 100, maxMs: 100 } };

describe('a destination behind a circuit breaker (PostgreSQL + Redis)', function () {
  this.timeout(60_000);
  let t: TestStore;
  let connections: QueueConnections;
  let queues: Queues;
  let workers: Workers;
  const ledger = new SwitchableDestination();
  const prefix = uniqueName('chtest');

  before(async () => {
    t = await openTestStore('postgres');
    connections = connectRedis(REDIS_URL, prefix);
    queues = new Queues(connections, new Map([[ledger.id, retry]]));
    workers = new Workers({
      connections,
      reader: t.store.reader,
      commits: t.store.commits,
      translator: await createTranslator(),
      router: new Router([{ name: 'all', to: [ledger.id] }], 'first-match', new Set([ledger.id])),
      queues,
      log: pino({ level: 'silent' }),
      ingest: { concurrency: 8, retry },
      destinations: [{ destination: ledger, retry, concurrency: 4, breaker: { failures: 3, cooldownMs: 1_000, maxCooldownMs: 10_000 } }],
    });
    workers.start();
  });
  after(async () => {
    await workers.close();
    await queues.close();
    await connections.close();
    await clearRedisPrefix(prefix);
    await t.close();
  });

  async function storeMapped(): Promise<string> {
    const id = await storeMappedClaim(t.store.commits);
    await queues.enqueueIngest(id, retry);
    return id;
  }

  it('stops calling a dead endpoint, probes it once per cooldown, and delivers every held job once it is back', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, () => storeMapped()));
    await eventually(async () => (workers.breakerStates().ledger.state === 'open' ? true : undefined), 15_000, 'breaker open');
    const openedAt = Date.parse(workers.breakerStates().ledger.openedAt!);
    const beforeOpen = ledger.calls.filter((c) => c.at <= openedAt).length;
    // Concurrency 4: while the first three fail, up to three more deliveries were already let through.
    assert.ok(beforeOpen >= 3 && beforeOpen <= 6, `3 failures open it (plus the ones already out): ${beforeOpen}`);

    // Cooldown 1 s: nothing for a second, then one probe, which fails and doubles the cooldown.
    await eventually(async () => (workers.breakerStates().ledger.consecutiveFailures >= 4 ? true : undefined), 5_000, 'first probe');
    const firstProbe = ledger.calls.filter((c) => c.at > openedAt);
    assert.equal(firstProbe.length, 1, 'exactly one probe');
    assert.ok(firstProbe[0].at - openedAt >= 1_000, `no call during the cooldown (${firstProbe[0].at - openedAt} ms)`);
    assert.equal(workers.breakerStates().ledger.state, 'open');
    assert.equal(workers.breakerStates().ledger.lastError?.class, 'transient');

    ledger.up = true;
    const reopenedAt = Date.parse(workers.breakerStates().ledger.openedAt!);
    for (const id of ids) {
      await eventually(async () => ((await t.store.reader.view(id))?.status === 'delivered' ? true : undefined), 20_000, `${id} delivered`);
    }
    const afterReopen = ledger.calls.filter((c) => c.at > reopenedAt);
    assert.ok(afterReopen[0].at - reopenedAt >= 2_000, 'the second probe waits the doubled cooldown');
    assert.equal(ledger.calls.filter((c) => c.ok).length, 10, 'each message delivered once');
    assert.equal(new Set(ledger.calls.filter((c) => c.ok).map((c) => c.messageId)).size, 10);
    const { rows } = await t.store.db.query('SELECT 1 FROM dead_letters WHERE message_id = ANY($1)', [ids]);
    assert.equal(rows.length, 0, 'no job lost its attempts while the breaker held it');
    assert.equal(workers.breakerStates().ledger.state, 'closed');
  });
});
