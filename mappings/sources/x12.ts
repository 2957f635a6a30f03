// X12 front end of the mapping engine: an interchange (usually one transaction set, as intake
// splits batches) → mapping units. An 837 gives one unit per claim (the 2300 loop with its HL
// context, the JSON view of connectors/x12/structure/claim-json.ts); an 835 one unit per set (one
// payment, one remittance); a 278 one unit per patient event (2000E), which 005010X217 allows once
// per set. A set the reader found defects in is refused whole, with every finding located: a 999
// would reject it, so nothing of it may go on.

import { ParseError, UnsupportedMessageError } from '../../canonical-model/errors.js';
import { findingIssue, type EnvelopeFinding } from '../../connectors/x12/findings.js';
import type { EnvelopeEvent, InterchangeHeader, TransactionSetStart } from '../../connectors/x12/envelope-events.js';
import { guideName, IMPLEMENTATION_GUIDES } from '../../connectors/x12/implementation-guides.js';
import type { Delimiters, Segment } from '../../connectors/x12/segment.js';
import { claimJson, loopJson, segmentJson, sourceSegment, type LoopJson } from '../../connectors/x12/structure/claim-json.js';
import { DEFINITION_278_RESPONSE, definition278 } from '../../connectors/x12/structure/definitions-278.js';
import { DEFINITION_835 } from '../../connectors/x12/structure/definitions-835.js';
import { CLAIM_DEFINITIONS } from '../../connectors/x12/structure/loop-definitions.js';
import type { ClaimInContext, LoopNode } from '../../connectors/x12/structure/loop-tree.js';
import { StructureReader } from '../../connectors/x12/structure/structure-reader.js';
import { readX12Text } from '../../connectors/x12/read.js';
import type { MappingUnit, SourceMessage } from './source.js';

/** What the x12 helpers of one unit work with. */
export interface X12UnitContext {
  delimiters: Delimiters;
  set: { controlNumber: string; line: number };
}

interface ReadSet {
  start: TransactionSetStart;
  guide: string;
  findings: EnvelopeFinding[];
  claims: ClaimInContext[];
  /** The whole set, for a guide without a claim loop. */
  tree: LoopNode | null;
}

const GUIDE_278 = '005010X217';
const GUIDE_999 = '005010X231A1';
/** The guides read as one tree per set that claimhub translates. */
const TREE_GUIDES = new Set([DEFINITION_835.guide, GUIDE_278, GUIDE_999]);
/** The HL levels of a 278 a patient event sits under, and the event itself; 2000F stays inside its 2000E. */
const REVIEW_LEVELS = new Set(['2000A', '2000B', '2000C', '2000D', '2000E']);

export function readX12Message(raw: string): SourceMessage {
  const { sets, outerFindings, ta1s } = readSets(raw);
  // An interchange that carries only TA1s (a partner's interchange acknowledgments): one unit each.
  // Intake hands TA1s to the translator in an envelope of their own (connectors/x12/split.ts).
  if (sets.length === 0 && ta1s.length > 0 && outerFindings.length === 0) return ta1Message(ta1s);
  if (sets.length === 0) {
    const message = 'the interchange holds no transaction set (no ST…SE between its GS and GE)';
    throw new ParseError(message, [{ path: 'ST', rule: 'no-transaction-set', message }, ...outerFindings.map(findingIssue)]);
  }
  const findings = [...outerFindings, ...sets.flatMap((set) => set.findings)];
  if (findings.length > 0) {
    const [first] = findings;
    const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
    throw new ParseError(`the X12 input has defects a 999/TA1 rejects: ${first.path} ${first.message}${more}`, findings.map(findingIssue));
  }
  const types = new Set(sets.map((set) => IMPLEMENTATION_GUIDES[set.guide]?.messageType ?? `${set.start.header.id} ${set.guide}`));
  const [messageType] = types;
  if (types.size > 1) {
    const message = `the interchange mixes ${[...types].join(' and ')}; send each kind in its own interchange`;
    throw new UnsupportedMessageError(message, [{ path: 'ST01', rule: 'mixed-transaction-sets', message }]);
  }
  const unsupported = sets.find((set) => CLAIM_DEFINITIONS[set.guide] === undefined && !TREE_GUIDES.has(set.guide));
  if (unsupported) {
    const name = guideName({ guide: unsupported.guide, id: unsupported.start.header.id });
    const message = `${name} (${unsupported.guide || 'no implementation guide in GS08/ST03'}) is read but not translated: claimhub translates 837P, 837I, 835, 278 and 999`;
    throw new UnsupportedMessageError(message, [{ path: `ST*${unsupported.start.header.controlNumber}`, rule: 'transaction-set', message }]);
  }
  const first = sets[0].start;
  const controlNumbers: Record<string, string> = { interchange: first.interchange.controlNumber };
  if (first.group) controlNumbers.group = first.group.controlNumber;
  if (sets.length === 1) controlNumbers.transactionSet = first.header.controlNumber;
  else controlNumbers.transactionSets = sets.map((set) => set.start.header.controlNumber).join(',');
  return { format: 'x12', messageType, controlNumbers, units: sets.flatMap(setUnits) };
}

function setUnits(set: ReadSet): MappingUnit[] {
  if (set.tree === null) return set.claims.map((claim) => claimUnit(set, claim));
  if (set.guide === GUIDE_999) return [acknowledgementUnit(set, set.tree)];
  return set.guide === GUIDE_278 ? reviewUnits(set, set.tree) : [remittanceUnit(set, set.tree)];
}

function claimUnit(set: ReadSet, claim: ClaimInContext): MappingUnit {
  const clm = claim.claim.segments[0];
  const claimNumber = clm.elements[0] ?? '';
  return unit(set, claimJson(claim, set.guide), {
    path: `ST*${set.start.header.controlNumber} CLM*${claimNumber}`,
    root: '2300',
    label: `claim ${claimNumber} (line ${clm.line})`,
    controlNumbers: { claim: claimNumber },
  });
}

/** 835: the ST loop as it is (BPR, TRN…, 1000A, 1000B, every 2000 with its 2100/2110, PLB) with the guide. */
function remittanceUnit(set: ReadSet, tree: LoopNode): MappingUnit {
  const trace = tree.segments.find((segment) => segment.id === 'TRN')?.elements[1] ?? '';
  const controlNumber = set.start.header.controlNumber;
  return unit(set, { guide: set.guide, ...loopJson(tree) }, {
    path: `ST*${controlNumber}`,
    root: 'ST',
    label: `remittance ${trace} (ST*${controlNumber}, line ${set.start.header.segment.line})`,
    controlNumbers: {},
  });
}

/**
 * 999: the ST loop (AK1, every 2000 with AK2, its 2100 IK3/CTX with 2110 IK4/CTX, and IK5; AK9) with
 * the guide and the envelope it came in (who sent it, when: the acknowledgement's own ISA/GS).
 */
function acknowledgementUnit(set: ReadSet, tree: LoopNode): MappingUnit {
  const { interchange, group, header } = set.start;
  const envelope = {
    senderId: interchange.senderId,
    receiverId: interchange.receiverId,
    date: group?.date ?? '',
    time: group?.time ?? '',
  };
  return unit(set, { guide: set.guide, envelope, ...loopJson(tree) }, {
    path: `ST*${header.controlNumber}`,
    root: 'ST',
    label: `999 ST*${header.controlNumber} (line ${header.segment.line})`,
    controlNumbers: {},
  });
}

/**
 * 278: one unit per patient event, each with the header (ST, BHT) and the HL levels above it as keys
 * of their own, like the 837 view; a set without a patient event (a response the UMO rejected at
 * the subscriber) is one unit, so the mapping can say why it carries no decision.
 */
function reviewUnits(set: ReadSet, tree: LoopNode): MappingUnit[] {
  const bht = tree.segments.find((segment) => segment.id === 'BHT');
  const purpose = bht !== undefined && definition278(bht) === DEFINITION_278_RESPONSE ? 'response' : 'request';
  const header = loopJson({ loop: tree.loop, segments: tree.segments, loops: [] });
  const controlNumber = set.start.header.controlNumber;
  return patientEvents(tree).map((levels) => {
    const view: Record<string, unknown> = { guide: set.guide, purpose, header };
    for (const level of levels) view[level.loop] = levelJson(level);
    const event = levels.at(-1)!.segments[0];
    const tracking = levels.at(-1)!.segments.find((segment) => segment.id === 'TRN')?.elements[1] ?? bht?.elements[2] ?? '';
    return unit(set, view, {
      path: `ST*${controlNumber} HL*${event.elements[0] ?? ''}`,
      root: levels.at(-1)!.loop,
      label: `review ${tracking} (line ${event.line})`,
      controlNumbers: {},
    });
  });
}

/** The HL levels down to each 2000E; without any, the deepest chain of levels the set has. */
function patientEvents(tree: LoopNode): LoopNode[][] {
  const events: LoopNode[][] = [];
  let deepest: LoopNode[] = [];
  const visit = (node: LoopNode, above: LoopNode[]): void => {
    for (const child of node.loops) {
      if (!REVIEW_LEVELS.has(child.loop)) continue;
      const levels = [...above, child];
      if (child.loop === '2000E') events.push(levels);
      else {
        if (levels.length > deepest.length) deepest = levels;
        visit(child, levels);
      }
    }
  };
  visit(tree, []);
  return events.length > 0 ? events : [deepest];
}

/** An HL level without the levels under it (those are keys of their own in the 278 view). */
function levelJson(level: LoopNode): LoopJson {
  return loopJson({ ...level, loops: level.loops.filter((child) => !REVIEW_LEVELS.has(child.loop)) });
}

function unit(
  set: ReadSet,
  input: unknown,
  place: { path: string; root: string; label: string; controlNumbers: Record<string, string> },
): MappingUnit {
  const { interchange, group, header } = set.start;
  const context: X12UnitContext = { delimiters: interchange.delimiters, set: { controlNumber: header.controlNumber, line: header.segment.line } };
  return {
    input,
    path: place.path,
    root: place.root,
    label: place.label,
    controlNumbers: {
      interchange: interchange.controlNumber,
      ...(group ? { group: group.controlNumber } : {}),
      transactionSet: header.controlNumber,
      ...place.controlNumbers,
    },
    bindings: {},
    context,
    locate: (at) => locateSegment(at, context),
  };
}

/** A refused segment's place: `CLM05-3 (ST*0001 segment 14, line 14)` for [clm, 'CLM05-3'], `CLM (…)` for clm. */
function locateSegment(at: unknown, context: X12UnitContext): string | undefined {
  const [json, field] = Array.isArray(at) && at.length === 2 && typeof at[1] === 'string' ? at : [at, undefined];
  const segment = sourceSegment(Array.isArray(json) ? json[0] : json);
  if (!segment) return typeof at === 'string' ? at : undefined;
  return `${field ?? segment.id} (ST*${context.set.controlNumber} segment ${segment.position}, line ${segment.line})`;
}

interface HeldTa1 {
  interchange: InterchangeHeader;
  segment: Segment;
}

function readSets(raw: string): { sets: ReadSet[]; outerFindings: EnvelopeFinding[]; ta1s: HeldTa1[] } {
  const sets: ReadSet[] = [];
  const outerFindings: EnvelopeFinding[] = [];
  const ta1s: HeldTa1[] = [];
  let current: ReadSet | null = null;
  const structure = new StructureReader({
    onEvent(event: EnvelopeEvent) {
      switch (event.kind) {
        case 'transaction-set-start':
          current = { start: event, guide: event.header.implementationReference ?? event.group?.version ?? '', findings: [], claims: [], tree: null };
          sets.push(current);
          return;
        case 'transaction-set-end':
          if (current) current.findings.push(...event.findings);
          current = null;
          return;
        // An end event carries every finding of its envelope, those of its header included.
        case 'group-end':
          outerFindings.push(...event.findings);
          return;
        case 'interchange-end':
          outerFindings.push(...event.findings);
          for (const segment of event.ta1s ?? []) ta1s.push({ interchange: event.interchange, segment });
      }
    },
    onClaim(claim) {
      current?.claims.push(claim);
    },
    onTransactionSet(tree) {
      if (current) current.tree = tree;
    },
  }, { checkElements: true });
  readX12Text(raw, structure);
  return { sets, outerFindings, ta1s };
}

/** TA1s as units: each with the interchange that carried it (who sent it, when, its ISA13). */
function ta1Message(ta1s: HeldTa1[]): SourceMessage {
  const [first] = ta1s;
  return {
    format: 'x12',
    messageType: 'TA1',
    controlNumbers: { interchange: first.interchange.controlNumber },
    units: ta1s.map(({ interchange, segment }, index) => {
      const context: X12UnitContext = { delimiters: interchange.delimiters, set: { controlNumber: 'TA1', line: segment.line } };
      return {
        input: {
          guide: 'TA1',
          envelope: { controlNumber: interchange.controlNumber, senderId: interchange.senderId, receiverId: interchange.receiverId },
          TA1: segmentJson(segment),
        },
        path: `ISA*${interchange.controlNumber} TA1[${index}]`,
        root: 'TA1',
        label: `TA1 ${segment.elements[0] ?? ''} (line ${segment.line})`,
        controlNumbers: { interchange: interchange.controlNumber, acknowledgedInterchange: segment.elements[0] ?? '' },
        bindings: {},
        context,
        locate: (at) => locateSegment(at, context),
      };
    }),
  };
}
