// A destination with its own mapping (issue 5: "each destination with its own mapping"): an ERP
// that takes one invoice document per request gets exactly what its outbound mapping makes of
// each claim; a file destination writes that document; a mapping that refuses a claim makes a
// dead letter naming why, and a replay after the mapping is fixed sends the fixed document once.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ConfigError } from '../../canonical-model/errors.js';
import { FakeReceiver } from '../connectors/http/fake-receiver.js';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';

const invoiceMapping = (version: string, costCenter: string) => `name: erp-invoice
version: "${version}"
description: canonical claim → the ERP's invoice document
source:
  format: canonical
  messageTypes: [Claim]
target: external
bindings:
  center: |
    $exists(providers.billing.npi) ? '${costCenter}' : $refuse(['providers', 'billing', 'npi'], 'cost-center', 'no billing NPI to find the cost center by')
output: |
  {
    'invoiceNumber': claimNumber,
    'amount': totalCharge,
    'currency': currency,
    'costCenter': $center,
    'lines': $count(serviceLines)
  }
`;

describe('destinations with their own mapping (postgres)', function () {
  this.timeout(120_000);
  let erp: FakeReceiver;
  let t: TestHub;
  let dir: string;
  let bundle: string;

  const post = async (claimNumber: string, edit: (text: string) => string = (text) => text) => {
    const res = await t.call('POST', '/v1/messages', edit(bundle.replace('ACC-5520-01', claimNumber)), { 'content-type': 'application/fhir+json' });
    assert.equal(res.status, 202, await res.clone().text());
    return ((await res.json()) as { id: string }).id;
  };
  const statusOf = async (id: string) => (await t.hub.store.db.query<{ status: string }>('SELECT status FROM messages WHERE id = $1', [id])).rows[0].status;
  /** Waits for `status`; a timeout says where the message got to (its lineage), not only that it did not arrive. */
  const settled = async (id: string, status: string) => {
    try {
      await eventually(async () => ((await statusOf(id)) === status ? true : undefined), 30_000, `${id} ${status}`);
    } catch (error) {
      const { rows } = await t.hub.store.db.query(
        `SELECT to_char(at, 'HH24:MI:SS.MS') AS at, event, destination, error->>'message' AS error FROM message_events WHERE message_id = $1 ORDER BY id`,
        [id],
      );
      throw new Error(
        `${(error as Error).message}; it is ${await statusOf(id)}, lineage: ${JSON.stringify(rows)}; the hub's warnings: ${hubWarnings.slice(-10).join('')}`,
      );
    }
  };

  /** What the hub logged at warn and above (shown when a wait times out). */
  const hubWarnings: string[] = [];

  before(async () => {
    erp = await FakeReceiver.start();
    bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    dir = await mkdtemp(join(tmpdir(), 'claimhub-outbound-'));
    await writeFile(join(dir, 'erp-invoice.mapping.yaml'), invoiceMapping('1.0.0', 'CC-100'));
    t = await startTestHub(
      'postgres',
      `mappings:
  dirs: [${JSON.stringify(dir)}]
routing: { mode: fan-out }
destinations:
  - id: erp
    type: http
    url: ${erp.url('/invoices')}
    headers: { Authorization: "Bearer ${erp.token}" }
    perObject: true
    mapping: erp-invoice
    retry: { attempts: 2, backoff: { type: fixed, delay: 100ms } }
  - id: invoices
    type: file
    dir: ${JSON.stringify(join(dir, 'invoices'))}
    mapping: erp-invoice
routes:
  - name: every claim to the ERP and the invoice folder
    to: [erp, invoices]
`,
      { log: pino({ level: 'warn' }, { write: (line: string) => void hubWarnings.push(line) }) },
    );
  });
  after(async () => {
    await t?.stop();
    await erp?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends each claim as the document its destination mapping makes, and writes the same document to a file destination', async () => {
    const id = await post('OUT-MAP-1');
    await settled(id, 'delivered');
    const [request] = erp.requests.filter((r) => r.key?.startsWith(`${id}.erp`));
    assert.deepEqual(request.document, { invoiceNumber: 'OUT-MAP-1', amount: '283.31', currency: 'USD', costCenter: 'CC-100', lines: 2 });
    const files = (await readdir(join(dir, 'invoices'))).filter((name) => name.startsWith('OUT-MAP-1_'));
    assert.equal(files.length, 1);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'invoices', files[0]), 'utf8')), request.document);
  });

  it('dead-letters a claim its mapping refuses, with the refusal; replayed after the mapping is fixed, the fixed document goes once', async () => {
    await writeFile(join(dir, 'erp-invoice.mapping.yaml'), invoiceMapping('1.1.0', 'CC-200').replace("$exists(providers.billing.npi) ?", "$exists(providers.billing.nonsense) ?"));
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the hot reload
    const id = await post('OUT-MAP-2');
    await settled(id, 'dead-lettered');
    const { rows } = await t.hub.store.db.query<{ id: string; error_class: string; destination_id: string; error: { message: string } }>(
      "SELECT id, error_class, destination_id, error FROM dead_letters WHERE message_id = $1 AND status = 'open' ORDER BY destination_id",
      [id],
    );
    assert.deepEqual(rows.map((r) => [r.destination_id, r.error_class]), [['erp', 'mapping'], ['invoices', 'mapping']]);
    assert.match(rows[0].error.message, /erp-invoice.*no billing NPI to find the cost center by/);
    assert.equal(erp.requests.filter((r) => r.key?.startsWith(`${id}.erp`)).length, 0, 'nothing sent');

    await writeFile(join(dir, 'erp-invoice.mapping.yaml'), invoiceMapping('1.2.0', 'CC-300'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const row of rows) {
      const res = await t.call('POST', `/v1/dead-letters/${row.id}/replay`, JSON.stringify({ mode: 'from-failed-stage' }), { 'content-type': 'application/json' });
      assert.equal(res.status, 202);
    }
    await settled(id, 'delivered');
    const sent = erp.requests.filter((r) => r.key?.startsWith(`${id}.erp`));
    assert.equal(sent.length, 1);
    assert.equal((sent[0].document as { costCenter: string }).costCenter, 'CC-300');
  });

  it('refuses to start with a destination mapping that does not exist or does not read canonical objects', async () => {
    await assert.rejects(
      startTestHub('pglite', 'destinations:\n  - { id: out, type: file, dir: ./out, mapping: no-such-mapping }\nroutes:\n  - { name: all, to: [out] }\n'),
      (error: unknown) => error instanceof ConfigError && /destinations\[0\]\.mapping: no mapping named "no-such-mapping"/.test(error.message),
    );
    await assert.rejects(
      startTestHub('pglite', 'destinations:\n  - { id: out, type: file, dir: ./out, mapping: fhir-r4-claim }\nroutes:\n  - { name: all, to: [out] }\n'),
      (error: unknown) => error instanceof ConfigError && /reads fhir-r4, not canonical objects/.test(error.message),
    );
  });
});
