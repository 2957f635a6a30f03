import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from '../support/services.js';

describe('bootstrap API key (PGlite)', function () {
  this.timeout(20_000);
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore('pglite');
  });
  afterEach(async () => {
    await t.close();
  });

  it('generates a key once on a store without keys, and stores only its hash', async () => {
    const first = await t.store.keys.ensureBootstrap();
    assert.match(first.generated!, /^chk_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await t.store.keys.ensureBootstrap(), {}, 'a second start shows no new key');
    const { rows } = await t.store.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.key_hash, first.generated);
    assert.equal((await t.store.keys.authenticate(first.generated!))?.role, 'admin');
  });

  it('accepts the configured key and refuses others', async () => {
    await t.store.keys.ensureBootstrap('configured-key-0123456789');
    assert.equal((await t.store.keys.authenticate('configured-key-0123456789'))?.name, 'bootstrap');
    assert.equal(await t.store.keys.authenticate('configured-key-012345678X'), undefined);
  });
});
