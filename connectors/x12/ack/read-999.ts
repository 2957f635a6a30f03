// Reads a received 999 (005010X231A1), ST through SE, into the values claimhub writes its own 999s
// from: AK1, the AK2 loops with their IK3/IK4 notes and contexts, IK5 and AK9.
import type { Segment } from '../segment.js';
import type { TransactionSetEvent } from '../transaction-sets.js';
import { AcknowledgmentReadError } from './errors.js';
import type {
  BusinessUnit,
  ElementNote,
  GroupAcknowledgmentCode,
  ImplementationAcknowledgment,
  SegmentNote,
  SituationalTrigger,
  TransactionSetAcknowledgmentCode,
  TransactionSetResponse,
} from './model.js';

const SET_CODES: ReadonlySet<string> = new Set(['A', 'E', 'R', 'M', 'W', 'X']);
const GROUP_CODES: ReadonlySet<string> = new Set([...SET_CODES, 'P']);

/** The 999 a transaction set of readX12/readEnvelopes holds; AcknowledgmentReadError when it is not one. */
export function readImplementationAcknowledgment(set: TransactionSetEvent): ImplementationAcknowledgment {
  const cursor = new Cursor(set.segments, set.interchange.delimiters.component);
  const st = cursor.take('ST');
  if (value(st, 1) !== '999') throw new AcknowledgmentReadError(`ST01 "${value(st, 1)}" is not 999`, place(st, 1), 'code');
  const ak1 = cursor.take('AK1');
  const group = { functionalIdentifier: required(ak1, 1), controlNumber: required(ak1, 2), version: required(ak1, 3) };
  const transactionSets: TransactionSetResponse[] = [];
  while (cursor.next('AK2')) transactionSets.push(readTransactionSetResponse(cursor));
  const ak9 = cursor.take('AK9');
  cursor.take('SE');
  return {
    controlNumber: value(st, 2),
    group,
    transactionSets,
    status: code(ak9, 1, GROUP_CODES) as GroupAcknowledgmentCode,
    included: integer(ak9, 2),
    received: integer(ak9, 3),
    accepted: integer(ak9, 4),
    codes: codes(ak9, 5, 9),
  };
}

function readTransactionSetResponse(cursor: Cursor): TransactionSetResponse {
  const ak2 = cursor.take('AK2');
  const segments: SegmentNote[] = [];
  while (cursor.next('IK3')) segments.push(readSegmentNote(cursor));
  const ik5 = cursor.take('IK5');
  const response: TransactionSetResponse = {
    id: required(ak2, 1),
    controlNumber: required(ak2, 2),
    segments,
    status: code(ik5, 1, SET_CODES) as TransactionSetAcknowledgmentCode,
    codes: codes(ik5, 2, 6),
  };
  const reference = value(ak2, 3);
  if (reference !== '') response.implementationReference = reference;
  return response;
}

function readSegmentNote(cursor: Cursor): SegmentNote {
  const ik3 = cursor.take('IK3');
  const note: SegmentNote = { segmentId: required(ik3, 1), position: integer(ik3, 2), code: required(ik3, 4), triggers: [], elements: [] };
  const loopId = value(ik3, 3);
  if (loopId !== '') note.loopId = loopId;
  while (cursor.next('CTX')) {
    const ctx = cursor.take('CTX');
    const [name, reference = ''] = cursor.components(value(ctx, 1));
    if (name === 'SITUATIONAL TRIGGER') note.triggers.push(trigger(ctx, cursor));
    else note.businessUnit = businessUnit(ctx, name, reference);
  }
  while (cursor.next('IK4')) note.elements.push(readElementNote(cursor));
  return note;
}

function readElementNote(cursor: Cursor): ElementNote {
  const ik4 = cursor.take('IK4');
  const [position = '', component = '', repetition = ''] = cursor.components(value(ik4, 1));
  const note: ElementNote = { position: number(position, ik4, 1), code: required(ik4, 3), triggers: [] };
  if (component !== '') note.component = number(component, ik4, 1);
  if (repetition !== '') note.repetition = number(repetition, ik4, 1);
  if (value(ik4, 2) !== '') note.elementReference = value(ik4, 2);
  if (value(ik4, 4) !== '') note.badValue = value(ik4, 4);
  while (cursor.next('CTX')) note.triggers.push(trigger(cursor.take('CTX'), cursor));
  return note;
}

function trigger(ctx: Segment, cursor: Cursor): SituationalTrigger {
  const found: SituationalTrigger = { segmentId: required(ctx, 2), position: integer(ctx, 3) };
  if (value(ctx, 4) !== '') found.loopId = value(ctx, 4);
  const [element = '', component = '', repetition = ''] = cursor.components(value(ctx, 5));
  if (element !== '') found.element = number(element, ctx, 5);
  if (component !== '') found.component = number(component, ctx, 5);
  if (repetition !== '') found.repetition = number(repetition, ctx, 5);
  return found;
}

function businessUnit(ctx: Segment, name: string, reference: string): BusinessUnit {
  if (name === '' || reference === '')
    throw new AcknowledgmentReadError('CTX01 names no business unit and its identifier', place(ctx, 1), 'required');
  return { name, value: reference };
}

/** The segments of one set, read in order. */
class Cursor {
  private index = 0;
  private readonly segments: readonly Segment[];
  private readonly component: string;

  constructor(segments: readonly Segment[], component: string) {
    this.segments = segments;
    this.component = component;
  }

  next(id: string): boolean {
    return this.segments[this.index]?.id === id;
  }

  take(id: string): Segment {
    const segment = this.segments[this.index];
    if (segment?.id !== id) {
      const found = segment === undefined ? 'the end of the set' : segment.id;
      const at = segment ?? this.segments[this.segments.length - 1];
      throw new AcknowledgmentReadError(
        `expected ${id}, found ${found}`,
        { segmentId: at?.id ?? id, position: at?.position ?? 0 },
        'segment-order',
      );
    }
    this.index++;
    return segment;
  }

  components(text: string): string[] {
    return text.split(this.component);
  }
}

function value(segment: Segment, element: number): string {
  return segment.elements[element - 1] ?? '';
}

function place(segment: Segment, element: number) {
  return { segmentId: segment.id, position: segment.position, element };
}

function required(segment: Segment, element: number): string {
  const found = value(segment, element);
  if (found === '')
    throw new AcknowledgmentReadError(`${segment.id}${String(element).padStart(2, '0')} is missing`, place(segment, element), 'required');
  return found;
}

function number(text: string, segment: Segment, element: number): number {
  if (!/^[0-9]{1,10}$/.test(text))
    throw new AcknowledgmentReadError(
      `${segment.id}${String(element).padStart(2, '0')} "${text}" is not a number`,
      place(segment, element),
      'number',
    );
  return Number(text);
}

function integer(segment: Segment, element: number): number {
  return number(required(segment, element), segment, element);
}

function code(segment: Segment, element: number, allowed: ReadonlySet<string>): string {
  const found = required(segment, element);
  if (!allowed.has(found))
    throw new AcknowledgmentReadError(
      `${segment.id}${String(element).padStart(2, '0')} "${found}" is not an acknowledgment code`,
      place(segment, element),
      'code',
    );
  return found;
}

/** The codes in elements `from` through `to`, empty ones left out. */
function codes(segment: Segment, from: number, to: number): string[] {
  return segment.elements.slice(from - 1, to).filter((found) => found !== '');
}
