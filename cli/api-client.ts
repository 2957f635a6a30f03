// The CLI's client of a running hub: the hub owns the store (and an embedded store admits one
// process), so operator and admin commands go through its API with its URL and an API key:
// --url / CLAIMHUB_URL (default http://127.0.0.1:$CLAIMHUB_PORT) and --key / CLAIMHUB_API_KEY.
import type { Command } from 'commander';
import { ConfigError } from '../canonical-model/errors.js';

export interface ApiOptions {
  url?: string;
  key?: string;
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: { path: string; rule?: string; message: string }[];
}

/** A call the hub refused: its problem+json as the message (the CLI prints it and exits 2). */
export class ApiError extends ConfigError {}

/** Adds --url and --key to a command. */
export const withApiOptions = (command: Command): Command =>
  command.option('--url <url>', 'the hub (default CLAIMHUB_URL, or http://127.0.0.1:$CLAIMHUB_PORT)').option('--key <key>', 'API key (default CLAIMHUB_API_KEY)');

/**
 * A JSON caller of the hub at `options.url` with `options.key`; refusals become ApiErrors. A text
 * body with `as.contentType` (a mapping file as application/yaml) is sent as it is, not as JSON.
 */
export function apiOf(options: ApiOptions) {
  const base = (options.url ?? process.env.CLAIMHUB_URL ?? `http://127.0.0.1:${process.env.CLAIMHUB_PORT ?? 8080}`).replace(/\/+$/, '');
  const key = options.key ?? process.env.CLAIMHUB_API_KEY;
  if (!key)
    throw new ConfigError('an API key is needed: --key or CLAIMHUB_API_KEY', [{ path: 'CLAIMHUB_API_KEY', rule: 'required', message: 'set it' }]);
  return async <T>(method: string, path: string, body?: unknown, as?: { contentType: string }): Promise<T> => {
    const sent =
      body === undefined
        ? undefined
        : as && typeof body === 'string'
          ? { type: as.contentType, text: body }
          : { type: 'application/json', text: JSON.stringify(body) };
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(sent ? { 'content-type': sent.type } : {}) },
        body: sent?.text,
      });
    } catch (error) {
      throw new ApiError(`cannot reach the hub at ${base}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) {
      const problem = parseJson<Problem>(text);
      throw new ApiError(
        `${method} ${path} → ${response.status} ${problem?.title ?? ''}: ${problem?.detail ?? text.slice(0, 300)}`,
        (problem?.errors ?? []).map((e) => ({ path: e.path, rule: e.rule ?? 'api', message: e.message })),
      );
    }
    return parseJson<T>(text) as T;
  };
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
