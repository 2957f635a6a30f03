// 005010X231A1 Implementation Acknowledgment (999): AK1 for the group acknowledged, one 2000 per
// transaction set (AK2, its 2100 segment errors with their 2110 element notes, IK5 after them) and
// AK9 after the 2000 loops. No claim loop: an acknowledgment is read whole.
import { compile, loop, seg } from './definition.js';

const MANY = Infinity;

// CTX01-1 tells the segment context (`SITUATIONAL TRIGGER`) from the business unit identifier
// (`CLM01`…); it is a component, so one rule with their summed maximum use (9 + 1) covers both.
const segmentError = loop(
  '2100',
  'Error Identification',
  'S',
  MANY,
  [seg('IK3', 'Error Identification', 'R', 1), seg('CTX', 'Segment Context / Business Unit Identifier', 'S', 10)],
  [
    loop('2110', 'Implementation Data Element Note', 'S', 99, [
      seg('IK4', 'Implementation Data Element Note', 'R', 1),
      seg('CTX', 'Element Context', 'S', 10),
    ]),
  ],
);

const transactionSetResponse = loop(
  '2000',
  'Transaction Set Response Header',
  'S',
  MANY,
  [seg('AK2', 'Transaction Set Response Header', 'R', 1)],
  [segmentError],
  { trailing: [seg('IK5', 'Transaction Set Response Trailer', 'R', 1)] },
);

export const DEFINITION_999 = compile({
  guide: '005010X231A1',
  root: loop(
    'ST',
    'Transaction Set Header',
    'R',
    1,
    [seg('ST', 'Transaction Set Header', 'R', 1), seg('AK1', 'Functional Group Response Header', 'R', 1)],
    [transactionSetResponse],
    { trailing: [seg('AK9', 'Functional Group Response Trailer', 'R', 1)] },
  ),
});
