// Tells which wire format a payload is in, from its first bytes, with Content-Type as a hint:
// sources mislabel their payloads often enough that the content has the last word.

export type WireFormat = 'fhir-json' | 'x12' | 'hl7v2' | 'unknown';

const BOM = '\uFEFF';

/** Content-Type (without parameters) → the format it announces. */
const CONTENT_TYPES: Record<string, WireFormat> = {
  'application/fhir+json': 'fhir-json',
  'application/json+fhir': 'fhir-json', // DSTU2-era spelling, still sent by older clients
  'application/json': 'fhir-json',
  'application/edi-x12': 'x12',
  'application/x12': 'x12',
  'x-application/hl7-v2+er7': 'hl7v2',
  'application/hl7-v2': 'hl7v2',
  'application/hl7-v2+er7': 'hl7v2',
  'application/x-hl7': 'hl7v2',
};

/**
 * The format of `raw`. Leading whitespace and a byte-order mark are ignored. When the content
 * says nothing recognisable, a known Content-Type decides (a JSON body that is not an object, an
 * HL7 file with a stray first line); otherwise `unknown`.
 */
export function detectFormat(raw: string, contentType?: string): WireFormat {
  return sniff(raw) ?? hintedFormat(contentType) ?? 'unknown';
}

function sniff(raw: string): WireFormat | undefined {
  let start = 0;
  while (start < raw.length && (raw[start] === BOM || isWhitespace(raw.charCodeAt(start)))) start++;
  const head = raw.slice(start, start + 3);
  if (head.startsWith('{')) return 'fhir-json';
  if (head === 'ISA') return 'x12';
  if (head === 'MSH' || head === 'FHS' || head === 'BHS') return 'hl7v2';
  return undefined;
}

function hintedFormat(contentType: string | undefined): WireFormat | undefined {
  if (!contentType) return undefined;
  const mediaType = contentType.split(';', 1)[0].trim().toLowerCase();
  return CONTENT_TYPES[mediaType];
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0b || code === 0x0c;
}
