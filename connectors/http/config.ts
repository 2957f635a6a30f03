// What an http destination is configured with, and the checks the config loader runs on it once
// secrets are resolved (a URL the hub can call, headers it can send without clobbering its own).
import type { Issue } from '../../canonical-model/errors.js';

export interface HttpTlsConfig {
  /** PEM: the CA that signed the receiver's certificate, when not a public one. */
  ca?: string;
  /** PEM client certificate and key, for receivers that ask for one (mutual TLS). */
  cert?: string;
  key?: string;
  /** false accepts any server certificate (tests, never production). Default true. */
  rejectUnauthorized?: boolean;
}

export interface HttpDestinationConfig {
  id: string;
  /** http:// or https:// URL every delivery is sent to. */
  url: string;
  /** POST (default) or PUT. */
  method?: 'POST' | 'PUT';
  /** Extra request headers (Authorization…); values are secrets and never appear in errors. */
  headers?: Record<string, string>;
  /** The whole exchange, connection to the last byte of the response (default 30 s). */
  timeoutMs?: number;
  /** One request per canonical object instead of one per delivery. */
  perObject?: boolean;
  tls?: HttpTlsConfig;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Headers the hub sets itself on every request; a configured one would break idempotency or framing. */
export const HUB_HEADERS = [
  'idempotency-key',
  'content-type',
  'content-length',
  'transfer-encoding',
  'host',
  'connection',
  'user-agent',
  'claimhub-attempt',
];

// RFC 9110 §5.1 field-name token.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What is wrong with a destination's url, headers and tls, named under `at` (values never quoted). */
export function httpDestinationIssues(config: Omit<HttpDestinationConfig, 'id'>, at: string): Issue[] {
  const issues: Issue[] = [];
  let url: URL | undefined;
  try {
    url = new URL(config.url);
  } catch {
    issues.push({ path: `${at}.url`, rule: 'url', message: 'not a URL: write it as https://host[:port]/path' });
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:')
    issues.push({ path: `${at}.url`, rule: 'url', message: `${url.protocol} is not http: or https:` });
  if (url && (url.username || url.password))
    issues.push({
      path: `${at}.url`,
      rule: 'url-credentials',
      message: 'credentials go in headers (Authorization: "Basic env:NAME"), not in the URL',
    });
  if (url?.protocol === 'http:' && config.tls)
    issues.push({ path: `${at}.tls`, rule: 'tls-needs-https', message: 'tls settings apply to an https:// url' });
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    const path = `${at}.headers.${name}`;
    if (!HEADER_NAME.test(name)) issues.push({ path, rule: 'header-name', message: 'not a valid HTTP header name' });
    else if (HUB_HEADERS.includes(name.toLowerCase())) issues.push({ path, rule: 'header-reserved', message: `${name} is set by the hub` });
    // Checked after env:/file: are resolved: a secret with a line break would split the request.
    if (/[\r\n\0]/.test(value))
      issues.push({ path, rule: 'header-value', message: 'the value holds a line break or NUL (check the secret it names)' });
  }
  return issues;
}
