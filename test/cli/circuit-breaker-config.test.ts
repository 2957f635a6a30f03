import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../canonical-model/errors.js';
import { loadConfig } from '../../cli/config/load.js';

/** Loads a config with one destination of each type, `breaker` as every destination's circuitBreaker line. */
async function load(breaker: string) {
  const dir = await mkdtemp(join(tmpdir(), 'claimhub-config-'));
  const path = join(dir, 'claimhub.config.yaml');
  const line = breaker ? `\n    circuitBreaker: ${breaker}` : '';
  await writeFile(
    path,
    `destinations:
  - id: out
    type: file
    dir: ./out${line}
  - id: billing
    type: mllp
    host: 127.0.0.1
    port: 2576${line}
  - id: erp
    type: http
    url: https://erp.example.net/hooks/claims${line}
routes:
  - name: all
    to: [out]
`,
  );
  return () => loadConfig({ configPath: path, env: {}, cwd: dir });
}

describe('configuration: circuit breakers', () => {
  it('gives every destination a breaker by default: 5 failures, 30 s cooldown, 10 min cap', async () => {
    const config = (await load(''))();
    for (const d of config.destinations)
      assert.deepEqual(d.circuitBreaker, { failures: 5, cooldownMs: 30_000, maxCooldownMs: 600_000 }, d.id);
  });

  it('reads failures, cooldown and maxCooldown on every destination type', async () => {
    const config = (await load('{ failures: 3, cooldown: 1s, maxCooldown: 2m }'))();
    for (const d of config.destinations)
      assert.deepEqual(d.circuitBreaker, { failures: 3, cooldownMs: 1_000, maxCooldownMs: 120_000 }, d.id);
  });

  it('turns the breaker off with enabled: false', async () => {
    const config = (await load('{ enabled: false }'))();
    for (const d of config.destinations) assert.equal(d.circuitBreaker, undefined, d.id);
  });

  it('names the key of a wrong setting', async () => {
    const rejects = (fn: () => unknown, pattern: RegExp) =>
      assert.throws(fn, (error: unknown) => error instanceof ConfigError && pattern.test(JSON.stringify(error.issues) + error.message));
    rejects(await load('{ failures: 0 }'), /circuitBreaker\/failures|circuitBreaker\.failures/);
    rejects(await load('{ cooldown: soon }'), /circuitBreaker/);
    rejects(await load('{ cooldown: 0 }'), /destinations\[0\]\.circuitBreaker\.cooldown/);
    rejects(await load('{ cooldown: 5m, maxCooldown: 1m }'), /destinations\[0\]\.circuitBreaker\.maxCooldown/);
    rejects(await load('{ failure: 3 }'), /failure/);
  });
});
