// Authentication: an API key (`Authorization: Bearer chk_…` or `X-API-Key`) or, when an identity
// provider is configured, an OIDC bearer JWT. Either way the request gets a Principal with roles;
// what it may call is decided per route (route-table.ts). Failures are 401 problem+json with a
// WWW-Authenticate challenge (RFC 6750); an identity provider that cannot be reached is a 503, not
// the caller's fault. Failed attempts count against the per-IP limit.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ApiKeys } from '../store/api-keys.js';
import { IdentityProviderUnavailable, looksLikeJwt, TokenRejected } from './oidc.js';
import { problem, sendProblem } from './problem.js';
import { ROLES, type Principal, type Role } from './roles.js';

export interface TokenVerifier {
  verify(token: string): Promise<{ id: string; name: string; roles: Role[]; sources?: string[] }>;
}

export interface AuthDeps {
  keys: ApiKeys;
  /** Configured OIDC verifier; absent: bearer JWTs are refused. */
  oidc?: TokenVerifier;
  /** Charged on each failed attempt (per IP); may answer 429 itself. */
  failedAttempt?: RequestHandler;
  log: Logger;
}

function presentedCredential(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  return req.get('x-api-key') ?? undefined;
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

export function authenticator(deps: AuthDeps): RequestHandler {
  const refuse = (req: Request, res: Response, status: 401 | 503, slug: string, title: string, detail: string, challenge: string) => {
    const answer = () => {
      if (status === 401) res.setHeader('WWW-Authenticate', challenge);
      else res.setHeader('Retry-After', '5');
      sendProblem(res, problem(status, slug, title, { detail, instance: req.originalUrl }));
    };
    if (!deps.failedAttempt || status === 503) return answer();
    // The per-IP limit answers 429 itself once exceeded; otherwise the 401 goes out.
    deps.failedAttempt(req, res, answer);
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    const credential = presentedCredential(req);
    if (!credential) {
      return refuse(
        req,
        res,
        401,
        'unauthenticated',
        'Authentication required',
        'send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"' +
          (deps.oidc ? ', or an OIDC access token as "Authorization: Bearer <token>"' : ''),
        'Bearer realm="claimhub"',
      );
    }
    if (looksLikeJwt(credential)) {
      if (!deps.oidc)
        return refuse(
          req,
          res,
          401,
          'invalid-credentials',
          'Bearer tokens not accepted',
          'this hub accepts API keys only (no auth.oidc identity provider is configured)',
          'Bearer realm="claimhub", error="invalid_token"',
        );
      try {
        const token = await deps.oidc.verify(credential);
        req.principal = {
          id: token.id,
          name: token.name,
          roles: token.roles,
          ...(token.sources ? { sources: token.sources } : {}),
          via: 'oidc',
        };
        return next();
      } catch (error) {
        if (error instanceof TokenRejected) {
          const description = error.message.replaceAll('"', "'");
          return refuse(
            req,
            res,
            401,
            'invalid-token',
            'Invalid token',
            error.message,
            `Bearer realm="claimhub", error="invalid_token", error_description="${description}"`,
          );
        }
        if (error instanceof IdentityProviderUnavailable) {
          deps.log.warn({ requestId: req.id, err: error.message }, 'identity provider unavailable: tokens cannot be verified');
          return refuse(
            req,
            res,
            503,
            'identity-provider-unavailable',
            'Cannot verify the token now',
            "the identity provider's signing keys could not be fetched; try again shortly",
            '',
          );
        }
        throw error;
      }
    }
    const client = await deps.keys.authenticate(credential);
    if (!client || !isRole(client.role)) {
      return refuse(
        req,
        res,
        401,
        'invalid-credentials',
        'Invalid API key',
        'the API key is unknown, revoked or expired',
        'Bearer realm="claimhub", error="invalid_token"',
      );
    }
    const principal: Principal = {
      id: client.id,
      name: client.name,
      roles: [client.role],
      ...(client.sources ? { sources: client.sources } : {}),
      via: 'api-key',
    };
    req.principal = principal;
    next();
  };
}
