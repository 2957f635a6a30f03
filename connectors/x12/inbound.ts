// An inbound X12 payload as a Batch (connectors/batch.ts): one part per transaction set, each in its
// own envelope, rejected parts carrying the findings that reject them as a located ParseError.
import { ParseError } from '../../canonical-model/errors.js';
import type { Batch, BatchPart, BatchSplitterOptions } from '../batch.js';
import { findingIssue } from './findings.js';
import { guideName, IMPLEMENTATION_GUIDES } from './implementation-guides.js';
import { acknowledgeInterchange, acknowledgeUnreadableInterchange, UnanswerableInterchangeError } from './ack/index.js';
import { InterchangeHeaderError } from './errors.js';
import { SUBMISSION_COUNTERS } from './destination.js';
import { splitInterchange, type SplitInterchange, type SplitTa1s, type SplitTransactionSet } from './split.js';

/**
 * Counters (store/counters.ts) the ISA13 and GS06 of the acknowledgements the hub sends come from:
 * the same as its 837 submissions' (x12/destination.ts), so no two interchanges the hub sends a
 * partner ever share an ISA13 or GS06.
 */
export const ACK_INTERCHANGE_COUNTER = SUBMISSION_COUNTERS.interchange;
export const ACK_GROUP_COUNTER = SUBMISSION_COUNTERS.group;

export async function splitX12(raw: string, options: BatchSplitterOptions = {}): Promise<Batch> {
  let split: SplitInterchange;
  try {
    split = splitInterchange(raw);
  } catch (error) {
    if (!(error instanceof InterchangeHeaderError)) throw error;
    return unreadable(raw, error, options);
  }
  const acknowledgement = options.nextControlNumbers ? await acknowledge(split, options.nextControlNumbers) : undefined;
  const interchanges = [...new Set(split.interchanges.map((interchange) => interchange.header.controlNumber))];
  return {
    format: 'x12',
    messageType: 'interchange',
    controlIds: interchanges.length === 1 ? { interchange: interchanges[0] } : { interchanges: interchanges.join(',') },
    parts: split.sets.map((set): BatchPart => ({
      raw: set.raw,
      contentType: 'application/edi-x12',
      controlIds: {
        interchange: set.interchange.controlNumber,
        ...(set.group ? { group: set.group.controlNumber } : {}),
        transactionSet: set.controlNumber,
      },
      messageType: IMPLEMENTATION_GUIDES[set.guide]?.messageType ?? (set.id || null),
      ...(set.accepted ? {} : { rejection: rejection(set, split.envelopeFindings) }),
    })).concat(
      split.ta1s.map((held): BatchPart => ({
        raw: held.raw,
        contentType: 'application/edi-x12',
        controlIds: { interchange: held.interchange.controlNumber },
        messageType: 'TA1',
        ...(held.accepted ? {} : { rejection: ta1Rejection(held, split.envelopeFindings) }),
      })),
    ),
    ...(acknowledgement ? { acknowledgement } : {}),
  };
}

/** Why a set is rejected: its own findings first, then those of its group and interchange. */
function rejection(set: SplitTransactionSet, envelopeFindings: SplitTransactionSet['findings']): ParseError {
  const around = envelopeFindings.filter(
    (f) =>
      f.interchangeControlNumber === set.interchange.controlNumber &&
      (f.groupControlNumber === null || f.groupControlNumber === (set.group?.controlNumber ?? null)),
  );
  const findings = [...set.findings, ...around];
  const [lead] = findings;
  const issues = findings.map(findingIssue);
  const where = set.findings.length > 0 ? 'the transaction set' : lead.level === 'group' ? 'its functional group' : 'its interchange';
  const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
  return new ParseError(
    `${guideName(set)} ST02 ${set.controlNumber} is rejected: ${where} has defects: ${issues[0].path}: ${lead.message}${more}`,
    issues,
  );
}

/** The TA1/999 replies to every interchange of the input, one after the other, with control numbers from the store's counters. */
async function acknowledge(
  split: SplitInterchange,
  nextControlNumbers: NonNullable<BatchSplitterOptions['nextControlNumbers']>,
): Promise<{ contentType: string; text: string } | undefined> {
  const owed = split.interchanges.length;
  if (owed === 0) return undefined;
  const [interchanges, groups] = await Promise.all([nextControlNumbers(ACK_INTERCHANGE_COUNTER, owed), nextControlNumbers(ACK_GROUP_COUNTER, owed)]);
  const date = new Date();
  const replies = split.interchanges.flatMap((interchange, i) => {
    const lineBreak = interchange.header.segment.line > 1 || /\n/.test(interchange.header.delimiters.segment) ? '' : '\n';
    const reply = acknowledgeInterchange(interchange, { interchange: interchanges[i], group: groups[i] }, { date, lineBreak });
    return reply ? [reply.text] : [];
  });
  return replies.length > 0 ? { contentType: 'application/edi-x12', text: replies.join('') } : undefined;
}

/** Why the TA1s of an interchange are not taken: the defects of the interchange that carries them. */
function ta1Rejection(held: SplitTa1s, envelopeFindings: SplitTransactionSet['findings']): ParseError {
  const findings = envelopeFindings.filter((f) => f.interchangeControlNumber === held.interchange.controlNumber && f.groupControlNumber === null);
  const issues = findings.map(findingIssue);
  const lead = issues[0];
  return new ParseError(
    `the TA1s of interchange ${held.interchange.controlNumber} are not taken: the interchange has defects${lead ? `: ${lead.path}: ${lead.message}` : ''}`,
    issues.length > 0 ? issues : [{ path: 'ISA', rule: 'interchange', message: 'the interchange carrying the TA1s has defects' }],
  );
}

/**
 * An input whose ISA cannot be read: no part can be split off, but the sender still gets a TA1 R
 * with the note code when the ISA's fields can be told apart (ack/unreadable.ts), and the payload is
 * stored failed with the reader's error.
 */
async function unreadable(raw: string, error: InterchangeHeaderError, options: BatchSplitterOptions): Promise<Batch> {
  let acknowledgement: Batch['acknowledgement'];
  if (options.nextControlNumbers) {
    try {
      // a dry run first: a control number is spent only when a TA1 can be written at all
      acknowledgeUnreadableInterchange(error, raw, { interchange: 0 }, { date: new Date() });
      const [interchange] = await options.nextControlNumbers(ACK_INTERCHANGE_COUNTER, 1);
      const reply = acknowledgeUnreadableInterchange(error, raw, { interchange }, { date: new Date() });
      acknowledgement = { contentType: 'application/edi-x12', text: reply.text };
    } catch (unanswerable) {
      if (!(unanswerable instanceof UnanswerableInterchangeError)) throw unanswerable;
    }
  }
  return { format: 'x12', messageType: 'interchange', controlIds: {}, parts: [], rejection: error, ...(acknowledgement ? { acknowledgement } : {}) };
}
