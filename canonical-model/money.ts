// Exact money on decimal strings: every amount becomes a BigInt count of cents, so sums never
// drift (0.1 + 0.2 is 0.30 here). The only door for JS numbers is toMoney, which refuses any
// number that is not a whole number of cents give or take float noise.

import { ValidationError } from './errors.js';
import type { Money } from './types.js';

/** The canonical Money form (same pattern as common.schema.json#/$defs/Money). */
const MONEY = /^-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;
/** Any plain decimal a wire format may carry: "766.5", "012.340", ".5", "+3" (X12 R, HL7 NM, CSV). */
const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/;
/**
 * A float within 1e-6 of a cent boundary is that cent amount (31336.210000000003 is 31336.21);
 * measured in cents, so the tolerance is 1e-4 cents.
 */
const FLOAT_TOLERANCE_CENTS = 1e-4;

/** An amount that is not exact money: malformed, more than 2 fraction digits, NaN, too large. */
export class InvalidMoneyError extends ValidationError {}

function invalid(value: unknown, path: string, why: string): InvalidMoneyError {
  const message = `${JSON.stringify(value) ?? String(value)} is not money: ${why}`;
  return new InvalidMoneyError(message, [{ path, rule: 'money', message }]);
}

export function isMoney(value: unknown): value is Money {
  return typeof value === 'string' && MONEY.test(value);
}

/** Canonical Money → cents. Throws InvalidMoneyError on anything else (use toMoney for wire input). */
export function parseMoney(value: Money, path = '$'): bigint {
  if (!isMoney(value)) throw invalid(value, path, 'expected a decimal with at most 2 fraction digits');
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return negative ? -cents : cents;
}

/** Cents → canonical Money with exactly two fraction digits ("766.50", "-0.05"). */
export function formatMoney(cents: bigint): Money {
  const negative = cents < 0n;
  const digits = (negative ? -cents : cents).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * Wire value → Money. Strings may be any plain decimal whose value is whole cents ("12.340" is
 * fine, "12.345" is not); numbers must be within 1e-6 of a whole number of cents.
 */
export function toMoney(value: number | string, path = '$'): Money {
  return formatMoney(typeof value === 'number' ? centsOfNumber(value, path) : centsOfDecimal(value, path));
}

function centsOfNumber(value: number, path: string): bigint {
  if (!Number.isFinite(value)) throw invalid(value, path, 'not a finite number');
  const cents = value * 100;
  const whole = Math.round(cents);
  if (!Number.isSafeInteger(whole)) throw invalid(value, path, 'too large to be exact as a number');
  if (Math.abs(cents - whole) > FLOAT_TOLERANCE_CENTS) throw invalid(value, path, 'fractions of a cent');
  return BigInt(whole);
}

function centsOfDecimal(value: string, path: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match || (match[2] === '' && !match[3])) throw invalid(value, path, 'not a decimal number');
  const [, sign, whole, fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(2))) throw invalid(value, path, 'fractions of a cent');
  const cents = BigInt(whole || '0') * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}

export function addMoney(a: Money, b: Money): Money {
  return formatMoney(parseMoney(a) + parseMoney(b));
}

export function subtractMoney(a: Money, b: Money): Money {
  return formatMoney(parseMoney(a) - parseMoney(b));
}

export function sumMoney(amounts: readonly Money[]): Money {
  return formatMoney(amounts.reduce((total, amount) => total + parseMoney(amount), 0n));
}

/** -1, 0 or 1, by value: "766.5" equals "766.50". */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  const difference = parseMoney(a) - parseMoney(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
