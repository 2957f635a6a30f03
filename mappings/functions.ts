// The functions every mapping can call, whatever its format: $crosswalk, the exact money trio and
// $refuse/$unsupported, which record why an input cannot become a canonical object (evaluation
// goes on, so one run reports every reason at once). Format helpers live in sources/<format>.ts.

import type { Issue } from '../canonical-model/errors.js';
import type { Crosswalk } from './crosswalk.js';
import { MappingFunctionError } from './function-error.js';
import { money, moneySum, moneyTimes } from './money-functions.js';

export const ENGINE_FUNCTIONS = ['crosswalk', 'money', 'moneySum', 'moneyTimes', 'refuse', 'unsupported'] as const;

/** What one evaluation recorded through $refuse and $unsupported. */
export interface Refusals {
  /** The input breaks a rule the mapping enforces (missing patient, unresolvable reference…). */
  refused: Issue[];
  /** The input is something claimhub does not take (a pharmacy claim, a PAS request…). */
  unsupported: Issue[];
}

/** The stateless part of the engine's bindings, built once per compiled mapping. */
export function mappingFunctions(tables: ReadonlyMap<string, Crosswalk>): Record<string, unknown> {
  return { crosswalk: crosswalkFunction(tables), money, moneySum, moneyTimes };
}

/** `$crosswalk(name, code)` over one mapping's tables: undefined when the code is not in the table. */
function crosswalkFunction(tables: ReadonlyMap<string, Crosswalk>) {
  const lookup = (table: Crosswalk, code: unknown): unknown =>
    Array.isArray(code) ? code.map((c) => lookup(table, c)) : code === undefined || code === null ? undefined : table.get(String(code));
  return (name: unknown, code: unknown): unknown => {
    const table = tables.get(String(name));
    if (!table) throw new MappingFunctionError(`$crosswalk(${JSON.stringify(name)}, …): no crosswalk of that name is declared (declared: ${[...tables.keys()].join(', ') || 'none'})`);
    return lookup(table, code);
  };
}

/**
 * $refuse and $unsupported for one evaluation, recording into `refusals`. `at` is a path string,
 * an element of the input, or [element, 'field']; `locate` turns it into a path.
 */
export function refusalFunctions(refusals: Refusals, locate: (at: unknown) => string) {
  return {
    refuse: (at: unknown, rule: unknown, message: unknown): undefined => {
      refusals.refused.push({ path: locate(at), rule: String(rule), message: String(message) });
      return undefined;
    },
    unsupported: (at: unknown, rule: unknown, message: unknown): undefined => {
      refusals.unsupported.push({ path: locate(at), rule: String(rule), message: String(message) });
      return undefined;
    },
  };
}
