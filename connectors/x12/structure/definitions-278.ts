// 005010X217 Health Care Services Review (278): the request (BHT02 13) and the UMO's response
// (BHT02 11) share the HL tree 2000A UMO → 2000B requester → 2000C subscriber → 2000D dependent →
// 2000E patient event → 2000F service, but not all segments: the response adds the validations
// (AAA), the review outcome (HCR) and certification dates, and names its own contact loops. Both
// carry GS08 005010X217, so the set's BHT02 picks the definition. No claim loop: a review is read whole.
import type { Segment } from '../segment.js';
import { compile, loop, nm1Loop, seg, type CompiledDefinition, type LoopRule, type SegmentRule, type Usage } from './definition.js';

const MANY = Infinity;

type Purpose = 'request' | 'response';

const ref = (name: string, max: number, ...qualifiers: string[]) =>
  seg('REF', name, 'S', max, qualifiers.length === 0 ? undefined : [1, ...qualifiers]);
const dtp = (name: string, qualifier: string) => seg('DTP', name, 'S', 1, [1, qualifier]);
const address = (what: string) => [seg('N3', `${what} Address`, 'S', 1), seg('N4', `${what} City, State, ZIP Code`, 'S', 1)];

/** An HL loop: `${name} Level`, its HL03 `code`, its segments after the HL and its child loops. */
const level = (id: string, name: string, code: string, usage: Usage, repeat: number, segments: SegmentRule[], loops: LoopRule[]) =>
  loop(id, `${name} Level`, usage, repeat, [seg('HL', `${name} Level`, 'R', 1, [3, code]), ...segments], loops, { level: code });

/** NM101 of the providers a patient event or service names: attending, operating, referring, facility… */
const PROVIDER_ENTITIES = ['71', '72', 'AAJ', 'DD', 'DK', 'DN', 'DQ', 'FA', 'G3', 'P3', 'QB', 'QV', 'SJ'];
/** NM101 of whom the UMO asks to send additional information to. */
const CONTACT_ENTITIES = ['1P', '2B', 'ABG', 'FA', 'PR', 'X3'];

function definition(purpose: Purpose): CompiledDefinition {
  const response = purpose === 'response';
  /** Rules only the response has. */
  const answer = (...rules: SegmentRule[]) => (response ? rules : []);
  /** Rules only the request has. */
  const ask = (...rules: SegmentRule[]) => (response ? [] : rules);
  const validation = (what: string) => answer(seg('AAA', `${what} Request Validation`, 'S', 9));

  /** How 2000E and 2000F begin after HL: trace numbers, the UMO's validation and outcome, the review and its references. */
  const review = (name: string, trace: string, traces: number, usage: Usage) => [
    seg('TRN', trace, 'S', traces),
    ...validation(name),
    seg('UM', 'Health Care Services Review Information', usage, 1),
    ...answer(seg('HCR', 'Health Care Services Review', 'S', 1)),
    ref(response ? 'Administrative Reference Number' : 'Previous Review Administrative Reference Number', 1, 'NT'),
    ref('Previous Review Authorization Number', 1, 'BB'),
  ];
  const certificationDates = answer(
    dtp('Certification Issue Date', '102'),
    dtp('Certification Expiration Date', '036'),
    dtp('Certification Effective Date', '007'),
  );

  const providerLoop = (id: string, name: string) =>
    nm1Loop(id, name, 'S', 12, PROVIDER_ENTITIES, [
      ref(`${name} Supplemental Information`, 7),
      ...address(name),
      seg('PER', `${name} Contact Information`, 'S', 1),
      ...validation(name),
      seg('PRV', `${name} Information`, 'S', 1),
    ]);
  const contactLoop = (id: string, name: string): LoopRule[] =>
    response ? [nm1Loop(id, name, 'S', 1, CONTACT_ENTITIES, [...address(name), seg('PER', `${name} Contact Information`, 'S', 1)])] : [];

  const service = level(
    '2000F',
    'Service',
    'SS',
    'S',
    MANY,
    [
      ...review('Service', 'Service Trace Number', response ? 2 : 1, 'S'),
      dtp('Service Date', '472'),
      ...certificationDates,
      seg('SV1', 'Professional Service', 'S', 1),
      seg('SV2', 'Institutional Service Line', 'S', 1),
      seg('SV3', 'Dental Service', 'S', 1),
      seg('TOO', 'Tooth Information', 'S', 32),
      seg('HSD', 'Health Care Services Delivery', 'S', 1),
      seg('PWK', 'Additional Service Information', 'S', 10),
      seg('MSG', 'Message Text', 'S', 1),
    ],
    [providerLoop('2010FA', 'Service Provider'), ...contactLoop('2010FB', 'Additional Service Information Contact')],
  );

  const patientEvent = (usage: Usage) =>
    level(
      '2000E',
      'Patient Event',
      'EV',
      usage,
      1,
      [
        ...review('Patient Event', 'Patient Event Tracking Number', response ? 3 : 2, 'R'),
        dtp('Accident Date', '439'),
        dtp('Last Menstrual Period Date', '484'),
        dtp('Estimated Date of Birth', 'ABC'),
        dtp('Onset of Current Symptoms or Illness Date', '431'),
        dtp('Event Date', 'AAH'),
        dtp('Admission Date', '435'),
        dtp('Discharge Date', '096'),
        ...certificationDates,
        seg('HI', 'Patient Diagnosis', 'S', 1),
        seg('HSD', 'Health Care Services Delivery', 'S', 1),
        seg('CRC', 'Ambulance Certification Information', 'S', 3, [1, '07']),
        seg('CRC', 'Chiropractic Certification Information', 'S', 1, [1, '08']),
        seg('CRC', 'Durable Medical Equipment Information', 'S', 1, [1, '09']),
        seg('CRC', 'Oxygen Therapy Certification Information', 'S', 1, [1, '11']),
        seg('CRC', 'Functional Limitations Information', 'S', 1, [1, '75']),
        seg('CRC', 'Activities Permitted Information', 'S', 1, [1, '76']),
        seg('CRC', 'Mental Status Information', 'S', 1, [1, '77']),
        seg('CL1', 'Institutional Claim Code', 'S', 1),
        seg('CR1', 'Ambulance Transport Information', 'S', 1),
        seg('CR2', 'Spinal Manipulation Service Information', 'S', 1),
        seg('CR5', 'Home Oxygen Therapy Information', 'S', 1),
        seg('CR6', 'Home Health Care Information', 'S', 1),
        seg('PWK', 'Additional Patient Information', 'S', 10),
        seg('MSG', 'Message Text', 'S', 1),
      ],
      [
        providerLoop('2010EA', 'Patient Event Provider'),
        ...contactLoop('2010EB', 'Additional Patient Information Contact'),
        nm1Loop(
          '2010EC',
          'Patient Event Transport Information',
          'S',
          5,
          ['45', 'FS', 'ND', 'PW', 'R3'],
          [
            seg('N3', 'Patient Event Transport Location Address', 'R', 1),
            seg('N4', 'Patient Event Transport Location City, State, ZIP Code', 'R', 1),
          ],
        ),
        ...(response
          ? []
          : [
              nm1Loop(
                '2010ED',
                'Patient Event Other UMO Name',
                'S',
                1,
                ['X3'],
                [ref('Other UMO Denial Reason', 1), seg('DTP', 'Other UMO Denial Date', 'S', 1)],
              ),
            ]),
        service,
      ],
    );

  /** 2010C and 2010D: the subscriber's and the dependent's name, identification and demographics. */
  const member = (id: string, name: string, entity: string, references: number) =>
    nm1Loop(
      id,
      `${name} Name`,
      'R',
      1,
      [entity],
      [
        ref(`${name} Supplemental Identification`, references),
        ...ask(...address(name)),
        ...validation(name),
        seg('DMG', `${name} Demographic Information`, 'S', 1),
        seg('INS', `${name} Relationship`, 'S', 1),
      ],
    );

  const dependent = level('2000D', 'Dependent', '23', 'S', 1, [], [member('2010D', 'Dependent', 'QC', 3), patientEvent('R')]);
  // The patient event sits under the dependent when there is one, else under the subscriber.
  const subscriber = level('2000C', 'Subscriber', '22', 'R', 1, [], [member('2010C', 'Subscriber', 'IL', 9), dependent, patientEvent('S')]);
  const requesterName = nm1Loop(
    '2010B',
    'Requester Name',
    'R',
    1,
    ['1P', '2A', '2B', '36', 'FA', 'PR', 'X3'],
    [
      ref('Requester Supplemental Identification', 9),
      ...ask(...address('Requester'), seg('PER', 'Requester Contact Information', 'S', 1)),
      ...validation('Requester'),
      seg('PRV', 'Requester Provider Information', 'S', 1),
    ],
  );
  const requester = level('2000B', 'Requester', '21', 'R', 1, [], [requesterName, subscriber]);
  const umoName = nm1Loop(
    '2010A',
    'UMO Name',
    'R',
    1,
    ['2B', '36', 'FA', 'PR', 'X3'],
    [...answer(seg('PER', 'UMO Contact Information', 'S', 3)), ...validation('UMO')],
  );
  const umo = level('2000A', 'Utilization Management Organization (UMO)', '20', 'R', 1, validation('UMO Level'), [umoName, requester]);

  return compile({
    guide: '005010X217',
    root: loop(
      'ST',
      'Transaction Set Header',
      'R',
      1,
      [seg('ST', 'Transaction Set Header', 'R', 1), seg('BHT', 'Beginning of Hierarchical Transaction', 'R', 1)],
      [umo],
    ),
  });
}

export const DEFINITION_278_REQUEST = definition('request');
export const DEFINITION_278_RESPONSE = definition('response');

/** 005010X217 BHT02 (transaction set purpose): 11 answers a review; 13 asks for one, 01 cancels one. */
export function definition278(beginning: Segment): CompiledDefinition {
  return beginning.id === 'BHT' && beginning.elements[1] === '11' ? DEFINITION_278_RESPONSE : DEFINITION_278_REQUEST;
}
