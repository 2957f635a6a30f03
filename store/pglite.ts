// Embedded PostgreSQL (PGlite, WASM) in the data dir: the zero-setup default and a test target.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { quoteIdent, type Db, type DbOptions, type Queryable } from './db.js';

function queryableOf(target: PGlite | Transaction): Queryable {
  return {
    query: async <T>(text: string, params?: unknown[]) => {
      const result = await target.query<T>(text, params);
      return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
    },
    exec: async <T>(text: string) => {
      const results = await target.exec(text);
      return (results[results.length - 1]?.rows ?? []) as T[];
    },
  };
}

export async function openPglite(dataDir: string, options: DbOptions): Promise<Db> {
  const db = await PGlite.create(dataDir);
  if (options.schema) {
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}; SET search_path TO ${quoteIdent(options.schema)}, public`);
  }
  return {
    kind: 'pglite',
    ...queryableOf(db),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => db.transaction((tx) => work(queryableOf(tx))),
    close: () => db.close(),
  };
}
