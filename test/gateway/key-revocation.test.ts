// A key revoked through one gateway process is refused by the others at once: the revocation is
// published on Redis and each process drops the key from its cache (which would otherwise keep
// accepting it for up to 5 s).
import assert from 'node:assert/strict';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';

describe('gateway: a revoked key is refused by every process sharing the installation', function () {
  this.timeout(60_000);
  let a: TestHub;
  let b: TestHub;
  before(async () => {
    a = await startTestHub('postgres');
    b = await startTestHub('postgres', undefined, { sharing: a });
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('refuses the key in the other process well before its cache would expire', async () => {
    const created = await a.call('POST', '/v1/keys', JSON.stringify({ name: 'shared-ops', role: 'ops' }), { 'content-type': 'application/json' });
    assert.equal(created.status, 201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    const useOn = (hub: TestHub) => fetch(`${hub.url}/v1/queues`, { headers: { authorization: `Bearer ${key}` } });
    // B now holds the key in its cache.
    assert.equal((await useOn(b)).status, 200);
    assert.equal((await useOn(b)).status, 200);

    const revokedAt = Date.now();
    assert.equal((await a.call('DELETE', `/v1/keys/${id}`)).status, 200);
    assert.equal((await useOn(a)).status, 401);
    // The cache keeps an answer 5 s; the announcement must beat it by far.
    await eventually(async () => ((await useOn(b)).status === 401 ? true : undefined), 1_500, 'the other process to refuse the revoked key');
    assert.ok(Date.now() - revokedAt < 5_000);
    assert.equal((await useOn(b)).status, 401);
  });
});
