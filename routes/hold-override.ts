// An operator's release of a held claim without the authorization it waits for: the claim is marked
// so routing no longer holds it (canonical extensions.holdOverride: who, when, why), its message goes
// back to `mapped`, with a `released` event and an audit record, all in one transaction; then the
// ingest job routes the message again (or the recovery sweeper, if Redis is away).
import { ClaimhubError } from '../canonical-model/errors.js';
import { appendAudit, auditRecordOf } from '../store/audit.js';
import { lockClaim } from '../store/holds.js';
import { HOLD_OVERRIDE } from './authorization.js';
import type { Operator, ReplayDeps } from './replay.js';

export class ClaimNotFoundError extends ClaimhubError {
  readonly errorClass = 'validation' as const;
  readonly permanent = true;
}

/** The claim is not held (never was, or already released): nothing was done. */
export class ClaimNotHeldError extends ClaimhubError {
  readonly errorClass = 'validation' as const;
  readonly permanent = true;
}

export async function overrideHold(
  deps: ReplayDeps,
  claimId: string,
  reason: string,
  operator: Operator,
): Promise<{ claimId: string; messageId: string; claimNumber: string }> {
  const released = await deps.db.transaction(async (tx) => {
    const claim = await lockClaim(tx, claimId);
    if (!claim) throw new ClaimNotFoundError(`no claim ${claimId}`, [{ path: 'id', rule: 'exists', message: `no claim ${claimId}` }]);
    if (claim.status !== 'held') {
      const message = `claim ${claimId} is ${claim.status}, not held`;
      throw new ClaimNotHeldError(message, [{ path: 'status', rule: 'held', message }]);
    }
    const override = { by: operator.actor, at: new Date().toISOString(), reason };
    await tx.query(
      `UPDATE claims SET status = 'validated', updated_at = now(),
         canonical = canonical || jsonb_build_object('status', 'validated',
           'extensions', coalesce(canonical -> 'extensions', '{}'::jsonb) || jsonb_build_object($2::text, $3::jsonb))
       WHERE id = $1`,
      [claimId, HOLD_OVERRIDE, JSON.stringify(override)],
    );
    await tx.query(`UPDATE messages SET status = 'mapped', error = NULL, updated_at = now() WHERE id = $1 AND status = 'held'`, [claim.messageId]);
    await tx.query(`INSERT INTO message_events (message_id, event, actor, detail) VALUES ($1, 'released', $2, $3::jsonb)`, [
      claim.messageId,
      operator.actor,
      JSON.stringify({ claimId, claimNumber: claim.claimNumber, by: 'operator', reason }),
    ]);
    await appendAudit(tx, auditRecordOf(operator, 'claim.release', `claim/${claimId}`, { reason, messageId: claim.messageId, claimNumber: claim.claimNumber }));
    return { claimId, messageId: claim.messageId, claimNumber: claim.claimNumber };
  });
  await deps.queues.enqueueIngest(released.messageId, deps.ingestPolicy).catch((error: unknown) => {
    deps.log.warn({ messageId: released.messageId, err: (error as Error).message }, 'release enqueue failed; the recovery sweeper will enqueue it');
  });
  return released;
}
