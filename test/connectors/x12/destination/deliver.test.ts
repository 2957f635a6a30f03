// The x12 destination: a delivery's claims as one 837 interchange file, its control numbers recorded
// in x12_submissions before the file is written, a retry writing the same file from that record.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryRefusedError, ValidationError } from '../../../../canonical-model/errors.js';
import type { Claim } from '../../../../canonical-model/index.js';
import type { Delivery } from '../../../../connectors/destination.js';
import { X12Destination } from '../../../../connectors/x12/destination.js';
import { nextValues } from '../../../../store/counters.js';
import { findSubmittedClaims, x12SubmissionLedger } from '../../../../store/x12-submissions.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../../../support/services.js';
import {
  autoAccidentInstitutionalClaim,
  batchClaim,
  dependentWithSecondaryClaim,
  institutionalClaim,
  professionalClaim,
} from '../write/claims.js';
import { describeFindings, PROFILE, readBack } from '../write/support.js';
import { placesInFile, storedDelivery, submissionCounters } from './support.js';

const P = '005010X222A1';
const I = '005010X223A2';

/** Professional, institutional, professional, institutional, professional. */
const mixedClaims = (): Claim[] => [
  professionalClaim(),
  institutionalClaim(),
  batchClaim(1, 0, 1),
  autoAccidentInstitutionalClaim(),
  dependentWithSecondaryClaim(),
];

for (const kind of STORE_KINDS) {
  describe(`x12 destination (${kind})`, function () {
    this.timeout(60_000);
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind);
    });
    after(async () => {
      await t?.close();
    });

    const destination = (dir: string, maxClaimsPerTransactionSet?: number) =>
      new X12Destination({
        id: 'clearinghouse',
        dir,
        profile: PROFILE,
        maxClaimsPerTransactionSet,
        submissions: x12SubmissionLedger(t.store.db),
        nextControlNumbers: (name, count) => nextValues(t.store.db, name, count),
      });
    const outDir = () => mkdtemp(join(tmpdir(), 'claimhub-x12-out-'));
    const rows = async (delivery: Delivery) =>
      (await t.store.db.query('SELECT * FROM x12_submissions WHERE message_id = $1', [delivery.messageId])).rows;

    it('writes professional and institutional claims as ONE interchange that reads back without findings', async () => {
      const dir = await outDir();
      const claims = mixedClaims();
      const delivery = await storedDelivery(t.store, claims, 'clearinghouse');
      const receipt = await destination(dir, 2).deliver(delivery);
      assert.deepEqual(await readdir(dir), [receipt.file]);
      assert.equal(receipt.file, `837_${receipt.interchangeControlNumber}_${delivery.messageId}.x12`);
      assert.equal(receipt.claims, 5);
      const text = await readFile(join(dir, receipt.file), 'utf8');
      const read = await readBack(text);
      assert.deepEqual(describeFindings(read.findings), []);
      assert.equal(read.segments.filter((s) => s.id === 'ISA').length, 1, 'one interchange');
      assert.deepEqual(
        read.segments.filter((s) => s.id === 'GS').map((s) => s.elements[7]),
        [P, I],
        '837P and 837I in groups of their own',
      );
      assert.equal(
        read.segments.filter((s) => s.id === 'ST').length,
        3,
        'three professional claims at most two a set: two sets, and one 837I set',
      );
      assert.deepEqual(read.claims.map((c) => c.claim.segments[0].elements[0]).sort(), claims.map((c) => c.claimNumber).sort());
    });

    it('records every claim under the ISA13, GS06 and ST02 the file carries it in, before and with the file', async () => {
      const dir = await outDir();
      const delivery = await storedDelivery(t.store, mixedClaims(), 'clearinghouse');
      const receipt = await destination(dir, 2).deliver(delivery);
      const inFile = placesInFile(await readFile(join(dir, receipt.file), 'utf8'));
      const found = await findSubmittedClaims(t.store.db, { interchange: receipt.interchangeControlNumber });
      const recorded = (c: (typeof found)[number]) =>
        `${c.claimNumber} ${c.interchangeControlNumber} ${c.groupControlNumber} ${c.transactionSetControlNumber}`;
      assert.deepEqual(found.map(recorded).sort(), [...inFile].sort());
      const ids = new Map(delivery.objects.map((o) => [o.id, o.canonical.claimNumber]));
      assert.ok(
        found.every(
          (c) => ids.get(c.claimId) === c.claimNumber && c.messageId === delivery.messageId && c.destinationId === 'clearinghouse',
        ),
      );
      // a 999 names a group and a set (AK102, AK202): the claims of that set and no others
      const [, , gs06, st02] = inFile[0].split(' ');
      const inSet = await findSubmittedClaims(t.store.db, { group: gs06, transactionSet: st02, destination: 'clearinghouse' });
      assert.deepEqual(
        inSet.map((c) => c.claimNumber).sort(),
        inFile
          .filter((line) => line.endsWith(` ${gs06} ${st02}`))
          .map((line) => line.split(' ')[0])
          .sort(),
      );
      assert.deepEqual(await findSubmittedClaims(t.store.db, { group: gs06, transactionSet: st02, destination: 'elsewhere' }), []);
    });

    it('writes a retry of the same delivery to the same file, byte for byte, spending no control number', async () => {
      const dir = await outDir();
      const delivery = await storedDelivery(t.store, mixedClaims(), 'clearinghouse');
      const first = await destination(dir).deliver(delivery);
      const text = await readFile(join(dir, first.file), 'utf8');
      const spent = await submissionCounters(t.store.db);
      const recorded = await rows(delivery);
      // a new destination object, as after a restart of the hub
      const retry = await destination(dir).deliver({ ...delivery, attempt: 2 });
      assert.deepEqual(retry, first);
      assert.deepEqual(await readdir(dir), [first.file]);
      assert.equal(await readFile(join(dir, first.file), 'utf8'), text);
      assert.deepEqual(await submissionCounters(t.store.db), spent);
      assert.deepEqual(await rows(delivery), recorded);
    });

    it('lets two attempts of one delivery racing write one interchange, under the control numbers recorded first', async () => {
      const dir = await outDir();
      const delivery = await storedDelivery(t.store, [professionalClaim(), institutionalClaim()], 'clearinghouse');
      const [a, b] = await Promise.all([destination(dir).deliver(delivery), destination(dir).deliver({ ...delivery, attempt: 2 })]);
      assert.deepEqual(a, b);
      assert.deepEqual(await readdir(dir), [a.file]);
      assert.equal((await rows(delivery)).length, 2);
      assert.deepEqual(describeFindings((await readBack(await readFile(join(dir, a.file), 'utf8'))).findings), []);
    });

    it('keeps the recorded control numbers when the file cannot be written, for the attempt after the fix', async () => {
      const parent = await outDir();
      const notADir = join(parent, 'outbox');
      await writeFile(notADir, 'a file where the folder should be');
      const delivery = await storedDelivery(t.store, [professionalClaim()], 'clearinghouse');
      await assert.rejects(
        destination(notADir).deliver(delivery),
        (error: unknown) => error instanceof DeliveryRefusedError && /outbox/.test(error.message),
      );
      const recorded = await rows(delivery);
      assert.equal(recorded.length, 1, 'recorded before the file');
      const spent = await submissionCounters(t.store.db);
      const dir = await outDir();
      const receipt = await destination(dir).deliver({ ...delivery, attempt: 2 });
      assert.equal(receipt.interchangeControlNumber, recorded[0].interchange_control_number);
      assert.deepEqual(await submissionCounters(t.store.db), spent);
      assert.deepEqual(await readdir(dir), [receipt.file]);
    });

    it('fails a claim the writer refuses for good, naming the claim and the path; nothing written, recorded or spent', async () => {
      const dir = await outDir();
      const refused = professionalClaim();
      refused.claimNumber = 'NO-NPI-1';
      delete refused.providers.billing.npi;
      const delivery = await storedDelivery(t.store, [institutionalClaim(), refused], 'clearinghouse');
      const spent = await submissionCounters(t.store.db);
      const error = await destination(dir)
        .deliver(delivery)
        .then(
          () => assert.fail('delivered'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof ValidationError && error.permanent, String(error));
      assert.deepEqual(
        error.issues.map((i) => `${i.path} ${i.rule}`),
        ['$[1].providers.billing.npi billing-npi-required'],
      );
      assert.match(error.message, /\$\[1\] NO-NPI-1/);
      assert.deepEqual(await readdir(dir), []);
      assert.deepEqual(await rows(delivery), []);
      assert.deepEqual(await submissionCounters(t.store.db), spent);
    });

    it('refuses for good an object that is not a claim, naming it', async () => {
      const dir = await outDir();
      const delivery = await storedDelivery(t.store, [professionalClaim()], 'clearinghouse');
      delivery.objects.push({ id: 'remittance-1', seq: 2, canonical: { resourceType: 'Remittance', payment: { traceNumber: '12345' } } });
      await assert.rejects(
        destination(dir).deliver(delivery),
        (error: unknown) =>
          error instanceof DeliveryRefusedError &&
          error.permanent &&
          error.issues.length === 1 &&
          error.issues[0].path === '$[1].resourceType' &&
          /Remittance remittance-1 is not a claim/.test(error.issues[0].message),
      );
      assert.deepEqual(await readdir(dir), []);
    });

    it('refuses for good to send other claims under control numbers recorded for a delivery', async () => {
      const dir = await outDir();
      const delivery = await storedDelivery(t.store, [professionalClaim(), institutionalClaim()], 'clearinghouse');
      const first = await destination(dir).deliver(delivery);
      await assert.rejects(
        destination(dir).deliver({ ...delivery, attempt: 2, objects: delivery.objects.slice(0, 1) }),
        (error: unknown) =>
          error instanceof DeliveryRefusedError &&
          error.issues[0].rule === 'x12-submission-changed' &&
          error.message.includes(`interchange ${first.interchangeControlNumber}`),
      );
      assert.deepEqual(await readdir(dir), [first.file]);
    });
  });
}
