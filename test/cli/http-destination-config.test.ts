// `type: http` destinations in claimhub.config.yaml: resolved with their defaults, secrets from
// env:/file: that never print, and mistakes refused with errors that name the key.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../canonical-model/errors.js';
import { loadConfig, type HttpDestinationSettings } from '../../cli/config/load.js';

async function load(yaml: string, env: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'claimhub-http-config-'));
  const configPath = join(dir, 'claimhub.config.yaml');
  await writeFile(configPath, yaml);
  await writeFile(join(dir, 'erp-ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  return () => loadConfig({ configPath, env, cwd: dir });
}

const destination = (yaml: string) =>
  `destinations:\n  - id: finance-webhook\n    type: http\n${yaml}routes:\n  - name: all\n    to: [finance-webhook]\n`;

async function refused(yaml: string, path: string, pattern: RegExp, env: Record<string, string> = {}) {
  const config = await load(yaml, env);
  assert.throws(config, (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.ok(
      error.issues.some((i) => i.path === path && pattern.test(i.message)),
      JSON.stringify(error.issues),
    );
    return true;
  });
}

describe('configuration: http destinations', () => {
  it('reads the DESIGN.md example: POST, 30 s default timeout, the bearer token from the environment, 8 requests at once', async () => {
    const config = await load(
      destination(`    url: https://erp.example.net/hooks/claims
    headers: { Authorization: "Bearer env:ERP_TOKEN" }
    retry: { attempts: 8, backoff: { type: exponential, delay: 1s, max: 10m } }
`),
      { ERP_TOKEN: 'tok-81c2e9' },
    );
    const [settings] = config().destinations as HttpDestinationSettings[];
    assert.deepEqual(
      { ...settings, headers: { ...settings.headers } },
      {
        id: 'finance-webhook',
        type: 'http',
        url: 'https://erp.example.net/hooks/claims',
        headers: { Authorization: 'Bearer tok-81c2e9' },
        retry: { attempts: 8, backoff: { type: 'exponential', delayMs: 1_000, maxMs: 600_000 } },
        concurrency: 8,
        circuitBreaker: { failures: 5, cooldownMs: 30_000, maxCooldownMs: 600_000 },
      },
    );
  });

  it('reads method, timeout, perObject, concurrency and TLS PEMs from files; headers and TLS print as ***', async () => {
    const config = await load(
      destination(`    url: https://erp.example.net/claims
    method: PUT
    timeout: 2.5s
    perObject: true
    concurrency: 2
    headers: { X-Api-Key: env:ERP_KEY }
    tls: { ca: file:erp-ca.pem, rejectUnauthorized: true }
`),
      { ERP_KEY: 'k-5a0d77' },
    );
    const settings = config().destinations[0] as HttpDestinationSettings;
    assert.equal(settings.method, 'PUT');
    assert.equal(settings.timeoutMs, 2_500);
    assert.equal(settings.perObject, true);
    assert.equal(settings.concurrency, 2);
    assert.equal(settings.headers?.['X-Api-Key'], 'k-5a0d77');
    assert.match(settings.tls?.ca ?? '', /^-----BEGIN CERTIFICATE-----/);
    const printed = JSON.stringify(config().destinations);
    assert.ok(!printed.includes('k-5a0d77') && !printed.includes('BEGIN'), printed);
    assert.match(printed, /"headers":"\*\*\*"/);
  });

  it('takes the url from the environment', async () => {
    const config = await load(destination('    url: env:ERP_URL\n'), { ERP_URL: 'http://10.0.0.7:8080/in' });
    assert.equal((config().destinations[0] as HttpDestinationSettings).url, 'http://10.0.0.7:8080/in');
  });

  it('refuses a missing or non-http url, and credentials in it', async () => {
    await refused(destination('    method: POST\n'), 'destinations.0', /must have required property 'url'/);
    await refused(destination('    url: ftp://erp.example.net/in\n'), 'destinations.0.url', /must match pattern/);
    await refused(destination('    url: env:ERP_URL\n'), 'destinations[0].url', /is not http: or https:/, { ERP_URL: 'ftp://x/in' });
    await refused(destination('    url: https://user:pw@erp.example.net/in\n'), 'destinations[0].url', /credentials go in headers/);
  });

  it('refuses headers the hub sets itself, bad header names, and a secret that would split the request', async () => {
    await refused(
      destination('    url: https://erp.example.net/in\n    headers: { idempotency-key: abc }\n'),
      'destinations[0].headers.idempotency-key',
      /set by the hub/,
    );
    await refused(
      destination('    url: https://erp.example.net/in\n    headers: { Content-Type: text/plain }\n'),
      'destinations[0].headers.Content-Type',
      /set by the hub/,
    );
    await refused(
      destination('    url: https://erp.example.net/in\n    headers: { "Bad Name": x }\n'),
      'destinations[0].headers.Bad Name',
      /not a valid HTTP header name/,
    );
    await refused(
      destination('    url: https://erp.example.net/in\n    headers: { Authorization: "Bearer env:ERP_TOKEN" }\n'),
      'destinations[0].headers.Authorization',
      /line break/,
      { ERP_TOKEN: 'tok\nX-Injected: 1' },
    );
    await refused(
      destination('    url: https://erp.example.net/in\n    headers: { Authorization: 42 }\n'),
      'destinations.0.headers.Authorization',
      /must be string/,
    );
  });

  it('refuses unknown keys, a method other than POST/PUT, a zero timeout and tls for an http:// url', async () => {
    await refused(destination('    url: https://erp.example.net/in\n    timout: 5s\n'), 'destinations.0', /unknown key "timout"/);
    await refused(destination('    url: https://erp.example.net/in\n    method: GET\n'), 'destinations.0.method', /POST, PUT/);
    await refused(destination('    url: https://erp.example.net/in\n    timeout: 0ms\n'), 'destinations[0].timeout', /longer than 0/);
    await refused(
      destination('    url: http://erp.example.net/in\n    tls: { rejectUnauthorized: false }\n'),
      'destinations[0].tls',
      /https/,
    );
  });

  it('never quotes a header value in its errors', async () => {
    const config = await load(destination('    url: https://erp.example.net/in\n    headers: { Idempotency-Key: s3cret-value }\n'));
    assert.throws(config, (error: unknown) => !JSON.stringify(error, Object.getOwnPropertyNames(error)).includes('s3cret-value'));
  });
});
