// Code lists that several implementation guides share: external code sources (states, places of
// service, claim frequency) and X12 code values the 837, 835 and 278 guides name alike.

const codes = (text: string): readonly string[] => text.trim().split(/\s+/);

/** Code source 22: U.S. states, DC, territories and military post offices. */
export const US_STATES = codes(`
  AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC
  ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS FM GU MH MP PR PW VI AA AE AP`);

/** Code source 22: Canadian provinces and territories (N402 when N404 is `CA`). */
export const CANADIAN_PROVINCES = codes('AB BC MB NB NL NS NT NU ON PE QC SK YT');

/** Code source 237: CMS place of service codes (837P CLM05-1, SV105). */
export const PLACE_OF_SERVICE = codes(`
  01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 31 32 33 34 41 42
  49 50 51 52 53 54 55 56 57 58 60 61 62 65 66 71 72 81 99`);

/** Code source 235: NUBC claim frequency type codes (CLM05-3, CLP09). */
export const CLAIM_FREQUENCY = codes('0 1 2 3 4 5 6 7 8 9 A B C D E F G H I J K M P Q');

/** 1032 Claim Filing Indicator Code as the 005010 claim guides list it (SBR09, CLP06). */
export const CLAIM_FILING_INDICATOR = codes('11 12 13 14 15 16 17 AM BL CH CI DS FI HM LM MA MB MC OF TV VA WC ZZ');

/** 1138 Payer Responsibility Sequence Number Code: primary … eleventh payer, unknown. */
export const PAYER_RESPONSIBILITY = codes('P S T A B C D E F G H U');

/** 1069 Individual Relationship Code of a patient who is not the subscriber (PAT01, 2320 SBR02 adds 18). */
export const PATIENT_RELATIONSHIP = codes('01 19 20 21 39 40 53 G8');

/** 1336 Insurance Type Code of a Medicare secondary claim (SBR05). */
export const MEDICARE_SECONDARY_TYPE = codes('12 13 14 15 16 41 42 43 47');

/** 1068 Gender Code. */
export const GENDER = codes('F M U');

/** 1033 Claim Adjustment Group Code (005010 dropped CR). */
export const ADJUSTMENT_GROUP = codes('CO OA PI PR');

/** 1514 Delay Reason Code. */
export const DELAY_REASON = codes('1 2 3 4 5 6 7 8 9 10 11 15');

/** 365 Communication Number Qualifier: PER03 (first number) and PER05/PER07 (which may be an extension). */
export const PHONE_QUALIFIER = codes('EM FX TE');
export const PHONE_OR_EXTENSION_QUALIFIER = codes('EM EX FX TE');

/** 1250 formats a date or date range takes in the claim guides. */
export const DATE = codes('D8');
export const DATE_OR_RANGE = codes('D8 RD8');

/** N402 by country: a U.S. address (N404 absent or `US`) takes a state, a Canadian one a province. */
export const ADDRESS_CODES = [
  ['N402[N404=|US]', US_STATES],
  ['N402[N404=CA]', CANADIAN_PROVINCES],
] as const;

/** 1270 Code List Qualifier Codes of HI (C022-01) in the 837P. */
export const PROFESSIONAL_PRINCIPAL_HI = codes('ABK BK BP BG');
export const PROFESSIONAL_OTHER_HI = codes('ABF BF BO BG');

/** 1270 of HI in the 837I: principal and other diagnoses, procedures, occurrences, values, conditions. */
export const INSTITUTIONAL_OTHER_HI = codes('APR PR ABN BN ABF BF BBQ BQ BI BH BE BG TC');
export const INSTITUTIONAL_FIRST_HI = [...codes('ABK BK ABJ BJ DR BBR BR CAH'), ...INSTITUTIONAL_OTHER_HI];
