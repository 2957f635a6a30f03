// X12 end to end: one 837P of BENCH_X12_CLAIMS claims (default 10,000) POSTed to a running hub on
// PostgreSQL + Redis, timed from the POST to the last claim recorded as delivered to the file
// destination (each claim an fsynced file), against a peer measured in the same run on the same file:
// x12-parser + its grouper, each 2300 loop stored as a jsonb row (multi-row INSERTs, one transaction)
// and written as an fsynced file — the least a durable pipeline does, without envelope checks,
// loop validation, mapping, canonical validation, routing, queues or acknowledgements.
//   node --import tsx bench/x12-e2e.ts
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, open, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { clearRedisPrefix } from '../test/support/services.js';
import { admin, REDIS_URL, schemaUrl, startHubProcess as startHub, stopHubProcess as stop } from './hub-process.js';
import { generate837 } from './x12-837-fixture.js';

const CLAIMS = Number(process.env.BENCH_X12_CLAIMS ?? 10_000);
const KEY = 'bench-key-' + Date.now();
const tag = Date.now().toString(36);

/** The peer pipeline (see the file comment): returns claims stored and written. */
async function peer(text: string, databaseUrl: string, outbox: string): Promise<number> {
  const { X12parser, X12grouper, Schema } = await import('x12-parser');
  const schema = new Schema('005010X222A1', {
    start: 'HL',
    name: '2000',
    terminators: ['SE'],
    groups: [{ start: 'CLM', name: '2300', groups: [{ start: 'LX', name: '2400' }] }],
  });
  const claims: unknown[] = [];
  const grouped = Readable.from([text]).pipe(new X12parser()).pipe(new X12grouper(schema));
  // The grouper hands on each 2000 loop as { name, data: [segments…, { name: '2300', data }] }.
  grouped.on('data', (group: { name?: string; data?: { name?: string }[] }) => {
    if (group.name === '2000') for (const item of group.data ?? []) if (item.name === '2300') claims.push(item);
  });
  await new Promise<void>((resolve, reject) => {
    grouped.on('end', resolve);
    grouped.on('error', reject);
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('CREATE TABLE peer_claims (id serial PRIMARY KEY, body jsonb NOT NULL)');
    await db.query('BEGIN');
    for (let i = 0; i < claims.length; i += 500) {
      await db.query('INSERT INTO peer_claims (body) SELECT value FROM jsonb_array_elements($1::jsonb)', [JSON.stringify(claims.slice(i, i + 500))]);
    }
    await db.query('COMMIT');
  } finally {
    await db.end();
  }
  await mkdir(outbox, { recursive: true });
  for (let i = 0; i < claims.length; i += 32) {
    await Promise.all(
      claims.slice(i, i + 32).map(async (claim, j) => {
        const file = await open(join(outbox, `${i + j}.json`), 'w');
        await file.writeFile(JSON.stringify(claim));
        await file.sync();
        await file.close();
      }),
    );
  }
  return claims.length;
}

interface HubRun {
  sets: number;
  claims: number;
  acceptedSeconds: number;
  deliveredSeconds: number;
}

/** One hub process on its own schema and prefix: POST the interchange, wait for every set delivered. */
async function runHub(text: string, dataDir: string, name: string, env: Record<string, string>): Promise<HubRun> {
  const schema = `bench_x12_${name}_${tag}`;
  const prefix = `benchx12${name}${tag}`;
  await admin(`CREATE SCHEMA ${schema}`);
  let hub: { child: ChildProcess; url: string } | undefined;
  const db = new pg.Client({ connectionString: schemaUrl(schema) });
  try {
    hub = await startHub({
      DATABASE_URL: schemaUrl(schema),
      REDIS_URL,
      CLAIMHUB_PORT: '0',
      CLAIMHUB_MLLP_PORT: '0',
      CLAIMHUB_DATA_DIR: join(dataDir, name),
      CLAIMHUB_QUEUE_PREFIX: prefix,
      CLAIMHUB_API_KEY: KEY,
      LOG_LEVEL: 'info',
      ...env,
    });
    const headers = { 'content-type': 'application/edi-x12', authorization: `Bearer ${KEY}` };
    // warm-up: a small interchange through every stage, so the run does not pay compilation
    await fetch(`${hub.url}/v1/messages`, { method: 'POST', headers, body: generate837(50, 5000, 'W') });
    await db.connect();
    const start = performance.now();
    const res = await fetch(`${hub.url}/v1/messages`, { method: 'POST', headers, body: text });
    const accepted = performance.now();
    const body = (await res.json()) as { id: string; parts?: { id: string }[] };
    if (res.status !== 202 || !body.parts) throw new Error(`POST answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
    for (;;) {
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE parent_id = $1 AND status = 'delivered'", [
        body.id,
      ]);
      if (rows[0].n === body.parts.length) break;
      if (performance.now() - start > 600_000) throw new Error('not delivered within 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const delivered = performance.now();
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM claims c JOIN messages m ON m.id = c.message_id WHERE m.parent_id = $1',
      [body.id],
    );
    return { sets: body.parts.length, claims: rows[0].n, acceptedSeconds: (accepted - start) / 1000, deliveredSeconds: (delivered - start) / 1000 };
  } finally {
    await db.end().catch(() => undefined);
    if (hub) await stop(hub.child);
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await clearRedisPrefix(prefix, REDIS_URL);
  }
}

async function main(): Promise<void> {
  const text = generate837(CLAIMS);
  const peerSchema = `bench_x12_peer_${tag}`;
  await admin(`CREATE SCHEMA ${peerSchema}`);
  const dataDir = await mkdtemp(join(tmpdir(), 'claimhub-bench-x12-'));
  try {
    const peerStart = performance.now();
    const peerClaims = await peer(text, schemaUrl(peerSchema), join(dataDir, 'peer-outbox'));
    const peerSeconds = (performance.now() - peerStart) / 1000;
    const peerRate = peerClaims / peerSeconds;
    // the default (mapping threads = cores − 1) and one mapping thread a core, as a batch-heavy installation would set
    const runs: [string, HubRun][] = [
      ['default mapping threads (cores − 1)', await runHub(text, dataDir, 'default', {})],
      [`CLAIMHUB_MAPPING_THREADS=${availableParallelism()} (one a core)`, await runHub(text, dataDir, 'percore', { CLAIMHUB_MAPPING_THREADS: String(availableParallelism()) })],
    ];
    const lines = [
      `claimhub X12 end-to-end benchmark — ${new Date().toISOString()} — node ${process.version}, PostgreSQL + Redis, ${availableParallelism()} cores`,
      `input: one 837P interchange, ${CLAIMS} claims in ${runs[0][1].sets} transaction sets, ${(text.length / 1e6).toFixed(1)} MB`,
      `peer (x12-parser + grouper, claims as jsonb rows in one transaction, an fsynced file each): ${peerClaims} claims in ${peerSeconds.toFixed(1)} s = ${peerRate.toFixed(0)} claims/s`,
      ...runs.flatMap(([label, run]) => [
        `claimhub, ${label}: 202 with the 999 after ${run.acceptedSeconds.toFixed(1)} s (read, envelope + loop + element checks, split, mapped, validated, routed, committed);`,
        `  all ${run.claims} claims delivered (an fsynced file each, recorded) after ${run.deliveredSeconds.toFixed(1)} s = ${(run.claims / run.deliveredSeconds).toFixed(0)} claims/s end to end, ${(run.claims / run.deliveredSeconds / peerRate).toFixed(2)}× the peer`,
      ]),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await admin(`DROP SCHEMA IF EXISTS ${peerSchema} CASCADE`);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
