// An HL7 ADT^A08 reaches the claims of its patient that no payer has yet: the hub records the new
// address and coverage on them in the commit that stores the ADT, with an event on each claim's
// message, and leaves another patient's claims and a claim already submitted as they were.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Claim } from '../../canonical-model/types.js';
import { connectRedis, Queues } from '../../routes/queues.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { REDIS_URL, STORE_KINDS } from '../support/services.js';
import { mappableDft } from './hl7-fixtures.js';

const HL7 = { 'content-type': 'x-application/hl7-v2+er7', accept: 'application/json' };

/** The ADT^A08 fixture (MRN004417 at NWMC, now at 17 MAPLE AVE) under its own control id, insured by Cigna instead of Blue Cross. */
function adtWithNewCoverage(controlId: string): string {
  return readFileSync(fileURLToPath(new URL('../fixtures/hl7v2/adt-a08.hl7', import.meta.url)), 'utf8')
    .trim()
    .split(/\r\n|\r|\n/)
    .join('\r')
    .replace('|ADT000991|', `|${controlId}|`)
    .replace('BCPPO^Blue Choice PPO|00621|Blue Cross Blue Shield of Illinois', 'CIGNAOAP^Cigna Open Access Plus|62308|Cigna')
    .replace('XOF884129301', 'U7731200');
}

interface Receipt {
  id: string;
  status: string;
  claims: { id: string; claimNumber: string }[];
}

interface MessageView {
  status: string;
  events: { event: string; detail?: Record<string, unknown> }[];
}

for (const kind of STORE_KINDS) {
  describe(`ADT^A04/A08 patient updates on open claims, end to end (${kind})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    before(async () => {
      t = await startTestHub(kind);
    });
    after(async () => {
      await t?.stop();
    });

    const post = async (body: string) => {
      const response = await t.call('POST', '/v1/messages', body, HL7);
      assert.equal(response.status, 202, await response.clone().text());
      return (await response.json()) as Receipt;
    };
    const view = async (id: string) => (await (await t.call('GET', `/v1/messages/${id}`)).json()) as MessageView;
    const canonical = async (messageId: string) => (await t.hub.store.reader.claimsOf(messageId))[0]!.canonical as unknown as Claim;

    it('records the new address and coverage on the patient’s delivered claim, not on a submitted one or another patient’s', async () => {
      const open = await post(mappableDft('ADT-HUB-OPEN-01'));
      const submitted = await post(mappableDft('ADT-HUB-SUBM-01'));
      const other = await post(mappableDft('ADT-HUB-OTHER-01').replace('MRN004417^^^NWMC^MR', 'MRN007700^^^NWMC^MR'));
      // delivered to the outbox (a file: no payer has it) — the claim is still open
      await eventually(async () => ((await view(open.id)).status === 'delivered' ? true : undefined), 10_000, 'delivery');
      // the second claim went to a payer (as an x12 destination's delivery records it)
      await t.hub.store.commits.commit({ claimStatuses: [{ claimId: submitted.claims[0]!.id, status: 'submitted' }] });
      const before = await canonical(open.id);
      assert.deepEqual(before.patient.address?.lines, ['42 LINDEN ST', 'APT 3']);
      assert.deepEqual(
        before.coverages.map((c) => c.payer.name),
        ['Blue Cross Blue Shield of Illinois', 'Aetna'],
      );

      const adt = await post(adtWithNewCoverage('ADT-HUB-A08-01'));
      assert.notEqual(adt.status, 'failed');

      const after = await canonical(open.id);
      assert.deepEqual(after.patient.address, {
        lines: ['17 MAPLE AVE'],
        city: 'WILMETTE',
        state: 'IL',
        postalCode: '60091',
        country: 'USA',
      });
      assert.deepEqual(
        after.coverages.map((c) => [c.rank, c.payer.name, c.memberId]),
        [['primary', 'Cigna', 'U7731200']],
      );
      assert.equal(after.claimNumber, before.claimNumber);
      const events = (await view(open.id)).events.filter((e) => e.event === 'patient-updated');
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.detail, {
        claimId: open.claims[0]!.id,
        claimNumber: open.claims[0]!.claimNumber,
        patientUpdateMessageId: adt.id,
        changed: ['address', 'coverages'],
      });

      for (const untouched of [submitted, other]) {
        const claim = await canonical(untouched.id);
        assert.deepEqual(claim.patient.address?.lines, ['42 LINDEN ST', 'APT 3']);
        assert.equal(claim.coverages[0]!.payer.name, 'Blue Cross Blue Shield of Illinois');
        assert.deepEqual(
          (await view(untouched.id)).events.filter((e) => e.event === 'patient-updated'),
          [],
        );
      }
      const summary = (await view(adt.id)).events.find((e) => e.detail?.patientUpdate);
      assert.deepEqual(summary?.detail?.patientUpdate, { matchedOn: { type: 'mrn', system: 'NWMC' }, openClaims: 1, changed: 1 });
    });

    it('records an ADT the ingest worker maps (stored before it was translated) the same way', async () => {
      const open = await post(mappableDft('ADT-HUB-OPEN-02').replace('MRN004417^^^NWMC^MR', 'MRN004418^^^NWMC^MR'));
      const raw = adtWithNewCoverage('ADT-HUB-A08-02').replace('MRN004417^^^NWMC^MR', 'MRN004418^^^NWMC^MR');
      const id = randomUUID();
      await t.hub.store.commits.commit({
        newMessages: [
          {
            id,
            source: 'test',
            format: null,
            messageType: null,
            contentType: HL7['content-type'],
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
      const connections = connectRedis(REDIS_URL, t.prefix);
      const queues = new Queues(connections, new Map());
      try {
        await queues.enqueueIngest(id, { attempts: 3, backoff: { type: 'fixed', delayMs: 100, maxMs: 100 } });
        await eventually(async () => ((await view(id)).status === 'delivered' ? true : undefined), 10_000, 'the ADT ingested');
      } finally {
        await queues.close();
        await connections.close();
      }
      assert.equal((await canonical(open.id)).patient.address?.city, 'WILMETTE');
      const [event] = (await view(open.id)).events.filter((e) => e.event === 'patient-updated');
      assert.equal(event?.detail?.patientUpdateMessageId, id);
    });
  });
}
