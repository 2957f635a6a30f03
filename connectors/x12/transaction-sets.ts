// Whole transaction sets: collects each set's segments between its start and end events, for callers
// that want one set at a time (memory then grows with the largest set, not with the input).
import type { EnvelopeEvent, EnvelopeHandlers, TransactionSetEnd } from './envelope-events.js';
import { EnvelopeReader } from './envelope.js';
import type { Segment } from './segment.js';

/** A transaction set with its segments, ST through SE (through the last one read when SE is missing). */
export type TransactionSetEvent = Omit<TransactionSetEnd, 'kind'> & { kind: 'transaction-set'; segments: Segment[] };

/** The envelope events with each transaction set's start and end folded into one `transaction-set`. */
export type X12Event = Exclude<EnvelopeEvent, { kind: 'transaction-set-start' | 'transaction-set-end' }> | TransactionSetEvent;

export class TransactionSetCollector implements EnvelopeHandlers {
  private readonly emit: (event: X12Event) => void;
  private segments: Segment[] = [];

  constructor(emit: (event: X12Event) => void) {
    this.emit = emit;
  }

  onSegment(segment: Segment): void {
    this.segments.push(segment);
  }

  onEvent(event: EnvelopeEvent): void {
    if (event.kind === 'transaction-set-start') return;
    if (event.kind !== 'transaction-set-end') return this.emit(event);
    const segments = this.segments;
    this.segments = [];
    this.emit({ ...event, kind: 'transaction-set', segments });
  }
}

/** Every event of a list of segments, whole transaction sets included, in order. */
export function readEnvelopes(segments: Iterable<Segment>): X12Event[] {
  const events: X12Event[] = [];
  const reader = new EnvelopeReader(new TransactionSetCollector((event) => events.push(event)));
  for (const segment of segments) reader.push(segment);
  reader.end();
  return events;
}
