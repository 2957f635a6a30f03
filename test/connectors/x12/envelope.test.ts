import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { EnvelopeEvent } from '../../../connectors/x12/envelope-events.js';
import type { EnvelopeFinding } from '../../../connectors/x12/findings.js';
import { readX12, streamX12 } from '../../../connectors/x12/read.js';
import type { Segment } from '../../../connectors/x12/segment.js';
import { tokenize } from '../../../connectors/x12/tokenizer.js';
import { readEnvelopes, type X12Event } from '../../../connectors/x12/transaction-sets.js';
import { corpusFiles, pyx12Log, readCorpus, readFixture, UNREADABLE } from './corpus-files.js';
import { allFindings, claimhubEnvelopeLines, pyx12EnvelopeLines } from './pyx12-envelope.js';

const read = (text: string) => readEnvelopes(tokenize(text));
const findingsOf = (text: string) => allFindings(read(text)).map((finding) => `${finding.level} ${finding.code} ${finding.path}`);

/** The fixture 837P with `from` replaced by `to` (the fixture is valid: no findings). */
function edited(from: string, to: string): string {
  const text = readFixture('valid-837p.x12');
  assert.ok(text.includes(from), from);
  return text.replace(from, to);
}

function bytesIn(text: string, size: number): Readable {
  const bytes = Buffer.from(text);
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    })(),
  );
}

/**
 * Where claimhub and pyx12 (../shared/corpus/x12/pyx12-findings) differ on envelopes, and why.
 * pyx12 has no map for 278 (005010X217) and 837D (005010X224A2): it stops before any check.
 */
const OURS_ONLY: Record<string, string[]> = {
  '278/stupidedi-278-admission-request-for-review.edi': ['SE01 25 for ST02 0001: 26 segments (ST #3)'],
  '278/stupidedi-278-request-for-home-health-care.edi': ['SE01 19 for ST02 0001: 20 segments (ST #3)'],
};

describe('X12 envelope reader', () => {
  it('finds the envelope defects pyx12 finds in every corpus file, and names where it finds more', () => {
    const compared: string[] = [];
    for (const file of corpusFiles()) {
      const log = pyx12Log(file);
      if (log === undefined || UNREADABLE.has(file.split('/')[1])) continue;
      const text = readCorpus(file);
      const segments = tokenize(text);
      const ordinals = new Map(segments.map((segment, index) => [segment.offset, index + 1]));
      const ours = claimhubEnvelopeLines(readEnvelopes(segments), (segment: Segment) => ordinals.get(segment.offset)!);
      const theirs = pyx12EnvelopeLines(log);
      assert.deepEqual(ours, [...theirs, ...(OURS_ONLY[file] ?? [])].sort(), file);
      compared.push(file);
    }
    assert.ok(compared.length >= 50, `compared only ${compared.length} files`);
  });

  it('rejects what pyx12 cannot read either: no ISA, or an ISA02 one character short', () => {
    assert.match(pyx12Log('invalid/ims-x12_no_isa_line.txt')!, /Failure/);
    assert.match(pyx12Log('invalid/ims-x12_bad_first_line.txt')!, /Failure/);
    assert.throws(() => read(readCorpus('invalid/ims-x12_no_isa_line.txt')), { ta1NoteCode: '022' });
    assert.throws(() => read(readCorpus('invalid/ims-x12_bad_first_line.txt')), { ta1NoteCode: '011' });
  });

  it('flags the segment ids pyx12 cannot place in ims-x12_bad_segment_identifier, on the same segments (IK3 1)', () => {
    const file = 'invalid/ims-x12_bad_segment_identifier.txt';
    const segments = tokenize(readCorpus(file));
    const ordinal = new Map(segments.map((segment, index) => [segment.offset, index + 1]));
    const ours = allFindings(readEnvelopes(segments)).filter((finding) => finding.level === 'segment');
    assert.deepEqual(
      ours.map((finding) => finding.code),
      ['1', '1', '1'],
    );
    const theirs = [...pyx12Log(file)!.matchAll(/Line:(\d+) SEG:1 - Segment \S+ not found/g)].map((match) => Number(match[1]));
    assert.deepEqual(
      ours.map((finding) => ordinal.get(finding.offset)),
      theirs,
    );
  });

  it('detects that SE01 of ims-x12_valid.txt says 25 while its transaction set has 34 segments (IK5 4)', () => {
    const set = read(readCorpus('837p/ims-x12_valid.txt')).find((event) => event.kind === 'transaction-set')!;
    assert.equal(set.segmentCount, 34);
    assert.equal(set.segments.length, 34);
    const [finding] = set.findings;
    assert.equal(set.findings.length, 1);
    assert.deepEqual(
      {
        level: finding.level,
        code: finding.code,
        path: finding.path,
        isa: finding.interchangeControlNumber,
        gs: finding.groupControlNumber,
        st: finding.transactionSetControlNumber,
        position: finding.position,
        line: finding.line,
      },
      { level: 'transaction-set', code: '4', path: 'SE01', isa: '000000905', gs: '1', st: '987654', position: 34, line: 36 },
    );
    assert.match(finding.message, /SE01 says 25 .* has 34/);
  });

  it('detects the two 278 requests whose SE count is one short', () => {
    const short = corpusFiles()
      .filter((file) => file.startsWith('278/'))
      .filter((file) => allFindings(read(readCorpus(file))).some((finding) => finding.code === '4'));
    assert.deepEqual(short, ['278/stupidedi-278-admission-request-for-review.edi', '278/stupidedi-278-request-for-home-health-care.edi']);
  });

  it('reads the 999 acknowledgement and finds its bad GS05 time (TA1 024) and IEA02 ≠ ISA13 (TA1 001)', () => {
    assert.deepEqual(findingsOf(readCorpus('999/ims-x12_999_accepted.txt')), ['interchange 024 GS05', 'interchange 001 IEA02']);
    assert.deepEqual(findingsOf(readCorpus('999/ims-x12_999_rejected.txt')), []);
  });

  it('finds nothing wrong with a correct 837P', () => {
    assert.deepEqual(findingsOf(readFixture('valid-837p.x12')), []);
  });

  it('hands on interchange, group and transaction set boundaries in order, with their values', () => {
    const events = read(readCorpus('837p/ims-x12_multiple_gs.txt'));
    const perGroup = ['group-start', 'transaction-set', 'group-end'];
    assert.deepEqual(
      events.map((event) => event.kind),
      ['interchange-start', ...perGroup, ...perGroup, ...perGroup, 'interchange-end'],
    );
    const start = events[0] as Extract<X12Event, { kind: 'interchange-start' }>;
    assert.deepEqual(
      [
        start.interchange.senderQualifier,
        start.interchange.senderId,
        start.interchange.receiverId,
        start.interchange.controlNumber,
        start.interchange.usage,
      ],
      ['ZZ', 'SUBMITTERS.ID', 'RECEIVERS.ID', '000000905', 'T'],
    );
    const group = events[1] as Extract<X12Event, { kind: 'group-start' }>;
    assert.deepEqual([group.group.functionalIdentifier, group.group.version, group.group.controlNumber], ['HC', '005010X222A1', '1']);
    const set = events[2] as Extract<X12Event, { kind: 'transaction-set' }>;
    assert.deepEqual(
      [set.header.id, set.header.controlNumber, set.header.implementationReference, set.group?.controlNumber],
      ['837', '987654', '005010X222A1', '1'],
    );
    assert.deepEqual([set.segments[0].id, set.segments.at(-1)!.id], ['ST', 'SE']);
  });

  it('reports a wrong SE count at the SE, with its control numbers (IK5 4)', () => {
    const [finding] = allFindings(read(readFixture('wrong-se-count.x12')));
    assert.deepEqual(
      [finding.level, finding.code, finding.path, finding.transactionSetControlNumber, finding.line, finding.position],
      ['transaction-set', '4', 'SE01', '0001', 25, 23],
    );
  });

  it('reports IEA02 ≠ ISA13 (TA1 001)', () => {
    assert.deepEqual(findingsOf(readFixture('iea-control-mismatch.x12')), ['interchange 001 IEA02']);
  });

  it('reports a GE01 that miscounts the transaction sets (AK9 5)', () => {
    assert.deepEqual(findingsOf(readFixture('ge-count-wrong.x12')), ['group 5 GE01']);
  });

  it('reports a date that does not exist: ISA09 as TA1 014, GS04 as TA1 024 (invalid GS)', () => {
    const found = allFindings(read(readFixture('bad-date.x12')));
    assert.deepEqual(
      found.map((finding) => `${finding.level} ${finding.code} ${finding.path} line ${finding.line}`),
      ['interchange 014 ISA09 line 1', 'interchange 024 GS04 line 2'],
    );
    assert.equal(found[1].groupControlNumber, '101');
  });

  it('reports a truncated file: last segment cut, SE, GE and IEA missing, the set still handed on', () => {
    const events = read(readFixture('truncated.x12'));
    assert.deepEqual(
      events.map((event) => event.kind),
      ['interchange-start', 'group-start', 'transaction-set', 'group-end', 'interchange-end'],
    );
    const set = events[2] as Extract<X12Event, { kind: 'transaction-set' }>;
    assert.equal(set.trailer, null);
    assert.equal(set.segments.at(-1)!.id, 'DTP');
    assert.deepEqual(
      allFindings(events).map((finding) => `${finding.level} ${finding.code} ${finding.path}`),
      ['transaction-set 2 SE', 'group 3 GE', 'interchange 023 DTP', 'interchange 023 IEA'],
    );
  });

  it('answers each envelope defect with its 999 or TA1 code', () => {
    const cases: Array<[string, string, string, string[]]> = [
      ['SE02 ≠ ST02', 'SE*23*0001', 'SE*23*0002', ['transaction-set 3 SE02']],
      ['GE02 ≠ GS06', 'GE*1*101', 'GE*1*102', ['group 4 GE02']],
      ['IEA01 miscounts groups', 'IEA*1*', 'IEA*2*', ['interchange 021 IEA01']],
      ['GS08 not a guide claimhub reads', '*X*005010X222A1~', '*X*004010X098A1~', ['transaction-set 19 ST03', 'group 2 GS08']],
      ['GS01 not the functional group of GS08', 'GS*HC*', 'GS*HP*', ['group 1 GS01']],
      ['ST01 not the set GS08 describes', 'ST*837*', 'ST*835*', ['transaction-set 1 ST01']],
      ['ST03 ≠ GS08', 'ST*837*0001*005010X222A1', 'ST*837*0001*005010X223A2', ['transaction-set 19 ST03']],
      ['ST03 missing', 'ST*837*0001*005010X222A1', 'ST*837*0001', ['transaction-set 19 ST03']],
      ['ST02 too short', 'ST*837*0001*', 'ST*837*01*', ['transaction-set 7 ST02', 'transaction-set 3 SE02']],
      ['GS06 not digits', '*0930*101*X*', '*0930*1A1*X*', ['group 6 GS06', 'group 4 GE02']],
      ['ISA12 not 00501', '*^*00501*', '*^*00401*', ['interchange 003 ISA12']],
      ['ISA15 not P or T', '*1*T*:', '*1*X*:', ['interchange 020 ISA15']],
      ['ISA14 not 0 or 1', '*1*T*:', '*2*T*:', ['interchange 019 ISA14']],
      ['ISA05 unknown qualifier', '*ZZ*CLAIMHUBTEST', '*QQ*CLAIMHUBTEST', ['interchange 005 ISA05']],
      ['ISA10 not a time', '*240115*0930*', '*240115*2460*', ['interchange 015 ISA10']],
      ['GS05 not a time', '*20240115*0930*101', '*20240115*093*101', ['interchange 024 GS05']],
      ['segment id not X12', 'N3*12 RIVER RD', 'n3*12 RIVER RD', ['segment 1 n3']],
      ['segment between GS and ST', 'ST*837*0001*', 'REF*X*1~\nST*837*0001*', ['interchange 024 REF']],
    ];
    for (const [name, from, to, expected] of cases) assert.deepEqual(findingsOf(edited(from, to)), expected, name);
  });

  it('reports a transaction set outside any group (IK5 18) and repeated control numbers (TA1 025, AK9 19, IK5 23)', () => {
    const text = readFixture('valid-837p.x12');
    const lines = text.split('\n');
    const noGroup = lines
      .filter((line) => !line.startsWith('GS*') && !line.startsWith('GE*'))
      .join('\n')
      .replace('IEA*1*', 'IEA*0*');
    assert.deepEqual(findingsOf(noGroup), ['transaction-set 18 ST']);
    const set = lines.slice(2, 25).join('\n') + '\n';
    const twoSets = text.replace('GE*1*101', `${set}GE*2*101`);
    assert.deepEqual(findingsOf(twoSets), ['transaction-set 23 ST02']);
    const group = lines.slice(1, 26).join('\n') + '\n';
    assert.deepEqual(findingsOf(text.replace('IEA*1*', `${group}IEA*2*`)), ['group 19 GS06']);
    assert.deepEqual(findingsOf(text + text), ['interchange 025 ISA13']);
  });

  it('closes an interchange whose IEA is missing when the next ISA comes (TA1 023)', () => {
    const text = readCorpus('837p/ims-x12_valid.txt').replace('IEA*1*000000905~', '') + readCorpus('837p/stupidedi-837p-ambulance.edi');
    const events = read(text);
    assert.deepEqual(
      events.filter((event) => event.kind === 'interchange-end').map((event) => event.trailer?.id ?? null),
      [null, 'IEA'],
    );
    assert.ok(allFindings(events).some((finding) => finding.code === '023' && finding.interchangeControlNumber === '000000905'));
  });

  it('reads a byte stream in chunks into the same events as the whole text', async () => {
    for (const file of [
      '837p/ims-x12_multiple_gs.txt',
      '835/tp-profee-multiple.edi',
      '835/tp-multi-line-not-delimited.edi',
      '837p/ims-x12_complex.txt',
    ]) {
      const text = readCorpus(file);
      const streamed: X12Event[] = [];
      for await (const event of readX12(bytesIn(text, 7))) streamed.push(event);
      assert.deepEqual(streamed, read(text), file);
    }
  });

  it('hands on the interchanges read before the input turns unreadable, then refuses the rest', async () => {
    const text = readCorpus('837p/ims-x12_valid.txt') + 'NOT X12 AT ALL~';
    const kinds: string[] = [];
    await assert.rejects(
      async () => {
        for await (const event of readX12(bytesIn(text, 64 * 1024))) kinds.push(event.kind);
      },
      { ta1NoteCode: '022' },
    );
    assert.deepEqual(kinds, ['interchange-start', 'group-start', 'transaction-set', 'group-end', 'interchange-end']);
  });

  it('streams each set segment by segment between its start and end events, holding none', async () => {
    const text = readCorpus('837p/ims-x12_complex.txt');
    const log: string[] = [];
    let inSet = false;
    const findings: EnvelopeFinding[] = [];
    await streamX12(bytesIn(text, 64 * 1024), {
      onEvent: (event: EnvelopeEvent) => {
        if (event.kind === 'transaction-set-start') inSet = true;
        if (event.kind === 'transaction-set-end') {
          inSet = false;
          log.push(`${event.header.controlNumber}: ${event.segmentCount}`);
          findings.push(...event.findings);
        }
      },
      onSegment: (segment: Segment) => assert.ok(inSet, `${segment.id} outside its set's events`),
    });
    assert.deepEqual(log, ['987654: 147', '987655: 147']);
    assert.deepEqual(
      findings.map((finding) => finding.code),
      ['4', '4'],
    );
  });
});
