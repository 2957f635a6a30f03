// /v1/mappings/{name}/versions, /activate, /rollback: the architect's write side of mappings. A new
// version is sent as its YAML file, checked as the hub would load it and stored without running;
// activating makes it (or the file's version) run in every hub process; rolling back makes the
// one that ran before run again. Each change is audited in its transaction.
import express, { type Request } from 'express';
import { ConfigError } from '../../canonical-model/errors.js';
import {
  ActivationRefused,
  MappingNotFound,
  MappingVersionNotFound,
  MappingVersionTaken,
  NothingToRollBack,
  type MappingReleases,
} from '../mapping-releases.js';
import { problem, problemFromError, sendProblem } from '../problem.js';
import type { JsonSchema, RouteSpec } from '../route-table.js';
import { answering, operatorOf, type Refusal } from './request-parts.js';
import { jsonBody, problemAnswer } from './schemas.js';

/** Content types a mapping file may be sent as. */
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];
const NAME: JsonSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,199}$', description: "The mapping's name." };
export const VERSION: JsonSchema = { type: 'string', pattern: '^[0-9A-Za-z.+-]{1,100}$', description: 'A version (semver), e.g. 1.2.0.' };
const REASON: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 1000,
  pattern: '\\S',
  description: 'Why; kept in the history and the audit trail.',
};

const activeVersion: JsonSchema = {
  type: ['object', 'null'],
  properties: { version: { type: 'string' }, origin: { enum: ['file', 'store'] } },
};
const versionSchema: JsonSchema = {
  type: 'object',
  required: ['version', 'origin', 'checksum', 'active'],
  properties: {
    version: { type: 'string' },
    origin: { enum: ['file', 'store'], description: 'file: the file under a mapping directory; store: added through this API.' },
    checksum: { type: 'string', description: 'sha-256 of the file.' },
    active: { type: 'boolean' },
    note: { type: ['string', 'null'] },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};
const activationSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    version: { type: 'string' },
    origin: { enum: ['file', 'store', 'none'], description: 'none: a mapping without a file stopped running.' },
    action: { enum: ['activate', 'rollback'] },
    reason: { type: ['string', 'null'] },
    actor: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
  },
};
const activationResult: JsonSchema = {
  type: 'object',
  required: ['name', 'active', 'previous', 'changed'],
  properties: {
    name: { type: 'string' },
    active: activeVersion,
    previous: activeVersion,
    changed: { type: 'boolean' },
    activation: activationSchema,
  },
};

/** How the mapping routes answer what MappingReleases refuses. */
export const MAPPING_REFUSALS: readonly Refusal[] = [
  [MappingNotFound, (error, req) => refusal(404, 'not-found', 'No such mapping', error, req)],
  [MappingVersionNotFound, (error, req) => refusal(404, 'not-found', 'No such mapping version', error, req)],
  [MappingVersionTaken, (error, req) => refusal(409, 'conflict', 'The mapping has this version already', error, req)],
  [ActivationRefused, (error, req) => refusal(409, 'conflict', 'The version cannot run', error, req)],
  [NothingToRollBack, (error, req) => refusal(409, 'conflict', 'Nothing to roll back to', error, req)],
  [
    ConfigError,
    (error, req) => problemFromError(error as ConfigError, { title: 'The mapping file is invalid', instance: req.originalUrl }),
  ],
];

function refusal(status: number, slug: string, title: string, error: Error, req: Request) {
  return problem(status, slug, title, { detail: error.message, instance: req.originalUrl, errors: (error as ConfigError).issues });
}

const nameOf = (req: Request) => String(req.params.name);

export function mappingVersionRoutes(deps: { releases: MappingReleases; bodyLimit: string }): RouteSpec[] {
  const yamlBody = express.text({ type: YAML_TYPES, limit: deps.bodyLimit, defaultCharset: 'utf-8' });
  return [
    {
      method: 'get',
      path: '/mappings/{name}/versions',
      operationId: 'listMappingVersions',
      tag: 'mappings',
      summary: "A mapping's versions (its file's and the stored ones), which one runs, and its activations, newest first",
      access: ['architect'],
      pathParams: { name: NAME },
      responses: {
        200: {
          description: 'The versions and the history.',
          schema: {
            type: 'object',
            required: ['name', 'active', 'versions', 'activations'],
            properties: {
              name: { type: 'string' },
              active: activeVersion,
              versions: { type: 'array', items: versionSchema },
              activations: { type: 'array', items: activationSchema },
            },
          },
        },
        404: problemAnswer('No such mapping.'),
      },
      handle: (req, res) =>
        answering(req, res, MAPPING_REFUSALS, async () => {
          res.json(await deps.releases.versions(nameOf(req)));
        }),
    },
    {
      method: 'post',
      path: '/mappings/{name}/versions',
      operationId: 'addMappingVersion',
      tag: 'mappings',
      summary:
        'Add a version of a mapping (or a new mapping): its YAML file, checked as the hub would load it, stored, not running until activated',
      access: ['architect'],
      pathParams: { name: NAME },
      query: { note: { type: 'string', maxLength: 1000, description: 'What changed; kept with the version.' } },
      body: {
        required: true,
        parse: [
          (req, res, next) => {
            if (req.is(YAML_TYPES)) return next();
            sendProblem(
              res,
              problem(415, 'unsupported-media-type', 'Unsupported media type', {
                detail: `send the mapping file as application/yaml (or text/yaml, text/plain), not ${req.get('content-type') ?? 'an untyped body'}`,
                instance: req.originalUrl,
              }),
            );
          },
          yamlBody,
        ],
        content: {
          'application/yaml': {
            schema: { type: 'string', description: 'A mapping file (*.mapping.yaml) whose name is the one in the path.' },
          },
        },
      },
      responses: {
        201: { description: 'Stored; `Location` is the version.', schema: versionSchema },
        409: problemAnswer('The mapping has this version already.'),
        415: problemAnswer('Not sent as YAML.'),
        422: problemAnswer('The file does not load: each error names the key (or line) and why.'),
      },
      handle: (req, res) =>
        answering(req, res, MAPPING_REFUSALS, async () => {
          const text = typeof req.body === 'string' ? req.body : '';
          if (text.trim() === '') {
            const message = 'send the mapping file as the body';
            throw new ConfigError(message, [{ path: '(body)', rule: 'required', message }]);
          }
          const note = typeof req.query.note === 'string' && req.query.note.trim() !== '' ? req.query.note.trim() : undefined;
          const version = await deps.releases.add(nameOf(req), text, operatorOf(req), note);
          res.status(201).setHeader('Location', `${req.baseUrl}/mappings/${nameOf(req)}/versions/${encodeURIComponent(version.version)}`);
          res.json(version);
        }),
    },
    {
      method: 'get',
      path: '/mappings/{name}/versions/{version}',
      operationId: 'getMappingVersion',
      tag: 'mappings',
      summary: 'One version of a mapping with its file (YAML)',
      access: ['architect'],
      pathParams: { name: NAME, version: VERSION },
      responses: {
        200: {
          description: 'The version and its file.',
          schema: { ...versionSchema, properties: { ...(versionSchema.properties as object), text: { type: 'string' } } },
        },
        404: problemAnswer('No such mapping or version.'),
      },
      handle: (req, res) =>
        answering(req, res, MAPPING_REFUSALS, async () => {
          res.json({ name: nameOf(req), ...(await deps.releases.text(nameOf(req), String(req.params.version))) });
        }),
    },
    {
      method: 'post',
      path: '/mappings/{name}/activate',
      operationId: 'activateMapping',
      tag: 'mappings',
      summary: "Make a version run (a stored one, or the file's), in every hub process; messages record the version that mapped them",
      access: ['architect'],
      pathParams: { name: NAME },
      body: jsonBody(
        {
          type: 'object',
          required: ['version'],
          additionalProperties: false,
          properties: { version: VERSION, reason: REASON },
        },
        { example: { version: '1.1.0', reason: 'payer X wants the referring provider in 2310A' } },
      ),
      responses: {
        200: { description: 'Running here; other processes within seconds. `changed` false: it ran already.', schema: activationResult },
        404: problemAnswer('No such mapping or version.'),
        409: problemAnswer('The version cannot run: it would take a message type another active version takes, or no longer loads.'),
      },
      handle: (req, res) =>
        answering(req, res, MAPPING_REFUSALS, async () => {
          const body = req.body as { version: string; reason?: string };
          res.json(await deps.releases.activate(nameOf(req), body.version, operatorOf(req), body.reason?.trim()));
        }),
    },
    {
      method: 'post',
      path: '/mappings/{name}/rollback',
      operationId: 'rollBackMapping',
      tag: 'mappings',
      summary: 'Make the version that ran before the running one run again (its file, when it was the first stored version)',
      access: ['architect'],
      pathParams: { name: NAME },
      body: jsonBody(
        { type: 'object', additionalProperties: false, properties: { reason: REASON } },
        { required: false, example: { reason: '1.1.0 rejects claims without a referring provider' } },
      ),
      responses: {
        200: { description: 'The earlier version runs.', schema: activationResult },
        404: problemAnswer('No such mapping.'),
        409: problemAnswer('Nothing ran before, or the earlier version cannot run.'),
      },
      handle: (req, res) =>
        answering(req, res, MAPPING_REFUSALS, async () => {
          const body = (req.body ?? {}) as { reason?: string };
          res.json(await deps.releases.rollback(nameOf(req), operatorOf(req), body.reason?.trim()));
        }),
    },
  ];
}
