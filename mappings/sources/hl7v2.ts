// HL7 v2 front end of the mapping engine: ER7 text (one message, or a batch of messages of one
// type) → mapping units over the JSON view of connectors/hl7v2/message-json.ts. Charges and
// accounts (DFT, BAR) give one unit per visit, so FT1s of several visits make one claim each;
// patient events (ADT) one unit per message. Other message types are refused here, naming what
// claimhub maps. Read errors (Hl7ParseError) are ParseErrors that already name segment, line and field.

import { UnsupportedMessageError } from '../../canonical-model/errors.js';
import { readHl7Batch } from '../../connectors/hl7v2/batch.js';
import { messageJson, type MessageJson, type SegmentJson } from '../../connectors/hl7v2/message-json.js';
import type { Hl7Message } from '../../connectors/hl7v2/parse.js';
import type { MappingUnit, SourceMessage } from './source.js';

/** What the shipped hl7v2 mappings translate (named when a message of another type is refused). */
export const HL7_MAPPED_TYPES = ['DFT^P03', 'DFT^P11', 'BAR^P01', 'BAR^P12', 'ADT^A04', 'ADT^A08'] as const;

/** How a message family (MSH-9.1) is cut into units; a family not listed is not translated. */
const UNIT_RULES: Readonly<Record<string, 'visits' | 'message'>> = { DFT: 'visits', BAR: 'visits', ADT: 'message' };

/** Segments before the first PV1 that describe the patient (or the message), not one visit: every visit unit gets them. */
const PATIENT_LEVEL = new Set(['MSH', 'SFT', 'UAC', 'EVN', 'PID', 'PD1', 'ARV', 'ROL', 'PRT', 'NK1', 'NTE']);

/** What the hl7v2 helpers of one unit work with. */
export interface Hl7UnitContext {
  message: Hl7Message;
  /** MSH-9.1^MSH-9.2, e.g. DFT^P11 (its FT1s own the DG1 and IN1 segments that follow them). */
  messageType: string;
  /** The message's segments in order, as the view has them. */
  ordered: SegmentJson[];
  /** Names the message in places when the input held several (a batch). */
  batchLabel?: string;
}

/** The unit's visit: what its claim is numbered by. */
export interface VisitKey {
  /** PV1-19.1 visit number, else PID-18.1 patient account number. */
  number?: string;
  /** Where the number came from: `PV1-19` or `PID-18`. */
  field?: string;
}

export function readHl7Message(raw: string): SourceMessage {
  const { messages } = readHl7Batch(raw);
  const types = messages.map(messageTypeOf);
  const [messageType] = types;
  const other = types.find((type) => type !== messageType);
  if (other !== undefined) {
    const message = `the batch mixes ${messageType} and ${other}; send each message type in a batch of its own`;
    throw new UnsupportedMessageError(message, [{ path: 'MSH-9', rule: 'mixed-message-types', message }]);
  }
  const rule = UNIT_RULES[messages[0].header.messageType];
  if (rule === undefined) throw notTranslated(messageType);
  const many = messages.length > 1;
  const units = messages.flatMap((message) => {
    const context: Hl7UnitContext = { message, messageType, ordered: [], ...(many ? { batchLabel: `MSH-10 ${message.header.controlId}` } : {}) };
    const view = messageJson(message);
    context.ordered = inOrder(view, message.segments.length);
    return rule === 'visits' ? visitUnits(view, context) : [messageUnit(view, context)];
  });
  const controlIds = messages.map((message) => message.header.controlId);
  return {
    format: 'hl7v2',
    messageType,
    controlNumbers: { ...senderNumbers(messages[0]), ...(many ? { controlId: controlIds.join(',') } : {}) },
    units,
  };
}

function messageTypeOf(message: Hl7Message): string {
  const { messageType, triggerEvent } = message.header;
  return triggerEvent ? `${messageType}^${triggerEvent}` : messageType;
}

function notTranslated(messageType: string): UnsupportedMessageError {
  const mapped = `claimhub maps ${HL7_MAPPED_TYPES.join(', ')}`;
  const message = messageType === '' ? `the message type (MSH-9) is empty: ${mapped}` : `${messageType} is not translated: ${mapped}`;
  return new UnsupportedMessageError(message, [{ path: 'MSH-9', rule: 'message-type', message }]);
}

/** MSH-10 and who sent it: the control numbers every object of the message records. */
function senderNumbers(message: Hl7Message): Record<string, string> {
  const { controlId, sendingApplication, sendingFacility } = message.header;
  const numbers: Record<string, string> = { controlId };
  if (sendingApplication.namespaceId) numbers.sendingApplication = sendingApplication.namespaceId;
  if (sendingFacility.namespaceId) numbers.sendingFacility = sendingFacility.namespaceId;
  return numbers;
}

/** The view's segments by position (the view keys them by id). */
function inOrder(view: MessageJson, count: number): SegmentJson[] {
  const ordered = new Array<SegmentJson>(count);
  for (const [key, value] of Object.entries(view)) {
    if (key === 'header') continue;
    for (const segment of value as SegmentJson[]) ordered[segment.position - 1] = segment;
  }
  return ordered;
}

function messageUnit(view: MessageJson, context: Hl7UnitContext): MappingUnit {
  const { controlId } = context.message.header;
  return unit(view, context, { label: `${context.messageType} ${controlId}`, controlNumbers: {} });
}

/**
 * One unit per visit. Each PV1 opens a visit that holds every segment up to the next PV1; the
 * patient-level segments before the first PV1 (MSH, EVN, PID, PD1…) belong to every visit, any
 * other segment there to the first. Visits are keyed by PV1-19 visit number, else PID-18 account
 * number; PV1 blocks with the same key are one visit (one claim). Without any PV1 the message is one visit.
 */
function visitUnits(view: MessageJson, context: Hl7UnitContext): MappingUnit[] {
  const { ordered } = context;
  const firstVisit = ordered.findIndex((segment) => idOf(context, segment) === 'PV1');
  if (firstVisit === -1) return [visitUnit(view, context, ordered, undefined)];
  const shared = ordered.slice(0, firstVisit).filter((segment) => PATIENT_LEVEL.has(idOf(context, segment)));
  const leading = ordered.slice(0, firstVisit).filter((segment) => !PATIENT_LEVEL.has(idOf(context, segment)));
  const visits = new Map<string, SegmentJson[]>();
  let current: SegmentJson[] = [];
  for (let i = firstVisit; i < ordered.length; i++) {
    const segment = ordered[i];
    if (idOf(context, segment) === 'PV1') {
      const key = visitKey(view, segment);
      const id = key.number === undefined ? `PV1@${segment.position}` : `${key.field}=${key.number}`;
      current = visits.get(id) ?? (visits.size === 0 ? [...leading] : []);
      visits.set(id, current);
    }
    current.push(segment);
  }
  return [...visits.values()].map((segments) => {
    const pv1 = segments.find((segment) => idOf(context, segment) === 'PV1')!;
    return visitUnit(view, context, [...shared, ...segments].sort((a, b) => a.position - b.position), pv1);
  });
}

function visitKey(view: MessageJson, pv1: SegmentJson | undefined): VisitKey {
  const visitNumber = firstComponent(pv1, 'PV1_19');
  if (visitNumber !== undefined) return { number: visitNumber, field: 'PV1-19' };
  const account = firstComponent((view.PID as SegmentJson[] | undefined)?.[0], 'PID_18');
  return account === undefined ? {} : { number: account, field: 'PID-18' };
}

function firstComponent(segment: SegmentJson | undefined, designator: string): string | undefined {
  const value = (segment?.[designator] as Record<string, string | null>[] | undefined)?.[0]?.C1;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function visitUnit(view: MessageJson, context: Hl7UnitContext, segments: SegmentJson[], pv1: SegmentJson | undefined): MappingUnit {
  const input: Record<string, unknown> = { header: view.header };
  for (const segment of segments) ((input[idOf(context, segment)] ??= []) as SegmentJson[]).push(segment);
  const visit = visitKey(view, pv1);
  input.visit = visit;
  const where = pv1 ? ` (${place(context, pv1)})` : '';
  return unit(input, context, {
    label: visit.number === undefined ? `visit${where}` : `visit ${visit.number}${where}`,
    controlNumbers: visit.number === undefined ? {} : { visit: visit.number },
  });
}

function unit(input: unknown, context: Hl7UnitContext, named: { label: string; controlNumbers: Record<string, string> }): MappingUnit {
  const { controlId } = context.message.header;
  return {
    input,
    path: `MSH-10 ${controlId}`,
    root: 'MSH',
    label: named.label,
    controlNumbers: { ...senderNumbers(context.message), ...named.controlNumbers },
    bindings: {},
    context,
    locate: (at) => locateSegment(at, context),
  };
}

function idOf(context: Hl7UnitContext, segment: SegmentJson): string {
  return context.message.segments[segment.position - 1].id;
}

/** `segment 14, line 14` (with the message's MSH-10 first in a batch). */
function place(context: Hl7UnitContext, segment: SegmentJson): string {
  const line = context.message.segments[segment.position - 1].line;
  return `${context.batchLabel ? `${context.batchLabel} ` : ''}segment ${segment.position}, line ${line}`;
}

/**
 * A refused segment's place: `FT1[2]-10 (segment 14, line 14)` for [ft1, 'FT1-10'], `FT1[2] (…)`
 * for the segment itself. The occurrence ([2]) is shown when the segment id repeats in the message.
 */
export function locateSegment(at: unknown, context: Hl7UnitContext): string | undefined {
  const [value, field] = Array.isArray(at) && at.length === 2 && typeof at[1] === 'string' ? at : [at, undefined];
  const segment = (Array.isArray(value) ? value[0] : value) as SegmentJson | undefined;
  if (segment === null || typeof segment !== 'object' || typeof segment.position !== 'number') {
    return typeof at === 'string' ? at : undefined;
  }
  const id = idOf(context, segment);
  const same = context.ordered.filter((other) => idOf(context, other) === id);
  const named = same.length > 1 ? `${id}[${same.indexOf(segment) + 1}]` : id;
  const designator = field === undefined ? named : field.startsWith(id) ? `${named}${field.slice(id.length)}` : `${named} ${field}`;
  return `${designator} (${place(context, segment)})`;
}
