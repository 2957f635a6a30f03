// 005010X222A1 Health Care Claim: Professional (837P), its loops and segments as the guide lays
// them out, written from the guide's structure: usage, repeat, maximum use, distinguishing qualifiers.
import { address, compile, loop, nm1Loop, seg, type LoopRule, type SegmentRule } from './definition.js';

const MANY = Infinity;

/** REF of a provider loop: secondary identifiers. */
const providerRef = (usage: 'R' | 'S', max: number, ...qualifiers: string[]) =>
  seg('REF', 'Secondary Identification', usage, max, [1, ...qualifiers]);

export const header = (loops: LoopRule[]): LoopRule =>
  loop(
    'ST',
    'Transaction Set Header',
    'R',
    1,
    [seg('ST', 'Transaction Set Header', 'R', 1), seg('BHT', 'Beginning of Hierarchical Transaction', 'R', 1)],
    [
      nm1Loop('1000A', 'Submitter Name', 'R', 1, ['41'], [seg('PER', 'Submitter EDI Contact Information', 'R', 2)]),
      nm1Loop('1000B', 'Receiver Name', 'R', 1, ['40']),
      ...loops,
    ],
  );

/** 2010AA, 2010AB, 2010AC: the same in 837P and 837I. */
export const billingProviderLoops: LoopRule[] = [
  nm1Loop(
    '2010AA',
    'Billing Provider Name',
    'R',
    1,
    ['85'],
    [
      ...address('R', 'Billing Provider'),
      seg('REF', 'Billing Provider Tax Identification', 'R', 1, [1, 'EI', 'SY']),
      seg('REF', 'Billing Provider UPIN/License Information', 'S', 2, [1, '0B', '1G']),
      seg('PER', 'Billing Provider Contact Information', 'S', 2),
    ],
  ),
  nm1Loop('2010AB', 'Pay-to Address Name', 'S', 1, ['87'], address('R', 'Pay-to')),
  nm1Loop(
    '2010AC',
    'Pay-To Plan Name',
    'S',
    1,
    ['PE'],
    [
      ...address('R', 'Pay-to Plan'),
      seg('REF', 'Pay-to Plan Secondary Identification', 'S', 1, [1, '2U', 'FY', 'NF']),
      seg('REF', 'Pay-To Plan Tax Identification Number', 'R', 1, [1, 'EI']),
    ],
  ),
];

export const subscriberNameLoops: LoopRule[] = [
  nm1Loop(
    '2010BA',
    'Subscriber Name',
    'R',
    1,
    ['IL'],
    [
      ...address('S', 'Subscriber'),
      seg('DMG', 'Subscriber Demographic Information', 'S', 1),
      seg('REF', 'Subscriber Secondary Identification', 'S', 1, [1, 'SY']),
      seg('REF', 'Property and Casualty Claim Number', 'S', 1, [1, 'Y4']),
      seg('PER', 'Property and Casualty Subscriber Contact Information', 'S', 1),
    ],
  ),
  nm1Loop(
    '2010BB',
    'Payer Name',
    'R',
    1,
    ['PR'],
    [
      ...address('S', 'Payer'),
      seg('REF', 'Payer Secondary Identification', 'S', 2, [1, '2U', 'EI', 'FY', 'NF']),
      seg('REF', 'Billing Provider Secondary Identification', 'S', 2, [1, 'G2', 'LU']),
    ],
  ),
];

export const patientNameLoop = (extra: SegmentRule[]): LoopRule =>
  nm1Loop(
    '2010CA',
    'Patient Name',
    'R',
    1,
    ['QC'],
    [
      ...address('R', 'Patient'),
      seg('DMG', 'Patient Demographic Information', 'R', 1),
      seg('REF', 'Property and Casualty Claim Number', 'S', 1, [1, 'Y4']),
      seg('REF', 'Property and Casualty Patient Identifier', 'S', 1, [1, '1W', 'SY']),
      ...extra,
    ],
  );

/** 2330A/2330B, shared by both guides; the other-payer provider loops follow them. */
export const otherPayerLoops = (providers: LoopRule[]): LoopRule[] => [
  nm1Loop(
    '2330A',
    'Other Subscriber Name',
    'R',
    1,
    ['IL'],
    [...address('S', 'Other Subscriber'), seg('REF', 'Other Subscriber Secondary Identification', 'S', 1, [1, 'SY'])],
  ),
  nm1Loop(
    '2330B',
    'Other Payer Name',
    'R',
    1,
    ['PR'],
    [
      ...address('S', 'Other Payer'),
      seg('DTP', 'Claim Check or Remittance Date', 'S', 1, [1, '573']),
      seg('REF', 'Other Payer Secondary Identifier', 'S', 2, [1, '2U', 'EI', 'FY', 'NF']),
      seg('REF', 'Other Payer Prior Authorization Number', 'S', 1, [1, 'G1']),
      seg('REF', 'Other Payer Referral Number', 'S', 1, [1, '9F']),
      seg('REF', 'Other Payer Claim Adjustment Indicator', 'S', 1, [1, 'T4']),
      seg('REF', 'Other Payer Claim Control Number', 'S', 1, [1, 'F8']),
    ],
  ),
  ...providers,
];

/** 2430 Line Adjudication Information, the same in both guides. */
export const lineAdjudicationLoop = loop('2430', 'Line Adjudication Information', 'S', 15, [
  seg('SVD', 'Line Adjudication Information', 'R', 1),
  seg('CAS', 'Line Adjustment', 'S', 5),
  seg('DTP', 'Line Check or Remittance Date', 'R', 1, [1, '573']),
  seg('AMT', 'Remaining Patient Liability', 'S', 1, [1, 'EAF']),
]);

export const drugIdentificationLoop = loop('2410', 'Drug Identification', 'S', 1, [
  seg('LIN', 'Drug Identification', 'R', 1),
  seg('CTP', 'Drug Quantity', 'R', 1),
  seg('REF', 'Prescription or Compound Drug Association Number', 'S', 1, [1, 'XZ', 'VY']),
]);

export const otherSubscriberSegments = (extra: SegmentRule[]): SegmentRule[] => [
  seg('SBR', 'Other Subscriber Information', 'R', 1),
  seg('CAS', 'Claim Level Adjustments', 'S', 5),
  seg('AMT', 'Coordination of Benefits (COB) Payer Paid Amount', 'S', 1, [1, 'D']),
  seg('AMT', 'Remaining Patient Liability', 'S', 1, [1, 'EAF']),
  seg('AMT', 'Coordination of Benefits (COB) Total Non-Covered Amount', 'S', 1, [1, 'A8']),
  seg('OI', 'Other Insurance Coverage Information', 'R', 1),
  ...extra,
  seg('MOA', 'Outpatient Adjudication Information', 'S', 1),
];

/** The HL tree every 837 shares: 2000A → 2000B → 2000C, claims under 2000B or 2000C. */
export const hierarchy = (
  levels: { billing: SegmentRule[]; subscriber: SegmentRule[]; patient: SegmentRule[] },
  claim: LoopRule,
  patientName: LoopRule,
): LoopRule =>
  loop(
    '2000A',
    'Billing Provider Hierarchical Level',
    'R',
    MANY,
    [seg('HL', 'Billing Provider Hierarchical Level', 'R', 1, [3, '20']), ...levels.billing],
    [
      ...billingProviderLoops,
      loop(
        '2000B',
        'Subscriber Hierarchical Level',
        'R',
        MANY,
        [seg('HL', 'Subscriber Hierarchical Level', 'R', 1, [3, '22']), ...levels.subscriber],
        [
          ...subscriberNameLoops,
          { ...claim, usage: 'S' },
          loop(
            '2000C',
            'Patient Hierarchical Level',
            'S',
            MANY,
            [seg('HL', 'Patient Hierarchical Level', 'R', 1, [3, '23']), ...levels.patient],
            [patientName, claim],
            { level: '23' },
          ),
        ],
        { level: '22' },
      ),
    ],
    { level: '20' },
  );

// ---- 837P -------------------------------------------------------------------------------------

const dtp = (qualifier: string, name: string, usage: 'R' | 'S' = 'S') => seg('DTP', name, usage, 1, [1, qualifier]);
const ref = (qualifier: string, name: string, max = 1) => seg('REF', name, 'S', max, [1, qualifier]);

const claimSegments: SegmentRule[] = [
  seg('CLM', 'Claim Information', 'R', 1),
  dtp('431', 'Date - Onset of Current Illness or Symptom'),
  dtp('454', 'Date - Initial Treatment Date'),
  dtp('304', 'Date - Last Seen Date'),
  dtp('453', 'Date - Acute Manifestation'),
  dtp('439', 'Date - Accident'),
  dtp('484', 'Date - Last Menstrual Period'),
  dtp('455', 'Date - Last X-ray Date'),
  dtp('471', 'Date - Hearing and Vision Prescription Date'),
  seg('DTP', 'Date - Disability Dates', 'S', 1, [1, '314', '360', '361']),
  dtp('297', 'Date - Last Worked'),
  dtp('296', 'Date - Authorized Return to Work'),
  dtp('435', 'Date - Admission'),
  dtp('096', 'Date - Discharge'),
  seg('DTP', 'Date - Assumed and Relinquished Care Dates', 'S', 2, [1, '090', '091']),
  dtp('444', 'Date - Property and Casualty Date of First Contact'),
  dtp('050', 'Date - Repricer Received Date'),
  seg('PWK', 'Claim Supplemental Information', 'S', 10),
  seg('CN1', 'Contract Information', 'S', 1),
  seg('AMT', 'Patient Amount Paid', 'S', 1, [1, 'F5']),
  ref('4N', 'Service Authorization Exception Code'),
  ref('F5', 'Mandatory Medicare (Section 4081) Crossover Indicator'),
  ref('EW', 'Mammography Certification Number'),
  ref('9F', 'Referral Number'),
  ref('G1', 'Prior Authorization'),
  ref('F8', 'Payer Claim Control Number'),
  ref('X4', 'Clinical Laboratory Improvement Amendment (CLIA) Number'),
  ref('9A', 'Repriced Claim Number'),
  ref('9C', 'Adjusted Repriced Claim Number'),
  ref('LX', 'Investigational Device Exemption Number'),
  ref('D9', 'Claim Identifier For Transmission Intermediaries'),
  ref('EA', 'Medical Record Number'),
  ref('P4', 'Demonstration Project Identifier'),
  ref('1J', 'Care Plan Oversight'),
  seg('K3', 'File Information', 'S', 10),
  seg('NTE', 'Claim Note', 'S', 1),
  seg('CR1', 'Ambulance Transport Information', 'S', 1),
  seg('CR2', 'Spinal Manipulation Service Information', 'S', 1),
  seg('CRC', 'Ambulance Certification', 'S', 3, [1, '07']),
  seg('CRC', 'Patient Condition Information: Vision', 'S', 3, [1, 'E1', 'E2', 'E3']),
  seg('CRC', 'Homebound Indicator', 'S', 1, [1, '75']),
  seg('CRC', 'EPSDT Referral', 'S', 1, [1, 'ZZ']),
  // HI01-1 is a component (ABK, BP, BG): one rule covers diagnosis (R, 1), anesthesia related
  // procedure (S, 1) and condition information (S, 2), so matching never splits components.
  seg('HI', 'Health Care Diagnosis Code / Anesthesia Related Procedure / Condition Information', 'R', 4),
  seg('HCP', 'Claim Pricing/Repricing Information', 'S', 1),
];

const claimProviderLoops: LoopRule[] = [
  nm1Loop('2310A', 'Referring Provider Name', 'S', 2, ['DN', 'P3'], [providerRef('S', 3, '0B', '1G', 'G2')]),
  nm1Loop(
    '2310B',
    'Rendering Provider Name',
    'S',
    1,
    ['82'],
    [seg('PRV', 'Rendering Provider Specialty Information', 'S', 1), providerRef('S', 4, '0B', '1G', 'G2', 'LU')],
  ),
  nm1Loop(
    '2310C',
    'Service Facility Location Name',
    'S',
    1,
    ['77'],
    [
      ...address('R', 'Service Facility Location'),
      providerRef('S', 3, 'G2', 'LU'),
      seg('PER', 'Service Facility Contact Information', 'S', 1),
    ],
  ),
  nm1Loop('2310D', 'Supervising Provider Name', 'S', 1, ['DQ'], [providerRef('S', 4, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2310E', 'Ambulance Pick-up Location', 'S', 1, ['PW'], address('R', 'Ambulance Pick-up')),
  nm1Loop('2310F', 'Ambulance Drop-off Location', 'S', 1, ['45'], address('R', 'Ambulance Drop-off')),
];

const otherPayerProviderLoops: LoopRule[] = [
  nm1Loop('2330C', 'Other Payer Referring Provider', 'S', 2, ['DN', 'P3'], [providerRef('R', 3, '0B', '1G', 'G2')]),
  nm1Loop('2330D', 'Other Payer Rendering Provider', 'S', 1, ['82'], [providerRef('R', 3, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2330E', 'Other Payer Service Facility Location', 'S', 1, ['77'], [providerRef('R', 3, '0B', 'G2', 'LU')]),
  nm1Loop('2330F', 'Other Payer Supervising Provider', 'S', 1, ['DQ'], [providerRef('R', 3, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2330G', 'Other Payer Billing Provider', 'S', 1, ['85'], [providerRef('R', 2, 'G2', 'LU')]),
];

const lineSegments: SegmentRule[] = [
  seg('LX', 'Service Line Number', 'R', 1),
  seg('SV1', 'Professional Service', 'R', 1),
  seg('SV5', 'Durable Medical Equipment Service', 'S', 1),
  seg('PWK', 'Line Supplemental Information / Durable Medical Equipment Certificate of Medical Necessity Indicator', 'S', 11),
  seg('CR1', 'Ambulance Transport Information', 'S', 1),
  seg('CR3', 'Durable Medical Equipment Certification', 'S', 1),
  seg('CRC', 'Ambulance Certification', 'S', 3, [1, '07']),
  seg('CRC', 'Hospice Employee Indicator', 'S', 1, [1, '70']),
  seg('CRC', 'Condition Indicator/Durable Medical Equipment', 'S', 1, [1, '09']),
  dtp('472', 'Date - Service Date', 'R'),
  dtp('471', 'Date - Prescription Date'),
  seg('DTP', 'Date - Certification Revision/Recertification Date', 'S', 1, [1, '607']),
  dtp('463', 'Date - Begin Therapy Date'),
  dtp('461', 'Date - Last Certification Date'),
  dtp('304', 'Date - Last Seen Date'),
  seg('DTP', 'Date - Test Date', 'S', 2, [1, '738', '739']),
  dtp('011', 'Date - Shipped Date'),
  dtp('455', 'Date - Last X-ray Date'),
  dtp('454', 'Date - Initial Treatment Date'),
  seg('QTY', 'Ambulance Patient Count', 'S', 1, [1, 'PT']),
  seg('QTY', 'Obstetric Anesthesia Additional Units', 'S', 1, [1, 'FL']),
  seg('MEA', 'Test Result', 'S', 5),
  seg('CN1', 'Contract Information', 'S', 1),
  ref('9B', 'Repriced Line Item Reference Number'),
  ref('9D', 'Adjusted Repriced Line Item Reference Number'),
  ref('G1', 'Prior Authorization', 5),
  ref('6R', 'Line Item Control Number'),
  ref('EW', 'Mammography Certification Number'),
  ref('X4', 'Clinical Laboratory Improvement Amendment (CLIA) Number'),
  ref('F4', 'Referring Clinical Laboratory Improvement Amendment (CLIA) Facility Identification'),
  ref('BT', 'Immunization Batch Number'),
  ref('9F', 'Referral Number', 5),
  seg('AMT', 'Sales Tax Amount', 'S', 1, [1, 'T']),
  seg('AMT', 'Postage Claimed Amount', 'S', 1, [1, 'F4']),
  seg('K3', 'File Information', 'S', 10),
  seg('NTE', 'Line Note', 'S', 1, [1, 'ADD', 'DCP']),
  seg('NTE', 'Third Party Organization Notes', 'S', 1, [1, 'TPO']),
  seg('PS1', 'Purchased Service Information', 'S', 1),
  seg('HCP', 'Line Pricing/Repricing Information', 'S', 1),
];

const lineProviderLoops: LoopRule[] = [
  nm1Loop(
    '2420A',
    'Rendering Provider Name',
    'S',
    1,
    ['82'],
    [seg('PRV', 'Rendering Provider Specialty Information', 'S', 1), providerRef('S', 20, '0B', '1G', 'G2', 'LU')],
  ),
  nm1Loop('2420B', 'Purchased Service Provider Name', 'S', 1, ['QB'], [providerRef('S', 20, '0B', '1G', 'G2')]),
  nm1Loop(
    '2420C',
    'Service Facility Location Name',
    'S',
    1,
    ['77'],
    [...address('R', 'Service Facility Location'), providerRef('S', 3, '0B', 'G2', 'LU')],
  ),
  nm1Loop('2420D', 'Supervising Provider Name', 'S', 1, ['DQ'], [providerRef('S', 20, '0B', '1G', 'G2', 'LU')]),
  nm1Loop(
    '2420E',
    'Ordering Provider Name',
    'S',
    1,
    ['DK'],
    [
      ...address('S', 'Ordering Provider'),
      providerRef('S', 20, '0B', '1G', 'G2'),
      seg('PER', 'Ordering Provider Contact Information', 'S', 1),
    ],
  ),
  nm1Loop('2420F', 'Referring Provider Name', 'S', 2, ['DN', 'P3'], [providerRef('S', 20, '0B', '1G', 'G2')]),
  nm1Loop('2420G', 'Ambulance Pick-up Location', 'S', 1, ['PW'], address('R', 'Ambulance Pick-up')),
  nm1Loop('2420H', 'Ambulance Drop-off Location', 'S', 1, ['45'], address('R', 'Ambulance Drop-off')),
];

const claim = loop('2300', 'Claim Information', 'R', 100, claimSegments, [
  ...claimProviderLoops,
  loop('2320', 'Other Subscriber Information', 'S', 10, otherSubscriberSegments([]), otherPayerLoops(otherPayerProviderLoops)),
  loop(
    '2400',
    'Service Line Number',
    'R',
    50,
    lineSegments,
    [
      drugIdentificationLoop,
      ...lineProviderLoops,
      lineAdjudicationLoop,
      loop('2440', 'Form Identification Code', 'S', MANY, [
        seg('LQ', 'Form Identification Code', 'R', 1),
        seg('FRM', 'Supporting Documentation', 'R', 99),
      ]),
    ],
    { numbered: true },
  ),
]);

export const DEFINITION_837P = compile({
  guide: '005010X222A1',
  claimLoop: '2300',
  root: header([
    hierarchy(
      {
        billing: [
          seg('PRV', 'Billing Provider Specialty Information', 'S', 1, [1, 'BI']),
          seg('CUR', 'Foreign Currency Information', 'S', 1),
        ],
        subscriber: [seg('SBR', 'Subscriber Information', 'R', 1), seg('PAT', 'Patient Information', 'S', 1)],
        patient: [seg('PAT', 'Patient Information', 'R', 1)],
      },
      claim,
      patientNameLoop([seg('PER', 'Property and Casualty Patient Contact Information', 'S', 1)]),
    ),
  ]),
});
