import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { resolveRedis } from '../../cli/redis-endpoint.js';
import { REDIS_URL } from '../support/services.js';

const emptyPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('finding Redis at start-up', function () {
  this.timeout(20_000);

  it('uses REDIS_URL when it is set', async () => {
    const endpoint = await resolveRedis('redis://example.invalid:6379', '/nonexistent');
    assert.equal(endpoint.url, 'redis://example.invalid:6379');
  });

  it('uses the Redis that answers on the usual port', async () => {
    const endpoint = await resolveRedis(undefined, '/nonexistent', REDIS_URL);
    assert.equal(endpoint.url, REDIS_URL);
  });

  it('runs a private redis-server with AOF and noeviction in the data dir when none answers, and reuses it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'claimhub-redis-'));
    const nothing = `redis://127.0.0.1:${await emptyPort()}`;
    const endpoint = await resolveRedis(undefined, dataDir, nothing);
    try {
      assert.match(endpoint.description, /private redis-server/);
      const client = new Redis(endpoint.url);
      try {
        assert.equal(await client.config('GET', 'appendonly').then((r) => (r as string[])[1]), 'yes');
        assert.equal(await client.config('GET', 'maxmemory-policy').then((r) => (r as string[])[1]), 'noeviction');
        assert.equal(await client.config('GET', 'dir').then((r) => (r as string[])[1]), join(dataDir, 'redis'));
      } finally {
        client.disconnect();
      }
      assert.equal(await readFile(join(dataDir, 'redis', 'port'), 'utf8'), new URL(endpoint.url).port);
      const again = await resolveRedis(undefined, dataDir, nothing);
      assert.equal(again.url, endpoint.url, 'a second hub on the same data dir shares the private Redis');
    } finally {
      await endpoint.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
