import assert from 'node:assert/strict';
import { openDatabase, type Db } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { nextValues, X12_CONTROL_NUMBER_MAX } from '../../store/counters.js';
import { openTestStore, postgresSchema, STORE_KINDS, type TestStore } from '../support/services.js';

for (const kind of STORE_KINDS) {
  describe(`store counters (${kind})`, function () {
    this.timeout(30_000);
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind);
    });
    after(async () => {
      await t.close();
    });

    it('starts a new counter at 1 and hands out consecutive blocks', async () => {
      assert.deepEqual(await nextValues(t.store.db, 'first-use', 1), [1]);
      assert.deepEqual(await nextValues(t.store.db, 'first-use', 3), [2, 3, 4]);
      assert.deepEqual(await nextValues(t.store.db, 'first-use', 1), [5]);
      assert.deepEqual(await nextValues(t.store.db, 'another', 2), [1, 2], 'counters are independent by name');
    });

    it('wraps an interchange control number from 999,999,999 back to 1', async () => {
      await t.store.db.query('INSERT INTO counters (name, value) VALUES ($1, $2)', ['isa13-near-end', X12_CONTROL_NUMBER_MAX - 2]);
      assert.deepEqual(await nextValues(t.store.db, 'isa13-near-end', 2), [999_999_998, 999_999_999]);
      assert.deepEqual(await nextValues(t.store.db, 'isa13-near-end', 1), [1]);
    });

    it('starts a block that would pass the maximum at 1, leaving the top values unused', async () => {
      assert.deepEqual(await nextValues(t.store.db, 'st02-small', 9998, { max: 9999 }), range(1, 9998));
      assert.deepEqual(await nextValues(t.store.db, 'st02-small', 3, { max: 9999 }), [1, 2, 3]);
    });

    it('refuses blocks it could not hand out without repeating a value', async () => {
      await assert.rejects(nextValues(t.store.db, 'bad', 0), RangeError);
      await assert.rejects(nextValues(t.store.db, 'bad', 10, { max: 9 }), RangeError);
      await assert.rejects(nextValues(t.store.db, 'bad', 1.5), RangeError);
    });

    it('never hands the same value to concurrent callers', async () => {
      const blocks = await Promise.all(Array.from({ length: 40 }, (_, i) => nextValues(t.store.db, 'concurrent', 1 + (i % 5))));
      const values = blocks.flat();
      assert.equal(new Set(values).size, values.length, 'no value twice');
      assert.deepEqual(
        [...values].sort((a, b) => a - b),
        range(1, values.length),
        'no gaps when every caller succeeds',
      );
      for (const block of blocks) assert.deepEqual(block, range(block[0], block.length + block[0] - 1), 'each block is consecutive');
    });
  });
}

describe('store counters (PostgreSQL, separate connections)', function () {
  this.timeout(60_000);
  let schema: Awaited<ReturnType<typeof postgresSchema>>;
  let pools: Db[];
  before(async () => {
    schema = await postgresSchema();
    pools = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ databaseUrl: schema.url, poolSize: 8 })));
    await migrate(pools[0]);
  });
  after(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
    await schema.drop();
  });

  it('gives processes racing on a counter that does not exist yet disjoint blocks', async () => {
    const calls = Array.from({ length: 200 }, (_, i) => nextValues(pools[i % pools.length], 'x12.race.interchange', 1 + (i % 3)));
    const values = (await Promise.all(calls)).flat();
    assert.equal(new Set(values).size, values.length);
    assert.equal(Math.max(...values), values.length);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
