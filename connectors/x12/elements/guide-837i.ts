// 005010X223A2 Health Care Claim: Institutional (837I): its element code values, usage and patterns
// by loop, on top of what it shares with the 837P (guide-837.ts).
import { INSTITUTIONAL_FIRST_HI, INSTITUTIONAL_OTHER_HI } from './code-lists.js';
import { CLAIM_CODES, CLAIM_USAGE, otherHiQualifiers } from './guide-837.js';
import type { GuideTable } from './guide-rules.js';

const NPI_LOOPS = '2310A,2310B,2310C,2310D,2310E,2310F,2420A,2420B,2420C,2420D';
const OTHER_PAYER_PROVIDERS = '2330C,2330D,2330E,2330F,2330G,2330H,2330I';

export const X223A2: GuideTable = {
  guide: '005010X223A2',
  codes: [
    ...CLAIM_CODES,
    ['ST03', '005010X223A2'],
    ['NM101@2310A,2330C', '71'],
    ['NM101@2310B,2330D,2420A', '72'],
    ['NM101@2310C,2330E,2420B', 'ZZ'],
    ['NM101@2310D,2330G,2420C', '82'],
    ['NM101@2310E,2330F', '77'],
    ['NM101@2310F,2330H,2420D', 'DN'],
    ['NM101@2330I', '85'],
    [`NM108@${NPI_LOOPS}`, 'XX'],
    ['PRV01', 'AT BI'],
    ['REF01@2300', '4N F8 9F G1 9A 9C LX D9 EA P4 G4 LU'],
    ['REF01@2310A,2310B,2310C,2310D,2330C,2330D,2330E,2330G,2420A,2420B,2420C', '0B 1G G2 LU'],
    ['REF01@2310E,2330F', '0B G2 LU'],
    ['REF01@2310F,2330H,2420D', '0B 1G G2'],
    ['REF01@2330I', 'G2 LU'],
    ['REF01@2400', '6R 9B 9D'],
    // 005010X223A2 CLM05-2: A, Uniform Billing Claim Form Bill Type (CLM05-1 and -3 make the bill type).
    ['CLM05-2', 'A'],
    ['CL101', '1 2 3 4 5 9'],
    ['DTP02[DTP01=096]', 'TM'],
    ['DTP02[DTP01=434]', 'RD8'],
    ['DTP02[DTP01=435]', 'D8 DT'],
    ['HI01-1', INSTITUTIONAL_FIRST_HI],
    ...otherHiQualifiers(INSTITUTIONAL_OTHER_HI),
    ['SV202-1', 'ER HC HP IV WK'],
    ['SV204', 'DA UN'],
    ['SVD03-1', 'ER HC HP IV WK'],
    ['AMT01@2300', 'F3'],
    ['AMT01@2320', 'D A8 EAF'],
    ['AMT01@2430', 'EAF'],
    ['NTE01@2300', 'ALG DCP DGN DME MED NTR ODT RHB RLH RNH SET SFM SPT UPI'],
  ],
  usage: [
    ...CLAIM_USAGE,
    ['NM1@2310E', 'N04 N05 N07'],
    [`NM1@${OTHER_PAYER_PROVIDERS}`, 'N03 N04 N05 N07 N08 N09'],
    // The UB-04 carries no signature, assignment or accident indicators on CLM.
    ['CLM', 'N03 N04 N06 N10 N11 N12'],
    ['SV2', 'R01 R03 R04 R05'],
  ],
  // 005010X223A2: "the full nine digit ZIP code" for the billing provider and service facility.
  patterns: [['N403@2010AA,2310E[N404=|US]', 'zip9']],
};
