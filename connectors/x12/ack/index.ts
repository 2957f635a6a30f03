// X12 acknowledgements: the TA1 and 999 claimhub answers an inbound interchange with, and the
// reading of the 999s and TA1s it receives into canonical Acknowledgements.
export { acknowledgeInterchange } from './acknowledge.js';
export { acknowledgementFrom999, acknowledgementOf999, acknowledgementOfTa1, acknowledgementsFromTa1s } from './canonical.js';
export type { AcknowledgementSource } from './canonical.js';
export { AcknowledgmentReadError, UnanswerableInterchangeError } from './errors.js';
export type * from './model.js';
export { AcknowledgementCollector } from './outcome.js';
export type { AckFinding, ClaimSpan, GroupOutcome, InterchangeOutcome, TransactionSetOutcome } from './outcome.js';
export { readImplementationAcknowledgment } from './read-999.js';
export { readTa1s } from './read-ta1.js';
export type { ReceivedTa1 } from './read-ta1.js';
export { ACKNOWLEDGMENT_GUIDE } from './reply.js';
export type { AckControlNumbers, AckOptions, AcknowledgementReply } from './reply.js';
export { acknowledgeUnreadableInterchange } from './unreadable.js';
