// The claim lifecycle across partners: a claim delivered as an 837 becomes `submitted`; the
// clearinghouse's 999 for that 837, POSTed back to the hub, makes it `acknowledged` (IK5 A) or
// `rejected` (IK5 R), with an event on the claim's own message naming the 999 that decided it.
import { bundleWithFilingIndicator, CLEARINGHOUSE_DESTINATION } from './x12-clearinghouse.js';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitX12 } from '../../connectors/x12/inbound.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { STORE_KINDS } from '../support/services.js';

const CONFIG = `
destinations:${CLEARINGHOUSE_DESTINATION}
  - id: outbox
    type: file
    dir: ./outbox
routes:
  - name: claims to the clearinghouse
    when: resourceType = 'Claim'
    to: [clearinghouse]
    priority: 1
  - name: acknowledgements kept as JSON
    when: resourceType = 'Acknowledgement'
    to: [outbox]
  - name: anything else
    to: [outbox]
`;

/** The 999 a clearinghouse answers `submitted` with: claimhub's own acknowledgement writer plays the partner. */
async function partner999(submitted: string, reject: boolean): Promise<string> {
  let next = 7000;
  // a set the partner cannot accept: its SE01 miscounts the segments (IK5 R, IK502 4)
  const answered = reject ? submitted.replace(/SE\*(\d+)\*/, (_all, count: string) => `SE*${Number(count) + 1}*`) : submitted;
  const batch = await splitX12(answered, { nextControlNumbers: async (_name, count) => Array.from({ length: count }, () => next++) });
  assert.ok(batch.acknowledgement, 'the partner answers with a 999');
  return batch.acknowledgement.text;
}

for (const kind of STORE_KINDS) {
  describe(`claim lifecycle through an 837 and its 999 (${kind})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    before(async () => {
      t = await startTestHub(kind, CONFIG);
    });
    after(async () => {
      await t?.stop();
    });

    const claimStatus = async (claimId: string) =>
      (await t.hub.store.db.query<{ status: string; canonical: { status: string } }>('SELECT status, canonical FROM claims WHERE id = $1', [claimId])).rows[0];
    const submit = async (claimNumber: string) => {
      const res = await t.call('POST', '/v1/messages', await bundleWithFilingIndicator(claimNumber), { 'content-type': 'application/fhir+json' });
      assert.equal(res.status, 202, await res.clone().text());
      const body = (await res.json()) as { id: string; claims: { id: string }[] };
      const claimId = body.claims[0].id;
      await eventually(async () => ((await claimStatus(claimId))?.status === 'submitted' ? true : undefined), 15_000, 'submitted');
      const file = (await readdir(join(t.dataDir, 'x12-out'))).find((name) => name.includes(body.id))!;
      return { messageId: body.id, claimId, text: await readFile(join(t.dataDir, 'x12-out', file), 'utf8') };
    };
    const events = async (messageId: string) =>
      ((await (await t.call('GET', `/v1/messages/${messageId}`)).json()) as { events: { event: string; detail?: Record<string, unknown> }[] }).events;

    it('moves a submitted claim to acknowledged when the 999 accepts its set', async () => {
      const { messageId, claimId, text } = await submit('LIFE-ACK-1');
      const reply = await t.call('POST', '/v1/messages', await partner999(text, false), { 'content-type': 'application/edi-x12' });
      assert.equal(reply.status, 202, await reply.clone().text());
      const ackPart = ((await reply.json()) as { parts: { id: string; objects?: { resourceType: string }[] }[] }).parts[0];
      assert.deepEqual(ackPart.objects?.map((o) => o.resourceType), ['Acknowledgement']);
      const stored = await claimStatus(claimId);
      assert.equal(stored.status, 'acknowledged');
      assert.equal(stored.canonical.status, 'acknowledged');
      const acknowledged = (await events(messageId)).find((e) => e.event === 'acknowledged');
      assert.equal(acknowledged?.detail?.acknowledgementMessageId, ackPart.id);
      assert.equal(acknowledged?.detail?.status, 'accepted');
    });

    it('moves a submitted claim to rejected when the 999 rejects its set', async () => {
      const { messageId, claimId, text } = await submit('LIFE-REJ-1');
      const reply = await t.call('POST', '/v1/messages', await partner999(text, true), { 'content-type': 'application/edi-x12' });
      assert.equal(reply.status, 202, await reply.clone().text());
      assert.equal((await claimStatus(claimId)).status, 'rejected');
      const rejected = (await events(messageId)).find((e) => e.event === 'rejected');
      assert.equal(rejected?.detail?.status, 'rejected');
      assert.deepEqual(rejected?.detail?.codes, ['4']);
    });

    /** A partner's interchange holding only a TA1 about `submitted` (TA104 `status`). */
    const partnerTa1 = (submitted: string, status: 'A' | 'R', control: string) => {
      const isa13 = /^ISA(?:\*[^*]*){12}\*(\d{9})\*/.exec(submitted)![1];
      const isa = `ISA*00*          *00*          *ZZ*PEAKCLEARING   *ZZ*FLATIRONSBILL  *261124*1200*^*00501*${control}*0*T*:~`;
      return `${isa}TA1*${isa13}*261124*1159*${status}*${status === 'R' ? '006' : '000'}~IEA*0*${control}~`;
    };

    it('rejects every claim of an interchange a TA1 R answers, and leaves them submitted on a TA1 A', async () => {
      const accepted = await submit('LIFE-TA1-A');
      const ok = await t.call('POST', '/v1/messages', partnerTa1(accepted.text, 'A', '000000881'), { 'content-type': 'application/edi-x12' });
      assert.equal(ok.status, 202, await ok.clone().text());
      const okPart = ((await ok.json()) as { parts: { id: string; messageType: string; objects?: { resourceType: string }[] }[] }).parts[0];
      assert.equal(okPart.messageType, 'TA1');
      assert.deepEqual(okPart.objects?.map((o) => o.resourceType), ['Acknowledgement']);
      assert.equal((await claimStatus(accepted.claimId)).status, 'submitted');
      const note = (await events(okPart.id)).find((e) => e.event === 'mapped' && e.detail?.acknowledges);
      assert.match(String(note?.detail?.note), /wait for their 999/);

      const refused = await submit('LIFE-TA1-R');
      const no = await t.call('POST', '/v1/messages', partnerTa1(refused.text, 'R', '000000882'), { 'content-type': 'application/edi-x12' });
      assert.equal(no.status, 202, await no.clone().text());
      assert.equal((await claimStatus(refused.claimId)).status, 'rejected');
      const rejected = (await events(refused.messageId)).find((e) => e.event === 'rejected');
      assert.deepEqual([rejected?.detail?.kind, rejected?.detail?.codes], ['x12-ta1', ['006']]);
    });

    it('keeps a 999 that answers nothing the hub sent, saying so in its lineage', async () => {
      let next = 9000;
      const stranger = await splitX12(
        (await readFile(join(t.dataDir, 'x12-out', (await readdir(join(t.dataDir, 'x12-out')))[0]), 'utf8'))
          .replace(/GS\*HC\*([^*]*)\*([^*]*)\*(\d+)\*(\d+)\*\d+\*/, 'GS*HC*$1*$2*$3*$4*424242*')
          .replace(/GE\*(\d+)\*\d+~/, 'GE*$1*424242~'),
        { nextControlNumbers: async (_n, count) => Array.from({ length: count }, () => next++) },
      );
      const reply = await t.call('POST', '/v1/messages', stranger.acknowledgement!.text, { 'content-type': 'application/edi-x12' });
      assert.equal(reply.status, 202);
      const partId = ((await reply.json()) as { parts: { id: string }[] }).parts[0].id;
      const mapped = (await events(partId)).filter((e) => e.event === 'mapped').find((e) => e.detail?.acknowledges);
      assert.equal(mapped?.detail?.claims, 0);
      assert.match(String(mapped?.detail?.note), /no claim the hub submitted matches/);
    });
  });
}
