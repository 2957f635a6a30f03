// 005010X221A1 Health Care Claim Payment/Advice (835): element code values. No loop definitions
// exist for the 835 yet, so every list is the guide's union over the loops that use the element.
import { ADDRESS_CODES, ADJUSTMENT_GROUP, CLAIM_FILING_INDICATOR, CLAIM_FREQUENCY, PHONE_OR_EXTENSION_QUALIFIER } from './code-lists.js';
import type { GuideTable } from './guide-rules.js';

const COMMUNICATION = [...PHONE_OR_EXTENSION_QUALIFIER, 'UR'];

export const X221A1: GuideTable = {
  guide: '005010X221A1',
  codes: [
    ['ST01', '835'],
    ['BPR01', 'C D H I P U X'],
    ['BPR03', 'C D'],
    ['BPR04', 'ACH BOP CHK FWT NON'],
    ['BPR05', 'CCP CTX'],
    ['BPR06', '01 04'],
    ['BPR12', '01 04'],
    ['TRN01', '1'],
    ['CUR01', 'PR'],
    // Header, 1000A/1000B, 2100 and 2110 reference qualifiers.
    ['REF01', 'EV F2 2U EO HI NF 0B D3 PQ TJ 1L 1W 28 6P 9A 9C BB CE EA F8 G1 G3 IG SY 1A 1B 1C 1D 1G 1H 1J G2 LU 1S APC E9 RB 6R HPI 0K'],
    ['DTM01', '036 050 150 151 232 233 405 472'],
    ['N101', 'PR PE'],
    ['N103', 'FI XV XX'],
    ...ADDRESS_CODES,
    ['PER01', 'BL CX IC'],
    ['PER03', COMMUNICATION],
    ['PER05', COMMUNICATION],
    ['PER07', COMMUNICATION],
    ['RDM01', 'BM EM FT OL'],
    ['CLP02', '1 2 3 4 19 20 21 22 23 25'],
    ['CLP06', CLAIM_FILING_INDICATOR],
    ['CLP09', CLAIM_FREQUENCY],
    ['CAS01', ADJUSTMENT_GROUP],
    ['NM101', 'QC IL 74 82 TT PR GB'],
    ['NM102', '1 2'],
    ['NM108', '34 HN II MI MR FI C BD BS MC PC SL UP XX AD NI PI PP XV'],
    ['AMT01', 'AU B6 D8 DY F5 I KH NL T T2 ZK ZL ZM ZN ZO'],
    ['QTY01', 'CA CD LA LE NE NR OU PS VS ZK ZL ZM ZN ZO'],
    ['SVC01-1', 'AD ER HC HP IV N4 NU WK'],
    ['SVC06-1', 'AD ER HC HP IV N4 NU WK'],
    ['LQ01', 'HE RX'],
    [
      'PLB03-1',
      '50 51 72 90 AH AM AP B2 B3 BD BN C5 CR CS CT CV CW DM E3 FB FC GO HM IP IR IS J1 L3 L6 LE LS OA OB PI PL RA RE SL TL WO WU',
    ],
  ],
};
