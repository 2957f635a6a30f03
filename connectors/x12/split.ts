// Cuts an inbound X12 input (one or more interchanges) into its transaction sets, the unit claimhub
// stores, translates and acknowledges: each set becomes a self-contained interchange of its own —
// the original ISA and GS, the set's segments as received, and GE/IEA trailers that count one —
// so it can be read, replayed or re-translated alone. Every envelope, structure and element finding
// is kept with the envelope it belongs to; whether a set is accepted is decided here, once.
import type { Segment } from './segment.js';
import { segmentText } from './write/serialize.js';
import { AcknowledgementCollector, type InterchangeOutcome } from './ack/index.js';
import { groupStatus, interchangeStatus, transactionSetStatus } from './ack/rules.js';
import type { EnvelopeEvent, GroupHeader, InterchangeHeader, TransactionSetEnd, TransactionSetHeader } from './envelope-events.js';
import type { EnvelopeFinding } from './findings.js';
import { StructureReader } from './structure/structure-reader.js';
import { readX12Text } from './read.js';

export interface SplitTransactionSet {
  interchange: InterchangeHeader;
  group: GroupHeader | null;
  /** ST01, ST02 and the guide (ST03, else GS08). */
  id: string;
  controlNumber: string;
  guide: string;
  /** The set in its own envelope (see the file comment). */
  raw: string;
  /** 1-based line of its ST in the input. */
  line: number;
  /** Findings of the set (envelope, structure); with those of its group and interchange, they decide acceptance. */
  findings: EnvelopeFinding[];
  /** False when the 999/TA1 rejects it (IK5 R, AK9 R, TA1 R: ack/rules.ts decides, once). */
  accepted: boolean;
}

export interface SplitInterchange {
  /** Every envelope event in input order (what the 999/TA1 writer answers from). */
  events: EnvelopeEvent[];
  sets: SplitTransactionSet[];
  /** Interchange- and group-level findings (TA1, AK9). */
  envelopeFindings: EnvelopeFinding[];
  /** What the acknowledgements answer, per interchange (ack/acknowledgeInterchange). */
  interchanges: InterchangeOutcome[];
  /** TA1s the input carries (a partner's interchange acknowledgments), one entry per interchange holding any. */
  ta1s: SplitTa1s[];
}

export interface SplitTa1s {
  interchange: InterchangeHeader;
  /** The ISA, its TA1s and an IEA counting no group: the TA1s in an envelope of their own. */
  raw: string;
  /** False when the interchange that carries them has defects its own TA1 would reject. */
  accepted: boolean;
}

/** Reads `raw` whole; throws InterchangeHeaderError (a ParseError) when its first ISA is unreadable. */
export function splitInterchange(raw: string): SplitInterchange {
  const events: EnvelopeEvent[] = [];
  const ends: TransactionSetEnd[] = [];
  const collector = new AcknowledgementCollector();
  const structure = new StructureReader({
    onEvent(event) {
      events.push(event);
      collector.onEvent(event);
      if (event.kind === 'transaction-set-end') ends.push(event);
    },
    onClaim(claim) {
      collector.onClaim(claim);
    },
  }, { checkElements: true });
  readX12Text(raw, structure);

  const envelopeFindings = events.flatMap((event) =>
    // an end event carries every finding of its envelope, those of its header included
    event.kind === 'group-end' || event.kind === 'interchange-end'
      ? event.findings
      : [],
  );
  const accepted = acceptedSets(collector.interchanges);
  const sets = ends.map((end, index): SplitTransactionSet => {
    const { interchange, group, header } = end;
    const next = ends[index + 1];
    return {
      interchange,
      group,
      id: header.id,
      controlNumber: header.controlNumber,
      guide: header.implementationReference ?? group?.version ?? '',
      raw: ownEnvelope(raw, end, next?.header.segment.offset),
      line: header.segment.line,
      findings: end.findings,
      accepted: accepted.get(header) ?? false,
    };
  });
  const ta1s = events.flatMap((event): SplitTa1s[] => {
    if (event.kind !== 'interchange-end' || !event.ta1s || event.ta1s.length === 0) return [];
    const { interchange } = event;
    const lineBreak = lineBreakAfter(raw, interchange);
    const body = [interchange.segment, ...event.ta1s].map((segment) => textOf(raw, segment, interchange) + lineBreak).join('');
    const iea = segmentText(['IEA', '0', interchange.controlNumber], { delimiters: interchange.delimiters, lineBreak });
    return [{ interchange, raw: body + iea, accepted: event.findings.length === 0 }];
  });
  return { events, sets, envelopeFindings, interchanges: collector.interchanges, ta1s };
}

/** By ST header, whether the acknowledgement accepts the set (A or E at every level that answers it). */
function acceptedSets(interchanges: InterchangeOutcome[]): Map<TransactionSetHeader, boolean> {
  const verdicts = new Map<TransactionSetHeader, boolean>();
  for (const interchange of interchanges) {
    const interchangeOk = interchangeStatus(interchange)?.status !== 'R';
    for (const set of interchange.ungroupedSets) verdicts.set(set.header, false);
    for (const group of interchange.groups) {
      const statuses = group.transactionSets.map((set) => transactionSetStatus(set).status);
      const groupOk = groupStatus(group, statuses).status !== 'R' || statuses.some((status) => status !== 'R');
      const groupEnvelopeOk = !group.findings.some((finding) => finding.severity !== 'warning');
      group.transactionSets.forEach((set, i) =>
        verdicts.set(set.header, interchangeOk && groupOk && groupEnvelopeOk && statuses[i] !== 'R'),
      );
    }
  }
  return verdicts;
}

/** The set's text (ST through SE, as received) in its ISA and GS, with GE/IEA trailers counting one. */
function ownEnvelope(raw: string, end: TransactionSetEnd, nextSetOffset: number | undefined): string {
  const { interchange, group, header, trailer } = end;
  const d = interchange.delimiters;
  const lineBreak = lineBreakAfter(raw, interchange);
  const write = { delimiters: d, lineBreak };
  const isa = textOf(raw, interchange.segment, interchange) + lineBreak;
  const gs = group ? textOf(raw, group.segment, interchange) + lineBreak : '';
  // Without SE the set runs to the next set, or to the end of what was read.
  const stop = trailer ? segmentEnd(raw, trailer.offset, d.segment) : (nextSetOffset ?? raw.length);
  const body = raw.slice(header.segment.offset, stop).replace(/\s+$/, '');
  const ge = group ? segmentText(['GE', '1', group.controlNumber], write) : '';
  const iea = segmentText(['IEA', '1', interchange.controlNumber], write);
  return `${isa}${gs}${body}${body.endsWith(d.segment) ? '' : d.segment}${lineBreak}${ge}${iea}`;
}

/** Where a segment's text ends in `raw`: just after its terminator, or at the end of the input. */
function segmentEnd(raw: string, offset: number, terminator: string): number {
  const at = raw.indexOf(terminator, offset);
  return at === -1 ? raw.length : at + 1;
}

/** A segment as received, terminator included. */
function textOf(raw: string, segment: Segment, interchange: InterchangeHeader): string {
  return raw.slice(segment.offset, segmentEnd(raw, segment.offset, interchange.delimiters.segment));
}

/** The line break the sender puts after each segment (judged after its ISA), or none. */
function lineBreakAfter(raw: string, interchange: InterchangeHeader): string {
  const after = segmentEnd(raw, interchange.segment.offset, interchange.delimiters.segment);
  return /^\r?\n/.exec(raw.slice(after, after + 2))?.[0] ?? '';
}
