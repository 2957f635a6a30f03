// The application logger: JSON lines (pino). Message payloads and canonical objects are never
// logged; the redact list is a second line of defence should one slip into a log call.
import { pino, type Logger } from 'pino';

const PHI_PATHS = [
  'raw',
  '*.raw',
  'body',
  '*.body',
  'canonical',
  '*.canonical',
  'patient',
  '*.patient',
  'subscriber',
  '*.subscriber',
  'memberId',
  '*.memberId',
  'birthDate',
  '*.birthDate',
  'name',
  '*.name',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
];

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'claimhub' }, redact: { paths: PHI_PATHS, censor: '[redacted]' } });
}
