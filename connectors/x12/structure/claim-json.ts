// The JSON view of X12 loops that JSONata mappings read: stable, named like the implementation
// guides, and free of nested arrays (JSONata flattens those, which makes arrays of element arrays
// ambiguous the moment a loop has one occurrence).
//
// Shape (every loop, the context levels included, is a LoopJson):
//   {
//     "guide": "005010X222A1",
//     "header":  LoopJson,   // ST, BHT, "1000A", "1000B"
//     "2000A":   LoopJson,   // HL, PRV…, "2010AA", "2010AB", "2010AC"
//     "2000B":   LoopJson,   // HL, SBR, PAT…, "2010BA", "2010BB"
//     "2000C"?:  LoopJson,   // present only when the patient is not the subscriber: HL, PAT, "2010CA"
//     "2300":    LoopJson    // CLM, DTP…, HI, "2310A"…, "2320" ("2330A"…), "2400" ("2410", "2420A"…, "2430", "2440")
//   }
//   LoopJson = { [segmentId]: SegmentJson[], [loopId]: LoopJson[] }
//     - a segment id (`CLM`, `NM1`) keys every occurrence of that segment in the loop, in order;
//     - a loop id (`2010AA`, `2400`) keys every instance of that child loop, in order;
//   SegmentJson = { CLM01: "A37YH556", CLM02: "766.50", CLM05: "11:B:1", … }
//     - each element under its reference designator (segment id + two-digit position), as written;
//       empty elements are left out, so `CLM.CLM03` is undefined rather than "";
//     - composites and repetitions stay raw text (`11:B:1`): split them with the mapping's
//       $components, which knows the interchange's separator.
//   Segment ids are letters first and loop ids digits first, so the two never collide.
import type { Segment } from '../segment.js';
import type { LoopNode, ClaimInContext } from './loop-tree.js';

export type SegmentJson = Record<string, string>;

export interface LoopJson {
  [key: string]: SegmentJson[] | LoopJson[];
}

export interface ClaimJson {
  guide: string;
  header: LoopJson;
  '2000A': LoopJson;
  '2000B': LoopJson;
  '2000C'?: LoopJson;
  '2300': LoopJson;
}

/** Reference designators by segment id (`CLM` → CLM01, CLM02…), made once per id. */
const designators = new Map<string, string[]>();

function designatorsOf(id: string, count: number): string[] {
  let names = designators.get(id);
  if (names === undefined || names.length < count) {
    names = Array.from({ length: Math.max(count, 32) }, (_, i) => `${id}${String(i + 1).padStart(2, '0')}`);
    designators.set(id, names);
  }
  return names;
}

/** The segment each SegmentJson was made from, to name the place of what a mapping refuses. */
const sources = new WeakMap<SegmentJson, Segment>();

export function segmentJson(segment: Segment): SegmentJson {
  const elements = segment.elements;
  const names = designatorsOf(segment.id, elements.length);
  const json: SegmentJson = {};
  for (let i = 0; i < elements.length; i++) if (elements[i] !== '') json[names[i]] = elements[i];
  sources.set(json, segment);
  return json;
}

/** The segment a SegmentJson of this view came from; undefined for any other object. */
export function sourceSegment(json: unknown): Segment | undefined {
  return json !== null && typeof json === 'object' ? sources.get(json as SegmentJson) : undefined;
}

export function loopJson(node: LoopNode): LoopJson {
  const json: LoopJson = {};
  for (const segment of node.segments) ((json[segment.id] ??= []) as SegmentJson[]).push(segmentJson(segment));
  for (const child of node.loops) ((json[child.loop] ??= []) as LoopJson[]).push(loopJson(child));
  return json;
}

export function claimJson(claim: ClaimInContext, guide: string): ClaimJson {
  return {
    guide,
    header: loopJson(claim.header),
    '2000A': loopJson(claim.billingProvider),
    '2000B': loopJson(claim.subscriber),
    ...(claim.patient === null ? {} : { '2000C': loopJson(claim.patient) }),
    '2300': loopJson(claim.claim),
  };
}
