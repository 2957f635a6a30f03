// 005010X221A1 Health Care Claim Payment/Advice (835): the header (BPR, TRN, payer 1000A, payee
// 1000B), the 2000 header-number loops with their 2100 claim payments and 2110 service payments, and
// the summary table's PLB, as the guide lays them out. No claim loop: a remittance is read whole.
import { compile, loop, seg, type LoopRule, type SegmentRule } from './definition.js';

const MANY = Infinity;

const ref = (name: string, usage: 'R' | 'S', max: number, ...qualifiers: string[]) => seg('REF', name, usage, max, [1, ...qualifiers]);
const dtm = (name: string, max: number, ...qualifiers: string[]) => seg('DTM', name, 'S', max, [1, ...qualifiers]);
const nm1 = (name: string, usage: 'R' | 'S', entity: string) => seg('NM1', name, usage, 1, [1, entity]);

const payer = loop('1000A', 'Payer Identification', 'R', 1, [
  seg('N1', 'Payer Identification', 'R', 1, [1, 'PR']),
  seg('N3', 'Payer Address', 'R', 1),
  seg('N4', 'Payer City, State, ZIP Code', 'R', 1),
  ref('Additional Payer Identification', 'S', 4, '2U', 'EO', 'HI', 'NF'),
  seg('PER', 'Payer Business Contact Information', 'S', 1, [1, 'CX']),
  // 005010X221A1 made the technical contact required (it was situational in 005010X221).
  seg('PER', 'Payer Technical Contact Information', 'R', MANY, [1, 'BL']),
  seg('PER', 'Payer WEB Site', 'S', 1, [1, 'IC']),
]);

const payee = loop('1000B', 'Payee Identification', 'R', 1, [
  seg('N1', 'Payee Identification', 'R', 1, [1, 'PE']),
  seg('N3', 'Payee Address', 'S', 1),
  seg('N4', 'Payee City, State, ZIP Code', 'S', 1),
  ref('Payee Additional Identification', 'S', MANY, '0B', 'D3', 'PQ', 'TJ'),
  seg('RDM', 'Remittance Delivery Method', 'S', 1),
]);

const claimPaymentSegments: SegmentRule[] = [
  seg('CLP', 'Claim Payment Information', 'R', 1),
  seg('CAS', 'Claim Adjustment', 'S', 99),
  nm1('Patient Name', 'R', 'QC'),
  nm1('Insured Name', 'S', 'IL'),
  nm1('Corrected Patient/Insured Name', 'S', '74'),
  nm1('Service Provider Name', 'S', '82'),
  nm1('Crossover Carrier Name', 'S', 'TT'),
  nm1('Corrected Priority Payer Name', 'S', 'PR'),
  nm1('Other Subscriber Name', 'S', 'GB'),
  seg('MIA', 'Inpatient Adjudication Information', 'S', 1),
  seg('MOA', 'Outpatient Adjudication Information', 'S', 1),
  ref('Other Claim Related Identification', 'S', 5, '1L', '1W', '28', '6P', '9A', '9C', 'BB', 'CE', 'EA', 'F8', 'G1', 'G3', 'IG', 'SY'),
  ref('Rendering Provider Identification', 'S', 10, '0B', '1A', '1B', '1C', '1D', '1G', '1H', '1J', 'D3', 'G2', 'LU'),
  dtm('Statement From or To Date', 2, '232', '233'),
  dtm('Coverage Expiration Date', 1, '036'),
  dtm('Claim Received Date', 1, '050'),
  seg('PER', 'Claim Contact Information', 'S', 2, [1, 'CX']),
  seg('AMT', 'Claim Supplemental Information', 'S', 13),
  seg('QTY', 'Claim Supplemental Information Quantity', 'S', 14),
];

const servicePayment = loop('2110', 'Service Payment Information', 'S', 999, [
  seg('SVC', 'Service Payment Information', 'R', 1),
  dtm('Service Date', 2, '150', '151', '472'),
  seg('CAS', 'Service Adjustment', 'S', 99),
  ref('Service Identification', 'S', 8, '1S', 'APC', 'BB', 'E9', 'G1', 'G3', 'GK', 'LU', 'RB'),
  ref('Line Item Control Number', 'S', 1, '6R'),
  ref('Rendering Provider Information', 'S', 10, '0B', '1A', '1B', '1C', '1D', '1G', '1H', '1J', 'D3', 'G2', 'HPI', 'SY', 'TJ'),
  ref('HealthCare Policy Identification', 'S', 5, '0K'),
  seg('AMT', 'Service Supplemental Amount', 'S', 9),
  seg('QTY', 'Service Supplemental Quantity', 'S', 6),
  seg('LQ', 'Health Care Remark Codes', 'S', 99),
]);

const headerNumber: LoopRule = loop(
  '2000',
  'Header Number',
  'S',
  MANY,
  [
    seg('LX', 'Header Number', 'R', 1),
    seg('TS3', 'Provider Summary Information', 'S', 1),
    seg('TS2', 'Provider Supplemental Summary Information', 'S', 1),
  ],
  [loop('2100', 'Claim Payment Information', 'R', MANY, claimPaymentSegments, [servicePayment])],
);

export const DEFINITION_835 = compile({
  guide: '005010X221A1',
  root: loop(
    'ST',
    'Transaction Set Header',
    'R',
    1,
    [
      seg('ST', 'Transaction Set Header', 'R', 1),
      seg('BPR', 'Financial Information', 'R', 1),
      seg('TRN', 'Reassociation Trace Number', 'R', 1),
      seg('CUR', 'Foreign Currency Information', 'S', 1),
      ref('Receiver Identification', 'S', 1, 'EV'),
      ref('Version Identification', 'S', 1, 'F2'),
      dtm('Production Date', 1, '405'),
    ],
    [payer, payee, headerNumber],
    { trailing: [seg('PLB', 'Provider Adjustment', 'S', MANY)] },
  ),
});
