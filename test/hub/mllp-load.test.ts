// 1,000 HL7 messages from node-hl7-client, the client EHR integrations commonly use, over real MLLP
// sockets to a running hub, through a proxy that re-cuts the byte stream: frames split across many
// TCP writes, and several frames coalesced into one write cut at arbitrary bytes. Every message
// gets its AA, and each ACK the hub writes is already stored with its message when the proxy sees it.
import assert from 'node:assert/strict';
import net from 'node:net';
import { Client, Message } from 'node-hl7-client';
import { MllpDeframer } from '../../connectors/hl7v2/mllp-framer.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { mappableDft } from './hl7-fixtures.js';

interface Cutter {
  port: number;
  /** ACK frames the hub wrote, with whether each was stored (with its message) when it passed. */
  acks: { code: string; controlId: string; stored: boolean }[];
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the hub's listener. Toward the hub it re-cuts the stream: `split` writes
 * each read in pieces of 1 to 97 bytes, one event-loop turn apart; `coalesce` holds bytes until
 * about three frames are in hand and writes them at once, cut at a random byte. Toward the sender it
 * reads the ACK frames, checks the store for each, then passes the bytes on unchanged.
 */
async function startCutter(target: number, mode: 'split' | 'coalesce', isStored: (controlId: string, ack: string) => Promise<boolean>): Promise<Cutter> {
  const acks: Cutter['acks'] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const hub = net.connect({ port: target, host: '127.0.0.1', noDelay: true });
    sockets.add(client).add(hub);
    let held: Buffer[] = [];
    let heldBytes = 0;
    let flushTimer: NodeJS.Timeout | undefined;
    let writing = Promise.resolve();
    const release = (bytes: Buffer) => {
      writing = writing.then(async () => {
        for (let at = 0; at < bytes.length; ) {
          const size = mode === 'split' ? 1 + Math.floor(Math.random() * 97) : bytes.length;
          hub.write(bytes.subarray(at, at + size));
          at += size;
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
    };
    client.on('data', (chunk: Buffer) => {
      if (mode === 'split') return release(chunk);
      held.push(chunk);
      heldBytes += chunk.length;
      clearTimeout(flushTimer);
      const flush = () => {
        const all = Buffer.concat(held);
        // Cut at a random byte: what is left over goes with the next coalesced write.
        const cut = heldBytes > 3000 ? Math.floor(all.length * (0.5 + Math.random() * 0.5)) : all.length;
        release(all.subarray(0, cut));
        held = cut < all.length ? [all.subarray(cut)] : [];
        heldBytes = all.length - cut;
        if (heldBytes > 0) flushTimer = setTimeout(flush, 5);
      };
      if (heldBytes > 3 * 1500) flush();
      else flushTimer = setTimeout(flush, 5);
    });
    const deframer = new MllpDeframer();
    let forwarding = Promise.resolve();
    hub.on('data', (chunk: Buffer) => {
      const copy = Buffer.from(chunk);
      const frames = deframer.push(copy).flatMap((event) => (event.type === 'message' ? [event.payload.toString('utf8')] : []));
      forwarding = forwarding.then(async () => {
        for (const ack of frames) {
          const [code = '', controlId = ''] = /(?:^|\r)MSA\|([^|\r]*)\|([^|\r]*)/.exec(ack)?.slice(1) ?? [];
          acks.push({ code, controlId, stored: await isStored(controlId, ack) });
        }
        client.write(copy);
      });
    });
    for (const socket of [client, hub]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        hub.destroy();
        sockets.delete(socket);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    acks,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('1,000 messages from node-hl7-client over MLLP (postgres)', function () {
  this.timeout(300_000);
  let t: TestHub;
  const isStored = async (controlId: string, ack: string) => {
    const { rows } = await t.hub.store.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM messages WHERE source = 'mllp' AND control_ids->>'controlId' = $1 AND ack = $2",
      [controlId, ack],
    );
    return Number(rows[0].n) === 1;
  };

  before(async () => {
    t = await startTestHub('postgres');
  });
  after(async () => t?.stop());

  it('answers 600 messages on 6 connections, each frame split across many writes, one AA each, in the store before its ACK', async () => {
    const cutter = await startCutter(t.hub.mllpPorts.mllp, 'split', isStored);
    const client = new Client({ host: '127.0.0.1' });
    try {
      const perConnection = 100;
      const received = await Promise.all(
        Array.from({ length: 6 }, (_, c) => {
          const ids = Array.from({ length: perConnection }, (_, i) => `SPLIT-${c}-${i}`);
          return new Promise<{ code: string; controlId: string }[]>((resolve) => {
            const answers: { code: string; controlId: string }[] = [];
            // waitAck: node-hl7-client sends one message at a time; the next goes out from the ACK handler.
            const connection = client.createConnection({ port: cutter.port, waitAck: true }, async (response) => {
              const ack = response.getMessage();
              answers.push({ code: ack.get('MSA.1').toString(), controlId: ack.get('MSA.2').toString() });
              if (answers.length === ids.length) return resolve(answers);
              await connection.sendMessage(new Message({ text: mappableDft(ids[answers.length]) }));
            });
            void connection.sendMessage(new Message({ text: mappableDft(ids[0]) }));
          });
        }),
      );
      for (const [c, answers] of received.entries()) {
        assert.deepEqual(answers, Array.from({ length: perConnection }, (_, i) => ({ code: 'AA', controlId: `SPLIT-${c}-${i}` })));
      }
      assert.equal(cutter.acks.length, 600);
      assert.deepEqual(cutter.acks.filter((ack) => !ack.stored), [], 'every ACK was stored with its message when it was sent');
    } finally {
      client.closeAll();
      await cutter.close();
    }
  });

  it('answers 400 pipelined messages on 2 connections, frames coalesced and cut at random bytes, in order, one AA each', async () => {
    const cutter = await startCutter(t.hub.mllpPorts.mllp, 'coalesce', isStored);
    const client = new Client({ host: '127.0.0.1' });
    let handled = 0;
    try {
      const ids = Array.from({ length: 2 }, (_, c) => Array.from({ length: 200 }, (_, i) => `COALESCE-${c}-${i}`));
      for (const batch of ids) {
        // waitAck false: node-hl7-client writes every frame at once. Its reader folds ACKs that arrive
        // in one read into one (LIBRARIES.md), so the ACKs are counted on the wire, at the proxy.
        const connection = client.createConnection({ port: cutter.port, waitAck: false }, () => {
          handled++;
        });
        for (const id of batch) await connection.sendMessage(new Message({ text: mappableDft(id) }));
      }
      const until = Date.now() + 120_000;
      while (cutter.acks.length < 400 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
      for (const batch of ids) {
        const seen = cutter.acks.filter((ack) => batch.includes(ack.controlId));
        assert.deepEqual(seen, batch.map((controlId) => ({ code: 'AA', controlId, stored: true })), 'each connection answered in order');
      }
      assert.ok(handled > 0 && handled <= 400);
      const { rows } = await t.hub.store.db.query<{ n: string }>("SELECT count(*) AS n FROM messages WHERE control_ids->>'controlId' LIKE 'COALESCE-%'");
      assert.equal(Number(rows[0].n), 400);
    } finally {
      client.closeAll();
      await cutter.close();
    }
  });
});
