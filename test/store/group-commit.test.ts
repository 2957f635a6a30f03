import assert from 'node:assert/strict';
import { randomUUID, createHash } from 'node:crypto';
import { GroupCommit } from '../../store/group-commit.js';
import type { NewMessage } from '../../store/records.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/services.js';

function message(raw: string, source = 'test'): NewMessage {
  return {
    id: randomUUID(),
    source,
    format: 'fhir-r4',
    messageType: 'Claim',
    contentType: 'application/fhir+json',
    contentHash: createHash('sha256').update(raw).digest('hex'),
    raw,
    status: 'received',
    error: null,
    controlIds: {},
    mapping: null,
  };
}

for (const kind of STORE_KINDS) {
  describe(`store group commit (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind);
    });
    after(async () => {
      await t.close();
    });

    it('commits many concurrent units in few transactions, each readable afterwards', async () => {
      const messages = Array.from({ length: 300 }, (_, i) => message(`{"n":${i}}`));
      await Promise.all(
        messages.map((m) =>
          t.store.commits.commit({
            newMessages: [m],
            events: [{ messageId: m.id, event: 'received', actor: 'test' }],
          }),
        ),
      );
      const { rows } = await t.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[])', [
        messages.map((m) => m.id),
      ]);
      assert.equal(rows[0]!.n, 300);
      const view = await t.store.reader.view(messages[17]!.id);
      assert.equal(view?.events[0]?.event, 'received');
    });

    it('answers a resubmission of the same bytes from the same source with the first message', async () => {
      const first = message('{"same":true}', 'dup-source');
      const again = message('{"same":true}', 'dup-source');
      const other = message('{"same":true}', 'another-source');
      await t.store.commits.commit({ newMessages: [first] });
      const [a, b] = await Promise.all([
        t.store.commits.commit({ newMessages: [again], events: [{ messageId: again.id, event: 'received', actor: 'x' }] }),
        t.store.commits.commit({ newMessages: [other] }),
      ]);
      assert.equal(a.duplicates.get(again.id), first.id);
      assert.equal(b.duplicates.has(other.id), false);
      const { rows } = await t.store.db.query('SELECT 1 FROM message_events WHERE message_id = $1', [again.id]);
      assert.equal(rows.length, 0, 'no lineage is written for a message that was not stored');
    });

    it('stores one of two identical messages committed in the same batch and answers the other with it', async () => {
      const a = message('{"twins":1}', 'twin-source');
      const b = message('{"twins":1}', 'twin-source');
      const [ra, rb] = await Promise.all([
        t.store.commits.commit({ newMessages: [a], events: [{ messageId: a.id, event: 'received', actor: 'x' }] }),
        t.store.commits.commit({ newMessages: [b], events: [{ messageId: b.id, event: 'received', actor: 'x' }] }),
      ]);
      assert.equal(ra.duplicates.has(a.id), false);
      assert.equal(rb.duplicates.get(b.id), a.id);
      assert.equal(await t.store.reader.message(b.id), undefined);
    });

    it("applies a stage's status and claim routing to the message and claims it inserts in the same commit", async () => {
      const m = message('{"inline":1}');
      const claimId = randomUUID();
      await t.store.commits.commit({
        newMessages: [m],
        claims: [
          {
            id: claimId,
            messageId: m.id,
            seq: 1,
            claimNumber: 'INLINE-1',
            claimType: 'professional',
            status: 'validated',
            payerId: null,
            payerName: null,
            billingNpi: null,
            memberId: null,
            totalCharge: '1.00',
            serviceStart: null,
            mapping: 'x@1.0.0',
            canonical: {},
          },
        ],
        statusUpdates: [
          { messageId: m.id, status: 'mapped', error: null },
          { messageId: m.id, status: 'routed', destinations: ['outbox'] },
        ],
        claimDestinations: [{ claimId, destinations: ['outbox'] }],
      });
      const stored = await t.store.reader.message(m.id);
      assert.equal(stored?.status, 'routed');
      assert.deepEqual(stored?.destinations, ['outbox']);
      assert.deepEqual((await t.store.reader.claimsOf(m.id))[0]?.destinations, ['outbox']);
    });

    it('fails only the bad unit when one unit of a batch breaks a constraint', async () => {
      const good = message('{"good":1}');
      const bad = message('{"bad":1}');
      const results = await Promise.allSettled([
        t.store.commits.commit({ newMessages: [good] }),
        // an event for a message that does not exist violates the foreign key
        t.store.commits.commit({ newMessages: [bad], events: [{ messageId: randomUUID(), event: 'received', actor: 'x' }] }),
      ]);
      assert.equal(results[0].status, 'fulfilled');
      assert.equal(results[1].status, 'rejected');
      assert.ok(await t.store.reader.message(good.id));
      assert.equal(await t.store.reader.message(bad.id), undefined);
    });

    it('marks a message delivered only when every routed destination has a delivery', async () => {
      const m = message('{"fanout":1}');
      await t.store.commits.commit({ newMessages: [m], statusUpdates: [{ messageId: m.id, status: 'routed', destinations: ['a', 'b'] }] });
      const first = await t.store.commits.commit({
        deliveries: [{ messageId: m.id, destinationId: 'a', attempts: 1, receipt: null }],
        completeDeliveries: [m.id],
      });
      assert.equal(first.completed.has(m.id), false);
      assert.equal((await t.store.reader.message(m.id))?.status, 'routed');
      const second = await t.store.commits.commit({
        deliveries: [{ messageId: m.id, destinationId: 'b', attempts: 2, receipt: null }],
        completeDeliveries: [m.id],
      });
      assert.equal(second.completed.has(m.id), true);
      assert.equal((await t.store.reader.message(m.id))?.status, 'delivered');
    });

    it("marks a message delivered when its destinations' deliveries are committed at the same moment by separate writers", async () => {
      // Two group commits on one database, as two processes (or two batches of one) delivering the
      // two destinations of each message at once: neither statement sees the other's delivery.
      const one = new GroupCommit(t.store.db, { lingerMs: 0 });
      const other = new GroupCommit(t.store.db, { lingerMs: 0 });
      const messages = Array.from({ length: 40 }, (_, i) => message(`{"race":${i}}`));
      await t.store.commits.commit({
        newMessages: messages,
        statusUpdates: messages.map((m) => ({ messageId: m.id, status: 'routed', destinations: ['erp', 'invoices'] })),
      });
      const deliver = (commits: GroupCommit, messageId: string, destinationId: string) =>
        commits.commit({ deliveries: [{ messageId, destinationId, attempts: 1, receipt: null }], completeDeliveries: [messageId] });
      // Message by message, so the two statements of each race each other.
      const outcomes = [];
      for (const m of messages) outcomes.push(...(await Promise.all([deliver(one, m.id, 'erp'), deliver(other, m.id, 'invoices')])));
      const { rows } = await t.store.db.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) GROUP BY status`,
        [messages.map((m) => m.id)],
      );
      assert.deepEqual(rows, [{ status: 'delivered', n: 40 }]);
      // Each message is reported completed by the commit that completed it.
      const completed = new Set(outcomes.flatMap((o) => [...o.completed]));
      assert.equal(completed.size, 40);
    });

    it('records a dead letter once however often the same failure is committed', async () => {
      const m = message('{"dl":1}');
      await t.store.commits.commit({ newMessages: [m] });
      const dl = () => ({
        id: randomUUID(),
        messageId: m.id,
        stage: 'deliver',
        destinationId: 'outbox',
        errorClass: 'delivery',
        error: { message: 'no' },
        attempts: [],
      });
      await t.store.commits.commit({ deadLetters: [dl()] });
      await t.store.commits.commit({ deadLetters: [dl()] });
      const { rows } = await t.store.db.query('SELECT 1 FROM dead_letters WHERE message_id = $1', [m.id]);
      assert.equal(rows.length, 1);
    });

    it('lists in-flight messages page by page without repeating or skipping', async () => {
      const ms = Array.from({ length: 25 }, (_, i) => message(`{"inflight":${i}}`, 'sweep'));
      await t.store.commits.commit({ newMessages: ms });
      const seen = new Set<string>();
      let after;
      for (;;) {
        const page = await t.store.reader.inFlight(0, 7, after);
        page.forEach((p) => seen.add(p.id));
        if (page.length < 7) break;
        after = page[page.length - 1];
      }
      for (const m of ms) assert.ok(seen.has(m.id));
    });
  });
}
