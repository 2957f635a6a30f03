// What an implementation guide adds to the standard, element by element: code values, usage
// (required, not used) and value patterns, each for every loop or for named loops, optionally only
// when another element of the segment holds a given qualifier.
//
// Keys read `CLM05-3`, `NM108@2310B,2420A`, `DTP02[DTP01=434]`, `N402[N404=|US]` (empty = absent);
// usage keys name a segment (`NM1@2330C`) and their value lists positions: `R05 N03 R05-2`.
import { segmentSpec } from './dictionary.js';

/** I12 patterns the guides state in words: X222A1/X223A2 2010AA N403 "the full nine digit ZIP code". */
export type PatternName = 'zip9';

export type CodeEntry = readonly [key: string, values: string | readonly string[]];
export type UsageEntry = readonly [key: string, positions: string];
export type PatternEntry = readonly [key: string, pattern: PatternName];

export interface GuideTable {
  /** GS08 / ST03: `005010X222A1`. */
  guide: string;
  codes: readonly CodeEntry[];
  usage?: readonly UsageEntry[];
  patterns?: readonly PatternEntry[];
}

interface Condition {
  /** 0-based index into the segment's elements. */
  index: number;
  values: ReadonlySet<string>;
  key: string;
}

export interface GuideRule {
  kind: 'codes' | 'usage' | 'pattern';
  position: number;
  /** 0 for the element as a whole, else the component. */
  component: number;
  /** Loops the rule holds in; null: every loop. */
  loops: ReadonlySet<string> | null;
  condition: Condition | null;
  /** Synthesized for callers that do not know the loop: every value the guide allows in any loop. */
  anyLoop: boolean;
  /** What the rule says, by kind; null for the other kinds. */
  codes: ReadonlySet<string> | null;
  usage: 'R' | 'N' | null;
  pattern: PatternName | null;
}

/** Where a rule holds: its place, loops and condition. */
type RulePlace = Pick<GuideRule, 'position' | 'component' | 'loops' | 'condition'>;

/** Every rule is built here, so all share one object shape (the checker reads them on every segment). */
function rule(
  kind: GuideRule['kind'],
  place: RulePlace,
  says: Partial<Pick<GuideRule, 'codes' | 'usage' | 'pattern' | 'anyLoop'>>,
): GuideRule {
  return {
    kind,
    position: place.position,
    component: place.component,
    loops: place.loops,
    condition: place.condition,
    anyLoop: says.anyLoop ?? false,
    codes: says.codes ?? null,
    usage: says.usage ?? null,
    pattern: says.pattern ?? null,
  };
}

/** A guide's rules for one segment, by position (index 0 unused). */
export interface GuideSegment {
  rules: readonly (readonly GuideRule[] | undefined)[];
  /** Resolved plans by loop id, made on first use; null: the guide says nothing of the segment there. */
  plans: Map<string, LoopPlan | null>;
  /** The plan for an unknown loop, made on first use. */
  anyLoopPlan?: LoopPlan | null;
}

/** Rules that may apply at one place, in the order they apply: the first whose condition holds. */
export type Candidates = readonly GuideRule[];

/** What a guide says of one segment in one loop, resolved place by place. */
export interface LoopPlan extends RequiredPlaces {
  /** By position (index 0 unused); undefined where the guide says nothing. */
  positions: readonly (PositionPlan | undefined)[];
}

/** The places (elements, or a composite's components) the guide requires: always, or under a condition. */
export interface RequiredPlaces {
  /** Bit (place - 1) of each place required whatever the qualifiers. */
  requiredMask: number;
  /** Places whose usage is R only under a condition: looked at one by one when missing. */
  maybeRequired: readonly number[];
}

/** The candidate rules of each kind at one place: an element, or one component. */
export interface PlacePlan {
  usage: Candidates;
  codes: Candidates;
  patterns: Candidates;
  /** Whether a present value may be one the guide does not use here (usage N). */
  mayBeNotUsed: boolean;
  /**
   * When a code list whatever the qualifiers is all the guide checks of a present value here: that
   * list (the checker's short cut); null otherwise.
   */
  codesOnly: ReadonlySet<string> | null;
}

export interface PositionPlan extends PlacePlan {
  /** By component (index 0 unused); undefined where the guide says nothing. */
  components: readonly (PlacePlan | undefined)[];
  /** The components the guide requires. */
  requiredComponents: RequiredPlaces;
}

const KEY = /^([A-Z][A-Z0-9]{1,2}?)(\d{2})?(?:-(\d{1,2}))?(?:@([0-9A-Z,]+))?(?:\[([A-Z][A-Z0-9]{1,2}?)(\d{2})=([^\]]*)\])?$/;

interface ParsedKey {
  segment: string;
  position: number;
  component: number;
  loops: ReadonlySet<string> | null;
  condition: Condition | null;
}

function parseKey(key: string, guide: string): ParsedKey {
  const match = KEY.exec(key);
  const segment = match?.[1] ?? '';
  if (match === null || segmentSpec(segment) === undefined) throw new Error(`${guide}: rule key ${key} names no known segment`);
  const [, , position, component, loops, conditionSegment, conditionPosition, conditionValues] = match;
  if (conditionSegment !== undefined && conditionSegment !== segment) throw new Error(`${guide}: ${key} conditions on another segment`);
  const condition =
    conditionPosition === undefined
      ? null
      : {
          index: Number(conditionPosition) - 1,
          values: new Set(conditionValues.split('|')),
          key: `${conditionPosition}=${conditionValues}`,
        };
  return {
    segment,
    position: position === undefined ? 0 : Number(position),
    component: component === undefined ? 0 : Number(component),
    loops: loops === undefined ? null : new Set(loops.split(',')),
    condition,
  };
}

const valueList = (values: string | readonly string[]) => (typeof values === 'string' ? values.trim().split(/\s+/) : values);

function parseRules(table: GuideTable): Map<string, GuideRule[]> {
  const bySegment = new Map<string, GuideRule[]>();
  const add = (segment: string, added: GuideRule) => {
    const element = segmentSpec(segment)!.elements[added.position - 1];
    if (element === undefined || (added.component > 0 && (element.composite?.components.length ?? 0) < added.component))
      throw new Error(`${table.guide}: ${segment}${added.position}-${added.component} is outside the segment's layout`);
    bySegment.set(segment, [...(bySegment.get(segment) ?? []), added]);
  };
  for (const [key, values] of table.codes) {
    const { segment, ...place } = parseKey(key, table.guide);
    add(segment, rule('codes', place, { codes: new Set(valueList(values)) }));
  }
  for (const [key, pattern] of table.patterns ?? []) {
    const { segment, ...place } = parseKey(key, table.guide);
    add(segment, rule('pattern', place, { pattern }));
  }
  for (const [key, positions] of table.usage ?? []) {
    const { segment, loops, condition } = parseKey(key, table.guide);
    for (const token of positions.trim().split(/\s+/)) {
      const match = /^([RN])(\d{2})(?:-(\d{1,2}))?$/.exec(token);
      if (match === null) throw new Error(`${table.guide}: usage ${token} of ${key} is not R or N and a position`);
      const [, usage, position, component] = match;
      const place = { position: Number(position), component: component === undefined ? 0 : Number(component), loops, condition };
      add(segment, rule('usage', place, { usage: usage as 'R' | 'N' }));
    }
  }
  return bySegment;
}

/**
 * For each group of code rules at one place under one condition that names loops: a rule with the
 * union of the group's values, for a caller that does not know the loop. Patterns and usage stay
 * loop-bound: what holds in one loop says nothing about a segment whose loop is unknown.
 */
function anyLoopRules(rules: readonly GuideRule[]): GuideRule[] {
  const groups = new Map<string, GuideRule[]>();
  for (const each of rules) {
    if (each.kind !== 'codes') continue;
    const key = `${each.position}-${each.component}-${each.condition?.key ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), each]);
  }
  return [...groups.values()]
    .filter((group) => group.some((each) => each.loops !== null))
    .map((group) =>
      rule('codes', { ...group[0], loops: null }, { anyLoop: true, codes: new Set(group.flatMap((each) => [...each.codes!])) }),
    );
}

function compileSegment(rules: readonly GuideRule[]): GuideSegment {
  // Conditioned rules first, so a qualifier-specific list wins over the general one at the same place.
  const ordered = [...anyLoopRules(rules), ...rules].sort((a, b) => Number(a.condition === null) - Number(b.condition === null));
  const byPosition: GuideRule[][] = [];
  for (const rule of ordered) (byPosition[rule.position] ??= []).push(rule);
  return { rules: Array.from(byPosition, (list) => list), plans: new Map() };
}

export interface CompiledGuide {
  guide: string;
  segments: ReadonlyMap<string, GuideSegment>;
}

export function compileGuide(table: GuideTable): CompiledGuide {
  const segments = new Map<string, GuideSegment>();
  for (const [segment, rules] of parseRules(table)) segments.set(segment, compileSegment(rules));
  return { guide: table.guide, segments };
}

function holds(condition: Condition, elements: readonly string[]): boolean {
  return condition.values.has(elements[condition.index] ?? '');
}

const NO_CANDIDATES: Candidates = Object.freeze([]);

/**
 * The rules of `kind` at a place that may apply in loop `loopId`, in order: the loop's own, then
 * those for every loop; for an unknown loop (null), the any-loop unions and the every-loop rules.
 * Conditioned rules come first in each group (compileSegment orders them so); the list ends at the
 * first unconditioned rule, which always applies.
 */
function candidates(
  rules: readonly GuideRule[] | undefined,
  kind: GuideRule['kind'],
  component: number,
  loopId: string | null,
): Candidates {
  if (rules === undefined) return NO_CANDIDATES;
  const here = rules.filter((rule) => rule.kind === kind && rule.component === component);
  const own = loopId === null ? [] : here.filter((rule) => rule.loops?.has(loopId));
  const everyLoop = here.filter((rule) => rule.loops === null && (loopId === null || !rule.anyLoop));
  const ordered = [...own, ...everyLoop];
  const end = ordered.findIndex((rule) => rule.condition === null);
  const list = end === -1 ? ordered : ordered.slice(0, end + 1);
  return list.length === 0 ? NO_CANDIDATES : list;
}

/** The first candidate whose condition holds for the segment's elements. */
export function firstHolding(list: Candidates, elements: readonly string[]): GuideRule | undefined {
  for (let i = 0; i < list.length; i++) {
    const rule = list[i];
    if (rule.condition === null || holds(rule.condition, elements)) return rule;
  }
  return undefined;
}

/** The rule of `kind` that applies at a place of a segment in loop `loopId` (null: unknown). */
export function pickRule(
  rules: readonly GuideRule[] | undefined,
  kind: GuideRule['kind'],
  component: number,
  loopId: string | null,
  elements: readonly string[],
): GuideRule | undefined {
  return firstHolding(candidates(rules, kind, component, loopId), elements);
}

const NO_REQUIRED: RequiredPlaces = { requiredMask: 0, maybeRequired: [] };

/** The candidates at one place; a component's plan has no components of its own. */
function placePlan(rules: readonly GuideRule[], component: number, loopId: string | null): PositionPlan {
  const usage = candidates(rules, 'usage', component, loopId);
  const codes = candidates(rules, 'codes', component, loopId);
  const patterns = candidates(rules, 'pattern', component, loopId);
  const mayBeNotUsed = usage.some((each) => each.usage === 'N');
  const codesOnly = !mayBeNotUsed && patterns.length === 0 && codes.length === 1 && codes[0].condition === null ? codes[0].codes : null;
  return { usage, codes, patterns, mayBeNotUsed, codesOnly, components: [], requiredComponents: NO_REQUIRED };
}

/** Which of `places` (by place number) the guide requires, always or under a condition. */
function requiredPlaces(places: readonly (PlacePlan | undefined)[]): RequiredPlaces {
  let requiredMask = 0;
  const maybeRequired: number[] = [];
  places.forEach((place, index) => {
    const first = place?.usage[0];
    if (first?.usage === 'R' && first.condition === null) requiredMask |= 1 << (index - 1);
    else if (place?.usage.some((each) => each.usage === 'R')) maybeRequired.push(index);
  });
  return { requiredMask, maybeRequired };
}

const isEmpty = (place: PlacePlan) => place.usage.length + place.codes.length + place.patterns.length === 0;

function positionPlan(rules: readonly GuideRule[], loopId: string | null): PositionPlan | undefined {
  const count = Math.max(...rules.map((each) => each.component));
  const components = Array.from({ length: count + 1 }, (_, component) => {
    const place = component === 0 ? undefined : placePlan(rules, component, loopId);
    return place === undefined || isEmpty(place) ? undefined : place;
  });
  const element = placePlan(rules, 0, loopId);
  if (isEmpty(element) && components.every((component) => component === undefined)) return undefined;
  return { ...element, components, requiredComponents: requiredPlaces(components) };
}

function makePlan(segment: GuideSegment, loopId: string | null): LoopPlan | null {
  const positions = segment.rules.map((rules) => (rules === undefined ? undefined : positionPlan(rules, loopId)));
  if (positions.every((position) => position === undefined)) return null;
  return { positions, ...requiredPlaces(positions) };
}

/**
 * The segment's rules resolved for loop `loopId` (null: unknown), made once per loop and kept;
 * null when the guide says nothing of the segment in that loop.
 */
export function loopPlan(segment: GuideSegment, loopId: string | null): LoopPlan | null {
  if (loopId === null) return segment.anyLoopPlan === undefined ? (segment.anyLoopPlan = makePlan(segment, null)) : segment.anyLoopPlan;
  let plan = segment.plans.get(loopId);
  if (plan === undefined) {
    plan = makePlan(segment, loopId);
    segment.plans.set(loopId, plan);
  }
  return plan;
}
