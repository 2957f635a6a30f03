// MLLP end to end: DFT^P03 messages over MLLP to a running hub on PostgreSQL + Redis, each ACK
// written only after its message is committed (translated, routed, stored with its ACK; group
// commit batches the writes of all connections). Measured: sustained ACK rate with every
// connection sending as fast as it is answered, then ACK latency at a fixed 500 msg/s. The peer,
// measured the same way in the same run: our MLLP listener committing each frame with its own
// INSERT (one transaction per frame), no parsing, mapping, routing or queueing.
//   node --import tsx bench/mllp-hub.ts   (BENCH_MLLP_SECONDS, BENCH_MLLP_CONNECTIONS)
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { MllpClient } from '../connectors/hl7v2/mllp-client.js';
import { MllpServer } from '../connectors/hl7v2/mllp-server.js';
import { mappableDft } from '../test/hub/hl7-fixtures.js';
import { clearRedisPrefix } from '../test/support/services.js';
import { admin, REDIS_URL, schemaUrl, startHubProcess, stopHubProcess } from './hub-process.js';

const SECONDS = Number(process.env.BENCH_MLLP_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_MLLP_CONNECTIONS ?? 32);
const PACED_RATE = 500;
const tag = Date.now().toString(36);
let sequence = 0;

interface Run {
  sent: number;
  accepted: number;
  seconds: number;
  latencies: number[];
}

const nextMessage = () => mappableDft(`B${tag}${(sequence++).toString(36)}`.slice(0, 20));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every connection sends its next message as soon as the previous one is answered. */
async function flatOut(port: number, seconds: number): Promise<Run> {
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => MllpClient.connect({ host: '127.0.0.1', port })));
  const run: Run = { sent: 0, accepted: 0, seconds, latencies: [] };
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const start = performance.now();
        run.sent++;
        const ack = (await client.send(nextMessage())).toString();
        run.latencies.push(performance.now() - start);
        if (/\rMSA\|AA\|/.test(ack)) run.accepted++;
      }
    }),
  );
  await Promise.all(clients.map((client) => client.close()));
  return run;
}

/** Messages at a fixed rate, spread over the connections (pipelined when one is still waiting). */
async function paced(port: number, rate: number, seconds: number): Promise<Run> {
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => MllpClient.connect({ host: '127.0.0.1', port })));
  const run: Run = { sent: 0, accepted: 0, seconds, latencies: [] };
  const total = rate * seconds;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  const progress = setInterval(() => process.stderr.write(`  sent ${run.sent}, answered ${run.latencies.length}\n`), 2000);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    run.sent++;
    pending.push(
      clients[i % clients.length].send(nextMessage()).then((ack) => {
        run.latencies.push(performance.now() - sentAt);
        if (/\rMSA\|AA\|/.test(ack.toString())) run.accepted++;
      }),
    );
  }
  await Promise.all(pending);
  clearInterval(progress);
  await Promise.all(clients.map((client) => client.close()));
  return run;
}

async function measure(label: string, port: number): Promise<{ flat: Run; paced: Run }> {
  process.stderr.write(`${label}: warm-up\n`);
  await flatOut(port, 3); // warm-up: JIT, mapping compilation, connection pools
  process.stderr.write(`${label}: flat out for ${SECONDS} s\n`);
  const flat = await flatOut(port, SECONDS);
  process.stderr.write(`${label}: ${PACED_RATE} msg/s\n`);
  return { flat, paced: await paced(port, PACED_RATE, Math.max(5, Math.round(SECONDS * 0.7))) };
}

/** The peer: our MLLP listener, one INSERT (its own transaction) per frame, then a fixed ACK. */
async function peer(): Promise<{ flat: Run; paced: Run }> {
  const schema = `bench_mllp_peer_${tag}`;
  await admin(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: schemaUrl(schema), max: 10 });
  await pool.query('CREATE TABLE frames (id uuid PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(), raw text NOT NULL)');
  const server = new MllpServer({
    port: 0,
    host: '127.0.0.1',
    handler: async (message) => {
      const raw = message.text();
      await pool.query('INSERT INTO frames (id, raw) VALUES ($1, $2)', [randomUUID(), raw]);
      const controlId = raw.split('\r', 1)[0].split('|')[9] ?? '';
      return `MSH|^~\\&|PEER||||20261125||ACK^P03^ACK|${randomUUID().slice(0, 20)}|P|2.5.1\rMSA|AA|${controlId}`;
    },
    onError: () => 'MSH|^~\\&|PEER||||20261125||ACK|X|P|2.5.1\rMSA|AR|',
  });
  const { port } = await server.listen();
  try {
    return await measure('peer', port);
  } finally {
    await server.close();
    await pool.end();
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

/** One hub process whose MLLP source acknowledges `acknowledge`; the claims it stored by the end, and when all were delivered. */
async function hub(acknowledge: 'after-translation' | 'after-commit'): Promise<{ flat: Run; paced: Run; claims: number; drainSeconds: number }> {
  const name = acknowledge === 'after-commit' ? 'commit' : 'translation';
  const schema = `bench_mllp_${name}_${tag}`;
  const prefix = `benchmllp${name}${tag}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'claimhub-bench-mllp-'));
  await admin(`CREATE SCHEMA ${schema}`);
  const port = await freePort();
  const config = join(dataDir, 'claimhub.config.yaml');
  await writeFile(config, `sources:\n  - { id: mllp, type: mllp, port: ${port}, acknowledge: ${acknowledge} }\n`);
  const process_ = await startHubProcess({
    CLAIMHUB_CONFIG: config,
    DATABASE_URL: schemaUrl(schema),
    REDIS_URL,
    CLAIMHUB_PORT: '0',
    CLAIMHUB_MLLP_PORT: String(port),
    CLAIMHUB_DATA_DIR: dataDir,
    CLAIMHUB_QUEUE_PREFIX: prefix,
    CLAIMHUB_API_KEY: `bench-key-${tag}`,
    LOG_LEVEL: 'info', // startHubProcess waits for the "claimhub is up" line
  });
  try {
    const result = await measure(`claimhub (${acknowledge})`, port);
    const measured = performance.now();
    const db = new pg.Client({ connectionString: schemaUrl(schema) });
    await db.connect();
    // everything the runs sent is translated and delivered (acknowledging after the commit leaves a backlog)
    for (;;) {
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE status NOT IN ('delivered', 'failed')");
      if (rows[0].n === 0 || performance.now() - measured > 600_000) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const drainSeconds = (performance.now() - measured) / 1000;
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM claims');
    await db.end();
    return { ...result, claims: rows[0].n, drainSeconds };
  } finally {
    await stopHubProcess(process_.child);
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await clearRedisPrefix(prefix, REDIS_URL);
    await rm(dataDir, { recursive: true, force: true });
  }
}

function describe(label: string, run: Run): string {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  return `${label}: ${(run.accepted / run.seconds).toFixed(0)} AA/s (${run.accepted} of ${run.sent}), ACK latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`;
}

const theirs = await peer();
const inline = await hub('after-translation');
const onCommit = await hub('after-commit');
const lines = [
  `claimhub MLLP end-to-end benchmark — ${new Date().toISOString()} — node ${process.version}, PostgreSQL + Redis, ${availableParallelism()} cores, ${CONNECTIONS} connections`,
  `message: DFT^P03 of ${nextMessage().length} bytes (one professional claim, three charges)`,
  describe(`peer (MLLP listener, one INSERT transaction per frame), flat out ${SECONDS} s`, theirs.flat),
  describe(`peer at ${PACED_RATE} msg/s`, theirs.paced),
  describe(`claimhub, acknowledge after-translation (parse, map, validate, route, group commit, then AA), flat out ${SECONDS} s`, inline.flat),
  describe(`claimhub, acknowledge after-translation, at ${PACED_RATE} msg/s`, inline.paced),
  `  ${(inline.flat.accepted / theirs.flat.accepted).toFixed(2)}× the peer flat out; ${inline.claims} claims stored, all delivered ${inline.drainSeconds.toFixed(1)} s after the last ACK`,
  describe(`claimhub, acknowledge after-commit (parse, check type, group commit, then AA; mapped by the ingest job), flat out ${SECONDS} s`, onCommit.flat),
  describe(`claimhub, acknowledge after-commit, at ${PACED_RATE} msg/s`, onCommit.paced),
  `  ${(onCommit.flat.accepted / theirs.flat.accepted).toFixed(2)}× the peer flat out; ${onCommit.claims} claims stored, all delivered ${onCommit.drainSeconds.toFixed(1)} s after the last ACK`,
];
process.stdout.write(lines.join('\n') + '\n');
