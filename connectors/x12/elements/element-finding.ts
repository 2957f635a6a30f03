// Element findings: an envelope finding's place (control numbers, segment, position, offset, line)
// with what a 999 IK4 answers: IK401 element/component/repetition, IK402 reference, IK403, IK404.
import type { ElementSyntaxErrorCode } from '../ack-codes.js';
import type { ControlNumbers, EnvelopeFinding } from '../findings.js';
import type { Segment } from '../segment.js';

/** What the checker needs to know about where a segment stands. */
export interface ElementContext {
  /** GS08 / ST03 (`005010X222A1`); null: the standard's rules alone. */
  guide: string | null;
  /** The loop the segment was placed in (`2310B`); null when unknown: code lists are then the guide's union over its loops. */
  loopId: string | null;
  controls: ControlNumbers;
}

/** Where in the segment a finding points (IK401, IK402), and what is there (IK404). */
export interface ElementPlace {
  /** IK401-1: 1-based position of the element in its segment. */
  element: number;
  /** IK401-2: 1-based position of the component in its composite, when the finding is about one. */
  component?: number;
  /** IK401-3: 1-based repetition, when the finding is about one. */
  repetition?: number;
  /**
   * IK402: data element reference number (a composite's first component when the whole composite
   * is meant); absent for a position past the segment's last element.
   */
  elementReference?: number;
  /** The composite's id (`C023`) when the element is one. */
  composite?: string;
  /** IK404: the bad value as written; absent when the element is missing. */
  badValue?: string;
}

export type ElementFinding = Omit<EnvelopeFinding, 'level' | 'code' | 'element'> &
  ElementPlace & {
    level: 'element';
    /** IK403 Implementation Data Element Syntax Error Code. */
    code: ElementSyntaxErrorCode;
    /** The loop the caller placed the segment in (IK303 of the IK3 the finding goes under). */
    loopId: string | null;
  };

/** `HI01-2`, `NM108`, `EB03` repetition 2: `EB03(2)`. */
export function elementPath(segmentId: string, place: Pick<ElementPlace, 'element' | 'component' | 'repetition'>): string {
  const component = place.component === undefined ? '' : `-${place.component}`;
  const repetition = place.repetition === undefined ? '' : `(${place.repetition})`;
  return `${segmentId}${String(place.element).padStart(2, '0')}${component}${repetition}`;
}

export function elementFinding(
  segment: Segment,
  context: ElementContext,
  code: ElementSyntaxErrorCode,
  rule: string,
  message: string,
  place: ElementPlace,
): ElementFinding {
  const finding: ElementFinding = {
    level: 'element',
    code,
    path: elementPath(segment.id, place),
    rule,
    message,
    interchangeControlNumber: context.controls.interchange,
    groupControlNumber: context.controls.group,
    transactionSetControlNumber: context.controls.transactionSet,
    segmentId: segment.id,
    element: place.element,
    loopId: context.loopId,
    position: segment.position,
    offset: segment.offset,
    line: segment.line,
  };
  // Only the parts of the place that say something: a finding has no keys standing for nothing.
  if (place.component !== undefined) finding.component = place.component;
  if (place.repetition !== undefined) finding.repetition = place.repetition;
  if (place.elementReference !== undefined) finding.elementReference = place.elementReference;
  if (place.composite !== undefined) finding.composite = place.composite;
  if (place.badValue !== undefined) finding.badValue = place.badValue;
  return finding;
}
