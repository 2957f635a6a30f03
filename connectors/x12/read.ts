// Reads X12 from a byte stream (a file, a request body), one chunk at a time: memory holds the
// chunk, the segment in progress and, for readX12, the transaction set being collected.
import type { EnvelopeHandlers } from './envelope-events.js';
import { EnvelopeReader } from './envelope.js';
import { Tokenizer } from './tokenizer.js';
import { TransactionSetCollector, type X12Event } from './transaction-sets.js';

/** Feeds every chunk of `source` through the tokenizer and the envelope reader into `handlers`. */
export async function streamX12(source: AsyncIterable<Buffer | string>, handlers: EnvelopeHandlers): Promise<void> {
  const envelope = new EnvelopeReader(handlers);
  const tokenizer = new Tokenizer((segment) => envelope.push(segment));
  for await (const chunk of source) tokenizer.push(chunk);
  tokenizer.end();
  envelope.end();
}

/** Reads a whole X12 text at once into `handlers` (inputs already in memory: a request body, a stored message). */
export function readX12Text(raw: string, handlers: EnvelopeHandlers): void {
  const envelope = new EnvelopeReader(handlers);
  const tokenizer = new Tokenizer((segment) => envelope.push(segment));
  tokenizer.push(raw);
  tokenizer.end();
  envelope.end();
}

/**
 * The events of an X12 input with whole transaction sets, in order, as its chunks arrive. When the
 * input turns unreadable (InterchangeHeaderError), the events before that point come out first.
 */
export async function* readX12(source: AsyncIterable<Buffer | string>): AsyncGenerator<X12Event> {
  let ready: X12Event[] = [];
  const envelope = new EnvelopeReader(new TransactionSetCollector((event) => ready.push(event)));
  const tokenizer = new Tokenizer((segment) => envelope.push(segment));
  const take = () => {
    const events = ready;
    ready = [];
    return events;
  };
  try {
    for await (const chunk of source) {
      tokenizer.push(chunk);
      if (ready.length > 0) yield* take();
    }
    tokenizer.end();
    envelope.end();
  } catch (error) {
    yield* take();
    throw error;
  }
  yield* take();
}
