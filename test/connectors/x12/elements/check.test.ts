import assert from 'node:assert/strict';
import { checkElements } from '../../../../connectors/x12/elements/check.js';
import type { ElementFinding } from '../../../../connectors/x12/elements/element-finding.js';
import { codesFor } from '../../../../connectors/x12/elements/guides.js';
import type { Delimiters, Segment } from '../../../../connectors/x12/segment.js';

const DELIMITERS: Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' };
const CONTROLS = { interchange: '000000001', group: '1', transactionSet: '0001' };

/** A segment as the tokenizer hands it on, at position 7 of its set. */
function segment(text: string): Segment {
  const [id, ...elements] = text.split('*');
  return { id, elements, position: 7, offset: 120, line: 9 };
}

function check(text: string, guide: string | null = '005010X222A1', loopId: string | null = null): readonly ElementFinding[] {
  return checkElements(segment(text), DELIMITERS, { guide, loopId, controls: CONTROLS });
}

/** `path code` of each finding: what a 999 IK4 would say (IK401, IK403). */
const ik4 = (text: string, guide?: string | null, loopId?: string | null) => check(text, guide, loopId).map((f) => `${f.path} ${f.code}`);

describe('X12 element checks (IK403 codes)', () => {
  it('passes clean 837P segments without findings, returning the shared empty list', () => {
    const clean = [
      'NM1*85*2*BEN KILDARE SERVICE*****XX*9876543210',
      'N4*MIAMI*FL*331110000',
      'CLM*CLM0001*43.50***11:B:1*Y*A*Y*Y',
      'HI*ABK:J020*ABF:R05',
      'SV1*HC:99213:25*43.50*UN*1***1:2',
      'DTP*472*RD8*20240101-20240105',
      'DMG*D8*20000229*F',
      'BHT*0019*00*0123*20240101*123059*CH',
    ];
    for (const text of clean) assert.deepEqual(ik4(text), [], text);
    assert.equal(check(clean[0]), check(clean[1]));
  });

  it('1: reports a mandatory element that is missing, and one the guide requires', () => {
    assert.deepEqual(ik4('NM1*85**ACME*****XX*9876543210'), ['NM102 1']);
    assert.deepEqual(ik4('CLM*A1*100****Y*A*Y*Y', '005010X222A1', '2300'), ['CLM05 1']);
    const [finding] = check('HI*ABK');
    assert.deepEqual(
      [finding.path, finding.code, finding.component, finding.elementReference, finding.badValue],
      ['HI01-2', '1', 2, 1271, undefined],
    );
  });

  it('1 in a composite: reports a component the guide requires (CLM05-2 facility code qualifier)', () => {
    assert.deepEqual(ik4('CLM*A1*100***11::1*Y*A*Y*Y', '005010X222A1', '2300'), ['CLM05-2 1']);
  });

  it('2 in a composite: reports half of a component pair (REF04 C040 P0304)', () => {
    assert.deepEqual(ik4('REF*G2*12345**2U:PAYER01:G2'), ['REF04-4 2']);
  });

  it('2: reports a paired element missing (NM1 P0809) and none of a required list (FRM R02030405)', () => {
    assert.deepEqual(ik4('NM1*85*2*ACME*****XX'), ['NM109 2']);
    assert.deepEqual(ik4('NM1*85*2*ACME******9876543210'), ['NM108 2']);
    assert.deepEqual(ik4('FRM*12N', '005010X222A1', '2440'), ['FRM02 2']);
    assert.deepEqual(ik4('CAS*CO*45*10**97'), ['CAS06 2']);
  });

  it('3: reports more elements than the segment has', () => {
    const [finding] = check('N3*1 MAIN ST*SUITE 2*EXTRA');
    assert.deepEqual([finding.path, finding.code, finding.badValue, finding.elementReference], ['N303', '3', 'EXTRA', undefined]);
  });

  it('4 and 5: reports values shorter and longer than the element allows', () => {
    assert.deepEqual(ik4('N4*MIAMI*FL*33'), ['N403 4']);
    assert.deepEqual(ik4(`REF*EI*${'1'.repeat(51)}`), ['REF02 5']);
    assert.deepEqual(ik4('ST*837*001*005010X222A1'), ['ST02 4']);
  });

  it('6: reports a character a numeric or decimal element does not allow', () => {
    assert.deepEqual(ik4('LX*1A'), ['LX01 6']);
    assert.deepEqual(ik4('SE*1O*0001'), ['SE01 6']);
    assert.deepEqual(ik4('AMT*F5*+12.00'), ['AMT02 6']);
    assert.deepEqual(ik4('AMT*F5*-12.5'), []);
    assert.deepEqual(ik4('NTE*ADD*LINE\u0007BELL'), ['NTE02 6']);
  });

  it('7: reports a code value the guide does not allow in the loop, and in any loop when the loop is unknown', () => {
    assert.deepEqual(ik4('NM1*82*1*KILDARE*BEN****X*1234567893', '005010X222A1', '2310B'), ['NM108 7']);
    assert.deepEqual(ik4('NM1*82*1*KILDARE*BEN****MI*1234567893', '005010X222A1', '2310B'), ['NM108 7']);
    assert.deepEqual(ik4('NM1*82*1*KILDARE*BEN****MI*1234567893', '005010X222A1', null), []);
    assert.deepEqual(ik4('DMG*D8*19800101*X'), ['DMG03 7']);
    assert.deepEqual(ik4('N4*MIAMI*ZZ*331110000'), ['N402 7']);
    assert.deepEqual(ik4('N4*TORONTO*ON*M5V3L9*CA'), []);
    assert.deepEqual(ik4('CLM*A1*100***11:A:1*Y*A*Y*Y'), ['CLM05-2 7']);
  });

  it('8: reports a date that is not on the calendar, in DT elements and in D8/RD8 periods', () => {
    assert.deepEqual(ik4('DTP*472*D8*20230230'), ['DTP03 8']);
    assert.deepEqual(ik4('BHT*0019*00*1*20230230*1200*CH'), ['BHT04 8']);
    assert.deepEqual(ik4('DTP*472*RD8*20240105-20240101'), ['DTP03 8']);
    assert.deepEqual(ik4('DTP*434*RD8*19960911', '005010X223A2', '2300'), ['DTP03 8']);
    assert.deepEqual(ik4('DMG*D8*20240229*F'), []);
    assert.deepEqual(ik4('DMG*D8*19000229*F'), ['DMG02 8']);
  });

  it('9: reports a time that is not on the clock', () => {
    assert.deepEqual(ik4('BHT*0019*00*1*20240101*2575*CH'), ['BHT05 9']);
    assert.deepEqual(ik4('BHT*0019*00*1*20240101*12305*CH'), ['BHT05 9']);
    assert.deepEqual(ik4('DTP*096*TM*2400', '005010X223A2', '2300'), ['DTP03 9']);
  });

  it('10: reports elements an exclusion note keeps apart', () => {
    assert.deepEqual(ik4('QTY*PT*1**FREE TEXT'), ['QTY04 10']);
  });

  it('12 and 13: reports repetitions in an element that does not repeat, and components where none or fewer belong', () => {
    assert.deepEqual(ik4('NM1*85*2*ACME^CORP*****XX*9876543210'), ['NM103 12']);
    assert.deepEqual(ik4('NM1*85*2*ACME:CORP*****XX*9876543210'), ['NM103 13']);
    assert.deepEqual(ik4('CLM*A1*100***11:B:1:9*Y*A*Y*Y'), ['CLM05-4 13']);
  });

  it('reports trailing element and component separators', () => {
    const [trailing] = check('HI*ABK:J020**');
    assert.deepEqual([trailing.path, trailing.code, trailing.rule], ['HI02', '4', 'trailing-separator']);
    assert.deepEqual(ik4('N3*1 MAIN ST*SUITE 2*'), ['N303 3']);
    assert.deepEqual(ik4('SV1*HC:99213:*43.50*UN*1***1'), ['SV101-3 4']);
  });

  it('I10 and I12: reports an element the guide does not use and a ZIP code short of nine digits where the guide asks for nine', () => {
    assert.deepEqual(ik4('CLM*A1*100***11:A:1*Y*A*Y*I*P', '005010X223A2', '2300'), ['CLM06 I10', 'CLM10 I10']);
    assert.deepEqual(ik4('NM1*DN*1*WELBY', '005010X222A1', '2330C'), ['NM103 I10']);
    assert.deepEqual(ik4('N4*MIAMI*FL*33111', '005010X222A1', '2010AA'), ['N403 I12']);
    assert.deepEqual(ik4('N4*MIAMI*FL*33111', '005010X222A1', '2010BA'), []);
    assert.deepEqual(ik4('N4*TORONTO*ON*M5V3L9*CA', '005010X222A1', '2010AA'), []);
  });

  it('gives each finding its place for the 999: IK3 segment and position, IK4 element, reference and bad value', () => {
    const [finding] = check('DTP*472*D8*20230230', '005010X222A1', '2400');
    assert.deepEqual(
      { ...finding, message: undefined },
      {
        level: 'element',
        code: '8',
        path: 'DTP03',
        rule: 'date',
        message: undefined,
        interchangeControlNumber: '000000001',
        groupControlNumber: '1',
        transactionSetControlNumber: '0001',
        segmentId: 'DTP',
        element: 3,
        elementReference: 1251,
        badValue: '20230230',
        loopId: '2400',
        position: 7,
        offset: 120,
        line: 9,
      },
    );
    assert.match(finding.message, /DTP03 "20230230" is not a valid D8 date/);
  });

  it('checks the standard alone for a guide it does not know, and nothing of a segment it does not know', () => {
    assert.deepEqual(ik4('DMG*D8*19800101*X', null), []);
    assert.deepEqual(ik4('DMG*D8*19800101*X', '005010X224A2'), []);
    assert.deepEqual(ik4('ZZZ*1*2', '005010X222A1'), []);
  });
});

describe('X12 guide code lists', () => {
  const nm1 = { id: 'NM1', elements: ['82', '1', 'KILDARE'] };

  it('gives the loop its own list, and the union over the guide when the loop is unknown', () => {
    assert.deepEqual([...codesFor('005010X222A1', '2310B', nm1, 8)!], ['XX']);
    assert.deepEqual([...codesFor('005010X222A1', null, nm1, 8)!].sort(), ['46', 'II', 'MI', 'PI', 'XV', 'XX']);
    assert.equal(codesFor('005010X222A1', '2010CA', nm1, 8), undefined);
  });

  it('chooses a list by a qualifier of the segment, per guide', () => {
    const dtp = (qualifier: string) => ({ id: 'DTP', elements: [qualifier, 'D8', '20240101'] });
    assert.deepEqual([...codesFor('005010X223A2', '2300', dtp('434'), 2)!], ['RD8']);
    assert.deepEqual([...codesFor('005010X223A2', '2400', dtp('472'), 2)!], ['D8', 'RD8']);
    assert.deepEqual([...codesFor('005010X222A1', '2300', dtp('431'), 2)!], ['D8']);
    const n4 = (country: string) => ({ id: 'N4', elements: ['CITY', 'ON', 'M5V3L9', country] });
    assert.ok(codesFor('005010X221A1', null, n4('CA'), 2)!.has('ON'));
    assert.ok(!codesFor('005010X221A1', null, n4(''), 2)!.has('ON'));
  });

  it('names component lists by component: CLM05-1 place of service, CLM05-3 frequency, HI01-1 qualifiers', () => {
    const clm = { id: 'CLM', elements: ['A1', '100', '', '', '11:B:1'] };
    assert.ok(codesFor('005010X222A1', '2300', clm, 5, 1)!.has('11'));
    assert.ok(codesFor('005010X222A1', '2300', clm, 5, 3)!.has('7'));
    assert.equal(codesFor('005010X223A2', '2300', clm, 5, 1), undefined);
    assert.ok(codesFor('005010X223A2', '2300', { id: 'HI', elements: ['ABK:J020'] }, 1, 1)!.has('BBR'));
  });
});
