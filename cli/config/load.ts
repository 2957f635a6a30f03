// Loads claimhub.config.yaml (or the embedded defaults), checks it against the published schema
// with errors that name the key, resolves `env:NAME` / `file:PATH` secrets and applies the
// environment variables of DESIGN.md §5, which override the file.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve, dirname } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError, type Issue } from '../../canonical-model/errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../routes/retry-policy.js';
import type { RouteConfig, RoutingMode } from '../../routes/router.js';
import { configSchema } from './schema.js';
import { parseDuration } from './duration.js';

export interface FileDestinationSettings {
  id: string;
  type: 'file';
  dir: string;
  retry: RetryPolicy;
  concurrency: number;
}

export type DestinationSettings = FileDestinationSettings;

export interface HubConfig {
  /** Where the config came from (a path, or "embedded defaults"). */
  origin: string;
  dataDir: string;
  logLevel: string;
  apiKey?: string;
  gateway: { port: number; host: string; bodyLimit: string; x12BodyLimit: string };
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
}

type Env = Record<string, string | undefined>;

const validateShape = new Ajv2020({ allErrors: true, strict: false }).compile(configSchema);

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
    (d, i) => ({
      id: d.id,
      type: 'file',
      dir: resolve(dirname(path), d.dir),
      retry: retryPolicy(d.retry, `destinations[${i}].retry`),
      concurrency: d.concurrency ?? 32,
    }),
  );
  const ids = destinations.map((d) => d.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated)
    throw new ConfigError(`destination id "${repeated}" is used twice`, [{ path: 'destinations', rule: 'unique-id', message: repeated }]);

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
    },
    mllpPort: port(env.CLAIMHUB_MLLP_PORT, 'CLAIMHUB_MLLP_PORT', 2575),
    databaseUrl: env.DATABASE_URL || file.database?.url || undefined,
    redisUrl: env.REDIS_URL || file.redis?.url || undefined,
    queuePrefix: env.CLAIMHUB_QUEUE_PREFIX || file.redis?.prefix || 'claimhub',
    mappingDirs: (file.mappings?.dirs ?? []).map((d) => resolve(dirname(path), d)),
    mappingThreads: file.mappings?.threads ?? Math.min(4, availableParallelism() - 1),
    ingest: { concurrency: file.ingest?.concurrency ?? 64, retry: retryPolicy(file.ingest?.retry, 'ingest.retry') },
    recovery: {
      intervalMs: file.recovery?.every === undefined ? 30_000 : parseDuration(file.recovery.every, 'recovery.every'),
      graceSeconds: (file.recovery?.grace === undefined ? 60_000 : parseDuration(file.recovery.grace, 'recovery.grace')) / 1000,
    },
    routing: { mode: file.routing?.mode ?? 'first-match' },
    destinations,
    routes: file.routes ?? [{ name: 'everything to the outbox', to: ['outbox'] }],
  };
}

interface ConfigFile {
  dataDir?: string;
  logLevel?: string;
  apiKey?: string;
  gateway?: { port?: number; host?: string; bodyLimit?: string; x12BodyLimit?: string };
  database?: { url?: string };
  redis?: { url?: string; prefix?: string };
  mappings?: { dirs?: string[]; threads?: number };
  ingest?: { concurrency?: number; retry?: Parameters<typeof retryPolicy>[0] };
  recovery?: { every?: number | string; grace?: number | string };
  routing?: { mode?: RoutingMode };
  destinations?: { id: string; type: 'file'; dir: string; retry?: Parameters<typeof retryPolicy>[0]; concurrency?: number }[];
  routes?: RouteConfig[];
}
