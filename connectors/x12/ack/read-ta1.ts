// Reads the TA1 segments of received interchanges. The envelope reader does not hand TA1s on (they
// sit between ISA and GS), so this reads the tokenizer's segments.
import type { Segment } from '../segment.js';
import { AcknowledgmentReadError } from './errors.js';
import type { Ta1 } from './model.js';

/** A TA1 received, with the ISA13 of the interchange that carried it. */
export interface ReceivedTa1 {
  interchangeControlNumber: string;
  ta1: Ta1;
}

/** Every TA1 in `segments` (tokenize() of one or more interchanges), in order. */
export function readTa1s(segments: Iterable<Segment>): ReceivedTa1[] {
  const found: ReceivedTa1[] = [];
  let interchangeControlNumber: string | null = null;
  for (const segment of segments) {
    if (segment.id === 'ISA') interchangeControlNumber = segment.elements[12] ?? '';
    if (segment.id !== 'TA1') continue;
    const place = { segmentId: 'TA1', position: segment.position };
    if (interchangeControlNumber === null) throw new AcknowledgmentReadError('TA1 outside any interchange', place, 'outside-interchange');
    const [controlNumber = '', date = '', time = '', status = '', noteCode = ''] = segment.elements;
    if (status !== 'A' && status !== 'E' && status !== 'R')
      throw new AcknowledgmentReadError(`TA104 "${status}" is not A, E or R`, { ...place, element: 4 }, 'code');
    if (!/^[0-9]{9}$/.test(controlNumber))
      throw new AcknowledgmentReadError(
        `TA101 "${controlNumber}" is not an interchange control number`,
        { ...place, element: 1 },
        'control-number',
      );
    if (!/^[0-9]{3}$/.test(noteCode))
      throw new AcknowledgmentReadError(`TA105 "${noteCode}" is not a note code`, { ...place, element: 5 }, 'code');
    found.push({ interchangeControlNumber, ta1: { controlNumber, date, time, status, noteCode } });
  }
  return found;
}
