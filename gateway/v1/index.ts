// The v1 route table: every route of /v1 in one list, in the order they are matched. The OpenAPI
// document and the docs page are part of it (public), so the document lists itself too.
import type { RouteSpec } from '../route-table.js';
import { docsInit, docsPage } from '../docs-page.js';
import { openApiDocument, type OpenApiOptions } from '../openapi.js';
import { auditRoutes } from './audit.js';
import { claimRoutes } from './claims.js';
import { configRoutes } from './config.js';
import { deadLetterRoutes, type DeadLettersDeps } from './dead-letters.js';
import { keyRoutes } from './keys.js';
import { mappingRoutes } from './mappings.js';
import { mappingVersionRoutes } from './mapping-versions.js';
import type { MappingReleases } from '../mapping-releases.js';
import { messageRoutes, type MessagesDeps } from './messages.js';
import { queueRoutes, type QueuesDeps } from './queues.js';
import type { ApiKeys } from '../../store/api-keys.js';
import type { Translator } from '../../mappings/translate.js';

export type V1Deps = MessagesDeps &
  DeadLettersDeps &
  Omit<QueuesDeps, 'db' | 'queues'> & {
    keys: ApiKeys;
    translator: Pick<Translator, 'mappings' | 'testMapping' | 'mappingText'>;
    mappingReleases: MappingReleases;
    config: () => Record<string, unknown>;
    openApi: Omit<OpenApiOptions, 'version'>;
  };

export function v1Routes(deps: V1Deps): RouteSpec[] {
  const db = deps.replay.db;
  const routes: RouteSpec[] = [
    ...messageRoutes(deps),
    ...claimRoutes(deps),
    ...deadLetterRoutes(deps),
    ...queueRoutes({ ...deps, queues: deps.replay.queues, db }),
    ...mappingRoutes({ translator: deps.translator, releases: deps.mappingReleases, bodyLimit: deps.bodyLimit }),
    ...mappingVersionRoutes({ releases: deps.mappingReleases, bodyLimit: deps.bodyLimit }),
    ...auditRoutes({ db }),
    ...keyRoutes({ keys: deps.keys, db }),
    ...configRoutes({ config: deps.config }),
  ];
  let document: string | undefined;
  routes.push(
    {
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApi',
      tag: 'reference',
      summary: 'This document: OpenAPI 3.1, generated from the route table the gateway enforces',
      access: 'public',
      responses: { 200: { description: 'The OpenAPI document.', schema: { type: 'object' } } },
      handle: (_req, res) => {
        document ??= JSON.stringify(openApiDocument(routes, { ...deps.openApi, version: 'v1' }));
        res.type('application/json').send(document);
      },
    },
    {
      method: 'get',
      path: '/docs',
      operationId: 'getDocs',
      tag: 'reference',
      summary: 'The API reference as a page (Swagger UI over /v1/openapi.json)',
      access: 'public',
      responses: { 200: { description: 'An HTML page.', contentType: 'text/html', schema: { type: 'string' } } },
      handle: (_req, res) => {
        res.type('html').send(docsPage('v1'));
      },
    },
    {
      method: 'get',
      path: '/docs/init.js',
      operationId: 'getDocsScript',
      tag: 'reference',
      summary: "The docs page's start-up script (served from here so the content security policy can forbid inline scripts)",
      access: 'public',
      responses: { 200: { description: 'JavaScript.', contentType: 'text/javascript', schema: { type: 'string' } } },
      handle: (_req, res) => {
        res.type('text/javascript').send(docsInit('v1'));
      },
    },
  );
  return routes;
}
