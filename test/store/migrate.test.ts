import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../canonical-model/errors.js';
import { openDatabase } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { postgresSchema } from '../support/services.js';

const SHIPPED = fileURLToPath(new URL('../../store/migrations/', import.meta.url));

describe('store migrations', () => {
  it('apply once even when several hub processes start together (PostgreSQL)', async () => {
    const schema = await postgresSchema();
    const dbs = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: schema.url })));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      assert.equal(applied.flat().filter((v) => v === 1).length, 1, 'migration 1 ran in exactly one process');
      const { rows } = await dbs[0]!.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'claims'",
        [schema.schema],
      );
      assert.equal(rows[0]!.n, 1);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await schema.drop();
    }
  });

  it('refuses to run when an applied migration file was edited (PGlite)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'claimhub-migrations-'));
    await cp(SHIPPED, dir, { recursive: true });
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      const shipped = (await readdir(SHIPPED)).filter((name) => /^\d{4}_.*\.sql$/.test(name)).map((name) => Number(name.slice(0, 4))).sort((a, b) => a - b);
      assert.deepEqual(await migrate(db, dir + '/'), shipped);
      assert.ok(shipped.length >= 2 && shipped[0] === 1);
      assert.deepEqual(await migrate(db, dir + '/'), [], 'a second run applies nothing');
      await writeFile(join(dir, '0001_init.sql'), '-- edited\n', { flag: 'a' });
      await assert.rejects(
        migrate(db, dir + '/'),
        (error: unknown) => error instanceof ConfigError && /changed after it was applied/.test(error.message),
      );
    } finally {
      await db.close();
    }
  });
});
