// The gateway's part of claimhub.config.yaml: OIDC, rate limits, versions, CORS, limits and the
// deadline — resolved with their defaults, and mistakes refused with errors that name the key.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../canonical-model/errors.js';
import { loadConfig, publicConfig } from '../../cli/config/load.js';

async function load(yaml: string, env: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'claimhub-gateway-config-'));
  const configPath = join(dir, 'claimhub.config.yaml');
  await writeFile(configPath, yaml);
  return () => loadConfig({ configPath, env, cwd: dir });
}

async function refused(yaml: string, path: string, pattern: RegExp) {
  assert.throws(await load(yaml), (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.ok(
      error.issues.some((i) => i.path === path && (pattern.test(i.message) || pattern.test(i.rule))),
      JSON.stringify(error.issues),
    );
    return true;
  });
}

describe('configuration: the gateway (auth, rate limits, versions, hardening)', () => {
  it('defaults: no OIDC, no rate limits, CORS closed, 64kb JSON bodies, a 60 s deadline, no deprecated version', async () => {
    const config = (await load('{}\n'))();
    assert.deepEqual(config.auth, {});
    assert.deepEqual(config.rateLimits, { routes: {} });
    assert.deepEqual(config.gateway.corsOrigins, []);
    assert.equal(config.gateway.jsonBodyLimit, '64kb');
    assert.equal(config.gateway.requestTimeoutMs, 60_000);
    assert.deepEqual(config.gateway.versions, {});
  });

  it('reads OIDC settings with a single audience, skew in seconds, and defaults for the claims', async () => {
    const config = (
      await load(
        'auth:\n  oidc:\n    issuer: https://login.example.org/realms/rcm\n    audience: claimhub-api\n    clockSkew: 2m\n    roleMap: { rcm-ops: ops }\n',
      )
    )();
    assert.deepEqual(config.auth.oidc, {
      issuer: 'https://login.example.org/realms/rcm',
      audience: ['claimhub-api'],
      clockToleranceSeconds: 120,
      rolesClaim: 'roles',
      roleMap: { 'rcm-ops': 'ops' },
      nameClaim: 'sub',
    });
  });

  it('refuses an OIDC section without an audience, and a role map to a role that does not exist', async () => {
    await refused('auth:\n  oidc:\n    issuer: https://login.example.org\n', 'auth.oidc', /required property 'audience'/);
    await refused(
      'auth:\n  oidc:\n    issuer: https://login.example.org\n    audience: x\n    roleMap: { a: superuser }\n',
      'auth.oidc.roleMap.a',
      /one of the allowed values/,
    );
  });

  it('reads rate limits as requests per whole-second windows, and refuses a route key that is not METHOD /vN/path or a window under a second', async () => {
    const config = (
      await load('rateLimits:\n  perClient: { requests: 600, per: 1m }\n  routes:\n    "POST /v1/messages": { requests: 50, per: 1s }\n')
    )();
    assert.deepEqual(config.rateLimits, {
      perClient: { points: 600, durationSeconds: 60 },
      routes: { 'POST /v1/messages': { points: 50, durationSeconds: 1 } },
    });
    await refused('rateLimits:\n  routes:\n    "/v1/messages": { requests: 5, per: 1s }\n', 'rateLimits.routes', /pattern|must match/);
    await refused('rateLimits:\n  perClient: { requests: 5, per: 1500ms }\n', 'rateLimits.perClient.per', /whole-seconds/);
    await refused('rateLimits:\n  perClient: { requests: 0, per: 1s }\n', 'rateLimits.perClient.requests', />= 1/);
  });

  it('reads a deprecated version with its sunset and successor, and refuses a sunset without a deprecation date', async () => {
    const config = (
      await load('gateway:\n  versions:\n    v1: { deprecated: "2027-01-01T00:00:00Z", sunset: "2027-07-01T00:00:00Z", successor: /v2 }\n')
    )();
    assert.equal(config.gateway.versions.v1.deprecated?.toISOString(), '2027-01-01T00:00:00.000Z');
    assert.equal(config.gateway.versions.v1.successor, '/v2');
    await refused(
      'gateway:\n  versions:\n    v1: { sunset: "2027-07-01T00:00:00Z" }\n',
      'gateway.versions.v1.deprecated',
      /set deprecated/,
    );
    await refused('gateway:\n  versions:\n    v1: { deprecated: "next year" }\n', 'gateway.versions.v1.deprecated', /date-time/);
    await refused('gateway:\n  cors:\n    origins: ["ops.example.org"]\n', 'gateway.cors.origins.0', /pattern|must match/);
  });

  it('shows the configuration to admins with the API key and URL credentials hidden', async () => {
    const config = (
      await load('apiKey: "env:KEY"\ndatabase: { url: "postgres://app:s3cret@db:5432/claims" }\n', { KEY: 'k-0123456789abcdef' })
    )();
    const shown = JSON.stringify(publicConfig(config));
    assert.ok(!shown.includes('s3cret') && !shown.includes('k-0123456789abcdef'), shown);
    assert.match(shown, /postgres:\/\/\*\*\*@db:5432\/claims/);
  });
});
