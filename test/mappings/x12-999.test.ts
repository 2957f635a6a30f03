// The shipped x12-999 mapping: inbound 999s (a clearinghouse's or a payer's answer to the 837s the
// hub sent) become canonical Acknowledgements whose items name the group and sets they answer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Acknowledgement } from '../../canonical-model/types.js';
import { splitX12 } from '../../connectors/x12/inbound.js';
import { CORPUS } from '../support/corpus.js';
import { shippedTranslator } from './helpers.js';

const corpus = (file: string) => readFileSync(join(CORPUS, 'x12', file), 'utf8');

async function acknowledgements(raw: string): Promise<Acknowledgement[]> {
  const translation = await (await shippedTranslator()).translate({ raw, source: 'test' });
  assert.ok(translation.ok, translation.ok ? '' : `${translation.stage}: ${translation.error.message}`);
  return translation.objects as Acknowledgement[];
}

/** The 999 claimhub itself answers `raw` with (its own numbers), as a partner would send it back. */
async function ourReply(raw: string): Promise<string> {
  let next = 500;
  const batch = await splitX12(raw, { nextControlNumbers: async (_name, count) => Array.from({ length: count }, () => next++) });
  assert.ok(batch.acknowledgement);
  return batch.acknowledgement.text;
}

describe('x12-999: inbound 999 → canonical Acknowledgement', () => {
  it('maps the corpus rejection: group 28 and set 0028 rejected, the segment error located', async () => {
    const [ack] = await acknowledgements(corpus('999/ims-x12_999_rejected.txt'));
    assert.equal(ack.kind, 'x12-999');
    assert.equal(ack.status, 'rejected');
    assert.equal(ack.provenance.mapping, 'x12-999@1.0.0');
    assert.deepEqual(
      ack.acknowledged.map((item) => [item.level, item.controlNumber, item.status]),
      [
        ['group', '28', 'rejected'],
        ['transaction-set', '0028', 'rejected'],
      ],
    );
    assert.deepEqual(ack.acknowledged[1].statusCodes, [{ system: 'X12-IK502', code: '5' }]);
    assert.deepEqual(ack.errors, [
      { location: { controlNumber: '0028', segment: 'NM', segmentPosition: 17 }, code: { system: 'X12-IK304', code: '1' }, severity: 'error' },
    ]);
    assert.equal(ack.extensions?.guide, '005010X223A2');
  });

  it('refuses the corpus "accepted" 999 for its own envelope defects (GS05 time, IEA02), as a TA1/999 would', async () => {
    const translation = await (await shippedTranslator()).translate({ raw: corpus('999/ims-x12_999_accepted.txt'), source: 'test' });
    assert.equal(translation.ok, false);
    if (translation.ok) return;
    assert.equal(translation.stage, 'parse');
    assert.deepEqual(translation.error.issues.map((i) => i.rule), ['time', 'control-number-match']);
  });

  it('reads the 999 claimhub writes for an accepted 837: group and set accepted', async () => {
    const [ack] = await acknowledgements(await ourReply(corpus('837p/stupidedi-837p-ambulance.edi')));
    assert.equal(ack.status, 'accepted');
    assert.deepEqual(
      ack.acknowledged.map((item) => [item.level, item.controlNumber, item.status]),
      [
        ['group', '20213', 'accepted'],
        ['transaction-set', '000017712', 'accepted'],
      ],
    );
    assert.deepEqual(ack.errors, []);
  });

  it('reads the 999 claimhub writes for a rejected 837: IK3 segment errors with their loops', async () => {
    const [ack] = await acknowledgements(await ourReply(corpus('837p/ims-x12_valid.txt')));
    assert.equal(ack.status, 'rejected');
    assert.deepEqual(ack.acknowledged[1].statusCodes?.map((c) => c.code), ['4', '5']);
    assert.ok(ack.errors.length > 0);
    assert.ok(ack.errors.every((e) => e.location.controlNumber === '987654'));
    assert.ok(ack.errors.some((e) => e.code.system === 'X12-IK304' && e.location.loop));
    // element errors (IK4) come located to their element, under their segment's IK3
    assert.ok(ack.errors.filter((e) => e.code.system === 'X12-IK403').every((e) => e.location.segment && e.location.element));
  });

  it('refuses an unknown IK501: the element check finds it before the mapping runs', async () => {
    const text = corpus('999/ims-x12_999_rejected.txt').replace('IK5*R*5', 'IK5*Q*5');
    const translation = await (await shippedTranslator()).translate({ raw: text, source: 'test' });
    assert.equal(translation.ok, false);
    if (translation.ok) return;
    assert.equal(translation.stage, 'parse');
    assert.deepEqual(translation.error.issues.map((i) => [i.rule, i.path.split(' ')[0]]), [['code-value', 'IK501']]);
  });
});

describe('x12-ta1: inbound TA1 → canonical Acknowledgement', () => {
  const ISA = 'ISA*00*          *00*          *ZZ*PAYERTEST      *ZZ*CLAIMHUBTEST   *240116*0800*^*00501*000000555*0*P*:~';
  const ta1 = (status: string, note: string) => `${ISA}TA1*000000101*240115*0930*${status}*${note}~IEA*0*000000555~`;

  it('maps a TA1 R: the interchange it answers rejected, with its note code as the error', async () => {
    const [ack] = await acknowledgements(ta1('R', '006'));
    assert.equal(ack.kind, 'x12-ta1');
    assert.equal(ack.status, 'rejected');
    assert.equal(ack.controlNumber, '000000555');
    assert.equal(ack.createdAt, '2024-01-15T09:30:00Z');
    assert.deepEqual(ack.acknowledged, [
      { level: 'interchange', controlNumber: '000000101', status: 'rejected', statusCodes: [{ system: 'X12-TA105', code: '006' }] },
    ]);
    assert.deepEqual(ack.errors, [
      { location: { controlNumber: '000000101', segment: 'ISA' }, code: { system: 'X12-TA105', code: '006' }, severity: 'error' },
    ]);
  });

  it('maps a TA1 A without errors', async () => {
    const [ack] = await acknowledgements(ta1('A', '000'));
    assert.equal(ack.status, 'accepted');
    assert.deepEqual(ack.errors, []);
  });

  it('refuses an unknown TA104 at that element', async () => {
    const translation = await (await shippedTranslator()).translate({ raw: ta1('Q', '000'), source: 'test' });
    assert.equal(translation.ok, false);
    if (translation.ok) return;
    assert.equal(translation.stage, 'map');
    assert.deepEqual(translation.error.issues.map((i) => [i.rule, i.path.split(' ')[0]]), [['acknowledgement-code', 'TA104']]);
  });
});
