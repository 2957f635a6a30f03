// Streams the segments of one transaction set into its loop tree, with the structure findings (999
// IK304 codes) of the set. An 837 hands on each claim (2300 with its 2400 lines) with the HL context
// around it as soon as the claim ends, memory holding the open loops only; a guide without a claim
// loop (835, 278, 999) keeps the whole set as one tree, HL loops nested under their parent level.
import { SegmentSyntaxErrorCode } from '../ack-codes.js';
import { finding, type Coded, type ControlNumbers, type EnvelopeFinding } from '../findings.js';
import type { Segment } from '../segment.js';
import { matches, qualifies, type CompiledDefinition, type CompiledLoop } from './definition.js';

/** One loop instance: its segments in order and the child loops kept under it. */
export interface LoopNode {
  loop: string;
  segments: Segment[];
  /** Child loops in order; in an 837, 2300 and HL loops excepted (those are handed on by themselves). */
  loops: LoopNode[];
}

/** A structure finding: an envelope finding that also names the loop it was found in. */
export type StructureFinding = EnvelopeFinding & { loopId: string };

/** One claim and what encloses it; context nodes are the same objects for every claim of an HL. */
export interface ClaimInContext {
  /** ST, BHT and loops 1000A/1000B. */
  header: LoopNode;
  /** 2000A with 2010AA, 2010AB, 2010AC. */
  billingProvider: LoopNode;
  /** 2000B with 2010BA, 2010BB. */
  subscriber: LoopNode;
  /** 2000C with 2010CA, when the patient is not the subscriber. */
  patient: LoopNode | null;
  /** 2300 with 2310x, 2320/2330x and 2400 (2410, 2420x, 2430, 2440). */
  claim: LoopNode;
  /** Structure findings inside this claim's loops. */
  findings: StructureFinding[];
}

/** One open loop. A frame is kept per loop rule and reused each time the rule opens again. */
interface Frame {
  rule: CompiledLoop;
  node: LoopNode;
  /** Index of the segment rule last matched; once a child loop opened in a loop with trailing segments, at least the first of those. */
  cursor: number;
  counts: number[];
  /** Index of the child loop rule last opened, -1 before the first. */
  loopCursor: number;
  loopCounts: number[];
  /** Set once a child loop opened in a loop without trailing segments: the loop's own segments are over. */
  segmentsDone: boolean;
}

const { unexpectedSegment, requiredSegmentMissing, loopOverMaximum, segmentOverMaximum, outOfSequence, hasElementErrors } =
  SegmentSyntaxErrorCode;

export class LoopTreeBuilder {
  readonly definition: CompiledDefinition;
  private readonly controls: ControlNumbers;
  private readonly onClaim: (claim: ClaimInContext) => void;
  private readonly stack: Frame[] = [];
  /** By rule ordinal: reusing frames spares two count arrays per loop opened (one 2400 per service line). */
  private readonly frames: (Frame | undefined)[] = [];
  /** The ST loop: the header of an 837, the whole set otherwise. */
  private rootNode: LoopNode | null = null;
  /** HL segments seen so far: HL01 must count them. */
  private hlCount = 0;
  private claimFindings: StructureFinding[] | null = null;
  readonly findings: StructureFinding[] = [];

  /** Told of every segment the tree takes, with the loop it lands in (what element checks need to know). */
  private readonly onPlaced: ((segment: Segment, loopId: string) => void) | undefined;

  constructor(
    definition: CompiledDefinition,
    controls: ControlNumbers,
    onClaim: (claim: ClaimInContext) => void,
    onPlaced?: (segment: Segment, loopId: string) => void,
  ) {
    this.onPlaced = onPlaced;
    this.definition = definition;
    this.controls = controls;
    this.onClaim = onClaim;
  }

  /** The ST loop with everything kept under it: for a guide without a claim loop, the whole set once SE came. */
  get root(): LoopNode | null {
    return this.rootNode;
  }

  push(segment: Segment): void {
    if (this.stack.length === 0) {
      if (segment.id === 'ST') this.rootNode = this.open(null, this.definition.root, segment).node;
      return;
    }
    if (segment.id === 'SE') return this.end(segment);
    const code = this.definition.segmentCodes.get(segment.id);
    if (code === undefined) return this.misplaced(segment, code);
    for (let depth = this.stack.length - 1; depth >= 0; depth--) {
      const frame = this.stack[depth];
      if (!frame.segmentsDone) {
        const index = this.matchSegment(frame, code, segment);
        if (index !== -1) {
          this.closeAbove(depth, segment);
          return this.addSegment(frame, index, segment);
        }
      }
      const child = this.matchLoop(frame, code, segment, frame.loopCursor < 0 ? 0 : frame.loopCursor);
      if (child !== -1) {
        this.closeAbove(depth, segment);
        this.openChild(frame, child, segment);
        return;
      }
    }
    this.misplaced(segment, code);
  }

  /** Closes every open loop at SE (or at the end of the input when SE is missing). */
  end(trailer?: Segment): void {
    const last = trailer ?? this.stack[this.stack.length - 1]?.node.segments.at(-1);
    if (last !== undefined) this.closeAbove(-1, last);
  }

  /** The segment rule at or after the cursor's slot that takes the segment (`code` its id), or -1. */
  private matchSegment(frame: Frame, code: number, segment: Segment): number {
    const candidates = frame.rule.segmentsByCode[code];
    const rules = frame.rule.segments;
    const from = frame.rule.slotStart[frame.cursor];
    for (const i of candidates) if (i >= from && qualifies(rules[i], segment.elements)) return i;
    return -1;
  }

  /** The child loop from index `from` on that the segment starts, or -1. */
  private matchLoop(frame: Frame, code: number, segment: Segment, from: number): number {
    const candidates = frame.rule.loopsByCode[code];
    const loops = frame.rule.loops;
    for (const i of candidates) if (i >= from && qualifies(loops[i].segments[0], segment.elements)) return i;
    return -1;
  }

  private addSegment(frame: Frame, index: number, segment: Segment): void {
    const slotStart = frame.rule.slotStart;
    if (slotStart[index] !== slotStart[frame.cursor]) this.checkSegments(frame, slotStart[frame.cursor], slotStart[index], segment);
    if (index >= frame.rule.trailingStart && frame.loopCursor < frame.rule.loops.length) this.endLoops(frame, segment);
    frame.cursor = index;
    const rule = frame.rule.segments[index];
    if (++frame.counts[index] > rule.max)
      this.note(
        segmentOverMaximum,
        'segment-max-use',
        `${rule.name} (${rule.id}) in loop ${frame.rule.id} is used more than ${rule.max} times`,
        segment,
        frame.rule.id,
      );
    frame.node.segments.push(segment);
    this.onPlaced?.(segment, frame.rule.id);
  }

  /** Findings about a segment the tree holds (element checks), counted with the set's and its claim's. */
  addFindings(findings: readonly (EnvelopeFinding & { loopId: string | null })[]): void {
    for (const found of findings) {
      const withLoop = { ...found, loopId: found.loopId ?? '' } as StructureFinding;
      this.findings.push(withLoop);
      this.claimFindings?.push(withLoop);
    }
  }

  private openChild(parent: Frame, index: number, segment: Segment): Frame {
    if (!parent.segmentsDone && parent.cursor < parent.rule.trailingStart) this.endLeadingSegments(parent, segment);
    if (index > parent.loopCursor) this.checkLoops(parent, parent.loopCursor + 1, index, segment);
    parent.loopCursor = Math.max(parent.loopCursor, index);
    const rule = parent.rule.loops[index];
    const count = ++parent.loopCounts[index];
    if (count > rule.repeat)
      this.note(
        loopOverMaximum,
        'loop-repeat',
        `loop ${rule.id} (${rule.name}) occurs ${count} times, more than ${rule.repeat}`,
        segment,
        rule.id,
      );
    const frame = this.open(parent, rule, segment);
    if (rule.numbered && segment.elements[0] !== String(count))
      this.note(
        hasElementErrors,
        'loop-number',
        `${segment.id}01 ${segment.elements[0]} of loop ${rule.id} should be ${count}`,
        segment,
        rule.id,
        1,
      );
    return frame;
  }

  /** A child loop opens: the segments before the child loops are over; trailing ones may come after them. */
  private endLeadingSegments(frame: Frame, at: Segment): void {
    const rule = frame.rule;
    this.checkSegments(frame, rule.slotStart[frame.cursor], rule.trailingStart, at);
    if (rule.trailingStart === rule.segments.length) frame.segmentsDone = true;
    else frame.cursor = rule.trailingStart;
  }

  /** A trailing segment came: the child loops are over, none opens after it. */
  private endLoops(frame: Frame, at: Segment): void {
    this.checkLoops(frame, frame.loopCursor + 1, frame.rule.loops.length, at);
    frame.loopCursor = frame.rule.loops.length;
  }

  private open(parent: Frame | null, rule: CompiledLoop, segment: Segment): Frame {
    const node: LoopNode = { loop: rule.id, segments: [segment], loops: [] };
    if (parent !== null && !rule.detached) parent.node.loops.push(node);
    const frame = this.frameFor(rule, node);
    this.stack.push(frame);
    if (rule.claim) this.claimFindings = [];
    if (rule.level !== undefined) this.checkLevel(parent, rule, segment);
    this.onPlaced?.(segment, rule.id);
    return frame;
  }

  /** The rule's frame, reset for a new loop instance (a rule is on the stack at most once). */
  private frameFor(rule: CompiledLoop, node: LoopNode): Frame {
    let frame = this.frames[rule.ordinal];
    if (frame === undefined) {
      frame = {
        rule,
        node,
        cursor: 0,
        counts: new Array<number>(rule.segments.length),
        loopCursor: -1,
        loopCounts: new Array<number>(rule.loops.length),
        segmentsDone: false,
      };
      this.frames[rule.ordinal] = frame;
    }
    frame.node = node;
    frame.cursor = 0;
    frame.counts.fill(0);
    frame.counts[0] = 1;
    frame.loopCursor = -1;
    frame.loopCounts.fill(0);
    frame.segmentsDone = false;
    return frame;
  }

  /** HL: HL01 counts the HLs of the set, HL02 names the enclosing HL level (the one the guide nests it in). */
  private checkLevel(parent: Frame | null, rule: CompiledLoop, hl: Segment): void {
    const [id = '', parentId = ''] = hl.elements;
    if (id !== String(++this.hlCount))
      this.note(
        hasElementErrors,
        'hl-sequence',
        `HL01 ${id} should be ${this.hlCount}: HL01 counts the HL segments of the set from 1`,
        hl,
        rule.id,
        1,
      );
    const enclosing = parent?.rule.level === undefined ? '' : parent.node.segments[0].elements[0];
    if (parentId !== enclosing)
      this.note(
        hasElementErrors,
        'hl-parent',
        enclosing === ''
          ? `HL02 ${parentId} of loop ${rule.id} should be empty: the top level has no parent`
          : `HL02 ${parentId} of loop ${rule.id} should be ${enclosing}, the HL01 of its enclosing ${parent!.rule.id}`,
        hl,
        rule.id,
        2,
      );
  }

  /** Closes the loops above `depth`, checking what each still required; a closing 2300 is handed on. */
  private closeAbove(depth: number, at: Segment): void {
    while (this.stack.length - 1 > depth) {
      const frame = this.stack.pop()!;
      if (!frame.segmentsDone) this.checkSegments(frame, frame.rule.slotStart[frame.cursor], frame.rule.segments.length, at);
      this.checkLoops(frame, frame.loopCursor + 1, frame.rule.loops.length, at);
      if (frame.rule.claim) this.handOn(frame.node);
    }
  }

  /** The claim's context is the open HL levels under the header: 2000A, 2000B and 2000C when there is one. */
  private handOn(claim: LoopNode): void {
    const findings = this.claimFindings ?? [];
    this.claimFindings = null;
    const levels: LoopNode[] = [];
    for (const frame of this.stack) if (frame.rule.level !== undefined) levels.push(frame.node);
    const [billingProvider, subscriber, patient = null] = levels;
    // The guide nests 2300 in 2000B or 2000C only, so both levels above it are always open.
    this.onClaim({ header: this.stack[0].node, billingProvider, subscriber, patient, claim, findings });
  }

  /** Required segment rules in [from, to) that never matched. */
  private checkSegments(frame: Frame, from: number, to: number, at: Segment): void {
    const rules = frame.rule.segments;
    for (const i of frame.rule.requiredSegments)
      if (i >= from && i < to && frame.counts[i] === 0)
        this.note(
          requiredSegmentMissing,
          'required-segment',
          `${rules[i].name} (${rules[i].id}) is missing from loop ${frame.rule.id}`,
          at,
          frame.rule.id,
          undefined,
          rules[i].id,
        );
  }

  /** Required child loops in [from, to) that never opened. */
  private checkLoops(frame: Frame, from: number, to: number, at: Segment): void {
    const loops = frame.rule.loops;
    for (const i of frame.rule.requiredLoops)
      if (i >= from && i < to && frame.loopCounts[i] === 0)
        this.note(
          requiredSegmentMissing,
          'required-loop',
          `loop ${loops[i].id} (${loops[i].name}) is missing from loop ${frame.rule.id}`,
          at,
          loops[i].id,
          undefined,
          loops[i].segments[0].id,
        );
  }

  /**
   * A segment no open loop takes in order. Out of sequence (it fits an earlier place of an open loop):
   * kept where it fits, so no data is lost. Otherwise unexpected and left out of the tree.
   * Malformed ids are the envelope reader's finding (IK304 1) and are skipped quietly.
   */
  private misplaced(segment: Segment, code: number | undefined): void {
    if (!wellFormedId(segment.id)) return;
    // An id the guide never uses (no code) fits no place at all.
    if (code !== undefined && this.placeOutOfOrder(segment, code)) return;
    const current = this.stack[this.stack.length - 1].rule.id;
    const message =
      code !== undefined
        ? `${segment.id}${segment.elements[0] ? `*${segment.elements[0]}` : ''} has no place after loop ${current} in ${this.definition.guide}`
        : `${segment.id} is not used in ${this.definition.guide}`;
    this.note(unexpectedSegment, 'unexpected-segment', message, segment, current);
  }

  /** Keeps the segment at an earlier place of an open loop that fits it, noting it out of order; false when none does. */
  private placeOutOfOrder(segment: Segment, code: number): boolean {
    for (let depth = this.stack.length - 1; depth >= 0; depth--) {
      const frame = this.stack[depth];
      const rules = frame.rule.segments;
      const index = frame.segmentsDone ? -1 : rules.findIndex((rule, i) => i > 0 && matches(rule, segment.id, segment.elements));
      if (index !== -1) {
        this.closeAbove(depth, segment);
        this.note(outOfSequence, 'segment-order', `${segment.id} in loop ${frame.rule.id} is out of order`, segment, frame.rule.id);
        frame.node.segments.push(segment);
        this.onPlaced?.(segment, frame.rule.id);
        return true;
      }
      const child = this.matchLoop(frame, code, segment, 0);
      if (child !== -1) {
        this.closeAbove(depth, segment);
        this.note(
          outOfSequence,
          'loop-order',
          `loop ${frame.rule.loops[child].id} in loop ${frame.rule.id} is out of order`,
          segment,
          frame.rule.loops[child].id,
        );
        this.openChild(frame, child, segment);
        return true;
      }
    }
    return false;
  }

  private note(
    code: Coded['code'],
    rule: string,
    message: string,
    segment: Segment,
    loopId: string,
    element?: number,
    segmentId?: string,
  ): void {
    const coded = { level: 'segment', code } as Coded;
    const found: StructureFinding = { ...finding(coded, rule, message, segment, this.controls, element, segmentId), loopId };
    this.findings.push(found);
    this.claimFindings?.push(found);
  }
}

function wellFormedId(id: string): boolean {
  if (id.length < 2 || id.length > 3) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}
