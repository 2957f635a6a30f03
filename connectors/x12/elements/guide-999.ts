// 005010X231A1 Implementation Acknowledgment (999): the acknowledgment and error code lists.
import type { GuideTable } from './guide-rules.js';

export const X231A1: GuideTable = {
  guide: '005010X231A1',
  codes: [
    ['ST01', '999'],
    ['ST03', '005010X231A1'],
    ['IK304', '1 2 3 4 5 6 7 8 I4 I6 I7 I8 I9'],
    ['IK403', '1 2 3 4 5 6 7 8 9 10 12 13 I6 I9 I10 I11 I12 I13'],
    ['IK501', 'A E M R W X'],
    ...['IK502', 'IK503', 'IK504', 'IK505', 'IK506'].map(
      (key) => [key, '1 2 3 4 5 6 7 8 9 10 11 12 13 15 16 17 18 19 23 24 25 26 27 I5 I6'] as const,
    ),
    ['AK901', 'A E M P R W X'],
    ...['AK905', 'AK906', 'AK907', 'AK908', 'AK909'].map((key) => [key, '1 2 3 4 5 6 17 18 19 23 24 25 26'] as const),
  ],
};
