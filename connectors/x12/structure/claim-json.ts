// The JSON view of one claim with its context, the stable tree JSONata mappings read.
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
//   LoopJson = { [segmentId]: string[][], [loopId]: LoopJson[] }
//     - a segment id (`CLM`, `NM1`) keys every occurrence of that segment in the loop, in order; each
//       occurrence is its elements as written, index 0 = element 01 (`CLM[0][1]` is CLM02, the
//       charge); composites stay raw text (`11:B:1`), split them with the interchange's component
//       separator when needed;
//     - a loop id (`2010AA`, `2400`) keys every instance of that child loop, in order.
//   Segment ids are letters first and loop ids digits first, so the two never collide.
import type { LoopNode, ClaimInContext } from './loop-tree.js';

export interface LoopJson {
  [key: string]: string[][] | LoopJson[];
}

export interface ClaimJson {
  guide: string;
  header: LoopJson;
  '2000A': LoopJson;
  '2000B': LoopJson;
  '2000C'?: LoopJson;
  '2300': LoopJson;
}

export function loopJson(node: LoopNode): LoopJson {
  const json: LoopJson = {};
  for (const segment of node.segments) ((json[segment.id] ??= []) as string[][]).push(segment.elements);
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
