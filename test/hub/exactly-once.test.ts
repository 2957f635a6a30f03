// Issue 5's recovery must-show: 2,000 charges through a hub (its own process, PostgreSQL) to a
// billing system's MLLP listener, once with Redis flushed in the middle of the run and once with
// the hub killed (SIGKILL) in the middle and restarted. The store is the record and Redis only the
// transport: at the end every message is delivered, the billing system has every claim, and what
// it got twice (only what was on the wire at the kill) came under the same MSH-10, so a receiver
// that de-duplicates on it accepts each claim exactly once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { MllpClient } from '../../connectors/hl7v2/mllp-client.js';
import { eventually } from '../support/eventually.js';
import { postgresSchema, uniqueName } from '../support/services.js';
import { billingConfig, startBillingSystem, type BillingSystem } from './billing-system.js';
import { mappableDft } from './hl7-fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MESSAGES = 2_000;
/** A Redis database of its own, so flushing it touches nothing else on the shared server. */
const REDIS_DB_URL = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/7`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function startHubProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/claimhub.js', 'start'], { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: 'ignore', detached: true });
  await eventually(async () => (await fetch(`http://127.0.0.1:${env.CLAIMHUB_PORT}/healthz`).then((r) => r.ok, () => false)) || undefined, 60_000, 'hub start');
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

/** Sends the charges over 8 MLLP connections; every one must be answered AA (stored). */
async function sendCharges(port: number, ids: string[]): Promise<void> {
  const clients = await Promise.all(Array.from({ length: 8 }, () => MllpClient.connect({ host: '127.0.0.1', port })));
  try {
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = c; i < ids.length; i += clients.length) {
          const ack = (await client.send(mappableDft(ids[i]))).toString();
          assert.match(ack, /\rMSA\|AA\|/, ack);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

for (const disruption of ['redis-flush', 'sigkill'] as const) {
  describe(`exactly once through ${disruption === 'sigkill' ? 'a SIGKILL of the hub' : 'a Redis flush'} in the middle of ${MESSAGES} messages (postgres)`, function () {
    this.timeout(600_000);
    let billing: BillingSystem;
    let hub: ChildProcess | undefined;
    let dataDir: string;
    let schema: Awaited<ReturnType<typeof postgresSchema>>;

    before(async () => {
      billing = await startBillingSystem();
      dataDir = await mkdtemp(join(tmpdir(), 'claimhub-exactly-once-'));
      schema = await postgresSchema();
    });
    after(async () => {
      if (hub?.pid) process.kill(-hub.pid, 'SIGKILL');
      if (hub) await exited(hub);
      await billing?.close();
      const redis = new Redis(REDIS_DB_URL);
      await redis.flushdb();
      redis.disconnect();
      await schema?.drop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('delivers every message, each claim to the billing system under one MSH-10, duplicates only from the wire at the disruption', async () => {
      const config = join(dataDir, 'claimhub.config.yaml');
      await writeFile(config, `${billingConfig(billing.port, 8)}recovery: { every: 1s, grace: 3s }\n`);
      const env: Record<string, string> = {
        CLAIMHUB_CONFIG: config,
        CLAIMHUB_PORT: String(await freePort()),
        CLAIMHUB_MLLP_PORT: String(await freePort()),
        CLAIMHUB_DATA_DIR: dataDir,
        CLAIMHUB_QUEUE_PREFIX: uniqueName('chonce'),
        CLAIMHUB_API_KEY: 'exactly-once-key-0123456789',
        REDIS_URL: REDIS_DB_URL,
        DATABASE_URL: schema.url,
      };
      hub = await startHubProcess(env);
      const ids = Array.from({ length: MESSAGES }, (_, i) => `ONCE-${disruption === 'sigkill' ? 'K' : 'F'}-${i}`);
      const sending = sendCharges(Number(env.CLAIMHUB_MLLP_PORT), ids);
      // The disruption comes once a quarter of the claims reached the billing system.
      await eventually(async () => (billing.received.length >= MESSAGES / 4 ? true : undefined), 120_000, 'a quarter delivered');
      if (disruption === 'redis-flush') {
        const redis = new Redis(REDIS_DB_URL);
        await redis.flushdb();
        redis.disconnect();
        await sending;
      } else {
        await sending; // every message stored and answered first: what is lost is the in-flight work
        process.kill(-hub.pid!, 'SIGKILL');
        await exited(hub);
        hub = await startHubProcess(env);
      }
      const db = new pg.Client({ connectionString: schema.url });
      await db.connect();
      try {
        await eventually(
          async () => {
            const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE status = 'delivered'");
            return rows[0].n === MESSAGES ? true : undefined;
          },
          300_000,
          `all ${MESSAGES} delivered`,
        );
        const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE destination_id = 'billing'");
        assert.equal(rows[0].n, MESSAGES, 'one delivery recorded per message');
      } finally {
        await db.end();
      }
      const perClaim = new Map<string, Set<string>>();
      for (const { text, controlId } of billing.received) {
        const claim = /\|V(ONCE-[FK]-\d+)[|^\r]/.exec(text)?.[1];
        if (!claim) continue;
        perClaim.set(claim, (perClaim.get(claim) ?? new Set()).add(controlId));
      }
      assert.equal(perClaim.size, MESSAGES, 'every claim reached the billing system');
      assert.deepEqual([...perClaim.entries()].filter(([, controlIds]) => controlIds.size !== 1), [], 'each claim under one MSH-10, however often sent');
      const sent = billing.received.filter((r) => /\|VONCE-[FK]-/.test(r.text)).length;
      const resent = sent - MESSAGES;
      // MLLP sends one message at a time: at most the one on the wire when the hub died is sent again.
      assert.ok(resent <= (disruption === 'sigkill' ? 1 : 0), `${resent} sent twice`);
    });
  });
}
