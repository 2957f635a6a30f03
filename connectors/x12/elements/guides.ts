// The implementation guides whose element rules claimhub knows, by the version GS08/ST03 carries,
// and the one question a caller asks of them: which code values hold here.
import type { Segment } from '../segment.js';
import { compileGuide, pickRule, type CompiledGuide, type GuideTable } from './guide-rules.js';
import { X217 } from './guide-278.js';
import { X221A1 } from './guide-835.js';
import { X222A1 } from './guide-837p.js';
import { X223A2 } from './guide-837i.js';
import { X231A1 } from './guide-999.js';

const TABLES: readonly GuideTable[] = [X222A1, X223A2, X221A1, X217, X231A1];

export const ELEMENT_GUIDES: ReadonlyMap<string, CompiledGuide> = new Map(TABLES.map((table) => [table.guide, compileGuide(table)]));

/**
 * The code values the guide allows at `element` (1-based; `component` 1-based within a composite,
 * 0 for a simple element) of `segment` in loop `loopId`: the loop's own list when the guide gives
 * one, else the guide's list for every loop; with `loopId` null, the union of the lists of every
 * loop. A list may hang on a qualifier in the segment (DTP02 by DTP01), hence the whole segment.
 * Undefined when the guide lists no values there (or the guide is unknown).
 */
export function codesFor(
  guide: string,
  loopId: string | null,
  segment: Pick<Segment, 'id' | 'elements'>,
  element: number,
  component = 0,
): ReadonlySet<string> | undefined {
  const rules = ELEMENT_GUIDES.get(guide)?.segments.get(segment.id)?.rules[element];
  return pickRule(rules, 'codes', component, loopId, segment.elements)?.codes ?? undefined;
}
