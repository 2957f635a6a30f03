// Writes ER7 (pipe-delimited) HL7 v2 text with the standard separators |^~\&. Values are escaped
// (v2.x chapter 2, "Use of escape sequences"): the five separators as \F\ \S\ \T\ \R\ \E\, and every
// control character (CR, LF, VT, FS…) as \Xhh\, so no value can end a segment or an MLLP frame.
// Trailing empty components, repetitions and fields are left out, as the encoding rules allow.

/** A primitive value; undefined and "" are both written as nothing. */
export type Leaf = string | undefined;
/** A component: a value, or its subcomponents. */
export type Component = Leaf | readonly Leaf[];
/** One occurrence of a field: a value, or its components. */
export type Occurrence = Leaf | readonly Component[];
/** A field: one occurrence, or several (`repeated(...)`). */
export type Field = Occurrence | Repeated;

export interface Repeated {
  readonly repetitions: readonly Occurrence[];
}

export const repeated = (repetitions: readonly Occurrence[]): Repeated => ({ repetitions });

export const ENCODING_CHARACTERS = '^~\\&';

const SEPARATOR_ESCAPES: Record<string, string> = { '|': '\\F\\', '^': '\\S\\', '&': '\\T\\', '~': '\\R\\', '\\': '\\E\\' };

/** The value with separators and control characters escaped. */
export function escapeHl7(value: string): string {
  return value.replace(
    /[|^&~\\\x00-\x1f\x7f]/g,
    (character) => SEPARATOR_ESCAPES[character] ?? `\\X${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}\\`,
  );
}

/** Joins parts with a separator, leaving out the empty ones at the end. */
function joinTrimmed(parts: readonly string[], separator: string): string {
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  return parts.slice(0, end).join(separator);
}

function componentText(component: Component): string {
  if (typeof component !== 'object') return escapeHl7(component ?? '');
  return joinTrimmed(
    component.map((sub) => escapeHl7(sub ?? '')),
    '&',
  );
}

function occurrenceText(occurrence: Occurrence): string {
  if (typeof occurrence !== 'object') return escapeHl7(occurrence ?? '');
  return joinTrimmed(occurrence.map(componentText), '^');
}

function isRepeated(field: Field): field is Repeated {
  return typeof field === 'object' && !Array.isArray(field);
}

export function fieldText(field: Field): string {
  return isRepeated(field) ? joinTrimmed(field.repetitions.map(occurrenceText), '~') : occurrenceText(field);
}

/** One segment; `fields[0]` is field 1 (for MSH, pass fields from MSH-3: see headerSegment). */
export function segmentText(id: string, fields: readonly Field[]): string {
  return joinTrimmed([id, ...fields.map(fieldText)], '|');
}

/** MSH: the separators as MSH-1 and MSH-2, then `fields` from MSH-3 on. */
export function headerSegment(fields: readonly Field[]): string {
  const rest = segmentText('MSH', fields).slice(3);
  return `MSH|${ENCODING_CHARACTERS}${rest}`;
}

/** Segments joined as a message: every segment ends with CR, the standard terminator. */
export function messageText(segments: readonly string[]): string {
  return segments.map((segment) => segment + '\r').join('');
}
