import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { DeliveryRefusedError, TransientError } from '../../canonical-model/errors.js';
import type { Delivery, Destination } from '../../connectors/destination.js';
import { connectRedis, Queues, type QueueConnections } from '../../routes/queues.js';
import { RecoverySweeper } from '../../routes/recovery.js';
import { Router } from '../../routes/router.js';
import type { Translator } from '../../routes/stage-units.js';
import { Workers } from '../../routes/workers.js';
import type { RetryPolicy } from '../../routes/retry-policy.js';
import { readFile } from 'node:fs/promises';
import { createTranslator } from '../../mappings/translate.js';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { storeMappedClaim } from '../support/mapped-message.js';
import { clearRedisPrefix, openTestStore, REDIS_URL, uniqueName, type TestStore } from '../support/services.js';

/** A destination whose answers the test scripts: succeed, fail for now, or refuse for good. */
class ScriptedDestination implements Destination {
  readonly type = 'scripted';
  deliveries: Delivery[] = [];
  attemptsByMessage = new Map<string, number>();
  constructor(
    readonly id: string,
    private readonly answer: (attempt: number) => 'ok' | 'transient' | 'refuse',
  ) {}
  async deliver(delivery: Delivery) {
    const attempt = (this.attemptsByMessage.get(delivery.messageId) ?? 0) + 1;
    this.attemptsByMessage.set(delivery.messageId, attempt);
    const answer = this.answer(attempt);
    if (answer === 'transient') throw new TransientError(`503 from ${this.id}`);
    if (answer === 'refuse')
      throw new DeliveryRefusedError(`400 from ${this.id}`, [{ path: 'body', rule: 'http-400', message: 'bad claim' }]);
    this.deliveries.push(delivery);
    return { ok: true };
  }
}

const fast: RetryPolicy = { attempts: 4, backoff: { type: 'exponential', delayMs: 20, maxMs: 200 } };

describe('queue workers: retries, dead letters and recovery (PostgreSQL + Redis)', function () {
  this.timeout(30_000);
  let t: TestStore;
  let connections: QueueConnections;
  let queues: Queues;
  let workers: Workers;
  const flaky = new ScriptedDestination('flaky', (n) => (n <= 2 ? 'transient' : 'ok'));
  const strict = new ScriptedDestination('strict', () => 'refuse');
  const down = new ScriptedDestination('down', () => 'transient');
  const outbox = new ScriptedDestination('outbox', () => 'ok');
  const prefix = uniqueName('chtest');
  const log = pino({ level: 'silent' });

  let translator: Translator;
  before(async () => {
    t = await openTestStore('postgres');
    translator = await createTranslator();
    connections = connectRedis(REDIS_URL, prefix);
    const all = [flaky, strict, down, outbox];
    queues = new Queues(connections, new Map(all.map((d) => [d.id, fast])));
    const router = new Router(
      [
        { name: 'flaky', when: "claimNumber = 'FLAKY'", to: ['flaky'] },
        { name: 'strict', when: "claimNumber = 'STRICT'", to: ['strict'] },
        { name: 'down', when: "claimNumber = 'DOWN'", to: ['down'] },
        { name: 'fan', when: "claimNumber = 'FAN'", to: ['outbox', 'flaky'] },
        { name: 'rest', when: "claimNumber != 'NOWHERE'", to: ['outbox'] },
      ],
      'first-match',
      new Set(all.map((d) => d.id)),
    );
    workers = new Workers({
      connections,
      reader: t.store.reader,
      commits: t.store.commits,
      translator,
      router,
      queues,
      log,
      ingest: { concurrency: 8, retry: fast },
      destinations: all.map((destination) => ({ destination, retry: fast, concurrency: 4 })),
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

  /** Stores a mapped claim message the way intake does, and returns its id. */
  async function storeMapped(claimNumber: string, enqueue = true): Promise<string> {
    const id = await storeMappedClaim(t.store.commits, claimNumber);
    if (enqueue) await queues.enqueueIngest(id, fast);
    return id;
  }

  const statusOf = async (id: string) => (await t.store.reader.view(id))!;
  const settled = (id: string, status: string) =>
    eventually(async () => ((await statusOf(id)).status === status ? statusOf(id) : undefined), 15_000, `status ${status}`);

  it('delivers exactly once to a destination that fails twice, with each failed attempt in the lineage', async () => {
    const id = await storeMapped('FLAKY');
    const view = await settled(id, 'delivered');
    assert.equal(flaky.deliveries.filter((d) => d.messageId === id).length, 1);
    assert.equal(flaky.attemptsByMessage.get(id), 3);
    const failed = view.events.filter((e) => e.event === 'failed');
    assert.equal(failed.length, 2);
    assert.equal(view.deliveries[0]!.attempts, 3);
  });

  it('dead-letters a permanent refusal after one attempt, with the error', async () => {
    const id = await storeMapped('STRICT');
    const view = await settled(id, 'dead-lettered');
    assert.equal(strict.attemptsByMessage.get(id), 1);
    const { rows } = await t.store.db.query<{ stage: string; destination_id: string; error_class: string; error: { message: string } }>(
      'SELECT stage, destination_id, error_class, error FROM dead_letters WHERE message_id = $1',
      [id],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.stage, 'deliver');
    assert.equal(rows[0]!.destination_id, 'strict');
    assert.equal(rows[0]!.error_class, 'delivery');
    assert.match(rows[0]!.error.message, /400 from strict/);
    assert.ok(view.events.some((e) => e.event === 'dead-lettered'));
  });

  it('dead-letters after the last attempt when a destination stays down', async () => {
    const id = await storeMapped('DOWN');
    await settled(id, 'dead-lettered');
    assert.equal(down.attemptsByMessage.get(id), fast.attempts);
    const { rows } = await t.store.db.query<{ attempts: { attempt: number }[] }>(
      'SELECT attempts FROM dead_letters WHERE message_id = $1',
      [id],
    );
    assert.deepEqual(
      rows[0]!.attempts.map((a) => a.attempt),
      [1, 2, 3, 4],
      'the dead letter carries every attempt',
    );
  });

  it('fails a claim no route matches, with the reason and a dead letter, and delivers nothing', async () => {
    const id = await storeMapped('NOWHERE');
    const view = await settled(id, 'failed');
    assert.match(JSON.stringify(view.error), /no route matches claim NOWHERE/);
    assert.equal(
      outbox.deliveries.some((d) => d.messageId === id),
      false,
    );
  });

  it('fans out to two destinations and is delivered only when both have it', async () => {
    const id = await storeMapped('FAN');
    const view = await settled(id, 'delivered');
    assert.deepEqual(view.deliveries.map((d) => d.destination).sort(), ['flaky', 'outbox']);
  });

  it('recovers a stored message whose job never reached Redis, and delivers it once', async () => {
    const id = await storeMapped('LOST-JOB', false);
    const sweeper = new RecoverySweeper(t.store.reader, queues, fast, log, { intervalMs: 60_000, graceSeconds: 0 });
    await sweeper.sweep(0);
    await sweeper.sweep(0); // a second sweep while the job may still exist adds nothing
    await settled(id, 'delivered');
    assert.equal(outbox.deliveries.filter((d) => d.messageId === id).length, 1);
  });

  it('maps, routes and delivers a message the ingest job finds stored but untranslated, in one commit per stage', async () => {
    const id = randomUUID();
    const raw = (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', 'UNTRANSLATED-1');
    await t.store.commits.commit({
      newMessages: [
        {
          id,
          source: 'test',
          format: null,
          messageType: null,
          contentType: 'application/fhir+json',
          contentHash: createHash('sha256').update(raw).digest('hex'),
          raw,
          status: 'received',
          error: null,
          controlIds: {},
          mapping: null,
        },
      ],
      events: [{ messageId: id, event: 'received', actor: 'test' }],
    });
    await queues.enqueueIngest(id, fast);
    const view = await settled(id, 'delivered');
    assert.deepEqual(
      view.events.map((e) => e.event),
      ['received', 'parsed', 'mapped', 'routed', 'delivered'],
    );
    assert.equal(outbox.deliveries.find((d) => d.messageId === id)?.objects[0]?.canonical.claimNumber, 'UNTRANSLATED-1');
  });

  it('does not deliver twice when the same stage is enqueued again after delivery', async () => {
    const id = await storeMapped('AGAIN');
    await settled(id, 'delivered');
    await queues.enqueueDelivery(id, 'outbox');
    await queues.enqueueIngest(id, fast);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(outbox.deliveries.filter((d) => d.messageId === id).length, 1);
  });
});
