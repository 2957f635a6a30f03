// A source key restricted to sources submits only as those, and reads back only its own
// messages' acknowledgements; to it, other sources' messages do not exist.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { mappableDft } from '../hub/hl7-fixtures.js';

describe('gateway: source keys restricted to sources', function () {
  this.timeout(60_000);
  let t: TestHub;
  let bundle: string;
  const keys: Record<string, string> = {};

  const create = async (name: string, body: Record<string, unknown>) => {
    const response = await t.call('POST', '/v1/keys', JSON.stringify({ name, role: 'source', ...body }), {
      'content-type': 'application/json',
    });
    assert.equal(response.status, 201, await response.clone().text());
    keys[name] = ((await response.json()) as { key: string }).key;
  };
  const submit = (key: string, text: string, query = '', contentType = 'application/fhir+json') =>
    fetch(`${t.url}/v1/messages${query}`, {
      method: 'POST',
      body: text,
      headers: { authorization: `Bearer ${key}`, 'content-type': contentType, accept: 'application/json' },
    });

  before(async () => {
    t = await startTestHub('postgres');
    bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    await create('two-feeds', { sources: ['clinic-ehr', 'lab-feed'] });
    await create('one-feed', { sources: ['billing-feed'] });
    await create('unrestricted', {});
  });
  after(async () => t?.stop());

  it('submits as a named allowed source, refuses another (403) and asks which when several are allowed (400)', async () => {
    const named = await submit(keys['two-feeds'], bundle, '?source=clinic-ehr');
    assert.equal(named.status, 202);
    const { id } = (await named.json()) as { id: string };
    const stored = await t.hub.store.reader.message(id);
    assert.equal(stored?.source, 'clinic-ehr');
    const foreign = await submit(keys['two-feeds'], bundle, '?source=billing-feed');
    assert.equal(foreign.status, 403);
    assert.match(((await foreign.json()) as { detail: string }).detail, /may submit as clinic-ehr, lab-feed, not as "billing-feed"/);
    const unnamed = await submit(keys['two-feeds'], bundle);
    assert.equal(unnamed.status, 400);
    assert.equal(((await unnamed.json()) as { errors: { path: string }[] }).errors[0].path, 'source');
    const malformed = await submit(keys['two-feeds'], bundle, '?source=' + encodeURIComponent('clinic ehr'));
    assert.equal(malformed.status, 400);
  });

  it('uses the only allowed source by default, and api:<name> for an unrestricted key', async () => {
    const single = await submit(keys['one-feed'], bundle);
    assert.equal(single.status, 202);
    assert.equal((await t.hub.store.reader.message(((await single.json()) as { id: string }).id))?.source, 'billing-feed');
    const free = await submit(keys.unrestricted, bundle, '?source=any-feed');
    assert.equal(free.status, 202);
    assert.equal((await t.hub.store.reader.message(((await free.json()) as { id: string }).id))?.source, 'any-feed');
  });

  it("reads the acknowledgement of its own message, but another source's message is a 404 to it; ops reads both", async () => {
    const mine = await submit(keys['one-feed'], mappableDft('SRC-KEY-1'), '', 'x-application/hl7-v2+er7');
    const mineId = ((await mine.json()) as { id: string }).id;
    const theirs = await submit(keys['two-feeds'], mappableDft('SRC-KEY-2'), '?source=lab-feed', 'x-application/hl7-v2+er7');
    const theirsId = ((await theirs.json()) as { id: string }).id;
    const ack = (key: string, id: string) => fetch(`${t.url}/v1/messages/${id}/ack`, { headers: { authorization: `Bearer ${key}` } });
    const own = await ack(keys['one-feed'], mineId);
    assert.equal(own.status, 200);
    assert.match(await own.text(), /MSA\|AA\|SRC-KEY-1/);
    assert.equal((await ack(keys['one-feed'], theirsId)).status, 404);
    assert.equal((await ack(t.key, theirsId)).status, 200);
    assert.equal((await ack(keys['one-feed'], mineId)).status, 200);
  });

  it('refuses sources on keys of other roles', async () => {
    const response = await t.call('POST', '/v1/keys', JSON.stringify({ name: 'ops-with-sources', role: 'ops', sources: ['clinic-ehr'] }), {
      'content-type': 'application/json',
    });
    assert.equal(response.status, 400);
  });
});
