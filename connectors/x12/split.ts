// Cuts an inbound X12 input (one or more interchanges) into its transaction sets, the unit claimhub
// stores, translates and acknowledges: each set becomes a self-contained interchange of its own —
// the original ISA and GS, the set's segments as received, and GE/IEA trailers that count one —
// so it can be read, replayed or re-translated alone. Every envelope, structure and element finding
// is kept with the envelope it belongs to; whether a set is accepted is decided here, once.
import { AcknowledgementCollector, type InterchangeOutcome } from './ack/index.js';
import { groupStatus, interchangeStatus, transactionSetStatus } from './ack/rules.js';
import type { EnvelopeEvent, GroupHeader, InterchangeHeader, TransactionSetEnd, TransactionSetHeader } from './envelope-events.js';
import type { EnvelopeFinding } from './findings.js';
import { IMPLEMENTATION_GUIDES } from './implementation-guides.js';
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
    const d = event.interchange.delimiters;
    const text = (offset: number) => {
      const end = raw.indexOf(d.segment, offset);
      return raw.slice(offset, end === -1 ? raw.length : end + 1);
    };
    const body = [event.interchange.segment, ...event.ta1s].map((segment) => text(segment.offset)).join('\n');
    return [
      {
        interchange: event.interchange,
        raw: `${body}\nIEA${d.element}0${d.element}${event.interchange.controlNumber}${d.segment}\n`,
        accepted: event.findings.length === 0,
      },
    ];
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
  const terminatorAt = (offset: number) => {
    const at = raw.indexOf(d.segment, offset);
    return at === -1 ? raw.length : at + 1;
  };
  const lineBreak = /^\r?\n/.exec(raw.slice(terminatorAt(interchange.segment.offset), terminatorAt(interchange.segment.offset) + 2))?.[0] ?? '';
  const isa = raw.slice(interchange.segment.offset, terminatorAt(interchange.segment.offset));
  const gs = group ? raw.slice(group.segment.offset, terminatorAt(group.segment.offset)) : '';
  // Without SE the set runs to the next set, or to the end of what was read.
  const stop = trailer ? terminatorAt(trailer.offset) : (nextSetOffset ?? raw.length);
  const body = raw.slice(header.segment.offset, stop).replace(/\s+$/, '');
  const ge = group ? `GE${d.element}1${d.element}${group.controlNumber}${d.segment}${lineBreak}` : '';
  const iea = `IEA${d.element}1${d.element}${interchange.controlNumber}${d.segment}${lineBreak}`;
  return `${isa}${lineBreak}${gs}${gs ? lineBreak : ''}${body}${body.endsWith(d.segment) ? '' : d.segment}${lineBreak}${ge}${iea}`;
}

/** A short name of the set's kind for people: `837 Professional`. */
export function guideName(set: Pick<SplitTransactionSet, 'guide' | 'id'>): string {
  return IMPLEMENTATION_GUIDES[set.guide]?.name ?? `transaction set ${set.id}`;
}
