// A remote system that receives deliveries over HTTP(S) on 127.0.0.1 the way a real one does: it
// wants a bearer token (401 problem+json without), records every request, accepts a document once
// per Idempotency-Key (a request repeating an accepted key gets 200 and the first answer, and is not
// counted again), and otherwise answers what the test scripts: any status, headers and body, late,
// or by cutting the connection before or in the middle of its answer.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

export interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Send the headers and part of the body, then reset the connection (after accepting a 2xx). */
  cut?: 'before-answer' | 'mid-body';
  /** Send the headers, then the body this many ms later. */
  bodyDelayMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  key?: string;
  raw: string;
  document: Record<string, unknown>;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class FakeReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Accepted documents by Idempotency-Key, with the answer first given. */
  readonly accepted = new Map<string, { document: Record<string, unknown>; answer: Answer }>();
  readonly script: Scripted[] = [];
  readonly token = 'fake-receiver-token-7f3a';
  private accepts = 0;

  private readonly server: Server;
  private origin_ = '';

  private constructor(tls?: { key: string; cert: string }) {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  }

  /** Plain HTTP, or HTTPS with the given PEM key and certificate. */
  static async start(tls?: { key: string; cert: string }): Promise<FakeReceiver> {
    const receiver = new FakeReceiver(tls);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as { port: number };
    receiver.origin_ = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return receiver;
  }

  /** `http://127.0.0.1:<port>` (https with TLS). */
  get origin(): string {
    return this.origin_;
  }

  url(path = '/hooks/claims'): string {
    return this.origin + path;
  }

  /** Requests bearing this key. */
  requestsWith(key: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.key === key);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const key = req.headers['idempotency-key'] as string | undefined;
    const document = JSON.parse(raw || '{}') as Record<string, unknown>;
    this.requests.push({ method: req.method!, path: req.url!, headers: req.headers, key, raw, document });

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return send(res, {
        status: 401,
        headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' },
        body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'a valid bearer token is required' }),
      });
    }
    const earlier = key ? this.accepted.get(key) : undefined;
    if (earlier) return send(res, { ...earlier.answer, status: 200 });

    const step = this.script.shift() ?? {};
    if (step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    if (step.cut === 'before-answer') return void req.socket.destroy();
    const status = step.status ?? 201;
    const answer: Answer =
      step.status === undefined && step.body === undefined
        ? this.acceptance()
        : {
            status,
            headers: { 'content-type': typeof step.body === 'string' ? 'text/plain' : 'application/json', ...step.headers },
            body: step.body === undefined ? '' : typeof step.body === 'string' ? step.body : JSON.stringify(step.body),
          };
    if (status >= 200 && status < 300 && key) this.accepted.set(key, { document, answer });
    if (step.cut === 'mid-body') {
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body) + 1000) });
      res.write(answer.body);
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    if (step.bodyDelayMs) {
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
      res.flushHeaders();
      await new Promise((resolve) => setTimeout(resolve, step.bodyDelayMs));
      if (!res.destroyed) res.end(answer.body);
      return;
    }
    send(res, answer);
  }

  /** The default answer: 201 Created, Location of the new record, a small JSON body. */
  private acceptance(): Answer {
    const id = `rcv-${++this.accepts}`;
    return {
      status: 201,
      headers: { 'content-type': 'application/json', location: `${this.origin}/records/${id}`, 'x-request-id': `req-${id}` },
      body: JSON.stringify({ id, status: 'accepted' }),
    };
  }
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
