import assert from 'node:assert/strict';
import { SEGMENT_SPECS, segmentSpec } from '../../../../connectors/x12/elements/dictionary.js';
import { ELEMENT_GUIDES } from '../../../../connectors/x12/elements/guides.js';
import { checkDatePeriod, validDate, validTime } from '../../../../connectors/x12/elements/values.js';
import type { LoopRule } from '../../../../connectors/x12/structure/definition.js';
import { LOOP_DEFINITIONS } from '../../../../connectors/x12/structure/claim-reader.js';

function segmentIds(rule: LoopRule): string[] {
  return [...rule.segments.map((segment) => segment.id), ...rule.loops.flatMap(segmentIds)];
}

describe('X12 element dictionary', () => {
  it('holds every segment the 837 loop definitions use', () => {
    for (const [guide, definition] of Object.entries(LOOP_DEFINITIONS)) {
      const missing = [...new Set(segmentIds(definition.root))].filter((id) => !SEGMENT_SPECS.has(id));
      assert.deepEqual(missing, [], guide);
    }
  });

  it('lays segments out as X12 005010 prints them: elements, composites, syntax notes', () => {
    const nm1 = segmentSpec('NM1')!;
    assert.deepEqual(nm1.elements.map((e) => `${e.requirement}${e.reference} ${e.type} ${e.min}/${e.max}`).slice(0, 9), [
      'M98 ID 2/3',
      'M1065 ID 1/1',
      'O1035 AN 1/60',
      'O1036 AN 1/35',
      'O1037 AN 1/25',
      'O1038 AN 1/10',
      'O1039 AN 1/10',
      'X66 ID 1/2',
      'X67 AN 2/80',
    ]);
    assert.deepEqual(
      nm1.syntax.map((note) => note.note),
      ['P0809', 'C1110', 'C1203'],
    );
    const clm05 = segmentSpec('CLM')!.elements[4];
    assert.deepEqual(
      [clm05.composite?.id, clm05.composite?.components.map((c) => c.reference), clm05.reference],
      ['C023', [1331, 1332, 1325], 1331],
    );
    const hi = segmentSpec('HI')!.elements[0].composite!;
    assert.deepEqual([hi.id, hi.components[3].formatQualifier, hi.syntax[0].note], ['C022', 3, 'P0304']);
    assert.equal(segmentSpec('DTP')!.elements[2].formatQualifier, 2);
    assert.equal(segmentSpec('LIN')!.elements.length, 31);
    assert.equal(segmentSpec('CAS')!.syntax.length, 15);
  });

  it('compiles the element rules of the 837P, 837I, 835, 278 and 999 guides', () => {
    assert.deepEqual([...ELEMENT_GUIDES.keys()].sort(), ['005010X217', '005010X221A1', '005010X222A1', '005010X223A2', '005010X231A1']);
  });
});

describe('X12 date and time values', () => {
  it('knows the calendar: month lengths and Gregorian leap years', () => {
    assert.ok(validDate('20240229', 0));
    assert.ok(validDate('20000229', 0));
    assert.ok(!validDate('19000229', 0));
    assert.ok(!validDate('20230230', 0));
    assert.ok(!validDate('20231301', 0));
    assert.ok(!validDate('20230431', 0));
    assert.ok(!validDate('00000101', 0));
  });

  it('knows the clock: HHMM, HHMMSS and decimal seconds', () => {
    for (const time of ['0000', '2359', '235959', '2359591', '23595912']) assert.ok(validTime(time, 0, time.length), time);
    for (const time of ['2400', '2360', '12345', '123460', '12A0']) assert.ok(!validTime(time, 0, time.length), time);
  });

  it('reads a Date Time Period by its format qualifier', () => {
    assert.equal(checkDatePeriod('D8', '20240101'), null);
    assert.equal(checkDatePeriod('RD8', '20240101-20240131'), null);
    assert.equal(checkDatePeriod('RD8', '20240131-20240101'), '8');
    assert.equal(checkDatePeriod('RD8', '20240101'), '8');
    assert.equal(checkDatePeriod('DT', '202401011230'), null);
    assert.equal(checkDatePeriod('DT', '202401012460'), '8');
    assert.equal(checkDatePeriod('RDT', '202401011230-202401011300'), null);
    assert.equal(checkDatePeriod('TM', '2575'), '9');
    assert.equal(checkDatePeriod('XX', 'anything'), null);
  });
});
