// /v1/dead-letters and /v1/operations: what ops engineers work failed transactions with — find
// them by what failed and where they came from, read one with its message's lineage, replay it
// (or thousands by filter, as an operation with progress), or discard it with a reason.
import type { Request } from 'express';
import type { MessageReader } from '../../store/messages.js';
import { getDeadLetter, listDeadLetters, type DeadLetterFilter, type DeadLetterStatus } from '../../store/dead-letters.js';
import { getOperation } from '../../store/operations.js';
import {
  countReplayable,
  DeadLetterNotFoundError,
  DeadLetterNotOpenError,
  discardDeadLetter,
  replayDeadLetter,
  REPLAY_MODES,
  startBulkReplay,
  type ReplayDeps,
  type ReplayMode,
} from '../../routes/replay.js';
import type { AuditRead } from '../audit-reads.js';
import { problem, sendProblem, type Problem } from '../problem.js';
import type { RouteSpec } from '../route-table.js';
import { cursorParam, idParam, json, limitParam, pageSchema, problemAnswer, jsonBody, reasonBody } from './schemas.js';
import { answering, BadRequest, decodeCursor, encodeCursor, idOf, limitOf, operatorOf, reasonOf, type Refusal } from './request-parts.js';

export interface DeadLettersDeps {
  replay: ReplayDeps;
  reader: MessageReader;
  /** Records a read of PHI (errors quote values; the lineage shows the message) before it is answered. */
  auditRead: AuditRead;
}

const STATUSES: readonly DeadLetterStatus[] = ['open', 'replayed', 'discarded'];
const FILTER_TEXT = ['source', 'destination', 'errorClass', 'stage', 'messageType'] as const;

const DEAD_LETTER_REFUSALS: readonly Refusal[] = [
  [DeadLetterNotFoundError, (_error, req) => notFound(String(req.params.id), req)],
  [
    DeadLetterNotOpenError,
    (error, req) =>
      problem(409, 'dead-letter-not-open', 'Dead letter already resolved', { detail: error.message, instance: req.originalUrl }),
  ],
];

const DURATION = { type: 'string', pattern: '^[0-9]+(s|m|h|d)$', description: 'Age like 90s, 15m, 2h, 7d.' };

/** The dead-letter filter, as query parameters or as the `filter` of a bulk replay. */
const filterProperties = {
  status: { enum: [...STATUSES], description: 'open (default for replay), replayed, discarded.' },
  source: { type: 'string', minLength: 1, maxLength: 200 },
  destination: { type: 'string', minLength: 1, maxLength: 200 },
  errorClass: { type: 'string', minLength: 1, maxLength: 200, description: 'parse, mapping, validation, delivery, transient…' },
  stage: { type: 'string', minLength: 1, maxLength: 200, description: 'translate, route, deliver…' },
  messageType: { type: 'string', minLength: 1, maxLength: 200, description: 'e.g. 837P, DFT^P03.' },
  olderThan: DURATION,
  newerThan: DURATION,
};

const modeSchema = {
  enum: [...REPLAY_MODES],
  description: 'as-is: the stored message again; from-failed-stage: resume where it failed, with the current mapping.',
};

export function deadLetterRoutes(deps: DeadLettersDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/dead-letters',
      operationId: 'listDeadLetters',
      tag: 'dead letters',
      summary: 'Dead letters by status, source, destination, error class, stage, message type and age (oldest first, cursor pages)',
      access: ['ops'],
      auditedRead: true,
      query: { ...filterProperties, limit: limitParam, cursor: cursorParam },
      responses: { 200: { description: 'A page.', schema: pageSchema() }, 400: problemAnswer('A filter is invalid.') },
      handle: (req, res) =>
        answering(req, res, DEAD_LETTER_REFUSALS, async () => {
          const filter = filterOf(req.query);
          const limit = limitOf(req.query.limit);
          const cursor = decodeCursor(req.query.cursor);
          const page = await listDeadLetters(deps.replay.db, filter, { limit, after: cursor && { createdAt: cursor.at, id: cursor.id } });
          await deps.auditRead(req, 'dead-letter/', { filter, returned: page.items.length });
          res.json({ items: page.items, ...(page.next ? { nextCursor: encodeCursor(page.next.createdAt, page.next.id) } : {}) });
        }),
    },
    {
      method: 'get',
      path: '/dead-letters/{id}',
      operationId: 'getDeadLetter',
      tag: 'dead letters',
      summary: "One dead letter with its attempts and its message's lineage",
      access: ['ops'],
      auditedRead: true,
      pathParams: { id: idParam('dead letter') },
      responses: {
        200: { description: 'The dead letter.', schema: json('object') },
        400: problemAnswer('Not an id.'),
        404: problemAnswer('No such dead letter.'),
      },
      handle: (req, res) =>
        answering(req, res, DEAD_LETTER_REFUSALS, async () => {
          const id = idOf(req, 'dead letter');
          const deadLetter = await getDeadLetter(deps.replay.db, id);
          if (!deadLetter) return void sendProblem(res, notFound(id, req));
          await deps.auditRead(req, `dead-letter/${id}`);
          res.json({ ...deadLetter, lineage: await deps.reader.view(deadLetter.messageId) });
        }),
    },
    {
      method: 'post',
      path: '/dead-letters/replay',
      operationId: 'replayDeadLetters',
      tag: 'dead letters',
      summary: 'Replay every open dead letter a filter selects, as an operation with progress (dryRun counts them)',
      access: ['ops'],
      body: jsonBody(
        {
          type: 'object',
          required: ['mode'],
          additionalProperties: false,
          properties: {
            mode: modeSchema,
            filter: { type: 'object', additionalProperties: false, properties: filterProperties },
            dryRun: { type: 'boolean' },
          },
        },
        { example: { mode: 'from-failed-stage', filter: { destination: 'payer-sftp', errorClass: 'delivery' } } },
      ),
      responses: {
        202: { description: 'Started: the operation id; progress at Location.', schema: json('object') },
        200: { description: 'dryRun: how many would be replayed.', schema: json('object') },
        400: problemAnswer('Invalid mode or filter.'),
      },
      handle: (req, res) =>
        answering(req, res, DEAD_LETTER_REFUSALS, async () => {
          const body = bodyOf(req);
          const mode = modeOf(body.mode);
          const filter = filterOf((body.filter ?? {}) as Record<string, unknown>, 'filter.');
          if (body.dryRun === true) {
            res.json({ dryRun: true, mode, filter: { ...filter, status: 'open' }, count: await countReplayable(deps.replay.db, filter) });
            return;
          }
          const operation = await startBulkReplay(deps.replay, filter, mode, operatorOf(req));
          void operation.finished;
          res.status(202).setHeader('Location', `${req.baseUrl}/operations/${operation.id}`);
          res.json({ operationId: operation.id, status: 'running', total: operation.total });
        }),
    },
    {
      method: 'post',
      path: '/dead-letters/{id}/replay',
      operationId: 'replayDeadLetter',
      tag: 'dead letters',
      summary: 'Replay one dead letter (audited)',
      access: ['ops'],
      pathParams: { id: idParam('dead letter') },
      body: jsonBody(
        { type: 'object', additionalProperties: false, properties: { mode: modeSchema } },
        { required: false, example: { mode: 'from-failed-stage' } },
      ),
      responses: {
        202: { description: 'Replayed: the message is on its way again.', schema: json('object') },
        400: problemAnswer('Invalid id or mode.'),
        404: problemAnswer('No such dead letter.'),
        409: problemAnswer('Already replayed or discarded.'),
      },
      handle: (req, res) =>
        answering(req, res, DEAD_LETTER_REFUSALS, async () => {
          const id = idOf(req, 'dead letter');
          const mode = modeOf(bodyOf(req).mode ?? 'as-is');
          const { deadLetter, status } = await replayDeadLetter(deps.replay, id, mode, operatorOf(req));
          res.status(202).json({ id, status: 'replayed', mode, messageId: deadLetter.messageId, messageStatus: status });
        }),
    },
    {
      method: 'post',
      path: '/dead-letters/{id}/discard',
      operationId: 'discardDeadLetter',
      tag: 'dead letters',
      summary: 'Close a dead letter for good, with a reason (audited)',
      access: ['ops'],
      pathParams: { id: idParam('dead letter') },
      body: jsonBody(reasonBody('the payer retired this plan')),
      responses: {
        200: { description: 'Discarded.', schema: json('object') },
        400: problemAnswer('No reason.'),
        404: problemAnswer('No such dead letter.'),
        409: problemAnswer('Already replayed or discarded.'),
      },
      handle: (req, res) =>
        answering(req, res, DEAD_LETTER_REFUSALS, async () => {
          const id = idOf(req, 'dead letter');
          const reason = reasonOf(bodyOf(req), 'a discard needs a reason: {"reason": "why this will never be delivered"}');
          const deadLetter = await discardDeadLetter(deps.replay.db, id, reason, operatorOf(req));
          res.json({ id, status: 'discarded', messageId: deadLetter.messageId, reason });
        }),
    },
    {
      method: 'get',
      path: '/operations/{id}',
      operationId: 'getOperation',
      tag: 'dead letters',
      summary: "A bulk replay's progress",
      access: ['ops'],
      pathParams: { id: idParam('operation') },
      responses: { 200: { description: 'The operation.', schema: json('object') }, 404: problemAnswer('No such operation.') },
      handle: (req, res) =>
        answering(req, res, DEAD_LETTER_REFUSALS, async () => {
          const id = idOf(req, 'operation');
          const operation = await getOperation(deps.replay.db, id);
          if (!operation)
            return void sendProblem(
              res,
              problem(404, 'not-found', 'No such operation', { detail: `no operation ${id}`, instance: req.originalUrl }),
            );
          res.json(operation);
        }),
    },
  ];
}

function notFound(id: string, req: Request): Problem {
  return problem(404, 'not-found', 'No such dead letter', { detail: `no dead letter ${id}`, instance: req.originalUrl });
}

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0 && !req.is('application/json')))
    return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('body', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

function modeOf(value: unknown): ReplayMode {
  if (typeof value === 'string' && (REPLAY_MODES as readonly string[]).includes(value)) return value as ReplayMode;
  throw new BadRequest(
    'mode',
    `mode must be one of ${REPLAY_MODES.join(', ')}${value === undefined ? '' : `, got ${JSON.stringify(value)}`}`,
  );
}

/** Filter parameters from a query string or a JSON body (`prefix` names them in errors). */
function filterOf(source: Record<string, unknown>, prefix = ''): DeadLetterFilter {
  const filter: DeadLetterFilter = {};
  const text = (name: string): string | undefined => {
    const value = source[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '' || value.length > 200)
      throw new BadRequest(prefix + name, `${prefix}${name} must be a non-empty string`);
    return value;
  };
  const status = text('status');
  if (status !== undefined) {
    if (!(STATUSES as readonly string[]).includes(status))
      throw new BadRequest(prefix + 'status', `${prefix}status must be one of ${STATUSES.join(', ')}`);
    filter.status = status as DeadLetterStatus;
  }
  for (const name of FILTER_TEXT) {
    const value = text(name);
    if (value !== undefined) filter[name] = value;
  }
  const older = text('olderThan');
  if (older !== undefined) filter.olderThanSeconds = seconds(older, prefix + 'olderThan');
  const newer = text('newerThan');
  if (newer !== undefined) filter.newerThanSeconds = seconds(newer, prefix + 'newerThan');
  const unknown = Object.keys(source).find((key) => ![...FILTER_TEXT, 'status', 'olderThan', 'newerThan', 'limit', 'cursor'].includes(key));
  if (unknown !== undefined)
    throw new BadRequest(
      prefix + unknown,
      `unknown filter ${prefix}${unknown}: use status, ${FILTER_TEXT.join(', ')}, olderThan, newerThan`,
    );
  return filter;
}

/** `90s`, `15m`, `2h`, `7d` → seconds. */
function seconds(text: string, parameter: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!match) throw new BadRequest(parameter, `${parameter} must be a duration like 90s, 15m, 2h or 7d, got "${text}"`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}
