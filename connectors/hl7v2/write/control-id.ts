// MSH-10 of a delivered object, stable across retries, replays and recoveries: a receiver that
// de-duplicates on MSH-10 recognises a resend. A digest of the delivery's idempotency key (which
// names the message and the destination) followed by the object's seq, within MSH-10's 20 characters.
import { createHash } from 'node:crypto';

/** MSH-10 is ST(20) in v2.5.1. */
export const MAX_CONTROL_ID_LENGTH = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let text = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += BASE32[(value >> bits) & 31];
    }
  }
  return text;
}

/** `<digest of idempotencyKey>-<seq>`, e.g. `MFRGGZDFMZTWQ2L-3`: the digest takes what the seq leaves of 20 characters. */
export function messageControlId(idempotencyKey: string, seq: number): string {
  const suffix = `-${seq}`;
  const digest = base32(createHash('sha256').update(idempotencyKey).digest());
  return digest.slice(0, MAX_CONTROL_ID_LENGTH - suffix.length) + suffix;
}
