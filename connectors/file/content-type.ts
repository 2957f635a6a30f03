// The Content-Type a picked-up file is handed to the intake with: the content decides (as it does
// for HTTP bodies), the file extension is the hint when the content says nothing recognisable.
import { extname } from 'node:path';
import { detectFormat, type WireFormat } from '../detect.js';

const BY_EXTENSION: Record<string, string> = {
  '.json': 'application/fhir+json',
  '.x12': 'application/edi-x12',
  '.edi': 'application/edi-x12',
  '.837': 'application/edi-x12',
  '.835': 'application/edi-x12',
  '.278': 'application/edi-x12',
  '.hl7': 'x-application/hl7-v2+er7',
};

const BY_FORMAT: Record<Exclude<WireFormat, 'unknown'>, string> = {
  'fhir-json': 'application/fhir+json',
  x12: 'application/edi-x12',
  hl7v2: 'x-application/hl7-v2+er7',
};

export function contentTypeOf(fileName: string, raw: string): string | undefined {
  const format = detectFormat(raw, BY_EXTENSION[extname(fileName).toLowerCase()]);
  return format === 'unknown' ? undefined : BY_FORMAT[format];
}
