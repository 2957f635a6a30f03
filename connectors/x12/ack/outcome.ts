// What the reader found in one inbound interchange, kept in the shape the acknowledgements need:
// headers, findings and the span of each claim, per group and transaction set (no segments held).
import type { EnvelopeEvent, GroupHeader, InterchangeHeader, TransactionSetHeader } from '../envelope-events.js';
import type { ClaimInContext, LoopNode } from '../structure/loop-tree.js';
import type { X12Event } from '../transaction-sets.js';
import type { SituationalTrigger } from './model.js';

/**
 * A finding as the acknowledgement reads it. Envelope findings (findings.ts) and structure findings
 * (loop-tree.ts) are AckFindings; element findings add `level: 'element'` with `code` the IK403 and
 * may name the element's reference number, the bad value, its component and repetition.
 */
export interface AckFinding {
  level: 'interchange' | 'group' | 'transaction-set' | 'segment' | 'element';
  /** TA105, AK905, IK502, IK304 or IK403, by level. */
  code: string;
  segmentId: string;
  /** Position of the segment in its transaction set (ST is 1). */
  position: number;
  element?: number;
  component?: number;
  repetition?: number;
  elementReference?: string | number;
  badValue?: string;
  /** The loop the segment is in (IK303); null or absent when not known. */
  loopId?: string | null;
  /** For a situational rule: the segment whose content made it apply. */
  trigger?: SituationalTrigger;
  /** A warning is answered, but does not reject (IK501 E rather than R). Absent: an error. */
  severity?: 'error' | 'warning';
  message: string;
}

/** Where one claim (2300 and everything under it) lies in its set, and the structure findings inside it. */
export interface ClaimSpan {
  /** CLM01, the patient control number. */
  claimNumber: string;
  first: number;
  last: number;
  findings: readonly AckFinding[];
}

export interface TransactionSetOutcome {
  header: TransactionSetHeader;
  findings: AckFinding[];
  claims: ClaimSpan[];
}

export interface GroupOutcome {
  header: GroupHeader;
  transactionSets: TransactionSetOutcome[];
  /** GE01 as written, null when the GE is missing. */
  declaredCount: string | null;
  findings: AckFinding[];
}

export interface InterchangeOutcome {
  header: InterchangeHeader;
  groups: GroupOutcome[];
  /** Sets outside any functional group: no 999 can answer them (AK1 needs a GS). */
  ungroupedSets: TransactionSetOutcome[];
  /** False when the input ended (or the next ISA came) before the IEA. */
  trailerRead: boolean;
  findings: AckFinding[];
}

/**
 * Collects InterchangeOutcomes from the reader's events. Use it as the handlers of streamX12 (alone,
 * or behind a ClaimStructureReader to include structure findings and claim spans) or feed it the
 * events of readX12.
 */
export class AcknowledgementCollector {
  readonly interchanges: InterchangeOutcome[] = [];
  private interchange: InterchangeOutcome | null = null;
  private group: GroupOutcome | null = null;
  private claims: ClaimSpan[] = [];

  onSegment(): void {}

  onClaim(claim: ClaimInContext): void {
    const clm = claim.claim.segments[0];
    this.claims.push({
      claimNumber: clm.elements[0] ?? '',
      first: clm.position,
      last: lastPosition(claim.claim),
      findings: claim.findings,
    });
  }

  onEvent(event: EnvelopeEvent | X12Event): void {
    switch (event.kind) {
      case 'interchange-start':
        this.interchange = { header: event.interchange, groups: [], ungroupedSets: [], trailerRead: false, findings: [] };
        this.interchanges.push(this.interchange);
        return;
      case 'group-start':
        this.group = { header: event.group, transactionSets: [], declaredCount: null, findings: [] };
        this.interchange!.groups.push(this.group);
        return;
      case 'transaction-set-start':
        this.claims = [];
        return;
      case 'transaction-set-end':
      case 'transaction-set': {
        const set: TransactionSetOutcome = { header: event.header, findings: event.findings, claims: this.claims };
        this.claims = [];
        if (event.group === null) this.interchange!.ungroupedSets.push(set);
        else this.group!.transactionSets.push(set);
        return;
      }
      case 'group-end':
        this.group!.declaredCount = event.trailer === null ? null : (event.trailer.elements[0] ?? '');
        this.group!.findings = event.findings;
        this.group = null;
        return;
      case 'interchange-end':
        this.interchange!.trailerRead = event.trailer !== null;
        this.interchange!.findings = event.findings;
        this.interchange = null;
    }
  }
}

/** The position of the last segment in a loop and the loops under it. */
function lastPosition(node: LoopNode): number {
  let last = node.segments[node.segments.length - 1].position;
  for (const child of node.loops) last = Math.max(last, lastPosition(child));
  return last;
}
