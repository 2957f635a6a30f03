// Persistent counters (X12 control numbers, batch sequence numbers) in the `counters` table. One
// statement reserves a whole block, so concurrent callers never share a value; a block a caller
// never uses is a gap, never handed out again (until the counter wraps past its maximum).
import type { Queryable } from './db.js';

/** The largest X12 control number: ISA13 (N0 9/9), GS06 (N0 1/9) and ST02 (AN 4/9) all hold nine digits. */
export const X12_CONTROL_NUMBER_MAX = 999_999_999;

export interface CounterOptions {
  /** The largest value handed out; a block that would pass it starts again at 1. */
  max?: number;
}

/**
 * Reserves `count` consecutive values of counter `name` (created on first use, starting at 1) and
 * returns them in order. A block that does not fit below `max` (default X12_CONTROL_NUMBER_MAX)
 * wraps: it is 1…count, and the values it skipped at the top are left unused.
 */
export async function nextValues(db: Queryable, name: string, count: number, options: CounterOptions = {}): Promise<number[]> {
  const max = options.max ?? X12_CONTROL_NUMBER_MAX;
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`counter maximum ${max} is not a positive whole number`);
  if (!Number.isSafeInteger(count) || count < 1 || count > max)
    throw new RangeError(`cannot reserve ${count} values of counter ${name}: between 1 and ${max} at a time`);
  // The row lock taken by ON CONFLICT DO UPDATE orders concurrent reservations of one counter.
  const { rows } = await db.query<{ last: string }>(
    `INSERT INTO counters AS c (name, value) VALUES ($1, $2::bigint)
     ON CONFLICT (name) DO UPDATE
       SET value = CASE WHEN c.value < 0 OR c.value + $2::bigint > $3::bigint THEN $2::bigint ELSE c.value + $2::bigint END
     RETURNING value::text AS last`,
    [name, count, max],
  );
  const last = Number(rows[0].last);
  return Array.from({ length: count }, (_, i) => last - count + 1 + i);
}
