// The architect's write side of mappings: a version is sent as its YAML file, stored without
// running, tried on a sample, activated in every hub process sharing the database, and rolled
// back; every refusal names what is wrong, and every change is in the audit trail.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { STORE_KINDS } from '../support/services.js';

const SHIPPED_CLAIM = fileURLToPath(new URL('../../mappings/fhir-r4/claim.mapping.yaml', import.meta.url));
const FHIR = { 'content-type': 'application/fhir+json' };
const YAML = { 'content-type': 'application/yaml' };
const JSON_BODY = { 'content-type': 'application/json' };

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { path: string; rule: string; message: string }[];
}
interface Activation {
  name: string;
  active: { version: string; origin: string } | null;
  previous: { version: string; origin: string } | null;
  changed: boolean;
}

for (const kind of STORE_KINDS) {
  describe(`mapping versions through the API (${kind})`, function () {
    this.timeout(120_000);
    let hub: TestHub;
    /** A second process of the same installation (PostgreSQL only: PGlite admits one process). */
    let peer: TestHub | undefined;
    let shipped: string;
    const withVersion = (version: string, text = shipped) => text.replace(/^version: .*$/m, `version: "${version}"`);

    before(async () => {
      shipped = await readFile(SHIPPED_CLAIM, 'utf8');
      hub = await startTestHub(kind);
      if (kind === 'postgres') peer = await startTestHub(kind, undefined, { sharing: hub });
    });
    after(async () => {
      await peer?.stop();
      await hub?.stop();
    });

    const json = async <T>(res: Response, status: number): Promise<T> => {
      const text = await res.text();
      assert.equal(res.status, status, text);
      return JSON.parse(text) as T;
    };
    const activate = (name: string, version: string, reason?: string) =>
      hub.call('POST', `/v1/mappings/${name}/activate`, JSON.stringify({ version, ...(reason ? { reason } : {}) }), JSON_BODY);
    const rollback = (name: string) => hub.call('POST', `/v1/mappings/${name}/rollback`, JSON.stringify({ reason: 'testing' }), JSON_BODY);

    /** The mapping that translated a claim submitted to `on` (name@version, from its lineage). */
    async function mappingOf(on: TestHub): Promise<string> {
      const claimNumber = `MV-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
      const body = (await readFile(ACCEPTANCE_BUNDLE, 'utf8')).replace('ACC-5520-01', claimNumber);
      const { id } = await json<{ id: string }>(await on.call('POST', '/v1/messages', body, FHIR), 202);
      const view = await json<{ events: { event: string; mapping?: string }[] }>(await on.call('GET', `/v1/messages/${id}`), 200);
      return view.events.find((e) => e.event === 'mapped')!.mapping!;
    }

    it('stores a new version without running it, tries it on a sample, then runs it everywhere on activation', async () => {
      const before = await json<{ active: unknown; versions: { version: string; origin: string }[] }>(
        await hub.call('GET', '/v1/mappings/fhir-r4-claim/versions'),
        200,
      );
      assert.deepEqual(before.active, { version: '1.0.0', origin: 'file' });
      assert.deepEqual(
        before.versions.map((v) => `${v.origin}:${v.version}`),
        ['file:1.0.0'],
      );

      const added = await hub.call('POST', '/v1/mappings/fhir-r4-claim/versions?note=referring%20provider', withVersion('1.1.0'), YAML);
      const version = await json<{ version: string; origin: string; active: boolean; createdBy: string; note: string; checksum: string }>(
        added,
        201,
      );
      assert.equal(added.headers.get('location'), '/v1/mappings/fhir-r4-claim/versions/1.1.0');
      assert.deepEqual([version.version, version.origin, version.active, version.note], ['1.1.0', 'store', false, 'referring provider']);
      assert.match(version.createdBy, /^api:/);
      assert.match(version.checksum, /^[0-9a-f]{64}$/);
      const stored = await json<{ text: string }>(await hub.call('GET', '/v1/mappings/fhir-r4-claim/versions/1.1.0'), 200);
      assert.equal(stored.text, withVersion('1.1.0'));

      // Stored, not running: messages still map with the file.
      assert.equal(await mappingOf(hub), 'fhir-r4-claim@1.0.0');
      const bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
      const trial = await json<{ mapping: string; ok: boolean; objects: unknown[] }>(
        await hub.call('POST', '/v1/mappings/fhir-r4-claim/test?version=1.1.0', bundle, FHIR),
        200,
      );
      assert.deepEqual([trial.mapping, trial.ok, trial.objects.length], ['fhir-r4-claim@1.1.0', true, 1]);

      const activated = await json<Activation>(await activate('fhir-r4-claim', '1.1.0', 'referring provider for payer X'), 200);
      assert.deepEqual(activated.active, { version: '1.1.0', origin: 'store' });
      assert.deepEqual(activated.previous, { version: '1.0.0', origin: 'file' });
      assert.equal(activated.changed, true);
      // This process runs it before it answers; the other within its poll.
      assert.equal(await mappingOf(hub), 'fhir-r4-claim@1.1.0');
      if (peer) {
        await eventually(
          async () => ((await mappingOf(peer!)) === 'fhir-r4-claim@1.1.0' ? true : undefined),
          10_000,
          'the peer to run 1.1.0',
        );
      }
      const listed = await json<{ items: { name: string; version: string; origin: string; file?: string }[] }>(
        await hub.call('GET', '/v1/mappings'),
        200,
      );
      const claim = listed.items.find((m) => m.name === 'fhir-r4-claim')!;
      assert.deepEqual([claim.version, claim.origin, claim.file], ['1.1.0', 'store', undefined]);
      assert.equal((await json<{ text: string }>(await hub.call('GET', '/v1/mappings/fhir-r4-claim'), 200)).text, withVersion('1.1.0'));

      // Asking again changes nothing and records nothing.
      assert.equal((await json<Activation>(await activate('fhir-r4-claim', '1.1.0'), 200)).changed, false);
    });

    it('refuses a second mapping that would take the message types an active stored version takes, naming both', async () => {
      const alternative = withVersion('1.0.0', shipped.replace(/^name: .*$/m, 'name: alt-fhir-claim'));
      await json(await hub.call('POST', '/v1/mappings/alt-fhir-claim/versions', alternative, YAML), 201);
      const refused = await json<Problem>(await activate('alt-fhir-claim', '1.0.0'), 409);
      assert.match(
        refused.detail,
        /alt-fhir-claim 1\.0\.0 cannot run: .*store:fhir-r4-claim@1\.1\.0 \(fhir-r4-claim\) and store:alt-fhir-claim@1\.0\.0 \(alt-fhir-claim\) both translate fhir-r4 (Claim|Bundle)/,
      );
      assert.equal(refused.errors?.[0].rule, 'mapping-clash');
      assert.equal(await mappingOf(hub), 'fhir-r4-claim@1.1.0');
    });

    it('rolls back to the version before (the file), then forth, and a mapping without a file stops running', async () => {
      const back = await json<Activation>(await rollback('fhir-r4-claim'), 200);
      assert.deepEqual(
        [back.active, back.previous],
        [
          { version: '1.0.0', origin: 'file' },
          { version: '1.1.0', origin: 'store' },
        ],
      );
      assert.equal(await mappingOf(hub), 'fhir-r4-claim@1.0.0');
      if (peer) {
        await eventually(
          async () => ((await mappingOf(peer!)) === 'fhir-r4-claim@1.0.0' ? true : undefined),
          10_000,
          'the peer to roll back',
        );
      }
      assert.deepEqual((await json<Activation>(await rollback('fhir-r4-claim'), 200)).active, { version: '1.1.0', origin: 'store' });
      assert.deepEqual((await json<Activation>(await rollback('fhir-r4-claim'), 200)).active, { version: '1.0.0', origin: 'file' });

      // With the file running again, the other mapping may take its message types above it.
      assert.deepEqual((await json<Activation>(await activate('alt-fhir-claim', '1.0.0'), 200)).active, {
        version: '1.0.0',
        origin: 'store',
      });
      assert.equal(await mappingOf(hub), 'alt-fhir-claim@1.0.0');
      const stopped = await json<Activation>(await rollback('alt-fhir-claim'), 200);
      assert.equal(stopped.active, null);
      assert.equal(await mappingOf(hub), 'fhir-r4-claim@1.0.0');
      const alt = await json<{ active: unknown; activations: { action: string; version: string; origin: string; actor: string }[] }>(
        await hub.call('GET', '/v1/mappings/alt-fhir-claim/versions'),
        200,
      );
      assert.equal(alt.active, null);
      assert.deepEqual(
        alt.activations.map((a) => `${a.action}:${a.origin}`),
        ['rollback:none', 'activate:store'],
      );

      const history = await json<{ activations: { action: string; version: string; reason: string | null }[] }>(
        await hub.call('GET', '/v1/mappings/fhir-r4-claim/versions'),
        200,
      );
      assert.deepEqual(
        history.activations.map((a) => `${a.action} ${a.version}`),
        ['rollback 1.0.0', 'rollback 1.1.0', 'rollback 1.0.0', 'activate 1.1.0'],
      );
      assert.equal(history.activations[3].reason, 'referring provider for payer X');
    });

    it('names what is wrong with a version that does not load, and refuses versions that exist', async () => {
      const syntax = await json<Problem>(
        await hub.call('POST', '/v1/mappings/fhir-r4-claim/versions', 'name: [unclosed\nversion: "2.0.0"\n', YAML),
        422,
      );
      assert.equal(syntax.title, 'The mapping file is invalid');
      assert.match(syntax.detail, /YAML syntax error/);
      assert.match(syntax.errors![0].path, /line \d+ column \d+/);

      const jsonata = await json<Problem>(
        await hub.call(
          'POST',
          '/v1/mappings/fhir-r4-claim/versions',
          withVersion('2.0.0').replace(/^output: \|/m, 'output: |\n  (((('),
          YAML,
        ),
        422,
      );
      assert.equal(jsonata.errors![0].path, 'store:fhir-r4-claim@2.0.0: output');
      assert.equal(jsonata.errors![0].rule, 'jsonata-syntax');

      const missing = await json<Problem>(
        await hub.call('POST', '/v1/mappings/fhir-r4-claim/versions', withVersion('2.0.0').replace(/^target: .*$/m, ''), YAML),
        422,
      );
      assert.match(missing.detail, /target is required/);

      const crosswalk = await json<Problem>(
        await hub.call(
          'POST',
          '/v1/mappings/fhir-r4-claim/versions',
          withVersion('2.0.0').replace(/\.\.\/crosswalks\/fhir-claim-type\.yaml/, '../crosswalks/nowhere.yaml'),
          YAML,
        ),
        422,
      );
      assert.match(crosswalk.detail, /nowhere\.yaml does not exist/);

      const renamed = await json<Problem>(await hub.call('POST', '/v1/mappings/other-name/versions', withVersion('2.0.0'), YAML), 422);
      assert.equal(renamed.errors![0].rule, 'name-matches-path');

      const taken = await json<Problem>(await hub.call('POST', '/v1/mappings/fhir-r4-claim/versions', withVersion('1.1.0'), YAML), 409);
      assert.match(taken.detail, /already has a version 1\.1\.0/);
      const fileVersion = await json<Problem>(await hub.call('POST', '/v1/mappings/fhir-r4-claim/versions', shipped, YAML), 409);
      assert.match(fileVersion.detail, /1\.0\.0 is the version of its file/);

      assert.equal(
        (await hub.call('POST', '/v1/mappings/fhir-r4-claim/versions', JSON.stringify({ text: shipped }), JSON_BODY)).status,
        415,
      );
      assert.equal((await hub.call('POST', '/v1/mappings/fhir-r4-claim/versions', '  ', YAML)).status, 422);
      // None of these was stored.
      const { versions } = await json<{ versions: { version: string }[] }>(
        await hub.call('GET', '/v1/mappings/fhir-r4-claim/versions'),
        200,
      );
      assert.deepEqual(
        versions.map((v) => v.version),
        ['1.0.0', '1.1.0'],
      );
    });

    it('answers 404 for unknown mappings and versions, and 409 when there is nothing to roll back to', async () => {
      const unknownVersion = await json<Problem>(await activate('fhir-r4-claim', '9.9.9'), 404);
      assert.match(unknownVersion.detail, /fhir-r4-claim has no version 9\.9\.9 \(versions: 1\.0\.0 \(file\), 1\.1\.0\)/);
      await json<Problem>(await activate('no-such-mapping', '1.0.0'), 404);
      await json<Problem>(await hub.call('GET', '/v1/mappings/no-such-mapping/versions'), 404);
      await json<Problem>(await hub.call('GET', '/v1/mappings/fhir-r4-claim/versions/9.9.9'), 404);
      await json<Problem>(await hub.call('POST', '/v1/mappings/fhir-r4-claim/test?version=9.9.9', 'x', FHIR), 404);
      // Path parameters are checked by the schemas the OpenAPI document gives them.
      const upper = await json<Problem>(await hub.call('GET', '/v1/mappings/FHIR-R4-Claim/versions'), 400);
      assert.equal(upper.errors?.[0].path, 'name');
      assert.match(upper.detail, /path parameter name: .*got "FHIR-R4-Claim"/);
      assert.equal((await json<Problem>(await hub.call('GET', '/v1/mappings/fhir-r4-claim/versions/1.0.0%20or%201'), 400)).errors?.[0].path, 'version');
      const never = await json<Problem>(await rollback('hl7v2-adt-patient-update'), 409);
      assert.match(never.detail, /runs its file \(1\.0\.0\) and nothing ran before it/);
      const badBody = await json<Problem>(
        await hub.call('POST', '/v1/mappings/fhir-r4-claim/activate', JSON.stringify({ version: '1.1.0', force: true }), JSON_BODY),
        400,
      );
      assert.match(JSON.stringify(badBody.errors), /force/);
    });

    it('records each change in the audit trail, which still verifies', async () => {
      const audit = await json<{ items: { action: string; resource: string; actor: string; detail?: Record<string, unknown> }[] }>(
        await hub.call('GET', '/v1/audit?resource=mapping/&limit=100'),
        200,
      );
      const actions = audit.items.map((r) => `${r.action} ${r.resource}`);
      assert.ok(actions.includes('mapping.version.create mapping/fhir-r4-claim@1.1.0'), actions.join('\n'));
      assert.ok(actions.includes('mapping.version.create mapping/alt-fhir-claim@1.0.0'), actions.join('\n'));
      assert.equal(
        actions.filter((a) => a === 'mapping.activate mapping/fhir-r4-claim').length,
        1,
        'the repeated activation wrote nothing',
      );
      assert.equal(actions.filter((a) => a === 'mapping.rollback mapping/fhir-r4-claim').length, 3);
      const activation = audit.items.find((r) => r.action === 'mapping.activate' && r.resource === 'mapping/fhir-r4-claim')!;
      assert.deepEqual(activation.detail, {
        version: '1.1.0',
        origin: 'store',
        previous: { version: '1.0.0', origin: 'file' },
        reason: 'referring provider for payer X',
      });
      assert.equal((await json<{ ok: boolean }>(await hub.call('GET', '/v1/audit/verify'), 200)).ok, true);
    });

    // A second process of the same installation starts with what runs (PostgreSQL: shared by processes).
    if (kind === 'postgres')
      it('runs the active stored versions in a process that starts later', async () => {
        await json(await activate('fhir-r4-claim', '1.1.0', 'again'), 200);
        await peer!.stop();
        peer = await startTestHub(kind, undefined, { sharing: hub });
        assert.equal(await mappingOf(peer), 'fhir-r4-claim@1.1.0');
      });
  });
}
