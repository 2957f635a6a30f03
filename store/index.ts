// The store as the hub uses it: database, migrations applied, group commit, readers.
import { openDatabase, type Db, type DbOptions } from './db.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { migrate } from './migrate.js';
import { MessageReader } from './messages.js';
import { ApiKeys } from './api-keys.js';

export interface Store {
  db: Db;
  commits: GroupCommit;
  reader: MessageReader;
  keys: ApiKeys;
  /** Records the mapping versions this hub loaded (every canonical object names one). */
  recordMappingVersions(versions: { name: string; version: string; checksum: string; path: string }[]): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(options: DbOptions & { groupCommit?: GroupCommitOptions }): Promise<Store> {
  const db = await openDatabase(options);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const commits = new GroupCommit(db, options.groupCommit);
  return {
    db,
    commits,
    reader: new MessageReader(db),
    keys: new ApiKeys(db),
    async recordMappingVersions(versions) {
      if (versions.length === 0) return;
      await db.query(
        `INSERT INTO mapping_versions (name, version, checksum, path)
         SELECT name, version, checksum, path FROM jsonb_to_recordset($1::jsonb) AS r(name text, version text, checksum text, path text)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(versions)],
      );
    },
    async close() {
      await commits.drain();
      await db.close();
    },
  };
}

export type { Db } from './db.js';
