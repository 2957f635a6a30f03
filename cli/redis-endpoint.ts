// Finds the Redis a hub uses: REDIS_URL, else 127.0.0.1:6379 if something answers, else a private
// redis-server from PATH with its data (AOF, noeviction) in the data dir — so `npm start` works on
// a machine with Redis installed but not running, and explains itself where Redis is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ConfigError } from '../canonical-model/errors.js';

export interface RedisEndpoint {
  url: string;
  /** What a newcomer should read in the log about where Redis came from. */
  description: string;
  stop(): Promise<void>;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 800, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startPrivateRedis(dataDir: string): Promise<RedisEndpoint> {
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const portFile = join(dir, 'port');
  // A private Redis left running by an earlier hub on this data dir is reused, not doubled.
  try {
    const previous = `redis://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
    if (await answers(previous))
      return { url: previous, description: `private redis-server at ${previous} (data in ${dir})`, stop: async () => undefined };
  } catch {
    // no earlier private Redis
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) {
    throw new ConfigError('no Redis: nothing answers on 127.0.0.1:6379, REDIS_URL is not set, and redis-server is not installed', [
      {
        path: 'REDIS_URL',
        rule: 'redis-available',
        message:
          'install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379',
      },
    ]);
  }
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  writeFileSync(portFile, String(port));
  return {
    url,
    description: `private redis-server on ${url} (no Redis answered on 127.0.0.1:6379; data and AOF in ${dir})`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `usual` is where a local Redis normally answers (tests point it at an empty port). */
export async function resolveRedis(configured: string | undefined, dataDir: string, usual = DEFAULT_URL): Promise<RedisEndpoint> {
  if (configured)
    return { url: configured, description: `Redis at ${configured.replace(/\/\/[^@]*@/, '//***@')}`, stop: async () => undefined };
  if (await answers(usual)) return { url: usual, description: `Redis at ${usual}`, stop: async () => undefined };
  return startPrivateRedis(dataDir);
}
