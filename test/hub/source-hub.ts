// Helpers for the file and SFTP source tests: a hub started on a data dir and store the test owns
// (so it can be stopped and started again on the same messages), and readers for what a source
// leaves behind (stored messages, archive folders).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../../cli/config/load.js';
import { startHub, type Hub } from '../../cli/hub.js';
import type { Db } from '../../store/index.js';
import { eventually } from '../support/eventually.js';
import { REDIS_URL } from '../support/services.js';

export interface HubPlace {
  dataDir: string;
  prefix: string;
  /** PostgreSQL URL; unset: PGlite in the data dir (kept across restarts). */
  databaseUrl?: string;
}

/** A hub with `configYaml` (written to `<dataDir>/claimhub.config.yaml`; relative paths start there). */
export async function startHubIn(place: HubPlace, configYaml: string): Promise<Hub> {
  const configPath = join(place.dataDir, 'claimhub.config.yaml');
  await writeFile(configPath, configYaml);
  const config = loadConfig({
    configPath,
    cwd: place.dataDir,
    env: {
      CLAIMHUB_PORT: '0',
      CLAIMHUB_MLLP_PORT: '0',
      CLAIMHUB_DATA_DIR: place.dataDir,
      CLAIMHUB_QUEUE_PREFIX: place.prefix,
      CLAIMHUB_API_KEY: 'source-test-key-0123456789',
      REDIS_URL,
      ...(place.databaseUrl ? { DATABASE_URL: place.databaseUrl } : {}),
    },
  });
  config.gateway.host = '127.0.0.1';
  config.mappingThreads = 0;
  return startHub(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
}

export interface StoredRow {
  id: string;
  status: string;
  parentId: string | null;
  messageType: string | null;
  contentType: string | null;
  raw: string;
}

/** Every message a source stored, oldest first. */
export async function messagesFrom(db: Db, source: string): Promise<StoredRow[]> {
  const { rows } = await db.query<{
    id: string;
    status: string;
    parent_id: string | null;
    message_type: string | null;
    content_type: string | null;
    raw: string;
  }>('SELECT id, status, parent_id, message_type, content_type, raw FROM messages WHERE source = $1 ORDER BY received_at, id', [source]);
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    parentId: r.parent_id,
    messageType: r.message_type,
    contentType: r.content_type,
    raw: r.raw,
  }));
}

/** File names in a folder, sorted; a missing folder has none. */
export async function namesIn(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `claimhub start` as an operator runs it, in its own process group (SIGKILL to -pid takes all of it). */
export async function startClaimhub(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/claimhub.js', 'start'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  const healthy = () =>
    fetch(`http://127.0.0.1:${env.CLAIMHUB_PORT}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  await eventually(async () => (await healthy()) || undefined, 60_000, 'hub start');
  return child;
}

export const exited = (child: ChildProcess) =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
