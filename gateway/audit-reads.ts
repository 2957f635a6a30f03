// Reads of PHI leave an audit record (who, what, from where, request id) before the answer goes
// out: a read that cannot be recorded is not served (503), so the trail never misses one.
import type { Request } from 'express';
import { TransientError } from '../canonical-model/errors.js';
import { appendAudit } from '../store/audit.js';
import type { Db } from '../store/db.js';
import { operatorOf } from './v1/request-parts.js';

export type AuditRead = (req: Request, resource: string, detail?: Record<string, unknown>) => Promise<void>;

export function auditReads(db: Db): AuditRead {
  return async (req, resource, detail) => {
    const operator = operatorOf(req);
    await db
      .transaction((tx) =>
        appendAudit(tx, {
          actor: operator.actor,
          role: operator.role,
          client: operator.client,
          action: 'read',
          resource,
          outcome: 'success',
          requestId: operator.requestId,
          sourceIp: operator.sourceIp,
          ...(detail ? { detail } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw new TransientError('the read could not be recorded in the audit trail, so it is not served; try again', { cause: error });
      });
  };
}
