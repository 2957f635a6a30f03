// The answer to an input whose ISA the reader refused (InterchangeHeaderError). A TA1 must echo
// ISA13, ISA09 and ISA10 and go back to the sender, so: when the header's sixteen fields can still
// be told apart by its element separator and those values are well formed, a TA1 R with the
// reader's note code; otherwise no TA1 at all, and an UnanswerableInterchangeError for the caller.
import type { InterchangeHeaderError } from '../errors.js';
import { DEFAULT_DELIMITERS } from '../write/serialize.js';
import { UnanswerableInterchangeError } from './errors.js';
import { writeReply, type AckControlNumbers, type AckOptions, type AcknowledgementReply } from './reply.js';

/** Wider than any ISA field (15): a longer run between separators means the fields are not there. */
const MAX_FIELD = 20;

/**
 * `input` is the text the reader was given (at least through the refused header): the error's
 * offset points into it. The reply is written in the default delimiters, since the sender's may be
 * what was wrong.
 */
export function acknowledgeUnreadableInterchange(
  error: InterchangeHeaderError,
  input: string,
  numbers: Pick<AckControlNumbers, 'interchange'>,
  options: AckOptions,
): AcknowledgementReply {
  const fields = isaFields(input, error.offset);
  if (fields === null) throw new UnanswerableInterchangeError(`no ISA fields can be told apart at line ${error.line}`, error);
  const [, , , , senderQualifier, senderId, receiverQualifier, receiverId, date, time, , , controlNumber, , usage] = fields.map((field) =>
    field.trim(),
  );
  if (!/^[0-9]{9}$/.test(controlNumber) || !/^[0-9]{6}$/.test(date) || !/^[0-9]{4}$/.test(time))
    throw new UnanswerableInterchangeError(`ISA13 "${controlNumber}", ISA09 "${date}" or ISA10 "${time}" cannot be echoed`, error);
  if (senderId === '' || receiverId === '' || senderQualifier.length !== 2 || receiverQualifier.length !== 2)
    throw new UnanswerableInterchangeError('the ISA does not say who sent it to whom (ISA05 to ISA08)', error);
  const parties = {
    senderQualifier: receiverQualifier,
    senderId: receiverId,
    receiverQualifier: senderQualifier,
    receiverId: senderId,
    usage: usage === 'T' ? ('T' as const) : ('P' as const),
  };
  const ta1 = { controlNumber, date, time, status: 'R' as const, noteCode: error.ta1NoteCode };
  return writeReply({ parties, ta1, group: null }, numbers.interchange, DEFAULT_DELIMITERS, options);
}

/** ISA01–ISA15 cut at the separator after `ISA`, whatever their widths; null when there are not fifteen. */
function isaFields(input: string, start: number): string[] | null {
  if (!input.startsWith('ISA', start)) return null;
  const separator = input.charAt(start + 3);
  if (!/^[^A-Za-z0-9\s]$/.test(separator)) return null;
  const fields: string[] = [];
  let at = start + 4;
  while (fields.length < 15) {
    const next = input.indexOf(separator, at);
    if (next === -1 || next - at > MAX_FIELD) return null;
    fields.push(input.slice(at, next));
    at = next + 1;
  }
  return fields;
}
