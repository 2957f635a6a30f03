// A file-drop source while PostgreSQL is unreachable: the intake cannot commit, so the file is not
// accepted — it stays in the folder, nothing is archived — and it is taken once, as one message,
// when the store answers again.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hub } from '../../cli/hub.js';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { clearRedisPrefix, postgresSchema, POSTGRES_URL, uniqueName } from '../support/services.js';
import { messagesFrom, namesIn, startHubIn, type HubPlace } from './source-hub.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const CONFIG = `sources:
  - id: drop
    type: file
    dir: ./inbox
    every: 200ms
    settle: 300ms
`;

describe('file source during a store outage (postgres)', function () {
  this.timeout(90_000);
  let place: HubPlace;
  let hub: Hub;
  let proxy: TcpProxy;
  let dropSchema: () => Promise<void>;
  const inbox = () => join(place.dataDir, 'inbox');
  const archive = () => join(inbox(), 'archive');

  before(async () => {
    const schema = await postgresSchema();
    dropSchema = schema.drop;
    const target = new URL(POSTGRES_URL);
    proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
    // The hub reaches PostgreSQL only through the proxy.
    const url = new URL(schema.url);
    url.host = `127.0.0.1:${proxy.port}`;
    place = { dataDir: await mkdtemp(join(tmpdir(), 'claimhub-outage-')), prefix: uniqueName('choutage'), databaseUrl: url.toString() };
    hub = await startHubIn(place, CONFIG);
  });
  after(async () => {
    await hub?.close();
    await proxy?.cut();
    await clearRedisPrefix(place.prefix);
    await dropSchema?.();
    await rm(place.dataDir, { recursive: true, force: true });
  });

  it('leaves the file in the folder while the store is down and takes it once when it is back', async () => {
    const bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    await writeFile(join(inbox(), 'before.json'), bundle.replace('ACC-5520-01', 'OUTAGE-BEFORE'));
    await eventually(async () => ((await namesIn(inbox())).includes('before.json') ? undefined : true), 20_000, 'before.json taken');

    await proxy.cut();
    await writeFile(join(inbox(), 'during.json'), bundle.replace('ACC-5520-01', 'OUTAGE-DURING'));
    await new Promise((r) => setTimeout(r, 3_000)); // several attempts, each refused by the store
    assert.ok((await namesIn(inbox())).includes('during.json'), 'not accepted, so not moved');
    assert.deepEqual(
      (await namesIn(archive())).filter((n) => n.endsWith('_during.json')),
      [],
    );

    await proxy.restore();
    await eventually(async () => ((await namesIn(inbox())).includes('during.json') ? undefined : true), 30_000, 'during.json taken');
    const messages = (await messagesFrom(hub.store.db, 'drop')).filter((m) => m.raw.includes('OUTAGE-DURING'));
    assert.equal(messages.length, 1);
    assert.notEqual(messages[0].status, 'failed');
    assert.deepEqual(
      (await namesIn(archive())).filter((n) => n.endsWith('_during.json')).map((n) => n.replace(/^\d{8}T\d{6}Z_/, '')),
      [`${messages[0].id}_during.json`],
    );
  });
});
