// The OpenAPI 3.1 document of a version, generated from its route table: the schemas in it are the
// ones ajv checks requests with, and the roles are the ones the gateway enforces.
import { allowedRoles } from './roles.js';
import type { JsonSchema, RouteSpec } from './route-table.js';
import { querySchema } from './route-table.js';

export interface OpenApiOptions {
  version: string;
  /** The package version, shown as the document's info.version. */
  release: string;
  /** OIDC discovery URL, when bearer JWTs are accepted. */
  openIdConnectUrl?: string;
  deprecated?: boolean;
}

const PROBLEM: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Precise findings: where (JSON path, segment, field, line), which rule, what.',
      items: {
        type: 'object',
        required: ['path', 'rule', 'message'],
        properties: { path: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const AUDIT_RECORD: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: 'string' },
    role: { type: ['string', 'null'] },
    client: { type: ['string', 'null'] },
    action: { type: 'string' },
    resource: { type: 'string' },
    outcome: { enum: ['success', 'failure'] },
    requestId: { type: ['string', 'null'] },
    sourceIp: { type: ['string', 'null'] },
    detail: { type: ['object', 'null'] },
    hash: { type: 'string' },
  },
};

const problemResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { schema: { type: 'integer' }, description: 'Requests allowed in the window.' },
  'RateLimit-Remaining': { schema: { type: 'integer' } },
  'RateLimit-Reset': { schema: { type: 'integer' }, description: 'Seconds until the window resets.' },
  'Retry-After': { schema: { type: 'integer' } },
};

function operation(version: string, route: RouteSpec, options: OpenApiOptions): Record<string, unknown> {
  const roles = route.access === 'public' ? [] : [...allowedRoles(route.access)];
  const notes = [
    route.description,
    route.access === 'public' ? 'No credentials needed.' : `Roles: ${roles.join(', ')}.`,
    route.auditedRead ? 'Reads PHI: each call is recorded in the audit trail before it is answered.' : undefined,
  ].filter(Boolean);
  const query = querySchema(route) as { properties: Record<string, JsonSchema>; required: string[] };
  const parameters = [
    ...Object.entries(route.pathParams ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
    ...Object.entries(query.properties).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query.required.includes(name),
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      schema,
    })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } } : {}),
    };
  }
  if (route.access !== 'public') {
    responses['401'] ??= problemResponse('No credentials, or an unknown, revoked or expired key or token.');
    responses['403'] ??= problemResponse(`The client's role is not one of ${roles.join(', ')}.`);
  }
  responses['429'] ??= problemResponse('Over a rate limit.', RATE_LIMIT_HEADERS);
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: notes.join('\n\n'),
    tags: [route.tag],
    'x-claimhub-roles': roles,
    ...(route.auditedRead ? { 'x-claimhub-audited-read': true } : {}),
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(options.deprecated ? { deprecated: true } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required,
            content: Object.fromEntries(
              Object.entries(route.body.content).map(([type, { schema, example }]) => [
                type,
                { schema, ...(example !== undefined ? { example } : {}) },
              ]),
            ),
          },
        }
      : {}),
    responses,
    [`x-claimhub-route`]: `${route.method.toUpperCase()} /${version}${route.path}`,
  };
}

export function openApiDocument(routes: readonly RouteSpec[], options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/${options.version}${route.path}`;
    paths[path] = { ...paths[path], [route.method]: operation(options.version, route, options) };
  }
  const tags = [...new Set(routes.map((route) => route.tag))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'claimhub API',
      version: `${options.version} (claimhub ${options.release})`,
      summary: 'Healthcare claims integration hub: submit messages, follow them, work dead letters and queues, read the audit trail.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    tags,
    paths,
    components: {
      schemas: { Problem: PROBLEM, AuditRecord: AUDIT_RECORD },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (claimhub keys create) as a bearer token.' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        ...(options.openIdConnectUrl ? { oidc: { type: 'openIdConnect', openIdConnectUrl: options.openIdConnectUrl } } : {}),
      },
    },
    security: [{ apiKey: [] }, { apiKeyHeader: [] }, ...(options.openIdConnectUrl ? [{ oidc: [] }] : [])],
  };
}
