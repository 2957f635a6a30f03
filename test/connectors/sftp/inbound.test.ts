// An SFTP source against a real OpenSSH server: files in the remote folder are taken like a local
// drop (stored, then renamed into the remote archive with the 999 uploaded beside them); a server
// that goes away and comes back is reconnected to; a server with another host key is refused.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hub } from '../../../cli/hub.js';
import { ACCEPTANCE_BUNDLE, CORPUS } from '../../support/corpus.js';
import { eventually } from '../../support/eventually.js';
import { clearRedisPrefix, postgresSchema, uniqueName } from '../../support/services.js';
import { messagesFrom, namesIn, startHubIn, type HubPlace } from '../../hub/source-hub.js';
import { startSshd, type Sshd } from './sshd.js';

const AMBULANCE_837P = join(CORPUS, 'x12/837p/stupidedi-837p-ambulance.edi');
const MALFORMED_FHIR = new URL('../../fixtures/fhir/malformed-claim.json', import.meta.url).pathname;

const sourceConfig = (sshd: Sshd, outbound: string, fingerprint = sshd.hostFingerprint, more = '') => `sources:
  - id: clearinghouse
    type: sftp
    host: 127.0.0.1
    port: ${sshd.port}
    username: ${sshd.username}
    privateKey: file:${sshd.clientKeyPath}
    hostFingerprint: "${fingerprint}"
    path: ${outbound}
    every: 200ms
    settle: 1s
${more}`;

describe('sftp source (OpenSSH server)', function () {
  this.timeout(90_000);
  let sshd: Sshd;
  let place: HubPlace;
  let hub: Hub | undefined;
  let dropSchema: () => Promise<void>;
  // The server's folders are local folders of this machine: the test drops and checks files directly.
  const outbound = () => join(sshd.root, 'outbound');
  const archive = () => join(outbound(), 'archive');
  const errors = () => join(outbound(), 'error');
  const stored = () => messagesFrom(hub!.store.db, 'clearinghouse');
  const taken = async (name: string, timeoutMs = 20_000) => {
    await eventually(async () => ((await namesIn(outbound())).includes(name) ? undefined : true), timeoutMs, `${name} taken`);
    const mine = (names: string[]) => names.filter((n) => n.includes(`_${name}`));
    return { archived: mine(await namesIn(archive())), refused: mine(await namesIn(errors())) };
  };

  before(async () => {
    sshd = await startSshd();
    await mkdir(outbound());
    const schema = await postgresSchema();
    dropSchema = schema.drop;
    place = { dataDir: await mkdtemp(join(tmpdir(), 'claimhub-sftp-source-')), prefix: uniqueName('chsftp'), databaseUrl: schema.url };
  });
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });
  after(async () => {
    await sshd?.remove();
    await clearRedisPrefix(place.prefix);
    await dropSchema?.();
    await rm(place.dataDir, { recursive: true, force: true });
  });

  it('takes an 837P interchange, a FHIR bundle and a broken file; archives them on the server with the 999 and the error', async () => {
    hub = await startHubIn(place, sourceConfig(sshd, outbound()));
    await copyFile(AMBULANCE_837P, join(outbound(), 'ambulance.837'));
    await writeFile(join(outbound(), 'claim.json'), (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', 'SFTP-1'));
    const malformed = await readFile(MALFORMED_FHIR, 'utf8');
    await writeFile(join(outbound(), 'broken.json'), malformed);
    const x12 = await taken('ambulance.837');
    const fhir = await taken('claim.json');
    const broken = await taken('broken.json');

    const messages = await stored();
    const parent = messages.find((m) => m.raw.includes('000010216') && m.parentId === null)!;
    assert.equal(parent.status, 'split');
    assert.deepEqual(
      messages.filter((m) => m.parentId === parent.id).map((m) => m.messageType),
      ['837P'],
    );
    const [file, ack] = x12.archived;
    assert.deepEqual(x12.archived, [file, `${file}.999`]);
    assert.ok(file.includes(parent.id));
    assert.equal(await readFile(join(archive(), ack), 'utf8'), (await hub.store.reader.acknowledgement(parent.id))!.text);
    assert.match(await readFile(join(archive(), ack), 'utf8'), /AK9\*A\*1\*1\*1~/);

    const claim = messages.find((m) => m.raw.includes('SFTP-1'))!;
    assert.notEqual(claim.status, 'failed');
    assert.deepEqual(
      fhir.archived.map((n) => n.replace(/^\d{8}T\d{6}Z_/, '')),
      [`${claim.id}_claim.json`],
    );

    const failed = messages.find((m) => m.raw === malformed)!;
    assert.equal(failed.status, 'failed');
    assert.ok(broken.refused[0].includes(failed.id));
    assert.deepEqual(broken.archived, []);
    assert.deepEqual(broken.refused, [broken.refused[0], `${broken.refused[0]}.error.json`]);
    assert.equal(JSON.parse(await readFile(join(errors(), `${broken.refused[0]}.error.json`), 'utf8')).error.class, 'parse');
    assert.equal(messages.length, 4, 'interchange, its set, the bundle, the broken file');
    assert.deepEqual(
      (await namesIn(archive())).filter((n) => n.startsWith('.')),
      [],
      'no temporary upload left behind',
    );
  });

  it('takes a file found again after a crash between commit and archive once: no second message, same archive names', async () => {
    hub = await startHubIn(place, sourceConfig(sshd, outbound()));
    await writeFile(join(outbound(), 'again.837'), (await readFile(AMBULANCE_837P, 'utf8')).replaceAll('000010216', '000010377'));
    const { mtime } = await stat(join(outbound(), 'again.837'));
    const { archived } = await taken('again.837');
    const [file, ack] = archived;
    const before = await stored();
    const ackText = await readFile(join(archive(), ack), 'utf8');
    // A crash after the 999 was uploaded, before the rename: the file is back in the folder.
    // (Put back under a hidden name, which is never taken, and given its mtime before it shows:
    // a listing between the move and utimes would see the archive copy's time.)
    await rename(join(archive(), file), join(outbound(), '.again.837'));
    await utimes(join(outbound(), '.again.837'), mtime, mtime);
    await rename(join(outbound(), '.again.837'), join(outbound(), 'again.837'));
    assert.deepEqual((await taken('again.837')).archived, archived);
    // A second hub on the same folder that archived it first: the file is in both places.
    await copyFile(join(archive(), file), join(outbound(), '.again.837'));
    await utimes(join(outbound(), '.again.837'), mtime, mtime);
    await rename(join(outbound(), '.again.837'), join(outbound(), 'again.837'));
    assert.deepEqual((await taken('again.837')).archived, archived);
    assert.equal(await readFile(join(archive(), ack), 'utf8'), ackText);
    assert.equal(
      await readFile(join(archive(), file), 'utf8'),
      (await readFile(AMBULANCE_837P, 'utf8')).replaceAll('000010216', '000010377'),
    );
    assert.deepEqual(
      (await stored()).map((m) => m.id),
      before.map((m) => m.id),
      'no message added',
    );
    assert.deepEqual(
      (await namesIn(archive())).filter((n) => n.startsWith('.')),
      [],
      'no temporary upload left behind',
    );
  });

  it('keeps files on the server while it is down and takes them once it is back', async () => {
    hub = await startHubIn(place, sourceConfig(sshd, outbound()));
    const bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    await writeFile(join(outbound(), 'before.json'), bundle.replace('ACC-5520-01', 'SFTP-BEFORE'));
    await taken('before.json'); // the source has a live session now
    const count = (await stored()).length;

    await sshd.stop();
    await writeFile(join(outbound(), 'during.json'), bundle.replace('ACC-5520-01', 'SFTP-DURING'));
    await new Promise((r) => setTimeout(r, 4_000));
    assert.ok((await namesIn(outbound())).includes('during.json'), 'nothing is taken while the server is down');
    assert.equal((await stored()).length, count);

    await sshd.start();
    const { archived } = await taken('during.json', 30_000);
    const messages = (await stored()).filter((m) => m.raw.includes('SFTP-DURING'));
    assert.equal(messages.length, 1);
    assert.deepEqual(
      archived.map((n) => n.replace(/^\d{8}T\d{6}Z_/, '')),
      [`${messages[0].id}_during.json`],
    );
    assert.equal((await stored()).length, count + 1);
  });

  it('starts while the server is down, and takes the waiting files when it comes up', async () => {
    await sshd.stop();
    await writeFile(join(outbound(), 'waiting.json'), (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', 'SFTP-WAITING'));
    hub = await startHubIn(place, sourceConfig(sshd, outbound()));
    await new Promise((r) => setTimeout(r, 2_000));
    await sshd.start();
    await taken('waiting.json', 30_000);
    assert.equal((await stored()).filter((m) => m.raw.includes('SFTP-WAITING')).length, 1);
  });

  it('takes nothing while its archive folder cannot be made on the server', async () => {
    await writeFile(join(sshd.root, 'not-a-folder'), '');
    const blocked = `    archive: ${join(sshd.root, 'not-a-folder', 'archive')}\n`;
    hub = await startHubIn(place, sourceConfig(sshd, outbound(), sshd.hostFingerprint, blocked));
    await writeFile(
      join(outbound(), 'unarchivable.json'),
      (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', 'SFTP-NOARCHIVE'),
    );
    await new Promise((r) => setTimeout(r, 3_000));
    assert.ok((await namesIn(outbound())).includes('unarchivable.json'), 'left on the server');
    assert.equal((await stored()).filter((m) => m.raw.includes('SFTP-NOARCHIVE')).length, 0, 'not stored: it could not be archived');
    await hub.close();
    hub = await startHubIn(place, sourceConfig(sshd, outbound()));
    await taken('unarchivable.json');
  });

  it('refuses a server whose host key is not the configured one, and takes nothing from it', async () => {
    const other = 'SHA256:' + 'A'.repeat(43);
    hub = await startHubIn(place, sourceConfig(sshd, outbound(), other));
    await writeFile(join(outbound(), 'intercepted.json'), (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', 'SFTP-MITM'));
    await new Promise((r) => setTimeout(r, 3_000));
    assert.ok((await namesIn(outbound())).includes('intercepted.json'));
    assert.equal((await stored()).filter((m) => m.raw.includes('SFTP-MITM')).length, 0);
    await hub.close();
    hub = await startHubIn(place, sourceConfig(sshd, outbound()));
    await taken('intercepted.json');
  });
});
