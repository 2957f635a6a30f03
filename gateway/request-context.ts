// Request id (taken from X-Request-Id when a caller sets a sane one) and one access-log line per
// request: method, route, status, time — never bodies, headers with credentials or PHI.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Principal } from './roles.js';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    /** Set by authentication: who the request acts for. */
    principal?: Principal;
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestContext(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    req.id = given && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The route pattern, not the URL: ids in paths are not PHI, but query strings might be.
      log.debug(
        {
          requestId: req.id,
          method: req.method,
          route: req.route?.path ?? req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          client: req.principal?.name,
        },
        'request',
      );
    });
    next();
  };
}
