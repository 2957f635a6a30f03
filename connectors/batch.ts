// Inbound batches: formats whose one payload carries several messages (an X12 interchange with its
// transaction sets; an HL7 FHS/BHS batch file or several messages one after another). Intake stores the payload as a parent message and each
// part as a child message of its own, so parts are translated, routed, failed and replayed one by one.
// What a part's envelope already rejects arrives here with its reason and is never translated.
import type { ClaimhubError } from '../canonical-model/errors.js';
import { detectFormat } from './detect.js';
import { splitHl7 } from './hl7v2/inbound.js';
import { splitX12 } from './x12/inbound.js';

export interface BatchPart {
  /** The part as a self-contained message (what is stored, translated and replayed). */
  raw: string;
  contentType: string;
  /** Control numbers that identify the part: `{ interchange, group, transactionSet }`. */
  controlIds: Record<string, string>;
  /** What the part is (`837P`, `835`…), as far as the envelope tells. */
  messageType: string | null;
  /** Set when the part's envelope is rejected: the part is stored failed with this error. */
  rejection?: ClaimhubError;
}

export interface Batch {
  /** Mapping source format of the parts (`x12`). */
  format: string;
  /** What the parent message is (`interchange`). */
  messageType: string;
  controlIds: Record<string, string>;
  parts: BatchPart[];
  /** The protocol answer to the whole payload, made before anything is stored (999/TA1); absent when it depends on each part's translation (HL7, see Acknowledger.acknowledgeBatch). */
  acknowledgement?: { contentType: string; text: string };
  /** Set when the payload cannot be read at all (an X12 ISA that cannot be parsed): no parts, stored failed. */
  rejection?: ClaimhubError;
}

/** Reads batch formats; answers undefined for payloads that are one message. Throws ParseError when the payload is unreadable. */
export type BatchSplitter = (raw: string, contentType?: string) => Promise<Batch | undefined>;

export interface BatchSplitterOptions {
  /** Reserves `count` consecutive control numbers of a counter (for the acknowledgements the hub sends). */
  nextControlNumbers?: (name: string, count: number) => Promise<number[]>;
}

export function batchSplitter(options: BatchSplitterOptions = {}): BatchSplitter {
  return async (raw, contentType) => {
    const format = detectFormat(raw, contentType);
    if (format === 'hl7v2') return splitHl7(raw);
    if (format !== 'x12') return undefined;
    return splitX12(raw, options);
  };
}
