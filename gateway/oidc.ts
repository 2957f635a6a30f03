// OIDC bearer JWTs: verified against the identity provider's published keys (jose) and turned into
// a principal with claimhub roles. Refusals say precisely why without echoing the token or its claims.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { ConfigError } from '../canonical-model/errors.js';
import { ROLES, type Role } from './roles.js';

export { ROLES, type Role };

export interface OidcSettings {
  /** Exact `iss` expected. */
  issuer: string;
  /** Absent: discovered from `<issuer>/.well-known/openid-configuration` on the first token. */
  jwksUri?: string;
  /** Accepted `aud` values (any one). */
  audience: string[];
  /** Clock skew allowed on exp, nbf and iat. */
  clockToleranceSeconds: number;
  /** Dotted path into the claims (`roles`, `realm_access.roles`); a claim name that itself holds dots is found whole. */
  rolesClaim: string;
  /** Claim value → role; values that are role names map to themselves. */
  roleMap: Record<string, Role>;
  /** Dotted path to the source ids the token may submit as. */
  sourcesClaim?: string;
  /** Dotted path to a display name for logs and the audit trail (`sub`, `azp`, `preferred_username`). */
  nameClaim: string;
  algorithms?: string[];
}

export interface TokenPrincipal {
  /** `oidc:<issuer without scheme>#<sub>`: stable across tokens of the same subject. */
  id: string;
  name: string;
  roles: Role[];
  /** Set when `sourcesClaim` is configured: the ids listed there, empty when the token lists none. */
  sources?: string[];
  via: 'oidc';
  /** The token's `exp`, in milliseconds since the epoch. */
  expiresAt: number;
}

export type RejectionReason = 'malformed' | 'expired' | 'not-yet-valid' | 'audience' | 'issuer' | 'signature' | 'algorithm' | 'no-role';

/** The token is not acceptable: the caller's fault (401). The message is safe to send back. */
export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
  }
}

/** Discovery or the key set could not be fetched: not the caller's fault (503), worth retrying. */
export class IdentityProviderUnavailable extends Error {
  override readonly name = 'IdentityProviderUnavailable';
}

const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const FETCH_TIMEOUT_MS = 5_000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (!segment || !BASE64URL.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Three base64url parts with a JSON header naming an `alg`: a JWT, not an API key (`chk_…`). */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  // An empty signature is an unsecured JWT (alg "none"): still a JWT, refused with its own reason.
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]*$/.test(parts[2])) return false;
  return typeof decodeSegment(parts[0])?.alg === 'string';
}

/** A caller-controlled value made safe for a message and a WWW-Authenticate header: short, printable ASCII. */
function quote(value: unknown): string {
  const text = String(value);
  const shown = text.slice(0, 80).replace(/[^\x20-\x7e]|["\\]/g, '?');
  return `"${shown}${text.length > 80 ? '...' : ''}"`;
}

/** A NumericDate as `2026-11-25T03:00:00Z`; one beyond what Date can show (year 275760) as plain seconds. */
function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} s after 1970` : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The claim at a dotted path; at each level a key holding the rest whole wins (`https://x.dev/roles`). */
function claimAt(value: unknown, path: string): unknown {
  if (!isRecord(value)) return undefined;
  if (Object.hasOwn(value, path)) return value[path];
  for (let dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
    const head = path.slice(0, dot);
    const found = Object.hasOwn(value, head) ? claimAt(value[head], path.slice(dot + 1)) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A string array, or one space-separated string as in `scope`. */
function listAt(payload: JWTPayload, path: string): string[] {
  const value = claimAt(payload, path);
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function allowedAlgorithms(configured: string[] | undefined): string[] {
  const algorithms = configured ?? DEFAULT_ALGORITHMS;
  const symmetric = algorithms.filter((alg) => alg === 'none' || /^HS/i.test(alg));
  if (symmetric.length > 0)
    throw new ConfigError(`OIDC tokens must be signed with the identity provider's private key; ${symmetric.join(', ')} not allowed`, [
      { path: 'algorithms', rule: 'asymmetric-only', message: `${symmetric.join(', ')} would let anyone holding a shared secret mint tokens` },
    ]);
  return algorithms;
}

function failureOf(error: unknown): string {
  const code = error instanceof Error && isRecord(error.cause) ? error.cause.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${message} (${code})` : message;
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const unavailable = (why: string, cause?: unknown) =>
    new IdentityProviderUnavailable(`the identity provider's discovery document at ${url} ${why}`, { cause });
  let document: unknown;
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (response.status !== 200) throw unavailable(`answered HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw error instanceof IdentityProviderUnavailable ? error : unavailable(`could not be fetched: ${failureOf(error)}`, error);
  }
  if (!isRecord(document) || typeof document.jwks_uri !== 'string') throw unavailable('names no jwks_uri');
  // OpenID Connect Discovery 1.0 section 4.3: the document's issuer must be the one asked about.
  if (document.issuer !== issuer) throw unavailable(`is for issuer ${quote(document.issuer)}, not ${issuer}`);
  return document.jwks_uri;
}

/**
 * The key set, discovered on first use and then cached by jose (refetched for an unknown kid at
 * most every 30 s). A failed discovery is forgotten so the next token tries again. Failures to
 * load keys become IdentityProviderUnavailable; an unknown key stays jose's, for a 'signature' refusal.
 */
function identityProviderKeys(settings: OidcSettings): JWTVerifyGetKey {
  let remote: Promise<{ uri: string; keys: JWTVerifyGetKey }> | undefined;
  const load = async () => {
    const uri = settings.jwksUri ?? (await discoverJwksUri(settings.issuer));
    try {
      return { uri, keys: createRemoteJWKSet(new URL(uri), { timeoutDuration: FETCH_TIMEOUT_MS }) };
    } catch (error) {
      throw new IdentityProviderUnavailable(`the identity provider's jwks_uri ${quote(uri)} is not a URL`, { cause: error });
    }
  };
  const resolve = () => {
    if (!remote) {
      remote = load();
      remote.catch(() => (remote = undefined));
    }
    return remote;
  };
  return async (header, token) => {
    const { uri, keys } = await resolve();
    try {
      return await keys(header, token);
    } catch (error) {
      const tokenProblem =
        error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported;
      if (tokenProblem) throw error;
      throw new IdentityProviderUnavailable(`the identity provider's key set at ${uri} could not be loaded: ${failureOf(error)}`, { cause: error });
    }
  };
}

/** jwtVerify, trying each candidate when a kid-less token matches several published keys (jose leaves that to us). */
async function verifySignature(token: string, keys: JWTVerifyGetKey, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, keys, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const key of error) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (attempt) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

interface Screened {
  header: Record<string, unknown>;
  alg: string;
}

/** Checks made before any key is fetched: the shape, the algorithm and the issuer (a foreign issuer's kid must not trigger a JWKS refetch). */
function screen(token: string, settings: OidcSettings, algorithms: string[]): Screened {
  const [headerPart, payloadPart] = token.split('.');
  const header = looksLikeJwt(token) ? decodeSegment(headerPart) : undefined;
  const payload = decodeSegment(payloadPart);
  if (!header || !payload) throw new TokenRejected('malformed', 'the bearer token is not a well-formed JWT (a JSON header with "alg", a JSON claims set and a signature, each base64url)');
  const alg = header.alg as string;
  if (!algorithms.includes(alg)) {
    const accepted = `this hub accepts ${algorithms.join(', ')}`;
    throw new TokenRejected('algorithm', alg === 'none' ? `the token is unsigned (alg "none"); ${accepted}` : `the token's algorithm ${quote(alg)} is not accepted; ${accepted}`);
  }
  if (payload.iss !== settings.issuer) {
    const named = typeof payload.iss === 'string' ? `the token's issuer ${quote(payload.iss)} is not` : 'the token names no issuer ("iss"); this hub trusts only';
    throw new TokenRejected('issuer', `${named} the identity provider this hub trusts (${settings.issuer})`);
  }
  return { header, alg };
}

function rejection(error: unknown, screened: Screened, settings: OidcSettings): unknown {
  const skew = `clock skew allowed: ${settings.clockToleranceSeconds} s`;
  if (error instanceof errors.JWTExpired) return new TokenRejected('expired', `the token expired at ${isoTime(Number(error.payload.exp))} (${skew})`);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason, payload } = error;
    if (reason === 'missing') return new TokenRejected(claim === 'aud' ? 'audience' : 'malformed', `the token has no "${claim}" claim`);
    if (reason === 'invalid') return new TokenRejected('malformed', `the token's "${claim}" claim is not a NumericDate`);
    if (claim === 'nbf') return new TokenRejected('not-yet-valid', `the token is not valid before ${isoTime(Number(payload.nbf))} (${skew})`);
    if (claim === 'aud') {
      const audiences = [payload.aud ?? []].flat().map(quote).join(', ');
      return new TokenRejected('audience', `the token's audience ${audiences} is not one this hub accepts (${settings.audience.join(', ')})`);
    }
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    const kid = typeof screened.header.kid === 'string' ? `kid ${quote(screened.header.kid)}, ` : 'no kid, ';
    return new TokenRejected('signature', `no key the identity provider publishes matches the token (${kid}alg ${quote(screened.alg)})`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenRejected('signature', "the token's signature does not verify with the identity provider's keys");
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return new TokenRejected('algorithm', `the token's algorithm ${quote(screened.alg)} cannot be verified here`);
  // JWSInvalid, JWTInvalid: broken inside (unencoded payload, bad crit, claims set not UTF-8 JSON).
  if (error instanceof errors.JOSEError) return new TokenRejected('malformed', 'the bearer token is not a well-formed signed JWT');
  return error;
}

function principalOf(payload: JWTPayload, settings: OidcSettings): TokenPrincipal {
  const granted = new Set<Role>();
  for (const value of listAt(payload, settings.rolesClaim)) {
    const role = Object.hasOwn(settings.roleMap, value) ? settings.roleMap[value] : value;
    if ((ROLES as readonly string[]).includes(role)) granted.add(role as Role);
  }
  const roles = ROLES.filter((role) => granted.has(role));
  if (roles.length === 0)
    throw new TokenRejected('no-role', `the token's "${settings.rolesClaim}" claim grants none of this hub's roles (${ROLES.join(', ')})`);
  const sub = payload.sub!;
  const name = claimAt(payload, settings.nameClaim);
  return {
    id: `oidc:${settings.issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '')}#${sub}`,
    name: typeof name === 'string' && name ? name : sub,
    roles,
    ...(settings.sourcesClaim ? { sources: listAt(payload, settings.sourcesClaim) } : {}),
    via: 'oidc',
    expiresAt: payload.exp! * 1000,
  };
}

export function createOidcVerifier(settings: OidcSettings): { verify(token: string): Promise<TokenPrincipal> } {
  const algorithms = allowedAlgorithms(settings.algorithms);
  const keys = identityProviderKeys(settings);
  const tolerance = settings.clockToleranceSeconds;
  // No issuer here: screen() has checked it exactly, on the same signed bytes.
  const options: JWTVerifyOptions = {
    audience: settings.audience,
    algorithms,
    clockTolerance: tolerance,
    requiredClaims: ['exp', 'sub'],
  };
  return {
    async verify(token) {
      const screened = screen(token, settings, algorithms);
      let payload: JWTPayload;
      try {
        payload = await verifySignature(token, keys, options);
      } catch (error) {
        throw rejection(error, screened, settings);
      }
      if (typeof payload.sub !== 'string' || !payload.sub) throw new TokenRejected('malformed', 'the token\'s "sub" claim is not a string');
      // jose checks iat only with maxTokenAge; a token issued in the future is not valid yet.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + tolerance)
        throw new TokenRejected('not-yet-valid', `the token was issued in the future, at ${isoTime(payload.iat)} (clock skew allowed: ${tolerance} s)`);
      return principalOf(payload, settings);
    },
  };
}
