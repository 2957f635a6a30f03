// One small query interface over PostgreSQL (pg.Pool) and embedded PGlite, so repositories,
// migrations and tests run the same SQL on both.
import { mkdirSync } from 'node:fs';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<T>>;
  /**
   * Runs a script of several statements without parameters (migrations) in one round trip; answers
   * the rows of the last. In a transaction each statement reads a snapshot taken when it starts.
   */
  exec<T = Record<string, unknown>>(text: string): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… → PostgreSQL; unset → PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite data directory; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /** PostgreSQL schema to use (tests isolate themselves in their own schema). */
  schema?: string;
  poolSize?: number;
}

export async function openDatabase(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(options.databaseUrl, options);
  }
  const { openPglite } = await import('./pglite.js');
  const dir = options.dataDir ?? 'memory://';
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  return openPglite(dir, options);
}

/** Quoted identifier for a schema name we were given (tests pass generated names). */
export function quoteIdent(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}
