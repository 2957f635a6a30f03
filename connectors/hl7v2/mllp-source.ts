// MLLP source: an HL7 v2 listener whose every frame goes through intake, and whose every frame is
// answered. The ACK is the one intake stored with the message, so AA is written only after the
// commit. What is not stored is answered AR (store down, listener overloaded, frame truncated or
// too large): the sender keeps the message and sends it again. Never a silent drop.
import type { AddressInfo } from 'node:net';
import type { TlsOptions } from 'node:tls';
import type { Logger } from 'pino';
import type { Intake } from '../../routes/intake.js';
import { ConfigError, TransientError } from '../../canonical-model/errors.js';
import { HL7_ACK_CONTENT_TYPE } from './ack.js';
import { hl7Acknowledgement } from './acknowledge.js';
import type { MllpMessage, MllpNotice } from './mllp-connection.js';
import { MllpFrameError } from './mllp-errors.js';
import { MllpServer } from './mllp-server.js';

export interface MllpSourceConfig {
  id: string;
  port: number;
  host?: string;
  tls?: TlsOptions;
  maxFrameBytes?: number;
  idleTimeoutMs?: number;
  charset?: string;
  /** Messages being stored at once across all connections; beyond it a frame is answered AR at once. */
  maxInFlight?: number;
  /**
   * When AA is sent: `after-translation` (default) once the message is translated, routed and
   * stored, so AE can name any content error; `after-commit` once it is parsed, its type known to
   * a mapping, and stored — the mapping runs afterwards, and its refusals become dead letters.
   */
  acknowledge?: 'after-translation' | 'after-commit';
}

export const DEFAULT_MAX_IN_FLIGHT = 1000;

export class MllpSource {
  private readonly server: MllpServer;
  private inFlight = 0;
  private address: AddressInfo | undefined;

  constructor(
    private readonly config: MllpSourceConfig,
    private readonly deps: { intake: Pick<Intake, 'receive' | 'refusal'>; log: Logger },
  ) {
    this.server = new MllpServer({
      port: config.port,
      host: config.host,
      tls: config.tls,
      maxFrameBytes: config.maxFrameBytes,
      idleTimeoutMs: config.idleTimeoutMs,
      charset: config.charset,
      handler: (message) => this.receive(message),
      onError: (error, message) => this.answerUnreadable(error, message),
      onNotice: (notice) => this.logNotice(notice),
    });
  }

  get id(): string {
    return this.config.id;
  }

  /** The port actually bound (0 in the config picks a free one). */
  get port(): number | undefined {
    return this.address?.port;
  }

  get counters() {
    return this.server.counters;
  }

  async start(): Promise<void> {
    this.address = await this.server.listen().catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
      const where = `${this.config.host ?? 'all interfaces'} port ${this.config.port}`;
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : 'may not be bound by this user';
      const message = `MLLP source "${this.config.id}": ${where} ${why}; choose another with CLAIMHUB_MLLP_PORT or the source's port`;
      throw new ConfigError(message, [{ path: `sources.${this.config.id}.port`, rule: 'port-free', message }]);
    });
    this.deps.log.info({ source: this.config.id, port: this.address.port, tls: Boolean(this.config.tls) }, 'MLLP listener up');
  }

  /** Stops accepting; connections answer what they have read, then close. */
  stop(): Promise<void> {
    return this.server.close();
  }

  private async receive(message: MllpMessage): Promise<string> {
    const raw = message.text();
    const incoming = { raw, contentType: HL7_ACK_CONTENT_TYPE, source: this.config.id, peer: message.peer.remoteAddress };
    if (this.inFlight >= (this.config.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT)) {
      const busy = new TransientError(`the hub is busy (${this.inFlight} messages being stored): the message was not accepted, send it again`);
      return this.refuse(incoming, busy);
    }
    this.inFlight++;
    try {
      const receipt = await this.deps.intake.receive(incoming, { deferTranslation: this.config.acknowledge === 'after-commit' });
      // A payload that is not HL7 at all (sniffed as FHIR JSON) has no ACK of its own format: answer in HL7.
      return receipt.acknowledgement?.text ?? hl7Acknowledgement(raw, { kind: 'accepted' }).text;
    } catch (error) {
      this.deps.log.warn({ source: this.config.id, connection: message.peer.connectionId, err: (error as Error).message }, 'MLLP message not stored; answered AR');
      return this.refuse(incoming, error as Error);
    } finally {
      this.inFlight--;
    }
  }

  private refuse(incoming: { raw: string; contentType: string }, error: Error): string {
    return this.deps.intake.refusal(incoming, error)?.text ?? hl7Acknowledgement(incoming.raw, { kind: 'not-stored', error }).text;
  }

  /** A frame the listener could not take whole (too large, truncated): AR, addressed from its head when MSH is readable. */
  private answerUnreadable(error: unknown, message: MllpMessage): string {
    const reason = error instanceof MllpFrameError ? error : new TransientError(`the message could not be handled: ${(error as Error).message}`);
    this.deps.log.warn({ source: this.config.id, connection: message.peer.connectionId, err: reason.message }, 'MLLP frame refused; answered AR');
    return hl7Acknowledgement(message.payload.toString('latin1'), { kind: 'not-stored', error: reason }).text;
  }

  private logNotice(notice: MllpNotice): void {
    const where = { source: this.config.id, connection: notice.peer.connectionId, remote: `${notice.peer.remoteAddress}:${notice.peer.remotePort}` };
    if (notice.type === 'noise') this.deps.log.warn({ ...where, reason: notice.reason, bytes: notice.bytes.length }, 'MLLP bytes outside a frame ignored');
    else if (notice.type === 'missing-carriage-return') this.deps.log.debug(where, 'MLLP frame ended without the CR after FS');
    else if (notice.type === 'idle-timeout') this.deps.log.info(where, 'MLLP connection closed after idling');
    else if (notice.type === 'socket-error') this.deps.log.warn({ ...where, err: notice.error.message }, 'MLLP socket error');
    else this.deps.log.error({ ...where, sequence: notice.sequence }, 'MLLP message could not be answered; connection closed');
  }
}
