// Exact money for mappings: $money, $moneySum and $moneyTimes. JSONata computes with floats
// (0.1 + 0.2 ≠ 0.3), so every amount leaves the mapping through these, never through `+` or `*`.

import { InvalidMoneyError, sumMoney, toMoney } from '../canonical-model/money.js';
import type { Money } from '../canonical-model/types.js';
import { MappingFunctionError } from './function-error.js';

type Amount = number | string;

/** `$money(value)`: a wire amount (number or decimal string) → Money; undefined stays undefined. */
export function money(value: unknown): Money | undefined {
  if (value === undefined || value === null) return undefined;
  return exactly(`$money(${show(value)})`, () => toMoney(asAmount('$money', value)));
}

/** `$moneySum(values)`: the exact sum of amounts (undefined entries skipped); undefined when none. */
export function moneySum(values: unknown): Money | undefined {
  const amounts = (Array.isArray(values) ? values : [values]).filter((v) => v !== undefined && v !== null);
  if (amounts.length === 0) return undefined;
  return exactly(`$moneySum(${show(amounts)})`, () => sumMoney(amounts.map((v) => toMoney(asAmount('$moneySum', v)))));
}

/**
 * `$moneyTimes(amount, factor…)`: amount × factors, computed on decimals (FHIR's
 * net = unitPrice × quantity × factor). Undefined factors count as 1; a product that is not a
 * whole number of cents is an error rather than a silent rounding.
 */
export function moneyTimes(amount: unknown, ...factors: unknown[]): Money | undefined {
  if (amount === undefined || amount === null) return undefined;
  const call = `$moneyTimes(${[amount, ...factors].map(show).join(', ')})`;
  let product = decimalOf(call, asAmount('$moneyTimes', amount));
  for (const factor of factors) {
    if (factor === undefined || factor === null) continue;
    const next = decimalOf(call, asAmount('$moneyTimes', factor));
    product = { digits: product.digits * next.digits, scale: product.scale + next.scale };
  }
  return exactly(call, () => toMoney(decimalText(product)));
}

interface Decimal {
  digits: bigint;
  /** value = digits × 10^-scale */
  scale: number;
}

/** A number's shortest round-trip text (41.07 → "41.07") or a decimal string, as exact digits. */
function decimalOf(call: string, value: Amount): Decimal {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!match || (match[2] === '' && !match[3])) throw new MappingFunctionError(`${call}: ${JSON.stringify(value)} is not a number`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: sign === '-' ? -digits : digits, scale };
}

function decimalText({ digits, scale }: Decimal): string {
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  return negative ? `-${body}` : body;
}

function asAmount(fn: string, value: unknown): Amount {
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new MappingFunctionError(`${fn}: expected a number or a decimal string, got ${show(value)}`);
}

/** Runs a money conversion; an amount that is not exact money becomes a mapping error naming it. */
function exactly(call: string, convert: () => Money): Money {
  try {
    return convert();
  } catch (error) {
    if (error instanceof InvalidMoneyError) throw new MappingFunctionError(`${call}: ${error.message}`);
    throw error;
  }
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
