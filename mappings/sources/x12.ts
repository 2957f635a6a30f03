// X12 front end of the mapping engine: an interchange (usually one transaction set, as intake
// splits batches) → one unit per claim (837: the 2300 loop with its HL context, the JSON view of
// connectors/x12/structure/claim-json.ts). A set the reader found defects in is refused whole,
// with every finding located: a 999 would reject it, so no claim of it may go on.

import { ParseError, UnsupportedMessageError } from '../../canonical-model/errors.js';
import { findingIssue, type EnvelopeFinding } from '../../connectors/x12/findings.js';
import { EnvelopeReader } from '../../connectors/x12/envelope.js';
import type { EnvelopeEvent, TransactionSetStart } from '../../connectors/x12/envelope-events.js';
import { IMPLEMENTATION_GUIDES } from '../../connectors/x12/implementation-guides.js';
import type { Delimiters } from '../../connectors/x12/segment.js';
import { claimJson, sourceSegment } from '../../connectors/x12/structure/claim-json.js';
import { ClaimStructureReader, LOOP_DEFINITIONS } from '../../connectors/x12/structure/claim-reader.js';
import type { ClaimInContext } from '../../connectors/x12/structure/loop-tree.js';
import { Tokenizer } from '../../connectors/x12/tokenizer.js';
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
}

export function readX12Message(raw: string): SourceMessage {
  const { sets, outerFindings } = readSets(raw);
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
  const unsupported = sets.find((set) => LOOP_DEFINITIONS[set.guide] === undefined);
  if (unsupported) {
    const name = IMPLEMENTATION_GUIDES[unsupported.guide]?.name ?? `transaction set ${unsupported.start.header.id}`;
    const message = `${name} (${unsupported.guide || 'no implementation guide in GS08/ST03'}) is read but not translated: claimhub translates 837P and 837I`;
    throw new UnsupportedMessageError(message, [{ path: `ST*${unsupported.start.header.controlNumber}`, rule: 'transaction-set', message }]);
  }
  const first = sets[0].start;
  const controlNumbers: Record<string, string> = { interchange: first.interchange.controlNumber };
  if (first.group) controlNumbers.group = first.group.controlNumber;
  if (sets.length === 1) controlNumbers.transactionSet = first.header.controlNumber;
  else controlNumbers.transactionSets = sets.map((set) => set.start.header.controlNumber).join(',');
  return { format: 'x12', messageType, controlNumbers, units: sets.flatMap((set) => set.claims.map((claim) => claimUnit(set, claim))) };
}

function claimUnit(set: ReadSet, claim: ClaimInContext): MappingUnit {
  const clm = claim.claim.segments[0];
  const claimNumber = clm.elements[0] ?? '';
  const { interchange, group, header } = set.start;
  const context: X12UnitContext = { delimiters: interchange.delimiters, set: { controlNumber: header.controlNumber, line: header.segment.line } };
  return {
    input: claimJson(claim, set.guide),
    path: `ST*${header.controlNumber} CLM*${claimNumber}`,
    root: '2300',
    label: `claim ${claimNumber} (line ${clm.line})`,
    controlNumbers: {
      interchange: interchange.controlNumber,
      ...(group ? { group: group.controlNumber } : {}),
      transactionSet: header.controlNumber,
      claim: claimNumber,
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

function readSets(raw: string): { sets: ReadSet[]; outerFindings: EnvelopeFinding[] } {
  const sets: ReadSet[] = [];
  const outerFindings: EnvelopeFinding[] = [];
  let current: ReadSet | null = null;
  const structure = new ClaimStructureReader({
    onEvent(event: EnvelopeEvent) {
      switch (event.kind) {
        case 'transaction-set-start':
          current = { start: event, guide: event.header.implementationReference ?? event.group?.version ?? '', findings: [], claims: [] };
          sets.push(current);
          return;
        case 'transaction-set-end':
          if (current) current.findings.push(...event.findings);
          current = null;
          return;
        default:
          outerFindings.push(...event.findings);
      }
    },
    onClaim(claim) {
      current?.claims.push(claim);
    },
  });
  const envelope = new EnvelopeReader(structure);
  const tokenizer = new Tokenizer((segment) => envelope.push(segment));
  tokenizer.push(raw);
  tokenizer.end();
  envelope.end();
  return { sets, outerFindings };
}
