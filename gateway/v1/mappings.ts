// /v1/mappings: what integration architects work with — the mappings this hub runs (name, version,
// what they read and produce, checksum), one mapping's file, and a test run of a mapping on a sample
// they send, with every issue and nothing stored.
import { basename } from 'node:path';
import express, { type Request } from 'express';
import type { Translator } from '../../mappings/translate.js';
import type { MappingReleases } from '../mapping-releases.js';
import type { MappingInfo } from '../../mappings/mapping-file.js';
import { problem, sendProblem } from '../problem.js';
import type { RouteSpec } from '../route-table.js';
import { MAPPING_REFUSALS, VERSION } from './mapping-versions.js';
import { answering } from './request-parts.js';
import { problemAnswer } from './schemas.js';

const mappingSummary = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    description: { type: 'string' },
    source: { type: 'object', properties: { format: { type: 'string' }, messageTypes: { type: 'array', items: { type: 'string' } } } },
    target: { type: 'string' },
    checksum: { type: 'string', description: 'sha-256 of the file.' },
    origin: {
      enum: ['file', 'store'],
      description: 'file: a file under a mapping directory; store: a version activated through this API.',
    },
    file: { type: 'string', description: 'The file name (origin file).' },
  },
};

const summary = (m: MappingInfo) => ({
  name: m.name,
  version: m.version,
  ...(m.description ? { description: m.description } : {}),
  source: m.source,
  target: m.target,
  checksum: m.checksum,
  origin: m.origin,
  ...(m.origin === 'file' ? { file: basename(m.path) } : {}),
});

const NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,199}$', description: "The mapping's name (as mapping files allow)." };

export function mappingRoutes(deps: {
  translator: Pick<Translator, 'mappings' | 'testMapping' | 'mappingText'>;
  releases: Pick<MappingReleases, 'text'>;
  bodyLimit: string;
}): RouteSpec[] {
  const find = (req: Request) => deps.translator.mappings().find((m) => m.name === String(req.params.name));
  const notFound = (req: Request) =>
    problem(404, 'not-found', 'No such mapping', {
      detail: `no mapping is named ${String(req.params.name).slice(0, 200)} (loaded: ${deps.translator
        .mappings()
        .map((m) => m.name)
        .join(', ')})`,
      instance: req.originalUrl,
    });
  return [
    {
      method: 'get',
      path: '/mappings',
      operationId: 'listMappings',
      tag: 'mappings',
      summary: 'The mappings this hub runs, with versions and checksums',
      access: ['architect'],
      responses: {
        200: { description: 'The mappings.', schema: { type: 'object', properties: { items: { type: 'array', items: mappingSummary } } } },
      },
      handle: (_req, res) => {
        res.json({ items: deps.translator.mappings().map(summary) });
      },
    },
    {
      method: 'get',
      path: '/mappings/{name}',
      operationId: 'getMapping',
      tag: 'mappings',
      summary: 'One mapping with its file (YAML)',
      access: ['architect'],
      pathParams: { name: NAME },
      responses: {
        200: {
          description: 'The mapping and its file.',
          schema: { ...mappingSummary, properties: { ...mappingSummary.properties, text: { type: 'string' } } },
        },
        404: problemAnswer('No such mapping.'),
      },
      handle: async (req, res) => {
        const mapping = find(req);
        if (!mapping) return sendProblem(res, notFound(req));
        res.json({ ...summary(mapping), text: deps.translator.mappingText(mapping.name) ?? '' });
      },
    },
    {
      method: 'post',
      path: '/mappings/{name}/test',
      operationId: 'testMapping',
      tag: 'mappings',
      summary:
        'Run a mapping on a sample (the running version, or ?version=): the canonical objects it makes, valid or not, with every issue; nothing is stored or sent',
      access: ['architect'],
      pathParams: { name: NAME },
      query: {
        version: { ...VERSION, description: 'A version to try instead of the running one (e.g. one not activated yet).' },
      },
      body: {
        required: true,
        parse: [express.text({ type: () => true, limit: deps.bodyLimit, defaultCharset: 'utf-8' })],
        content: {
          'text/plain': { schema: { type: 'string', description: "A sample message in the mapping's source format (any content type)." } },
        },
      },
      responses: {
        200: {
          description: 'The test ran: `ok` says whether the objects are valid.',
          schema: { type: 'object', required: ['ok', 'objects', 'issues', 'warnings'] },
        },
        400: problemAnswer('Empty sample.'),
        404: problemAnswer('No such mapping or version.'),
      },
      handle: (req, res) =>
        answering(req, res, MAPPING_REFUSALS, async () => {
          const version = typeof req.query.version === 'string' ? req.query.version : undefined;
          // A version: its text, wherever it is (a stored version need not run, nor its mapping).
          let text: string | undefined;
          // An unknown mapping or version is a 404; a store that cannot answer is not.
          if (version !== undefined) text = (await deps.releases.text(String(req.params.name), version)).text;
          else if (!find(req)) return sendProblem(res, notFound(req));
          const raw = typeof req.body === 'string' ? req.body : '';
          if (raw.trim() === '')
            return sendProblem(
              res,
              problem(400, 'empty-body', 'Empty sample', { detail: 'send a sample message as the body', instance: req.originalUrl }),
            );
          res.setHeader('Cache-Control', 'no-store');
          res.json(await deps.translator.testMapping(String(req.params.name), raw, req.get('content-type'), text));
        }),
    },
  ];
}
