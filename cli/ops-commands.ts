// `claimhub dead-letters …` and `claimhub queues …`: the ops engineer's commands. They talk to a
// running hub over its API (the hub owns the store, and an embedded store admits one process), so
// they need its URL and an API key: --url / CLAIMHUB_URL (default http://127.0.0.1:$CLAIMHUB_PORT)
// and --key / CLAIMHUB_API_KEY.
import type { Command } from 'commander';
import { apiOf, withApiOptions, type ApiOptions } from './api-client.js';

const OPERATION_POLL_MS = 500;

/** The filter options shared by list and replay-all, as the API names them. */
function withFilters(command: Command): Command {
  return command
    .option('--status <status>', 'open (default), replayed or discarded')
    .option('--source <source>', 'the source that sent the message (mllp, api:<client>, a folder source id)')
    .option('--destination <id>', 'the destination a delivery failed at')
    .option('--error-class <class>', 'parse, unsupported, mapping, validation, delivery, transient, config')
    .option('--stage <stage>', 'parse, map, validate, ingest, route, deliver')
    .option('--message-type <type>', 'e.g. DFT^P03, 837P, Bundle')
    .option('--older-than <age>', 'created at least this long ago: 90s, 15m, 2h, 7d')
    .option('--newer-than <age>', 'created at most this long ago');
}

function filterOf(options: Record<string, string | undefined>): Record<string, string> {
  const names: Record<string, string> = {
    status: 'status',
    source: 'source',
    destination: 'destination',
    errorClass: 'errorClass',
    stage: 'stage',
    messageType: 'messageType',
    olderThan: 'olderThan',
    newerThan: 'newerThan',
  };
  return Object.fromEntries(Object.entries(names).flatMap(([option, name]) => (options[option] === undefined ? [] : [[name, options[option]!]])));
}

interface DeadLetterLine {
  id: string;
  createdAt: string;
  stage: string;
  destination: string | null;
  errorClass: string;
  error: { message: string };
  message: { source: string; messageType: string | null };
}

export function registerOpsCommands(program: Command): void {
  const api = withApiOptions;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);

  const deadLetters = program.command('dead-letters').description('find, replay and discard failed transactions (talks to a running hub)');
  withFilters(api(deadLetters.command('list').description('dead letters, oldest first'))
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--json', 'print the API answer as JSON'))
    .action(async (options: ApiOptions & Record<string, string | undefined> & { json?: boolean }) => {
      const call = apiOf(options);
      const query = new URLSearchParams({ ...filterOf(options), ...(options.limit ? { limit: options.limit } : {}) });
      const page = await call<{ items: DeadLetterLine[]; nextCursor?: string }>('GET', `/v1/dead-letters?${query}`);
      if (options.json) return out(JSON.stringify(page, null, 2));
      for (const d of page.items) {
        out([d.id, d.createdAt.slice(0, 19), d.stage, d.destination ?? '-', d.errorClass, d.message.source, d.message.messageType ?? '-', d.error.message.slice(0, 200)].join('  '));
      }
      out(`${page.items.length} shown${page.nextCursor ? ' (more: narrow the filter or raise --limit)' : ''}`);
    });
  api(deadLetters.command('show <id>').description('one dead letter with its attempts and its message lineage, as JSON')).action(
    async (id: string, options: ApiOptions) => out(JSON.stringify(await apiOf(options)('GET', `/v1/dead-letters/${encodeURIComponent(id)}`), null, 2)),
  );
  api(deadLetters.command('replay <id>').description('replay one dead letter'))
    .option('--mode <mode>', 'as-is (default) or from-failed-stage', 'as-is')
    .action(async (id: string, options: ApiOptions & { mode: string }) => {
      const answer = await apiOf(options)<{ messageId: string; messageStatus: string }>('POST', `/v1/dead-letters/${encodeURIComponent(id)}/replay`, { mode: options.mode });
      out(`replayed ${id}: message ${answer.messageId} is ${answer.messageStatus} again`);
    });
  withFilters(api(deadLetters.command('replay-all').description('replay every open dead letter the filters select, and follow the progress'))
    .option('--mode <mode>', 'as-is (default) or from-failed-stage', 'as-is')
    .option('--dry-run', 'only count them'))
    .action(async (options: ApiOptions & Record<string, string | undefined> & { dryRun?: boolean }) => {
      const call = apiOf(options);
      const filter = filterOf({ ...(options as Record<string, string | undefined>), status: undefined });
      if (options.dryRun) {
        const { count } = await call<{ count: number }>('POST', '/v1/dead-letters/replay', { mode: options.mode, filter, dryRun: true });
        return out(`${count} open dead letters would be replayed`);
      }
      const { operationId, total } = await call<{ operationId: string; total: number }>('POST', '/v1/dead-letters/replay', { mode: options.mode, filter });
      out(`operation ${operationId}: replaying ${total} dead letters`);
      for (;;) {
        const op = await call<{ status: string; done: number; failed: number; errors: { item: string; error: string }[] }>('GET', `/v1/operations/${operationId}`);
        process.stderr.write(`\r${op.done + op.failed}/${total} (${op.failed} failed)`);
        if (op.status !== 'running') {
          process.stderr.write('\n');
          for (const e of op.errors) out(`failed ${e.item}: ${e.error}`);
          out(`operation ${operationId} ${op.status}: ${op.done} replayed, ${op.failed} failed`);
          process.exitCode = op.status === 'succeeded' ? 0 : 1;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, OPERATION_POLL_MS));
      }
    });
  api(deadLetters.command('discard <id>').description('close a dead letter for good'))
    .requiredOption('--reason <text>', 'why it will never be delivered (kept in the lineage and the audit trail)')
    .action(async (id: string, options: ApiOptions & { reason: string }) => {
      await apiOf(options)('POST', `/v1/dead-letters/${encodeURIComponent(id)}/discard`, { reason: options.reason });
      out(`discarded ${id}`);
    });

  const audit = program.command('audit').description('the audit trail: query it, verify its hash chain (auditor or admin key; talks to a running hub)');
  api(audit.command('verify').description('walk the hash chain; exit 1 and name the first edited, inserted or deleted row')).action(async (options: ApiOptions) => {
    const verification = await apiOf(options)<{ ok: boolean; checked: number; broken?: { id: number; detail: string } }>('GET', '/v1/audit/verify');
    if (verification.ok) return out(`audit trail intact: ${verification.checked} records checked`);
    out(`audit trail BROKEN at record ${verification.broken!.id}: ${verification.broken!.detail} (${verification.checked} records before it are intact)`);
    process.exitCode = 1;
  });
  api(audit.command('list').description('audit records, newest first'))
    .option('--actor <actor>', 'who acted (api:<client name>)')
    .option('--action <action>', 'dead-letter.replay, dead-letter.discard, queue.pause, claim.release…')
    .option('--resource <resource>', 'a resource, or a prefix ending in / (dead-letter/)')
    .option('--from <time>', 'ISO 8601, inclusive')
    .option('--to <time>', 'ISO 8601, exclusive')
    .option('--limit <n>', 'at most this many (default 50)')
    .action(async (options: ApiOptions & Record<string, string | undefined>) => {
      const query = new URLSearchParams(
        Object.fromEntries(['actor', 'action', 'resource', 'from', 'to', 'limit'].flatMap((name) => (options[name] ? [[name, options[name]!]] : []))),
      );
      const page = await apiOf(options)<{ items: { id: number; at: string; actor: string; action: string; resource: string; outcome: string; detail: unknown }[] }>(
        'GET',
        `/v1/audit?${query}`,
      );
      for (const row of page.items) out([row.id, row.at, row.actor, row.action, row.resource, row.outcome, JSON.stringify(row.detail ?? {})].join('  '));
    });

  const queues = program.command('queues').description('queue depth, age and rate; pause and resume destinations (talks to a running hub)');
  api(queues.command('list', { isDefault: true }).description('every queue')).action(async (options: ApiOptions) => {
    const { queues: views } = await apiOf(options)<{
      queues: { name: string; waiting: number; active: number; delayed: number; paused: boolean; oldestWaitingSeconds: number | null; delivered?: { lastMinute: number; lastHour: number } }[];
    }>('GET', '/v1/queues');
    out(['queue', 'waiting', 'active', 'delayed', 'oldest', 'delivered/min', 'delivered/h', 'state'].join('\t'));
    for (const q of views) {
      out([q.name, q.waiting, q.active, q.delayed, q.oldestWaitingSeconds === null ? '-' : `${q.oldestWaitingSeconds}s`, q.delivered?.lastMinute ?? '-', q.delivered?.lastHour ?? '-', q.paused ? 'paused' : 'running'].join('\t'));
    }
  });
  for (const action of ['pause', 'resume'] as const) {
    api(queues.command(`${action} <destination>`).description(action === 'pause' ? 'stop delivering to a destination; its queue keeps everything' : 'deliver to a paused destination again')).action(
      async (destination: string, options: ApiOptions) => {
        await apiOf(options)('POST', `/v1/queues/${encodeURIComponent(destination)}/${action}`);
        out(`${destination} ${action === 'pause' ? 'paused' : 'resumed'}`);
      },
    );
  }
}
