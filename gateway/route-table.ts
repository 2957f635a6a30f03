// Every route of a version is declared once, as data: method, path, who may call it, the schemas
// of its query and body, its answers. The same declaration mounts the route (authentication, role
// check, rate limit, body parsing, ajv validation, handler), generates the OpenAPI document and
// drives the route × role test — so no route can exist without roles, and none goes undocumented.
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import _addFormats from 'ajv-formats';
import { issuesFromAjv } from '../canonical-model/issues.js';
import type { Issue } from '../canonical-model/errors.js';
import { problem, sendProblem } from './problem.js';
import { allowedRoles, mayCall, type Role } from './roles.js';

export type JsonSchema = Record<string, unknown>;

export interface ResponseSpec {
  description: string;
  /** Default application/json; problem answers are application/problem+json. */
  contentType?: string;
  schema?: JsonSchema;
}

export interface BodySpec {
  required: boolean;
  /** Media type → schema. JSON bodies are validated against theirs; text bodies are not parsed here. */
  content: Record<string, { schema: JsonSchema; example?: unknown }>;
  /** `json`: parsed and validated as JSON; otherwise the route's own parsers (raw messages). */
  parse: 'json' | RequestHandler[];
}

export interface RouteSpec {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI style, relative to the version: `/dead-letters/{id}/replay`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Roles that may call it (admin always may), or `public` for no credentials at all. */
  access: readonly Role[] | 'public';
  /** Reads PHI: each call is recorded in the audit trail before it is answered. */
  auditedRead?: boolean;
  pathParams?: Record<string, JsonSchema>;
  query?: Record<string, JsonSchema>;
  requiredQuery?: string[];
  body?: BodySpec;
  responses: Record<number, ResponseSpec>;
  handle: (req: Request, res: Response) => Promise<void> | void;
}

export interface MountDeps {
  authenticate: RequestHandler;
  /** Rate limit middleware for a route id (`POST /v1/messages`), and for public routes. */
  rateLimit: { forRoute(routeId: string): RequestHandler; unauthenticated: RequestHandler };
  jsonBodyLimit: string;
  /** Records that an authenticated client was refused a route (best effort). */
  recordDenial?: (req: Request, routeId: string) => Promise<void>;
}

const addFormats = _addFormats.default;
// Query strings arrive as text: coerce for the check only (handlers read their own values).
const queryAjv = addFormats(new Ajv2020({ allErrors: true, strict: false, verbose: true, coerceTypes: 'array' }));
const bodyAjv = addFormats(new Ajv2020({ allErrors: true, strict: false, verbose: true }));

export const routeId = (version: string, route: Pick<RouteSpec, 'method' | 'path'>) =>
  `${route.method.toUpperCase()} /${version}${route.path}`;

/** `/dead-letters/{id}/replay` → `/dead-letters/:id/replay`. */
const expressPath = (path: string) => path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');

export function querySchema(route: RouteSpec): JsonSchema {
  return { type: 'object', properties: route.query ?? {}, required: route.requiredQuery ?? [], additionalProperties: false };
}

function invalid(req: Request, res: Response, where: string, issues: Issue[]): void {
  sendProblem(
    res,
    problem(400, 'invalid-request', 'Invalid request', {
      detail: issues.map((issue) => `${where === 'body' ? 'body ' : `${where} parameter `}${issue.path}: ${issue.message}`).join('; '),
      instance: req.originalUrl,
      errors: issues,
    }),
  );
}

/** Path parameters are checked by the schemas the OpenAPI document gives them (a 400 naming the parameter). */
function validatePath(route: RouteSpec): RequestHandler | undefined {
  const properties = route.pathParams;
  if (!properties || Object.keys(properties).length === 0) return undefined;
  const check = bodyAjv.compile({ type: 'object', properties, required: Object.keys(properties) });
  return (req, res, next) => {
    const copy: Record<string, unknown> = { ...req.params };
    if (check(copy)) return next();
    invalid(
      req,
      res,
      'path',
      issuesFromAjv(check.errors, copy).map((issue) => ({ ...issue, path: issue.path.replace(/^\$\.?/, '') })),
    );
  };
}

function validateQuery(route: RouteSpec): RequestHandler {
  const check = queryAjv.compile(querySchema(route));
  return (req, res, next) => {
    const copy: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
    if (check(copy)) return next();
    // Query parameters are named as such (`limit`), not as JSON paths.
    invalid(
      req,
      res,
      'query',
      issuesFromAjv(check.errors, copy).map((issue) => ({ ...issue, path: issue.path.replace(/^\$\.?/, '') || '(query)' })),
    );
  };
}

function validateJsonBody(route: RouteSpec, limit: string): RequestHandler[] {
  const spec = route.body!;
  const schema = spec.content['application/json']?.schema;
  if (!schema) throw new Error(`${route.operationId}: a JSON body needs an application/json schema`);
  const check: ValidateFunction = bodyAjv.compile(schema);
  const parse = express.json({ limit, strict: true });
  return [
    (req, res, next) => {
      // A body in another type would be ignored silently: refuse it instead (null: no body at all).
      if (req.is(['application/json', 'application/*+json']) === false) {
        sendProblem(
          res,
          problem(415, 'unsupported-media-type', 'Unsupported media type', {
            detail: `send the body as application/json, not ${req.get('content-type') ?? 'an untyped body'}`,
            instance: req.originalUrl,
          }),
        );
        return;
      }
      next();
    },
    parse,
    (req, res, next) => {
      if (req.body === undefined) {
        if (!spec.required) return next();
        invalid(req, res, 'body', [{ path: '$', rule: 'required', message: 'a JSON body is required' }]);
        return;
      }
      if (check(req.body)) return next();
      invalid(req, res, 'body', issuesFromAjv(check.errors, req.body));
    },
  ];
}

function authorize(route: RouteSpec, id: string, deps: MountDeps): RequestHandler {
  const access = route.access as readonly Role[];
  const roles = [...allowedRoles(access)];
  return async (req, res, next) => {
    const principal = req.principal!;
    if (mayCall(principal, access)) return next();
    await deps.recordDenial?.(req, id).catch(() => undefined);
    sendProblem(
      res,
      problem(403, 'forbidden', 'Not allowed', {
        detail: `${id} is for the role${roles.length > 1 ? 's' : ''} ${roles.join(', ')}; this client has ${principal.roles.join(', ') || 'no role'}`,
        instance: req.originalUrl,
        requiredRoles: roles,
      }),
    );
  };
}

/** Answers a method the path does not have with 405 and the methods it does. */
function methodNotAllowed(methods: string[]): RequestHandler {
  const allow = methods.map((m) => m.toUpperCase()).join(', ');
  return (req, res) => {
    res.setHeader('Allow', allow);
    sendProblem(
      res,
      problem(405, 'method-not-allowed', 'Method not allowed', { detail: `${req.path} answers ${allow}`, instance: req.originalUrl }),
    );
  };
}

/** Mounts a version's route table on a router, each route behind its own checks. */
export function mountRoutes(version: string, routes: readonly RouteSpec[], deps: MountDeps): Router {
  const router = Router();
  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) {
    const id = routeId(version, route);
    const chain: RequestHandler[] =
      route.access === 'public'
        ? [deps.rateLimit.unauthenticated]
        : [deps.authenticate, authorize(route, id, deps), deps.rateLimit.forRoute(id)];
    const checkPath = validatePath(route);
    if (checkPath) chain.push(checkPath);
    chain.push(validateQuery(route));
    if (route.body) chain.push(...(route.body.parse === 'json' ? validateJsonBody(route, deps.jsonBodyLimit) : route.body.parse));
    const handle = (req: Request, res: Response, next: NextFunction) => Promise.resolve(route.handle(req, res)).catch(next);
    router[route.method](expressPath(route.path), ...chain, handle);
    const methods = methodsByPath.get(route.path) ?? [];
    methods.push(route.method, ...(route.method === 'get' ? ['head'] : []));
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) router.all(expressPath(path), methodNotAllowed(methods));
  return router;
}
