// HL7 escape sequences inside a field value (v2.x chapter 2, "Use of escape sequences"):
//   \F\ \S\ \T\ \R\ \E\  the field, component, subcomponent, repetition and escape characters
//   \P\                  the truncation character (v2.7+, when MSH-2 declares one)
//   \Xhh…\               hexadecimal bytes, decoded as UTF-8 (ASCII-compatible; MSH-18 is not consulted)
//   \H\ \N\              start/end highlighting: dropped, a display hint with no meaning for claim data
// Any other sequence (\.br\, \Cxxyy\, \Mxxyyzz\, \Zxx\) and an escape character without a closing one
// are kept as written, so nothing a sender meant is lost.
import type { EncodingCharacters } from './encoding.js';

const utf8 = new TextDecoder('utf-8');

/** The value with its escape sequences replaced; the same string when it holds no escape character. */
export function unescapeHl7(value: string, encoding: EncodingCharacters): string {
  const escape = encoding.escape;
  let start = value.indexOf(escape);
  if (start === -1) return value;
  let decoded = '';
  let from = 0;
  while (start !== -1) {
    const end = value.indexOf(escape, start + 1);
    if (end === -1) break;
    const replacement = sequenceValue(value.slice(start + 1, end), encoding);
    decoded += value.slice(from, start) + (replacement ?? value.slice(start, end + 1));
    from = end + 1;
    start = value.indexOf(escape, from);
  }
  return decoded + value.slice(from);
}

/** What one sequence (the text between two escape characters) stands for; null to keep it as written. */
function sequenceValue(sequence: string, encoding: EncodingCharacters): string | null {
  switch (sequence) {
    case 'F':
      return encoding.field;
    case 'S':
      return encoding.component;
    case 'T':
      return encoding.subcomponent;
    case 'R':
      return encoding.repetition;
    case 'E':
      return encoding.escape;
    case 'P':
      return encoding.truncation;
    case 'H':
    case 'N':
      return '';
  }
  if (sequence.length > 1 && sequence[0] === 'X' && /^X(?:[0-9A-Fa-f]{2})+$/.test(sequence)) {
    return utf8.decode(Buffer.from(sequence.slice(1), 'hex'));
  }
  return null;
}
