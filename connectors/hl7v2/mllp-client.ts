// A minimal MLLP sender on one connection: messages may be pipelined, and each reply settles the
// oldest send still waiting (MLLP replies come in the order of the messages).
import net from 'node:net';
import tls from 'node:tls';
import { TransientError } from '../../canonical-model/errors.js';
import { MllpDeframer, frame, type MllpEvent } from './mllp-framer.js';

export interface MllpClientOptions {
  host: string;
  port: number;
  /** Connect with TLS (`ca` to trust a private certificate, `servername` for SNI). */
  tls?: tls.ConnectionOptions;
  maxFrameBytes?: number;
}

interface Waiter {
  resolve: (reply: Buffer) => void;
  reject: (error: Error) => void;
}

export class MllpClient {
  private readonly deframer: MllpDeframer;
  private readonly waiting: Waiter[] = [];

  private constructor(
    private readonly socket: net.Socket,
    maxFrameBytes?: number,
  ) {
    this.deframer = new MllpDeframer({ maxFrameBytes });
    socket.on('data', (chunk: Buffer) => this.deframer.push(chunk).forEach((event) => this.take(event)));
    socket.on('error', (error) => this.failAll(new TransientError(`MLLP connection failed: ${error.message}`, { cause: error })));
    socket.on('close', () => this.failAll(new TransientError('MLLP connection closed before the reply')));
  }

  static connect(options: MllpClientOptions): Promise<MllpClient> {
    return new Promise((resolve, reject) => {
      const ready = () => {
        socket.off('error', fail);
        resolve(new MllpClient(socket, options.maxFrameBytes));
      };
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      const socket = options.tls
        ? tls.connect({ ...options.tls, host: options.host, port: options.port }, ready)
        : net.connect({ host: options.host, port: options.port, noDelay: true }, ready);
      socket.once('error', fail);
    });
  }

  /** Sends one message; resolves with the payload of its reply. */
  send(payload: Buffer | string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(frame(payload));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  private take(event: MllpEvent): void {
    if (event.type === 'message') this.waiting.shift()?.resolve(event.payload);
    else if (event.type === 'frame-error') this.waiting.shift()?.reject(event.error);
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }
}
