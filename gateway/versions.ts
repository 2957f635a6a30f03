// API versions side by side: each version is its own route table under /vN. A version marked
// deprecated in config tells every caller so on every answer (RFC 9745 Deprecation, RFC 8594
// Sunset, Link rel="successor-version"), so clients find out long before it goes away.
import type { NextFunction, Request, Response } from 'express';

export interface VersionPolicy {
  deprecated?: Date;
  sunset?: Date;
  successor?: string;
}

/** The headers a deprecated version adds to each response; none for a current one. */
export function deprecationHeaders(policy: VersionPolicy | undefined): Record<string, string> {
  if (!policy?.deprecated) return {};
  return {
    // RFC 9745: a structured-field date, seconds since the epoch.
    Deprecation: `@${Math.floor(policy.deprecated.getTime() / 1000)}`,
    ...(policy.sunset ? { Sunset: policy.sunset.toUTCString() } : {}),
    ...(policy.successor ? { Link: `<${policy.successor}>; rel="successor-version"` } : {}),
  };
}

export function announceDeprecation(policy: VersionPolicy | undefined) {
  const headers = deprecationHeaders(policy);
  const names = Object.keys(headers);
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const name of names) res.setHeader(name, headers[name]);
    next();
  };
}
