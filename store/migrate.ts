// Versioned SQL migrations (store/migrations/NNNN_name.sql), the same files for PostgreSQL and
// PGlite. Each runs once, in its own transaction, under an advisory lock so that several hub
// processes starting together apply it exactly once; an edited applied migration is refused.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../canonical-model/errors.js';
import type { Db } from './db.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Arbitrary constant shared by every claimhub process: "claimhub" in hex digits.
const MIGRATION_LOCK_KEY = 0x0c1a1b0b;

interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(dir + file, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

/** Applies pending migrations; returns the versions it applied. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of await readMigrations(dir)) {
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      // Inside the lock: CREATE … IF NOT EXISTS itself races between concurrent processes.
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (rows[0]) {
        if (rows[0].checksum !== migration.checksum) {
          throw new ConfigError(`migration ${migration.version}_${migration.name} was changed after it was applied`, [
            {
              path: `store/migrations/${String(migration.version).padStart(4, '0')}_${migration.name}.sql`,
              rule: 'migration-checksum',
              message: 'applied migrations are immutable: add a new migration instead',
            },
          ]);
        }
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
