// Why an SFTP source cannot work: the server is unreachable or refuses (retried with backoff, the
// files wait on the server), or it shows a host key other than the configured one (refused, loudly).
import { ConfigError } from '../../canonical-model/errors.js';
import { FolderUnavailableError } from '../file/drop-folder.js';

/** The server's host key does not match `hostFingerprint`: nothing is read or sent (a moved server, or interception). */
export class HostKeyMismatchError extends ConfigError {}

export function hostKeyMismatch(location: string, expected: string, presented: string): HostKeyMismatchError {
  return new HostKeyMismatchError(`${location}: the server's host key is ${presented}, not the configured ${expected}`, [
    { path: 'hostFingerprint', rule: 'host-key', message: `the server presented ${presented}` },
  ]);
}

export function sftpUnavailable(location: string, what: string, error: unknown): FolderUnavailableError {
  const { code, message } = error as { code?: unknown; message?: string };
  return new FolderUnavailableError(`${location}: cannot ${what}: ${message ?? String(error)}${code ? ` (${String(code)})` : ''}`, {
    cause: error,
  });
}
