// The hub's MLLP listener as an EHR interface engine meets it: real sockets to a running hub. Every
// frame gets an answer (AA only once stored, AE/AR with a located ERR otherwise), frames may be cut
// anywhere, resends are recognised by MSH-10, and the listener survives whatever it is sent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { MllpClient } from '../../connectors/hl7v2/mllp-client.js';
import { frame, MllpDeframer } from '../../connectors/hl7v2/mllp-framer.js';
import { parseHl7Message } from '../../connectors/hl7v2/parse.js';
import { CORPUS } from '../support/corpus.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { eventually } from '../support/eventually.js';
import { clearRedisPrefix, postgresSchema, POSTGRES_URL, uniqueName } from '../support/services.js';
import { startHubIn } from './source-hub.js';
import { startTcpProxy } from './tcp-proxy.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { mappableDft } from './hl7-fixtures.js';
import { selfSignedCertificate } from '../support/tls.js';

const corpus = (name: string) => readFileSync(join(CORPUS, 'hl7v2', name), 'utf8');

/** Writes `payload` framed, in pieces of `pieceBytes` with a pause between writes; resolves with every reply. */
export async function sendInPieces(port: number, payloads: string[], pieceBytes: number, options: { endAfter?: boolean } = {}): Promise<string[]> {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true, allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const replies: string[] = [];
  const deframer = new MllpDeframer();
  const done = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      for (const event of deframer.push(chunk)) if (event.type === 'message') replies.push(event.payload.toString('utf8'));
      if (replies.length >= payloads.length) resolve();
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  const bytes = Buffer.concat(payloads.map((payload) => (options.endAfter ? Buffer.from(`\u000b${payload}`) : frame(payload))));
  for (let at = 0; at < bytes.length; at += pieceBytes) {
    socket.write(bytes.subarray(at, at + pieceBytes));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (options.endAfter) socket.end();
  await done;
  socket.destroy();
  return replies;
}

function msa(ack: string): { code: string; controlId: string; err: string[][] } {
  const segments = parseHl7Message(ack).segments;
  const row = segments.find((segment) => segment.id === 'MSA')!;
  return { code: row.fields[1], controlId: row.fields[2] ?? '', err: segments.filter((s) => s.id === 'ERR').map((s) => s.fields) };
}

describe('MLLP source (postgres)', function () {
  this.timeout(120_000);
  let t: TestHub;
  let port: number;
  const stored = async (controlId: string) =>
    (
      await t.hub.store.db.query<{ id: string; status: string; message_type: string | null; ack: string | null; raw: string }>(
        `SELECT id, status, message_type, ack, raw FROM messages WHERE source = 'mllp' AND control_ids->>'controlId' = $1 ORDER BY received_at`,
        [controlId],
      )
    ).rows;

  before(async () => {
    t = await startTestHub('postgres');
    port = t.hub.mllpPorts.mllp;
  });
  after(async () => t?.stop());

  it('answers a DFT^P03 written 7 bytes at a time with AA echoing MSH-10, once it is stored with that ACK', async () => {
    const dft = mappableDft('MLLP-SPLIT-1');
    const [ack] = await sendInPieces(port, [dft], 7);
    const answer = msa(ack);
    assert.equal(answer.code, 'AA', ack);
    assert.equal(answer.controlId, 'MLLP-SPLIT-1');
    const [row] = await stored('MLLP-SPLIT-1');
    assert.equal(row.ack, ack, 'the ACK sent is the one stored with the message');
    assert.equal(row.message_type, 'DFT^P03');
    assert.notEqual(row.status, 'failed');
    const claims = await t.hub.store.reader.claimsOf(row.id);
    assert.equal(claims.length, 1);
  });

  it('reads several frames arriving in one write and answers each in order', async () => {
    const ids = ['MLLP-BULK-1', 'MLLP-BULK-2', 'MLLP-BULK-3'];
    const replies = await sendInPieces(port, ids.map((id) => mappableDft(id)), 1_000_000);
    assert.deepEqual(replies.map((reply) => [msa(reply).code, msa(reply).controlId]), ids.map((id) => ['AA', id]));
  });

  for (const [file, type] of [['msconv-ORU-R01-01.hl7', 'ORU^R01'], ['msconv-SIU-S12-01.hl7', 'SIU^S12'], ['msconv-VXU-V04-01.hl7', 'VXU^V04']] as const) {
    it(`rejects ${type}, which claimhub does not translate, with AR and ERR 200 naming it, and stores it failed`, async () => {
      const raw = corpus(file);
      const controlId = parseHl7Message(raw).header.controlId;
      const [ack] = await sendInPieces(port, [raw], 4096);
      const answer = msa(ack);
      assert.equal(answer.code, 'AR');
      assert.equal(answer.controlId, controlId);
      assert.match(answer.err[0][3], /^200\^Unsupported message type/);
      assert.ok(answer.err[0][8].includes(type.replace('^', '\\S\\')), answer.err[0][8]);
      const [row] = await stored(controlId);
      assert.equal(row.status, 'failed');
    });
  }

  it('answers garbage with AR, keeps the connection, and answers the next message on it', async () => {
    const client = await MllpClient.connect({ host: '127.0.0.1', port });
    try {
      const garbage = msa((await client.send('THIS IS NOT HL7')).toString());
      assert.equal(garbage.code, 'AR');
      assert.equal(garbage.controlId, '');
      assert.match(garbage.err[0][3], /^100\^Segment sequence error/);
      assert.match(garbage.err[0][8], /MSH first, found "THI"/);
      const next = msa((await client.send(mappableDft('MLLP-AFTER-GARBAGE'))).toString());
      assert.deepEqual([next.code, next.controlId], ['AA', 'MLLP-AFTER-GARBAGE']);
    } finally {
      await client.close();
    }
    const health = await fetch(`${t.url}/healthz`);
    assert.equal(health.status, 200);
  });

  it('answers bad encoding characters with AR located at MSH-2, and a bad segment with AE located at it', async () => {
    const client = await MllpClient.connect({ host: '127.0.0.1', port });
    try {
      const encoding = msa((await client.send('MSH|^~|EHR|FAC|HUB|HUB|20261125||DFT^P03|ENC-1|P|2.5.1\rPID|1')).toString());
      assert.equal(encoding.code, 'AR');
      assert.match(encoding.err[0][2], /^MSH\^1\^2$/);
      const dft = mappableDft('MLLP-BAD-SEGMENT').replace(/\rPV1\|/, '\rpv1|');
      const segment = msa((await client.send(dft)).toString());
      assert.equal(segment.code, 'AE');
      assert.equal(segment.controlId, 'MLLP-BAD-SEGMENT');
      assert.match(segment.err[0][8], /segment id "pv1"/);
    } finally {
      await client.close();
    }
  });

  it('answers a frame cut off by the sender closing its side with AR naming the truncation, and stores nothing', async () => {
    const dft = mappableDft('MLLP-TRUNCATED');
    const [ack] = await sendInPieces(port, [dft.slice(0, 300)], 64, { endAfter: true });
    const answer = msa(ack);
    assert.equal(answer.code, 'AR');
    assert.equal(answer.controlId, 'MLLP-TRUNCATED');
    assert.match(answer.err[0][8], /without an end block/);
    assert.equal((await stored('MLLP-TRUNCATED')).length, 0);
  });

  it('answers a resend (same MSH-10, renewed MSH-7) with the first ACK and stores it once; a reused MSH-10 with other content gets AE 205', async () => {
    const client = await MllpClient.connect({ host: '127.0.0.1', port });
    try {
      const first = (await client.send(mappableDft('MLLP-RESEND'))).toString();
      const resend = (await client.send(mappableDft('MLLP-RESEND').replace(/\|2026\d{8,10}\|/, '|20261231235959|'))).toString();
      assert.equal(resend, first);
      assert.equal((await stored('MLLP-RESEND')).length, 1);
      const reused = msa((await client.send(mappableDft('MLLP-RESEND', { amount: '999.00' }))).toString());
      assert.equal(reused.code, 'AE');
      assert.match(reused.err[0][3], /^205\^Duplicate key identifier/);
      assert.equal(reused.err[0][2], 'MSH^1^10');
      const rows = await stored('MLLP-RESEND');
      assert.equal(rows.length, 2);
      assert.equal(rows[1].status, 'failed');
    } finally {
      await client.close();
    }
  });

  it('answers HL7 over HTTP with the ACK in the body, and with the JSON receipt when asked for JSON', async () => {
    const ack = await t.call('POST', '/v1/messages', mappableDft('HTTP-ACK-1'), { 'content-type': 'x-application/hl7-v2+er7' });
    assert.equal(ack.status, 202);
    assert.match(ack.headers.get('content-type') ?? '', /hl7-v2/);
    assert.match(ack.headers.get('location') ?? '', /^\/v1\/messages\//);
    const answer = msa(await ack.text());
    assert.deepEqual([answer.code, answer.controlId], ['AA', 'HTTP-ACK-1']);
    const json = await t.call('POST', '/v1/messages', mappableDft('HTTP-ACK-2'), { 'content-type': 'text/plain', accept: 'application/json' });
    assert.equal(json.status, 202);
    const body = (await json.json()) as { claims: unknown[] };
    assert.equal(body.claims.length, 1);
    const refused = await t.call('POST', '/v1/messages', corpus('msconv-ORU-R01-01.hl7'), { 'content-type': 'x-application/hl7-v2+er7' });
    assert.equal(refused.status, 422);
    assert.equal(msa(await refused.text()).code, 'AR');
  });

  it('takes an HL7 batch file over HTTP: one stored message per MSH, answered with a batch of ACKs', async () => {
    const batch = corpus('cdcprs-batch-oru-r01-2.hl7');
    const response = await t.call('POST', '/v1/messages', batch, { 'content-type': 'x-application/hl7-v2+er7' });
    const text = await response.text();
    assert.equal(response.status, 202, 'the batch is taken; each ORU in it is refused on its own');
    assert.deepEqual(
      text.split('\r').map((line) => line.slice(0, 3)),
      ['FHS', 'BHS', 'MSH', 'MSA', 'ERR', 'MSH', 'MSA', 'ERR', 'BTS', 'FTS'],
    );
    assert.deepEqual(text.split('\r').filter((line) => line.startsWith('MSA')).map((line) => line.slice(0, 6)), ['MSA|AR', 'MSA|AR']);
    const parent = response.headers.get('x-message-id')!;
    const { rows } = await t.hub.store.db.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE parent_id = $1', [parent]);
    assert.equal(Number(rows[0].n), 2);
  });
});

describe('MLLP source acknowledging after the commit (pglite)', function () {
  this.timeout(120_000);
  let t: TestHub;
  let port: number;
  const row = async (controlId: string) =>
    (await t.hub.store.db.query<{ id: string; status: string; message_type: string | null }>(
      "SELECT id, status, message_type FROM messages WHERE control_ids->>'controlId' = $1",
      [controlId],
    )).rows[0];

  before(async () => {
    t = await startTestHub('pglite', 'sources:\n  - { id: fast, type: mllp, port: 0, acknowledge: after-commit }\n');
    port = t.hub.mllpPorts.fast;
  });
  after(async () => t?.stop());

  it('answers AA once the message is stored, before its mapping runs; the ingest job then maps and delivers it', async () => {
    const client = await MllpClient.connect({ host: '127.0.0.1', port });
    try {
      const answer = msa((await client.send(mappableDft('FAST-1'))).toString());
      assert.deepEqual([answer.code, answer.controlId], ['AA', 'FAST-1']);
      const stored = await row('FAST-1');
      assert.equal(stored.message_type, 'DFT^P03', 'stored with what the check read');
      await eventually(async () => ((await row('FAST-1')).status === 'delivered' ? true : undefined), 30_000, 'FAST-1 delivered');
      assert.equal((await t.hub.store.reader.claimsOf(stored.id)).length, 1);
    } finally {
      await client.close();
    }
  });

  it('still answers what does not parse, or has no mapping, at once (AR), but a mapping refusal only later, as a dead letter', async () => {
    const client = await MllpClient.connect({ host: '127.0.0.1', port });
    try {
      assert.equal(msa((await client.send('THIS IS NOT HL7')).toString()).code, 'AR');
      assert.equal(msa((await client.send(corpus('msconv-ORU-R01-01.hl7'))).toString()).code, 'AR');
      // no coverage: the mapping refuses it (IN1 required), which this mode learns only after the AA
      const uninsured = mappableDft('FAST-NO-IN1').split('\r').filter((line) => !/^IN[12]\|/.test(line)).join('\r');
      assert.equal(msa((await client.send(uninsured)).toString()).code, 'AA');
      await eventually(async () => ((await row('FAST-NO-IN1')).status === 'failed' ? true : undefined), 30_000, 'FAST-NO-IN1 failed');
      const { rows } = await t.hub.store.db.query<{ error_class: string }>(
        "SELECT error_class FROM dead_letters WHERE message_id = $1 AND status = 'open'",
        [(await row('FAST-NO-IN1')).id],
      );
      assert.deepEqual(rows.map((r) => r.error_class), ['validation']);
    } finally {
      await client.close();
    }
  });
});

describe('MLLP source limits and outages', function () {
  this.timeout(120_000);

  it('refuses frames beyond maxInFlight with AR (busy) instead of queueing without bound; what it refused is not stored', async () => {
    const t = await startTestHub('pglite', 'sources:\n  - { id: busy, type: mllp, port: 0, maxInFlight: 1 }\n');
    try {
      const port = t.hub.mllpPorts.busy;
      const ids = Array.from({ length: 12 }, (_, i) => `BUSY-${i}`);
      const replies = (await Promise.all(ids.map((id) => sendInPieces(port, [mappableDft(id)], 1_000_000)))).map(([reply]) => msa(reply));
      const busy = replies.filter((reply) => reply.code === 'AR');
      assert.ok(busy.length > 0 && busy.length < ids.length, `${busy.length} of ${ids.length} refused`);
      for (const reply of busy) {
        assert.match(reply.err[0][8], /busy/);
        assert.match(reply.err[0][3], /^207/);
      }
      const { rows } = await t.hub.store.db.query<{ id: string }>("SELECT control_ids->>'controlId' AS id FROM messages WHERE source = 'busy'");
      assert.deepEqual(rows.map((row) => row.id).sort(), replies.filter((r) => r.code === 'AA').map((r) => r.controlId).sort(), 'exactly the answered AA are stored');
    } finally {
      await t.stop();
    }
  });

  it('answers AR 207 while the store is down, stores nothing, and AA once it is back', async () => {
    const schema = await postgresSchema();
    const target = new URL(POSTGRES_URL);
    const proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
    const url = new URL(schema.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const place = { dataDir: await mkdtemp(join(tmpdir(), 'claimhub-mllp-outage-')), prefix: uniqueName('chmllpout'), databaseUrl: url.toString() };
    const hub = await startHubIn(place, 'routes:\n  - { name: all, to: [outbox] }\n');
    try {
      const port = hub.mllpPorts.mllp;
      await proxy.cut();
      const client = await MllpClient.connect({ host: '127.0.0.1', port });
      try {
        const down = msa((await client.send(mappableDft('OUTAGE-1'))).toString());
        assert.deepEqual([down.code, down.controlId], ['AR', 'OUTAGE-1']);
        assert.match(down.err[0][3], /^207\^/);
        assert.match(down.err[0][8], /store is unavailable.*send it again/);
        await proxy.restore();
        const back = await eventually(async () => {
          const answer = msa((await client.send(mappableDft('OUTAGE-1'))).toString());
          return answer.code === 'AA' ? answer : undefined;
        }, 30_000, 'AA once the store is back');
        assert.equal(back.controlId, 'OUTAGE-1');
      } finally {
        await client.close();
      }
      const { rows } = await hub.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE control_ids->>'controlId' = 'OUTAGE-1'");
      assert.equal(rows[0].n, 1, 'stored once: the AR left nothing behind');
    } finally {
      await hub.close();
      await proxy.cut().catch(() => undefined);
      await clearRedisPrefix(place.prefix);
      await schema.drop();
      await rm(place.dataDir, { recursive: true, force: true });
    }
  });

  it('listens over TLS when a source has a key and certificate (file: PEMs), and answers only TLS clients', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'claimhub-mllp-tls-'));
    const { key, cert } = selfSignedCertificate(folder);
    const t = await startTestHub('pglite', `sources:\n  - { id: secure, type: mllp, port: 0, tls: { key: "file:${key}", cert: "file:${cert}" } }\n`);
    try {
      const port = t.hub.mllpPorts.secure;
      const client = await MllpClient.connect({ host: '127.0.0.1', port, tls: { ca: readFileSync(cert) } });
      try {
        const answer = msa((await client.send(mappableDft('TLS-1'))).toString());
        assert.deepEqual([answer.code, answer.controlId], ['AA', 'TLS-1']);
      } finally {
        await client.close();
      }
      await assert.rejects(MllpClient.connect({ host: '127.0.0.1', port, tls: {} }), /self[- ]signed/);
    } finally {
      await t.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
