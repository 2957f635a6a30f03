// A throwaway self-signed certificate for localhost / 127.0.0.1 (openssl, EC P-256, one day), for
// tests of TLS listeners and clients.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Writes key.pem and cert.pem into `folder`; returns their paths. */
export function selfSignedCertificate(folder: string): { key: string; cert: string } {
  const [key, cert] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' }); // prettier-ignore
  return { key, cert };
}
