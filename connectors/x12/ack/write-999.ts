// Writes a 999's segments, AK1 through AK9 (serialize.ts adds ST, SE and the envelopes), and the
// TA1 segment, from their model values.
import type { SegmentOut } from '../write/serialize.js';
import type { ImplementationAcknowledgment, SituationalTrigger, Ta1 } from './model.js';

/** The 999 between ST and SE; `component` is the interchange's component separator (IK401, CTX). */
export function implementationAcknowledgmentBody(ack: ImplementationAcknowledgment, component: string): SegmentOut[] {
  const { functionalIdentifier, controlNumber, version } = ack.group;
  const body: SegmentOut[] = [['AK1', functionalIdentifier, controlNumber, version]];
  for (const set of ack.transactionSets) {
    body.push(['AK2', set.id, set.controlNumber, set.implementationReference]);
    for (const note of set.segments) {
      body.push(['IK3', note.segmentId, String(note.position), note.loopId, note.code]);
      for (const trigger of note.triggers) body.push(triggerSegment(trigger, component));
      if (note.businessUnit) body.push(['CTX', composite([note.businessUnit.name, note.businessUnit.value], component)]);
      for (const element of note.elements) {
        const position = composite([String(element.position), text(element.component), text(element.repetition)], component);
        body.push(['IK4', position, element.elementReference, element.code, element.badValue]);
        for (const trigger of element.triggers) body.push(triggerSegment(trigger, component));
      }
    }
    body.push(['IK5', set.status, ...set.codes]);
  }
  body.push(['AK9', ack.status, String(ack.included), String(ack.received), String(ack.accepted), ...ack.codes]);
  return body;
}

export function ta1Segment(ta1: Ta1): SegmentOut {
  return ['TA1', ta1.controlNumber, ta1.date, ta1.time, ta1.status, ta1.noteCode];
}

/** CTX*SITUATIONAL TRIGGER*segment*position*loop*element:component:repetition. */
function triggerSegment(trigger: SituationalTrigger, component: string): SegmentOut {
  const position = trigger.element === undefined ? undefined : [trigger.element, trigger.component, trigger.repetition].map(text);
  return [
    'CTX',
    'SITUATIONAL TRIGGER',
    trigger.segmentId,
    String(trigger.position),
    trigger.loopId,
    position && composite(position, component),
  ];
}

/** Components joined, trailing empty ones dropped. */
function composite(parts: (string | undefined)[], component: string): string {
  let last = parts.length;
  while (last > 0 && (parts[last - 1] ?? '') === '') last--;
  return parts
    .slice(0, last)
    .map((part) => part ?? '')
    .join(component);
}

function text(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}
