// Reads of PHI leave an audit record (who, what, from where, request id) before the answer goes
// out: a read that cannot be recorded is not served (503), so the trail never misses one.
import type { Request } from 'express';
import { TransientError } from '../canonical-model/errors.js';
import { auditGroupCommit, auditRecordOf } from '../store/audit.js';
import type { Db } from '../store/db.js';
import { operatorOf } from './v1/request-parts.js';

export type AuditRead = (req: Request, resource: string, detail?: Record<string, unknown>) => Promise<void>;

export function auditReads(db: Db): AuditRead {
  // Concurrent reads share a commit: one serialised transaction per read capped audited reads at
  // what one advisory-locked commit at a time allows.
  const append = auditGroupCommit(db);
  return async (req, resource, detail) => {
    await append(auditRecordOf(operatorOf(req), 'read', resource, detail)).catch((error: unknown) => {
      throw new TransientError('the read could not be recorded in the audit trail, so it is not served; try again', { cause: error });
    });
  };
}
