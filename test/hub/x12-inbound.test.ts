// X12 over HTTP, as a clearinghouse sends it: an interchange is stored whole (status `split`) and
// each transaction set as a message of its own, linked to it; accepted sets are translated, routed
// and delivered claim by claim; a rejected set is stored failed with its located reason and a dead
// letter, and none of its claims goes anywhere.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CORPUS } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { STORE_KINDS } from '../support/services.js';

const X12 = { 'content-type': 'application/edi-x12' };
const corpus = (file: string) => readFile(join(CORPUS, 'x12', file), 'utf8');

interface Part {
  id: string;
  status: string;
  messageType: string;
  controlIds: Record<string, string>;
  claims?: { id: string; claimNumber: string }[];
  error?: { class: string; message: string; issues: { path: string; rule: string; message: string }[] };
}

for (const kind of STORE_KINDS) {
  describe(`X12 inbound over HTTP (${kind})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    before(async () => {
      t = await startTestHub(kind);
    });
    after(async () => {
      await t?.stop();
    });

    const view = async (id: string) => (await (await t.call('GET', `/v1/messages/${id}`)).json()) as Record<string, any>;
    const outbox = async () => readdir(join(t.dataDir, 'outbox'));
    const delivered = (id: string) =>
      eventually(async () => ((await view(id)).status === "delivered" ? view(id) : undefined), 15_000, `delivery of ${id}`);

    it('stores an 837P interchange and its transaction set, and delivers the claim with its exact total', async () => {
      const res = await t.call('POST', '/v1/messages', await corpus('837p/stupidedi-837p-ambulance.edi'), X12);
      assert.equal(res.status, 202);
      const body = (await res.json()) as { id: string; status: string; parts: Part[]; acknowledgement: { contentType: string; text: string } };
      assert.equal(body.status, 'split');
      // the 999 answers the group: accepted, sender and receiver swapped, our own control numbers
      assert.equal(body.acknowledgement.contentType, 'application/edi-x12');
      assert.match(body.acknowledgement.text, /^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*123456789012346\*ZZ\*123456789012345\*/);
      assert.match(body.acknowledgement.text, /AK1\*HC\*20213\*005010X222A1~/);
      assert.match(body.acknowledgement.text, /AK2\*837\*000017712\*005010X222A1~\s*IK5\*A~/);
      assert.match(body.acknowledgement.text, /AK9\*A\*1\*1\*1~/);
      const ack = await t.call('GET', `/v1/messages/${body.id}/ack`);
      assert.equal(ack.status, 200);
      assert.equal(await ack.text(), body.acknowledgement.text);
      assert.equal(body.parts.length, 1);
      const [part] = body.parts;
      assert.equal(part.messageType, '837P');
      assert.deepEqual(part.controlIds, { interchange: '000010216', group: '20213', transactionSet: '000017712' });
      assert.deepEqual(part.claims?.map((c) => c.claimNumber), ['051068']);
      const done = await delivered(part.id);
      assert.equal(done.parentId, body.id);
      const parent = await view(body.id);
      assert.deepEqual(parent.parts.map((p: Part) => p.id), [part.id]);
      const files = (await outbox()).filter((f) => f.includes(part.id));
      assert.equal(files.length, 1);
      const claim = JSON.parse(await readFile(join(t.dataDir, 'outbox', files[0]!), 'utf8'));
      assert.equal(claim.totalCharge, '766.50');
      assert.equal(claim.provenance.mapping, 'x12-837p@1.0.0');
      // the stored part is a self-contained interchange: its own raw reads back as one set
      const raw = (await t.hub.store.db.query<{ raw: string }>('SELECT raw FROM messages WHERE id = $1', [part.id])).rows[0].raw;
      assert.match(raw, /^ISA\*/);
      assert.match(raw, /GE\*1\*20213~IEA\*1\*000010216~$/);
    });

    it('delivers an 837I claim marked institutional', async () => {
      const res = await t.call('POST', '/v1/messages', await corpus('837i/stupidedi-837i-ppo-repriced-claim.edi'), X12);
      assert.equal(res.status, 202);
      const body = (await res.json()) as { parts: Part[] };
      await delivered(body.parts[0].id);
      const files = (await outbox()).filter((f) => f.includes(body.parts[0].id));
      const claim = JSON.parse(await readFile(join(t.dataDir, 'outbox', files[0]!), 'utf8'));
      assert.deepEqual([claim.claimNumber, claim.type, claim.totalCharge], ['456DFH43', 'institutional', '237.50']);
    });

    it('rejects a set whose SE count is wrong: 422 naming SE01, stored failed with a dead letter, nothing delivered', async () => {
      const before = await outbox();
      const res = await t.call('POST', '/v1/messages', await corpus('837p/ims-x12_valid.txt'), X12);
      assert.equal(res.status, 422);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      const problem = (await res.json()) as { messageId: string; detail: string; parts: Part[]; acknowledgement: { text: string } };
      assert.match(problem.detail, /ST02 987654 is rejected/);
      // the 999 rejects the set for its segment count (IK5 R, IK502 4) and the group with it
      assert.match(problem.acknowledgement.text, /AK2\*837\*987654\*005010X222A1~[\s\S]*IK5\*R\*4/);
      assert.match(problem.acknowledgement.text, /AK9\*R\*1\*1\*0~/);
      assert.equal(problem.parts.length, 1);
      assert.equal(problem.parts[0].status, 'failed');
      assert.ok(problem.parts[0].error?.issues.some((i) => i.rule === 'segment-count' && i.path.startsWith('SE01 (ISA13 000000905, GS06 1, ST02 987654')));
      const stored = await view(problem.parts[0].id);
      assert.equal(stored.status, 'failed');
      assert.equal(stored.parentId, problem.messageId);
      const deadLetters = await t.hub.store.db.query<{ stage: string }>('SELECT stage FROM dead_letters WHERE message_id = $1', [problem.parts[0].id]);
      assert.deepEqual(deadLetters.rows.map((r) => r.stage), ['parse']);
      assert.equal((await view(problem.messageId)).status, 'failed');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(await outbox(), before);
    });

    it('splits an interchange with two groups into one message per set', async () => {
      const text = (await corpus('837p/stupidedi-837p-ambulance.edi')) + '';
      // a second group with a second set: the same claim under other control numbers
      const set = /ST\*837.*?SE\*52\*000017712~/s.exec(text)![0].replaceAll('000017712', '000017713').replace('CLM*051068', 'CLM*051069');
      const twoGroups = text.replace('IEA*1*000010216', `GS*HC*1234567890*9876543210*20061015*1705*20214*X*005010X222A1~${set}GE*1*20214~IEA*2*000010216`).replace('000010216*0*T', '000010217*0*T').replace('IEA*2*000010216', 'IEA*2*000010217');
      const res = await t.call('POST', '/v1/messages', twoGroups, X12);
      assert.equal(res.status, 202, await res.clone().text());
      const body = (await res.json()) as { parts: Part[] };
      assert.deepEqual(body.parts.map((p) => [p.controlIds.group, p.controlIds.transactionSet, p.claims?.[0].claimNumber]), [
        ['20213', '000017712', '051068'],
        ['20214', '000017713', '051069'],
      ]);
      await Promise.all(body.parts.map((p) => delivered(p.id)));
    });

    it('answers the same interchange sent twice with the first copy', async () => {
      const text = await corpus('837i/stupidedi-837i-out-of-network-repriced-claim.edi');
      const first = (await (await t.call('POST', '/v1/messages', text, X12)).json()) as { id: string };
      const again = await t.call('POST', '/v1/messages', text, X12);
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { id: string }).id, first.id);
    });

    it('answers an unreadable ISA with 400 naming ISA02', async () => {
      const res = await t.call('POST', '/v1/messages', await corpus('invalid/ims-x12_bad_first_line.txt'), X12);
      assert.equal(res.status, 400);
      const problem = (await res.json()) as { detail: string };
      assert.match(problem.detail, /ISA02/);
    });
  });
}
