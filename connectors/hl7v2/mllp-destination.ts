// MLLP destination: each claim of a delivery as one HL7 v2.5.1 DFT^P03 sent to a remote listener
// over one persistent connection (TCP or TLS), in MLLP original mode: one message outstanding, the
// next sent only once the ACK naming it (MSA-2 = our MSH-10) has come back.
//
// Transport: node:net/node:tls with our MLLP framer (mllp-framer.ts), not node-hl7-client's
// Connection. Tried against our listener, 3.2 never reports a refused connection or one the server
// closed: sendMessage() resolves and the message is silently dropped (without connectionTimeout the
// connection stays "connected" for ever; with it, a healthy connection is destroyed
// connectionTimeout ms after it opened). It has no connect or ACK timeout, and a sendMessage() while an ACK is
// outstanding re-queues the message in a loop that starves the event loop. A destination that must
// turn every failure into a typed, retryable error with a clear message cannot sit on that.
//
// Retries: the control id of each claim is derived from the delivery's idempotency key and the
// claim's seq, so a retry (or a replay from the dead letters) sends again, with the same MSH-10,
// the claims of the delivery already acknowledged before the failure; the receiver recognises them
// by MSH-10 and de-duplicates. Claims are rendered before anything is sent, so a claim the DFT
// cannot carry refuses the delivery without sending any of it.
import net from 'node:net';
import tls from 'node:tls';
import { DeliveryRefusedError, TransientError, ValidationError, type Issue } from '../../canonical-model/errors.js';
import type { Claim } from '../../canonical-model/types.js';
import type { Delivery, DeliveryObject, Destination } from '../destination.js';
import { readAcknowledgement, type Acknowledgement } from './write/acknowledgement.js';
import { claimToDft, type DftHeader } from './write/claim-to-dft.js';
import { messageControlId } from './write/control-id.js';
import { MllpDeframer, frame, type MllpEvent } from './mllp-framer.js';

export interface MllpTlsConfig {
  /** PEM: the CA that signed the listener's certificate, when not a public one. */
  ca?: string;
  /** PEM client certificate and key, for listeners that ask for one. */
  cert?: string;
  key?: string;
  /** SNI and certificate name, when it differs from `host`. */
  servername?: string;
}

export interface MllpDestinationConfig extends DftHeader {
  id: string;
  host: string;
  port: number;
  /** TLS with the system CAs (`true`) or with the given certificates; plain TCP when absent. */
  tls?: true | MllpTlsConfig;
  /** How long to wait for the ACK of one message (default 30 s). */
  ackTimeoutMs?: number;
  /** How long to wait for the connection, TLS handshake included (default 10 s). */
  connectTimeoutMs?: number;
  /** Close the connection after this many messages and open a new one (default: never). */
  maxMessagesPerConnection?: number;
  /** Close the connection after this long without a message (default: keep it open). */
  idleTimeoutMs?: number;
}

export interface MllpReceipt {
  /** MSH-10 of each message sent, in the order of the delivery's objects. */
  controlIds: string[];
  /** MSA-1 and MSA-3 of each ACK. */
  acks: { code: string; text?: string }[];
}

export const DEFAULT_ACK_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const duration = {
  description: 'A duration: milliseconds as a number, or text like "200ms", "1s", "10m".',
  anyOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$' },
  ],
};
const designator = (field: string) => ({
  type: 'string',
  minLength: 1,
  maxLength: 227,
  description: `${field}: a namespace id, or HD components joined with ^ (NAME^2.16.840.1.113883.3.7^ISO).`,
});
const pem = (what: string) => ({ type: 'string', minLength: 1, description: `${what} (PEM); use "file:PATH" or "env:NAME".` });

/**
 * JSON Schema of an `mllp` destination's own keys in claimhub.config.yaml (besides id, type, retry
 * and concurrency). Durations are written as in the rest of the file and become the `…Ms` numbers
 * of MllpDestinationConfig.
 */
export const mllpDestinationConfig = {
  required: ['host', 'port'],
  properties: {
    host: { type: 'string', minLength: 1, description: 'The remote MLLP listener.' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    tls: {
      description: 'true: TLS with the system CAs; or the certificates to use.',
      anyOf: [
        { const: true },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            ca: pem('CA certificate'),
            cert: pem('Client certificate'),
            key: pem('Client private key'),
            servername: { type: 'string', minLength: 1 },
          },
        },
      ],
    },
    ackTimeout: { ...duration, description: 'How long to wait for the ACK of one message (default 30s).' },
    connectTimeout: { ...duration, description: 'How long to wait for the connection and TLS handshake (default 10s).' },
    idleTimeout: { ...duration, description: 'Close the connection after this long without a message (default: keep it).' },
    maxMessagesPerConnection: { type: 'integer', minimum: 1, description: 'Open a new connection after this many messages.' },
    sendingApplication: designator('MSH-3'),
    sendingFacility: designator('MSH-4'),
    receivingApplication: designator('MSH-5'),
    receivingFacility: designator('MSH-6'),
    processingId: { enum: ['P', 'T', 'D'], description: 'MSH-11: P production (default), T training, D debugging.' },
  },
} as const;

/** A DFT ready to send: which object it carries and its control id. */
interface Outgoing {
  object: DeliveryObject;
  index: number;
  controlId: string;
  text: string;
}

export class MllpDestination implements Destination {
  readonly type = 'mllp';
  readonly id: string;
  private readonly where: string;
  private link: MllpLink | undefined;
  /** One message at a time on the connection: each exchange waits for the previous one. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: MllpDestinationConfig) {
    this.id = config.id;
    this.where = `MLLP ${config.host}:${config.port}`;
  }

  async deliver(delivery: Delivery): Promise<MllpReceipt> {
    const outgoing = this.render(delivery);
    const acks: MllpReceipt['acks'] = [];
    for (const message of outgoing) acks.push(await this.exclusive(() => this.send(message, outgoing.length)));
    return { controlIds: outgoing.map((message) => message.controlId), acks };
  }

  /** Ends the connection (waiting for no ACK: call it when no delivery is under way). */
  async close(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    await link?.end();
  }

  /** Every object as a DFT, before anything is sent; an object a DFT cannot carry refuses the delivery. */
  private render(delivery: Delivery): Outgoing[] {
    const now = new Date();
    const issues: Issue[] = [];
    const outgoing = delivery.objects.flatMap((object, index): Outgoing[] => {
      if (object.canonical.resourceType !== 'Claim') {
        const message = `${String(object.canonical.resourceType)} ${object.id} is not a claim: route only claims to ${this.id}`;
        issues.push({ path: `$[${index}].resourceType`, rule: 'hl7-dft-claims-only', message });
        return [];
      }
      const controlId = messageControlId(delivery.idempotencyKey, object.seq);
      try {
        const text = claimToDft(object.canonical as unknown as Claim, { header: this.config, controlId, now });
        return [{ object, index, controlId, text }];
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        issues.push(...error.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^\$/, `$[${index}]`) })));
        return [];
      }
    });
    if (issues.length > 0)
      throw new DeliveryRefusedError(
        `${this.id} sends claims as DFT^P03; message ${delivery.messageId} has objects it cannot carry: ${issues.map((i) => i.path).join(', ')}`,
        issues,
      );
    return outgoing;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.turn.then(task);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Sends one DFT and reads its ACK: AA/CA resolve, AE/CE refuse for good, AR/CR and failures are retryable. */
  private async send(message: Outgoing, count: number): Promise<{ code: string; text?: string }> {
    const link = await this.connection();
    const reply = await link.exchange(message.text, message.controlId);
    this.retireAfter(link);
    let ack: Acknowledgement;
    try {
      ack = readAcknowledgement(reply);
    } catch (error) {
      link.destroy();
      throw new TransientError(`${this.where} answered ${message.controlId} with something that is not an HL7 ACK`, { cause: error });
    }
    if (ack.controlId !== message.controlId) {
      // Replies no longer line up with messages on this connection: start again on a new one.
      link.destroy();
      throw new TransientError(`${this.where} answered ${message.controlId} with an ACK for "${ack.controlId}"; the connection is dropped`);
    }
    const which = `message ${message.controlId} (object ${message.object.id}, ${message.index + 1} of ${count})`;
    const said = ack.text ? `: ${ack.text}` : '';
    switch (ack.code) {
      case 'AA':
      case 'CA':
        return ack.text ? { code: ack.code, text: ack.text } : { code: ack.code };
      case 'AE':
      case 'CE': {
        const before =
          message.index > 0 ? `; the ${message.index} before it were accepted and are sent again, same control ids, on a replay` : '';
        throw new DeliveryRefusedError(`${this.where} refused ${which} with ${ack.code}${said}${before}`, ackIssues(ack, message.index));
      }
      case 'AR':
      case 'CR':
        throw new TransientError(`${this.where} rejected ${which} with ${ack.code}${said}`);
      default:
        link.destroy();
        throw new TransientError(`${this.where} answered ${message.controlId} with acknowledgement code "${ack.code}"`);
    }
  }

  /** The open connection, or a new one. */
  private async connection(): Promise<MllpLink> {
    if (this.link?.usable) return this.link;
    this.link = undefined;
    const { config } = this;
    this.link = await MllpLink.open({
      host: config.host,
      port: config.port,
      tls: config.tls,
      where: this.where,
      connectTimeoutMs: config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ackTimeoutMs: config.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS,
      idleTimeoutMs: config.idleTimeoutMs,
    });
    return this.link;
  }

  private retireAfter(link: MllpLink): void {
    const limit = this.config.maxMessagesPerConnection;
    if (limit !== undefined && link.exchanges >= limit) void link.end();
  }
}

/** The ACK's errors as issues: where (ERR-2, else ERR-1) and which code (ERR-3, else ERR-5). */
function ackIssues(ack: Acknowledgement, index: number): Issue[] {
  const fallback = ack.text ?? `refused with ${ack.code}`;
  if (ack.errors.length === 0) return [{ path: `$[${index}]`, rule: `hl7-ack-${ack.code}`, message: fallback }];
  return ack.errors.map((error) => ({
    path: error.location ?? `$[${index}]`,
    rule: error.code ?? `hl7-ack-${ack.code}`,
    message: error.text ?? fallback,
  }));
}

interface LinkOptions {
  host: string;
  port: number;
  tls?: true | MllpTlsConfig;
  /** `MLLP host:port`, the start of every error message. */
  where: string;
  connectTimeoutMs: number;
  ackTimeoutMs: number;
  idleTimeoutMs?: number;
}

interface Waiter {
  controlId: string;
  resolve: (reply: Buffer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One connection to the listener, one message outstanding. Anything that breaks the one-reply-per-
 * message rhythm (a timeout, bytes outside a frame, a reply nobody waits for, a close) makes the
 * link unusable and destroys it: the next message goes on a new connection.
 */
class MllpLink {
  exchanges = 0;
  private readonly deframer = new MllpDeframer();
  private waiter: Waiter | undefined;
  private broken: TransientError | undefined;
  private socketError: Error | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly options: LinkOptions,
  ) {
    socket.on('data', (chunk: Buffer) => this.deframer.push(chunk).forEach((event) => this.take(event)));
    socket.on('error', (error) => (this.socketError ??= error));
    socket.on('close', () => {
      const cause = this.socketError ? ` (${describe(this.socketError)})` : '';
      const waiting = this.waiter ? ` before the ACK to ${this.waiter.controlId}` : '';
      this.fail(new TransientError(`${options.where}: the connection was closed${waiting}${cause}`, { cause: this.socketError }));
    });
  }

  static open(options: LinkOptions): Promise<MllpLink> {
    const { host, port, where } = options;
    return new Promise((resolve, reject) => {
      const secure = options.tls !== undefined;
      const settings = options.tls === true ? {} : options.tls;
      const socket = secure
        ? tls.connect({ ...settings, host, port, servername: settings?.servername ?? (net.isIP(host) ? undefined : host) })
        : net.connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TransientError(`${where}: no connection within ${options.connectTimeoutMs} ms`));
      }, options.connectTimeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new TransientError(`${where}: cannot connect (${describe(error)})`, { cause: error }));
      };
      socket.once('error', fail);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        socket.setNoDelay(true);
        resolve(new MllpLink(socket, options));
      });
    });
  }

  get usable(): boolean {
    return this.broken === undefined;
  }

  /** Sends one payload and resolves with the payload of the next frame the listener sends. */
  exchange(payload: string, controlId: string): Promise<Buffer> {
    if (this.broken) return Promise.reject(this.broken);
    clearTimeout(this.idleTimer);
    this.exchanges++;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new TransientError(`${this.options.where}: no ACK to ${controlId} within ${this.options.ackTimeoutMs} ms`));
      }, this.options.ackTimeoutMs);
      this.waiter = { controlId, resolve, reject, timer };
      this.socket.write(frame(payload));
    }).finally(() => this.startIdleTimer());
  }

  /** Ends the connection gracefully; it is unusable from now on. */
  end(): Promise<void> {
    this.broken ??= new TransientError(`${this.options.where}: the connection was closed by the hub`);
    clearTimeout(this.idleTimer);
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      // A listener that never closes its side is not waited for long.
      const deadline = setTimeout(() => this.socket.destroy(), 2_000);
      deadline.unref();
      this.socket.end();
    });
  }

  destroy(): void {
    this.fail(new TransientError(`${this.options.where}: the connection was dropped`));
  }

  private take(event: MllpEvent): void {
    const where = this.options.where;
    switch (event.type) {
      case 'message': {
        const waiter = this.waiter;
        if (!waiter) return this.fail(new TransientError(`${where}: sent a reply no message was waiting for`));
        this.waiter = undefined;
        clearTimeout(waiter.timer);
        return waiter.resolve(Buffer.from(event.payload));
      }
      case 'noise':
        return this.fail(new TransientError(`${where}: sent ${event.bytes.length} bytes outside an MLLP frame`));
      case 'frame-error':
        return this.fail(new TransientError(`${where}: ${event.error.message}`, { cause: event.error }));
      case 'missing-carriage-return':
        // Tolerated: the end block alone ends the frame.
        return;
    }
  }

  /** Unusable from now on: the waiting exchange fails with `error`, the socket is destroyed. */
  private fail(error: TransientError): void {
    this.broken ??= error;
    clearTimeout(this.idleTimer);
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.socket.destroy();
  }

  private startIdleTimer(): void {
    const idle = this.options.idleTimeoutMs;
    if (idle === undefined || this.broken) return;
    this.idleTimer = setTimeout(() => void this.end(), idle);
    this.idleTimer.unref();
  }
}

/** A socket error as an operator reads it: its code (ECONNREFUSED, ECONNRESET…) and message. */
function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
