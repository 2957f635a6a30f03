// 005010X217 Health Care Services Review, Request and Response (278): element code values, as
// unions over the guide's loops (no 278 loop definitions exist yet).
import { ADDRESS_CODES, DATE, DATE_OR_RANGE, GENDER, PHONE_OR_EXTENSION_QUALIFIER, PHONE_QUALIFIER } from './code-lists.js';
import type { GuideTable } from './guide-rules.js';

export const X217: GuideTable = {
  guide: '005010X217',
  codes: [
    ['ST01', '278'],
    ['ST03', '005010X217'],
    ['BHT01', '0007'],
    ['HL03', '20 21 22 23 EV SS'],
    ['HL04', '0 1'],
    ['NM102', '1 2'],
    ['TRN01', '1 2'],
    ['UM01', 'AR HS IN SC'],
    ['UM02', '1 2 3 4 I R S'],
    ['HCR01', 'A1 A2 A3 A4 A6 C CT D IP NA'],
    ['AAA01', 'N Y'],
    ['PER01', 'IC'],
    ['PER03', PHONE_QUALIFIER],
    ['PER05', PHONE_OR_EXTENSION_QUALIFIER],
    ['PER07', PHONE_OR_EXTENSION_QUALIFIER],
    ['PRV02', 'PXC'],
    ['DMG01', DATE],
    ['DMG03', GENDER],
    ['DTP02', DATE_OR_RANGE],
    ...ADDRESS_CODES,
  ],
};
