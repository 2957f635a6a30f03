// Loads claimhub.config.yaml (or the embedded defaults), checks it against the published schema
// with errors that name the key, resolves `env:NAME` / `file:PATH` secrets and applies the
// environment variables of DESIGN.md §5, which override the file.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve, dirname, join, posix } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import _addFormats from 'ajv-formats';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError, type Issue } from '../../canonical-model/errors.js';
import { profileIssues } from '../../connectors/x12/destination.js';
import type { ClaimSubmitterProfile } from '../../connectors/x12/write/profile.js';
import type { MllpDestinationConfig } from '../../connectors/hl7v2/mllp-destination.js';
import { httpDestinationIssues, type HttpDestinationConfig } from '../../connectors/http/config.js';
import { DEFAULT_BREAKER_SETTINGS, type BreakerSettings } from '../../routes/circuit-breaker.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../routes/retry-policy.js';
import type { RouteConfig, RoutingMode } from '../../routes/router.js';
import { configSchema } from './schema.js';
import { parseDuration } from './duration.js';
import type { OidcSettings } from '../../gateway/oidc.js';
import type { Role } from '../../gateway/roles.js';
import type { RateLimit, RateLimitSettings } from '../../gateway/rate-limits.js';
import type { VersionPolicy } from '../../gateway/versions.js';
import type { GatewaySettings as AppSettings } from '../../gateway/app.js';

export interface FileDestinationSettings {
  id: string;
  type: 'file';
  dir: string;
  retry: RetryPolicy;
  concurrency: number;
  /** Outbound mapping whose document is written instead of the canonical object. */
  mapping?: string;
}

export interface X12DestinationSettings {
  id: string;
  type: 'x12';
  dir: string;
  profile: ClaimSubmitterProfile;
  maxClaimsPerTransactionSet?: number;
  retry: RetryPolicy;
  concurrency: number;
}

export type MllpDestinationSettings = Omit<MllpDestinationConfig, 'id'> & {
  id: string;
  type: 'mllp';
  retry: RetryPolicy;
  concurrency: number;
};

/** Headers print as "***" (their values are secrets: tokens, keys). */
export type HttpDestinationSettings = Omit<HttpDestinationConfig, 'id'> & {
  id: string;
  type: 'http';
  retry: RetryPolicy;
  concurrency: number;
  /** Outbound mapping whose document is sent instead of the canonical object. */
  mapping?: string;
};

/** Every destination type, with its circuit breaker (absent when turned off). */
export type DestinationSettings = (FileDestinationSettings | X12DestinationSettings | MllpDestinationSettings | HttpDestinationSettings) & {
  circuitBreaker?: BreakerSettings;
};

/** What every file-drop source has: which files to take, how often to look, where taken files go. */
export interface PickupSettings {
  id: string;
  pattern: string;
  everyMs: number;
  /** How long a file must keep its size and mtime before it is taken (it may still be being written). */
  settleMs: number;
  archiveDir: string;
  errorDir: string;
}

export interface FileSourceSettings extends PickupSettings {
  type: 'file';
  dir: string;
}

export interface SftpSourceSettings extends PickupSettings {
  type: 'sftp';
  host: string;
  port: number;
  username: string;
  /** Prints as "***" (`config check` prints the resolved settings). */
  credentials: { password?: string; privateKey?: string };
  hostFingerprint?: string;
  path: string;
}

export interface MllpSourceSettings {
  id: string;
  type: 'mllp';
  port: number;
  host?: string;
  /** PEM texts; prints as "***". */
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean };
  maxFrameBytes?: number;
  idleTimeoutMs?: number;
  charset?: string;
  maxInFlight?: number;
  acknowledge?: 'after-translation' | 'after-commit';
}

export type SourceSettings = FileSourceSettings | SftpSourceSettings | MllpSourceSettings;

export interface HubConfig {
  /** Where the config came from (a path, or "embedded defaults"). */
  origin: string;
  dataDir: string;
  logLevel: string;
  apiKey?: string;
  gateway: GatewaySettings;
  auth: { oidc?: OidcSettings };
  rateLimits: RateLimitSettings;
  mllpPort: number;
  databaseUrl?: string;
  redisUrl?: string;
  queuePrefix: string;
  mappingDirs: string[];
  /** Worker threads for translation; 0 runs mappings on the main thread. */
  mappingThreads: number;
  ingest: { concurrency: number; retry: RetryPolicy };
  recovery: { intervalMs: number; graceSeconds: number };
  routing: { mode: RoutingMode };
  destinations: DestinationSettings[];
  routes: RouteConfig[];
  sources: SourceSettings[];
}

/** Where the gateway listens, and what the app itself is given (limits, CORS, versions). */
export interface GatewaySettings extends AppSettings {
  port: number;
  host: string;
}

type Env = Record<string, string | undefined>;

// ajv-formats is CommonJS: under ESM its function is the default export's default.
const addFormats = _addFormats.default;
const validateShape = addFormats(new Ajv2020({ allErrors: true, strict: false })).compile(configSchema);

function schemaIssues(): Issue[] {
  return (validateShape.errors ?? [])
    .map((e) => {
      const key = e.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)';
      const detail =
        e.keyword === 'additionalProperties'
          ? `unknown key "${String((e.params as { additionalProperty: string }).additionalProperty)}"`
          : e.keyword === 'enum'
            ? `${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
            : e.keyword === 'const'
              ? `must be "${String((e.params as { allowedValue: unknown }).allowedValue)}"`
              : (e.message ?? e.keyword);
      return { path: key, rule: e.keyword, message: detail };
    })
    .filter((issue) => issue.rule !== 'if');
}

/** `env:NAME` → the variable's value, `file:PATH` → the file's content; other text as is. */
function resolveSecrets(value: unknown, path: string, env: Env, baseDir: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/(?:^|(?<=\s))(env|file):([^\s"]+)/g, (_, kind: string, name: string) => {
      if (kind === 'env') {
        const found = env[name];
        if (found === undefined)
          throw new ConfigError(`${path}: environment variable ${name} is not set`, [{ path, rule: 'env-set', message: `set ${name}` }]);
        return found;
      }
      const file = resolve(baseDir, name);
      if (!existsSync(file)) throw new ConfigError(`${path}: file ${file} does not exist`, [{ path, rule: 'file-exists', message: file }]);
      return readFileSync(file, 'utf8').trim();
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveSecrets(v, `${path}[${i}]`, env, baseDir));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, path ? `${path}.${k}` : k, env, baseDir)]));
  }
  return value;
}

function retryPolicy(
  raw: { attempts?: number; backoff?: { type?: 'exponential' | 'fixed'; delay?: number | string; max?: number | string } } | undefined,
  path: string,
): RetryPolicy {
  const base = DEFAULT_RETRY_POLICY;
  return {
    attempts: raw?.attempts ?? base.attempts,
    backoff: {
      type: raw?.backoff?.type ?? base.backoff.type,
      delayMs: raw?.backoff?.delay === undefined ? base.backoff.delayMs : parseDuration(raw.backoff.delay, `${path}.backoff.delay`),
      maxMs: raw?.backoff?.max === undefined ? base.backoff.maxMs : parseDuration(raw.backoff.max, `${path}.backoff.max`),
    },
  };
}

type BreakerEntry = { enabled?: boolean; failures?: number; cooldown?: number | string; maxCooldown?: number | string };

/** A destination's circuit breaker: on by default, `enabled: false` turns it off. */
function breakerSettings(raw: BreakerEntry | undefined, path: string): { circuitBreaker?: BreakerSettings } {
  if (raw?.enabled === false) return {};
  const base = DEFAULT_BREAKER_SETTINGS;
  const cooldownMs = raw?.cooldown === undefined ? base.cooldownMs : parseDuration(raw.cooldown, `${path}.cooldown`);
  const maxCooldownMs =
    raw?.maxCooldown === undefined ? Math.max(base.maxCooldownMs, cooldownMs) : parseDuration(raw.maxCooldown, `${path}.maxCooldown`);
  if (cooldownMs === 0)
    throw new ConfigError(`${path}.cooldown: must be longer than 0`, [
      { path: `${path}.cooldown`, rule: 'minimum', message: 'must be longer than 0' },
    ]);
  if (maxCooldownMs < cooldownMs)
    throw new ConfigError(`${path}.maxCooldown: shorter than the cooldown`, [
      { path: `${path}.maxCooldown`, rule: 'minimum', message: 'must be at least the cooldown' },
    ]);
  return { circuitBreaker: { failures: raw?.failures ?? base.failures, cooldownMs, maxCooldownMs } };
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      throw new ConfigError(`${path}: not valid YAML`, [
        { path: at ? `line ${at.line} column ${at.col}` : path, rule: 'yaml-syntax', message: error.message.split('\n')[0]! },
      ]);
    }
    throw new ConfigError(`${path}: cannot read: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${path}: the configuration must be a YAML mapping (key: value)`, [
      { path: '(root)', rule: 'type', message: 'must be an object' },
    ]);
  }
  return parsed as Record<string, unknown>;
}

function port(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a port number, got "${value}"`, [
      { path: name, rule: 'port', message: 'an integer from 0 to 65535' },
    ]);
  return n;
}

/**
 * Worker threads for mappings: CLAIMHUB_MAPPING_THREADS, else mappings.threads, else cores − 1 (at
 * most 4): the gateway thread keeps a core for HTTP and commits, which keeps latency low at steady
 * rates. Installations that take large X12 batches gain from one thread a core (README, Performance).
 */
function mappingThreads(value: string | undefined, fromFile: number | undefined): number {
  if (value === undefined || value === '') return fromFile ?? Math.min(4, availableParallelism() - 1);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new ConfigError(`CLAIMHUB_MAPPING_THREADS must be a whole number from 0 to 64, got "${value}"`, [
      { path: 'CLAIMHUB_MAPPING_THREADS', rule: 'threads', message: 'an integer from 0 to 64' },
    ]);
  return n;
}

/** The configuration a hub runs with: file (if any) + environment + defaults. */
export function loadConfig(options: { configPath?: string; env?: Env; cwd?: string } = {}): HubConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.configPath ?? env.CLAIMHUB_CONFIG;
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, 'claimhub.config.yaml');
  if (explicit && !existsSync(path)) {
    throw new ConfigError(`config file ${path} does not exist`, [
      { path: explicit, rule: 'file-exists', message: 'check --config / CLAIMHUB_CONFIG' },
    ]);
  }
  const fromFile = existsSync(path) ? readConfigFile(path) : undefined;
  const raw = fromFile ?? {};
  if (!validateShape(raw)) throw new ConfigError(`${path}: invalid configuration`, schemaIssues());
  const file = resolveSecrets(raw, '', env, dirname(path)) as ConfigFile;

  const dataDir = resolve(cwd, env.CLAIMHUB_DATA_DIR || file.dataDir || './data');
  const destinations: DestinationSettings[] = (file.destinations ?? [{ id: 'outbox', type: 'file', dir: resolve(dataDir, 'outbox') }]).map(
    (d, i): DestinationSettings => {
      const retry = retryPolicy(d.retry, `destinations[${i}].retry`);
      const breaker = breakerSettings(d.circuitBreaker, `destinations[${i}].circuitBreaker`);
      if (d.type === 'mllp') return { ...mllpDestinationSettings(d, retry, `destinations[${i}]`), ...breaker };
      if (d.type === 'http') return { ...httpDestinationSettings(d, retry, `destinations[${i}]`), ...breaker };
      const shared = {
        id: d.id,
        dir: resolve(dirname(path), d.dir),
        retry,
        concurrency: d.concurrency ?? 32,
        ...breaker,
      };
      if (d.type === 'file') return { ...shared, type: 'file', ...(d.mapping ? { mapping: d.mapping } : {}) };
      checkX12Profile(d.profile, `destinations[${i}].profile`);
      return { ...shared, type: 'x12', profile: d.profile, maxClaimsPerTransactionSet: d.maxClaimsPerTransactionSet };
    },
  );
  const ids = destinations.map((d) => d.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated)
    throw new ConfigError(`destination id "${repeated}" is used twice`, [{ path: 'destinations', rule: 'unique-id', message: repeated }]);

  const mllpPort = port(env.CLAIMHUB_MLLP_PORT, 'CLAIMHUB_MLLP_PORT', file.mllp?.port ?? 2575);
  return {
    origin: fromFile ? path : 'embedded defaults',
    dataDir,
    logLevel: env.LOG_LEVEL || file.logLevel || 'info',
    apiKey: env.CLAIMHUB_API_KEY || file.apiKey || undefined,
    gateway: {
      port: port(env.CLAIMHUB_PORT, 'CLAIMHUB_PORT', file.gateway?.port ?? 8080),
      host: file.gateway?.host ?? '0.0.0.0',
      bodyLimit: file.gateway?.bodyLimit ?? '5mb',
      x12BodyLimit: file.gateway?.x12BodyLimit ?? '64mb',
      jsonBodyLimit: file.gateway?.jsonBodyLimit ?? '64kb',
      requestTimeoutMs: file.gateway?.requestTimeout === undefined ? 60_000 : parseDuration(file.gateway.requestTimeout, 'gateway.requestTimeout'),
      corsOrigins: file.gateway?.cors?.origins ?? [],
      versions: versionPolicies(file.gateway?.versions ?? {}),
    },
    auth: file.auth?.oidc ? { oidc: oidcSettings(file.auth.oidc) } : {},
    rateLimits: rateLimitSettings(file.rateLimits ?? {}),
    mllpPort,
    databaseUrl: env.DATABASE_URL || file.database?.url || undefined,
    redisUrl: env.REDIS_URL || file.redis?.url || undefined,
    queuePrefix: env.CLAIMHUB_QUEUE_PREFIX || file.redis?.prefix || 'claimhub',
    mappingDirs: (file.mappings?.dirs ?? []).map((d) => resolve(dirname(path), d)),
    mappingThreads: mappingThreads(env.CLAIMHUB_MAPPING_THREADS, file.mappings?.threads),
    ingest: { concurrency: file.ingest?.concurrency ?? 64, retry: retryPolicy(file.ingest?.retry, 'ingest.retry') },
    recovery: {
      intervalMs: file.recovery?.every === undefined ? 30_000 : parseDuration(file.recovery.every, 'recovery.every'),
      graceSeconds: (file.recovery?.grace === undefined ? 60_000 : parseDuration(file.recovery.grace, 'recovery.grace')) / 1000,
    },
    routing: { mode: file.routing?.mode ?? 'first-match' },
    destinations,
    routes: file.routes ?? [{ name: 'everything to the outbox', to: ['outbox'] }],
    sources: withDefaultMllp(sourceSettings(file.sources ?? [], dirname(path), mllpPort), file.mllp, mllpPort),
  };
}

/** The default MLLP listener (DESIGN.md §5: the hub listens on :2575 with no config) unless mllp sources are declared or it is disabled. */
function withDefaultMllp(sources: SourceSettings[], settings: ConfigFile['mllp'], mllpPort: number): SourceSettings[] {
  if (settings?.enabled === false || sources.some((s) => s.type === 'mllp')) return sources;
  if (sources.some((s) => s.id === 'mllp'))
    throw new ConfigError('source id "mllp" is the default MLLP listener\'s: rename the source or set mllp.enabled: false', [
      { path: 'sources', rule: 'unique-id', message: 'mllp' },
    ]);
  return [...sources, { id: 'mllp', type: 'mllp', port: mllpPort, ...(settings?.host ? { host: settings.host } : {}) }];
}

function sourceSettings(sources: SourceEntry[], configDir: string, mllpPort: number): SourceSettings[] {
  const listeners = sources.filter((s) => s.type === 'mllp').map((s) => s.port ?? mllpPort);
  const shared = listeners.find((p, i) => p !== 0 && listeners.indexOf(p) !== i);
  if (shared !== undefined)
    throw new ConfigError(`two mllp sources listen on port ${shared}`, [{ path: 'sources', rule: 'unique-port', message: String(shared) }]);
  const settings = sources.map((s, i): SourceSettings => {
    const at = `sources[${i}]`;
    if (s.type === 'mllp') {
      return {
        id: s.id,
        type: 'mllp',
        port: s.port ?? mllpPort,
        ...(s.host ? { host: s.host } : {}),
        ...(s.tls ? { tls: hiddenInJson({ ...s.tls }) } : {}),
        ...(s.maxFrameBytes ? { maxFrameBytes: s.maxFrameBytes } : {}),
        ...(s.idleTimeout !== undefined ? { idleTimeoutMs: parseDuration(s.idleTimeout, `${at}.idleTimeout`) } : {}),
        ...(s.charset ? { charset: s.charset } : {}),
        ...(s.maxInFlight ? { maxInFlight: s.maxInFlight } : {}),
        ...(s.acknowledge ? { acknowledge: s.acknowledge } : {}),
      };
    }
    const shared = {
      id: s.id,
      pattern: s.pattern ?? '*',
      everyMs: s.every === undefined ? 30_000 : parseDuration(s.every, `${at}.every`),
      settleMs: s.settle === undefined ? 2_000 : parseDuration(s.settle, `${at}.settle`),
    };
    if (shared.everyMs < 100)
      throw new ConfigError(`${at}.every: list the folder at most ten times a second`, [
        { path: `${at}.every`, rule: 'minimum', message: 'at least 100ms' },
      ]);
    const source: SourceSettings =
      s.type === 'file'
        ? {
            ...shared,
            type: 'file',
            dir: resolve(configDir, s.dir),
            archiveDir: resolve(configDir, s.archive ?? join(s.dir, 'archive')),
            errorDir: resolve(configDir, s.error ?? join(s.dir, 'error')),
          }
        : {
            ...shared,
            type: 'sftp',
            host: s.host,
            port: s.port ?? 22,
            username: s.username,
            credentials: hiddenInJson({ password: s.password, privateKey: s.privateKey }),
            hostFingerprint: s.hostFingerprint,
            // Remote paths are POSIX whatever the hub runs on; relative ones start at the login folder.
            path: remotePath(s.path),
            archiveDir: remotePath(s.archive ?? posix.join(s.path, 'archive')),
            errorDir: remotePath(s.error ?? posix.join(s.path, 'error')),
          };
    if (source.type === 'sftp' && !source.credentials.password && !source.credentials.privateKey)
      throw new ConfigError(`${at}: an sftp source needs a password or a privateKey`, [
        { path: at, rule: 'credentials', message: 'set password (env:NAME) or privateKey (file:PATH)' },
      ]);
    const folder = source.type === 'file' ? source.dir : source.type === 'sftp' ? source.path : '';
    for (const key of ['archiveDir', 'errorDir'] as const) {
      // Taken files must leave the folder, or the next listing would take them again.
      if (source[key] === folder)
        throw new ConfigError(`${at}.${key === 'archiveDir' ? 'archive' : 'error'}: must not be the folder files are taken from`, [
          {
            path: `${at}.${key === 'archiveDir' ? 'archive' : 'error'}`,
            rule: 'distinct-folder',
            message: `${folder} is the pickup folder`,
          },
        ]);
    }
    return source;
  });
  const ids = settings.map((s) => s.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new ConfigError(`source id "${repeated}" is used twice`, [{ path: 'sources', rule: 'unique-id', message: repeated }]);
  return settings;
}

/** A remote folder in one spelling: `/out/`, `/out/.` and `/out` are the same folder. */
function remotePath(path: string): string {
  return posix.normalize(path).replace(/(.)\/+$/, '$1');
}

/** Keeps secrets out of printed configuration: JSON.stringify shows "***". */
function hiddenInJson<T extends object>(value: T): T {
  return Object.defineProperty(value, 'toJSON', { value: () => '***', enumerable: false });
}

/** What the 837 writer cannot address an interchange with, named under the destination's key. */
function checkX12Profile(profile: ClaimSubmitterProfile, at: string): void {
  const issues = profileIssues(profile);
  if (issues.length > 0)
    throw new ConfigError(
      `${at}: ${issues.map((issue) => `${issue.path.replace(/^profile\./, '')}: ${issue.message}`).join('; ')}`,
      issues.map((issue) => ({ ...issue, path: issue.path.replace(/^profile/, at) })),
    );
}

interface DestinationEntryBase {
  id: string;
  dir: string;
  retry?: Parameters<typeof retryPolicy>[0];
  circuitBreaker?: BreakerEntry;
  concurrency?: number;
}

type MllpDestinationEntry = Omit<MllpDestinationConfig, 'id' | 'ackTimeoutMs' | 'connectTimeoutMs' | 'idleTimeoutMs'> & {
  id: string;
  type: 'mllp';
  retry?: Parameters<typeof retryPolicy>[0];
  circuitBreaker?: BreakerEntry;
  concurrency?: number;
  ackTimeout?: number | string;
  connectTimeout?: number | string;
  idleTimeout?: number | string;
};

type HttpDestinationEntry = Omit<HttpDestinationConfig, 'id' | 'timeoutMs'> & {
  id: string;
  type: 'http';
  mapping?: string;
  retry?: Parameters<typeof retryPolicy>[0];
  circuitBreaker?: BreakerEntry;
  concurrency?: number;
  timeout?: number | string;
};

type DestinationEntry =
  | (DestinationEntryBase & { type: 'file'; mapping?: string })
  | (DestinationEntryBase & { type: 'x12'; profile: ClaimSubmitterProfile; maxClaimsPerTransactionSet?: number })
  | MllpDestinationEntry
  | HttpDestinationEntry;

/** An outbound MLLP destination: durations read, one delivery at a time by default (one connection, one message outstanding). */
function mllpDestinationSettings(d: MllpDestinationEntry, retry: RetryPolicy, at: string): MllpDestinationSettings {
  const { ackTimeout, connectTimeout, idleTimeout, concurrency, retry: _retry, circuitBreaker: _breaker, ...rest } = d;
  void _retry;
  void _breaker;
  return {
    ...rest,
    retry,
    concurrency: concurrency ?? 1,
    ...(ackTimeout !== undefined ? { ackTimeoutMs: parseDuration(ackTimeout, `${at}.ackTimeout`) } : {}),
    ...(connectTimeout !== undefined ? { connectTimeoutMs: parseDuration(connectTimeout, `${at}.connectTimeout`) } : {}),
    ...(idleTimeout !== undefined ? { idleTimeoutMs: parseDuration(idleTimeout, `${at}.idleTimeout`) } : {}),
  };
}

/** An http destination: url and headers checked once secrets are resolved, the timeout read, headers hidden when printed. */
function httpDestinationSettings(d: HttpDestinationEntry, retry: RetryPolicy, at: string): HttpDestinationSettings {
  const { timeout, concurrency, retry: _retry, circuitBreaker: _breaker, headers, tls, ...rest } = d;
  void _retry;
  void _breaker;
  const issues = httpDestinationIssues(d, at);
  const timeoutMs = timeout === undefined ? undefined : parseDuration(timeout, `${at}.timeout`);
  if (timeoutMs === 0) issues.push({ path: `${at}.timeout`, rule: 'minimum', message: 'must be longer than 0' });
  if (issues.length > 0)
    throw new ConfigError(`${at}: ${issues.map((issue) => `${issue.path.slice(at.length + 1)}: ${issue.message}`).join('; ')}`, issues);
  return {
    ...rest,
    retry,
    concurrency: concurrency ?? 8,
    ...(headers ? { headers: hiddenInJson({ ...headers }) } : {}),
    ...(tls ? { tls: hiddenInJson({ ...tls }) } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

interface ConfigFile {
  dataDir?: string;
  logLevel?: string;
  apiKey?: string;
  gateway?: {
    port?: number;
    host?: string;
    bodyLimit?: string;
    x12BodyLimit?: string;
    jsonBodyLimit?: string;
    requestTimeout?: number | string;
    cors?: { origins?: string[] };
    versions?: Record<string, { deprecated?: string; sunset?: string; successor?: string }>;
  };
  auth?: { oidc?: OidcEntry };
  rateLimits?: RateLimitsEntry;
  database?: { url?: string };
  redis?: { url?: string; prefix?: string };
  mappings?: { dirs?: string[]; threads?: number };
  ingest?: { concurrency?: number; retry?: Parameters<typeof retryPolicy>[0] };
  recovery?: { every?: number | string; grace?: number | string };
  routing?: { mode?: RoutingMode };
  destinations?: DestinationEntry[];
  routes?: RouteConfig[];
  sources?: SourceEntry[];
  mllp?: { enabled?: boolean; port?: number; host?: string };
}

interface PickupEntry {
  id: string;
  pattern?: string;
  every?: number | string;
  settle?: number | string;
  archive?: string;
  error?: string;
}

type SourceEntry =
  | {
      id: string;
      type: 'mllp';
      port?: number;
      host?: string;
      tls?: { key: string; cert: string; ca?: string; requestCert?: boolean };
      maxFrameBytes?: number;
      idleTimeout?: number | string;
      charset?: string;
      maxInFlight?: number;
      acknowledge?: 'after-translation' | 'after-commit';
    }
  | (PickupEntry & { type: 'file'; dir: string })
  | (PickupEntry & {
      type: 'sftp';
      host: string;
      port?: number;
      username: string;
      password?: string;
      privateKey?: string;
      hostFingerprint?: string;
      path: string;
    });

interface OidcEntry {
  issuer: string;
  jwksUri?: string;
  audience: string | string[];
  clockSkew?: number | string;
  rolesClaim?: string;
  roleMap?: Record<string, Role>;
  sourcesClaim?: string;
  nameClaim?: string;
}

function oidcSettings(entry: OidcEntry): OidcSettings {
  return {
    issuer: entry.issuer,
    ...(entry.jwksUri ? { jwksUri: entry.jwksUri } : {}),
    audience: Array.isArray(entry.audience) ? entry.audience : [entry.audience],
    clockToleranceSeconds: entry.clockSkew === undefined ? 30 : Math.round(parseDuration(entry.clockSkew, 'auth.oidc.clockSkew') / 1000),
    rolesClaim: entry.rolesClaim ?? 'roles',
    roleMap: entry.roleMap ?? {},
    ...(entry.sourcesClaim ? { sourcesClaim: entry.sourcesClaim } : {}),
    nameClaim: entry.nameClaim ?? 'sub',
  };
}

interface RateLimitEntry {
  requests: number;
  per: number | string;
}

interface RateLimitsEntry {
  perClient?: RateLimitEntry;
  clients?: Record<string, RateLimitEntry>;
  routes?: Record<string, RateLimitEntry>;
  unauthenticated?: RateLimitEntry;
}

function rateLimit(entry: RateLimitEntry, path: string): RateLimit {
  const ms = parseDuration(entry.per, `${path}.per`);
  if (ms < 1000 || ms % 1000 !== 0)
    throw new ConfigError(`${path}.per: a rate limit window is whole seconds`, [{ path: `${path}.per`, rule: 'whole-seconds', message: 'use e.g. 1s, 60s, 1m' }]);
  return { points: entry.requests, durationSeconds: ms / 1000 };
}

function rateLimitSettings(entry: RateLimitsEntry): RateLimitSettings {
  const each = (limits: Record<string, RateLimitEntry> | undefined, path: string) =>
    Object.fromEntries(Object.entries(limits ?? {}).map(([key, limit]) => [key, rateLimit(limit, `${path}.${key}`)]));
  return {
    ...(entry.perClient ? { perClient: rateLimit(entry.perClient, 'rateLimits.perClient') } : {}),
    ...(entry.clients ? { clients: each(entry.clients, 'rateLimits.clients') } : {}),
    routes: each(entry.routes, 'rateLimits.routes'),
    ...(entry.unauthenticated ? { unauthenticated: rateLimit(entry.unauthenticated, 'rateLimits.unauthenticated') } : {}),
  };
}

function versionPolicies(entries: Record<string, { deprecated?: string; sunset?: string; successor?: string }>): Record<string, VersionPolicy> {
  return Object.fromEntries(
    Object.entries(entries).map(([version, entry]) => {
      const policy: VersionPolicy = {
        ...(entry.deprecated ? { deprecated: new Date(entry.deprecated) } : {}),
        ...(entry.sunset ? { sunset: new Date(entry.sunset) } : {}),
        ...(entry.successor ? { successor: entry.successor } : {}),
      };
      if (policy.sunset && !policy.deprecated)
        throw new ConfigError(`gateway.versions.${version}: a sunset needs a deprecation date`, [
          { path: `gateway.versions.${version}.deprecated`, rule: 'required', message: 'set deprecated (ISO 8601) when setting sunset' },
        ]);
      return [version, policy];
    }),
  );
}

/** The resolved config as operators may see it: secrets hidden, credentials cut out of URLs. */
export function publicConfig(config: HubConfig): Record<string, unknown> {
  const hide = (url: string | undefined) => url?.replace(/\/\/[^@/]*@/, '//***@');
  return JSON.parse(JSON.stringify({ ...config, apiKey: config.apiKey ? '***' : undefined, databaseUrl: hide(config.databaseUrl), redisUrl: hide(config.redisUrl) })) as Record<string, unknown>;
}
