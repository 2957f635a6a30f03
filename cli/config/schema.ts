// JSON Schema of claimhub.config.yaml (published by `claimhub config schema` for editors).
const duration = {
  description: 'A duration: milliseconds as a number, or text like "200ms", "1s", "10m", "1h".',
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$' },
  ],
};

const retry = {
  type: 'object',
  additionalProperties: false,
  properties: {
    attempts: { type: 'integer', minimum: 1, maximum: 100 },
    backoff: {
      type: 'object',
      additionalProperties: false,
      properties: { type: { enum: ['exponential', 'fixed'] }, delay: duration, max: duration },
    },
  },
};

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$' };

export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://claimhub.dev/schemas/claimhub.config.schema.json',
  title: 'claimhub configuration',
  type: 'object',
  additionalProperties: false,
  properties: {
    dataDir: { type: 'string', description: 'Embedded database, outbox and local files (CLAIMHUB_DATA_DIR).' },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    apiKey: { type: 'string', minLength: 16, description: 'Bootstrap admin API key; use "env:NAME".' },
    gateway: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        host: { type: 'string' },
        bodyLimit: { type: 'string', pattern: '^[0-9]+(b|kb|mb)$', description: 'Largest request body, e.g. "5mb".' },
        x12BodyLimit: {
          type: 'string',
          pattern: '^[0-9]+(b|kb|mb)$',
          description: 'Largest X12 body sent as Content-Type application/edi-x12 (or application/x12): batch interchanges run to tens of MB. Default "64mb".',
        },
      },
    },
    database: { type: 'object', additionalProperties: false, properties: { url: { type: 'string' } } },
    redis: {
      type: 'object',
      additionalProperties: false,
      properties: { url: { type: 'string' }, prefix: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' } },
    },
    mappings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dirs: { type: 'array', items: { type: 'string' } },
        threads: {
          type: 'integer',
          minimum: 0,
          maximum: 64,
          description: 'Worker threads that run mappings (0: on the main thread). Default: cores − 1.',
        },
      },
    },
    ingest: {
      type: 'object',
      additionalProperties: false,
      properties: { concurrency: { type: 'integer', minimum: 1, maximum: 1000 }, retry },
    },
    recovery: {
      type: 'object',
      additionalProperties: false,
      properties: { every: duration, grace: duration },
    },
    routing: {
      type: 'object',
      additionalProperties: false,
      properties: { mode: { enum: ['first-match', 'fan-out'] } },
    },
    destinations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type'],
        properties: { id, type: { const: 'file' } },
        allOf: [
          {
            if: { properties: { type: { const: 'file' } } },
            then: {
              additionalProperties: false,
              required: ['dir'],
              properties: {
                id: true,
                type: true,
                retry,
                dir: { type: 'string', minLength: 1 },
                concurrency: { type: 'integer', minimum: 1, maximum: 1000 },
              },
            },
          },
        ],
      },
    },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'to'],
        properties: {
          name: { type: 'string', minLength: 1 },
          when: { type: 'string', minLength: 1, description: 'JSONata predicate over the canonical object.' },
          to: { type: 'array', minItems: 1, items: id },
          priority: { type: 'integer', minimum: 1, maximum: 2097152 },
        },
      },
    },
  },
} as const;
