// Schema pieces the v1 route tables share: ids, pages, problem answers. They feed both ajv and
// the OpenAPI document, so what is documented is what is checked.
import type { BodySpec, JsonSchema, ResponseSpec } from '../route-table.js';

export const idParam = (what: string): JsonSchema => ({ type: 'string', format: 'uuid', description: `The ${what}'s id.` });

export const json = (type: 'object' | 'array', description?: string): JsonSchema => ({ type, ...(description ? { description } : {}) });

export const problemAnswer = (description: string): ResponseSpec => ({
  description,
  contentType: 'application/problem+json',
  schema: { $ref: '#/components/schemas/Problem' },
});

export const limitParam: JsonSchema = { type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'Page size.' };
export const cursorParam: JsonSchema = { type: 'string', maxLength: 500, description: 'The nextCursor of the previous page.' };

/** A required reason an operator types, kept in the audit trail. */
export const reasonBody = (example: string): JsonSchema => ({
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 1000, pattern: '\\S', description: 'Why; kept in the audit trail.' } },
  examples: [{ reason: example }],
});

/** A page of items with the cursor of the next one. */
export const pageSchema = (item: JsonSchema = { type: 'object' }): JsonSchema => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: item }, nextCursor: { type: 'string' } },
});

/** A JSON request body: checked by `schema` (ajv) and documented with it; required unless said. */
export const jsonBody = (schema: JsonSchema, options: { required?: boolean; example?: unknown } = {}): BodySpec => ({
  required: options.required ?? true,
  parse: 'json',
  content: { 'application/json': { schema, ...(options.example === undefined ? {} : { example: options.example }) } },
});
