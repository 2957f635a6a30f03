// /v1/config: the configuration this hub runs with, for admins — secrets hidden.
import type { RouteSpec } from '../route-table.js';

export function configRoutes(deps: { config: () => Record<string, unknown> }): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/config',
      operationId: 'getConfig',
      tag: 'admin',
      summary: 'The resolved configuration (sources, destinations, routes, limits), secrets hidden',
      access: [],
      responses: { 200: { description: 'The configuration.', schema: { type: 'object' } } },
      handle: (_req, res) => {
        res.json(deps.config());
      },
    },
  ];
}
