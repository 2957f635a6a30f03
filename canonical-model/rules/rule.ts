// What a business rule is: a pure check of a schema-valid canonical object, returning the
// findings with their JSON paths (empty when the object passes).

import type { Issue } from '../errors.js';
import type { Period } from '../types.js';

export type Rule<T> = (resource: T) => Issue[];

/** `end` before `start` (ISO dates compare as strings). */
export function periodEndsBeforeStart(period: Period | undefined, path: string, rule: string): Issue[] {
  if (!period?.end || period.end >= period.start) return [];
  return [{ path: `${path}.end`, rule, message: `ends ${period.end}, before it starts ${period.start}` }];
}

/** Issues for each value seen before at an earlier index (duplicate sequence numbers). */
export function duplicates<T>(
  items: readonly T[],
  key: (item: T) => unknown,
  path: (index: number) => string,
  rule: string,
  what: string,
): Issue[] {
  const seen = new Map<unknown, number>();
  return items.flatMap((item, index) => {
    const value = key(item);
    const first = seen.get(value);
    if (first === undefined) {
      seen.set(value, index);
      return [];
    }
    return [{ path: path(index), rule, message: `${what} ${String(value)} repeats the one at index ${first}` }];
  });
}
