import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../canonical-model/errors.js';
import { compileMappingFile } from '../../mappings/mapping-file.js';
import { mappingYaml, tempDir } from './helpers.js';

function loadError(files: Record<string, string>, file = 'm.mapping.yaml'): ConfigError {
  const dir = tempDir(files);
  try {
    compileMappingFile(join(dir, file));
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('the mapping loaded');
}

describe('mapping files: checked and compiled at load', () => {
  it('compiles a valid file, with its name@version and the sha-256 of its content', () => {
    const text = mappingYaml({ name: 'my-claims', version: '2.1.0-rc.1' });
    const dir = tempDir({ 'm.mapping.yaml': text });
    const mapping = compileMappingFile(join(dir, 'm.mapping.yaml'));
    assert.equal(mapping.ref, 'my-claims@2.1.0-rc.1');
    assert.equal(mapping.checksum, createHash('sha256').update(readFileSync(join(dir, 'm.mapping.yaml'))).digest('hex'));
  });

  it('names the file and the key when the version is not semver', () => {
    const error = loadError({ 'm.mapping.yaml': mappingYaml({ version: '1.0' }) });
    assert.match(error.message, /m\.mapping\.yaml: version: must be semver MAJOR\.MINOR\.PATCH.*got "1\.0"/);
    assert.match(error.issues[0].path, /m\.mapping\.yaml: version$/);
    assert.equal(error.issues[0].rule, 'pattern');
  });

  it('names missing and unknown keys, and a wrong source format', () => {
    const error = loadError({ 'm.mapping.yaml': 'name: x\nversion: "1.0.0"\nsource: { format: fhir-r5, messageTypes: [Claim] }\ntarget: Claim\noutputs: "{}"\n' });
    const messages = error.issues.map((i) => i.message);
    assert.ok(messages.includes('output is required'), messages.join('\n'));
    assert.ok(messages.includes('unknown key outputs'), messages.join('\n'));
    assert.match(error.message, /source\.format: must be one of fhir-r4, x12, hl7v2, canonical, got "fhir-r5"/);
  });

  it('reports a JSONata syntax error with the key, the position and its line in the expression', () => {
    const error = loadError({ 'm.mapping.yaml': mappingYaml({ output: "{\n  'claimNumber': identifier[0].value,\n  'type': (type.coding[0].code\n}" }) });
    assert.match(error.message, /m\.mapping\.yaml: output: JSONata syntax error at position \d+ \(line \d column \d+\): /);
    assert.equal(error.issues[0].rule, 'jsonata-syntax');
  });

  it('points a syntax error in a binding at that binding', () => {
    const error = loadError({ 'm.mapping.yaml': mappingYaml({ extra: "bindings:\n  good: \"1 + 1\"\n  bad: \"$good +\"" }) });
    assert.match(error.message, /bindings\.bad: JSONata syntax error/);
  });

  it('catches a $crosswalk name the mapping does not declare, at load rather than at 3 a.m.', () => {
    const error = loadError({
      'm.mapping.yaml': mappingYaml({ extra: 'crosswalks:\n  claimType: types.yaml', output: "{ 'type': $crosswalk('claimTypes', type.coding[0].code) }" }),
      'types.yaml': 'oral: dental\n',
    });
    assert.match(error.message, /output: \$crosswalk\('claimTypes', …\) names a crosswalk the mapping does not declare \(declared: claimType\)/);
  });

  it('refuses a missing crosswalk file, and a binding that would hide a built-in', () => {
    assert.match(loadError({ 'm.mapping.yaml': mappingYaml({ extra: 'crosswalks:\n  gone: nowhere.csv' }) }).message,
      /crosswalks\.gone: cannot read nowhere\.csv: nowhere\.csv does not exist/);
    assert.match(loadError({ 'm.mapping.yaml': mappingYaml({ extra: 'bindings:\n  money: "1"' }) }).message,
      /bindings\.money: \$money is a built-in/);
    assert.match(loadError({ 'm.mapping.yaml': mappingYaml({ extra: 'bindings:\n  resolve: "1"' }) }).message,
      /bindings\.resolve: \$resolve is a built-in/);
  });

  it('reads CSV crosswalks (header row, quotes, comments) and refuses a repeated code', () => {
    const dir = tempDir({
      'm.mapping.yaml': mappingYaml({ extra: 'crosswalks:\n  roles: roles.csv', output: "{ 'a': $crosswalk('roles', 'primary'), 'b': $crosswalk('roles', 'odd'), 'c': $crosswalk('roles', 'none') }" }),
      'roles.csv': 'from,to\n# a comment\nprimary,rendering\n"odd","a, b"\n',
    });
    assert.deepEqual([...compileMappingFile(join(dir, 'm.mapping.yaml')).crosswalks.get('roles')!], [['primary', 'rendering'], ['odd', 'a, b']]);
    const error = loadError({ 'm.mapping.yaml': mappingYaml({ extra: 'crosswalks:\n  roles: roles.csv' }), 'roles.csv': 'from,to\nx,1\nx,2\n' });
    assert.match(error.message, /crosswalks\.roles: row 3 repeats the code "x"/);
  });

  it('reports YAML that does not parse with its line', () => {
    assert.match(loadError({ 'm.mapping.yaml': 'name: x\n  version: [\n' }).message, /m\.mapping\.yaml: line \d+ column \d+: YAML syntax error/);
  });
});
