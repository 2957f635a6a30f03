// The separators a message declares in its header segment (MSH, FHS or BHS): MSH-1 is the
// character right after the segment id, MSH-2 the component, repetition, escape and
// subcomponent characters in that order, plus the truncation character from v2.7 on.
import { EncodingCharactersError, type SegmentPlace } from './errors.js';

export interface EncodingCharacters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** v2.7+ fifth MSH-2 character (usually `#`); null when MSH-2 has four characters. */
  truncation: string | null;
}

/** Reads the separators from a header segment's text (`MSH|^~\&|…`). */
export function readEncodingCharacters(segment: string, place: Omit<SegmentPlace, 'field'>): EncodingCharacters {
  const field = segment.charAt(3);
  if (field === '' || isAlphanumeric(field) || field === ' ') {
    const found = field === '' ? 'nothing' : `"${field}"`;
    throw new EncodingCharactersError(`${found} after the segment id cannot be the field separator`, { ...place, field: 1 });
  }
  const end = segment.indexOf(field, 4);
  const declared = segment.slice(4, end === -1 ? undefined : end);
  const problem = encodingProblem(field, declared);
  if (problem !== null) throw new EncodingCharactersError(problem, { ...place, field: 2 });
  return {
    field,
    component: declared[0],
    repetition: declared[1],
    escape: declared[2],
    subcomponent: declared[3],
    truncation: declared.length === 5 ? declared[4] : null,
  };
}

function encodingProblem(field: string, declared: string): string | null {
  if (declared.length < 4) return `"${declared}" declares ${declared.length} of the 4 encoding characters`;
  if (declared.length > 5) return `"${declared}" declares more than 5 encoding characters`;
  const all = field + declared;
  for (let i = 0; i < all.length; i++) {
    const character = all[i];
    if (all.indexOf(character) !== i) return `"${character}" is used for two separators in "${declared}"`;
    if (isAlphanumeric(character) || character === ' ') return `"${character}" cannot be a separator`;
  }
  return null;
}

function isAlphanumeric(character: string): boolean {
  return /^[A-Za-z0-9]$/.test(character);
}
