// Compares claimhub's 999 answer for a file with what pyx12's log reports for it, line by line.
// pyx12's "Line:N" is the segment's ordinal in the file; with ISA and GS before the one set of these
// files, the segment's position in its transaction set (IK302) is N - 2.
import type { ImplementationAcknowledgment, SegmentNote } from '../../../../connectors/x12/ack/model.js';

interface Pyx12Line {
  position: number;
  text: string;
}

/** The reasons a pyx12 line may stand without its claimhub IK3, or be answered with another code. */
export interface Comparison {
  /** pyx12 lines claimhub answers, and how. */
  matched: string[];
  /** pyx12 lines claimhub does not answer, each with the reason it does not. */
  explained: string[];
  /** pyx12 lines with no claimhub answer and no reason: must be empty. */
  unexplained: string[];
  /** claimhub IK3s no pyx12 line backs: must be empty. */
  oursOnly: string[];
}

export function compareWithPyx12(log: string, ack: ImplementationAcknowledgment): Comparison {
  const [set] = ack.transactionSets;
  const notes = set.segments;
  const at = (position: number) => notes.filter((note) => note.position === position);
  const result: Comparison = { matched: [], explained: [], unexplained: [], oursOnly: [] };
  const lines = pyx12Lines(log);
  const missingLoops = new Set<string>();
  for (const line of lines) {
    const verdict = judge(line, at(line.position), set.codes, missingLoops);
    result[verdict.kind].push(`#${line.position} ${line.text} → ${verdict.why}`);
  }
  for (const note of notes)
    if (!lines.some((line) => line.position === note.position)) result.oursOnly.push(`IK3*${note.segmentId}*${note.position}*${note.code}`);
  return result;
}

function pyx12Lines(log: string): Pyx12Line[] {
  return [...log.matchAll(/^ERROR Line:(\d+) (.*)$/gm)].map((match) => ({ position: Number(match[1]) - 2, text: match[2] }));
}

type Verdict = { kind: 'matched' | 'explained' | 'unexplained'; why: string };

function judge(line: Pyx12Line, ours: SegmentNote[], setCodes: string[], missingLoops: Set<string>): Verdict {
  const has = (...codes: string[]) => ours.find((note) => codes.includes(note.code));
  const answered = (...codes: string[]): Verdict => {
    const note = has(...codes);
    return note
      ? { kind: 'matched', why: `IK3*${note.segmentId}*${note.position}*${note.loopId ?? ''}*${note.code}` }
      : { kind: 'unexplained', why: 'no IK3' };
  };
  const { text } = line;
  if (/^ST:4 /.test(text)) return setCodes.includes('4') ? { kind: 'matched', why: 'IK5 4' } : { kind: 'unexplained', why: 'no IK5 4' };
  if (/^ELE:/.test(text)) {
    // claimhub's reader checks no element values yet: element findings (IK4) come with the element
    // reader. pyx12 would answer IK3 8 with an IK4 here.
    if (ours.length === 0) return { kind: 'explained', why: 'element values not checked yet (IK4 to come)' };
    return answered('8');
  }
  // pyx12 reports every segment it cannot place as SEG:1; claimhub tells an id that is not X12 (1)
  // from a known segment in no place (2) and one out of order (7).
  if (/^SEG:1 - Segment identifier/.test(text) || /^SEG:1 - Segment .* not found/.test(text)) return answered('1', '2', '7');
  const missingLoop = text.match(/^SEG:3 - Mandatory loop ".*" \((\w+)\) missing/);
  if (missingLoop) {
    // pyx12 reports a missing required loop again at each later sibling; claimhub once per parent.
    if (missingLoops.has(missingLoop[1]) && !has('3')) return { kind: 'explained', why: `loop ${missingLoop[1]} already answered missing` };
    missingLoops.add(missingLoop[1]);
    return answered('3');
  }
  if (/^SEG:3 /.test(text)) return answered('3');
  if (/^SEG:4 /.test(text)) return answered('4');
  if (/^SEG:5 /.test(text)) return answered('5');
  // HL01/HL02 and LX01 numbering: pyx12's own 999 writer drops these (they are no IK304 code);
  // claimhub answers them as data element errors in the segment (8).
  if (/^SEG:(HL1|HL2|LX) /.test(text)) return answered('8');
  return { kind: 'unexplained', why: 'pyx12 line not understood' };
}
