// Authentication slot: every /v1 route needs an API key (Authorization: Bearer … or X-API-Key).
// Roles, OIDC JWTs, revocation and audit arrive with the gateway governance issue, in this slot.
import type { NextFunction, Request, Response } from 'express';
import type { ApiKeys } from '../store/api-keys.js';
import { problem, sendProblem } from './problem.js';

function presentedKey(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return req.get('x-api-key') ?? undefined;
}

export function authenticate(keys: ApiKeys) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = presentedKey(req);
    if (!key) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="claimhub"');
      sendProblem(
        res,
        problem(401, 'unauthenticated', 'Authentication required', {
          detail: 'send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"',
          instance: req.originalUrl,
        }),
      );
      return;
    }
    const client = await keys.authenticate(key);
    if (!client) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="claimhub", error="invalid_token"');
      sendProblem(
        res,
        problem(401, 'invalid-credentials', 'Invalid API key', { detail: 'the API key is unknown or revoked', instance: req.originalUrl }),
      );
      return;
    }
    req.client = client;
    next();
  };
}
