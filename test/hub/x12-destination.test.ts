// Claims routed to an x12 destination leave the hub as 837 files: a FHIR claim as an 837P, an 837I
// received over HTTP as an 837I again, each file readable with zero findings and its control
// numbers recorded in x12_submissions; a claim the 837 cannot carry is dead-lettered with its path.
import { bundleWithFilingIndicator, CLEARINGHOUSE_DESTINATION } from './x12-clearinghouse.js';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findSubmittedClaims } from '../../store/x12-submissions.js';
import { placesInFile } from '../connectors/x12/destination/support.js';
import { describeFindings, readBack } from '../connectors/x12/write/support.js';
import { ACCEPTANCE_BUNDLE, CORPUS } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { STORE_KINDS } from '../support/services.js';

const CONFIG = `
destinations:${CLEARINGHOUSE_DESTINATION}
routes:
  - name: every claim to the clearinghouse
    to: [clearinghouse]
`;

/** The corpus 837I as a 5010 837 carries it today: ICD-10-CM diagnoses instead of its ICD-9 ones. */
async function institutional837(): Promise<string> {
  const text = await readFile(join(CORPUS, 'x12/837i/stupidedi-837i-ppo-repriced-claim.edi'), 'utf8');
  return text.replace('HI*BK:38181', 'HI*ABK:H6981').replace('HI*BF:38900', 'HI*ABF:H902');
}

for (const kind of STORE_KINDS) {
  describe(`X12 destination in the hub (${kind})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    before(async () => {
      t = await startTestHub(kind, CONFIG);
    });
    after(async () => {
      await t?.stop();
    });

    const view = async (id: string) => (await (await t.call('GET', `/v1/messages/${id}`)).json()) as Record<string, any>;
    const settled = (id: string, status: string) =>
      eventually(async () => ((await view(id)).status === status ? view(id) : undefined), 15_000, `${status} of ${id}`);
    const fileOf = async (messageId: string) => {
      const files = (await readdir(join(t.dataDir, 'x12-out'))).filter((name) => name.includes(messageId));
      assert.equal(files.length, 1, `one interchange for ${messageId}: ${files.join(', ')}`);
      return readFile(join(t.dataDir, 'x12-out', files[0]), 'utf8');
    };

    it('delivers a FHIR claim and an X12 837I claim as 837 files, recorded under their control numbers', async () => {
      const fhir = await t.call('POST', '/v1/messages', await bundleWithFilingIndicator(), { 'content-type': 'application/fhir+json' });
      assert.equal(fhir.status, 202, await fhir.clone().text());
      const fhirId = ((await fhir.json()) as { id: string }).id;
      const x12 = await t.call('POST', '/v1/messages', await institutional837(), { 'content-type': 'application/edi-x12' });
      assert.equal(x12.status, 202, await x12.clone().text());
      const partId = ((await x12.json()) as { parts: { id: string }[] }).parts[0].id;

      for (const [messageId, guide, claimNumber] of [
        [fhirId, '005010X222A1', 'ACC-5520-01'],
        [partId, '005010X223A2', '456DFH43'],
      ]) {
        await settled(messageId, 'delivered');
        const text = await fileOf(messageId);
        const read = await readBack(text);
        assert.deepEqual(describeFindings(read.findings), []);
        assert.deepEqual(
          read.segments.filter((s) => s.id === 'GS').map((s) => s.elements[7]),
          [guide],
        );
        const places = placesInFile(text);
        assert.deepEqual(
          places.map((line) => line.split(' ')[0]),
          [claimNumber],
        );
        const [, isa13, gs06, st02] = places[0].split(' ');
        const found = await findSubmittedClaims(t.hub.store.db, { group: gs06, transactionSet: st02 });
        assert.deepEqual(
          found.map((c) => [c.claimNumber, c.interchangeControlNumber, c.messageId, c.destinationId]),
          [[claimNumber, isa13, messageId, 'clearinghouse']],
        );
        assert.deepEqual(
          (await view(messageId)).claims.map((c: { id: string }) => c.id),
          [found[0].claimId],
        );
      }
    });

    it('dead-letters a claim the 837 cannot carry at once, naming the path, and writes nothing for it', async () => {
      const res = await t.call('POST', '/v1/messages', await readFile(ACCEPTANCE_BUNDLE, 'utf8'), {
        'content-type': 'application/fhir+json',
      });
      assert.equal(res.status, 202);
      const { id } = (await res.json()) as { id: string };
      const failed = await settled(id, 'dead-lettered');
      assert.equal(failed.error.class, 'validation');
      const deadLettered = failed.events.find((e: { event: string }) => e.event === 'dead-lettered');
      assert.equal(deadLettered.detail.attempts, 1, 'permanent: no retry');
      assert.deepEqual(
        failed.error.issues.map((i: { path: string; rule: string }) => `${i.path} ${i.rule}`),
        ['$[0].coverages[0].filingIndicator required'],
      );
      assert.match(failed.error.message, /\$\[0\] ACC-5520-01/);
      assert.deepEqual(
        (await readdir(join(t.dataDir, 'x12-out'))).filter((name) => name.includes(id)),
        [],
      );
      assert.equal((await t.hub.store.db.query('SELECT 1 FROM x12_submissions WHERE message_id = $1', [id])).rows.length, 0);
    });
  });
}
