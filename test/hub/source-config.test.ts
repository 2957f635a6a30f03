// `sources:` in claimhub.config.yaml: file and SFTP sources resolved with their defaults, secrets
// from env:/file:, and mistakes refused with errors that name the key.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../canonical-model/errors.js';
import { loadConfig } from '../../cli/config/load.js';

async function load(yaml: string, env: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'claimhub-sources-'));
  const configPath = join(dir, 'claimhub.config.yaml');
  await writeFile(configPath, yaml);
  await writeFile(join(dir, 'ch_key'), '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n');
  return { dir, config: () => loadConfig({ configPath, env, cwd: dir }) };
}

async function refused(yaml: string, path: string, pattern: RegExp, env: Record<string, string> = {}) {
  const { config } = await load(yaml, env);
  assert.throws(config, (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.ok(
      error.issues.some((i) => i.path === path && pattern.test(i.message)),
      JSON.stringify(error.issues),
    );
    return true;
  });
}

describe('configuration: sources', () => {
  it('listens for HL7 on MLLP by default (source "mllp", CLAIMHUB_MLLP_PORT or 2575), and nothing else', () => {
    assert.deepEqual(loadConfig({ env: {}, cwd: '/srv/hub' }).sources, [{ id: 'mllp', type: 'mllp', port: 2575 }]);
    assert.deepEqual(loadConfig({ env: { CLAIMHUB_MLLP_PORT: '3575' }, cwd: '/srv/hub' }).sources, [{ id: 'mllp', type: 'mllp', port: 3575 }]);
  });

  it('replaces the default listener with declared mllp sources, a missing port taken from CLAIMHUB_MLLP_PORT, TLS PEMs hidden when printed', async () => {
    const { dir, config } = await load(
      `sources:
  - id: epic-charges
    type: mllp
    host: 127.0.0.1
    idleTimeout: 5m
    maxInFlight: 200
  - id: lab
    type: mllp
    port: 6661
    tls: { key: file:ch_key, cert: file:ch_key, requestCert: true }
`,
      { CLAIMHUB_MLLP_PORT: '7000' },
    );
    const sources = config().sources;
    assert.deepEqual(sources[0], { id: 'epic-charges', type: 'mllp', port: 7000, host: '127.0.0.1', idleTimeoutMs: 300_000, maxInFlight: 200 });
    assert.equal(sources.length, 2);
    const lab = sources[1];
    assert.ok(lab.type === 'mllp' && lab.tls?.key.includes('BEGIN OPENSSH'), dir);
    assert.ok(!JSON.stringify(sources).includes('BEGIN'), 'PEM text printed');
  });

  it('turns the default listener off with mllp.enabled: false, and moves it with mllp.port', async () => {
    assert.deepEqual((await load('mllp:\n  enabled: false\n')).config().sources, []);
    assert.deepEqual((await load('mllp:\n  port: 2700\n')).config().sources, [{ id: 'mllp', type: 'mllp', port: 2700 }]);
  });

  it('refuses two mllp sources on one port, and unknown mllp keys', async () => {
    await refused('sources:\n  - { id: a, type: mllp, port: 2600 }\n  - { id: b, type: mllp, port: 2600 }\n', 'sources', /2600/);
    await refused('sources:\n  - { id: a, type: mllp, post: 2600 }\n', 'sources.0', /unknown key "post"/);
  });

  it('resolves a file source: folder relative to the config file, archive and error folders inside it, 30 s polls', async () => {
    const { dir, config } = await load('sources:\n  - id: drop\n    type: file\n    dir: ./inbox\n    pattern: "*.837"\n');
    assert.deepEqual(config().sources.slice(0, 1), [
      {
        id: 'drop',
        type: 'file',
        dir: join(dir, 'inbox'),
        pattern: '*.837',
        everyMs: 30_000,
        settleMs: 2_000,
        archiveDir: join(dir, 'inbox/archive'),
        errorDir: join(dir, 'inbox/error'),
      },
    ]);
  });

  it('resolves an sftp source with env: and file: secrets, remote paths as given, and hides the secrets when printed', async () => {
    const { config } = await load(
      `sources:
  - id: clearinghouse-835
    type: sftp
    host: sftp.example.net
    username: env:CH_USER
    privateKey: file:ch_key
    hostFingerprint: "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"
    path: /outbound
    pattern: "*.835"
    every: 60s
    archive: /outbound/done
`,
      { CH_USER: 'claimhub' },
    );
    const [source] = config().sources;
    assert.equal(source.type, 'sftp');
    if (source.type !== 'sftp') return;
    assert.deepEqual(
      [source.host, source.port, source.username, source.path, source.archiveDir, source.errorDir, source.everyMs],
      ['sftp.example.net', 22, 'claimhub', '/outbound', '/outbound/done', '/outbound/error', 60_000],
    );
    assert.match(source.credentials.privateKey!, /^-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n/);
    assert.equal(source.credentials.password, undefined);
    assert.doesNotMatch(JSON.stringify(config()), /BEGIN OPENSSH|abc/, '`config check` prints "***" for credentials');
  });

  it('names the key of a mistake', async () => {
    const sftp = 'sources:\n  - id: ch\n    type: sftp\n    host: h\n    username: u\n    password: p\n    path: /out\n';
    await refused('sources:\n  - id: drop\n    type: ftp\n    dir: ./in\n', 'sources.0.type', /file, sftp/);
    await refused('sources:\n  - id: drop\n    type: file\n', 'sources.0', /must have required property 'dir'/);
    await refused('sources:\n  - id: drop\n    type: file\n    dir: ./in\n    poll: 5s\n', 'sources.0', /unknown key "poll"/);
    await refused(sftp.replace('    password: p\n', ''), 'sources[0]', /set password \(env:NAME\) or privateKey/);
    await refused(sftp + '    every: soon\n', 'sources.0.every', /./);
    await refused(sftp + '    every: 10ms\n', 'sources[0].every', /at least 100ms/);
    await refused(sftp + '    pattern: "in/*.835"\n', 'sources.0.pattern', /pattern/);
    await refused(sftp + '    hostFingerprint: "MD5:12:34"\n', 'sources.0.hostFingerprint', /pattern/);
    await refused(sftp + '    archive: /out/\n', 'sources[0].archive', /pickup folder/);
    await refused(sftp.replace('password: p', 'password: env:CH_PASSWORD'), 'sources[0].password', /set CH_PASSWORD/);
    await refused(sftp + sftp.replace('sources:\n', ''), 'sources', /ch/);
  });
});

describe('configuration: mllp destinations', () => {
  it('resolves an mllp destination: durations in ms, one delivery at a time by default, header names kept', async () => {
    const { config } = await load(`destinations:
  - id: billing
    type: mllp
    host: billing.example.net
    port: 6661
    ackTimeout: 5s
    idleTimeout: 10m
    sendingApplication: CLAIMHUB
    receivingFacility: BILLING^2.16.840.1.113883.3.7^ISO
routes:
  - name: all
    to: [billing]
`);
    const [destination] = config().destinations;
    assert.equal(destination.type, 'mllp');
    assert.deepEqual({ ...destination, retry: undefined }, {
      id: 'billing',
      type: 'mllp',
      host: 'billing.example.net',
      port: 6661,
      ackTimeoutMs: 5000,
      idleTimeoutMs: 600_000,
      sendingApplication: 'CLAIMHUB',
      receivingFacility: 'BILLING^2.16.840.1.113883.3.7^ISO',
      concurrency: 1,
      retry: undefined,
      circuitBreaker: { failures: 5, cooldownMs: 30_000, maxCooldownMs: 600_000 },
    });
  });

  it('refuses an mllp destination without a port, naming the key', async () => {
    await refused('destinations:\n  - { id: billing, type: mllp, host: h }\nroutes:\n  - { name: all, to: [billing] }\n', 'destinations.0', /port/);
  });
});
