// `claimhub mappings versions|push|show|activate|rollback` run as a user runs them (the real CLI,
// its output and exit code) against a real hub: a new version of the shipped FHIR claim mapping is
// pushed, activated and rolled back, and every refusal reaches the user with what is wrong.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestHub, type TestHub } from '../support/hub.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHIPPED_CLAIM = join(ROOT, 'mappings/fhir-r4/claim.mapping.yaml');
const run = promisify(execFile);

/** Runs `claimhub …` as a user would, with no hub URL or key in the environment. */
async function claimhub(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { CLAIMHUB_URL: _url, CLAIMHUB_API_KEY: _key, ...env } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/claimhub.js', ...args], {
      cwd: ROOT,
      env: { ...env, CLAIMHUB_CONFIG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Tab-separated output as rows of cells. */
const rowsOf = (text: string) => text.split('\n').map((line) => line.split('\t'));

describe('claimhub mappings versions, push, show, activate, rollback (command line)', function () {
  this.timeout(120_000);
  let hub: TestHub;
  let dir: string;
  let as: string[];
  let shipped: string;
  const withVersion = (version: string, text = shipped) => text.replace(/^version: .*$/m, `version: "${version}"`);

  /** Writes a mapping file to the temp dir; returns its path. */
  async function mappingFile(fileName: string, text: string): Promise<string> {
    const path = join(dir, fileName);
    await writeFile(path, text);
    return path;
  }

  async function running(name: string): Promise<{ version: string; origin: string } | undefined> {
    const { items } = (await (await hub.call('GET', '/v1/mappings')).json()) as {
      items: { name: string; version: string; origin: string }[];
    };
    const found = items.find((m) => m.name === name);
    return found && { version: found.version, origin: found.origin };
  }

  async function storedVersions(name: string): Promise<string[]> {
    const { versions } = (await (await hub.call('GET', `/v1/mappings/${name}/versions`)).json()) as { versions: { version: string }[] };
    return versions.map((v) => v.version);
  }

  before(async () => {
    shipped = await readFile(SHIPPED_CLAIM, 'utf8');
    dir = await mkdtemp(join(tmpdir(), 'claimhub-mapping-cli-'));
    hub = await startTestHub('pglite');
    as = ['--url', hub.url, '--key', hub.key];
  });
  after(async () => {
    await hub?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('push stores a new version under the name in the file, without running it, and versions lists it beside the file', async () => {
    const file = await mappingFile('claim-1.1.0.mapping.yaml', withVersion('1.1.0'));
    const pushed = await claimhub('mappings', 'push', file, '--note', 'referring provider for payer X', ...as);
    assert.equal(pushed.code, 0, pushed.stderr);
    const stored = /^stored fhir-r4-claim@1\.1\.0 \(sha-256 ([0-9a-f]{12})\)\n$/.exec(pushed.stdout);
    assert.ok(stored, pushed.stdout);
    assert.deepEqual(await running('fhir-r4-claim'), { version: '1.0.0', origin: 'file' });

    const listed = await claimhub('mappings', 'versions', 'fhir-r4-claim', ...as);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = rowsOf(listed.stdout);
    assert.deepEqual(rows[0], ['version', 'origin', 'active', 'created by', 'created at', 'note']);
    assert.deepEqual(rows[1], ['1.0.0', 'file', '*', '-', '-', '-']);
    const [version, origin, active, createdBy, createdAt, note] = rows[2]!;
    assert.deepEqual([version, origin, active, note], ['1.1.0', 'store', '-', 'referring provider for payer X']);
    assert.match(createdBy!, /^api:/);
    assert.match(createdAt!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    assert.match(listed.stdout, /\n\nno activations yet\n$/);

    const json = await claimhub('mappings', 'versions', 'fhir-r4-claim', '--json', ...as);
    const answer = JSON.parse(json.stdout) as { active: unknown; versions: { version: string; checksum: string }[] };
    assert.deepEqual(answer.active, { version: '1.0.0', origin: 'file' });
    assert.equal(answer.versions[1]!.checksum.slice(0, 12), stored[1], 'push printed the stored checksum');
  });

  it('show prints a version’s file as it was pushed, and the file’s version too', async () => {
    const stored = await claimhub('mappings', 'show', 'fhir-r4-claim', '1.1.0', ...as);
    assert.equal(stored.code, 0, stored.stderr);
    assert.equal(stored.stdout, withVersion('1.1.0'));
    const file = await claimhub('mappings', 'show', 'fhir-r4-claim', '1.0.0', ...as);
    assert.equal(file.stdout, shipped);
  });

  it('activate makes the version run and says what ran before; asked again, it changes nothing', async () => {
    const activated = await claimhub('mappings', 'activate', 'fhir-r4-claim', '1.1.0', '--reason', 'payer X go-live', ...as);
    assert.equal(activated.code, 0, activated.stderr);
    assert.equal(activated.stdout, 'fhir-r4-claim: 1.1.0 (store) runs, was 1.0.0 (file)\n');
    assert.deepEqual(await running('fhir-r4-claim'), { version: '1.1.0', origin: 'store' });

    const again = await claimhub('mappings', 'activate', 'fhir-r4-claim', '1.1.0', ...as);
    assert.equal(again.stdout, 'fhir-r4-claim: 1.1.0 (store) already runs; nothing changed\n');

    const listed = rowsOf((await claimhub('mappings', 'versions', 'fhir-r4-claim', ...as)).stdout);
    assert.deepEqual(
      listed.slice(1, 3).map((cells) => cells.slice(0, 3)),
      [
        ['1.0.0', 'file', '-'],
        ['1.1.0', 'store', '*'],
      ],
    );
    const history = listed.slice(listed.findIndex((cells) => cells[0] === 'at') + 1, -1);
    assert.equal(history.length, 1, 'the repeated activation recorded nothing');
    assert.deepEqual([history[0]![1], history[0]![2], history[0]![3], history[0]![5]], ['activate', '1.1.0', 'store', 'payer X go-live']);
  });

  it('rollback makes the file run again', async () => {
    const back = await claimhub('mappings', 'rollback', 'fhir-r4-claim', '--reason', 'rejects claims without a referring provider', ...as);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, 'fhir-r4-claim: 1.0.0 (file) runs, was 1.1.0 (store)\n');
    assert.deepEqual(await running('fhir-r4-claim'), { version: '1.0.0', origin: 'file' });
  });

  it('push --activate stores and runs a new mapping, whose rollback stops it', async () => {
    const alternative = withVersion('1.0.0', shipped.replace(/^name: .*$/m, 'name: alt-fhir-claim'));
    const file = await mappingFile('alt.mapping.yaml', alternative);
    const pushed = await claimhub('mappings', 'push', file, '--activate', '--reason', 'trial for payer Y', ...as);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(
      pushed.stdout,
      /^stored alt-fhir-claim@1\.0\.0 \(sha-256 [0-9a-f]{12}\)\nalt-fhir-claim: 1\.0\.0 \(store\) runs, nothing ran before\n$/,
    );
    assert.deepEqual(await running('alt-fhir-claim'), { version: '1.0.0', origin: 'store' });
    const listed = await claimhub('mappings', 'versions', 'alt-fhir-claim', ...as);
    assert.match(listed.stdout, /\tactivate\t1\.0\.0\tstore\tapi:[^\t]+\ttrial for payer Y\n/);

    const stopped = await claimhub('mappings', 'rollback', 'alt-fhir-claim', ...as);
    assert.equal(stopped.stdout, 'alt-fhir-claim: no longer runs, was 1.0.0 (store)\n');
    assert.equal(await running('alt-fhir-claim'), undefined);
  });

  it('push of a file that does not load exits 2 with the key at fault, and stores nothing', async () => {
    const broken = await mappingFile('broken.mapping.yaml', withVersion('2.0.0').replace(/^output: \|/m, 'output: |\n  (((('));
    const { code, stdout, stderr } = await claimhub('mappings', 'push', broken, ...as);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^claimhub: POST \/v1\/mappings\/fhir-r4-claim\/versions → 422 The mapping file is invalid: /);
    assert.match(stderr, /\n {2}- store:fhir-r4-claim@2\.0\.0: output: /);
    assert.deepEqual(await storedVersions('fhir-r4-claim'), ['1.0.0', '1.1.0']);
  });

  it('push of a version the mapping has exits 2 saying it exists', async () => {
    const again = await mappingFile('claim-1.1.0-again.mapping.yaml', withVersion('1.1.0'));
    const taken = await claimhub('mappings', 'push', again, ...as);
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /→ 409 The mapping has this version already: .*already has a version 1\.1\.0/);
    const fileVersion = await claimhub('mappings', 'push', SHIPPED_CLAIM, ...as);
    assert.equal(fileVersion.code, 2);
    assert.match(fileVersion.stderr, /→ 409 .*1\.0\.0 is the version of its file/);
  });

  it('push refuses, before calling the hub, a file that names no mapping and a --reason without --activate', async () => {
    const nameless = await mappingFile('nameless.mapping.yaml', shipped.replace(/^name: .*$/m, ''));
    const noName = await claimhub('mappings', 'push', nameless, ...as);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /^claimhub: \S+nameless\.mapping\.yaml does not say which mapping it is a version of\n {2}- name: /);

    const notYaml = await mappingFile('not-yaml.mapping.yaml', 'name: [unclosed\nversion: "3.0.0"\n');
    const syntax = await claimhub('mappings', 'push', notYaml, ...as);
    assert.equal(syntax.code, 2);
    assert.match(syntax.stderr, /is not valid YAML, so it names no mapping\n {2}- line \d+ column \d+: .*\[yaml-syntax\]/);

    const file = await mappingFile('claim-3.0.0.mapping.yaml', withVersion('3.0.0'));
    const reason = await claimhub('mappings', 'push', file, '--reason', 'why not', ...as);
    assert.equal(reason.code, 2);
    assert.match(reason.stderr, /- --reason: add --activate/);
    assert.deepEqual(await storedVersions('fhir-r4-claim'), ['1.0.0', '1.1.0']);
  });

  it('reports an unknown mapping as the hub answered it, and asks for an API key', async () => {
    const unknown = await claimhub('mappings', 'versions', 'no-such-mapping', ...as);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /GET \/v1\/mappings\/no-such-mapping\/versions → 404 No such mapping: no mapping is named no-such-mapping/,
    );

    const keyless = await claimhub('mappings', 'activate', 'fhir-r4-claim', '1.1.0', '--url', hub.url);
    assert.equal(keyless.code, 2);
    assert.match(keyless.stderr, /^claimhub: an API key is needed: --key or CLAIMHUB_API_KEY/);
    assert.deepEqual(await running('fhir-r4-claim'), { version: '1.0.0', origin: 'file' });
  });
});
