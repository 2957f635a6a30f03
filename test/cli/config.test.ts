import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../canonical-model/errors.js';
import { loadConfig } from '../../cli/config/load.js';

async function configFile(yaml: string): Promise<{ path: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'claimhub-config-'));
  const path = join(dir, 'claimhub.config.yaml');
  await writeFile(path, yaml);
  return { path, dir };
}

const rejects = (fn: () => unknown, check: (e: ConfigError) => boolean) =>
  assert.throws(fn, (error: unknown) => error instanceof ConfigError && check(error));

describe('configuration', () => {
  it('runs on embedded defaults without a file: :8080, PGlite in ./data, a file outbox for everything', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/hub' });
    assert.equal(config.origin, 'embedded defaults');
    assert.equal(config.gateway.port, 8080);
    assert.equal(config.mllpPort, 2575);
    assert.equal(config.dataDir, '/srv/hub/data');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.queuePrefix, 'claimhub');
    assert.deepEqual(
      config.destinations.map((d) => [d.id, 'dir' in d ? d.dir : undefined]),
      [['outbox', '/srv/hub/data/outbox']],
    );
    assert.deepEqual(
      config.routes.map((r) => r.to),
      [['outbox']],
    );
  });

  it('lets the environment variables of DESIGN.md §5 override the file', async () => {
    const { path } = await configFile('gateway: { port: 9000 }\nredis: { prefix: fromfile }\n');
    const config = loadConfig({
      configPath: path,
      env: {
        CLAIMHUB_PORT: '9100',
        CLAIMHUB_QUEUE_PREFIX: 'fromenv',
        DATABASE_URL: 'postgres://db/x',
        LOG_LEVEL: 'warn',
        CLAIMHUB_DATA_DIR: '/var/hub',
      },
    });
    assert.equal(config.gateway.port, 9100);
    assert.equal(config.queuePrefix, 'fromenv');
    assert.equal(config.databaseUrl, 'postgres://db/x');
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.dataDir, '/var/hub');
  });

  it('names an unknown key and where it is', async () => {
    const { path } = await configFile('destinations:\n  - id: outbox\n    type: file\n    dir: ./out\n    retires: 3\n');
    rejects(
      () => loadConfig({ configPath: path, env: {} }),
      (e) => e.issues.some((i) => i.path === 'destinations.0' && /unknown key "retires"/.test(i.message)),
    );
  });

  it('names a destination type it does not know', async () => {
    const { path } = await configFile('destinations:\n  - id: erp\n    type: ftp\n');
    rejects(
      () => loadConfig({ configPath: path, env: {} }),
      (e) => e.issues.some((i) => i.path === 'destinations.0.type'),
    );
  });

  it('explains a YAML syntax error with its line', async () => {
    const { path } = await configFile('routes:\n  - name: a\n   to: [x]\n');
    rejects(
      () => loadConfig({ configPath: path, env: {} }),
      (e) => e.issues[0]!.rule === 'yaml-syntax' && /^line 3/.test(e.issues[0]!.path),
    );
  });

  it('refuses a duration it cannot read', async () => {
    const { path } = await configFile('recovery: { every: 5 minutes }\n');
    rejects(
      () => loadConfig({ configPath: path, env: {} }),
      (e) => e.issues.some((i) => i.path === 'recovery.every'),
    );
  });

  it('reads durations and retry policies', async () => {
    const { path, dir } = await configFile(
      'destinations:\n  - id: out\n    type: file\n    dir: ./o\n    retry: { attempts: 3, backoff: { type: fixed, delay: 250ms, max: 2s } }\nroutes:\n  - name: all\n    to: [out]\n',
    );
    const config = loadConfig({ configPath: path, env: {} });
    assert.deepEqual(config.destinations[0]!.retry, { attempts: 3, backoff: { type: 'fixed', delayMs: 250, maxMs: 2000 } });
    assert.equal((config.destinations[0] as { dir?: string }).dir, join(dir, 'o'), 'relative paths are relative to the config file');
  });

  it('inserts secrets from env:NAME and says which variable is missing', async () => {
    const { path } = await configFile('apiKey: env:HUB_KEY_FOR_TEST\n');
    assert.equal(loadConfig({ configPath: path, env: { HUB_KEY_FOR_TEST: 'k'.repeat(20) } }).apiKey, 'k'.repeat(20));
    rejects(
      () => loadConfig({ configPath: path, env: {} }),
      (e) => /HUB_KEY_FOR_TEST is not set/.test(e.message),
    );
  });

  it('refuses a --config path that does not exist', () => {
    rejects(
      () => loadConfig({ configPath: '/nonexistent/claimhub.yaml', env: {} }),
      (e) => /does not exist/.test(e.message),
    );
  });

  it('refuses a port that is not a port', () => {
    rejects(
      () => loadConfig({ env: { CLAIMHUB_PORT: 'eighty' } }),
      (e) => e.issues[0]!.path === 'CLAIMHUB_PORT',
    );
  });
});
