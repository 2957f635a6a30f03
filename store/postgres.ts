// PostgreSQL through a pg.Pool: the production store.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { quoteIdent, type Db, type DbOptions, type Queryable } from './db.js';

// int8 (counts, bigserial ids) as JS numbers: ours stay far below 2^53, and PGlite does the same.
pg.types.setTypeParser(20, (value) => Number(value));

/** Statements long enough that planning them costs more than running them are prepared once per connection. */
const PREPARE_FROM_CHARS = 1500;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  if (text.length < PREPARE_FROM_CHARS) return undefined;
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `claimhub_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
  return name;
}

function queryableOf(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    query: async <T>(text: string, params?: unknown[]) => {
      const name = statementName(text);
      const result = name ? await client.query({ name, text, values: params }) : await client.query(text, params);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
    },
    // Without parameters pg uses the simple protocol, which accepts several statements (and answers a result for each).
    exec: async <T>(text: string) => {
      const result = (await client.query(text)) as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(result) ? result[result.length - 1] : result).rows as T[];
    },
  };
}

export async function openPostgres(url: string, options: DbOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // search_path per connection, so a test schema isolates every query.
    options: options.schema ? `-c search_path=${quoteIdent(options.schema)},public` : undefined,
  });
  // An idle client that loses its connection is replaced by the pool; queries report their own errors.
  pool.on('error', () => undefined);
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
  return {
    kind: 'postgres',
    ...queryableOf(pool),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryableOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
