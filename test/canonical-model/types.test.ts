// Keeps types.ts and the JSON Schemas in step: a sample with every TypeScript field filled in
// must validate (so the schema accepts every field), and must contain every property the schema
// declares (so the schema has no field the type lacks).

import assert from 'node:assert/strict';
import { canonicalSchemas, checkCanonical, type Claim } from '../../canonical-model/index.js';
import { fullAcknowledgement, fullClaim, fullPriorAuthorization, fullRemittance } from './full-samples.js';
import { institutionalClaim, professionalClaim } from './fixtures.js';

type SchemaNode = {
  $id?: string;
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $defs?: Record<string, SchemaNode>;
};
const documents = new Map<string, SchemaNode>(
  Object.values(canonicalSchemas).map((schema) => [(schema as SchemaNode).$id!, schema as SchemaNode]),
);

/** Follows `other.schema.json#/$defs/X` and `#/$defs/X` relative to the document `base`. */
function resolve(ref: string, base: SchemaNode): [SchemaNode, SchemaNode] {
  const [file, pointer] = ref.split('#');
  const document = file ? documents.get(new URL(file, base.$id).href)! : base;
  const node = pointer
    .split('/')
    .slice(1)
    .reduce<SchemaNode>((n, key) => (n as Record<string, SchemaNode>)[key], document);
  return [node, document];
}

/** Schema properties the sample leaves out, as JSON paths. */
function undeclaredInSample(node: SchemaNode, document: SchemaNode, value: unknown, path = '$'): string[] {
  if (node.$ref) {
    const [target, targetDocument] = resolve(node.$ref, document);
    return undeclaredInSample(target, targetDocument, value, path);
  }
  if (Array.isArray(value)) {
    return node.items ? value.flatMap((item, i) => undeclaredInSample(node.items!, document, item, `${path}[${i}]`)) : [];
  }
  if (!node.properties || typeof value !== 'object' || value === null) return [];
  return Object.entries(node.properties).flatMap(([key, child]) =>
    key in value ? undeclaredInSample(child, document, (value as Record<string, unknown>)[key], `${path}.${key}`) : [`${path}.${key}`],
  );
}

describe('canonical-model types and schemas', () => {
  const samples = [fullClaim, fullPriorAuthorization, fullRemittance, fullAcknowledgement];

  for (const sample of samples) {
    it(`validates ${sample.resourceType} with every field of its type filled in`, () => {
      assert.deepEqual(checkCanonical(sample), { errors: [], warnings: [] });
    });

    it(`declares no ${sample.resourceType} field that the TypeScript type lacks`, () => {
      const schema = canonicalSchemas[sample.resourceType] as SchemaNode;
      assert.deepEqual(undeclaredInSample(schema, schema, sample), []);
    });
  }

  it('types the shipped claim fixtures as Claim and validates them', () => {
    const claims: Claim[] = [professionalClaim(), institutionalClaim()];
    for (const claim of claims) assert.deepEqual(checkCanonical(claim), { errors: [], warnings: [] });
  });
});
