import assert from 'node:assert/strict';
import { cp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';

const SHIPPED = fileURLToPath(new URL('../../mappings/', import.meta.url));
const FHIR = { 'content-type': 'application/fhir+json' };

describe("an installation's own mapping version, hot-reloaded (PGlite)", function () {
  this.timeout(60_000);
  let t: TestHub;
  let mappingFile: string;

  before(async () => {
    // The hub is told about the mapping dir by its config; write the override before it starts.
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'claimhub-mappings-'));
    await mkdir(join(dir, 'fhir-r4'));
    await cp(join(SHIPPED, 'crosswalks'), join(dir, 'crosswalks'), { recursive: true });
    mappingFile = join(dir, 'fhir-r4', 'claim.mapping.yaml');
    const shipped = await readFile(join(SHIPPED, 'fhir-r4', 'claim.mapping.yaml'), 'utf8');
    await writeFile(mappingFile, shipped.replace(/^version: .*$/m, 'version: "7.1.0"'));
    t = await startTestHub('pglite', `mappings:\n  dirs: [${JSON.stringify(dir)}]\n`);
  });
  after(async () => {
    await t?.stop();
  });

  async function mappingOf(claimNumber: string): Promise<string> {
    const body = (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', claimNumber);
    const res = await t.call('POST', '/v1/messages', body, FHIR);
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    const view = (await (await t.call('GET', `/v1/messages/${id}`)).json()) as { events: { event: string; mapping?: string }[] };
    return view.events.find((e) => e.event === 'mapped')!.mapping!;
  }

  it("maps with the installation's version instead of the shipped one", async () => {
    assert.equal(await mappingOf('OVR-1'), 'fhir-r4-claim@7.1.0');
  });

  it('picks up an edited mapping without a restart, and keeps the last good one when an edit is broken', async () => {
    const text = await readFile(mappingFile, 'utf8');
    await writeFile(mappingFile, text.replace(/^version: .*$/m, 'version: "7.2.0"'));
    await eventually(
      async () => ((await mappingOf(`OVR-${Date.now()}`)) === 'fhir-r4-claim@7.2.0' ? true : undefined),
      15_000,
      'reload of 7.2.0',
    );
    await writeFile(mappingFile, text.replace(/^version: .*$/m, 'version: "7.3.0"').replace(/^output: \|/m, 'output: |\n  (((('));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await mappingOf('OVR-BROKEN-EDIT'), 'fhir-r4-claim@7.2.0');
  });
});
