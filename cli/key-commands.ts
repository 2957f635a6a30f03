// `claimhub keys create|list|revoke`: the admin's commands for API keys. Like the ops commands they
// talk to a running hub over its API: --url / CLAIMHUB_URL (default http://127.0.0.1:$CLAIMHUB_PORT)
// and an admin key, --key / CLAIMHUB_API_KEY.
import type { Command } from 'commander';
import { ConfigError } from '../canonical-model/errors.js';
import { apiOf, withApiOptions, type ApiOptions } from './api-client.js';

interface KeyRecord {
  id: string;
  name: string;
  role: string;
  sources: string[] | null;
  prefix: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const DAY_MS = 86_400_000;
const RELATIVE_UNIT_MS = { m: 60_000, h: 3_600_000, d: DAY_MS } as const;

/** `--expires`: an ISO 8601 date or date-time, or a time from now (90m, 12h, 30d). */
function expiryOf(value: string, now = Date.now()): string {
  const relative = /^(\d+)([mhd])$/.exec(value.trim());
  if (relative) return new Date(now + Number(relative[1]) * RELATIVE_UNIT_MS[relative[2] as keyof typeof RELATIVE_UNIT_MS]).toISOString();
  const at = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    throw new ConfigError(`--expires: "${value}" is neither a date nor a time from now`, [
      { path: '--expires', rule: 'expiry', message: 'use e.g. 2026-12-31, 2026-12-31T18:00:00Z, 12h or 30d' },
    ]);
  }
  return at.toISOString();
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const time = (value: string | null) => (value === null ? '-' : value.slice(0, 19));

function sourcesOf(record: Pick<KeyRecord, 'role' | 'sources'>): string {
  if (record.sources) return record.sources.join(',');
  return record.role === 'source' ? 'any' : '-';
}

export function registerKeyCommands(program: Command): void {
  const api = withApiOptions;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);

  const keys = program.command('keys').description('create, list and revoke API keys (admin key; talks to a running hub)');
  api(keys.command('create').description('a new key for a client; it is printed once and never again'))
    .requiredOption('--name <name>', 'the client, as logs and the audit trail will name it')
    .requiredOption('--role <role>', 'source, architect, ops, auditor or admin')
    .option('--source <id>', 'for a source key: a source id it may submit as (repeat for several; none: any source)', collect)
    .option('--expires <when>', 'an ISO 8601 date or date-time, or a time from now: 12h, 30d')
    .option('--quiet', 'print only the key (for scripts)')
    .action(async (options: ApiOptions & { name: string; role: string; source?: string[]; expires?: string; quiet?: boolean }) => {
      const call = apiOf(options);
      const body = {
        name: options.name,
        role: options.role,
        ...(options.source ? { sources: options.source } : {}),
        ...(options.expires ? { expiresAt: expiryOf(options.expires) } : {}),
      };
      const created = await call<KeyRecord & { key: string }>('POST', '/v1/keys', body);
      if (options.quiet) return out(created.key);
      out(
        `created API key ${created.name} (${created.id}): role ${created.role}, sources ${sourcesOf(created)}, expires ${created.expiresAt ?? 'never'}`,
      );
      out(created.key);
      out('keep it now: the hub stores only its hash and cannot show it again');
    });
  api(keys.command('list').description('keys with their role, sources and first characters, oldest first'))
    .option('--all', 'revoked keys too')
    .option('--json', 'print the API answer as JSON')
    .action(async (options: ApiOptions & { all?: boolean; json?: boolean }) => {
      const page = await apiOf(options)<{ items: KeyRecord[] }>('GET', `/v1/keys${options.all ? '?all=true' : ''}`);
      if (options.json) return out(JSON.stringify(page, null, 2));
      out(['id', 'name', 'role', 'sources', 'prefix', 'created', 'last used', 'expires', 'revoked'].join('\t'));
      for (const k of page.items) {
        out(
          [
            k.id,
            k.name,
            k.role,
            sourcesOf(k),
            k.prefix ?? '-',
            time(k.createdAt),
            time(k.lastUsedAt),
            time(k.expiresAt),
            time(k.revokedAt),
          ].join('\t'),
        );
      }
    });
  api(keys.command('revoke <id>').description('stop a key working (every hub process refuses it within seconds)')).action(
    async (id: string, options: ApiOptions) => {
      const revoked = await apiOf(options)<KeyRecord>('DELETE', `/v1/keys/${encodeURIComponent(id)}`);
      out(`revoked API key ${revoked.name} (${revoked.id}) at ${revoked.revokedAt}`);
    },
  );
}
