// A request that got no complete answer (refused or reset connection, DNS, TLS, timeout) as a
// retryable error an operator can read: `POST https://erp.example.net/hooks/claims: connection refused`.
// The receiver may or may not have taken the request; the retry carries the same Idempotency-Key.
import { TransientError } from '../../canonical-model/errors.js';

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME|ALTNAME/;

function what(code: string | undefined, error: Error, stage: 'request' | 'response body'): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return stage === 'request'
        ? 'the connection was closed before a response came'
        : 'the connection was closed while the response body was being read';
    case 'ENOTFOUND':
      return 'host not found (DNS)';
    case 'EAI_AGAIN':
      return 'DNS lookup failed (temporary)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'no connection (connect timeout)';
  }
  if (code && TLS_CODE.test(code)) return `TLS failure: ${error.message.split('\n')[0]} (${code})`;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

/**
 * `error` thrown while sending or reading (`stage`); `timeoutMs` set when the hub's own timer cut
 * the exchange off.
 */
export function transportFailure(where: string, error: unknown, stage: 'request' | 'response body', timeoutMs?: number): TransientError {
  if (timeoutMs !== undefined) {
    const during = stage === 'request' ? 'no response' : 'the response body was not complete';
    return new TransientError(`${where}: ${during} within ${timeoutMs} ms (timeout)`, { cause: error });
  }
  const failure = error instanceof Error ? error : new Error(String(error));
  const code = (failure as NodeJS.ErrnoException).code;
  return new TransientError(`${where}: ${what(code, failure, stage)}`, { cause: failure });
}
