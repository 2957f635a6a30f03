// The HL7 v2 front end (mappings/sources/hl7v2.ts): message type and control numbers, units per
// visit or per message, batches, the refusal of types claimhub does not map, read errors with their place.
import assert from 'node:assert/strict';
import { ParseError, UnsupportedMessageError } from '../../canonical-model/errors.js';
import { readMessage } from '../../mappings/sources/index.js';
import { claims, hl7Fixture, refusal, translateHl7, withField } from './hl7v2-helpers.js';

const professional = hl7Fixture('dft-p03-professional.hl7');

function thrown(raw: string): Error {
  try {
    readMessage('hl7v2', raw);
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected readMessage to throw');
}

describe('hl7v2 front end', () => {
  it('reads MSH-9.1^MSH-9.2 as the message type (not the structure) and MSH-10 and the sender as control numbers', () => {
    const message = readMessage('hl7v2', professional);
    assert.equal(message.format, 'hl7v2');
    assert.equal(message.messageType, 'DFT^P03');
    assert.deepEqual(message.controlNumbers, { controlId: 'CHG000481', sendingApplication: 'EPICCHG', sendingFacility: 'NWMC' });
    assert.equal(message.units.length, 1);
    assert.equal(message.units[0].label, 'visit V20260302-07 (segment 4, line 4)');
  });

  it('cuts a DFT^P11 into one unit per visit, each with the patient-level segments and only its own FT1s', () => {
    const { units } = readMessage('hl7v2', hl7Fixture('dft-p11-two-visits.hl7'));
    assert.deepEqual(units.map((unit) => unit.label), ['visit V20260303-02 (segment 4, line 4)', 'visit V20260305-01 (segment 8, line 8)']);
    const inputs = units.map((unit) => unit.input as Record<string, { position: number }[]>);
    assert.deepEqual(inputs.map((input) => input.FT1.map((ft1) => ft1.position)), [[6], [10, 12]]);
    assert.deepEqual(inputs.map((input) => [input.MSH.length, input.PID.length, input.EVN.length]), [[1, 1, 1], [1, 1, 1]]);
  });

  it('reads CR-terminated segments (the MLLP form) the same as lines', async () => {
    const [claim] = await claims(professional.replaceAll('\n', '\r'));
    assert.equal(claim.totalCharge, '272.30');
  });

  for (const type of ['ORU^R01', 'SIU^S12', 'MDM^T02', 'ACK']) {
    it(`refuses ${type} at MSH-9, naming it and what claimhub maps`, () => {
      const error = thrown(withField(professional, 'MSH-9', type));
      assert.ok(error instanceof UnsupportedMessageError);
      assert.equal(error.message, `${type} is not translated: claimhub maps DFT^P03, DFT^P11, BAR^P01, BAR^P12, ADT^A04, ADT^A08`);
      assert.deepEqual(error.issues.map((i) => [i.path, i.rule]), [['MSH-9', 'message-type']]);
    });
  }

  it('refuses a message without a type', () => {
    const error = thrown('MSH|^~\\&|EPIC|');
    assert.ok(error instanceof UnsupportedMessageError);
    assert.match(error.message, /^the message type \(MSH-9\) is empty: claimhub maps DFT\^P03/);
  });

  it('leaves a mapped family with an unmapped trigger (ADT^A01) to the mapping selection', async () => {
    const translation = await translateHl7(withField(hl7Fixture('adt-a08.hl7'), 'MSH-9', 'ADT^A01^ADT_A01'));
    assert.ok(!translation.ok);
    assert.equal(translation.stage, 'map');
    assert.ok(translation.error instanceof UnsupportedMessageError);
    assert.match(translation.error.message, /ADT\^A01/);
  });

  it('surfaces a read error as a ParseError naming segment, line and field', async () => {
    const refused = await refusal(professional.replace('\nPV1|', '\nPv1|'));
    assert.equal(refused.stage, 'parse');
    assert.ok(refused.error instanceof ParseError);
    assert.deepEqual(refused.issues, ['segment-id at segment 4 (line 4) Pv1']);
  });

  it('reads two messages sent one after another as a batch: one claim each, with its own MSH-10', async () => {
    const second = withField(withField(professional, 'MSH-10', 'CHG000482'), 'PV1-19', 'V20260302-08^^^NWMC^VN');
    const both = await claims(`${professional}${second}`);
    assert.deepEqual(both.map((claim) => [claim.claimNumber, claim.provenance.controlNumbers?.controlId]), [
      ['V20260302-07', 'CHG000481'], ['V20260302-08', 'CHG000482'],
    ]);
  });

  it('names the message of a batch a refusal is in', async () => {
    const second = withField(withField(withField(professional, 'MSH-10', 'CHG000482'), 'PV1-19', 'V20260302-08^^^NWMC^VN'), 'FT1-11', 'ABC&USD', 1);
    const refused = await refusal(`BHS|^~\\&|EPICCHG|NWMC\n${professional}${second}BTS|2\n`);
    assert.deepEqual(refused.issues, ['amount at FT1[1]-11 (MSH-10 CHG000482 segment 5, line 19)']);
    assert.match(refused.error.message, /visit V20260302-08 \(MSH-10 CHG000482 segment 4, line 18\): FT1-11 amount "ABC" is not a number/);
  });

  it('refuses a batch that mixes message types', () => {
    const error = thrown(`${professional}${hl7Fixture('adt-a08.hl7')}`);
    assert.ok(error instanceof UnsupportedMessageError);
    assert.equal(error.message, 'the batch mixes DFT^P03 and ADT^A08; send each message type in a batch of its own');
  });
});
