// X12 syntax notes over a segment's (or a composite's) present elements: whether a note is broken,
// which positions the break points at, and the note in words.
import type { SyntaxNote, SyntaxNotes } from './dictionary.js';
import { elementPath } from './element-finding.js';

/**
 * Whether any note could be broken: an R note can break with nothing present, any other needs one
 * of its positions present. Most segments pass here and spend nothing more on their notes.
 */
export function mayBreak(notes: SyntaxNotes, present: number): boolean {
  return notes.hasRequiredNote || (present & notes.syntaxMask) !== 0;
}

/** Whether the positions present (bit position - 1 each) break the note. */
export function breaks(note: SyntaxNote, present: number): boolean {
  const got = present & note.mask;
  const firstBit = 1 << (note.positions[0] - 1);
  switch (note.kind) {
    case 'P':
      return got !== 0 && got !== note.mask;
    case 'R':
      return got === 0;
    case 'C':
      return (got & firstBit) !== 0 && got !== note.mask;
    case 'L':
      return got === firstBit;
    case 'E':
      return (got & (got - 1)) !== 0;
  }
}

/**
 * Where a broken note points: the positions it wants and lacks (P and C: every one missing; R: the
 * first; L: the first after its condition), or for E the second position present.
 */
export function faultPositions(note: SyntaxNote, present: number): number[] {
  const isPresent = (position: number) => (present & (1 << (position - 1))) !== 0;
  switch (note.kind) {
    case 'R':
      return [note.positions[0]];
    case 'L':
      return [note.positions[1]];
    case 'E':
      return [note.positions.filter(isPresent)[1]];
    default:
      return note.positions.filter((position) => !isPresent(position));
  }
}

/**
 * `P0809: NM108, NM109 are present together or not at all`, in words a reader of the 999 report
 * follows; positions name components of element `element` when it is given.
 */
export function describeNote(note: SyntaxNote, segmentId: string, element?: number): string {
  const name = (position: number) =>
    element === undefined ? elementPath(segmentId, { element: position }) : elementPath(segmentId, { element, component: position });
  const [first, ...rest] = note.positions.map(name);
  const all = [first, ...rest].join(', ');
  switch (note.kind) {
    case 'P':
      return `${note.note}: ${all} are present together or not at all`;
    case 'R':
      return `${note.note}: at least one of ${all} is required`;
    case 'C':
      return `${note.note}: ${first} present requires ${rest.join(', ')}`;
    case 'L':
      return `${note.note}: ${first} present requires at least one of ${rest.join(', ')}`;
    case 'E':
      return `${note.note}: only one of ${all} may be present`;
  }
}
