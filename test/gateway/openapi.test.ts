// The OpenAPI document: valid OpenAPI 3.1 by the official schema, one operation per route the
// gateway answers, and its request schemas are the ones requests are refused by.
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestHub, type TestHub } from '../support/hub.js';

interface Operation {
  operationId: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean; required?: string[] } }> };
  parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
  'x-claimhub-roles': string[];
}
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
};

describe('gateway: the OpenAPI 3.1 document and the docs page', function () {
  this.timeout(60_000);
  let t: TestHub;
  let document: Document;

  before(async () => {
    t = await startTestHub('pglite');
    const response = await fetch(`${t.url}/v1/openapi.json`);
    assert.equal(response.status, 200);
    document = (await response.json()) as Document;
  });
  after(async () => t?.stop());

  it('validates as OpenAPI 3.1 against the official schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2)?.slice(0, 3000));
    assert.equal(validator.version, '3.1');
    assert.equal(document.openapi, '3.1.0');
  });

  it('lists each route once with a unique operation id, and marks the public ones as needing no credentials', () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    const ids = operations.map((operation) => operation.operationId);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(operations.length >= 26, `${operations.length} operations`);
    const publicOnes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.security?.length === 0)
        .map(([method]) => `${method} ${path}`),
    );
    assert.deepEqual(publicOnes.sort(), ['get /v1/docs', 'get /v1/docs/init.js', 'get /v1/openapi.json']);
    assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), ['apiKey', 'apiKeyHeader']);
  });

  it('refuses a request body by the schema it documents (unknown property, missing reason)', async () => {
    const discard = document.paths['/v1/dead-letters/{id}/discard'].post;
    const schema = discard.requestBody!.content['application/json'].schema;
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ['reason']);
    const id = '00000000-0000-4000-8000-000000000000';
    const extra = await t.call('POST', `/v1/dead-letters/${id}/discard`, JSON.stringify({ reason: 'x', colour: 'red' }), {
      'content-type': 'application/json',
    });
    assert.equal(extra.status, 400);
    const problem = (await extra.json()) as { errors: { path: string; rule: string }[] };
    assert.deepEqual(
      problem.errors.map((e) => [e.path, e.rule]),
      [['$.colour', 'additionalProperties']],
    );
    const limit = document.paths['/v1/dead-letters'].get.parameters!.find((p) => p.name === 'limit')!;
    assert.equal(limit.schema.maximum, 500);
    const tooMany = await t.call('GET', '/v1/dead-letters?limit=501');
    assert.equal(tooMany.status, 400);
    assert.equal(((await tooMany.json()) as { errors: { path: string }[] }).errors[0].path, 'limit');
    const notJson = await t.call('POST', `/v1/dead-letters/${id}/discard`, 'reason=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(notJson.status, 415);
  });

  it('serves a docs page whose scripts all come from this hub, under a content security policy', async () => {
    const page = await fetch(`${t.url}/v1/docs`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(scripts, ['/v1/docs/assets/swagger-ui-bundle.js', '/v1/docs/init.js']);
    assert.doesNotMatch(html, /<script>(?!<)/, 'no inline script');
    for (const asset of [...scripts, '/v1/docs/assets/swagger-ui.css']) {
      const response = await fetch(t.url + asset);
      assert.equal(response.status, 200, asset);
      assert.ok((await response.arrayBuffer()).byteLength > 10, asset);
    }
    assert.match(await (await fetch(`${t.url}/v1/docs/init.js`)).text(), /url: '\/v1\/openapi.json'/);
  });
});
