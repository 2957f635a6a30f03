// Loop-level defects as comparable lines, from pyx12's log and from claimhub's structure findings,
// numbered by segment ordinal in the file as pyx12's "Line:" is.
import type { StructureFinding } from '../../../../connectors/x12/structure/loop-tree.js';

const PYX12_STRUCTURE: Array<[RegExp, (match: RegExpMatchArray) => string]> = [
  [/Line:(\d+) SEG:3 - Mandatory segment ".*" \((\w+)\) missing/, (m) => `#${m[1]} missing ${m[2]}`],
  [/Line:(\d+) SEG:3 - Mandatory loop ".*" \((\w+)\) missing/, (m) => `#${m[1]} missing loop ${m[2]}`],
  [/Line:(\d+) SEG:4 - Loop (\w+) exceeded max count/, (m) => `#${m[1]} loop ${m[2]} over maximum`],
  [/Line:(\d+) SEG:5 - Segment (\w+) exceeded max count/, (m) => `#${m[1]} ${m[2]} over maximum use`],
  [/Line:(\d+) SEG:1 - Segment ([A-Z0-9]{2,3})[*~ ].* not found/, (m) => `#${m[1]} ${m[2]} has no place`],
  [/Line:(\d+) SEG:HL1 - /, (m) => `#${m[1]} HL01 out of sequence`],
  [/Line:(\d+) SEG:HL2 - /, (m) => `#${m[1]} HL02 not the enclosing HL`],
  [/Line:(\d+) SEG:LX - /, (m) => `#${m[1]} LX01 out of sequence`],
];

/**
 * pyx12's loop-level findings. Left out: malformed segment ids ("Segment *IC not found", the envelope
 * reader's IK304 1), leading spaces and trailing separators (tokenizer matters, not structure).
 */
export function pyx12StructureLines(log: string): string[] {
  const lines: string[] = [];
  for (const line of log.split('\n')) {
    const known = PYX12_STRUCTURE.find(([pattern]) => pattern.test(line));
    if (known) lines.push(known[1](line.match(known[0])!));
  }
  return lines.sort();
}

const OURS: Record<string, (finding: StructureFinding) => string> = {
  'required-segment': (f) => `missing ${f.segmentId}`,
  'required-loop': (f) => `missing loop ${f.loopId}`,
  'loop-repeat': (f) => `loop ${f.loopId} over maximum`,
  'segment-max-use': (f) => `${f.segmentId} over maximum use`,
  'unexpected-segment': (f) => `${f.segmentId} has no place`,
  'segment-order': (f) => `${f.segmentId} has no place`,
  'loop-order': (f) => `${f.segmentId} has no place`,
  'hl-sequence': () => 'HL01 out of sequence',
  'hl-parent': () => 'HL02 not the enclosing HL',
  'loop-number': () => 'LX01 out of sequence',
};

export function claimhubStructureLines(findings: StructureFinding[], ordinal: (offset: number) => number): string[] {
  return findings.map((finding) => `#${ordinal(finding.offset)} ${OURS[finding.rule](finding)}`).sort();
}
