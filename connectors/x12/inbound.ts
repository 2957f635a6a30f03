// An inbound X12 payload as a Batch (connectors/batch.ts): one part per transaction set, each in its
// own envelope, rejected parts carrying the findings that reject them as a located ParseError.
import { ParseError } from '../../canonical-model/errors.js';
import type { Batch, BatchSplitterOptions } from '../batch.js';
import { findingIssue } from './findings.js';
import { IMPLEMENTATION_GUIDES } from './implementation-guides.js';
import { guideName, splitInterchange, type SplitTransactionSet } from './split.js';

export async function splitX12(raw: string, _options: BatchSplitterOptions = {}): Promise<Batch> {
  const split = splitInterchange(raw);
  const interchanges = [...new Set(split.events.flatMap((e) => (e.kind === 'interchange-start' ? [e.interchange.controlNumber] : [])))];
  return {
    format: 'x12',
    messageType: 'interchange',
    controlIds: interchanges.length === 1 ? { interchange: interchanges[0] } : { interchanges: interchanges.join(',') },
    parts: split.sets.map((set) => ({
      raw: set.raw,
      contentType: 'application/edi-x12',
      controlIds: {
        interchange: set.interchange.controlNumber,
        ...(set.group ? { group: set.group.controlNumber } : {}),
        transactionSet: set.controlNumber,
      },
      messageType: IMPLEMENTATION_GUIDES[set.guide]?.messageType ?? (set.id || null),
      ...(set.accepted ? {} : { rejection: rejection(set, split.envelopeFindings) }),
    })),
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
