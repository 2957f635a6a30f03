// /v1/audit: the trail for auditors — query it (newest first) and verify its hash chain.
import type { Db } from '../../store/db.js';
import { listAudit, verifyAuditChain, type AuditFilter } from '../../store/audit.js';
import type { RouteSpec } from '../route-table.js';
import { answering, BadRequest, limitOf } from './request-parts.js';
import { limitParam, problemAnswer } from './schemas.js';

const FILTERS = ['actor', 'action', 'resource', 'from', 'to'] as const;

export function auditRoutes(deps: { db: Db }): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/audit',
      operationId: 'listAudit',
      tag: 'audit',
      summary: 'Audit records, newest first, by actor, action, resource (or a prefix ending in /) and time',
      access: ['auditor'],
      query: {
        actor: { type: 'string', minLength: 1 },
        action: { type: 'string', minLength: 1, description: 'e.g. read, message.receive, dead-letter.replay, key.create.' },
        resource: { type: 'string', minLength: 1, description: 'e.g. message/<id>, or a prefix ending in / (dead-letter/).' },
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
        limit: limitParam,
        before: { type: 'integer', minimum: 1, description: 'The nextBefore of the previous page.' },
      },
      responses: {
        200: {
          description: 'A page.',
          schema: {
            type: 'object',
            properties: { items: { type: 'array', items: { $ref: '#/components/schemas/AuditRecord' } }, nextBefore: { type: 'integer' } },
          },
        },
        400: problemAnswer('Invalid parameters.'),
      },
      handle: (req, res) =>
        answering(req, res, [], async () => {
          const filter: AuditFilter = {};
          for (const name of FILTERS) {
            const value = req.query[name];
            if (typeof value === 'string') filter[name] = value;
          }
          const before = req.query.before === undefined ? undefined : Number(req.query.before);
          if (before !== undefined && (!Number.isInteger(before) || before < 1))
            throw new BadRequest('before', 'before must be the nextBefore of a previous page');
          const page = await listAudit(deps.db, filter, { limit: limitOf(req.query.limit), before });
          res.json({ items: page.items, ...(page.next ? { nextBefore: page.next } : {}) });
        }),
    },
    {
      method: 'get',
      path: '/audit/verify',
      operationId: 'verifyAudit',
      tag: 'audit',
      summary: 'Walk the hash chain: ok, or the first edited, inserted or deleted record',
      access: ['auditor'],
      responses: {
        200: {
          description: 'The finding (a check that ran is a 200, broken or not).',
          schema: {
            type: 'object',
            required: ['ok', 'checked'],
            properties: {
              ok: { type: 'boolean' },
              checked: { type: 'integer' },
              broken: { type: 'object', properties: { id: { type: 'integer' }, problem: { enum: ['content', 'link'] } } },
            },
          },
        },
      },
      handle: async (_req, res) => {
        res.json(await verifyAuditChain(deps.db));
      },
    },
  ];
}
