// Durations in configuration: "200ms", "1s", "10m", "1h", or a number of milliseconds.
import { ConfigError } from '../../canonical-model/errors.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

export function parseDuration(value: number | string, path: string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!match)
    throw new ConfigError(`${path}: "${value}" is not a duration`, [{ path, rule: 'duration', message: 'use e.g. 200ms, 1s, 10m, 1h' }]);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}
