// Element-level defects as comparable lines, from pyx12's log and from claimhub's element findings,
// numbered by segment ordinal in the file as pyx12's "Line:" is: `#23 HI02-1 too-long`.
import type { ElementSyntaxErrorCode } from '../../../../connectors/x12/ack-codes.js';
import type { ElementFinding } from '../../../../connectors/x12/elements/element-finding.js';
import { ClaimStructureReader } from '../../../../connectors/x12/structure/claim-reader.js';
import type { LoopNode } from '../../../../connectors/x12/structure/loop-tree.js';
import { EnvelopeReader } from '../../../../connectors/x12/envelope.js';
import type { Segment } from '../../../../connectors/x12/segment.js';
import { tokenize } from '../../../../connectors/x12/tokenizer.js';

const KIND_BY_CODE: Readonly<Record<ElementSyntaxErrorCode, string>> = {
  '1': 'required',
  '2': 'conditional',
  '3': 'too-many-elements',
  '4': 'too-short',
  '5': 'too-long',
  '6': 'invalid-character',
  '7': 'code',
  '8': 'date',
  '9': 'time',
  '10': 'exclusion',
  '12': 'repetitions',
  '13': 'components',
  I10: 'not-used',
  I12: 'pattern',
};

/** The kind of defect a pyx12 ELE code names: X12's IK403 codes, but its 10 is "not used" (X12's I10). */
const pyx12Kind = (code: string): string | undefined =>
  code === '10' ? 'not-used' : code === '7' ? undefined : KIND_BY_CODE[code as ElementSyntaxErrorCode];

/** Elements pyx12 names without their position: its regular-expression messages give the name only. */
const PYX12_NAMED: Readonly<Record<string, string>> = { 'Billing Provider Postal Zone or ZIP Code': '03' };

/** `HI01-02` → `HI01-2`. */
function place(id: string): string {
  const [element, component] = id.split('-');
  return component === undefined ? element : `${element}-${Number(component)}`;
}

/**
 * pyx12's element-level findings, and its trailing-separator one (a segment finding there, IK403 4
 * here). `segmentIdAt` names the segment at an ordinal, for the messages that do not.
 * Throws on an ELE line this parser does not know, so none is missed.
 */
export function pyx12ElementLines(log: string, segmentIdAt: (ordinal: number) => string): string[] {
  const lines: string[] = [];
  for (const line of log.split('\n')) {
    const trailing = /Line:(\d+) SEG:SEG1 - Segment contains trailing element terminators/.exec(line);
    if (trailing) lines.push(`#${trailing[1]} ${segmentIdAt(Number(trailing[1]))} trailing`);
    const match = /Line:(\d+) ELE:(\w+) - (.*)$/.exec(line);
    if (match === null) continue;
    const [, ordinal, code, message] = match;
    const id = [...message.matchAll(/\(([A-Z][A-Z0-9]{1,2}\d{2}(?:-\d{2})?)\)/g)].at(-1)?.[1];
    const syntax = /Syntax Error \(([PRCEL])(\d{2})/.exec(message);
    const named = /Data element "([^"]+)" with a value of .* failed to match the regular expression/.exec(message);
    if (code === '7' && named) lines.push(`#${ordinal} ${segmentIdAt(Number(ordinal))}${PYX12_NAMED[named[1]]} pattern`);
    else if (code === '7' && id) lines.push(`#${ordinal} ${place(id)} code`);
    else if (code === '2' && syntax) lines.push(`#${ordinal} ${segmentIdAt(Number(ordinal))}${syntax[2]} conditional`);
    else if (pyx12Kind(code) && id) lines.push(`#${ordinal} ${place(id)} ${pyx12Kind(code)}`);
    else throw new Error(`unrecognised pyx12 element line: ${line}`);
  }
  return lines.sort();
}

export function claimhubElementLines(findings: readonly ElementFinding[], ordinal: (offset: number) => number): string[] {
  return findings
    .map((f) => {
      if (f.rule === 'trailing-separator') return `#${ordinal(f.offset)} ${f.segmentId} trailing`;
      return `#${ordinal(f.offset)} ${f.path} ${KIND_BY_CODE[f.code]}`;
    })
    .sort();
}

/** Ordinal (1-based, as pyx12 counts) of each segment of a text, by offset, and the ids in order. */
export function segmentOrdinals(text: string): { ordinal: (offset: number) => number; idAt: (ordinal: number) => string } {
  const segments = tokenize(text);
  const ordinals = new Map(segments.map((segment, index) => [segment.offset, index + 1]));
  return { ordinal: (offset) => ordinals.get(offset)!, idAt: (ordinal) => segments[ordinal - 1].id };
}

/**
 * The loop the structure reader placed each segment of an 837 in, by offset. Segments it found no
 * place for (IK304 2) are absent, and so is everything of transaction sets it has no definition for.
 */
export function placedLoops(text: string): Map<number, string> {
  const loops = new Map<number, string>();
  const visit = (node: LoopNode | null) => {
    if (node === null) return;
    for (const segment of node.segments) loops.set(segment.offset, node.loop);
    node.loops.forEach(visit);
  };
  const reader = new EnvelopeReader(
    new ClaimStructureReader({
      onEvent: () => {},
      onClaim: (claim) => [claim.header, claim.billingProvider, claim.subscriber, claim.patient, claim.claim].forEach(visit),
    }),
  );
  tokenize(text).forEach((segment: Segment) => reader.push(segment));
  reader.end();
  return loops;
}
