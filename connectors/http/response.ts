// What a receiver's answer means (issue 5, item 2): 2xx delivered (a receipt to record); 408, 409,
// 425, 429 and 5xx worth retrying, after Retry-After when given; 3xx and other 4xx refused for good.
// Pure functions of the status, headers and the first bytes of the body.
import { STATUS_CODES } from 'node:http';
import { DeliveryRefusedError, TransientError, type ClaimhubError, type Issue } from '../../canonical-model/errors.js';

/** A response as read: the body is its first `limit` bytes; `complete` says nothing was cut off. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  complete: boolean;
}

export interface HttpReceipt {
  status: number;
  /** Location, ETag, X-Request-Id when the receiver sent them. */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON and fits in RECEIPT_BODY_BYTES, else its text, cut there. */
  body?: unknown;
  bodyTruncated?: true;
}

export const RECEIPT_BODY_BYTES = 4096;
const EXCERPT_CHARS = 300;
const RECEIPT_HEADERS = ['location', 'etag', 'x-request-id'];

/**
 * Retryable statuses. 409 among them: the Idempotency-Key header's specification
 * (draft-ietf-httpapi-idempotency-key-header §2.6) answers 409 to a request whose key is still
 * being processed, which is what a retry after a timeout meets.
 */
const RETRYABLE = new Set([408, 409, 425, 429]);

function header(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const isJson = (answer: HttpAnswer) => /^application\/([\w.-]+\+)?json\b/i.test(header(answer, 'content-type') ?? '');

function parsedJson(answer: HttpAnswer): unknown {
  if (!answer.complete || !isJson(answer)) return undefined;
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Text of at most `max` characters on one line, marked when cut. */
function excerpt(text: string, max = EXCERPT_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function receiptOf(answer: HttpAnswer): HttpReceipt {
  const headers = Object.fromEntries(RECEIPT_HEADERS.flatMap((name) => (header(answer, name) ? [[name, header(answer, name)!]] : [])));
  const receipt: HttpReceipt = { status: answer.status, headers };
  if (answer.body.length === 0) return receipt;
  const json = parsedJson(answer);
  if (json !== undefined) return { ...receipt, body: json };
  const text = answer.body.subarray(0, RECEIPT_BODY_BYTES).toString('utf8');
  return answer.complete && answer.body.length <= RECEIPT_BODY_BYTES
    ? { ...receipt, body: text }
    : { ...receipt, body: text, bodyTruncated: true };
}

/** Retry-After (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds or an HTTP-date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** An RFC 9457 problem document's title, detail and `errors` extension as issues. */
function problemIssues(problem: Record<string, unknown>, path: string, rule: string): Issue[] {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? excerpt(value) : undefined);
  const summary = [text(problem.title), text(problem.detail)].filter(Boolean).join(': ');
  const listed = Array.isArray(problem.errors) ? problem.errors.slice(0, 20) : [];
  const issues = listed.flatMap((item): Issue[] => {
    if (typeof item === 'string') return [{ path, rule, message: excerpt(item) }];
    if (!item || typeof item !== 'object') return [];
    const fields = item as Record<string, unknown>;
    const message = text(fields.detail) ?? text(fields.message) ?? text(fields.title);
    const where = text(fields.pointer) ?? text(fields.path) ?? text(fields.field);
    return message ? [{ path: where ?? path, rule, message }] : [];
  });
  return summary ? [{ path, rule, message: summary }, ...issues] : issues;
}

/** What the receiver said, in a few words: a problem's title/detail, else the start of the body. */
function said(answer: HttpAnswer): string {
  const json = parsedJson(answer);
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const problem = json as Record<string, unknown>;
    const words = [problem.title, problem.detail].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    if (words.length > 0) return excerpt(words.join(': '));
  }
  return excerpt(answer.body.toString('utf8'));
}

/**
 * The error a non-2xx answer becomes. `where` is `METHOD url` (no credentials, no query), `path`
 * the place in the sent documents the answer is about (`$`, or `$[2]` for one object's request).
 */
export function failureOf(answer: HttpAnswer, where: string, path: string, now = Date.now()): ClaimhubError {
  const { status } = answer;
  const statusLine = `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const words = said(answer);
  const tail = words ? `: ${words}` : '';
  const rule = `http-${status}`;
  if (status >= 500 || RETRYABLE.has(status)) {
    const wait = retryAfterMs(header(answer, 'retry-after'), now);
    const after = wait === undefined ? '' : ` (Retry-After ${Math.ceil(wait / 1000)} s)`;
    return new TransientError(`${where}: ${statusLine}${after}${tail}`, wait === undefined ? {} : { retryAfterMs: wait });
  }
  if (status >= 300 && status < 400) {
    const location = header(answer, 'location');
    const to = location ? ` to ${displayLocation(location, where)}` : '';
    const message = `${where}: ${statusLine}${to}; redirects are not followed for ${where.split(' ')[0]}: correct the destination's url`;
    return new DeliveryRefusedError(message, [{ path, rule: 'http-redirect', message: `${statusLine}${to}` }]);
  }
  const json = parsedJson(answer);
  const issues = json && typeof json === 'object' && !Array.isArray(json) ? problemIssues(json as Record<string, unknown>, path, rule) : [];
  if (issues.length === 0) issues.push({ path, rule, message: words || statusLine });
  return new DeliveryRefusedError(`${where}: refused with ${statusLine}${tail}`, issues);
}

/** A URL as it may appear in messages: scheme, host, port and path; no user info, no query or fragment. */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}

function displayLocation(location: string, where: string): string {
  try {
    return displayUrl(new URL(location, where.slice(where.indexOf(' ') + 1)));
  } catch {
    return excerpt(location, 120);
  }
}
