// HL7 v2 messages the hub tests and benchmarks send: the professional DFT^P03 fixture (MSH-4 NWMC,
// which the shipped billing-provider crosswalk knows) under a control id and visit number of the
// caller's, so each test sends its own message and claim.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROFESSIONAL = readFileSync(fileURLToPath(new URL('../fixtures/hl7v2/dft-p03-professional.hl7', import.meta.url)), 'utf8')
  .trim()
  .split(/\r\n|\r|\n/)
  .join('\r'); // segments end with CR on the wire

export function mappableDft(controlId: string, options: { amount?: string } = {}): string {
  let text = PROFESSIONAL.replace('|CHG000481|', `|${controlId}|`).replace('V20260302-07^', `V${controlId.slice(-18)}^`);
  if (options.amount) text = text.replace('185.00&USD|185.00&USD', `${options.amount}&USD|${options.amount}&USD`);
  return text;
}
