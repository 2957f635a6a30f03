// Revocations reach every gateway process at once: the revoking process publishes the key's hash
// on Redis and each process drops it from its key cache. A process that misses the message (Redis
// away) still refuses the key once its cache entry expires (store/api-keys.ts, CACHE_MS).
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiKeys } from '../store/api-keys.js';

/** Shares `keys`' revocations with the processes on the same Redis prefix; returns a function that stops. */
export async function shareRevocations(
  keys: Pick<ApiKeys, 'announceRevocations' | 'forgetRevoked'>,
  redis: { url: string; prefix: string; publisher: Redis },
  log: Logger,
): Promise<() => Promise<void>> {
  const channel = `${redis.prefix}:api-keys:revoked`;
  const subscriber = new Redis(redis.url, { lazyConnect: false });
  subscriber.on('error', () => undefined); // ioredis reconnects and re-subscribes by itself
  subscriber.on('message', (from: string, hash: string) => {
    if (from === channel) keys.forgetRevoked(hash);
  });
  await subscriber.subscribe(channel);
  keys.announceRevocations((hash) => {
    redis.publisher.publish(channel, hash).catch((error: Error) => {
      log.warn({ err: error.message }, 'could not tell other processes of a revoked key; they refuse it when their cache expires');
    });
  });
  return async () => {
    keys.announceRevocations(() => {});
    await subscriber.quit().catch(() => subscriber.disconnect());
  };
}
