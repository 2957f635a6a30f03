import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryRefusedError } from '../../../canonical-model/errors.js';
import { FileDestination } from '../../../connectors/file/outbound.js';
import type { Delivery } from '../../../connectors/destination.js';

const delivery = (messageId: string, claimNumbers: string[]): Delivery => ({
  messageId,
  destinationId: 'outbox',
  idempotencyKey: `${messageId}.outbox`,
  attempt: 1,
  objects: claimNumbers.map((claimNumber, i) => ({
    id: `c${i}`,
    seq: i + 1,
    canonical: { resourceType: 'Claim', claimNumber, totalCharge: '10.00' },
  })),
});

describe('file destination', () => {
  it('writes one JSON file per claim, named after claim number, message and sequence', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'claimhub-out-'));
    const receipt = await new FileDestination({ id: 'outbox', dir }).deliver(delivery('m1', ['A-1', 'A/2 x']));
    assert.deepEqual(receipt.files, ['A-1_m1_1.json', 'A_2_x_m1_2.json'], 'unsafe characters in claim numbers become _');
    assert.equal(JSON.parse(await readFile(join(dir, 'A-1_m1_1.json'), 'utf8')).claimNumber, 'A-1');
  });

  it('lands a resend of the same delivery on the same file instead of adding one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'claimhub-out-'));
    const destination = new FileDestination({ id: 'outbox', dir });
    await destination.deliver(delivery('m2', ['B-1']));
    await destination.deliver(delivery('m2', ['B-1']));
    assert.deepEqual(await readdir(dir), ['B-1_m2_1.json']);
  });

  it('creates its directory on first use', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'claimhub-out-')), 'nested', 'outbox');
    await new FileDestination({ id: 'outbox', dir }).deliver(delivery('m3', ['C-1']));
    assert.deepEqual(await readdir(dir), ['C-1_m3_1.json']);
  });

  it('refuses for good when its directory is a file (a permanent error, not a retry)', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'claimhub-out-'));
    const notADir = join(parent, 'file');
    await writeFile(notADir, 'x');
    await assert.rejects(
      new FileDestination({ id: 'outbox', dir: notADir }).deliver(delivery('m4', ['D-1'])),
      (error: unknown) => error instanceof DeliveryRefusedError && error.permanent && /EEXIST|ENOTDIR/.test(error.message),
    );
  });

  it('removes temp files a crashed writer left more than a minute ago, and keeps fresh ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'claimhub-out-'));
    await writeFile(join(dir, '.old_m_1.json.abc.tmp'), '{"half');
    await writeFile(join(dir, '.new_m_1.json.def.tmp'), '{"half');
    const longAgo = new Date(Date.now() - 5 * 60_000);
    await utimes(join(dir, '.old_m_1.json.abc.tmp'), longAgo, longAgo);
    await new FileDestination({ id: 'outbox', dir }).deliver(delivery('m5', ['E-1']));
    assert.deepEqual((await readdir(dir)).sort(), ['.new_m_1.json.def.tmp', 'E-1_m5_1.json']);
  });
});

describe('file destination under concurrency', () => {
  it('delivers many concurrent messages, each to its own complete file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'claimhub-out-'));
    const destination = new FileDestination({ id: 'outbox', dir });
    await Promise.all(Array.from({ length: 200 }, (_, i) => destination.deliver(delivery(`m${i}`, [`N-${i}`]))));
    const files = await readdir(dir);
    assert.equal(files.length, 200);
    for (const f of files) assert.match(JSON.parse(await readFile(join(dir, f), 'utf8')).claimNumber, /^N-\d+$/);
  });
});
