// X12.5 lets an interchange carry TA1 interchange acknowledgments between its ISA and first GS:
// the envelope reader hands them on with the interchange instead of reporting stray content.
import assert from 'node:assert/strict';
import type { EnvelopeEvent } from '../../../connectors/x12/envelope-events.js';
import { readEnvelopes } from '../../../connectors/x12/transaction-sets.js';
import { tokenize } from '../../../connectors/x12/tokenizer.js';

const ISA = 'ISA*00*          *00*          *ZZ*PAYERTEST      *ZZ*CLAIMHUBTEST   *240116*0800*^*00501*000000555*0*P*:~';

function events(text: string): EnvelopeEvent[] {
  return readEnvelopes(tokenize(text)) as EnvelopeEvent[];
}

describe('X12 envelope: TA1 acknowledgments inside an interchange', () => {
  it('carries a TA1-only interchange with no finding', () => {
    const all = events(`${ISA}TA1*000000101*240115*0930*R*006~IEA*0*000000555~`);
    const end = all.find((e) => e.kind === 'interchange-end');
    assert.ok(end && end.kind === 'interchange-end');
    assert.deepEqual(end.findings, []);
    assert.deepEqual(end.ta1s?.map((s) => s.elements), [['000000101', '240115', '0930', 'R', '006']]);
  });

  it('still reports a TA1 inside a functional group as content out of place (TA1 024)', () => {
    const all = events(`${ISA}GS*FA*P*C*20240116*0800*1*X*005010X231A1~TA1*000000101*240115*0930*A*000~GE*0*1~IEA*1*000000555~`);
    const end = all.find((e) => e.kind === 'interchange-end');
    assert.ok(end && end.kind === 'interchange-end');
    assert.ok(end.findings.some((f) => f.code === '024' && f.segmentId === 'TA1'), JSON.stringify(end.findings.map((f) => f.message)));
    assert.deepEqual(end.ta1s, []);
  });
});
