// `claimhub mappings versions|push|show|activate|rollback`: the architect's commands for mapping
// versions. Unlike `mappings list` and `test`, which load the files here, they talk to a running hub
// over its API: --url / CLAIMHUB_URL (default http://127.0.0.1:$CLAIMHUB_PORT) and an architect key,
// --key / CLAIMHUB_API_KEY.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { ConfigError } from '../canonical-model/errors.js';
import { apiOf, withApiOptions, type ApiOptions } from './api-client.js';

interface ActiveVersion {
  version: string;
  origin: 'file' | 'store';
}

interface MappingVersion extends ActiveVersion {
  checksum: string;
  active: boolean;
  note?: string | null;
  createdBy?: string;
  createdAt?: string;
}

interface MappingActivation extends ActiveVersion {
  id: number;
  action: 'activate' | 'rollback';
  reason: string | null;
  actor: string;
  at: string;
}

interface ActivationResult {
  name: string;
  active: ActiveVersion | null;
  previous: ActiveVersion | null;
  changed: boolean;
  activation?: MappingActivation;
}

const labelOf = (v: ActiveVersion) => `${v.version} (${v.origin})`;
const time = (value: string | undefined) => (value === undefined ? '-' : value.slice(0, 19));
const mappingPath = (name: string) => `/v1/mappings/${encodeURIComponent(name)}`;
const withReason = (reason: string | undefined) => (reason === undefined ? {} : { reason });

/** What an activation or a rollback did, in one line. */
function changeOf({ name, active, previous, changed }: ActivationResult): string {
  const was = previous ? `was ${labelOf(previous)}` : 'nothing ran before';
  if (!active) return `${name}: no longer runs, ${was}`;
  if (!changed) return `${name}: ${labelOf(active)} already runs; nothing changed`;
  return `${name}: ${labelOf(active)} runs, ${was}`;
}

/** The mapping a file is a version of: its `name:` key (the hub checks the rest of the file). */
function mappingNameOf(file: string, text: string): string {
  const document = parseDocument(text);
  const name: unknown = document.get('name');
  if (typeof name === 'string' && name.trim() !== '') return name;
  const [syntax] = document.errors;
  if (syntax) {
    const at = syntax.linePos?.[0];
    throw new ConfigError(`${file} is not valid YAML, so it names no mapping`, [
      { path: at ? `line ${at.line} column ${at.col}` : file, rule: 'yaml-syntax', message: syntax.message.split('\n')[0]! },
    ]);
  }
  throw new ConfigError(`${file} does not say which mapping it is a version of`, [
    { path: 'name', rule: 'required', message: 'a mapping file names its mapping, e.g. name: fhir-r4-claim' },
  ]);
}

export function registerMappingCommands(mappings: Command): void {
  const api = withApiOptions;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);

  api(mappings.command('versions <name>').description("a mapping's versions on a running hub, which one runs, and its activations"))
    .option('--json', 'print the API answer as JSON')
    .action(async (name: string, options: ApiOptions & { json?: boolean }) => {
      const answer = await apiOf(options)<{ versions: MappingVersion[]; activations: MappingActivation[] }>(
        'GET',
        `${mappingPath(name)}/versions`,
      );
      if (options.json) return out(JSON.stringify(answer, null, 2));
      out(['version', 'origin', 'active', 'created by', 'created at', 'note'].join('\t'));
      for (const v of answer.versions) {
        out([v.version, v.origin, v.active ? '*' : '-', v.createdBy ?? '-', time(v.createdAt), v.note ?? '-'].join('\t'));
      }
      out('');
      if (answer.activations.length === 0) return out('no activations yet');
      out('activations, newest first:');
      out(['at', 'action', 'version', 'origin', 'actor', 'reason'].join('\t'));
      for (const a of answer.activations) out([time(a.at), a.action, a.version, a.origin, a.actor, a.reason ?? '-'].join('\t'));
    });
  api(
    mappings
      .command('push <file>')
      .description('add a version of a mapping as its YAML file (its name: and version: say which); stored, not running until activated'),
  )
    .option('--note <text>', 'what changed; kept with the version')
    .option('--activate', 'make the version run once it is stored')
    .option('--reason <text>', 'with --activate: why; kept in the history and the audit trail')
    .action(async (file: string, options: ApiOptions & { note?: string; activate?: boolean; reason?: string }) => {
      if (options.reason !== undefined && !options.activate) {
        throw new ConfigError('--reason is the reason for an activation', [
          { path: '--reason', rule: 'requires', message: 'add --activate, or give the reason to `mappings activate`' },
        ]);
      }
      const call = apiOf(options);
      const text = await readFile(file, 'utf8');
      const name = mappingNameOf(file, text);
      const query = options.note === undefined ? '' : `?${new URLSearchParams({ note: options.note })}`;
      const stored = await call<MappingVersion>('POST', `${mappingPath(name)}/versions${query}`, text, { contentType: 'application/yaml' });
      out(`stored ${name}@${stored.version} (sha-256 ${stored.checksum.slice(0, 12)})`);
      if (!options.activate) return;
      const body = { version: stored.version, ...withReason(options.reason) };
      out(changeOf(await call<ActivationResult>('POST', `${mappingPath(name)}/activate`, body)));
    });
  api(mappings.command('show <name> <version>').description("one version's YAML file (a stored one, or the file's)")).action(
    async (name: string, version: string, options: ApiOptions) => {
      const answer = await apiOf(options)<{ text: string }>('GET', `${mappingPath(name)}/versions/${encodeURIComponent(version)}`);
      process.stdout.write(answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`);
    },
  );
  api(mappings.command('activate <name> <version>').description("make a version run (a stored one, or the file's) in every hub process"))
    .option('--reason <text>', 'why; kept in the history and the audit trail')
    .action(async (name: string, version: string, options: ApiOptions & { reason?: string }) => {
      const body = { version, ...withReason(options.reason) };
      out(changeOf(await apiOf(options)<ActivationResult>('POST', `${mappingPath(name)}/activate`, body)));
    });
  api(mappings.command('rollback <name>').description('make the version that ran before the running one run again'))
    .option('--reason <text>', 'why; kept in the history and the audit trail')
    .action(async (name: string, options: ApiOptions & { reason?: string }) => {
      out(changeOf(await apiOf(options)<ActivationResult>('POST', `${mappingPath(name)}/rollback`, withReason(options.reason))));
    });
}
