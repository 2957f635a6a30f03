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
  /** HL loops: HL03, the hierarchical level code (`20` billing provider, `22` subscriber, `23` patient). */
  level?: string;
  /** The first element must count the loop within its parent from 1 (2400 LX01). */
  numbered?: boolean;
}

export interface TransactionSetDefinition {
  /** GS08/ST03: `005010X222A1`. */
  guide: string;
  /** The header table, `ST` with BHT and the header loops; the HL loops are its children. */
  root: LoopRule;
  /** The loop that is one claim (2300). */
  claimLoop: string;
}

/** A rule in matching form: where its slot starts and which ids the guide uses anywhere. */
export interface CompiledLoop extends LoopRule {
  segments: readonly SegmentRule[];
  loops: readonly CompiledLoop[];
  /**
   * Index of the first rule of each rule's slot. Adjacent rules with the same id share a position
   * in the standard (DTP 135, REF 180) and may come in any order among themselves.
   */
  slotStart: readonly number[];
  /** 2300 and HL loops are handed on by themselves rather than kept under their parent. */
  detached: boolean;
  /** Segment id → indices of the segment rules with that id, so matching looks at those alone. */
  segmentIndex: ReadonlyMap<string, readonly number[]>;
  /** Segment id → indices of the child loops that segment starts. */
  loopIndex: ReadonlyMap<string, readonly number[]>;
}

function indexBy(ids: string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  ids.forEach((id, i) => index.set(id, [...(index.get(id) ?? []), i]));
  return index;
}

export interface CompiledDefinition {
  guide: string;
  root: CompiledLoop;
  claimLoop: string;
  /** Every segment id the guide uses (to tell "not in this guide" from "not here"). */
  segmentIds: ReadonlySet<string>;
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
  const segmentIds = new Set<string>();
  const compileLoop = (rule: LoopRule): CompiledLoop => {
    for (const s of rule.segments) segmentIds.add(s.id);
    const slotStart = rule.segments.map((s, i, all) => {
      let start = i;
      while (start > 1 && all[start - 1].id === s.id) start--;
      return start;
    });
    const detached = rule.level !== undefined || rule.id === definition.claimLoop;
    const loops = rule.loops.map(compileLoop);
    const segmentIndex = indexBy(rule.segments.map((s, i) => (i === 0 ? '' : s.id)));
    const loopIndex = indexBy(loops.map((l) => l.segments[0].id));
    return { ...rule, loops, slotStart, detached, segmentIndex, loopIndex };
  };
  return { guide: definition.guide, root: compileLoop(definition.root), claimLoop: definition.claimLoop, segmentIds };
}

/** Whether `elements` fit the rule's id and qualifier. */
export function matches(rule: SegmentRule, id: string, elements: readonly string[]): boolean {
  if (rule.id !== id) return false;
  const qualifier = rule.qualifier;
  if (qualifier === undefined) return true;
  const value = elements[qualifier.element - 1];
  return value !== undefined && qualifier.values.includes(value);
}
