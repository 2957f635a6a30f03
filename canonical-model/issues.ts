// Turns ajv's errors into claimhub Issues: a JSON path a person can read (`$.serviceLines[0].charge`),
// the ajv keyword as the rule, and a message that says what was expected.

import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Issue } from './errors.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.a.b[0]` from a path of keys, walking the value so array indexes read as `[n]`. */
export function jsonPath(keys: readonly string[], root: unknown): string {
  let path = '$';
  let node: unknown = root;
  for (const key of keys) {
    if (Array.isArray(node)) path += `[${key}]`;
    else path += IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

/** JSON Pointer (RFC 6901) → keys. */
function pointerKeys(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const quote = (value: unknown) => JSON.stringify(value);

/** The schema's `title` says what a pattern or format means ("money: an exact decimal …"). */
function expected(error: ErrorObject): string | undefined {
  const title = (error.parentSchema as { title?: unknown } | undefined)?.title;
  return typeof title === 'string' ? title : undefined;
}

function message(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${quote(params.missingProperty)} is required`;
    case 'additionalProperties':
      return `unknown property ${quote(params.additionalProperty)} is not allowed`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map(quote).join(', ')}, got ${quote(error.data)}`;
    case 'const':
      return `must be ${quote(params.allowedValue)}, got ${quote(error.data)}`;
    case 'type':
      return `must be ${String(params.type)}, got ${error.data === null ? 'null' : Array.isArray(error.data) ? 'array' : typeof error.data}`;
    case 'pattern':
    case 'format':
      return `must be ${expected(error) ?? `${error.keyword} ${String(params[error.keyword])}`}, got ${quote(error.data)}`;
    default:
      return error.message ?? error.keyword;
  }
}

/** Where the finding sits: for `required` and `additionalProperties`, the property itself. */
function keysOf(error: ErrorObject): string[] {
  const keys = pointerKeys(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') keys.push(String(params.missingProperty));
  if (error.keyword === 'additionalProperties') keys.push(String(params.additionalProperty));
  return keys;
}

export function issuesFromAjv(errors: readonly ErrorObject[] | null | undefined, value: unknown): Issue[] {
  return (errors ?? []).map((error) => ({
    path: jsonPath(keysOf(error), value),
    rule: error.keyword,
    message: message(error),
  }));
}
