// HL7 v2 batch payloads for intake: an FHS/BHS batch file, or messages one after another (as file
// drops often hold them), become one part per message, each stored, translated, acknowledged and
// replayed on its own. A payload of one message is not a batch. An envelope that cannot be read
// (BTS count wrong, FTS missing, a message without MSH) rejects the whole payload, located.
import { ClaimhubError } from '../../canonical-model/errors.js';
import type { Batch } from '../batch.js';
import { HL7_ACK_CONTENT_TYPE } from './ack.js';
import { readHl7Batch, type Hl7Batch } from './batch.js';
import { segmentLines } from './segments.js';

/** The batch in `raw`, or undefined for a single message. */
export function splitHl7(raw: string): Batch | undefined {
  if (!isBatch(raw)) return undefined;
  let read: Hl7Batch;
  try {
    read = readHl7Batch(raw);
  } catch (error) {
    if (!(error instanceof ClaimhubError)) throw error;
    return { format: 'hl7v2', messageType: 'batch', controlIds: {}, parts: [], rejection: error };
  }
  return {
    format: 'hl7v2',
    messageType: 'batch',
    controlIds: batchControlIds(read),
    parts: read.messages.map((message) => {
      const { messageType, triggerEvent, controlId } = message.header;
      const controlIds: Record<string, string> = controlId ? { controlId } : {};
      return {
        raw: message.text,
        contentType: HL7_ACK_CONTENT_TYPE,
        controlIds,
        messageType: messageType ? [messageType, triggerEvent].filter(Boolean).join('^') : null,
      };
    }),
  };
}

/** FHS/BHS first, or a second MSH: several messages. */
function isBatch(raw: string): boolean {
  const start = raw.trimStart().replace(/^\uFEFF/, '').slice(0, 3);
  if (start === 'FHS' || start === 'BHS') return true;
  if (start !== 'MSH') return false;
  let headers = 0;
  for (const line of segmentLines(raw)) {
    if (line.text.startsWith('MSH') && ++headers > 1) return true;
  }
  return false;
}

/** FHS-11 and BHS-11 (file and batch control ids), where the envelope has them. */
function batchControlIds(batch: Hl7Batch): Record<string, string> {
  const ids: Record<string, string> = {};
  const file = batch.fileHeader?.fields[11];
  if (file) ids.file = file;
  const batches = batch.batches.flatMap((group) => (group.header?.fields[11] ? [group.header.fields[11]] : []));
  if (batches.length === 1) ids.batch = batches[0];
  else if (batches.length > 1) ids.batches = batches.join(',');
  return ids;
}
