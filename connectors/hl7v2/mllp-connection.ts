// One accepted MLLP connection: deframes its reads and answers its messages one at a time, in
// order. The next handler starts only once the previous reply is written, because an ACK must
// follow the durable commit of its own message and senders match ACKs to messages by order.
import type { Socket } from 'node:net';
import type { MllpFrameError } from './mllp-errors.js';
import { MllpDeframer, frame, payloadText, type MllpEvent, type NoiseReason } from './mllp-framer.js';

/** Who sent a message: the connection's id in this server and its remote address. */
export interface MllpPeer {
  connectionId: number;
  remoteAddress: string;
  remotePort: number;
  secure: boolean;
}

export interface MllpMessage {
  payload: Buffer;
  peer: MllpPeer;
  /** 1 for the first frame of the connection, counting refused frames too. */
  sequence: number;
  /** The payload decoded with the server's charset (UTF-8 unless configured). */
  text(): string;
}

/** The reply to frame and write back: a string is sent as UTF-8, a Buffer as it is. */
export type MllpReply = Buffer | string;
export type MllpHandler = (message: MllpMessage) => Promise<MllpReply>;
/**
 * Answers a message the handler threw on (`message.payload` is the whole payload) or a frame the
 * listener refused (an MllpFrameError; `message.payload` is the frame's head, where MSH is).
 * If the hook itself throws, the connection is closed: the sender resends elsewhere or later.
 */
export type MllpErrorHook = (error: unknown, message: MllpMessage) => MllpReply | Promise<MllpReply>;

/** What a listener reports besides replies, for logs and metrics. */
export type MllpNotice =
  | { type: 'noise'; peer: MllpPeer; reason: NoiseReason; bytes: Buffer; offset: number }
  | { type: 'missing-carriage-return'; peer: MllpPeer; offset: number }
  | { type: 'idle-timeout'; peer: MllpPeer }
  | { type: 'socket-error'; peer: MllpPeer; error: Error }
  | { type: 'unanswered'; peer: MllpPeer; sequence: number; error: unknown };

export interface MllpCounters {
  connectionsAccepted: number;
  connectionsOpen: number;
  frames: number;
  replies: number;
  handlerErrors: number;
  frameErrors: number;
  /** Messages the onError hook could not answer either (their connection was closed). */
  unanswered: number;
  noiseEvents: number;
  noiseBytes: number;
  missingCarriageReturns: number;
  idleTimeouts: number;
  socketErrors: number;
}

export interface ConnectionSettings {
  handler: MllpHandler;
  onError: MllpErrorHook;
  onNotice: (notice: MllpNotice) => void;
  maxFrameBytes?: number;
  idleTimeoutMs: number;
  charset?: string;
}

/** A sender pipelining more frames than this is not read further until its queue drains. */
const MAX_QUEUED_FRAMES = 64;

interface QueuedFrame {
  message: MllpMessage;
  frameError?: MllpFrameError;
}

export class MllpConnection {
  /** Settles when the socket has closed, whatever the reason. */
  readonly closed: Promise<void>;
  private readonly deframer: MllpDeframer;
  private readonly queue: QueuedFrame[] = [];
  private answering = false;
  private readEnded = false;
  private shuttingDown = false;
  private sequence = 0;

  constructor(
    private readonly socket: Socket,
    readonly peer: MllpPeer,
    private readonly settings: ConnectionSettings,
    private readonly counters: MllpCounters,
  ) {
    this.deframer = new MllpDeframer({ maxFrameBytes: settings.maxFrameBytes });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.read(this.deframer.push(chunk)));
    socket.on('end', () => {
      this.readEnded = true;
      this.read(this.deframer.end());
    });
    socket.on('error', (error) => {
      counters.socketErrors++;
      settings.onNotice({ type: 'socket-error', peer, error });
    });
    if (settings.idleTimeoutMs > 0) {
      // on(), not setTimeout's callback: that one is a once() listener, and idleness can recur.
      socket.on('timeout', () => this.idle());
      socket.setTimeout(settings.idleTimeoutMs);
    }
  }

  /** Graceful close: read nothing more, answer the frames already read, then end the socket. */
  shutDown(): void {
    this.shuttingDown = true;
    this.socket.pause();
    this.endIfDone();
  }

  private read(events: MllpEvent[]): void {
    for (const event of events) this.take(event);
    if (this.queue.length >= MAX_QUEUED_FRAMES) this.socket.pause();
    if (this.queue.length > 0) void this.answerQueue();
    else this.endIfDone();
  }

  private take(event: MllpEvent): void {
    const { counters, peer } = this;
    switch (event.type) {
      case 'message':
        counters.frames++;
        this.queue.push({ message: this.message(event.payload) });
        return;
      case 'frame-error':
        counters.frameErrors++;
        this.queue.push({ message: this.message(event.error.head), frameError: event.error });
        return;
      case 'noise':
        counters.noiseEvents++;
        counters.noiseBytes += event.bytes.length;
        this.settings.onNotice({ type: 'noise', peer, reason: event.reason, bytes: event.bytes, offset: event.offset });
        return;
      case 'missing-carriage-return':
        counters.missingCarriageReturns++;
        this.settings.onNotice({ type: 'missing-carriage-return', peer, offset: event.offset });
        return;
    }
  }

  private message(payload: Buffer): MllpMessage {
    const charset = this.settings.charset;
    return { payload, peer: this.peer, sequence: ++this.sequence, text: () => payloadText(payload, charset) };
  }

  private async answerQueue(): Promise<void> {
    if (this.answering) return;
    this.answering = true;
    while (this.queue.length > 0 && !this.socket.destroyed) {
      const queued = this.queue.shift()!;
      const reply = await this.answer(queued);
      if (reply === undefined) {
        this.socket.destroy();
        break;
      }
      if (await this.write(frame(reply))) this.counters.replies++;
      if (this.queue.length === 0 && !this.shuttingDown && !this.readEnded) this.socket.resume();
    }
    this.answering = false;
    this.endIfDone();
  }

  /** The handler's reply, else the onError hook's; undefined when neither can answer. */
  private async answer({ message, frameError }: QueuedFrame): Promise<MllpReply | undefined> {
    if (frameError === undefined) {
      try {
        return await this.settings.handler(message);
      } catch (error) {
        this.counters.handlerErrors++;
        return this.answerError(error, message);
      }
    }
    return this.answerError(frameError, message);
  }

  private async answerError(error: unknown, message: MllpMessage): Promise<MllpReply | undefined> {
    try {
      return await this.settings.onError(error, message);
    } catch (hookError) {
      this.counters.unanswered++;
      this.settings.onNotice({ type: 'unanswered', peer: this.peer, sequence: message.sequence, error: hookError });
      return undefined;
    }
  }

  /** Resolves once the block is handed to the kernel; false if the socket failed first. */
  private write(block: Buffer): Promise<boolean> {
    return new Promise((resolve) => this.socket.write(block, (error) => resolve(!error)));
  }

  /** Idle means nothing to answer and nothing arriving; a slow handler is not idleness. */
  private idle(): void {
    if (this.answering || this.queue.length > 0) return;
    this.counters.idleTimeouts++;
    this.settings.onNotice({ type: 'idle-timeout', peer: this.peer });
    this.endSocket();
  }

  private endIfDone(): void {
    if (this.answering || this.queue.length > 0) return;
    if (this.readEnded || this.shuttingDown) this.endSocket();
  }

  private endSocket(): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.end(() => this.socket.destroy());
  }
}
