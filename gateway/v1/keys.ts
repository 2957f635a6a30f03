// /v1/keys: API keys for admins — create one for a client with a role (the key is in this answer
// only; the store keeps its hash), list them with last use, revoke one. Each change is audited in
// the transaction that makes it.
import type { Request } from 'express';
import type { ApiKeys } from '../../store/api-keys.js';
import { KeyAlreadyRevoked, KeyNameTaken, KeyNotFound, KeyRequestInvalid } from '../../store/api-keys.js';
import { appendAudit, auditRecordOf } from '../../store/audit.js';
import type { Db, Queryable } from '../../store/db.js';
import { problem, problemFromError } from '../problem.js';
import { ROLES } from '../roles.js';
import type { RouteSpec } from '../route-table.js';
import { answering, BadRequest, idOf, operatorOf, type Refusal } from './request-parts.js';
import { idParam, jsonBody, problemAnswer } from './schemas.js';

const KEY_REFUSALS: readonly Refusal[] = [
  [
    KeyNotFound,
    (_error, req) => problem(404, 'not-found', 'No such key', { detail: `no API key ${String(req.params.id)}`, instance: req.originalUrl }),
  ],
  [
    KeyAlreadyRevoked,
    (error, req) => problem(409, 'key-revoked', 'Key already revoked', { detail: error.message, instance: req.originalUrl }),
  ],
  [KeyNameTaken, (error, req) => problem(409, 'key-name-taken', 'Name in use', { detail: error.message, instance: req.originalUrl })],
  [KeyRequestInvalid, (error, req) => ({ ...problemFromError(error as KeyRequestInvalid, { instance: req.originalUrl }), status: 400 })],
];

const keyRecord = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    role: { enum: [...ROLES] },
    sources: { type: ['array', 'null'], items: { type: 'string' } },
    prefix: {
      type: ['string', 'null'],
      description: 'The first characters of the key, to tell keys apart (null for a configured bootstrap key).',
    },
    createdAt: { type: 'string' },
    createdBy: { type: ['string', 'null'] },
    lastUsedAt: { type: ['string', 'null'] },
    expiresAt: { type: ['string', 'null'] },
    revokedAt: { type: ['string', 'null'] },
    revokedBy: { type: ['string', 'null'] },
  },
};

function audited<T extends { id: string; detail: Record<string, unknown> }>(
  db: Db,
  req: Request,
  action: string,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const done = await work(tx);
    await appendAudit(tx, auditRecordOf(operatorOf(req), action, `key/${done.id}`, done.detail));
    return done;
  });
}

export function keyRoutes(deps: { keys: ApiKeys; db: Db }): RouteSpec[] {
  return [
    {
      method: 'post',
      path: '/keys',
      operationId: 'createKey',
      tag: 'keys',
      summary: 'Create an API key for a client with one role; the key is in this answer only',
      access: [],
      body: jsonBody(
        {
          type: 'object',
          required: ['name', 'role'],
          additionalProperties: false,
          properties: {
            name: {
              type: 'string',
              pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
              description: 'The client, as logs and the audit trail name it.',
            },
            role: { enum: [...ROLES] },
            sources: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' },
              description: 'Role source only: the source ids it may submit as.',
            },
            expiresAt: { type: 'string', format: 'date-time' },
          },
        },
        { example: { name: 'clinic-ehr', role: 'source', sources: ['clinic-ehr'] } },
      ),
      responses: {
        201: {
          description: 'Created: `key` is shown this once.',
          schema: { ...keyRecord, properties: { ...keyRecord.properties, key: { type: 'string' } } },
        },
        400: problemAnswer('Invalid name, role, sources or expiry.'),
        409: problemAnswer('A key with this name is active.'),
      },
      handle: (req, res) =>
        answering(req, res, KEY_REFUSALS, async () => {
          const body = req.body as { name: string; role: (typeof ROLES)[number]; sources?: string[]; expiresAt?: string };
          if (body.sources && body.role !== 'source')
            throw new BadRequest('$.sources', 'only keys of role source are restricted to sources');
          const expiresAt = body.expiresAt ? new Date(body.expiresAt) : undefined;
          if (expiresAt && expiresAt.getTime() <= Date.now()) throw new BadRequest('$.expiresAt', 'expiresAt is in the past');
          let key = '';
          const created = await audited(deps.db, req, 'key.create', async (tx) => {
            const made = await deps.keys.create(
              { name: body.name, role: body.role, sources: body.sources, expiresAt, createdBy: operatorOf(req).actor },
              tx,
            );
            key = made.key;
            return {
              id: made.record.id,
              detail: { name: body.name, role: body.role, ...(body.sources ? { sources: body.sources } : {}), prefix: made.record.prefix },
              record: made.record,
            };
          });
          res.status(201).setHeader('Location', `${req.baseUrl}/keys/${created.id}`);
          res.setHeader('Cache-Control', 'no-store');
          res.json({ key, ...created.record });
        }),
    },
    {
      method: 'get',
      path: '/keys',
      operationId: 'listKeys',
      tag: 'keys',
      summary: 'API keys with role, sources, prefix, creation, last use, expiry (never the key)',
      access: [],
      query: { all: { type: 'boolean', description: 'Include revoked keys.' } },
      responses: {
        200: { description: 'The keys.', schema: { type: 'object', properties: { items: { type: 'array', items: keyRecord } } } },
      },
      handle: async (req, res) => {
        res.json({ items: await deps.keys.list({ includeRevoked: req.query.all === 'true' }) });
      },
    },
    {
      method: 'delete',
      path: '/keys/{id}',
      operationId: 'revokeKey',
      tag: 'keys',
      summary: 'Revoke an API key (audited); other gateway processes stop accepting it within 5 s',
      access: [],
      pathParams: { id: idParam('key') },
      responses: {
        200: { description: 'The revoked key.', schema: keyRecord },
        404: problemAnswer('No such key.'),
        409: problemAnswer('Already revoked.'),
      },
      handle: (req, res) =>
        answering(req, res, KEY_REFUSALS, async () => {
          const id = idOf(req, 'key');
          const revoked = await audited(deps.db, req, 'key.revoke', async (tx) => {
            const record = await deps.keys.revoke(id, operatorOf(req).actor, tx);
            return { id, detail: { name: record.name, role: record.role }, record };
          });
          res.json(revoked.record);
        }),
    },
  ];
}
