// `npm run bench`: end-to-end figures for the spine on PostgreSQL + Redis, against a peer measured
// in the same run (bench/peers/minimal-receiver.ts: one INSERT per POST, nothing else).
//   1. sustained throughput: N distinct FHIR claim bundles POSTed by 64 connections; claims/s from
//      the first receipt to the last delivery (outbox file written and recorded).
//   2. latency at a fixed rate: 500 req/s for 20 s; receipt → delivered percentiles from the store.
// Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), REDIS_URL,
// BENCH_CLAIMS (default 30000), BENCH_SECONDS (default 20).
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { clearRedisPrefix } from '../test/support/services.js';
import { ROOT, startProcess, stopHubProcess as stop } from './hub-process.js';
import pg from 'pg';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 30_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const KEY = 'bench-key-' + Date.now();
const tag = Date.now().toString(36);

function schemaUrl(schema: string): string {
  return `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Starts a child process and resolves once its output matches `ready`. */

function bodies(template: string, count: number, label: string): string[] {
  return Array.from({ length: count }, (_, i) => template.replaceAll('ACC-5520-01', `B-${tag}-${label}-${i}`));
}

async function load(
  url: string,
  payloads: string[],
  options: { connections: number; amount?: number; duration?: number; overallRate?: number },
  headers: Record<string, string>,
) {
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    headers,
    connections: options.connections,
    pipelining: 1,
    timeout: 30,
    // autocannon refuses keys set to undefined
    ...(options.amount ? { amount: options.amount } : {}),
    ...(options.duration ? { duration: options.duration } : {}),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [{ setupRequest: (req) => ({ ...req, body: payloads[next++ % payloads.length] }) }],
  });
  return result;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function waitDelivered(db: pg.Client, expected: number, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE status = 'delivered'");
    if (rows[0]!.n >= expected || Date.now() > until) return rows[0]!.n;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const template = await readFile(join(ROOT, 'test/fixtures/fhir/claim-bundle-professional.json'), 'utf8');
  const hubSchema = `bench_hub_${tag}`;
  const peerSchema = `bench_peer_${tag}`;
  await admin(async (c) => {
    await c.query(`CREATE SCHEMA ${hubSchema}`);
    await c.query(`CREATE SCHEMA ${peerSchema}`);
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'claimhub-bench-'));
  const children: ChildProcess[] = [];
  try {
    // --- peer: the minimal durable receiver ---
    const peer = await startProcess(['bench/peers/minimal-receiver.ts'], { DATABASE_URL: schemaUrl(peerSchema) }, /listening (\d+)/);
    children.push(peer.child);
    const peerUrl = `http://127.0.0.1:${peer.match[1]}/messages`;
    await load(peerUrl, bodies(template, 500, 'pw'), { connections: 16, amount: 2000 }, { 'content-type': 'application/fhir+json' });
    const peerRun = await load(
      peerUrl,
      bodies(template, CLAIMS, 'p'),
      { connections: 64, amount: CLAIMS },
      { 'content-type': 'application/fhir+json' },
    );
    const peerRate = peerRun.requests.total / peerRun.duration;
    await stop(peer.child);

    // --- claimhub: gateway + workers in one process, PostgreSQL + Redis ---
    const hub = await startProcess(
      ['cli/main.ts', 'start'],
      {
        DATABASE_URL: schemaUrl(hubSchema),
        REDIS_URL,
        CLAIMHUB_PORT: '0',
        CLAIMHUB_MLLP_PORT: '0',
        CLAIMHUB_DATA_DIR: dataDir,
        CLAIMHUB_QUEUE_PREFIX: `bench${tag}`,
        CLAIMHUB_API_KEY: KEY,
        LOG_LEVEL: 'info',
      },
      /"url":"(http:\/\/[^"]+)".*claimhub is up/,
    );
    children.push(hub.child);
    const hubUrl = `${hub.match[1]}/v1/messages`;
    const headers = { 'content-type': 'application/fhir+json', authorization: `Bearer ${KEY}` };
    const db = new pg.Client({ connectionString: schemaUrl(hubSchema) });
    await db.connect();
    try {
      await load(hubUrl, bodies(template, 2000, 'w'), { connections: 16, amount: 2000 }, headers);
      await waitDelivered(db, 2000, 60_000);
      await db.query('TRUNCATE message_events, deliveries, dead_letters, x12_submissions, canonical_objects, claims, messages');

      const run = await load(hubUrl, bodies(template, CLAIMS, 't'), { connections: 64, amount: CLAIMS }, headers);
      const delivered = await waitDelivered(db, CLAIMS, 300_000);
      const span = await db.query<{ seconds: number; non202: number }>(
        `SELECT extract(epoch FROM (SELECT max(delivered_at) FROM deliveries) - (SELECT min(received_at) FROM messages))::float AS seconds, 0 AS non202`,
      );
      const e2eRate = delivered / span.rows[0]!.seconds;
      const accepted = run['2xx'];

      await db.query('TRUNCATE message_events, deliveries, dead_letters, x12_submissions, canonical_objects, claims, messages');
      const steady = await load(
        hubUrl,
        bodies(template, 500 * SECONDS, 'l'),
        { connections: 32, duration: SECONDS, overallRate: 500 },
        headers,
      );
      const steadyCount = steady['2xx'];
      await waitDelivered(db, steadyCount, 120_000);
      const lat = await db.query<{ ms: number }>(
        `SELECT extract(epoch FROM d.delivered_at - m.received_at) * 1000 AS ms
         FROM deliveries d JOIN messages m ON m.id = d.message_id ORDER BY 1`,
      );
      const ms = lat.rows.map((r) => Number(r.ms));
      const ack = steady.latency;

      const lines = [
        `claimhub spine benchmark — ${new Date().toISOString()} — node ${process.version}, PostgreSQL + Redis, 2 cores`,
        '',
        `peer (minimal receiver: 1 INSERT per POST, no mapping/queue/delivery): ${peerRate.toFixed(0)} req/s accepted`,
        `claimhub sustained: ${CLAIMS} claims POSTed by 64 connections: ${accepted} accepted (202) at ${(run.requests.total / run.duration).toFixed(0)} req/s;`,
        `  end to end (first receipt → last delivery, ${delivered} delivered): ${e2eRate.toFixed(0)} claims/s`,
        `  ratio claimhub end-to-end / peer ingest-only: ${(e2eRate / peerRate).toFixed(2)}×`,
        `claimhub at ${500} req/s for ${SECONDS} s (${steadyCount} claims): receipt → delivered p50 ${pct(ms, 50).toFixed(1)} ms, p95 ${pct(ms, 95).toFixed(1)} ms, p99 ${pct(ms, 99).toFixed(1)} ms, max ${ms[ms.length - 1]?.toFixed(1)} ms`,
        `  HTTP 202 latency p50 ${ack.p50} ms, p99 ${ack.p99} ms`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    } finally {
      await db.end();
    }
  } finally {
    await Promise.all(children.map(stop));
    await admin(async (c) => {
      await c.query(`DROP SCHEMA IF EXISTS ${hubSchema} CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS ${peerSchema} CASCADE`);
    });
    await rm(dataDir, { recursive: true, force: true });
    await clearRedisPrefix(`bench${tag}`, REDIS_URL);
  }
}

await main();
