import assert from 'node:assert/strict';
import { acknowledgementFrom999 } from '../../../../connectors/x12/ack/canonical.js';
import { UnanswerableInterchangeError } from '../../../../connectors/x12/ack/errors.js';
import { acknowledgeUnreadableInterchange } from '../../../../connectors/x12/ack/unreadable.js';
import { InterchangeHeaderError } from '../../../../connectors/x12/errors.js';
import { validateCanonical } from '../../../../canonical-model/validate.js';
import { corpusFiles, pyx12Log, readCorpus, UNREADABLE } from '../corpus-files.js';
import { compareWithPyx12 } from './pyx12-ack.js';
import { answerLines, NUMBERS, OPTIONS, outcomesOf, readBack, replyTo } from './replies.js';

/**
 * The answer claimhub gives each broken file of the corpus. Every file asks for a TA1 (ISA14 1) and
 * says its set has 25 segments (IK5 4). The CTX names the claim (CLM01) an error is in.
 */
const ANSWERS: Record<string, string[]> = {
  'ims-x12_bad_segment_identifier.txt': [
    'TA1*000000905*030101*1253*A*000',
    'AK1*HC*1*005010X222A1',
    'AK2*837*987654*005010X222A1',
    // "*IC*DAVID…": the PER lost its id; an id that cannot be written as one is answered ZZZ.
    'IK3*ZZZ*4**1',
    'IK3*PER*5*1000A*3',
    'IK3*ND4*9**1',
    'IK3*N4*10*2010AA*3',
    'IK3*NM3*18**1',
    'IK3*NM1*19*2010BA*3',
    'IK3*HL*25*2000B*8',
    'IK3*LX*31*2400*8',
    'CTX*CLM01:A37YH667',
    'IK5*R*4*5',
    'AK9*R*1*1*0',
  ],
  'ims-x12_bad_valid_code.txt': [
    'TA1*000000905*030101*1253*A*000',
    'AK1*HC*1*005010X222A1',
    'AK2*837*987654*005010X222A1',
    // HL*1**20 followed by NM1*117 (not a qualifier 2010AA takes): what follows has no place in 2000A.
    'IK3*NM1*7*2000A*2',
    'IK3*N3*8*2000A*2',
    'IK3*N4*9*2000A*2',
    'IK3*REF*10*2000A*2',
    'IK3*PER*11*2000A*2',
    'IK3*PER*12*2000A*2',
    'IK3*NM1*13*2010AA*3',
    'IK3*HL*25*2000B*8',
    'IK3*LX*31*2400*8',
    'CTX*CLM01:A37YH667',
    'IK5*R*4*5',
    'AK9*R*1*1*0',
  ],
  'ims-x12_loop_errors1_exceeds_max_1_parent.txt': [
    'TA1*000000905*030101*1253*A*000',
    'AK1*HC*1*005010X222A1',
    'AK2*837*987654*005010X222A1',
    'IK3*NM1*13*2010AA*4',
    'IK5*R*4*5',
    'AK9*R*1*1*0',
  ],
  'ims-x12_loop_errors2_exceeds_max_repeats_multiple_parents.txt': [
    'TA1*000000905*030101*1253*A*000',
    'AK1*HC*1*005010X222A1',
    'AK2*837*987654*005010X222A1',
    'IK3*HL*25*2000A*8',
    'IK3*NM1*32*2010AA*4',
    'IK3*HL*41*2000B*8',
    'IK5*R*4*5',
    'AK9*R*1*1*0',
  ],
  'ims-x12_loop_errors3_missing_loops.txt': [
    'TA1*000000905*030101*1253*A*000',
    'AK1*HC*1*005010X222A1',
    'AK2*837*987654*005010X222A1',
    'IK3*NM1*7*2010AA*3',
    'IK5*R*4*5',
    'AK9*R*1*1*0',
  ],
  'ims-x12_missing_elements.txt': [
    'TA1*000000905*030101*1253*A*000',
    'AK1*HC*1*005010X222A1',
    'AK2*837*987654*005010X222A1',
    'IK3*HL*25*2000B*8',
    'IK3*LX*31*2400*8',
    'CTX*CLM01:A37YH667',
    'IK5*R*4*5',
    'AK9*R*1*1*0',
  ],
  'ims-x12_missing_required_loop_in_one_repeat.txt': [
    'TA1*000000905*030101*1253*A*000',
    'AK1*HC*1*005010X222A1',
    'AK2*837*987654*005010X222A1',
    'IK3*HL*16*2000B*8',
    'IK3*NM1*18*2010BA*3',
    'IK3*LX*21*2400*8',
    'CTX*CLM01:A37YH667',
    'IK3*HL*24*2000A*8',
    'IK3*HL*31*2000B*8',
    'IK5*R*4*5',
    'AK9*R*1*1*0',
  ],
  'ims-x12_segment_errors.txt': [
    'TA1*000000905*030101*1253*A*000',
    'AK1*HC*1*005010X222A1',
    'AK2*837*987654*005010X222A1',
    // A missing segment is answered at the position where the reader noticed it (the next segment).
    'IK3*N3*8*2010AA*3',
    'IK3*REF*10*2010AA*5',
    'IK3*HI*20*2300*3',
    'CTX*CLM01:A37YH556',
    'IK5*R*4*5',
    'AK9*R*1*1*0',
  ],
  'ims-x12_segments_out_of_order.txt': [
    'TA1*000000905*030101*1253*A*000',
    'AK1*HC*1*005010X222A1',
    'AK2*837*987654*005010X222A1',
    // N4 before N3: N4 is noticed missing at the REF, then the late N4 is out of sequence (7).
    'IK3*N4*9*2010AA*3',
    'IK3*N4*10*2010AA*7',
    'IK3*N3*14*2010AB*3',
    'IK3*N3*15*2010AB*7',
    'IK3*HL*25*2000B*8',
    'IK3*LX*31*2400*8',
    'CTX*CLM01:A37YH667',
    'IK5*R*4*5',
    'AK9*R*1*1*0',
  ],
};

const invalid = corpusFiles().filter((file) => file.startsWith('invalid/'));
const name = (file: string) => file.split('/')[1];

describe('X12 acknowledgements for the broken corpus files', () => {
  it('has an answer for every file of the invalid corpus', () => {
    assert.deepEqual(
      invalid
        .map(name)
        .filter((file) => !UNREADABLE.has(file))
        .sort(),
      Object.keys(ANSWERS).sort(),
    );
  });

  for (const file of invalid.filter((f) => !UNREADABLE.has(name(f)))) {
    it(`answers ${name(file)} with a 999 that locates each defect`, async () => {
      const reply = (await replyTo(readCorpus(file)))!;
      assert.deepEqual(answerLines(reply), ANSWERS[name(file)]);
    });

    it(`answers ${name(file)} as pyx12 reports it, or says why not`, async () => {
      const reply = (await replyTo(readCorpus(file)))!;
      const comparison = compareWithPyx12(pyx12Log(file)!, reply.implementationAcknowledgments[0]);
      assert.deepEqual(comparison.unexplained, [], 'pyx12 findings claimhub neither answers nor explains');
      assert.deepEqual(comparison.oursOnly, [], 'claimhub answers no pyx12 line backs');
      assert.ok(comparison.matched.length > 0);
    });

    it(`reads back its own answer to ${name(file)}: the same 999, a valid canonical Acknowledgement`, async () => {
      const reply = (await replyTo(readCorpus(file)))!;
      const back = readBack(reply);
      // The TA1 between ISA and GS is where X12.5 puts it: the whole reply reads back clean.
      assert.deepEqual(back.interchangeFindings, []);
      assert.deepEqual([...back.groupFindings, ...back.setFindings], []);
      assert.deepEqual(back.acks, reply.implementationAcknowledgments);
      assert.deepEqual(
        back.ta1s.map((received) => received.ta1),
        [reply.ta1],
      );
      const canonical = acknowledgementFrom999(back.sets[0], 'test-partner');
      assert.deepEqual(validateCanonical(canonical), []);
      assert.equal(canonical.status, 'rejected');
    });
  }

  it('answers ims-x12_bad_first_line (ISA02 one character short) with a TA1 R 011 from the fields it can still tell apart', async () => {
    const text = readCorpus('invalid/ims-x12_bad_first_line.txt');
    // pyx12 cannot read it either: its log says only "Failure".
    assert.match(pyx12Log('invalid/ims-x12_bad_first_line.txt')!, /Failure/);
    const error = await outcomesOf(text).then(
      () => assert.fail('the ISA should be refused'),
      (thrown: unknown) => thrown as InterchangeHeaderError,
    );
    assert.ok(error instanceof InterchangeHeaderError);
    const reply = acknowledgeUnreadableInterchange(error, text, NUMBERS, OPTIONS);
    assert.deepEqual(reply.text.split('\n').filter(Boolean), [
      'ISA*00*          *00*          *ZZ*RECEIVERS.ID   *ZZ*SUBMITTERS.ID  *261125*1000*^*00501*000004321*0*T*:~',
      'TA1*000000905*030101*1253*R*011~',
      'IEA*0*000004321~',
    ]);
    assert.deepEqual(reply.implementationAcknowledgments, []);
  });

  it('cannot answer ims-x12_no_isa_line with a TA1: there is no ISA13 to echo, so the caller gets a typed error', async () => {
    const text = readCorpus('invalid/ims-x12_no_isa_line.txt');
    assert.match(pyx12Log('invalid/ims-x12_no_isa_line.txt')!, /Failure/);
    const error = await outcomesOf(text).then(
      () => assert.fail('the input should be refused'),
      (thrown: unknown) => thrown as InterchangeHeaderError,
    );
    assert.throws(
      () => acknowledgeUnreadableInterchange(error, text, NUMBERS, OPTIONS),
      (thrown: unknown) => {
        assert.ok(thrown instanceof UnanswerableInterchangeError);
        assert.equal(thrown.ta1NoteCode, '022');
        assert.equal(thrown.permanent, true);
        assert.deepEqual(
          thrown.issues.map((issue) => issue.rule),
          ['isa-layout'],
        );
        return true;
      },
    );
  });
});
