// HTTP destination (a receiver's webhook or API): each delivery as one JSON document POSTed (or PUT)
// to a URL, or one request per canonical object (`perObject`). Every request carries an
// Idempotency-Key stable across retries, replays and recoveries — the delivery's key, or
// `<key>.<seq>` per object — and the receiver de-duplicates on it: a retry after a timeout or a
// reset, and in perObject mode every object accepted before a failure, is sent again under the
// same key.
//
// Transport: undici's request() on a keep-alive Agent of its own (the undici package, the library
// behind Node's fetch). An Agent is what TLS settings (private CA, client certificate) need, and it
// must come from the undici that runs the request; request() also skips fetch's browser rules (its
// "bad port" list refuses ports such as 6000 or 6665–6669 a receiver may well listen on).
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { DeliveryRefusedError, TransientError } from '../../canonical-model/errors.js';
import type { Delivery, Destination } from '../destination.js';
import { DEFAULT_TIMEOUT_MS, type HttpDestinationConfig } from './config.js';
import { deliveryDocument, objectBody, objectIdempotencyKey } from './document.js';
import { transportFailure } from './errors.js';
import { displayUrl, failureOf, receiptOf, RECEIPT_BODY_BYTES, type HttpAnswer, type HttpReceipt } from './response.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const USER_AGENT = `claimhub/${version}`;

/** Bytes of a response read: enough for a receipt (4 KB) and for a problem document with its errors. */
const READ_LIMIT_BYTES = 16 * RECEIPT_BODY_BYTES;
/** Connections are opened within this, or the whole timeout when it is shorter. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface HttpPerObjectReceipt {
  objects: (HttpReceipt & { seq: number })[];
}

/** One request to make: its document, key, and how errors name it. */
interface Outgoing {
  body: string;
  key: string;
  /** Path of the sent object(s) in issues: `$` for the delivery, `$[i]` for object i. */
  path: string;
  /** Added to error messages: which object, what was accepted before it. */
  label: string;
  note: string;
}

export class HttpDestination implements Destination {
  readonly type = 'http';
  readonly id: string;
  private readonly url: URL;
  private readonly method: 'POST' | 'PUT';
  private readonly timeoutMs: number;
  /** `POST https://host/path`: the start of every error message (no credentials, no query). */
  private readonly where: string;
  private readonly agent: Agent;

  constructor(private readonly config: HttpDestinationConfig) {
    this.id = config.id;
    this.url = new URL(config.url);
    this.method = config.method ?? 'POST';
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.where = `${this.method} ${displayUrl(this.url)}`;
    const { ca, cert, key, rejectUnauthorized } = config.tls ?? {};
    this.agent = new Agent({
      connect: { timeout: Math.min(CONNECT_TIMEOUT_MS, this.timeoutMs), ca, cert, key, rejectUnauthorized },
      // The hub's timer bounds the whole exchange; undici's own timers only as a backstop.
      headersTimeout: this.timeoutMs + 1_000,
      bodyTimeout: this.timeoutMs + 1_000,
    });
  }

  async deliver(delivery: Delivery): Promise<HttpReceipt | HttpPerObjectReceipt> {
    if (!this.config.perObject) {
      const body = JSON.stringify(deliveryDocument(delivery));
      return this.send({ body, key: delivery.idempotencyKey, path: '$', label: '', note: '' }, delivery.attempt);
    }
    const count = delivery.objects.length;
    const objects: HttpPerObjectReceipt['objects'] = [];
    for (const [index, object] of delivery.objects.entries()) {
      const key = objectIdempotencyKey(delivery, object);
      const outgoing = {
        body: JSON.stringify(objectBody(delivery, object)),
        key,
        path: `$[${index}]`,
        label: ` (object ${index + 1} of ${count}, Idempotency-Key ${key})`,
        note:
          index > 0
            ? `; the ${index} object(s) before it were accepted and are sent again, same Idempotency-Keys, on a retry or replay`
            : '',
      };
      objects.push({ seq: object.seq, ...(await this.send(outgoing, delivery.attempt)) });
    }
    return { objects };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** One request and its answer: a receipt for 2xx, a TransientError or DeliveryRefusedError otherwise. */
  private async send(outgoing: Outgoing, attempt: number): Promise<HttpReceipt> {
    const where = this.where + outgoing.label;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    let answer: HttpAnswer;
    try {
      const response = await request(this.url, {
        method: this.method,
        headers: {
          ...this.config.headers,
          'content-type': 'application/json',
          'idempotency-key': outgoing.key,
          'user-agent': USER_AGENT,
          'claimhub-attempt': String(attempt),
        },
        body: outgoing.body,
        dispatcher: this.agent,
        signal: controller.signal,
      }).catch((error: unknown) => {
        throw transportFailure(where, error, 'request', timedOut ? this.timeoutMs : undefined);
      });
      const { body, complete } = await readUpTo(response.body, READ_LIMIT_BYTES).catch((error: unknown) => {
        throw transportFailure(where, error, 'response body', timedOut ? this.timeoutMs : undefined);
      });
      answer = { status: response.statusCode, headers: response.headers, body, complete };
    } catch (error) {
      throw withNote(error, outgoing.note);
    } finally {
      clearTimeout(timer);
    }
    if (answer.status >= 200 && answer.status < 300) return receiptOf(answer);
    throw withNote(failureOf(answer, where, outgoing.path), outgoing.note);
  }
}

/** The first `limit` bytes of a body; the rest is not read (the connection is then closed, not reused). */
async function readUpTo(body: AsyncIterable<Buffer>, limit: number): Promise<{ body: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) return { body: Buffer.concat(chunks).subarray(0, limit), complete: false };
  }
  return { body: Buffer.concat(chunks), complete: true };
}

/** The same error with `note` appended to its message (per-object mode: what was accepted before). */
function withNote(error: unknown, note: string): unknown {
  if (!note) return error;
  if (error instanceof TransientError)
    return new TransientError(error.message + note, { cause: error.cause, retryAfterMs: error.retryAfterMs });
  if (error instanceof DeliveryRefusedError) return new DeliveryRefusedError(error.message + note, error.issues, { cause: error.cause });
  return error;
}
