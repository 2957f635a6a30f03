// MLLP listener on node:net (or node:tls): accepts many connections, each answered in order by an
// MllpConnection; counts what it sees and closes gracefully. Knows frames and replies, not HL7.
import net, { type AddressInfo, type Socket } from 'node:net';
import tls from 'node:tls';
import {
  MllpConnection,
  type MllpCounters,
  type MllpErrorHook,
  type MllpHandler,
  type MllpNotice,
  type MllpPeer,
} from './mllp-connection.js';

export interface MllpServerOptions {
  port: number;
  /** Interface to bind; all interfaces when absent (as node:net). */
  host?: string;
  /** Answers every message; its reply is written before the next message of the connection is handled. */
  handler: MllpHandler;
  /** Answers what the handler threw on and frames the listener refused. */
  onError: MllpErrorHook;
  onNotice?: (notice: MllpNotice) => void;
  /** Listen with TLS: at least `key` and `cert` (PEM); `ca` and `requestCert` for client certificates. */
  tls?: tls.TlsOptions;
  /** Largest payload accepted (default DEFAULT_MAX_FRAME_BYTES, 4 MiB). */
  maxFrameBytes?: number;
  /** Close a connection with nothing to answer after this long without traffic; 0 (default) never. */
  idleTimeoutMs?: number;
  /** WHATWG label `message.text()` decodes with; UTF-8 when absent. */
  charset?: string;
}

/** How long close() waits for in-flight replies before destroying the connections left. */
const DEFAULT_CLOSE_GRACE_MS = 10_000;

export class MllpServer {
  readonly counters: MllpCounters = {
    connectionsAccepted: 0,
    connectionsOpen: 0,
    frames: 0,
    replies: 0,
    handlerErrors: 0,
    frameErrors: 0,
    unanswered: 0,
    noiseEvents: 0,
    noiseBytes: 0,
    missingCarriageReturns: 0,
    idleTimeouts: 0,
    socketErrors: 0,
  };
  private readonly server: net.Server;
  private readonly connections = new Set<MllpConnection>();
  /** Every accepted TCP socket, including TLS handshakes not finished yet. */
  private readonly sockets = new Set<Socket>();
  private nextConnectionId = 1;

  constructor(private readonly options: MllpServerOptions) {
    // allowHalfOpen: a sender that shuts its side after its last frame still gets every reply.
    // Not under TLS, where it would also keep open the sockets of failed handshakes.
    this.server = options.tls
      ? tls.createServer(options.tls, (socket) => this.accept(socket, true))
      : net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket, false));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
      this.counters.socketErrors++;
      this.notice({ type: 'socket-error', peer: this.peerOf(socket, true, 0), error });
      socket.destroy();
    });
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Stops accepting, lets every connection answer the frames it has already read, then closes
   * them; after `graceMs` the connections still open are destroyed.
   */
  async close(graceMs = DEFAULT_CLOSE_GRACE_MS): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.shutDown();
    const deadline = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, graceMs);
    await stopped;
    await Promise.all([...this.connections].map((connection) => connection.closed));
    clearTimeout(deadline);
  }

  private accept(socket: Socket, secure: boolean): void {
    socket.setNoDelay(true);
    const peer = this.peerOf(socket, secure, this.nextConnectionId++);
    const { handler, onError, maxFrameBytes, charset } = this.options;
    const settings = {
      handler,
      onError,
      maxFrameBytes,
      charset,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 0,
      onNotice: (notice: MllpNotice) => this.notice(notice),
    };
    const connection = new MllpConnection(socket, peer, settings, this.counters);
    this.counters.connectionsAccepted++;
    this.counters.connectionsOpen++;
    this.connections.add(connection);
    void connection.closed.then(() => {
      this.counters.connectionsOpen--;
      this.connections.delete(connection);
    });
  }

  private peerOf(socket: Socket, secure: boolean, connectionId: number): MllpPeer {
    return { connectionId, remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0, secure };
  }

  private notice(notice: MllpNotice): void {
    this.options.onNotice?.(notice);
  }
}
