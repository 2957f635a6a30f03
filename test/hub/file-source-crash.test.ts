// `claimhub start` with a file source, killed with SIGKILL while it is taking a folder of files,
// then started again: every file ends up stored once and archived once, with its 999 beside it,
// wherever the kill landed (between commit and archive included: the intake answers the re-taken
// file with its first message, and the archive names are the same).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ACCEPTANCE_BUNDLE, CORPUS } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { clearRedisPrefix, postgresSchema, REDIS_URL, uniqueName } from '../support/services.js';
import { exited, freePort, namesIn, startClaimhub } from './source-hub.js';

describe('file source: SIGKILL while taking files, then a restart (postgres)', function () {
  this.timeout(180_000);

  it('stores and archives every file exactly once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'claimhub-file-crash-'));
    const schema = await postgresSchema();
    const inbox = join(dataDir, 'inbox');
    const archive = join(inbox, 'archive');
    await mkdir(inbox);
    const configPath = join(dataDir, 'claimhub.config.yaml');
    await writeFile(configPath, 'sources:\n  - id: drop\n    type: file\n    dir: ./inbox\n    every: 200ms\n    settle: 300ms\n');
    const env: Record<string, string> = {
      CLAIMHUB_CONFIG: configPath,
      CLAIMHUB_PORT: String(await freePort()),
      CLAIMHUB_DATA_DIR: dataDir,
      CLAIMHUB_QUEUE_PREFIX: uniqueName('chfilecrash'),
      CLAIMHUB_API_KEY: 'file-crash-key-0123456789',
      REDIS_URL,
      DATABASE_URL: schema.url,
    };
    const bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    const interchange = await readFile(join(CORPUS, 'x12/837p/stupidedi-837p-ambulance.edi'), 'utf8');
    const claims = Array.from({ length: 40 }, (_, i) => `KILL-${i}`);
    const interchanges = Array.from({ length: 20 }, (_, i) => String(900_000_000 + i)); // ISA13/IEA02
    for (const n of claims) await writeFile(join(inbox, `${n}.json`), bundle.replace('ACC-5520-01', n));
    for (const n of interchanges) await writeFile(join(inbox, `${n}.837`), interchange.replaceAll('000010216', n));
    const files = (await namesIn(inbox)).filter((n) => !['archive', 'error'].includes(n));
    assert.equal(files.length, 60);

    let hub = await startClaimhub(env);
    try {
      await eventually(async () => ((await namesIn(archive)).length >= 10 ? true : undefined), 60_000, 'some files archived');
      process.kill(-hub.pid!, 'SIGKILL');
      await exited(hub);
      const left = (await namesIn(inbox)).filter((n) => files.includes(n));
      assert.ok(left.length > 0, 'the kill landed while files were waiting');

      hub = await startClaimhub(env);
      await eventually(async () => ((await namesIn(inbox)).some((n) => files.includes(n)) ? undefined : true), 90_000, 'every file taken');
    } finally {
      process.kill(-hub.pid!, 'SIGTERM');
      await exited(hub);
    }

    const db = new pg.Client({ connectionString: schema.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string; parent_id: string | null; raw: string }>(
        "SELECT id, parent_id, raw FROM messages WHERE source = 'drop'",
      );
      const parents = rows.filter((r) => r.parent_id === null);
      assert.equal(parents.length, 60, 'one message per file');
      assert.equal(rows.length, 80, '40 bundles, 20 interchanges with one set each');
      const archived = (await namesIn(archive)).filter((n) => !n.startsWith('.'));
      for (const n of claims) {
        const [message] = parents.filter((r) => r.raw.includes(`"${n}"`));
        assert.deepEqual(
          archived.filter((a) => a.endsWith(`_${n}.json`)).map((a) => a.replace(/^\d{8}T\d{6}Z_/, '')),
          [`${message.id}_${n}.json`],
        );
      }
      for (const n of interchanges) {
        const [message] = parents.filter((r) => r.raw.includes(`*${n}*`));
        const mine = archived.filter((a) => a.includes(`_${n}.837`));
        assert.equal(mine.length, 2, `${n}: the file and its 999`);
        assert.ok(mine[0].includes(message.id));
        assert.equal(mine[1], `${mine[0]}.999`);
      }
      assert.equal(archived.length, 40 + 20 * 2, 'nothing else in the archive');
    } finally {
      await db.end();
      await clearRedisPrefix(env.CLAIMHUB_QUEUE_PREFIX!);
      await schema.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
