// HL7 v2 acknowledgements (original mode): an ACK message with MSA (AA accepted, AE content error,
// AR rejected) and one ERR segment per error, addressed back to the sender (MSH-3/4 ↔ MSH-5/6) in
// the sender's version and separators. ERR is written as v2.5+ defines it (ERR-2 location, ERR-3
// HL7 error code from table 0357, ERR-4 severity, ERR-5 claimhub's rule, ERR-8 the message); to a
// v2.3/2.4 sender, which only knows ERR-1, as ERR-1 (segment^sequence^field^code).
import { randomBytes } from 'node:crypto';
import type { EncodingCharacters } from './encoding.js';
import type { MessageHeader } from './header.js';

export type AckCode = 'AA' | 'AE' | 'AR';

/** HL7 table 0357, message error condition codes. */
export const HL7_ERROR_CODES = {
  100: 'Segment sequence error',
  101: 'Required field missing',
  102: 'Data type error',
  103: 'Table value not found',
  200: 'Unsupported message type',
  201: 'Unsupported event code',
  202: 'Unsupported processing id',
  203: 'Unsupported version id',
  204: 'Unknown key identifier',
  205: 'Duplicate key identifier',
  206: 'Application record locked',
  207: 'Application internal error',
} as const;

export type Hl7ErrorCode = keyof typeof HL7_ERROR_CODES;

/** ERL: where an error sits. Sequence is the occurrence of the segment id (the 2nd FT1 is FT1 sequence 2). */
export interface ErrorLocation {
  segment: string;
  sequence?: number;
  field?: number;
  repetition?: number;
  component?: number;
  subcomponent?: number;
}

export interface AckError {
  code: Hl7ErrorCode;
  location?: ErrorLocation;
  severity: 'E' | 'W' | 'I';
  /** claimhub's rule name (ERR-5, coding system 99CLAIMHUB). */
  rule?: string;
  message: string;
}

/** What the ACK answers: the original's header and separators, when its MSH could be read. */
export interface AckedMessage {
  header: MessageHeader;
  encoding: EncodingCharacters;
}

export interface AckOptions {
  code: AckCode;
  /** MSA-3 (to senders before v2.7) and the ERR-8 of a code without errors. */
  text?: string;
  errors?: AckError[];
  now?: Date;
  /** MSH-10 of the ACK itself; a fresh 20-character id when absent. */
  controlId?: string;
  /** MSH-3/MSH-4 of the ACK when the original named no receiver. */
  hub?: { application: string; facility: string };
}

export const HL7_ACK_CONTENT_TYPE = 'x-application/hl7-v2+er7';
const STANDARD: EncodingCharacters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&', truncation: null };
const DEFAULT_VERSION = '2.5.1';
/** At most this many ERR segments: the rest are in the stored error, one GET away. */
const MAX_ERRORS = 10;
/** ERR-8 is TX of 250 characters in v2.5, MSA-3 ST of 80. */
const ERR_TEXT_MAX = 250;
const MSA_TEXT_MAX = 80;

/** The ACK message (segments joined with CR, no trailing CR) answering `original`, or a message whose MSH could not be read. */
export function buildAck(original: AckedMessage | undefined, options: AckOptions): string {
  const encoding = original?.encoding ?? STANDARD;
  const header = original?.header;
  const version = header?.version || DEFAULT_VERSION;
  const { field: f, component: c } = encoding;
  const esc = (value: string) => escapeHl7(value, encoding);
  const hub = options.hub ?? { application: 'CLAIMHUB', facility: '' };
  const designator = (d: MessageHeader['sendingApplication'] | undefined, fallback: string) =>
    d && (d.namespaceId || d.universalId) ? [d.namespaceId, d.universalId, d.universalIdType].map(esc).join(c).replace(new RegExp(`\\${c}+$`), '') : esc(fallback);
  const msh = [
    'MSH',
    encoding.component + encoding.repetition + encoding.escape + encoding.subcomponent + (encoding.truncation ?? ''),
    designator(header?.receivingApplication, hub.application),
    designator(header?.receivingFacility, hub.facility),
    designator(header?.sendingApplication, ''),
    designator(header?.sendingFacility, ''),
    hl7Timestamp(options.now ?? new Date()),
    '',
    ['ACK', esc(header?.triggerEvent ?? ''), 'ACK'].join(c),
    options.controlId ?? newControlId(),
    esc(header?.processingId || 'P'),
    esc(version),
  ].join(f);
  const legacy = versionBefore(version, 2, 5);
  const errors = (options.errors ?? []).slice(0, MAX_ERRORS);
  const msaText = versionBefore(version, 2, 7) ? esc(truncate(options.text ?? errors[0]?.message ?? '', MSA_TEXT_MAX)) : '';
  const msa = ['MSA', options.code, esc(header?.controlId ?? ''), msaText].join(f).replace(new RegExp(`\\${f}+$`), '');
  const err = errors.map((error) => (legacy ? legacyErr(error, encoding) : errSegment(error, encoding)));
  return [msh, msa, ...err].join('\r');
}

/** v2.5+: ERR|ERR-1 (empty)|ERR-2 location|ERR-3 code|ERR-4 severity|ERR-5 rule|||ERR-8 message. */
function errSegment(error: AckError, encoding: EncodingCharacters): string {
  const { field: f, component: c } = encoding;
  const esc = (value: string) => escapeHl7(value, encoding);
  const location = error.location ? locationComponents(error.location).join(c) : '';
  const code = [String(error.code), HL7_ERROR_CODES[error.code], 'HL70357'].join(c);
  const rule = error.rule ? [esc(error.rule), '', '99CLAIMHUB'].join(c) : '';
  return ['ERR', '', location, code, error.severity, rule, '', '', esc(truncate(error.message, ERR_TEXT_MAX))].join(f);
}

/** v2.3/2.4: ERR-1 is one CM: segment^sequence^field^code&text&table (the message goes in MSA-3). */
function legacyErr(error: AckError, encoding: EncodingCharacters): string {
  const { field: f, component: c, subcomponent: s } = encoding;
  const place = error.location ? locationComponents(error.location).slice(0, 3) : ['', '', ''];
  while (place.length < 3) place.push('');
  return ['ERR', [...place, [String(error.code), HL7_ERROR_CODES[error.code], 'HL70357'].join(s)].join(c)].join(f);
}

function locationComponents(location: ErrorLocation): string[] {
  const parts = [
    location.segment,
    location.sequence === undefined ? '' : String(location.sequence),
    location.field === undefined ? '' : String(location.field),
    location.repetition === undefined ? '' : String(location.repetition),
    location.component === undefined ? '' : String(location.component),
    location.subcomponent === undefined ? '' : String(location.subcomponent),
  ];
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** A value with the message's own separators written as escape sequences (\F\ \S\ \T\ \R\ \E\). */
export function escapeHl7(value: string, encoding: EncodingCharacters): string {
  let out = '';
  for (const char of value) {
    if (char === encoding.escape) out += `${encoding.escape}E${encoding.escape}`;
    else if (char === encoding.field) out += `${encoding.escape}F${encoding.escape}`;
    else if (char === encoding.component) out += `${encoding.escape}S${encoding.escape}`;
    else if (char === encoding.subcomponent) out += `${encoding.escape}T${encoding.escape}`;
    else if (char === encoding.repetition) out += `${encoding.escape}R${encoding.escape}`;
    else if (char === '\r' || char === '\n') out += ' ';
    else out += char;
  }
  return out;
}

/** YYYYMMDDHHMMSS+ZZZZ in UTC (DTM). */
function hl7Timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:T]/g, '')}+0000`;
}

/** 20 hex characters: fits MSH-10 (ST 20) in every version. */
function newControlId(): string {
  return randomBytes(10).toString('hex').toUpperCase();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** True when `version` (e.g. `2.4`, `2.5.1`) is older than major.minor; an unreadable version counts as current. */
function versionBefore(version: string, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [vMajor, vMinor] = [Number(match[1]), Number(match[2])];
  return vMajor < major || (vMajor === major && vMinor < minor);
}
