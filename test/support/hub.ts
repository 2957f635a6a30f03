// Starts a real hub in-process (gateway, workers, Redis, PostgreSQL or PGlite) on a free port with
// its own data dir, Redis prefix and database schema, and takes it all down afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../cli/config/load.js';
import { startHub, type Hub, type HubOptions } from '../../cli/hub.js';
import { clearRedisPrefix, postgresSchema, REDIS_URL, uniqueName, type StoreKind } from './services.js';

export interface TestHub {
  hub: Hub;
  url: string;
  key: string;
  dataDir: string;
  prefix: string;
  databaseUrl?: string;
  /** Authenticated fetch against the hub. */
  call(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * `sharing`: a second process of the same installation (a PostgreSQL hub's database schema, Redis
 * prefix and key); the hub that made them drops them.
 */
export async function startTestHub(
  kind: StoreKind,
  configYaml?: string,
  options: HubOptions & { log?: Logger; sharing?: TestHub } = {},
): Promise<TestHub> {
  const { sharing } = options;
  const dataDir = await mkdtemp(join(tmpdir(), 'claimhub-test-'));
  const prefix = sharing?.prefix ?? uniqueName('chtest');
  const key = sharing?.key ?? uniqueName('test-key-0123456789');
  const schema = sharing ? undefined : kind === 'postgres' ? await postgresSchema() : undefined;
  const databaseUrl = sharing?.databaseUrl ?? schema?.url;
  let configPath: string | undefined;
  if (configYaml) {
    configPath = join(dataDir, 'claimhub.config.yaml');
    writeFileSync(configPath, configYaml);
  }
  const config = loadConfig({
    configPath,
    cwd: dataDir,
    env: {
      CLAIMHUB_PORT: '0',
      CLAIMHUB_MLLP_PORT: '0',
      CLAIMHUB_DATA_DIR: dataDir,
      CLAIMHUB_QUEUE_PREFIX: prefix,
      CLAIMHUB_API_KEY: key,
      REDIS_URL,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
  });
  config.gateway.host = '127.0.0.1';
  const { log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), sharing: _, ...hubOptions } = options;
  const hub = await startHub(config, log, hubOptions);
  return {
    hub,
    url: hub.url,
    key,
    dataDir,
    prefix,
    databaseUrl,
    call: (method, path, body, headers = {}) =>
      fetch(hub.url + path, {
        method,
        body,
        headers: { authorization: `Bearer ${key}`, ...headers },
      }),
    async stop() {
      await hub.close();
      if (!sharing) await clearRedisPrefix(prefix);
      await schema?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
