import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../canonical-model/errors.js';
import { loadConfig } from '../../cli/config/load.js';

async function load(requires: string) {
  const dir = await mkdtemp(join(tmpdir(), 'claimhub-config-'));
  const path = join(dir, 'claimhub.config.yaml');
  await writeFile(path, `routes:\n  - name: needs auth\n    requires: ${requires}\n    to: [outbox]\n`);
  return () => loadConfig({ configPath: path, env: {}, cwd: dir });
}

describe('configuration: what a route requires', () => {
  it('takes requires: [priorAuthorization] on a route', async () => {
    assert.deepEqual((await load('[priorAuthorization]'))().routes[0]!.requires, ['priorAuthorization']);
  });

  it('refuses a requirement it does not know, naming the key', async () => {
    const loading = await load('[referral]');
    assert.throws(loading, (error: unknown) => error instanceof ConfigError && error.issues.some((i) => i.path === 'routes.0.requires.0' && /priorAuthorization/.test(i.message)));
  });
});
