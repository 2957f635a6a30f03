import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { ACCEPTANCE_BUNDLE, CORPUS } from '../support/corpus.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** Runs `claimhub …` as a user would; resolves with exit code and output. */
async function claimhub(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/claimhub.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, CLAIMHUB_CONFIG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('claimhub mappings (command line)', function () {
  this.timeout(60_000);

  it('test prints the canonical claim of a sample and exits 0', async () => {
    const { code, stdout } = await claimhub('mappings', 'test', 'fhir-r4-claim', ACCEPTANCE_BUNDLE);
    assert.equal(code, 0);
    const result = JSON.parse(stdout);
    assert.equal(result.ok, true);
    assert.equal(result.objects[0].claimNumber, 'ACC-5520-01');
    assert.equal(result.objects[0].totalCharge, '283.31');
  });

  it('test prints the refusal with its path and exits 1 for a sample the mapping cannot take', async () => {
    const { code, stdout } = await claimhub('mappings', 'test', 'fhir-r4-claim', join(CORPUS, 'fhir/stu3/msconv-Claim.json'));
    assert.equal(code, 1);
    const result = JSON.parse(stdout);
    assert.equal(result.ok, false);
    assert.equal(result.error.issues[0].path, 'Claim.organization');
  });

  it('test names the mappings it knows when asked for one it does not', async () => {
    const { code, stdout } = await claimhub('mappings', 'test', 'no-such-mapping', ACCEPTANCE_BUNDLE);
    assert.equal(code, 1);
    assert.match(JSON.parse(stdout).error.message, /no mapping is named no-such-mapping \(loaded: fhir-r4-claim/);
  });

  it('list shows each mapping with its version and checksum', async () => {
    const { code, stdout } = await claimhub('mappings', 'list');
    assert.equal(code, 0);
    assert.match(stdout, /^fhir-r4-claim@\d+\.\d+\.\d+ {2}[0-9a-f]{12} {2}\S+claim\.mapping\.yaml$/m);
  });

  it('explains a broken configuration without a stack trace', async () => {
    const { code, stderr } = await claimhub('--config', '/nonexistent.yaml', 'mappings', 'list');
    assert.equal(code, 2);
    assert.match(stderr, /^claimhub: config file \/nonexistent.yaml does not exist/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});
