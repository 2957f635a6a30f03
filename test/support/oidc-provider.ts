// A small but real OpenID provider on 127.0.0.1 for tests: a discovery document, a JWKS, and tokens
// signed with its keys (RS256 and ES256), with key rotation, an outage switch and fetch counters.
//
//   const idp = await startOidcProvider();
//   const token = await idp.mint({ sub: 'ehr-1', aud: 'claimhub-api', roles: ['source'] });
//   … createOidcVerifier({ issuer: idp.issuer, … }) …
//   await idp.close();
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface MintOptions {
  /** Seconds from now to `exp` (negative: already expired); default 300. An `exp` in the claims wins. */
  expiresIn?: number;
  /** `kid` header; default the signing key's own. `null`: no kid at all. */
  kid?: string | null;
  /** Default RS256. 'none' makes an unsecured token; HS* needs `key` (a secret). */
  alg?: string;
  /** Sign with this key instead of the provider's (a key it does not publish, or an HS* secret). */
  key?: CryptoKey | Uint8Array;
}

/** 'up' serves; 'failing' answers 503 to everything; 'unreachable' drops every connection unanswered. */
export type ProviderState = 'up' | 'failing' | 'unreachable';

export interface FakeIdentityProvider {
  /** `http://127.0.0.1:<port>/realms/test`: the `iss` of its tokens; discovery lives under it. */
  readonly issuer: string;
  readonly jwksUri: string;
  state: ProviderState;
  /** Requests for the JWKS and for the discovery document answered so far (not counting failures). */
  readonly fetches: { jwks: number; discovery: number };
  /** Signs `claims` (plus iss, iat and exp unless given) with the current RS256 or ES256 key. */
  mint(claims: JWTPayload, options?: MintOptions): Promise<string>;
  /** Publishes a new RS256 and ES256 key pair beside the old ones and signs with them from now on; returns the new RS256 kid. */
  rotate(): Promise<string>;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(alg: SigningKey['alg'], generation: number): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = `${alg.toLowerCase()}-${generation}`;
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startOidcProvider(): Promise<FakeIdentityProvider> {
  const published: SigningKey[] = [];
  let current: Record<SigningKey['alg'], SigningKey>;
  let generation = 0;
  const addGeneration = async () => {
    generation += 1;
    current = { RS256: await signingKey('RS256', generation), ES256: await signingKey('ES256', generation) };
    published.push(current.RS256, current.ES256);
  };
  await addGeneration();

  const fetches = { jwks: 0, discovery: 0 };
  let state: ProviderState = 'up';
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (state === 'unreachable') return void req.socket.destroy();
    if (state === 'failing') return json(res, 503, { error: 'temporarily_unavailable' });
    if (req.url === '/realms/test/.well-known/openid-configuration') {
      fetches.discovery += 1;
      return json(res, 200, { issuer, jwks_uri: jwksUri, id_token_signing_alg_values_supported: ['RS256', 'ES256'] });
    }
    if (req.url === '/realms/test/certs') {
      fetches.jwks += 1;
      return json(res, 200, { keys: published.map((key) => key.jwk) });
    }
    json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}/realms/test`;
  const jwksUri = `${issuer}/certs`;

  return {
    issuer,
    jwksUri,
    fetches,
    get state() {
      return state;
    },
    set state(next) {
      state = next;
      // Kept-alive connections from earlier fetches would otherwise still be answered.
      if (next !== 'up') server.closeIdleConnections();
    },
    async mint(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: issuer, iat: now, exp: now + (options.expiresIn ?? 300), ...claims };
      const alg = options.alg ?? 'RS256';
      if (alg === 'none') return new UnsecuredJWT(payload).encode();
      const own = current[alg as SigningKey['alg']];
      const key = options.key ?? own?.privateKey;
      if (!key) throw new Error(`the test provider has no ${alg} key; pass one as options.key`);
      const kid = options.kid === undefined ? own?.kid : (options.kid ?? undefined);
      return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) }).sign(key);
    },
    async rotate() {
      await addGeneration();
      return current.RS256.kid;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
