// /v1/claims: held claims for operators — list the claims waiting for a prior authorization with
// why (cursor pages), and release one without it, with a reason (audited).
import { ClaimNotFoundError, ClaimNotHeldError, overrideHold } from '../../routes/hold-override.js';
import type { ReplayDeps } from '../../routes/replay.js';
import { getClaim } from '../../store/claim-view.js';
import { listHeldClaims } from '../../store/holds.js';
import type { AuditRead } from '../audit-reads.js';
import { problem, sendProblem } from '../problem.js';
import type { RouteSpec } from '../route-table.js';
import { answering, decodeCursor, encodeCursor, idOf, limitOf, operatorOf, reasonOf, type Refusal } from './request-parts.js';
import { cursorParam, idParam, json, limitParam, pageSchema, problemAnswer, jsonBody, reasonBody } from './schemas.js';

const CLAIM_REFUSALS: readonly Refusal[] = [
  [ClaimNotFoundError, (error, req) => problem(404, 'not-found', 'No such claim', { detail: error.message, instance: req.originalUrl })],
  [
    ClaimNotHeldError,
    (error, req) => problem(409, 'claim-not-held', 'Claim not held', { detail: error.message, instance: req.originalUrl }),
  ],
];

export function claimRoutes(deps: { replay: ReplayDeps; auditRead: AuditRead }): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/claims',
      operationId: 'listClaims',
      tag: 'claims',
      summary: 'Claims held for a prior authorization, with why (cursor pages)',
      access: ['ops'],
      auditedRead: true,
      query: {
        status: { const: 'held', description: 'held: the claims waiting for a prior authorization.' },
        limit: limitParam,
        cursor: cursorParam,
      },
      requiredQuery: ['status'],
      responses: { 200: { description: 'A page of held claims.', schema: pageSchema() }, 400: problemAnswer('Invalid parameters.') },
      handle: (req, res) =>
        answering(req, res, CLAIM_REFUSALS, async () => {
          const cursor = decodeCursor(req.query.cursor);
          const page = await listHeldClaims(deps.replay.db, {
            limit: limitOf(req.query.limit),
            after: cursor && { heldAt: cursor.at, id: cursor.id },
          });
          await deps.auditRead(req, 'claim/', { status: 'held', returned: page.items.length });
          res.json({ items: page.items, ...(page.next ? { nextCursor: encodeCursor(page.next.heldAt, page.next.id) } : {}) });
        }),
    },
    {
      method: 'get',
      path: '/claims/{id}',
      operationId: 'getClaim',
      tag: 'claims',
      summary: 'One claim: business keys, status, routing, and the canonical claim',
      access: ['ops'],
      auditedRead: true,
      pathParams: { id: idParam('claim') },
      responses: {
        200: { description: 'The claim.', schema: json('object') },
        400: problemAnswer('Not a claim id.'),
        404: problemAnswer('No such claim.'),
      },
      handle: (req, res) =>
        answering(req, res, CLAIM_REFUSALS, async () => {
          const id = idOf(req, 'claim');
          const claim = await getClaim(deps.replay.db, id);
          if (!claim)
            return void sendProblem(
              res,
              problem(404, 'not-found', 'No such claim', { detail: `no claim ${id}`, instance: req.originalUrl }),
            );
          await deps.auditRead(req, `claim/${id}`);
          res.json(claim);
        }),
    },
    {
      method: 'post',
      path: '/claims/{id}/release',
      operationId: 'releaseClaim',
      tag: 'claims',
      summary: 'Release a held claim without an authorization, with a reason (audited)',
      access: ['ops'],
      pathParams: { id: idParam('claim') },
      body: jsonBody(reasonBody('authorization confirmed by phone, ref 4471')),
      responses: {
        202: { description: 'Released and routed again.', schema: json('object') },
        400: problemAnswer('No reason.'),
        404: problemAnswer('No such claim.'),
        409: problemAnswer('The claim is not held.'),
      },
      handle: (req, res) =>
        answering(req, res, CLAIM_REFUSALS, async () => {
          const id = idOf(req, 'claim');
          const reason = reasonOf(req.body, 'a release needs a reason: {"reason": "why this claim goes without an authorization"}');
          const released = await overrideHold(deps.replay, id, reason, operatorOf(req));
          res.status(202).json({ id, status: 'released', messageId: released.messageId, claimNumber: released.claimNumber, reason });
        }),
    },
  ];
}
