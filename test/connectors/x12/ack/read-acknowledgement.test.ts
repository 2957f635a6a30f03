import assert from 'node:assert/strict';
import { acknowledgementFrom999, acknowledgementsFromTa1s } from '../../../../connectors/x12/ack/canonical.js';
import { AcknowledgmentReadError } from '../../../../connectors/x12/ack/errors.js';
import { readImplementationAcknowledgment } from '../../../../connectors/x12/ack/read-999.js';
import { tokenize } from '../../../../connectors/x12/tokenizer.js';
import { readEnvelopes, type TransactionSetEvent } from '../../../../connectors/x12/transaction-sets.js';
import { validateCanonical } from '../../../../canonical-model/validate.js';
import { readCorpus } from '../corpus-files.js';

function sets(text: string): TransactionSetEvent[] {
  return readEnvelopes(tokenize(text)).filter((event): event is TransactionSetEvent => event.kind === 'transaction-set');
}

const ENVELOPE = (body: string[]) =>
  [
    'ISA*00*          *00*          *ZZ*PAYERTEST      *ZZ*CLAIMHUBTEST   *240116*0800*^*00501*000000555*0*P*:~',
    'GS*FA*PAYERTEST*CLAIMHUBTEST*20240116*0800*555*X*005010X231A1~',
    'ST*999*0001*005010X231A1~',
    ...body.map((line) => `${line}~`),
    `SE*${body.length + 2}*0001~`,
    'GE*1*555~',
    'IEA*1*000000555~',
  ].join('\n');

describe('reading received 999s and TA1s', () => {
  it('reads the accepted 999 of the corpus into a valid canonical Acknowledgement', () => {
    const [set] = sets(readCorpus('999/ims-x12_999_accepted.txt'));
    const ack = acknowledgementFrom999(set, 'clearinghouse');
    assert.deepEqual(validateCanonical(ack), []);
    assert.deepEqual(ack, {
      resourceType: 'Acknowledgement',
      kind: 'x12-999',
      status: 'accepted',
      controlNumber: '0001',
      acknowledged: [
        { level: 'group', controlNumber: '17456', status: 'accepted' },
        { level: 'transaction-set', controlNumber: '0001', status: 'accepted' },
      ],
      errors: [],
      provenance: {
        source: 'clearinghouse',
        format: 'x12-999',
        mapping: 'x12-999@1',
        controlNumbers: { ISA13: '000000286', GS06: '1', ST02: '0001' },
      },
    });
  });

  it('reads the rejected 999 of the corpus: the claim set rejected for segment 17, whose id was not recognized', () => {
    const [set] = sets(readCorpus('999/ims-x12_999_rejected.txt'));
    const ack = acknowledgementFrom999(set, 'emedny');
    assert.deepEqual(validateCanonical(ack), []);
    assert.equal(ack.status, 'rejected');
    assert.deepEqual(ack.acknowledged, [
      { level: 'group', controlNumber: '28', status: 'rejected' },
      { level: 'transaction-set', controlNumber: '0028', status: 'rejected', statusCodes: [{ system: 'X12-IK502', code: '5' }] },
    ]);
    assert.deepEqual(ack.errors, [
      {
        location: { controlNumber: '0028', segment: 'NM', segmentPosition: 17 },
        code: { system: 'X12-IK304', code: '1' },
        severity: 'error',
      },
    ]);
    assert.deepEqual(readImplementationAcknowledgment(set), {
      controlNumber: '95832987',
      group: { functionalIdentifier: 'HC', controlNumber: '28', version: '005010X223A2' },
      transactionSets: [
        {
          id: '837',
          controlNumber: '0028',
          segments: [{ segmentId: 'NM', position: 17, code: '1', triggers: [], elements: [] }],
          status: 'R',
          codes: ['5'],
        },
      ],
      status: 'R',
      included: 1,
      received: 1,
      accepted: 0,
      codes: [],
    });
  });

  it('reads IK4s, business units and situational triggers into errors located down to the component', () => {
    const [set] = sets(
      ENVELOPE([
        'AK1*HC*17*005010X222A1',
        'AK2*837*0001*005010X222A1',
        'IK3*CLM*23*2300*8',
        'CTX*SITUATIONAL TRIGGER*CLM*23*2300*5:3',
        'CTX*CLM01:A37YH556',
        'IK4*2*782*6*283.3A',
        'IK4*5:3*1325*7',
        'IK5*R*5',
        'AK2*837*0002*005010X222A1',
        'IK5*A',
        'AK9*P*2*2*1',
      ]),
    );
    const ack = acknowledgementFrom999(set, 'clearinghouse');
    assert.deepEqual(validateCanonical(ack), []);
    assert.equal(ack.status, 'partially-accepted');
    assert.deepEqual(ack.errors, [
      {
        location: { controlNumber: '0001', segment: 'CLM', segmentPosition: 23, loop: '2300', element: 2 },
        code: { system: 'X12-IK403', code: '6' },
        severity: 'error',
        message: 'in CLM01 A37YH556',
        badValue: '283.3A',
      },
      {
        location: { controlNumber: '0001', segment: 'CLM', segmentPosition: 23, loop: '2300', element: 5, component: 3 },
        code: { system: 'X12-IK403', code: '7' },
        severity: 'error',
        message: 'in CLM01 A37YH556',
      },
    ]);
    assert.deepEqual(readImplementationAcknowledgment(set).transactionSets[0].segments[0].triggers, [
      { segmentId: 'CLM', position: 23, loopId: '2300', element: 5, component: 3 },
    ]);
  });

  it('refuses a 999 it cannot read, saying where', () => {
    const refused = (body: string[], segmentId: string, element?: number) =>
      assert.throws(
        () => readImplementationAcknowledgment(sets(ENVELOPE(body))[0]),
        (error: unknown) => error instanceof AcknowledgmentReadError && error.segmentId === segmentId && error.element === element,
        body.join('~'),
      );
    refused(['AK1*HC*17*005010X222A1', 'AK2*837*0001', 'IK5*A'], 'SE');
    refused(['AK1*HC*17*005010X222A1', 'AK2*837*0001', 'IK5*Q', 'AK9*A*1*1*1'], 'IK5', 1);
    refused(['AK1*HC*17*005010X222A1', 'AK2*837*0001', 'IK3*CLM*X*2300*8', 'IK5*R*5', 'AK9*R*1*1*0'], 'IK3', 2);
    refused(['AK1*HC*17*005010X222A1', 'AK2*837*0001', 'IK3*CLM*2*2300*8', 'IK4*B*782*6', 'IK5*R*5', 'AK9*R*1*1*0'], 'IK4', 1);
    refused(['AK2*837*0001', 'IK5*A', 'AK9*A*1*1*1'], 'AK2');
  });

  it('reads each TA1 of an interchange into a canonical Acknowledgement of the interchange it answers', () => {
    const text = [
      'ISA*00*          *00*          *ZZ*PAYERTEST      *ZZ*CLAIMHUBTEST   *240116*0800*^*00501*000000556*0*P*:~',
      'TA1*000000101*240115*0930*R*011~',
      'TA1*000000102*240115*0931*A*000~',
      'IEA*0*000000556~',
    ].join('\n');
    const acks = acknowledgementsFromTa1s(tokenize(text), 'clearinghouse');
    for (const ack of acks) assert.deepEqual(validateCanonical(ack), []);
    assert.deepEqual(acks[0], {
      resourceType: 'Acknowledgement',
      kind: 'x12-ta1',
      status: 'rejected',
      controlNumber: '000000556',
      acknowledged: [
        { level: 'interchange', controlNumber: '000000101', status: 'rejected', statusCodes: [{ system: 'X12-TA105', code: '011' }] },
      ],
      errors: [],
      provenance: { source: 'clearinghouse', format: 'x12-ta1', mapping: 'x12-ta1@1', controlNumbers: { ISA13: '000000556' } },
    });
    assert.deepEqual(
      acks.map((ack) => [ack.acknowledged[0].controlNumber, ack.status]),
      [
        ['000000101', 'rejected'],
        ['000000102', 'accepted'],
      ],
    );
    assert.throws(() => acknowledgementsFromTa1s(tokenize(text.replace('*R*011', '*Q*011')), 'clearinghouse'), AcknowledgmentReadError);
  });
});
