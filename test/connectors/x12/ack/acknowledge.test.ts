import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { acknowledgeInterchange } from '../../../../connectors/x12/ack/acknowledge.js';
import { acknowledgementFrom999 } from '../../../../connectors/x12/ack/canonical.js';
import {
  AcknowledgementCollector,
  type AckFinding,
  type InterchangeOutcome,
  type TransactionSetOutcome,
} from '../../../../connectors/x12/ack/outcome.js';
import { acknowledgeUnreadableInterchange } from '../../../../connectors/x12/ack/unreadable.js';
import type { InterchangeHeaderError } from '../../../../connectors/x12/errors.js';
import { readX12 } from '../../../../connectors/x12/read.js';
import { validateCanonical } from '../../../../canonical-model/validate.js';
import { readCorpus, readFixture } from '../corpus-files.js';
import { answerLines, NUMBERS, OPTIONS, outcomesOf, readBack, replyTo } from './replies.js';

/** The fixture 837P (valid, ISA14 1) with `from` replaced by `to`. */
function edited(from: string, to: string, text = readFixture('valid-837p.x12')): string {
  assert.ok(text.includes(from), from);
  return text.replace(from, to);
}

/** The valid fixture with ISA14 0: a reply holds no TA1 unless something is wrong. */
const noTa1Asked = () => edited('*00501*000000101*1*T*', '*00501*000000101*0*T*');

async function outcomeOf(text: string): Promise<InterchangeOutcome> {
  const [interchange] = await outcomesOf(text);
  return interchange;
}

/** An AckFinding on the fixture's only set (CLM is segment 18 of it, in claim PCN0001, DTP 22 the last). */
function add(outcome: InterchangeOutcome, ...findings: Partial<AckFinding>[]): TransactionSetOutcome {
  const set = outcome.groups[0].transactionSets[0];
  for (const finding of findings)
    set.findings.push({ level: 'segment', code: '2', segmentId: 'CLM', position: 18, message: 'test', ...finding });
  return set;
}

const answer = (outcome: InterchangeOutcome) => answerLines(acknowledgeInterchange(outcome, NUMBERS, OPTIONS)!);

describe('X12 acknowledgement replies', () => {
  it('accepts a valid 837P with a 999 AK9*A, addressed back to its sender, and no TA1 when none is asked', async () => {
    const reply = (await replyTo(readCorpus('837p/stupidedi-837p-ambulance.edi')))!;
    assert.equal(reply.ta1, null);
    assert.deepEqual(reply.text.split('\n').filter(Boolean), [
      // ISA05/06 ↔ ISA07/08 and GS02 ↔ GS03 swapped; the sender's own delimiters (ISA11 >); ISA15 T copied; ISA14 0.
      'ISA*00*          *00*          *ZZ*123456789012346*ZZ*123456789012345*261125*1000*>*00501*000004321*0*T*:~',
      'GS*FA*9876543210*1234567890*20261125*1000*77*X*005010X231A1~',
      'ST*999*0001*005010X231A1~',
      'AK1*HC*20213*005010X222A1~',
      'AK2*837*000017712*005010X222A1~',
      'IK5*A~',
      'AK9*A*1*1*1~',
      'SE*6*0001~',
      'GE*1*77~',
      'IEA*1*000004321~',
    ]);
    assert.equal(reply.interchangeControlNumber, '000004321');
    assert.equal(reply.groupControlNumber, '77');
    const back = readBack(reply);
    assert.deepEqual([...back.interchangeFindings, ...back.groupFindings, ...back.setFindings], []);
    assert.deepEqual(back.acks, reply.implementationAcknowledgments);
    const canonical = acknowledgementFrom999(back.sets[0], 'test-partner');
    assert.deepEqual(validateCanonical(canonical), []);
    assert.deepEqual(
      canonical.acknowledged.map((item) => [item.level, item.controlNumber, item.status]),
      [
        ['group', '20213', 'accepted'],
        ['transaction-set', '000017712', 'accepted'],
      ],
    );
  });

  it('answers each of three functional groups with its own 999, in one FA group (ims-x12_multiple_gs)', async () => {
    const reply = (await replyTo(readCorpus('837p/ims-x12_multiple_gs.txt')))!;
    // IEA01 says 1 group for 3: noted (TA1 E), the groups were read whole and are answered.
    assert.deepEqual(reply.ta1, { controlNumber: '000000905', date: '030101', time: '1253', status: 'E', noteCode: '021' });
    assert.deepEqual(
      reply.implementationAcknowledgments.map((ack) => [ack.controlNumber, ack.group.controlNumber, ack.status, ack.codes]),
      [
        ['0001', '1', 'R', []],
        // The three groups share GS06 1: the second and third are answered AK905 19.
        ['0002', '1', 'R', ['19']],
        ['0003', '1', 'R', ['19']],
      ],
    );
    const lines = reply.text.split('\n');
    assert.deepEqual(
      lines.filter((line) => /^(GS|ST|SE|GE|AK9)\*/.test(line)),
      [
        'GS*FA*RECEIVER CODE*SENDER CODE*20261125*1000*77*X*005010X231A1~',
        'ST*999*0001*005010X231A1~',
        'AK9*R*1*1*0~',
        'SE*9*0001~',
        'ST*999*0002*005010X231A1~',
        'AK9*R*1*1*0*19~',
        'SE*9*0002~',
        'ST*999*0003*005010X231A1~',
        'AK9*R*1*1*0*19~',
        'SE*9*0003~',
        'GE*3*77~',
      ],
    );
    const back = readBack(reply);
    assert.deepEqual(back.interchangeFindings, []);
    assert.deepEqual([...back.groupFindings, ...back.setFindings], []);
    assert.deepEqual(back.acks, reply.implementationAcknowledgments);
  });

  it('rejects a set whose SE count is wrong (IK5 R 4) and so its group (AK9 R)', async () => {
    assert.deepEqual(answerLines((await replyTo(readFixture('wrong-se-count.x12')))!), [
      'TA1*000000101*240115*0930*A*000',
      'AK1*HC*101*005010X222A1',
      'AK2*837*0001*005010X222A1',
      'IK5*R*4',
      'AK9*R*1*1*0',
    ]);
  });

  it('rejects a group whose GE is missing (AK9 R 3), though its set is sound, and counts no set accepted', async () => {
    const reply = (await replyTo(edited('GE*1*101~\n', '')))!;
    assert.deepEqual(answerLines(reply), [
      'TA1*000000101*240115*0930*A*000',
      'AK1*HC*101*005010X222A1',
      'AK2*837*0001*005010X222A1',
      'IK5*A',
      // AK902: no GE01 to read, so the sets received.
      'AK9*R*1*1*0*3',
    ]);
    assert.deepEqual(readBack(reply).acks, reply.implementationAcknowledgments);
  });

  it('rejects a group whose GE01 miscounts its sets (AK9 R 5), AK902 repeating what GE01 says', async () => {
    assert.deepEqual(answerLines((await replyTo(readFixture('ge-count-wrong.x12')))!).slice(-2), ['IK5*A', 'AK9*R*2*1*0*5']);
  });

  it('rejects a truncated interchange with a TA1 R 023 and answers none of its groups', async () => {
    const reply = (await replyTo(readFixture('truncated.x12')))!;
    assert.deepEqual(reply.text.split('\n').filter(Boolean), [
      'ISA*00*          *00*          *ZZ*PAYERTEST      *ZZ*CLAIMHUBTEST   *261125*1000*^*00501*000004321*0*T*:~',
      'TA1*000000101*240115*0930*R*023~',
      'IEA*0*000004321~',
    ]);
    assert.deepEqual(reply.implementationAcknowledgments, []);
    assert.equal(reply.groupControlNumber, null);
  });

  it('notes an IEA without its own terminator (TA1 E 023) and still answers the group', async () => {
    const reply = (await replyTo(readFixture('valid-837p.x12').trimEnd().replace(/~$/, '')))!;
    assert.deepEqual(reply.ta1?.status, 'E');
    assert.deepEqual(reply.ta1?.noteCode, '023');
    assert.deepEqual(answerLines(reply).at(-1), 'AK9*A*1*1*1');
  });

  it('rejects an interchange with a bad header value (TA1 R 014) even when no TA1 is asked, and answers no group', async () => {
    const reply = (await replyTo(edited('*240115*0930*^', '*241315*0930*^', noTa1Asked())))!;
    assert.deepEqual(answerLines(reply), ['TA1*000000101*241315*0930*R*014']);
  });

  it('rejects an ISA13 already received in the same input (TA1 R 025): processing it again would duplicate it', async () => {
    const text = readFixture('valid-837p.x12');
    const [first, second] = await outcomesOf(text + text);
    assert.equal(acknowledgeInterchange(first, NUMBERS, OPTIONS)!.ta1?.status, 'A');
    assert.deepEqual(answerLines(acknowledgeInterchange(second, NUMBERS, OPTIONS)!), ['TA1*000000101*240115*0930*R*025']);
  });

  it('answers a bad ISA length (ISA06 14 wide) with a TA1 R 006 addressed to the sender it names', async () => {
    const text = readFixture('bad-isa-length.x12');
    const error = await outcomesOf(text).then(
      () => assert.fail('the ISA should be refused'),
      (thrown: unknown) => thrown as InterchangeHeaderError,
    );
    const reply = acknowledgeUnreadableInterchange(error, text, NUMBERS, OPTIONS);
    assert.deepEqual(reply.text.split('\n').filter(Boolean), [
      'ISA*00*          *00*          *ZZ*PAYERTEST      *ZZ*CLAIMHUBTEST   *261125*1000*^*00501*000004321*0*T*:~',
      'TA1*000000101*240115*0930*R*006~',
      'IEA*0*000004321~',
    ]);
    assert.deepEqual(readBack(reply).ta1s, [
      {
        interchangeControlNumber: '000004321',
        ta1: { controlNumber: '000000101', date: '240115', time: '0930', status: 'R', noteCode: '006' },
      },
    ]);
  });

  it('owes nothing for an interchange without groups or problems when no TA1 is asked', async () => {
    const text = noTa1Asked().split('\n');
    const empty = [text[0], 'IEA*0*000000101~'].join('\n');
    assert.equal(await replyTo(empty), null);
    assert.equal((await replyTo(empty.replace('*0*T*:', '*1*T*:')))?.ta1?.status, 'A');
  });

  it('notes a transaction set outside any group (TA1 E 024): no 999 can answer it', async () => {
    const text = noTa1Asked()
      .split('\n')
      .filter((line) => !/^G[SE]\*/.test(line))
      .join('\n')
      .replace('IEA*1*', 'IEA*0*');
    const reply = (await replyTo(text))!;
    assert.deepEqual(answerLines(reply), ['TA1*000000101*240115*0930*E*024']);
  });

  it('accepts with errors (IK5 E, AK9 E) a set whose only findings are warnings, and says so in canonical form', async () => {
    const outcome = await outcomeOf(noTa1Asked());
    add(outcome, {
      level: 'element',
      code: '7',
      element: 1,
      elementReference: '1028',
      badValue: 'PCN0001',
      severity: 'warning',
      loopId: '2300',
    });
    const reply = acknowledgeInterchange(outcome, NUMBERS, OPTIONS)!;
    assert.deepEqual(answerLines(reply), [
      'AK1*HC*101*005010X222A1',
      'AK2*837*0001*005010X222A1',
      'IK3*CLM*18*2300*8',
      'CTX*CLM01:PCN0001',
      'IK4*1*1028*7*PCN0001',
      'IK5*E*5',
      'AK9*E*1*1*1',
    ]);
    const canonical = acknowledgementFrom999(readBack(reply).sets[0], 'test-partner');
    assert.deepEqual(validateCanonical(canonical), []);
    assert.equal(canonical.status, 'accepted-with-errors');
    assert.deepEqual(canonical.errors, [
      {
        location: { controlNumber: '0001', segment: 'CLM', segmentPosition: 18, loop: '2300', element: 1 },
        code: { system: 'X12-IK403', code: '7' },
        severity: 'warning',
        message: 'in CLM01 PCN0001',
        badValue: 'PCN0001',
      },
    ]);
  });

  it('partially accepts a group (AK9 P) when some of its sets are rejected', async () => {
    const text = readFixture('valid-837p.x12');
    const set = text.split('\n').slice(2, 25).join('\n').replace(/0001/g, '0002') + '\n';
    const outcome = await outcomeOf(text.replace('GE*1*101', `${set}GE*2*101`));
    assert.equal(outcome.groups[0].transactionSets.length, 2);
    // A finding the loop tree did not make is placed in no claim unless it is an element's (no CTX).
    outcome.groups[0].transactionSets[1].findings.push({
      level: 'segment',
      code: '5',
      segmentId: 'DTP',
      position: 22,
      loopId: '2400',
      message: 'test',
    });
    assert.deepEqual(answer(outcome).slice(1), [
      'AK1*HC*101*005010X222A1',
      'AK2*837*0001*005010X222A1',
      'IK5*A',
      'AK2*837*0002*005010X222A1',
      'IK3*DTP*22*2400*5',
      'IK5*R*5',
      'AK9*P*2*2*1',
    ]);
  });

  it('writes IK4 positions with component and repetition, and copies the bad value only where 005010X231A1 lets it', async () => {
    const outcome = await outcomeOf(noTa1Asked());
    add(
      outcome,
      // CLM05-3: component 3 of element 5; a composite's reference (C023) is no IK402 (N0 1/4).
      { level: 'element', code: '7', element: 5, component: 3, elementReference: 'C023', badValue: '9' },
      // A missing value has nothing to copy (and an element finding may not know its loop).
      { level: 'element', code: '1', element: 2, elementReference: 782, loopId: null },
      // An invalid character is the fault itself: not copied.
      { level: 'element', code: '6', element: 1, elementReference: '1028', badValue: 'PCN\u0007' },
      // A value holding the 999's component separator would shift the IK4's elements.
      { level: 'element', code: '7', element: 11, repetition: 2, elementReference: '1362', badValue: 'AA:BB' },
      // Too long for IK404 (AN 1/99).
      { level: 'element', code: '5', element: 1, elementReference: '1028', badValue: 'X'.repeat(100) },
    );
    assert.deepEqual(answerLines(acknowledgeInterchange(outcome, NUMBERS, OPTIONS)!).slice(2, -2), [
      'IK3*CLM*18**8',
      'CTX*CLM01:PCN0001',
      'IK4*5:3**7*9',
      'IK4*2*782*1',
      'IK4*1*1028*6',
      'IK4*11::2*1362*7',
      'IK4*1*1028*5',
    ]);
  });

  it('gives an IK3 one line per IK304 code, in segment order, and names the situational trigger (CTX, at most 9)', async () => {
    const outcome = await outcomeOf(noTa1Asked());
    const trigger = { segmentId: 'CLM', position: 18, loopId: '2300', element: 5, component: 3 };
    add(
      outcome,
      { code: '3', segmentId: 'REF', position: 20, loopId: '2300' },
      ...Array.from({ length: 11 }, (_, i) => ({
        code: '2',
        segmentId: 'HI',
        position: 19,
        loopId: '2300',
        trigger: { ...trigger, position: i + 1 },
      })),
      { code: '5', segmentId: 'HI', position: 19, loopId: '2300' },
      { level: 'element', code: 'I12', segmentId: 'HI', position: 19, element: 1, component: 2, trigger },
    );
    const lines = answerLines(acknowledgeInterchange(outcome, NUMBERS, OPTIONS)!);
    assert.deepEqual(lines.slice(2, 4), ['IK3*HI*19*2300*2', 'CTX*SITUATIONAL TRIGGER*CLM*1*2300*5:3']);
    assert.deepEqual(
      lines.filter((line) => line.startsWith('CTX*SITUATIONAL')).length,
      9 + 1,
      'nine segment contexts for the IK3 with code 2, one element context',
    );
    assert.deepEqual(
      lines.filter((line) => /^(IK3|IK4|IK5)/.test(line)),
      ['IK3*HI*19*2300*2', 'IK3*HI*19*2300*5', 'IK3*HI*19**8', 'IK4*1:2**I12', 'IK3*REF*20*2300*3', 'IK5*R*5'],
    );
    assert.equal(lines[lines.indexOf('IK4*1:2**I12') + 1], 'CTX*SITUATIONAL TRIGGER*CLM*18*2300*5:3');
    const reply = acknowledgeInterchange(outcome, NUMBERS, OPTIONS)!;
    assert.deepEqual(readBack(reply).acks, reply.implementationAcknowledgments);
  });

  it('keeps IK5 and AK9 to five codes each (IK502–IK506, AK905–AK909)', async () => {
    const outcome = await outcomeOf(noTa1Asked());
    add(
      outcome,
      ...['1', '3', '6', '7', '19', '23'].map((code) => ({ level: 'transaction-set' as const, code, segmentId: 'ST', position: 1 })),
    );
    outcome.groups[0].findings.push(
      ...['1', '2', '4', '5', '6', '19'].map((code) => ({ level: 'group' as const, code, segmentId: 'GS', position: 0, message: 'test' })),
    );
    assert.deepEqual(answerLines(acknowledgeInterchange(outcome, NUMBERS, OPTIONS)!).slice(-2), [
      'IK5*R*1*3*6*7*19',
      'AK9*R*1*1*0*1*2*4*5*6',
    ]);
  });

  it('names the claim an error is in (CTX CLM01), cut to 35 characters, and not at all when its number holds a delimiter', async () => {
    const long = 'CLAIM-0001-2024-0115-RIVERSIDE-CLINIC-XYZ';
    const twice = (clm01: string) =>
      edited('DTP*472*D8*20240110~', 'DTP*472*D8*20240110~\nDTP*472*D8*20240110~', edited('CLM*PCN0001*', `CLM*${clm01}*`, noTa1Asked()));
    const ctx = async (clm01: string) =>
      answerLines((await replyTo(twice(clm01).replace('SE*23*', 'SE*24*')))!).filter((line) => /^(IK3|CTX)/.test(line));
    assert.deepEqual(await ctx(long), ['IK3*DTP*23*2400*5', `CTX*CLM01:${long.slice(0, 35)}`]);
    assert.deepEqual(await ctx('PCN:0001'), ['IK3*DTP*23*2400*5']);
  });

  it('collects from readX12 events as well: envelope findings only, since no structure reader ran', async () => {
    const collector = new AcknowledgementCollector();
    for await (const event of readX12(Readable.from([readCorpus('invalid/ims-x12_segment_errors.txt')]))) collector.onEvent(event);
    assert.deepEqual(answerLines(acknowledgeInterchange(collector.interchanges[0], NUMBERS, OPTIONS)!).slice(1), [
      'AK1*HC*1*005010X222A1',
      'AK2*837*987654*005010X222A1',
      'IK5*R*4',
      'AK9*R*1*1*0',
    ]);
  });

  it('writes no CTX for an error outside any claim', async () => {
    const reply = (await replyTo(edited('N4*SPRINGFIELD*IL*627010000~\n', '', noTa1Asked()).replace('SE*23*', 'SE*22*')))!;
    assert.deepEqual(answerLines(reply).slice(2, -2), ['IK3*N4*9*2010AA*3']);
  });
});
