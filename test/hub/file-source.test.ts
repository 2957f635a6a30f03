// A file-drop source on a real hub: files dropped into a folder are taken once complete, stored
// like an HTTP POST (X12 interchanges split into their sets, FHIR bundles translated, bad files
// stored failed), and only then archived with the hub's answer beside them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, open, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hub } from '../../cli/hub.js';
import { ACCEPTANCE_BUNDLE, CORPUS } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { clearRedisPrefix, postgresSchema, STORE_KINDS, uniqueName } from '../support/services.js';
import { messagesFrom, namesIn, startHubIn, type HubPlace } from './source-hub.js';

const AMBULANCE_837P = join(CORPUS, 'x12/837p/stupidedi-837p-ambulance.edi');
// Its only set has a wrong SE count: the 999 rejects it (AK9*R) and the interchange is stored failed.
const REJECTED_837P = join(CORPUS, 'x12/837p/ims-x12_valid.txt');
const MALFORMED_FHIR = new URL('../fixtures/fhir/malformed-claim.json', import.meta.url).pathname;

const CONFIG = `sources:
  - id: drop
    type: file
    dir: ./inbox
    every: 200ms
    settle: 1s
`;

for (const kind of STORE_KINDS) {
  describe(`file source (${kind})`, function () {
    this.timeout(60_000);
    let place: HubPlace;
    let hub: Hub;
    let dropSchema: (() => Promise<void>) | undefined;
    const inbox = () => join(place.dataDir, 'inbox');
    const archive = () => join(inbox(), 'archive');
    const errors = () => join(inbox(), 'error');
    const stored = () => messagesFrom(hub.store.db, 'drop');

    before(async () => {
      const schema = kind === 'postgres' ? await postgresSchema() : undefined;
      dropSchema = schema?.drop;
      place = { dataDir: await mkdtemp(join(tmpdir(), 'claimhub-file-source-')), prefix: uniqueName('chfile'), databaseUrl: schema?.url };
      hub = await startHubIn(place, CONFIG);
    });
    after(async () => {
      await hub?.close();
      await clearRedisPrefix(place.prefix);
      await dropSchema?.();
      await rm(place.dataDir, { recursive: true, force: true });
    });

    /** Waits until `name` has left the inbox; answers what the archive and error folders then hold for it. */
    const taken = async (name: string) => {
      await eventually(async () => ((await namesIn(inbox())).includes(name) ? undefined : true), 20_000, `${name} taken`);
      const mine = (names: string[]) => names.filter((n) => n.includes(`_${name}`));
      return { archived: mine(await namesIn(archive())), refused: mine(await namesIn(errors())) };
    };

    it('takes an 837P interchange: stored split with its transaction set as a child, archived with its 999', async () => {
      await copyFile(AMBULANCE_837P, join(inbox(), 'ambulance.837'));
      const { archived, refused } = await taken('ambulance.837');
      const messages = (await stored()).filter((m) => m.raw.includes('000010216'));
      const parent = messages.find((m) => m.parentId === null)!;
      const children = messages.filter((m) => m.parentId === parent.id);
      assert.equal(messages.length, 2);
      assert.equal(parent.status, 'split');
      assert.equal(parent.contentType, 'application/edi-x12');
      assert.equal(children.length, 1);
      assert.equal(children[0].messageType, '837P');
      assert.ok(['routed', 'delivered'].includes(children[0].status), children[0].status);
      assert.deepEqual(refused, []);
      assert.equal(archived.length, 2);
      const [file, ack] = archived;
      assert.match(file, new RegExp(`^\\d{8}T\\d{6}Z_${parent.id}_ambulance\\.837$`));
      assert.equal(ack, `${file}.999`);
      assert.equal(await readFile(join(archive(), file), 'utf8'), await readFile(AMBULANCE_837P, 'utf8'));
      const ackText = await readFile(join(archive(), ack), 'utf8');
      assert.equal(ackText, (await hub.store.reader.acknowledgement(parent.id))!.text);
      assert.match(ackText, /AK2\*837\*000017712\*005010X222A1~\s*IK5\*A~/);
      assert.match(ackText, /AK9\*A\*1\*1\*1~/);
    });

    it('takes an HL7 batch file: one child message per MSH, archived with the batch of ACKs beside it', async () => {
      const batch = readFileSync(join(CORPUS, 'hl7v2/cdcprs-batch-oru-r01-2.hl7'), 'utf8');
      const dft = readFileSync(new URL('../fixtures/hl7v2/dft-p03-professional.hl7', import.meta.url), 'utf8').trim().split(/\r\n|\r|\n/).join('\r');
      // the corpus batch with a mappable DFT in front of its two ORUs: BTS-1 counts three
      const mixed = batch.replace(/(BHS[^\r\n]*[\r\n]+)/, `$1${dft}\r`).replace('BTS|2', 'BTS|3');
      await writeFile(join(inbox(), 'charges.hl7'), mixed);
      const { archived, refused } = await taken('charges.hl7');
      assert.deepEqual(refused, []);
      const [file, ack] = archived;
      assert.equal(ack, `${file}.ack`);
      const acks = (await readFile(join(archive(), ack), 'utf8')).split('\r');
      assert.deepEqual(acks.filter((line) => line.startsWith('MSA')).map((line) => line.split('|').slice(0, 3).join('|')), [
        'MSA|AA|CHG000481',
        'MSA|AR|371784',
        'MSA|AR|612092',
      ]);
      assert.deepEqual([acks[0].slice(0, 3), acks[1].slice(0, 3), acks.at(-2), acks.at(-1)], ['FHS', 'BHS', 'BTS|3', 'FTS|1']);
      const messages = await stored();
      const parent = messages.find((m) => m.parentId === null && m.raw.startsWith('FHS'))!;
      const children = messages.filter((m) => m.parentId === parent.id);
      assert.equal(parent.status, 'split');
      assert.deepEqual(children.map((child) => child.messageType).sort(), ['DFT^P03', 'ORU^R01', 'ORU^R01']);
    });

    it('takes a FHIR claim bundle: one message, translated and delivered, archived without an answer file', async () => {
      const bundle = (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', `FILE-${kind}-1`);
      await writeFile(join(inbox(), 'claim.json'), bundle);
      const { archived, refused } = await taken('claim.json');
      const [message] = (await stored()).filter((m) => m.raw.includes(`FILE-${kind}-1`));
      assert.equal(message.contentType, 'application/fhir+json');
      assert.equal(message.parentId, null);
      assert.deepEqual(refused, []);
      assert.deepEqual(
        archived.map((n) => n.replace(/^\d{8}T\d{6}Z_/, '')),
        [`${message.id}_claim.json`],
      );
      const delivered = await eventually(
        async () => ((await hub.store.reader.message(message.id))?.status === 'delivered' ? true : undefined),
        15_000,
        'delivery',
      );
      assert.ok(delivered);
      assert.equal((await hub.store.reader.claimsOf(message.id))[0].claimNumber, `FILE-${kind}-1`);
    });

    it('stores a file that is not a claim as failed and moves it to the error folder with its error', async () => {
      await copyFile(MALFORMED_FHIR, join(inbox(), 'broken.json'));
      const { archived, refused } = await taken('broken.json');
      const [message] = (await stored()).filter((m) => m.raw === readFileSync(MALFORMED_FHIR, 'utf8'));
      assert.equal(message.status, 'failed');
      assert.deepEqual(archived, []);
      assert.equal(refused.length, 2);
      const [file, error] = refused;
      assert.equal(error, `${file}.error.json`);
      assert.ok(file.includes(message.id));
      const body = JSON.parse(await readFile(join(errors(), error), 'utf8'));
      assert.equal(body.messageId, message.id);
      assert.equal(body.status, 'failed');
      assert.equal(body.error.class, 'parse');
      assert.ok(body.error.issues.length > 0);
    });

    it('moves an interchange the 999 rejects to the error folder with the 999 and the located error', async () => {
      await copyFile(REJECTED_837P, join(inbox(), 'rejected.837'));
      const { archived, refused } = await taken('rejected.837');
      const parent = (await stored()).find((m) => m.parentId === null && m.raw.includes('000000905'))!;
      assert.equal(parent.status, 'failed');
      const children = (await stored()).filter((m) => m.parentId === parent.id);
      assert.deepEqual(
        children.map((c) => c.status),
        ['failed'],
      );
      assert.deepEqual(archived, []);
      const [file] = refused;
      assert.deepEqual(refused, [file, `${file}.999`, `${file}.error.json`].sort());
      assert.match(await readFile(join(errors(), `${file}.999`), 'utf8'), /AK9\*R\*1\*1\*0~/);
      const error = JSON.parse(await readFile(join(errors(), `${file}.error.json`), 'utf8'));
      assert.match(error.error.message, /every part of the interchange was rejected/);
    });

    it('moves a binary file the store cannot hold to the error folder with the reason, without holding up the files after it', async () => {
      await writeFile(join(inbox(), 'scan.pdf'), Buffer.from('%PDF-1.7\n\u0000\u0001binary', 'latin1'));
      await writeFile(join(inbox(), 'after.json'), (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', `AFTER-${kind}`));
      const { refused } = await taken('scan.pdf');
      await taken('after.json');
      assert.deepEqual(
        refused.map((n) => n.replace(/^\d{8}T\d{6}Z_/, '')),
        ['not-stored_scan.pdf', 'not-stored_scan.pdf.error.json'],
      );
      const body = JSON.parse(await readFile(join(errors(), refused[1]), 'utf8'));
      assert.deepEqual([body.messageId, body.status, body.error.class, body.error.issues[0].path], [null, 'not-stored', 'parse', 'byte 9']);
      assert.equal((await stored()).filter((m) => m.raw.includes('%PDF')).length, 0);
      assert.equal((await stored()).filter((m) => m.raw.includes(`AFTER-${kind}`)).length, 1);
    });

    it('waits for a file that is still being written, and for one uploaded under a .tmp name, then takes each once', async () => {
      const bundle = (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', `SLOW-${kind}`);
      const handle = await open(join(inbox(), 'slow.json'), 'w');
      // 12 pieces 150 ms apart: longer than a poll and a settle, never still for a whole settle.
      const pieces = 12;
      const size = Math.ceil(bundle.length / pieces);
      for (let i = 0; i < pieces; i++) {
        await handle.write(bundle.slice(i * size, (i + 1) * size));
        await new Promise((r) => setTimeout(r, 150));
        if (i < pieces - 1) assert.ok((await namesIn(inbox())).includes('slow.json'), 'not taken while growing');
      }
      await handle.close();
      await writeFile(join(inbox(), 'renamed.json.tmp'), bundle.replace(`SLOW-${kind}`, `TMP-${kind}`));
      await new Promise((r) => setTimeout(r, 2_500));
      assert.ok((await namesIn(inbox())).includes('renamed.json.tmp'), 'a .tmp file is never taken');
      await rename(join(inbox(), 'renamed.json.tmp'), join(inbox(), 'renamed.json'));
      await taken('slow.json');
      await taken('renamed.json');
      for (const number of [`SLOW-${kind}`, `TMP-${kind}`]) {
        const messages = (await stored()).filter((m) => m.raw.includes(number));
        assert.equal(messages.length, 1, number);
        assert.notEqual(messages[0].status, 'failed', `${number} was taken whole`);
      }
    });

    it('answers a partner resending the same bytes later with the first message, archived under a name of its own', async () => {
      const bundle = (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', `RESENT-${kind}`);
      await writeFile(join(inbox(), 'resent.json'), bundle);
      const first = await taken('resent.json');
      await writeFile(join(inbox(), 'resent.json'), bundle);
      const later = new Date(Date.now() + 5_000);
      await utimes(join(inbox(), 'resent.json'), later, later);
      const both = await taken('resent.json');
      const messages = (await stored()).filter((m) => m.raw.includes(`RESENT-${kind}`));
      assert.equal(messages.length, 1);
      assert.equal(both.archived.length, 2);
      assert.ok(both.archived.includes(first.archived[0]));
      assert.ok(both.archived.every((n) => n.includes(`_${messages[0].id}_`)));
    });

    it('takes a file left in the folder after a crash between commit and archive once: same message, same archive names', async () => {
      // Another interchange (its own ISA13), so that the first take stores it anew.
      const interchange = (await readFile(AMBULANCE_837P, 'utf8')).replaceAll('000010216', '000010299');
      await writeFile(join(inbox(), 'crash.837'), interchange);
      const { mtime } = await stat(join(inbox(), 'crash.837'));
      const { archived } = await taken('crash.837');
      const before = await stored();
      const parent = before.find((m) => m.parentId === null && m.raw.includes('000010299'))!;
      assert.equal(before.filter((m) => m.id === parent.id || m.parentId === parent.id).length, 2);
      const [file, ack] = archived;
      assert.ok(file.includes(parent.id));
      // What a crash after the ack was written but before the move leaves behind: the file back in the
      // folder with its modification time, the ack already in the archive. The restarted hub finishes it.
      await hub.close();
      await rename(join(archive(), file), join(inbox(), 'crash.837'));
      await utimes(join(inbox(), 'crash.837'), mtime, mtime);
      const ackBefore = await readFile(join(archive(), ack), 'utf8');
      hub = await startHubIn(place, CONFIG);
      const again = await taken('crash.837');
      assert.deepEqual(again.archived, archived, 'the same two archive files, no second copy');
      assert.equal(await readFile(join(archive(), ack), 'utf8'), ackBefore);
      assert.equal(ackBefore, (await hub.store.reader.acknowledgement(parent.id))!.text, 'the stored 999, not a new one');
      assert.deepEqual(
        (await stored()).map((m) => m.id),
        before.map((m) => m.id),
        'no message added',
      );
    });
  });
}
