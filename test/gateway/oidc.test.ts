// OIDC bearer JWTs against a real (test) identity provider on 127.0.0.1: valid tokens become
// principals with mapped roles; every refusal carries its reason and a message safe to return;
// an unreachable provider is IdentityProviderUnavailable; keys are fetched once and refetched on rotation.
import assert from 'node:assert/strict';
import { generateKeyPair } from 'jose';
import { ConfigError } from '../../canonical-model/errors.js';
import {
  createOidcVerifier,
  IdentityProviderUnavailable,
  looksLikeJwt,
  TokenRejected,
  type OidcSettings,
  type RejectionReason,
} from '../../gateway/oidc.js';
import { startOidcProvider, type FakeIdentityProvider } from '../support/oidc-provider.js';

const AUDIENCE = 'claimhub-api';
const now = () => Math.floor(Date.now() / 1000);

async function refused(verifying: Promise<unknown>, reason: RejectionReason, message?: RegExp): Promise<TokenRejected> {
  let rejected: TokenRejected | undefined;
  await assert.rejects(verifying, (error) => {
    assert.ok(error instanceof TokenRejected, `expected TokenRejected, got ${String(error)}`);
    rejected = error;
    return true;
  });
  assert.equal(rejected!.reason, reason, rejected!.message);
  if (message) assert.match(rejected!.message, message);
  return rejected!;
}

/** jose refetches keys for an unknown kid only 30 s after the last fetch; this moves its clock (Date.now) on. */
async function withClockAhead<T>(ms: number, run: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  Date.now = () => realNow() + ms;
  try {
    return await run();
  } finally {
    Date.now = realNow;
  }
}

describe('OIDC bearer tokens', function () {
  this.timeout(30_000);
  let idp: FakeIdentityProvider;
  const settings = (overrides: Partial<OidcSettings> = {}): OidcSettings => ({
    issuer: idp.issuer,
    jwksUri: idp.jwksUri,
    audience: [AUDIENCE],
    clockToleranceSeconds: 30,
    rolesClaim: 'roles',
    roleMap: { 'claims-submitter': 'source', 'integration-ops': 'ops' },
    sourcesClaim: 'claimhub_sources',
    nameClaim: 'azp',
    ...overrides,
  });
  const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'svc-7f3a', azp: 'ehr-gateway', aud: AUDIENCE, roles: ['claims-submitter'], ...extra });

  beforeEach(async () => {
    idp = await startOidcProvider();
  });
  afterEach(async () => idp?.close());

  it('turns a valid token into a principal with mapped roles, sources, name and expiry', async () => {
    const verifier = createOidcVerifier(settings());
    const exp = now() + 600;
    const token = await idp.mint(
      claims({ aud: ['account', AUDIENCE], exp, roles: ['integration-ops', 'claims-submitter', 'auditor', 'coffee-drinker'], claimhub_sources: ['ehr-east', 'ehr-west'] }),
    );
    const principal = await verifier.verify(token);
    assert.deepEqual(principal, {
      id: `oidc:${idp.issuer.replace('http://', '')}#svc-7f3a`,
      name: 'ehr-gateway',
      roles: ['source', 'ops', 'auditor'],
      sources: ['ehr-east', 'ehr-west'],
      via: 'oidc',
      expiresAt: exp * 1000,
    });
    const es256 = await verifier.verify(await idp.mint(claims({ roles: 'admin' }), { alg: 'ES256' }));
    assert.deepEqual([es256.roles, es256.sources], [['admin'], []]);
  });

  it('refuses a token expired beyond the allowed skew, saying when it expired', async () => {
    const exp = now() - 120;
    const token = await idp.mint(claims({ exp }));
    const error = await refused(createOidcVerifier(settings()).verify(token), 'expired');
    const at = new Date(exp * 1000).toISOString().replace('.000Z', 'Z');
    assert.equal(error.message, `the token expired at ${at} (clock skew allowed: 30 s)`);
    assert.ok(!error.message.includes(token.split('.')[1]));
  });

  it('accepts a token expired within the allowed skew', async () => {
    const token = await idp.mint(claims(), { expiresIn: -10 });
    assert.deepEqual((await createOidcVerifier(settings()).verify(token)).roles, ['source']);
    await refused(createOidcVerifier(settings({ clockToleranceSeconds: 0 })).verify(token), 'expired');
  });

  it('refuses a token not valid yet (nbf or iat in the future beyond the skew)', async () => {
    const verifier = createOidcVerifier(settings());
    await refused(verifier.verify(await idp.mint(claims({ nbf: now() + 120 }))), 'not-yet-valid', /not valid before .*Z \(clock skew allowed: 30 s\)/);
    await refused(verifier.verify(await idp.mint(claims({ iat: now() + 120 }))), 'not-yet-valid', /issued in the future/);
    await refused(verifier.verify(await idp.mint(claims({ nbf: 1e15 }))), 'not-yet-valid', /not valid before 1000000000000000 s after 1970/);
    assert.ok(await verifier.verify(await idp.mint(claims({ nbf: now() + 10, iat: now() + 10 }))));
  });

  it('refuses a token for another audience, naming it and the accepted ones', async () => {
    const verifier = createOidcVerifier(settings());
    const error = await refused(verifier.verify(await idp.mint(claims({ aud: 'billing-api' }))), 'audience');
    assert.equal(error.message, `the token's audience "billing-api" is not one this hub accepts (${AUDIENCE})`);
    await refused(verifier.verify(await idp.mint(claims({ aud: undefined }))), 'audience', /no "aud" claim/);
  });

  it('refuses a token from another issuer without fetching keys', async () => {
    const verifier = createOidcVerifier(settings());
    const error = await refused(verifier.verify(await idp.mint(claims({ iss: 'https://evil.example/realms/x' }))), 'issuer');
    assert.equal(error.message, `the token's issuer "https://evil.example/realms/x" is not the identity provider this hub trusts (${idp.issuer})`);
    await refused(verifier.verify(await idp.mint(claims({ iss: undefined }))), 'issuer', /names no issuer/);
    assert.equal(idp.fetches.jwks, 0);
  });

  it('refuses a token signed with a key the provider does not publish, or altered after signing', async () => {
    const verifier = createOidcVerifier(settings());
    const { privateKey: foreign } = await generateKeyPair('RS256');
    await refused(verifier.verify(await idp.mint(claims(), { key: foreign })), 'signature', /does not verify/);
    await refused(verifier.verify(await idp.mint(claims(), { key: foreign, kid: 'attacker-1' })), 'signature', /no key .* matches the token \(kid "attacker-1", alg "RS256"\)/);
    const [header, , signature] = (await idp.mint(claims())).split('.');
    const elevated = Buffer.from(JSON.stringify({ ...claims({ roles: ['admin'] }), iss: idp.issuer, exp: now() + 300 })).toString('base64url');
    await refused(verifier.verify(`${header}.${elevated}.${signature}`), 'signature');
  });

  it('refuses unsigned (alg none) and shared-secret (HS256) tokens before fetching keys, and HS* in the settings', async () => {
    const verifier = createOidcVerifier(settings());
    const unsigned = await idp.mint(claims(), { alg: 'none' });
    assert.ok(looksLikeJwt(unsigned));
    await refused(verifier.verify(unsigned), 'algorithm', /unsigned \(alg "none"\); this hub accepts RS256/);
    const hs256 = await idp.mint(claims(), { alg: 'HS256', key: new TextEncoder().encode('a shared secret of thirty-two bytes!') });
    await refused(verifier.verify(hs256), 'algorithm', /algorithm "HS256" is not accepted/);
    assert.equal(idp.fetches.jwks, 0);
    assert.throws(() => createOidcVerifier(settings({ algorithms: ['RS256', 'HS256'] })), ConfigError);
  });

  it('refuses what is not a JWT, or lacks exp or sub, as malformed', async () => {
    const verifier = createOidcVerifier(settings());
    const notJson = ['bm90IGpzb24', 'bm90IGpzb24', 'c2ln'].join('.');
    await refused(verifier.verify(notJson), 'malformed', /not a well-formed JWT/);
    await refused(verifier.verify('chk_live_5b9f'), 'malformed');
    await refused(verifier.verify(await idp.mint(claims({ exp: undefined }))), 'malformed', /no "exp" claim/);
    await refused(verifier.verify(await idp.mint(claims({ sub: undefined }))), 'malformed', /no "sub" claim/);
  });

  it('maps a nested roles claim (realm_access.roles), a space-separated one and a namespaced claim name', async () => {
    const keycloak = createOidcVerifier(settings({ rolesClaim: 'realm_access.roles', roleMap: { 'claimhub-architect': 'architect' } }));
    const token = await idp.mint(claims({ roles: undefined, realm_access: { roles: ['offline_access', 'claimhub-architect'] } }));
    assert.deepEqual((await keycloak.verify(token)).roles, ['architect']);
    const scoped = createOidcVerifier(settings({ rolesClaim: 'scope', roleMap: { 'claims:submit': 'source' } }));
    assert.deepEqual((await scoped.verify(await idp.mint(claims({ scope: 'openid claims:submit ops' })))).roles, ['source', 'ops']);
    const auth0 = createOidcVerifier(settings({ rolesClaim: 'https://claimhub.dev/roles', nameClaim: 'https://claimhub.dev/name' }));
    const namespaced = await auth0.verify(await idp.mint(claims({ 'https://claimhub.dev/roles': ['auditor'], 'https://claimhub.dev/name': 'Audit Team' })));
    assert.deepEqual([namespaced.roles, namespaced.name], [['auditor'], 'Audit Team']);
  });

  it('refuses a token whose roles claim maps to no role, naming the claim path but not its values', async () => {
    const verifier = createOidcVerifier(settings({ rolesClaim: 'realm_access.roles' }));
    const token = await idp.mint(claims({ realm_access: { roles: ['patient-1234-viewer', 'offline_access'] } }));
    const error = await refused(verifier.verify(token), 'no-role');
    assert.equal(error.message, `the token's "realm_access.roles" claim grants none of this hub's roles (source, architect, ops, auditor, admin)`);
    await refused(createOidcVerifier(settings({ rolesClaim: 'groups' })).verify(await idp.mint(claims())), 'no-role', /"groups"/);
  });

  it('finds the key set through discovery when no jwksUri is configured', async () => {
    const verifier = createOidcVerifier(settings({ jwksUri: undefined }));
    assert.deepEqual((await verifier.verify(await idp.mint(claims()))).roles, ['source']);
    assert.deepEqual(idp.fetches, { discovery: 1, jwks: 1 });
    const slashed = createOidcVerifier(settings({ issuer: `${idp.issuer}/`, jwksUri: undefined }));
    const mismatch = await idp.mint(claims({ iss: `${idp.issuer}/` }));
    await assert.rejects(slashed.verify(mismatch), (error) => error instanceof IdentityProviderUnavailable && /is for issuer ".*\/realms\/test", not/.test(error.message));
  });

  it('retries a failed discovery on the next token instead of caching the failure', async () => {
    const verifier = createOidcVerifier(settings({ jwksUri: undefined }));
    const token = await idp.mint(claims());
    idp.state = 'failing';
    await assert.rejects(verifier.verify(token), (error) => error instanceof IdentityProviderUnavailable && /discovery document .* HTTP 503/.test(error.message));
    idp.state = 'up';
    assert.deepEqual((await verifier.verify(token)).roles, ['source']);
    assert.deepEqual(idp.fetches, { discovery: 1, jwks: 1 });
  });

  it('verifies a token signed with a rotated-in key once the key set is refetched', async () => {
    const verifier = createOidcVerifier(settings());
    const before = await idp.mint(claims());
    await verifier.verify(before);
    const kid = await idp.rotate();
    const after = await idp.mint(claims());
    // Within jose's 30 s cooldown an unknown kid does not trigger a refetch.
    await refused(verifier.verify(after), 'signature', new RegExp(`kid "${kid}"`));
    assert.equal(idp.fetches.jwks, 1);
    await withClockAhead(31_000, async () => {
      assert.deepEqual((await verifier.verify(after)).roles, ['source']);
      assert.deepEqual((await verifier.verify(before)).roles, ['source']);
    });
    assert.equal(idp.fetches.jwks, 2);
  });

  it('tries each published key for a token without kid when several could match', async () => {
    await idp.rotate();
    const verifier = createOidcVerifier(settings());
    assert.deepEqual((await verifier.verify(await idp.mint(claims(), { kid: null }))).roles, ['source']);
    const { privateKey: foreign } = await generateKeyPair('RS256');
    await refused(verifier.verify(await idp.mint(claims(), { kid: null, key: foreign })), 'signature', /does not verify/);
  });

  it('reports an identity provider that answers 503 or cannot be reached as unavailable, not as a bad token', async () => {
    const token = await idp.mint(claims());
    idp.state = 'failing';
    await assert.rejects(createOidcVerifier(settings()).verify(token), IdentityProviderUnavailable);
    idp.state = 'unreachable';
    await assert.rejects(createOidcVerifier(settings()).verify(token), (error) => error instanceof IdentityProviderUnavailable && error.message.includes(idp.jwksUri));
    await assert.rejects(createOidcVerifier(settings({ jwksUri: undefined })).verify(token), IdentityProviderUnavailable);
    idp.state = 'up';
    assert.ok(await createOidcVerifier(settings()).verify(token));
  });

  it('fetches discovery and the key set once for many verifications, concurrent or not', async () => {
    const verifier = createOidcVerifier(settings({ jwksUri: undefined }));
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => idp.mint(claims({ sub: `svc-${i}` }), { alg: i % 2 ? 'ES256' : 'RS256' })));
    const concurrent = await Promise.all(tokens.slice(0, 10).map((token) => verifier.verify(token)));
    for (const token of tokens.slice(10)) await verifier.verify(token);
    assert.deepEqual(concurrent.map((p) => p.id.split('#')[1]), Array.from({ length: 10 }, (_, i) => `svc-${i}`));
    assert.deepEqual(idp.fetches, { discovery: 1, jwks: 1 });
  });

  it('tells a JWT from an API key', () => {
    assert.equal(looksLikeJwt('chk_live_5b9f0c2e8d'), false);
    assert.equal(looksLikeJwt('abc.def.ghi'), false);
    assert.equal(looksLikeJwt(`${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.c2ln`), true);
    assert.equal(looksLikeJwt(`${Buffer.from('{"typ":"JWT"}').toString('base64url')}.e30.c2ln`), false);
  });
});
