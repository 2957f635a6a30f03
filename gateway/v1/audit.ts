// /v1/audit: the trail for auditors — query it (newest first) and verify its hash chain. Only the
// auditor and admin roles read it; the full role model of the gateway arrives with issue 6.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Db } from '../../store/db.js';
import { listAudit, verifyAuditChain, type AuditFilter } from '../../store/audit.js';
import { problem, sendProblem } from '../problem.js';
import { answering, BadRequest, limitOf } from './request-parts.js';

const READERS = new Set(['auditor', 'admin']);
const FILTERS = ['actor', 'action', 'resource', 'from', 'to'] as const;

export function auditRouter(deps: { db: Db }): Router {
  const router = Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (READERS.has(req.client?.role ?? '')) return next();
    sendProblem(
      res,
      problem(403, 'forbidden', 'Not allowed', {
        detail: `the audit trail is read by the auditor and admin roles; this key's role is ${req.client?.role ?? 'none'}`,
        instance: req.originalUrl,
      }),
    );
  });

  router.get('/verify', async (_req, res) => {
    // The answer is the finding, broken or not (a check that ran is a 200).
    res.json(await verifyAuditChain(deps.db));
  });

  router.get('/', (req, res) =>
    answering(req, res, [], async () => {
      const filter: AuditFilter = {};
      for (const key of Object.keys(req.query)) {
        if (![...FILTERS, 'limit', 'before'].includes(key))
          throw new BadRequest(key, `unknown parameter ${key}: use ${FILTERS.join(', ')}, limit, before`);
      }
      for (const name of FILTERS) {
        const value = req.query[name];
        if (value === undefined) continue;
        if (typeof value !== 'string' || value === '') throw new BadRequest(name, `${name} must be a non-empty string`);
        if ((name === 'from' || name === 'to') && Number.isNaN(Date.parse(value)))
          throw new BadRequest(name, `${name} must be a date and time (ISO 8601), got "${value}"`);
        filter[name] = value;
      }
      const before = req.query.before === undefined ? undefined : Number(req.query.before);
      if (before !== undefined && (!Number.isInteger(before) || before < 1))
        throw new BadRequest('before', 'before must be the nextBefore of a previous page');
      const page = await listAudit(deps.db, filter, { limit: limitOf(req.query.limit), before });
      res.json({ items: page.items, ...(page.next ? { nextBefore: page.next } : {}) });
    }),
  );
  return router;
}
