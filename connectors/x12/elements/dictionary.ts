// The segment dictionary compiled once for checking: each position's data element with its type,
// lengths and requirement, composites with their components, syntax notes as position masks.
import { DATA_ELEMENTS, type ElementType } from './data-elements.js';
import { COMPOSITES, SEGMENTS, type SegmentLayout } from './segments.js';

/** X12 requirement designator: mandatory, optional, relational (see the syntax notes). */
export type Requirement = 'M' | 'O' | 'X';

export interface ElementSpec {
  /** 1-based position in its segment, or in its composite for a component. */
  position: number;
  requirement: Requirement;
  /** Data element reference number (IK402); for a composite, its first component's. */
  reference: number;
  type: ElementType;
  min: number;
  max: number;
  name: string;
  /** Repetitions allowed (X12 `>1` elements); 1 for most. */
  maxUse: number;
  composite: CompositeSpec | null;
  /** For a 1251 Date Time Period right after its 1250 format qualifier: that qualifier's position; else 0. */
  formatQualifier: number;
  /** A simple element, not repeating, not a date period: its value syntax is all the standard checks. */
  plain: boolean;
}

/** A segment's or composite's syntax notes, and what tells at a glance that none can be broken. */
export interface SyntaxNotes {
  syntax: readonly SyntaxNote[];
  /** Bits of every position a note other than R names. */
  syntaxMask: number;
  hasRequiredNote: boolean;
}

export interface CompositeSpec extends SyntaxNotes {
  id: string;
  name: string;
  components: readonly ElementSpec[];
  /** Positions of the mandatory components. */
  mandatory: readonly number[];
  /** Bit (position - 1) of each mandatory component. */
  mandatoryMask: number;
}

export interface SegmentSpec extends SyntaxNotes {
  id: string;
  elements: readonly ElementSpec[];
  mandatory: readonly number[];
  mandatoryMask: number;
}

/** P paired, R required (one of), C conditional, E exclusion, L list conditional. */
export type SyntaxKind = 'P' | 'R' | 'C' | 'E' | 'L';

export interface SyntaxNote {
  kind: SyntaxKind;
  /** `P0809` as written. */
  note: string;
  positions: readonly number[];
  /** Bit (position - 1) set for each position. */
  mask: number;
}

function parseSyntax(text: string | undefined, owner: string): SyntaxNotes {
  const syntax = (text === undefined ? [] : text.split(' ')).map((note): SyntaxNote => {
    const match = /^([PRCEL])((?:\d\d)+)$/.exec(note);
    if (match === null) throw new Error(`${owner}: syntax note ${note} is not a letter and two-digit positions`);
    const positions = match[2].match(/\d\d/g)!.map(Number);
    const mask = positions.reduce((bits, position) => bits | (1 << (position - 1)), 0);
    return { kind: match[1] as SyntaxKind, note, positions, mask };
  });
  const others = syntax.filter((note) => note.kind !== 'R');
  const syntaxMask = others.reduce((bits, note) => bits | note.mask, 0);
  return { syntax, syntaxMask, hasRequiredNote: others.length < syntax.length };
}

function parseElements(layout: SegmentLayout, owner: string, composites: ReadonlyMap<string, CompositeSpec> | null): ElementSpec[] {
  const specs = layout[0].split(' ').map((token, index): ElementSpec => {
    const match = /^([MOX])(C\d{3}|\d+)(?:\*(\d+))?$/.exec(token);
    if (match === null) throw new Error(`${owner}: layout token ${token} is not a requirement and an element`);
    const [, requirement, id, repeat] = match;
    const position = index + 1;
    const maxUse = repeat === undefined ? 1 : Number(repeat);
    if (id.startsWith('C')) {
      const composite = composites?.get(id);
      if (composite === undefined) throw new Error(`${owner}: composite ${id} is not defined (or nested)`);
      const first = composite.components[0];
      const { type, min, max } = first;
      return {
        position,
        requirement: requirement as Requirement,
        reference: first.reference,
        type,
        min,
        max,
        name: composite.name,
        maxUse,
        composite,
        formatQualifier: 0,
        plain: false,
      };
    }
    const entry = DATA_ELEMENTS[Number(id)];
    if (entry === undefined) throw new Error(`${owner}: data element ${id} is not in the dictionary`);
    const [type, min, max, name] = entry;
    return {
      position,
      requirement: requirement as Requirement,
      reference: Number(id),
      type,
      min,
      max,
      name,
      maxUse,
      composite: null,
      formatQualifier: 0,
      plain: maxUse === 1,
    };
  });
  for (const spec of specs) {
    if (spec.reference !== 1251 || specs[spec.position - 2]?.reference !== 1250) continue;
    spec.formatQualifier = spec.position - 1;
    spec.plain = false;
  }
  return specs;
}

function mandatoryOf(specs: readonly ElementSpec[]): { mandatory: number[]; mandatoryMask: number } {
  const mandatory = specs.filter((spec) => spec.requirement === 'M').map((spec) => spec.position);
  return { mandatory, mandatoryMask: mandatory.reduce((bits, position) => bits | (1 << (position - 1)), 0) };
}

function compileComposites(): Map<string, CompositeSpec> {
  const compiled = new Map<string, CompositeSpec>();
  for (const [id, [name, layout, syntax]] of Object.entries(COMPOSITES)) {
    const components = parseElements([layout], id, null);
    compiled.set(id, { id, name, components, ...parseSyntax(syntax, id), ...mandatoryOf(components) });
  }
  return compiled;
}

function compileSegments(): Map<string, SegmentSpec> {
  const composites = compileComposites();
  const compiled = new Map<string, SegmentSpec>();
  for (const [id, layout] of Object.entries(SEGMENTS)) {
    const elements = parseElements(layout, id, composites);
    compiled.set(id, { id, elements, ...parseSyntax(layout[1], id), ...mandatoryOf(elements) });
  }
  return compiled;
}

/** Every segment of the dictionary by id. */
export const SEGMENT_SPECS: ReadonlyMap<string, SegmentSpec> = compileSegments();

/** The layout of one segment, or undefined for a segment id the dictionary does not hold. */
export function segmentSpec(id: string): SegmentSpec | undefined {
  return SEGMENT_SPECS.get(id);
}
