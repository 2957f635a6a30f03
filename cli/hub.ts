// Composition root: builds one hub process (store, Redis, mappings, queues, workers, recovery,
// gateway) from a HubConfig, and takes it apart again in the right order on shutdown.
import type { SubmittedClaimLookup } from '../routes/acknowledgement-stage.js';
import type { OpenClaimLookup } from '../routes/patient-update-stage.js';
import { findOpenClaims } from '../store/open-claims.js';
import { findAuthorizations, findHeldClaims } from '../store/holds.js';
import { findSubmittedClaims } from '../store/x12-submissions.js';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../canonical-model/errors.js';
import { FileDestination } from '../connectors/file/outbound.js';
import { fileSource } from '../connectors/file/inbound.js';
import { MllpDestination } from '../connectors/hl7v2/mllp-destination.js';
import { HttpDestination } from '../connectors/http/destination.js';
import { MllpSource } from '../connectors/hl7v2/mllp-source.js';
import type { Pickup, StoredAnswers } from '../connectors/file/pickup.js';
import { sftpSource } from '../connectors/sftp/inbound.js';
import type { Destination } from '../connectors/destination.js';
import { X12Destination } from '../connectors/x12/destination.js';
import { createApp } from '../gateway/app.js';
import { shareRevocations } from '../gateway/key-revocations.js';
import { MappingReleases } from '../gateway/mapping-releases.js';
import { createOidcVerifier } from '../gateway/oidc.js';
import type { RouteSpec } from '../gateway/route-table.js';
import { createRateLimits, type RateLimitSettings } from '../gateway/rate-limits.js';
import { Redis } from 'ioredis';
import packageJson from '../package.json' with { type: 'json' };
import { createTranslator } from '../mappings/translate.js';
import { createTranslatorPool } from '../mappings/translator-pool.js';
import { messageAcknowledger } from '../connectors/acknowledger.js';
import { batchSplitter } from '../connectors/batch.js';
import { Intake } from '../routes/intake.js';
import { connectRedis, Queues } from '../routes/queues.js';
import { RecoverySweeper } from '../routes/recovery.js';
import { Router } from '../routes/router.js';
import { Workers } from '../routes/workers.js';
import { nextValues } from '../store/counters.js';
import { markInterrupted } from '../store/operations.js';
import { openStore, type Store } from '../store/index.js';
import { x12SubmissionLedger } from '../store/x12-submissions.js';
import { publicConfig, type HubConfig } from './config/load.js';
import { resolveRedis } from './redis-endpoint.js';

export interface Hub {
  url: string;
  /** The system of record the hub writes (for the CLI and tests that inspect it). */
  store: Store;
  /** The port each MLLP source listens on, by source id (a configured port 0 picks a free one). */
  mllpPorts: Record<string, number>;
  close(): Promise<void>;
}

function destinationOf(settings: HubConfig['destinations'][number], store: Store): Destination {
  if (settings.type === 'file') return new FileDestination({ id: settings.id, dir: settings.dir });
  if (settings.type === 'mllp') return new MllpDestination(settings);
  if (settings.type === 'http') return new HttpDestination(settings);
  return new X12Destination({
    id: settings.id,
    dir: settings.dir,
    profile: settings.profile,
    maxClaimsPerTransactionSet: settings.maxClaimsPerTransactionSet,
    submissions: x12SubmissionLedger(store.db),
    nextControlNumbers: (name, count) => nextValues(store.db, name, count),
  });
}

/** An inbound source (file drop, SFTP, MLLP listener): it hands messages to the same intake as the gateway. */
function sourceOf(
  settings: HubConfig['sources'][number],
  deps: { intake: Intake; answers: StoredAnswers; log: Logger },
): Pickup | MllpSource {
  if (settings.type === 'mllp') {
    const { tls, ...listener } = settings;
    return new MllpSource({ ...listener, ...(tls ? { tls: { ...tls } } : {}) }, deps);
  }
  return settings.type === 'file' ? fileSource(settings, deps) : sftpSource({ ...settings, ...settings.credentials }, deps);
}

/** What an embedding program adds to the hub: API versions beside v1 (their route tables). */
export interface HubOptions {
  moreVersions?: Record<string, RouteSpec[]>;
}

export async function startHub(config: HubConfig, log: Logger, options: HubOptions = {}): Promise<Hub> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: Error) => log.warn({ err: error.message }, 'shutdown step failed'));
  };
  try {
    const store = await openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: join(config.dataDir, 'pgdata') });
    cleanups.push(() => store.close());
    log.info({ store: config.databaseUrl ? 'postgresql' : `pglite in ${join(config.dataDir, 'pgdata')}` }, 'store ready');

    const { generated } = await store.keys.ensureBootstrap(config.apiKey);
    if (generated) {
      // Shown once, on the console only; the store keeps its hash.
      process.stdout.write(`\nclaimhub: first start — your admin API key (shown once, keep it):\n\n    ${generated}\n\n`);
    }

    const redis = await resolveRedis(config.redisUrl, config.dataDir);
    cleanups.push(() => redis.stop());
    log.info({ redis: redis.description }, 'redis ready');
    const connections = connectRedis(redis.url, config.queuePrefix);
    cleanups.push(() => connections.close());
    const stopSharingRevocations = await shareRevocations(
      store.keys,
      { url: redis.url, prefix: config.queuePrefix, publisher: connections.producer },
      log,
    );
    cleanups.push(stopSharingRevocations);

    const pool =
      config.mappingThreads > 0
        ? await createTranslatorPool({ mappingDirs: config.mappingDirs, threads: config.mappingThreads })
        : undefined;
    if (pool) cleanups.push(() => pool.close());
    const translator = pool ?? (await createTranslator({ mappingDirs: config.mappingDirs }));
    // Stored versions architects activated run above the files; other processes' activations are
    // picked up by polling (one indexed max() every MAPPING_POLL_MS).
    const mappingReleases = new MappingReleases(store.db, translator, log, (stored) => store.recordMappingVersions(stored));
    await mappingReleases.sync();
    const mappingPoll = setInterval(() => void mappingReleases.sync(), MAPPING_POLL_MS);
    mappingPoll.unref();
    cleanups.push(async () => clearInterval(mappingPoll));
    await store.recordMappingVersions(translator.mappings());
    const stopWatching = translator.watch(
      (error) => log.warn({ err: error.message, issues: error.issues }, 'mapping reload failed; keeping the previous version'),
      (mappings) => {
        log.info({ mappings: mappings.map((m) => `${m.name}@${m.version}`) }, 'mappings reloaded');
        store
          .recordMappingVersions(mappings)
          .catch((error: Error) => log.warn({ err: error.message }, 'recording mapping versions failed'));
      },
    );
    cleanups.push(async () => stopWatching());

    const mappingProblems = config.destinations.flatMap((settings, i) => {
      const problem = 'mapping' in settings && settings.mapping ? translator.outboundProblem(settings.mapping) : undefined;
      return problem ? [{ path: `destinations[${i}].mapping`, rule: 'outbound-mapping', message: problem }] : [];
    });
    if (mappingProblems.length > 0)
      throw new ConfigError(mappingProblems.map((p) => `${p.path}: ${p.message}`).join('; '), mappingProblems);
    const destinations = config.destinations.map((settings) => ({
      destination: destinationOf(settings, store),
      retry: settings.retry,
      concurrency: settings.concurrency,
      breaker: settings.circuitBreaker,
      mapping: 'mapping' in settings ? settings.mapping : undefined,
    }));
    // Destinations holding connections (MLLP, HTTP keep-alive) close them after the workers stop delivering.
    cleanups.push(() => Promise.all(destinations.map(({ destination }) => destination.close?.())));
    // Routes that require a prior authorization look up the member's stored decisions; one arriving releases held claims.
    const authorizations = {
      authorizations: (memberId: string) => findAuthorizations(store.db, memberId),
      heldClaims: (memberId: string) => findHeldClaims(store.db, memberId),
    };
    const router = new Router(config.routes, config.routing.mode, new Set(destinations.map((d) => d.destination.id)), authorizations);
    const queues = new Queues(connections, new Map(config.destinations.map((d) => [d.id, d.retry])));
    cleanups.push(() => queues.close());

    // An inbound 999 finds the claims it answers among the 837s the hub submitted.
    const submittedClaims: SubmittedClaimLookup = (filter) => findSubmittedClaims(store.db, filter);
    // An inbound ADT^A04/A08 finds the patient's claims no payer has yet.
    const openClaims: OpenClaimLookup = (identifier) => findOpenClaims(store.db, identifier);
    const intake = new Intake({
      commits: store.commits,
      translator,
      router,
      queues,
      ingestPolicy: config.ingest.retry,
      log,
      reader: store.reader,
      acknowledger: messageAcknowledger,
      splitBatch: batchSplitter({ nextControlNumbers: (name, count) => nextValues(store.db, name, count) }),
      submittedClaims,
      openClaims,
    });
    cleanups.push(() => intake.drain());
    const workers = new Workers({
      connections,
      reader: store.reader,
      commits: store.commits,
      translator,
      router,
      queues,
      log,
      ingest: config.ingest,
      destinations,
      submittedClaims,
      openClaims,
    });
    workers.start();
    cleanups.push(() => workers.close());

    const interrupted = await markInterrupted(store.db);
    if (interrupted > 0)
      log.warn({ operations: interrupted }, 'operations a previous process was running are marked interrupted; run them again');
    const sweeper = new RecoverySweeper(store.reader, queues, config.ingest.retry, log, config.recovery);
    await sweeper.sweep(0);
    sweeper.start();
    cleanups.push(() => sweeper.stop());

    // Sources stop before the workers and the store: a file being taken is committed and archived first.
    const sources = config.sources.map((settings) => sourceOf(settings, { intake, answers: store.reader, log }));
    cleanups.push(() => Promise.all(sources.map((source) => source.stop())));
    await Promise.all(sources.map((source) => source.start()));
    const mllpPorts = Object.fromEntries(sources.flatMap((source) => (source instanceof MllpSource ? [[source.id, source.port!]] : [])));

    const rateLimits = hasRateLimits(config.rateLimits) ? rateLimitsOn(redis.url, config, log) : undefined;
    if (rateLimits) cleanups.push(() => rateLimits.redis.quit().catch(() => rateLimits.redis.disconnect()));
    const oidc = config.auth.oidc
      ? {
          ...createOidcVerifier(config.auth.oidc),
          discoveryUrl: `${config.auth.oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
        }
      : undefined;
    const app = createApp({
      intake,
      reader: store.reader,
      keys: store.keys,
      log,
      settings: config.gateway,
      replay: { db: store.db, queues, ingestPolicy: config.ingest.retry, log },
      destinations: config.destinations.map((d) => d.id),
      breakers: () => workers.breakerStates(),
      translator,
      mappingReleases,
      config: () => publicConfig(config),
      ...(oidc ? { oidc } : {}),
      ...(rateLimits ? { rateLimits: rateLimits.limits } : {}),
      release: RELEASE,
      ...(options.moreVersions ? { moreVersions: options.moreVersions } : {}),
      readiness: [
        { name: 'store', check: async () => void (await store.db.query('SELECT 1')) },
        { name: 'redis', check: async () => void (await connections.producer.ping()) },
      ],
    });
    // Slow clients cannot hold a socket forever: headers within 20 s, the whole request within the deadline.
    const server: Server = createServer({ headersTimeout: 20_000, requestTimeout: Math.max(config.gateway.requestTimeoutMs, 30_000) }, app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.gateway.port, config.gateway.host, resolve);
    });
    // Stop accepting first on shutdown; in-flight requests finish before workers and store close.
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    const address = server.address() as { port: number };
    const url = `http://${config.gateway.host === '0.0.0.0' ? '127.0.0.1' : config.gateway.host}:${address.port}`;
    log.info(
      {
        url,
        config: config.origin,
        destinations: config.destinations.map((d) => d.id),
        sources: config.sources.map((s) => s.id),
        mllp: mllpPorts,
        mappings: translator.mappings().map((m) => `${m.name}@${m.version}`),
      },
      'claimhub is up',
    );
    return { url, store, mllpPorts, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

const RELEASE = packageJson.version;
/** How soon a mapping activated through another process runs in this one. */
const MAPPING_POLL_MS = 2_000;

const hasRateLimits = (settings: RateLimitSettings) =>
  settings.perClient !== undefined ||
  settings.unauthenticated !== undefined ||
  Object.keys(settings.routes).length > 0 ||
  Object.keys(settings.clients ?? {}).length > 0;

/** Limits shared by every gateway process through Redis, on a connection of their own that never queues commands while Redis is away. */
function rateLimitsOn(url: string, config: HubConfig, log: Logger) {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 });
  redis.on('error', () => undefined);
  return { redis, limits: createRateLimits(config.rateLimits, redis, { keyPrefix: `${config.queuePrefix}:ratelimit`, log }) };
}
