// 005010X223A2 Health Care Claim: Institutional (837I): the HL levels and name loops it shares with
// the 837P, and its own 2300 (statement dates, CL1, UB codes in HI), 2310A–F, 2330C–I and 2400 (SV2).
import { address, compile, loop, nm1Loop, seg, type LoopRule, type SegmentRule } from './definition.js';
import {
  drugIdentificationLoop,
  header,
  hierarchy,
  lineAdjudicationLoop,
  otherPayerLoops,
  otherSubscriberSegments,
  patientNameLoop,
} from './definitions-837p.js';

const dtp = (qualifier: string, name: string, usage: 'R' | 'S' = 'S') => seg('DTP', name, usage, 1, [1, qualifier]);
const ref = (qualifier: string, name: string, max = 1) => seg('REF', name, 'S', max, [1, qualifier]);
const providerRef = (usage: 'R' | 'S', max: number, ...qualifiers: string[]) =>
  seg('REF', 'Secondary Identification', usage, max, [1, ...qualifiers]);

const claimSegments: SegmentRule[] = [
  seg('CLM', 'Claim Information', 'R', 1),
  dtp('096', 'Discharge Hour'),
  dtp('434', 'Statement Dates', 'R'),
  dtp('435', 'Admission Date/Hour'),
  dtp('050', 'Date - Repricer Received Date'),
  seg('CL1', 'Institutional Claim Code', 'S', 1),
  seg('PWK', 'Claim Supplemental Information', 'S', 10),
  seg('CN1', 'Contract Information', 'S', 1),
  seg('AMT', 'Patient Estimated Amount Due', 'S', 1, [1, 'F3']),
  ref('4N', 'Service Authorization Exception Code'),
  ref('F8', 'Payer Claim Control Number'),
  ref('9F', 'Referral Number'),
  ref('G1', 'Prior Authorization'),
  ref('9A', 'Repriced Claim Number'),
  ref('9C', 'Adjusted Repriced Claim Number'),
  ref('LX', 'Investigational Device Exemption Number'),
  ref('D9', 'Claim Identifier for Transmission Intermediaries'),
  ref('EA', 'Medical Record Number'),
  ref('P4', 'Demonstration Project Identifier'),
  ref('G4', 'Peer Review Organization (PRO) Approval Number'),
  ref('LU', 'Auto Accident State'),
  seg('K3', 'File Information', 'S', 10),
  seg('NTE', 'Claim Note', 'S', 10, [1, 'ALG', 'DCP', 'DGN', 'DME', 'MED', 'NTR', 'ODT', 'RHB', 'RLH', 'RNH', 'SET', 'SFM', 'SPT', 'UPI']),
  seg('NTE', 'Billing Note', 'S', 1, [1, 'ADD']),
  seg('CRC', 'EPSDT Referral', 'S', 1, [1, 'ZZ']),
  // HI01-1 is a component (ABK, ABJ, APR, ABN, DR, ABF, BBR, BBQ, BI, BH, BE, BG, TC): one rule
  // for the principal diagnosis (R) and the other code lists (S), as the qualifier is a component.
  seg('HI', 'Health Care Information Codes (diagnoses, procedures, occurrence, value and condition codes)', 'R', 25),
  seg('HCP', 'Claim Pricing/Repricing Information', 'S', 1),
];

const claimProviderLoops: LoopRule[] = [
  nm1Loop(
    '2310A',
    'Attending Provider Name',
    'S',
    1,
    ['71'],
    [seg('PRV', 'Attending Provider Specialty Information', 'S', 1), providerRef('S', 4, '0B', '1G', 'G2', 'LU')],
  ),
  nm1Loop('2310B', 'Operating Physician Name', 'S', 1, ['72'], [providerRef('S', 4, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2310C', 'Other Operating Physician Name', 'S', 1, ['ZZ'], [providerRef('S', 4, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2310D', 'Rendering Provider Name', 'S', 1, ['82'], [providerRef('S', 4, '0B', '1G', 'G2', 'LU')]),
  nm1Loop(
    '2310E',
    'Service Facility Location Name',
    'S',
    1,
    ['77'],
    [...address('R', 'Service Facility Location'), providerRef('S', 3, '0B', 'G2', 'LU')],
  ),
  nm1Loop('2310F', 'Referring Provider Name', 'S', 1, ['DN'], [providerRef('S', 3, '0B', '1G', 'G2')]),
];

const otherPayerProviderLoops: LoopRule[] = [
  nm1Loop('2330C', 'Other Payer Attending Provider', 'S', 1, ['71'], [providerRef('R', 3, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2330D', 'Other Payer Operating Physician', 'S', 1, ['72'], [providerRef('R', 3, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2330E', 'Other Payer Other Operating Physician', 'S', 1, ['ZZ'], [providerRef('R', 3, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2330F', 'Other Payer Service Facility Location', 'S', 1, ['77'], [providerRef('R', 3, '0B', 'G2', 'LU')]),
  nm1Loop('2330G', 'Other Payer Rendering Provider Name', 'S', 1, ['82'], [providerRef('R', 3, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2330H', 'Other Payer Referring Provider', 'S', 1, ['DN'], [providerRef('R', 3, '0B', '1G', 'G2')]),
  nm1Loop('2330I', 'Other Payer Billing Provider', 'S', 1, ['85'], [providerRef('R', 2, 'G2', 'LU')]),
];

const lineSegments: SegmentRule[] = [
  seg('LX', 'Service Line Number', 'R', 1),
  seg('SV2', 'Institutional Service Line', 'R', 1),
  seg('PWK', 'Line Supplemental Information', 'S', 10),
  dtp('472', 'Date - Service Date'),
  ref('6R', 'Line Item Control Number'),
  ref('9B', 'Repriced Line Item Reference Number'),
  ref('9D', 'Adjusted Repriced Line Item Reference Number'),
  seg('AMT', 'Service Tax Amount', 'S', 1, [1, 'GT']),
  seg('AMT', 'Facility Tax Amount', 'S', 1, [1, 'N8']),
  seg('NTE', 'Third Party Organization Notes', 'S', 1, [1, 'TPO']),
  seg('HCP', 'Line Pricing/Repricing Information', 'S', 1),
];

const lineProviderLoops: LoopRule[] = [
  nm1Loop('2420A', 'Operating Physician Name', 'S', 1, ['72'], [providerRef('S', 20, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2420B', 'Other Operating Physician Name', 'S', 1, ['ZZ'], [providerRef('S', 20, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2420C', 'Rendering Provider Name', 'S', 1, ['82'], [providerRef('S', 20, '0B', '1G', 'G2', 'LU')]),
  nm1Loop('2420D', 'Referring Provider Name', 'S', 1, ['DN'], [providerRef('S', 20, '0B', '1G', 'G2')]),
];

const claim = loop('2300', 'Claim Information', 'R', 100, claimSegments, [
  ...claimProviderLoops,
  loop(
    '2320',
    'Other Subscriber Information',
    'S',
    10,
    otherSubscriberSegments([seg('MIA', 'Inpatient Adjudication Information', 'S', 1)]),
    otherPayerLoops(otherPayerProviderLoops),
  ),
  loop('2400', 'Service Line Number', 'R', 999, lineSegments, [drugIdentificationLoop, ...lineProviderLoops, lineAdjudicationLoop], {
    numbered: true,
  }),
]);

export const DEFINITION_837I = compile({
  guide: '005010X223A2',
  claimLoop: '2300',
  root: header([
    hierarchy(
      {
        billing: [
          seg('PRV', 'Billing Provider Specialty Information', 'S', 1, [1, 'BI']),
          seg('CUR', 'Foreign Currency Information', 'S', 1),
        ],
        subscriber: [seg('SBR', 'Subscriber Information', 'R', 1)],
        patient: [seg('PAT', 'Patient Information', 'R', 1)],
      },
      claim,
      patientNameLoop([]),
    ),
  ]),
});
