// Element-level validation of one segment, as a 999 answers it with IK4: count, requirement,
// characters, length, dates and times, code values, usage and syntax notes, by the 005010 standard
// and the implementation guide in context. Pure; a clean segment costs no allocation.
import { ElementSyntaxErrorCode } from '../ack-codes.js';
import type { Delimiters, Segment } from '../segment.js';
import { SEGMENT_SPECS, type CompositeSpec, type ElementSpec, type SegmentSpec, type SyntaxNote } from './dictionary.js';
import { elementFinding, elementPath, type ElementContext, type ElementFinding, type ElementPlace } from './element-finding.js';
import {
  firstHolding,
  loopPlan,
  type CompiledGuide,
  type GuideSegment,
  type LoopPlan,
  type PlacePlan,
  type PositionPlan,
  type RequiredPlaces,
} from './guide-rules.js';
import { ELEMENT_GUIDES } from './guides.js';
import { breaks, describeNote, faultPositions, mayBreak } from './syntax-notes.js';
import { checkDatePeriod, checkValue, PATTERNS, type SeparatorCodes } from './values.js';

const { requiredMissing, conditionalMissing, tooManyElements, tooShort, invalidCode, exclusionViolated } = ElementSyntaxErrorCode;
const { tooManyRepetitions, tooManyComponents, notUsedPresent, patternMismatch, invalidDate, invalidTime } = ElementSyntaxErrorCode;

const NONE: readonly ElementFinding[] = Object.freeze([]);

const RULE_BY_CODE: Readonly<Record<ElementSyntaxErrorCode, string>> = {
  '1': 'required',
  '2': 'conditional-required',
  '3': 'too-many-elements',
  '4': 'too-short',
  '5': 'too-long',
  '6': 'invalid-character',
  '7': 'code-value',
  '8': 'date',
  '9': 'time',
  '10': 'exclusion',
  '12': 'too-many-repetitions',
  '13': 'too-many-components',
  I10: 'not-used',
  I12: 'pattern',
};

/** A composite's place before the component is known. */
type CompositePlace = Pick<ElementPlace, 'element' | 'composite' | 'repetition'>;

/**
 * The element findings of one segment (none for a segment id the dictionary does not hold: that is
 * the structure's IK304 finding). `delimiters` are the interchange's, for the component and
 * repetition separators an element must not hold. Returns a shared empty array when all is well.
 */
export function checkElements(segment: Segment, delimiters: Delimiters, context: ElementContext): readonly ElementFinding[] {
  const entry = CHECK.entriesFor(context.guide).get(segment.id);
  if (entry === undefined) return NONE;
  const plan = entry.rules === undefined ? null : loopPlan(entry.rules, context.loopId);
  return CHECK.run(segment, delimiters, context, entry.spec, plan);
}

/** A segment's layout and what a guide says of it: one lookup per segment. */
interface SegmentEntry {
  spec: SegmentSpec;
  rules: GuideSegment | undefined;
}

/** Entries by segment id: for the standard alone, and per guide. */
const entries = (guide?: CompiledGuide): ReadonlyMap<string, SegmentEntry> =>
  new Map([...SEGMENT_SPECS].map(([id, spec]) => [id, { spec, rules: guide?.segments.get(id) }]));

const STANDARD_ENTRIES = entries();

const ENTRIES_BY_GUIDE: ReadonlyMap<string, ReadonlyMap<string, SegmentEntry>> = new Map(
  [...ELEMENT_GUIDES].map(([guide, compiled]) => [guide, entries(compiled)]),
);

/**
 * One segment's check. A single instance is reused call after call (a clean segment then costs no
 * allocation); run() sets every field before it reads any, and nothing it calls can re-enter it.
 */
class SegmentCheck {
  private findings: ElementFinding[] | null = null;
  private readonly separators: SeparatorCodes = { component: -1, repetition: -1 };
  private componentSeparator = '';
  /** Where each component of the composite in hand starts and ends in its value (composites have 15 at most). */
  private readonly componentStarts = new Int32Array(16);
  private readonly componentEnds = new Int32Array(16);
  /** Bit (position - 1) of the elements reported missing, so a syntax note does not repeat them. */
  private reportedMissing = 0;
  private segment!: Segment;
  private context!: ElementContext;
  private spec!: SegmentSpec;
  private plan: LoopPlan | null = null;
  /** The guide asked for last and its entries: consecutive segments nearly always share a guide. */
  private lastGuide: string | null = null;
  private lastEntries = STANDARD_ENTRIES;

  entriesFor(guide: string | null): ReadonlyMap<string, SegmentEntry> {
    if (guide !== this.lastGuide) {
      this.lastGuide = guide;
      this.lastEntries = (guide === null ? undefined : ENTRIES_BY_GUIDE.get(guide)) ?? STANDARD_ENTRIES;
    }
    return this.lastEntries;
  }

  run(
    segment: Segment,
    delimiters: Delimiters,
    context: ElementContext,
    spec: SegmentSpec,
    plan: LoopPlan | null,
  ): readonly ElementFinding[] {
    this.segment = segment;
    this.context = context;
    this.spec = spec;
    this.plan = plan;
    this.findings = null;
    this.reportedMissing = 0;
    this.componentSeparator = delimiters.component;
    this.separators.component = delimiters.component.charCodeAt(0);
    this.separators.repetition = delimiters.repetition === null ? -1 : delimiters.repetition.charCodeAt(0);
    const { elements } = this.segment;
    const specs = this.spec.elements;
    const defined = specs.length;
    let last = elements.length;
    while (last > 0 && elements[last - 1] === '') last--;
    if (last < elements.length) this.trailingSeparators(last, defined);
    if (last > defined) this.tooManyElements(defined);
    let present = 0;
    const positions = this.plan === null ? null : this.plan.positions;
    for (let i = 0, end = last < defined ? last : defined; i < end; i++) {
      const value = elements[i];
      if (value === '') continue;
      present |= 1 << i;
      const spec = specs[i];
      const position = positions === null ? undefined : positions[i + 1];
      // The short cut most elements take: simple ones the guide says nothing of, or only which codes it takes.
      if (spec.plain && (position === undefined || position.codesOnly !== null)) {
        this.coded(spec, value, position?.codesOnly ?? null, i + 1, 0, undefined);
      } else this.element(spec, value, position);
    }
    this.missing(present);
    if (this.spec.syntax.length > 0 && mayBreak(this.spec, present)) this.syntax(this.spec.syntax, present, specs, 0, '');
    const findings = this.findings ?? NONE;
    this.findings = null;
    return findings;
  }

  private element(spec: ElementSpec, value: string, position: PositionPlan | undefined): void {
    if (position !== undefined && position.mayBeNotUsed && this.usage(position) === 'N') {
      return this.notUsed(spec, { element: spec.position, elementReference: spec.reference, badValue: value });
    }
    if (spec.maxUse > 1 && this.separators.repetition >= 0 && value.includes(String.fromCharCode(this.separators.repetition))) {
      return this.repetitions(spec, value, position);
    }
    if (spec.composite === null) this.simple(spec, value, position, spec.position, 0, this.formatOf(spec), undefined);
    else this.composite(spec, spec.composite, value, position, undefined);
  }

  /** For a Date Time Period element of the segment: the value of its format qualifier; else null. */
  private formatOf(spec: ElementSpec): string | null {
    return spec.formatQualifier === 0 ? null : (this.segment.elements[spec.formatQualifier - 1] ?? '');
  }

  /** A repeating element: each repetition checked by itself, and their count. */
  private repetitions(spec: ElementSpec, value: string, position: PositionPlan | undefined): void {
    const parts = value.split(String.fromCharCode(this.separators.repetition));
    parts.forEach((part, index) => {
      if (part === '') return;
      if (spec.composite === null) this.simple(spec, part, position, spec.position, 0, this.formatOf(spec), index + 1);
      else this.composite(spec, spec.composite, part, position, index + 1);
    });
    if (parts.length > spec.maxUse) {
      const place = { element: spec.position, repetition: spec.maxUse + 1, elementReference: spec.reference, badValue: value };
      this.report(
        tooManyRepetitions,
        `${this.path(place)} is one repetition too many: ${spec.name} repeats at most ${spec.maxUse} times`,
        place,
      );
    }
  }

  /**
   * A simple element, or component `component` (> 0): value syntax, date or time by `format` (the
   * value of its format qualifier, for a Date Time Period), code values, pattern.
   */
  private simple(
    spec: ElementSpec,
    value: string,
    guide: PlacePlan | undefined,
    element: number,
    component: number,
    format: string | null,
    repetition: number | undefined,
  ): void {
    const code = checkValue(value, 0, value.length, spec, this.separators);
    if (code !== null) {
      this.valueProblem(code, spec, value, element, component, repetition);
      if (code === tooManyComponents || code === tooManyRepetitions) return;
    }
    if (format !== null) {
      const dateCode = checkDatePeriod(format, value);
      if (dateCode !== null) {
        const place = this.place(spec, value, element, component, repetition);
        this.report(
          dateCode,
          `${this.path(place)} "${value}" is not a valid ${format} ${dateCode === invalidTime ? 'time' : 'date or range'}`,
          place,
        );
      }
    }
    if (guide === undefined) return;
    const elements = this.segment.elements;
    const codes = firstHolding(guide.codes, elements)?.codes ?? null;
    if (codes !== null && !codes.has(value)) this.invalidCode(spec, value, codes, element, component, repetition);
    const pattern = guide.patterns.length === 0 ? null : (firstHolding(guide.patterns, elements)?.pattern ?? null);
    if (pattern !== null && !PATTERNS[pattern](value)) {
      const place = this.place(spec, value, element, component, repetition);
      this.report(
        patternMismatch,
        `${this.path(place)} "${value}" does not match the ${pattern} pattern ${this.byGuide('requires')}`,
        place,
      );
    }
  }

  /**
   * A composite. Its components are found with indexOf and checked where they stand; a component
   * is cut out as a string only when a code list, pattern, usage or finding needs it.
   */
  private composite(
    spec: ElementSpec,
    composite: CompositeSpec,
    value: string,
    position: PositionPlan | undefined,
    repetition: number | undefined,
  ): void {
    const separator = this.separators.component;
    const components = composite.components;
    const defined = components.length;
    const element = spec.position;
    const starts = this.componentStarts;
    const ends = this.componentEnds;
    // Trailing component separators are left out of the count (and reported by componentCount).
    let end = value.length;
    while (end > 0 && value.charCodeAt(end - 1) === separator) end--;
    let count = 0;
    for (let start = 0; ; count++) {
      let stop = value.indexOf(this.componentSeparator, start);
      if (stop === -1 || stop > end) stop = end;
      if (count < defined) {
        starts[count] = start;
        ends[count] = stop;
      }
      if (stop === end) break;
      start = stop + 1;
    }
    count = end === 0 ? 0 : count + 1;
    if (end < value.length || count > defined) this.componentCount(spec, composite, value, count, end < value.length, repetition);
    let present = 0;
    for (let j = 0, last = count < defined ? count : defined; j < last; j++) {
      if (starts[j] === ends[j]) continue;
      present |= 1 << j;
      const component = components[j];
      const guide = position?.components[j + 1];
      if (guide === undefined && component.plain) {
        const code = checkValue(value, starts[j], ends[j], component, this.separators);
        if (code !== null) this.valueProblem(code, component, value.slice(starts[j], ends[j]), element, j + 1, repetition);
        continue;
      }
      const part = count === 1 ? value : value.slice(starts[j], ends[j]);
      if (guide !== undefined && guide.codesOnly !== null && component.plain) {
        this.coded(component, part, guide.codesOnly, element, j + 1, repetition);
        continue;
      }
      if (guide !== undefined && guide.mayBeNotUsed && this.usage(guide) === 'N') {
        const place = {
          element,
          composite: composite.id,
          component: j + 1,
          elementReference: component.reference,
          badValue: part,
          repetition,
        };
        this.notUsed(component, place);
        continue;
      }
      const qualifier = component.formatQualifier - 1;
      const format = qualifier < 0 ? null : value.slice(starts[qualifier], ends[qualifier]);
      this.simple(component, part, guide, element, j + 1, format, repetition);
    }
    let missing = composite.mandatoryMask & ~present;
    for (let index = 0; missing !== 0; index++, missing >>>= 1) {
      if (missing & 1)
        this.missingComponent(components[index], { element, composite: composite.id, repetition }, `${composite.id} is present without it`);
    }
    if (position !== undefined) {
      const base = { element, composite: composite.id, repetition };
      this.guideRequired(position.requiredComponents, position.components, present | composite.mandatoryMask, (j) =>
        this.missingComponent(components[j - 1], base, this.byGuide('requires it')),
      );
    }
    if (composite.syntax.length > 0 && mayBreak(composite, present))
      this.syntax(composite.syntax, present, components, element, composite.id, repetition);
  }

  /** Trailing component separators (after the `count` components before them), or more components than the composite has. */
  private componentCount(
    spec: ElementSpec,
    composite: CompositeSpec,
    value: string,
    count: number,
    trailing: boolean,
    repetition: number | undefined,
  ): void {
    const components = composite.components;
    const base = { element: spec.position, composite: composite.id, repetition, badValue: value };
    if (trailing) {
      const place = { ...base, component: count + 1, elementReference: components[count]?.reference };
      const code = count + 1 > components.length ? tooManyComponents : tooShort;
      this.report(
        code,
        `${this.path(place)}: ${composite.id} ends with an empty component (a trailing component separator)`,
        place,
        'trailing-separator',
      );
    }
    if (count > components.length) {
      const place = { ...base, component: components.length + 1 };
      this.report(tooManyComponents, `${this.path(place)}: ${composite.id} has ${count} components, at most ${components.length}`, place);
    }
  }

  /** Mandatory elements, and elements the guide requires here, that the segment lacks. */
  private missing(present: number): void {
    const specs = this.spec.elements;
    const mandatoryMask = this.spec.mandatoryMask;
    let missing = mandatoryMask & ~present;
    for (let index = 0; missing !== 0; index++, missing >>>= 1) {
      if (missing & 1) this.required(specs[index], 'the standard makes it mandatory');
    }
    if (this.plan === null) return;
    this.guideRequired(this.plan, this.plan.positions, present | mandatoryMask, (position) =>
      this.required(specs[position - 1], this.byGuide('requires it')),
    );
  }

  /** Calls `missing` for each place the guide requires that is not in `covered` (present, or reported by the standard). */
  private guideRequired(
    required: RequiredPlaces,
    places: readonly (PlacePlan | undefined)[],
    covered: number,
    missing: (place: number) => void,
  ): void {
    let always = required.requiredMask & ~covered;
    for (let place = 1; always !== 0; place++, always >>>= 1) if (always & 1) missing(place);
    for (const place of required.maybeRequired) {
      if (!(covered & (1 << (place - 1))) && this.usage(places[place]!) === 'R') missing(place);
    }
  }

  private required(spec: ElementSpec, why: string): void {
    this.reportedMissing |= 1 << (spec.position - 1);
    const place: ElementPlace = { element: spec.position, elementReference: spec.reference };
    if (spec.composite !== null) place.composite = spec.composite.id;
    this.report(requiredMissing, `${this.path(place)} ${spec.name} (${spec.reference}) is missing: ${why}`, place);
  }

  private missingComponent(component: ElementSpec, base: CompositePlace, why: string): void {
    const place = { ...base, component: component.position, elementReference: component.reference };
    this.report(requiredMissing, `${this.path(place)} ${component.name} (${component.reference}) is missing: ${why}`, place);
  }

  /**
   * Syntax notes over `present` (a bit per position): elements of the segment (`element` 0), or
   * components of composite `compositeId` at `element`.
   */
  private syntax(
    notes: readonly SyntaxNote[],
    present: number,
    specs: readonly ElementSpec[],
    element: number,
    compositeId: string,
    repetition?: number,
  ): void {
    for (const note of notes) {
      if (!breaks(note, present)) continue;
      const composite = element === 0 ? undefined : { element, composite: compositeId, repetition };
      const why = describeNote(note, this.segment.id, composite?.element);
      for (const position of faultPositions(note, present)) {
        if (composite === undefined && this.reportedMissing & (1 << (position - 1))) continue;
        const spec = specs[position - 1];
        const place: ElementPlace =
          composite === undefined
            ? { element: position, elementReference: spec.reference }
            : { ...composite, component: position, elementReference: spec.reference };
        if (note.kind !== 'E') {
          this.report(conditionalMissing, `${this.path(place)} ${spec.name} (${spec.reference}) is missing: ${why}`, place);
          continue;
        }
        if (composite === undefined) place.badValue = this.segment.elements[position - 1];
        this.report(exclusionViolated, `${this.path(place)} ${spec.name} (${spec.reference}) is present: ${why}`, place);
      }
    }
  }

  /** Empty elements at the end of the segment: trailing element separators, which X12.6 forbids. */
  private trailingSeparators(last: number, defined: number): void {
    const position = last + 1;
    const count = this.segment.elements.length - last;
    const place: ElementPlace = { element: position, elementReference: this.spec.elements[last]?.reference, badValue: '' };
    const code = position > defined ? tooManyElements : tooShort;
    const message = `${this.segment.id} ends with ${count} empty element${count === 1 ? '' : 's'} from ${this.path(place)}: trailing element separators`;
    this.report(code, message, place, 'trailing-separator');
  }

  private tooManyElements(defined: number): void {
    const place: ElementPlace = { element: defined + 1, badValue: this.segment.elements[defined] };
    this.report(tooManyElements, `${this.segment.id} has ${this.segment.elements.length} elements; 005010 defines ${defined}`, place);
  }

  private notUsed(spec: ElementSpec, place: ElementPlace): void {
    this.report(
      notUsedPresent,
      `${this.path(place)} ${spec.name} (${spec.reference}) is present: ${this.byGuide('does not use it')}`,
      place,
    );
  }

  private usage(place: PlacePlan): 'R' | 'N' | null {
    return place.usage.length === 0 ? null : (firstHolding(place.usage, this.segment.elements)?.usage ?? null);
  }

  /** A simple value with nothing more to it than its syntax and, when `codes` is given, its code list. */
  private coded(
    spec: ElementSpec,
    value: string,
    codes: ReadonlySet<string> | null,
    element: number,
    component: number,
    repetition: number | undefined,
  ): void {
    const code = checkValue(value, 0, value.length, spec, this.separators);
    if (code !== null) this.valueProblem(code, spec, value, element, component, repetition);
    if (codes !== null && code !== tooManyComponents && code !== tooManyRepetitions && !codes.has(value)) {
      this.invalidCode(spec, value, codes, element, component, repetition);
    }
  }

  private invalidCode(
    spec: ElementSpec,
    value: string,
    codes: ReadonlySet<string>,
    element: number,
    component: number,
    repetition?: number,
  ): void {
    const place = this.place(spec, value, element, component, repetition);
    const allowed = codes.size <= 12 ? ` (${[...codes].join(', ')})` : '';
    this.report(invalidCode, `${this.path(place)} "${value}" is not a code value ${this.byGuide('allows')}${allowed}`, place);
  }

  private valueProblem(
    code: ElementSyntaxErrorCode,
    spec: ElementSpec,
    value: string,
    element: number,
    component: number,
    repetition?: number,
  ): void {
    const place = this.place(spec, value, element, component, repetition);
    const what = `${this.path(place)} ${spec.name} (${spec.reference}) "${value}"`;
    const problem =
      code === tooManyComponents
        ? 'holds a component separator: it is a simple element'
        : code === tooManyRepetitions
          ? 'holds a repetition separator: it does not repeat'
          : code === invalidDate
            ? 'is not a date CCYYMMDD on the calendar'
            : code === invalidTime
              ? 'is not a time HHMM[SS[D[D]]] on the clock'
              : code === tooShort || code === ElementSyntaxErrorCode.tooLong
                ? `is ${code === tooShort ? 'shorter' : 'longer'} than ${spec.type} ${spec.min}/${spec.max} allows`
                : `has a character type ${spec.type} does not allow`;
    this.report(code, `${what} ${problem}`, place);
  }

  private place(spec: ElementSpec, value: string, element: number, component: number, repetition?: number): ElementPlace {
    const place: ElementPlace = { element, elementReference: spec.reference, badValue: value };
    if (component > 0) place.component = component;
    if (repetition !== undefined) place.repetition = repetition;
    return place;
  }

  private path(place: Pick<ElementPlace, 'element' | 'component' | 'repetition'>): string {
    return elementPath(this.segment.id, place);
  }

  /** `005010X222A1 requires it in loop 2300`: the guide, a verb, and the loop when known. */
  private byGuide(verb: string): string {
    const loop = this.context.loopId === null ? '' : ` in loop ${this.context.loopId}`;
    return `${this.context.guide} ${verb}${loop}`;
  }

  private report(code: ElementSyntaxErrorCode, message: string, place: ElementPlace, rule = RULE_BY_CODE[code]): void {
    (this.findings ??= []).push(elementFinding(this.segment, this.context, code, rule, message, place));
  }
}

const CHECK = new SegmentCheck();
