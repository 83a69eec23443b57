/**
 * Isolated decimal.js contexts. klcheck never calls the global `Decimal.set`: each precision gets
 * its own `Decimal.clone`, with round-half-even, and an exponent range wide enough for every
 * quantity of finite double inputs (|log| of the smallest subnormal is 744.4; squares of the
 * largest double reach 1e617).
 */
import Decimal from 'decimal.js';
import { InvalidInputError } from './errors';

/** Default number of significant digits of reference values. */
export const DEFAULT_DIGITS = 40;
/** Supported digit range of the reference. */
export const MIN_DIGITS = 10;
export const MAX_DIGITS = 1000;

const contexts = new Map<number, Decimal.Constructor>();

/** The isolated Decimal constructor with `digits` significant digits, ROUND_HALF_EVEN. Cached. */
export function decimalContext(digits: number = DEFAULT_DIGITS): Decimal.Constructor {
  checkDigits(digits, 'decimalContext');
  let D = contexts.get(digits);
  if (!D) {
    D = Decimal.clone({
      precision: digits,
      rounding: Decimal.ROUND_HALF_EVEN,
      toExpNeg: -7,
      toExpPos: 21,
      minE: -9e15,
      maxE: 9e15,
    });
    contexts.set(digits, D);
  }
  return D;
}

/** Throws a typed error unless `digits` is an integer in [MIN_DIGITS, MAX_DIGITS]. */
export function checkDigits(digits: unknown, fn: string): asserts digits is number {
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < MIN_DIGITS || digits > MAX_DIGITS) {
    throw new InvalidInputError(fn, 'digits', null, 'bad-option',
      `digits must be an integer from ${MIN_DIGITS} to ${MAX_DIGITS}, got ${String(digits)}`);
  }
}
