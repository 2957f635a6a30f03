// API keys over the API: created per role and shown once, listed without secrets and with their
// last use, refused the moment they are revoked or once expired, every change in the audit trail.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestHub, type TestHub } from '../support/hub.js';

interface KeyRecord {
  id: string;
  name: string;
  role: string;
  prefix: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

describe('gateway: API keys (admin)', function () {
  this.timeout(60_000);
  let t: TestHub;
  const create = (body: Record<string, unknown>) =>
    t.call('POST', '/v1/keys', JSON.stringify(body), { 'content-type': 'application/json' });
  const use = (key: string) => fetch(`${t.url}/v1/queues`, { headers: { authorization: `Bearer ${key}` } });

  before(async () => {
    t = await startTestHub('postgres');
  });
  after(async () => t?.stop());

  it('creates a key shown once, lists it without the key, records its last use, and refuses it at once when revoked', async () => {
    const created = await create({ name: 'night-shift', role: 'ops' });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const { key, id, prefix } = (await created.json()) as { key: string; id: string; prefix: string };
    assert.match(key, /^chk_[A-Za-z0-9_-]{43}$/);
    assert.equal(key.slice(0, 12), prefix);
    assert.equal(created.headers.get('location'), `/v1/keys/${id}`);

    assert.equal((await use(key)).status, 200);
    const listing = await t.call('GET', '/v1/keys');
    const text = await listing.text();
    assert.ok(!text.includes(key), 'the key is never listed');
    const { rows } = await t.hub.store.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [id]);
    assert.ok(!text.includes(rows[0].key_hash), 'nor its hash');
    const record = (JSON.parse(text) as { items: KeyRecord[] }).items.find((item) => item.id === id)!;
    assert.equal(record.role, 'ops');
    for (let i = 0; i < 50 && !(await lastUsed(id)); i++) await sleep(50);
    assert.ok(await lastUsed(id), 'last use recorded');

    const revoked = await t.call('DELETE', `/v1/keys/${id}`);
    assert.equal(revoked.status, 200);
    assert.ok(((await revoked.json()) as KeyRecord).revokedAt);
    assert.equal((await use(key)).status, 401, 'refused at once in this process');
    assert.equal((await t.call('DELETE', `/v1/keys/${id}`)).status, 409);
    const all = (await (await t.call('GET', '/v1/keys?all=true')).json()) as { items: KeyRecord[] };
    assert.ok(all.items.some((item) => item.id === id && item.revokedAt));
    const active = (await (await t.call('GET', '/v1/keys')).json()) as { items: KeyRecord[] };
    assert.ok(!active.items.some((item) => item.id === id));
  });

  async function lastUsed(id: string): Promise<string | null> {
    const { items } = (await (await t.call('GET', '/v1/keys')).json()) as { items: KeyRecord[] };
    return items.find((item) => item.id === id)?.lastUsedAt ?? null;
  }

  it('keeps each creation and revocation in the audit trail, with no key material', async () => {
    const created = (await (await create({ name: 'auditor-1', role: 'auditor' })).json()) as { key: string; id: string };
    await t.call('DELETE', `/v1/keys/${created.id}`);
    const { items } = (await (await t.call('GET', `/v1/audit?resource=key/${created.id}`)).json()) as {
      items: { action: string; actor: string; detail: unknown }[];
    };
    assert.deepEqual(
      items.map((item) => [item.action, item.actor]),
      [
        ['key.revoke', 'api:bootstrap'],
        ['key.create', 'api:bootstrap'],
      ],
    );
    assert.ok(!JSON.stringify(items).includes(created.key.slice(12)), 'no key in the trail');
  });

  it('refuses a name in use (409), an unknown role, sources on a non-source key and a past expiry (400)', async () => {
    assert.equal((await create({ name: 'dup', role: 'ops' })).status, 201);
    assert.equal((await create({ name: 'dup', role: 'auditor' })).status, 409);
    const badRole = await create({ name: 'x', role: 'superuser' });
    assert.equal(badRole.status, 400);
    assert.equal(((await badRole.json()) as { errors: { path: string }[] }).errors[0].path, '$.role');
    assert.equal((await create({ name: 'y', role: 'ops', sources: ['a'] })).status, 400);
    assert.equal((await create({ name: 'z', role: 'ops', expiresAt: '2020-01-01T00:00:00Z' })).status, 400);
  });

  it('stops accepting a key when it expires', async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const { key } = (await (await create({ name: 'short-lived', role: 'ops', expiresAt })).json()) as { key: string };
    assert.equal((await use(key)).status, 200);
    await sleep(1_700);
    const refused = await use(key);
    assert.equal(refused.status, 401);
    assert.match(((await refused.json()) as { detail: string }).detail, /unknown, revoked or expired/);
  });
});
