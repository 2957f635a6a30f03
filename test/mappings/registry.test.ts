import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../canonical-model/errors.js';
import { MappingRegistry } from '../../mappings/registry.js';
import { createTranslator } from '../../mappings/translate.js';
import { eventually } from '../support/eventually.js';
import { acceptanceBundle, mappingYaml, tempDir, writeFile } from './helpers.js';

function loadError(dirs: string[]): ConfigError {
  try {
    MappingRegistry.load(dirs);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error;
  }
  assert.fail('the mappings loaded');
}

describe('mapping registry', () => {
  it('lets a later directory override a mapping of the same name, for the message types it declares', () => {
    const shipped = tempDir({ 'claim.mapping.yaml': mappingYaml({ version: '1.0.0' }) });
    const site = tempDir({ 'nested/claim.mapping.yaml': mappingYaml({ version: '2.0.0', messageTypes: '[Claim]' }) });
    const registry = MappingRegistry.load([shipped, site]);
    assert.equal(registry.get('test-claim')?.version, '2.0.0');
    assert.equal(registry.select('fhir-r4', 'Claim')?.version, '2.0.0');
    assert.equal(registry.select('fhir-r4', 'Bundle'), undefined, 'the override does not take Bundles');
    assert.deepEqual(registry.list().map((m) => `${m.name}@${m.version}`), ['test-claim@2.0.0']);
  });

  it('lets a later directory take a message type with a mapping of another name, keeping the first by name', () => {
    const shipped = tempDir({ 'claim.mapping.yaml': mappingYaml() });
    const site = tempDir({ 'site.mapping.yaml': mappingYaml({ name: 'site-bundles', messageTypes: '[Bundle]' }) });
    const registry = MappingRegistry.load([shipped, site]);
    assert.equal(registry.select('fhir-r4', 'Bundle')?.name, 'site-bundles');
    assert.equal(registry.select('fhir-r4', 'Claim')?.name, 'test-claim');
    assert.equal(registry.get('test-claim')?.name, 'test-claim');
  });

  it('refuses two mappings of one directory that share a name or a message type', () => {
    const twins = tempDir({ 'a.mapping.yaml': mappingYaml(), 'b.mapping.yaml': mappingYaml() });
    assert.match(loadError([twins]).message, /two mapping files are named test-claim: .*a\.mapping\.yaml and .*b\.mapping\.yaml/);
    const rivals = tempDir({ 'a.mapping.yaml': mappingYaml({ name: 'one' }), 'b.mapping.yaml': mappingYaml({ name: 'two', messageTypes: '[Claim]' }) });
    assert.match(loadError([rivals]).message, /\(one\) and .*\(two\) both translate fhir-r4 Claim/);
  });

  it('reports every broken file at start-up, not just the first', () => {
    const dir = tempDir({ 'a.mapping.yaml': mappingYaml({ name: 'a', version: 'one' }), 'b.mapping.yaml': mappingYaml({ name: 'b', output: '{' }) });
    const error = loadError([dir]);
    assert.match(error.message, /a\.mapping\.yaml: version: must be semver/);
    assert.match(error.message, /b\.mapping\.yaml: output: JSONata syntax error/);
  });

  it('hot-reloads an edit, keeps the previous version through a broken edit, and reports it', async () => {
    const dir = tempDir({ 'claim.mapping.yaml': mappingYaml({ version: '1.0.0' }) });
    const registry = MappingRegistry.load([dir]);
    const errors: ConfigError[] = [];
    let reloads = 0;
    const stop = registry.watch((error) => errors.push(error), () => { reloads++; });
    try {
      writeFile(dir, 'claim.mapping.yaml', mappingYaml({ version: '1.1.0' }));
      await eventually(async () => registry.get('test-claim')?.version === '1.1.0' || undefined, 5000, 'the edit to load');

      const before = reloads;
      writeFile(dir, 'claim.mapping.yaml', mappingYaml({ version: '1.2.0', output: "{ 'claimNumber': " }));
      await eventually(async () => (reloads > before && errors.length > 0) || undefined, 5000, 'the broken edit to be reported');
      assert.equal(registry.get('test-claim')?.version, '1.1.0', 'the previous version stays in service');
      assert.match(errors[0].message, /claim\.mapping\.yaml: output: JSONata syntax error/);

      writeFile(dir, 'claim.mapping.yaml', mappingYaml({ version: '1.2.0' }));
      await eventually(async () => registry.get('test-claim')?.version === '1.2.0' || undefined, 5000, 'the fix to load');
      rmSync(join(dir, 'claim.mapping.yaml'));
      await eventually(async () => registry.list().length === 0 || undefined, 5000, 'the deleted mapping to drop out');
    } finally {
      stop();
    }
  });

  it('stamps what an installation mapping produces with its own name@version', async () => {
    const site = tempDir({
      'claim.mapping.yaml': mappingYaml({ name: 'fhir-r4-claim', version: '7.0.0-site', output: "{ 'resourceType': 'Claim', 'claimNumber': identifier[0].value }" }),
    });
    const translator = await createTranslator({ mappingDirs: [site] });
    const result = await translator.testMapping('fhir-r4-claim', JSON.stringify(acceptanceBundle()));
    assert.equal(result.mapping, 'fhir-r4-claim@7.0.0-site');
    assert.equal((result.objects[0] as { provenance: { mapping: string } }).provenance.mapping, 'fhir-r4-claim@7.0.0-site');
    assert.ok(result.issues.some((issue) => issue.path === '$.type'), 'the site mapping output is validated like any other');
  });
});
