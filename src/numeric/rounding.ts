/**
 * Correct rounding of exact or enclosed values to a number of significant decimal digits
 * (round-half-even), with BigInt arithmetic only.
 */
import type Decimal from 'decimal.js';
import { bitLengthPositive, expFixed, ln2Fixed, lnFixed } from './fixed';

const LOG10_2 = Math.log10(2);
const pow10Cache: bigint[] = [];

export function pow10(k: number): bigint {
  if (k < 0) throw new RangeError('pow10: negative exponent');
  let v = pow10Cache[k];
  if (v === undefined) {
    v = 10n ** BigInt(k);
    if (k < 4096) pow10Cache[k] = v;
  }
  return v;
}

/** A nonzero value rounded to `digits` significant digits: (−1)^negative · q · 10^t, q ∈ [10^(d−1), 10^d). */
export interface Rounded {
  negative: boolean;
  q: bigint;
  t: number;
}

/** Round-half-even of the positive rational num/den to an integer. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = 2n * (num - q * den);
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/**
 * Rounds the positive rational num/den to `digits` significant digits. `log2Estimate` is an
 * estimate of log2(num/den) (within ±2), used to pick the decimal exponent.
 */
function roundPositive(num: bigint, den: bigint, digits: number, log2Estimate: number): { q: bigint; t: number } {
  let t = Math.floor(log2Estimate * LOG10_2) - (digits - 1);
  const lo = pow10(digits - 1);
  const hi = pow10(digits);
  for (let guard = 0; guard < 8; guard++) {
    const n = t < 0 ? num * pow10(-t) : num;
    const d = t > 0 ? den * pow10(t) : den;
    // Place the exponent on the unrounded quotient: 10^(d−1) ≤ n/d < 10^d.
    const floor = n / d;
    if (floor >= hi) {
      t += 1;
      continue;
    }
    if (floor < lo) {
      t -= 1;
      continue;
    }
    const q = roundHalfEven(n, d);
    // Rounding up can carry into a new digit (9.995 → 10.00): that is 10^(d−1) at the next exponent.
    return q === hi ? { q: lo, t: t + 1 } : { q, t };
  }
  throw new Error('roundPositive: exponent search did not converge');
}

/** Rounds the exact rational num/den (den > 0) to `digits` significant digits; null for zero. */
export function roundRational(num: bigint, den: bigint, digits: number): Rounded | null {
  if (num === 0n) return null;
  const negative = num < 0n;
  const a = negative ? -num : num;
  const est = bitLengthPositive(a) - bitLengthPositive(den);
  const { q, t } = roundPositive(a, den, digits, est);
  return { negative, q, t };
}

/** Rounds N·2^A (N ≠ 0) to `digits` significant digits. */
export function roundScaled(N: bigint, A: number, digits: number): Rounded | null {
  if (N === 0n) return null;
  const negative = N < 0n;
  const a = negative ? -N : N;
  const num = A >= 0 ? a << BigInt(A) : a;
  const den = A >= 0 ? 1n : 1n << BigInt(-A);
  const { q, t } = roundPositive(num, den, digits, bitLengthPositive(a) + A - 1);
  return { negative, q, t };
}

export function sameRounded(x: Rounded | null, y: Rounded | null): boolean {
  if (x === null || y === null) return x === y;
  return x.negative === y.negative && x.q === y.q && x.t === y.t;
}

/** The Decimal (exact: at most `digits` digits) of a rounded value, or zero for null. */
export function roundedToDecimal(r: Rounded | null, D: Decimal.Constructor): Decimal {
  if (r === null) return new D(0);
  return new D(`${r.negative ? '-' : ''}${r.q.toString()}e${r.t}`);
}

/** Below this |A| (bits), roundEnclosure rounds N·2^A exactly; beyond, by a scaled 10^t0 (below). */
const EXACT_SCALE_BITS = 2048;

/**
 * The rounding of every value in the enclosure [lo, hi]·2^A to `digits` significant digits, when
 * they all round alike; `undefined` when they do not (or the enclosure contains zero), so the caller
 * refines. null only for lo = hi = 0.
 *
 * Cost does not grow with |A|: roundScaled's exact quotient has |A| + 3.3·digits bits (a value
 * 2^-144000 costs a 144 000-bit division, and 10^-9e15 would not fit in memory), so beyond
 * {@link EXACT_SCALE_BITS} the power of two is traded for a power of ten: 2^A = c·10^t0 with
 * t0 = ⌊A·log10 2⌋ and c = exp(A·ln 2 − t0·ln 10) ∈ [0.1, 100), computed at P = 3.33·digits + 24
 * bits with ln 2, ln 10 at scale G = P + bitlen|A| + bitlen|t0| + 8 (error of the argument
 * ≤ 16(|A| + |t0|)·2^-G < 2^-(P+2)) and expFixed (relative error ≤ 16·2^-P): c = C·2^(k−P)·(1 ± δ),
 * δ ≤ 18·2^-P. The enclosure is widened (by 18 and 19 units of 2^-P) and rounded at the small scale k − P,
 * then the exponent shifted by t0.
 */
export function roundEnclosure(lo: bigint, hi: bigint, A: number, digits: number): Rounded | null | undefined {
  if (!Number.isSafeInteger(A) || Math.abs(A) > 2 ** 53 - 2 ** 50) throw new RangeError(`roundEnclosure: scale 2^${A} out of range`);
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === 0n && hi === 0n) return null;
  if (lo <= 0n && hi >= 0n) return undefined;
  const negative = hi < 0n;
  const [a, b] = negative ? [-hi, -lo] : [lo, hi];
  if (Math.abs(A) <= EXACT_SCALE_BITS) {
    const x = roundScaled(a, A, digits);
    const y = roundScaled(b, A, digits);
    return sameRounded(x, y) && x !== null ? { ...x, negative } : undefined;
  }
  const P = Math.ceil(digits / LOG10_2) + 24;
  const t0 = Math.floor(A * LOG10_2);
  const G = P + 8 + bitLengthPositive(BigInt(Math.abs(A))) + bitLengthPositive(BigInt(Math.abs(t0) + 1));
  const f = BigInt(A) * ln2Fixed(G) - BigInt(t0) * lnFixed(10n, 0, G);
  const { mant: C, k } = expFixed(f, -G, P);
  const unit = 1n << BigInt(P);
  const loN = (a * C * (unit - 18n)) >> BigInt(P);
  const hiN = ((b * C * (unit + 19n)) >> BigInt(P)) + 1n; // 1/(1 − δ) < 1 + δ + δ²
  const x = roundScaled(loN, k - P, digits); // at scale 2^(k−P), times 10^t0
  const y = roundScaled(hiN, k - P, digits);
  if (x === null || y === null || !sameRounded(x, y)) return undefined;
  return { negative, q: x.q, t: x.t + t0 };
}
