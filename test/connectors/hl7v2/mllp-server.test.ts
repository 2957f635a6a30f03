import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { TransientError } from '../../../canonical-model/errors.js';
import { MllpClient } from '../../../connectors/hl7v2/mllp-client.js';
import type { MllpMessage, MllpNotice } from '../../../connectors/hl7v2/mllp-connection.js';
import { FrameTooLargeError, MllpFrameError } from '../../../connectors/hl7v2/mllp-errors.js';
import { MllpDeframer, frame } from '../../../connectors/hl7v2/mllp-framer.js';
import { MllpServer, type MllpServerOptions } from '../../../connectors/hl7v2/mllp-server.js';
import { selfSignedCertificate } from '../../support/tls.js';

const HOST = '127.0.0.1';

function dft(controlId: string): string {
  return `MSH|^~\\&|PM|CLINIC|HUB|CLAIMHUB|20240101120000||DFT^P03|${controlId}|P|2.5\rFT1|1|||20240101||CG|99213\r`;
}

function controlIdOf(payload: Buffer | string): string {
  return payload.toString().split('\r')[0].split('|')[9] ?? '';
}

/** AE after a handler failure, AR for a refused frame, both naming the message's MSH-10. */
function refusal(error: unknown, message: MllpMessage): string {
  const code = error instanceof MllpFrameError ? 'AR' : 'AE';
  return `MSA|${code}|${controlIdOf(message.payload)}`;
}

const acknowledge = async (message: MllpMessage) => `MSA|AA|${controlIdOf(message.text())}`;

const servers: MllpServer[] = [];

async function startServer(options: Partial<MllpServerOptions> = {}): Promise<{ server: MllpServer; port: number }> {
  const server = new MllpServer({ port: 0, host: HOST, handler: acknowledge, onError: refusal, ...options });
  servers.push(server);
  const { port } = await server.listen();
  return { server, port };
}

/** A plain socket that writes raw bytes and collects the replies it reads, as text. */
async function rawConnection(port: number) {
  const socket = net.connect({ host: HOST, port, noDelay: true });
  await new Promise((resolve) => socket.once('connect', resolve));
  const deframer = new MllpDeframer();
  const replies: string[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const event of deframer.push(chunk)) if (event.type === 'message') replies.push(event.payload.toString());
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const write = (bytes: Buffer | string) => new Promise<void>((resolve) => socket.write(bytes, () => resolve()));
  async function untilReplies(count: number): Promise<string[]> {
    while (replies.length < count && !socket.destroyed) await delay(2);
    return replies.slice(0, count);
  }
  return { socket, replies, closed, write, untilReplies };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(1000)));
});

describe('MLLP server', () => {
  it('answers a message whose bytes arrive split at every byte boundary', async () => {
    const { server, port } = await startServer();
    const connection = await rawConnection(port);
    const wire = frame(dft('SPLIT'));
    for (let cut = 1; cut < wire.length; cut++) {
      await connection.write(wire.subarray(0, cut));
      await delay(1);
      await connection.write(wire.subarray(cut));
      await connection.untilReplies(cut);
    }
    assert.equal(connection.replies.length, wire.length - 1);
    assert.ok(connection.replies.every((reply) => reply === 'MSA|AA|SPLIT'));
    assert.equal(server.counters.noiseEvents, 0);
    connection.socket.end();
  });

  it('answers 100 frames coalesced in one write, in order', async () => {
    const { port } = await startServer();
    const connection = await rawConnection(port);
    const ids = Array.from({ length: 100 }, (_, index) => `C${index}`);
    await connection.write(Buffer.concat(ids.map((id) => frame(dft(id)))));
    assert.deepEqual(
      await connection.untilReplies(100),
      ids.map((id) => `MSA|AA|${id}`),
    );
    connection.socket.end();
  });

  it('answers 200 concurrent connections × 10 pipelined messages, each connection in order', async () => {
    const active = new Map<number, number>();
    let mostConnectionsAtOnce = 0;
    const handler = async (message: MllpMessage) => {
      const id = message.peer.connectionId;
      assert.equal(active.get(id), undefined, 'one message at a time per connection');
      active.set(id, message.sequence);
      mostConnectionsAtOnce = Math.max(mostConnectionsAtOnce, active.size);
      await delay(Math.floor(Math.random() * 4));
      active.delete(id);
      return acknowledge(message);
    };
    const { server, port } = await startServer({ handler });
    const clients = await Promise.all(Array.from({ length: 200 }, () => MllpClient.connect({ host: HOST, port })));
    const answers = await Promise.all(
      clients.map((client, c) => Promise.all(Array.from({ length: 10 }, (_, m) => client.send(dft(`K${c}-${m}`))))),
    );
    answers.forEach((replies, c) =>
      assert.deepEqual(
        replies.map((reply) => reply.toString()),
        Array.from({ length: 10 }, (_, m) => `MSA|AA|K${c}-${m}`),
      ),
    );
    assert.ok(mostConnectionsAtOnce > 1, 'connections are answered concurrently');
    assert.equal(server.counters.connectionsAccepted, 200);
    assert.equal(server.counters.frames, 2000);
    assert.equal(server.counters.replies, 2000);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('answers the frames around noise and reports the noise, and a missing CR after an end block', async () => {
    const notices: MllpNotice[] = [];
    const { server, port } = await startServer({ onNotice: (notice) => notices.push(notice) });
    const connection = await rawConnection(port);
    await connection.write(
      Buffer.concat([Buffer.from('\r\n'), frame(dft('N1')), Buffer.from('junk'), Buffer.from(`\x0b${dft('N2')}\x1c`)]),
    );
    await connection.write(frame(dft('N3')));
    assert.deepEqual(await connection.untilReplies(3), ['MSA|AA|N1', 'MSA|AA|N2', 'MSA|AA|N3']);
    assert.deepEqual(
      notices.map((notice) => (notice.type === 'noise' ? `${notice.type}:${notice.bytes.toString()}` : notice.type)),
      ['noise:\r\n', 'noise:junk', 'missing-carriage-return'],
    );
    assert.equal(server.counters.noiseBytes, 6);
    assert.equal(server.counters.missingCarriageReturns, 1);
    connection.socket.end();
  });

  it('answers an unterminated frame over the size limit with onError, then reads the next frame', async () => {
    const errors: unknown[] = [];
    const onError = (error: unknown, message: MllpMessage) => {
      errors.push(error);
      return refusal(error, message);
    };
    const { server, port } = await startServer({ maxFrameBytes: 1024, onError });
    const connection = await rawConnection(port);
    await connection.write(`\x0b${dft('BIG')}${'x'.repeat(5000)}`);
    assert.deepEqual(await connection.untilReplies(1), ['MSA|AR|BIG'], 'answered before any end block');
    assert.ok(errors[0] instanceof FrameTooLargeError);
    await connection.write(Buffer.concat([Buffer.from('y'.repeat(50_000) + '\x1c\r'), frame(dft('NEXT'))]));
    assert.deepEqual(await connection.untilReplies(2), ['MSA|AR|BIG', 'MSA|AA|NEXT']);
    assert.equal(server.counters.frameErrors, 1);
    connection.socket.end();
  });

  it('answers a frame truncated by the sender closing its side', async () => {
    const { port } = await startServer();
    const connection = await rawConnection(port);
    await connection.write(Buffer.concat([frame(dft('WHOLE')), Buffer.from(`\x0b${dft('CUT').slice(0, 80)}`)]));
    connection.socket.end();
    await connection.closed;
    assert.deepEqual(connection.replies, ['MSA|AA|WHOLE', 'MSA|AR|CUT']);
  });

  it('answers a message whose handler throws through onError and goes on with the connection', async () => {
    const seen: unknown[] = [];
    const handler = async (message: MllpMessage) => {
      if (controlIdOf(message.payload) === 'BAD') throw new Error('store refused');
      return acknowledge(message);
    };
    const onError = (error: unknown, message: MllpMessage) => {
      seen.push(error);
      return refusal(error, message);
    };
    const { server, port } = await startServer({ handler, onError });
    const client = await MllpClient.connect({ host: HOST, port });
    const replies = await Promise.all(['OK1', 'BAD', 'OK2'].map((id) => client.send(dft(id))));
    assert.deepEqual(
      replies.map((reply) => reply.toString()),
      ['MSA|AA|OK1', 'MSA|AE|BAD', 'MSA|AA|OK2'],
    );
    assert.equal((seen[0] as Error).message, 'store refused');
    assert.equal(server.counters.handlerErrors, 1);
    await client.close();
  });

  it('closes the connection when onError cannot answer either, and counts it', async () => {
    const notices: MllpNotice[] = [];
    const { server, port } = await startServer({
      handler: async () => Promise.reject(new Error('handler down')),
      onError: () => Promise.reject(new Error('hook down')),
      onNotice: (notice) => notices.push(notice),
    });
    const client = await MllpClient.connect({ host: HOST, port });
    await assert.rejects(client.send(dft('LOST')), TransientError);
    assert.equal(server.counters.unanswered, 1);
    assert.deepEqual(
      notices.map((notice) => notice.type),
      ['unanswered'],
    );
  });

  it('starts the next handler of a connection only after the previous reply was written', async () => {
    const timeline: string[] = [];
    const handler = async (message: MllpMessage) => {
      const id = controlIdOf(message.payload);
      timeline.push(`start ${id}`);
      await delay(id === 'SLOW' ? 150 : 1);
      timeline.push(`end ${id}`);
      return acknowledge(message);
    };
    const { port } = await startServer({ handler });
    const client = await MllpClient.connect({ host: HOST, port });
    const slow = client.send(dft('SLOW')).then((reply) => timeline.push(`reply ${reply}`));
    const fast = client.send(dft('FAST')).then((reply) => timeline.push(`reply ${reply}`));
    await Promise.all([slow, fast]);
    assert.deepEqual(timeline.slice(0, 3), ['start SLOW', 'end SLOW', 'start FAST']);
    assert.deepEqual(
      timeline.filter((entry) => entry.startsWith('reply')),
      ['reply MSA|AA|SLOW', 'reply MSA|AA|FAST'],
    );
    await client.close();
  });

  it('closes an idle connection after the idle timeout, but not one waiting on a slow handler', async () => {
    const handler = async (message: MllpMessage) => {
      await delay(400);
      return acknowledge(message);
    };
    const { server, port } = await startServer({ handler, idleTimeoutMs: 150 });
    const idle = await rawConnection(port);
    const started = Date.now();
    await idle.closed;
    assert.ok(Date.now() - started >= 140, 'not before the timeout');
    assert.equal(server.counters.idleTimeouts, 1);

    const busy = await rawConnection(port);
    await busy.write(frame(dft('PATIENT')));
    assert.deepEqual(await busy.untilReplies(1), ['MSA|AA|PATIENT']);
    await busy.closed;
    assert.equal(server.counters.idleTimeouts, 2, 'idle again after its reply');
  });

  it('closes gracefully: stops accepting, writes the reply in flight, then closes the socket', async () => {
    let handlerStarted!: () => void;
    const started = new Promise<void>((resolve) => (handlerStarted = resolve));
    const handler = async (message: MllpMessage) => {
      handlerStarted();
      await delay(200);
      return acknowledge(message);
    };
    const { server, port } = await startServer({ handler });
    const connection = await rawConnection(port);
    await connection.write(frame(dft('INFLIGHT')));
    await started;
    const closing = server.close();
    await assert.rejects(
      new Promise((resolve, reject) => net.connect({ host: HOST, port }).once('connect', resolve).once('error', reject)),
      { code: 'ECONNREFUSED' },
    );
    await connection.closed;
    assert.deepEqual(connection.replies, ['MSA|AA|INFLIGHT']);
    await closing;
    assert.equal(server.counters.connectionsOpen, 0);
  });

  it('serves MLLP over TLS with a self-signed certificate', async function () {
    const folder = mkdtempSync(join(tmpdir(), 'mllp-tls-'));
    try {
      const { key, cert } = selfSignedCertificate(folder);
      const peers: boolean[] = [];
      const handler = async (message: MllpMessage) => {
        peers.push(message.peer.secure);
        return acknowledge(message);
      };
      const tls = { key: readFileSync(key), cert: readFileSync(cert) };
      const { server, port } = await startServer({ handler, tls });
      const client = await MllpClient.connect({ host: HOST, port, tls: { ca: tls.cert } });
      const replies = await Promise.all(['T1', 'T2', 'T3'].map((id) => client.send(dft(id))));
      assert.deepEqual(
        replies.map((reply) => reply.toString()),
        ['MSA|AA|T1', 'MSA|AA|T2', 'MSA|AA|T3'],
      );
      assert.deepEqual(peers, [true, true, true]);
      await client.close();
      await assert.rejects(MllpClient.connect({ host: HOST, port, tls: {} }), /self[- ]signed/);
      assert.equal(server.counters.frames, 3);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
