// The shape of an implementation guide's loop structure as data: loops, their segments (usage,
// maximum use, the qualifier that tells siblings apart) and child loops, compiled once for matching.

/** R = required, S = situational (the guide's usage). */
export type Usage = 'R' | 'S';

/** A value list one element must hold for a rule to match: NM101 `85` for 2010AA. */
export interface Qualifier {
  /** 1-based element (NM1 01). */
  element: number;
  values: readonly string[];
}

export interface SegmentRule {
  id: string;
  name: string;
  usage: Usage;
  /** Maximum use; Infinity for the guide's `>1`. */
  max: number;
  qualifier?: Qualifier;
}

export interface LoopRule {
  /** Loop id as the guide spells it (`2010AA`); `ST` for the header table. */
  id: string;
  name: string;
  usage: Usage;
  /** Loop repeat; Infinity for `>1`. */
  repeat: number;
  /** The loop's segments in order; the first one starts the loop. */
  segments: readonly SegmentRule[];
  loops: readonly LoopRule[];
  /**
   * Segments that follow the child loops: 999 IK5 closing its 2000, and the summary table of a set
   * under the header (835 PLB, 999 AK9). Once one comes, the child loops are over.
   */
  trailing?: readonly SegmentRule[];
  /** HL loops: HL03, the hierarchical level code (837: `20`, `22`, `23`; 278: `20`, `21`, `22`, `23`, `EV`, `SS`). */
  level?: string;
  /** The first element must count the loop within its parent from 1 (2400 LX01). */
  numbered?: boolean;
}

export interface TransactionSetDefinition {
  /** GS08/ST03: `005010X222A1`. */
  guide: string;
  /** The header table, `ST` with BHT and the header loops; the HL loops are its children. */
  root: LoopRule;
  /**
   * The loop that is one claim (837: 2300). With one, claims are handed on one by one with their HL
   * context and the set is never held whole; without one (835, 278, 999) the set is one tree.
   */
  claimLoop?: string;
}

/** A rule in matching form: where its slot starts and which rules each segment id can be. */
export interface CompiledLoop extends LoopRule {
  /** The leading segments, then the trailing ones. */
  segments: readonly SegmentRule[];
  loops: readonly CompiledLoop[];
  /**
   * Index of the first rule of each rule's slot. Adjacent rules with the same id share a position
   * in the standard (DTP 135, REF 180) and may come in any order among themselves.
   */
  slotStart: readonly number[];
  /** Index in `segments` of the first trailing rule; `segments.length` when the loop has none. */
  trailingStart: number;
  /** In a claim definition, 2300 and HL loops are handed on by themselves rather than kept under their parent. */
  detached: boolean;
  /** The loop that is one claim (2300). */
  claim: boolean;
  /**
   * By segment code (CompiledDefinition.segmentCodes): indices of the segment rules with that id,
   * the loop's first excepted, so matching a segment costs one id lookup and looks at those alone.
   */
  segmentsByCode: readonly (readonly number[])[];
  /** By segment code: indices of the child loops that segment starts. */
  loopsByCode: readonly (readonly number[])[];
  /** Indices of the required segment rules and child loops, ascending: all that closing a loop checks. */
  requiredSegments: readonly number[];
  requiredLoops: readonly number[];
  /** Unique within the definition (0 … loopCount - 1): one rule is open at most once at a time. */
  ordinal: number;
}

export interface CompiledDefinition {
  guide: string;
  root: CompiledLoop;
  /** As in the definition: with a claim loop the set comes out claim by claim, without one as one tree. */
  claimLoop?: string;
  /** Every segment id the guide uses, numbered (to tell "not in this guide" from "not here"). */
  segmentCodes: ReadonlyMap<string, number>;
  /** How many loop rules the definition has (ordinals). */
  loopCount: number;
}

export function seg(id: string, name: string, usage: Usage, max: number, qualifier?: [number, ...string[]]): SegmentRule {
  return qualifier === undefined
    ? { id, name, usage, max }
    : { id, name, usage, max, qualifier: { element: qualifier[0], values: qualifier.slice(1) as string[] } };
}

export function loop(
  id: string,
  name: string,
  usage: Usage,
  repeat: number,
  segments: SegmentRule[],
  loops: LoopRule[] = [],
  extra: Partial<LoopRule> = {},
): LoopRule {
  return { id, name, usage, repeat, segments, loops, ...extra };
}

/** The NM1 loops that differ only by name and NM101: `nm1Loop('2310B', 'Rendering Provider Name', 'S', 1, ['82'], [...])`. */
export function nm1Loop(id: string, name: string, usage: Usage, repeat: number, entity: string[], segments: SegmentRule[] = []): LoopRule {
  return loop(id, name, usage, repeat, [seg('NM1', name, 'R', 1, [1, ...entity]), ...segments]);
}

/** N3 and N4 of an address, required or situational together. */
export function address(usage: Usage, what: string): SegmentRule[] {
  return [seg('N3', `${what} Address`, usage, 1), seg('N4', `${what} City, State, ZIP Code`, usage, 1)];
}

export function compile(definition: TransactionSetDefinition): CompiledDefinition {
  const segmentCodes = new Map<string, number>();
  const collectIds = (rule: LoopRule): void => {
    for (const s of [...rule.segments, ...(rule.trailing ?? [])]) if (!segmentCodes.has(s.id)) segmentCodes.set(s.id, segmentCodes.size);
    rule.loops.forEach(collectIds);
  };
  collectIds(definition.root);
  const byCode = (ids: string[]): number[][] => {
    const index = Array.from(segmentCodes, () => [] as number[]);
    ids.forEach((id, i) => {
      const code = segmentCodes.get(id);
      if (code !== undefined) index[code].push(i);
    });
    return index;
  };
  const requiredOf = (rules: readonly { usage: Usage }[]) => rules.flatMap((r, i) => (r.usage === 'R' ? [i] : []));
  let loopCount = 0;
  const compileLoop = (rule: LoopRule): CompiledLoop => {
    const ordinal = loopCount++;
    const trailingStart = rule.segments.length;
    const segments = [...rule.segments, ...(rule.trailing ?? [])];
    // A slot never reaches back over the loop's first segment nor over the child loops.
    const slotStart = segments.map((s, i, all) => {
      const floor = i >= trailingStart ? trailingStart : 1;
      let start = i;
      while (start > floor && all[start - 1].id === s.id) start--;
      return start;
    });
    const claim = rule.id === definition.claimLoop;
    const loops = rule.loops.map(compileLoop);
    // Every compiled loop has the same properties in the same order (no spread of the rule's optional
    // ones): the builder reads them per segment, and one object shape keeps those reads monomorphic.
    return {
      id: rule.id,
      name: rule.name,
      usage: rule.usage,
      repeat: rule.repeat,
      level: rule.level,
      numbered: rule.numbered,
      segments,
      loops,
      slotStart,
      trailingStart,
      detached: definition.claimLoop !== undefined && (rule.level !== undefined || claim),
      claim,
      segmentsByCode: byCode(segments.map((s, i) => (i === 0 ? '' : s.id))),
      loopsByCode: byCode(loops.map((l) => l.segments[0].id)),
      requiredSegments: requiredOf(segments),
      requiredLoops: requiredOf(loops),
      ordinal,
    };
  };
  const root = compileLoop(definition.root);
  return { guide: definition.guide, root, claimLoop: definition.claimLoop, segmentCodes, loopCount };
}

/** Whether `elements` fit the rule's id and qualifier. */
export function matches(rule: SegmentRule, id: string, elements: readonly string[]): boolean {
  return rule.id === id && qualifies(rule, elements);
}

/** Whether `elements` hold the rule's qualifier, for a segment already known to have the rule's id. */
export function qualifies(rule: SegmentRule, elements: readonly string[]): boolean {
  const qualifier = rule.qualifier;
  if (qualifier === undefined) return true;
  const value = elements[qualifier.element - 1];
  return value !== undefined && qualifier.values.includes(value);
}
