/**
 * Exact arithmetic on nonnegative doubles for the generators (internal).
 *
 * Every finite double is an integer multiple of 2^-1074, so a nonnegative double x is exactly the
 * BigInt `x · 2^1074` ("scaled"), and a vector's sum is exact as a BigInt sum. That is how the
 * generators decide "sums to exactly 1" and how the exact-normalisation recipes
 * (dyadic rounding, complement chunks) are built and checked.
 */
import { bitLength, toDyadic } from '../../numeric/exact';

/** Exponent of the scaled representation: `scaled(x) = x · 2^SCALE`. */
export const SCALE = 1074;
/** `1 · 2^1074`. */
export const ONE_SCALED = 1n << BigInt(SCALE);

/** The exact value of a finite double x ≥ 0 as the integer `x · 2^1074`. */
export function toScaled(x: number): bigint {
  const d = toDyadic(x);
  if (d.mantissa === 0n) return 0n;
  if (d.negative) throw new RangeError(`toScaled: ${x} is negative`);
  return d.mantissa << BigInt(d.exponent + SCALE);
}

/** Exact sum of a vector of finite nonnegative doubles, scaled by 2^1074. */
export function exactScaledSum(v: readonly number[]): bigint {
  let s = 0n;
  for (const x of v) if (x !== 0) s += toScaled(x);
  return s;
}

/** Whether the entries of v sum to exactly 1 as real numbers (the accuracy model's test: one copy). */
export { sumsExactlyToOne } from '../../numeric/accuracy';

/**
 * `R · 2^-1074` as a double, exactly. Throws unless R has at most 53 significant bits
 * (so that the value is a double) and is below 2^1024 · 2^1074.
 */
export function scaledToNumber(R: bigint): number {
  if (R === 0n) return 0;
  const L = bitLength(R);
  const s = Math.max(0, L - 53);
  const top = R >> BigInt(s);
  if (top << BigInt(s) !== R) throw new RangeError('scaledToNumber: more than 53 significant bits');
  // top < 2^53 is exact; 2^(s-1074) is exact for s - 1074 >= -1074; the product is representable.
  return Number(top) * 2 ** (s - SCALE);
}

/**
 * Splits a positive scaled value R into doubles whose exact sum is R: greedily, the top 53 bits
 * first. Returns the chunks in decreasing order. The number of chunks is at most
 * ceil(bitLength(R) / 53) (≤ 21 for R ≤ 2^1074).
 */
export function chunksOf(R: bigint): number[] {
  const out: number[] = [];
  while (R > 0n) {
    const L = bitLength(R);
    const s = BigInt(Math.max(0, L - 53));
    const c = (R >> s) << s;
    out.push(scaledToNumber(c));
    R -= c;
  }
  return out;
}

/** ceil(log2(W)) for a BigInt W ≥ 1. */
export function ceilLog2(W: bigint): number {
  return W <= 1n ? 0 : bitLength(W - 1n);
}

/**
 * Exact (dyadic) normalisation: positive integer weights w_i become k_i / 2^m with integers
 * k_i ≥ 1 and Σ k_i = 2^m EXACTLY, k_i the rounding of w_i·2^m/W (W = Σ w), largest entries
 * absorbing the rounding deficit. m = min(53, ceil(log2 W) + extraBits), and at least
 * ceil(log2 n), so every k_i/2^m (k_i ≤ 2^53) is an exact double.
 *
 * Small weights give simple values: [1,1] → [½,½]; [1,1,1] → [½,¼,¼]; [1,3] → [¼,¾].
 */
export function dyadicNormalize(weights: readonly bigint[], extraBits = 0): number[] {
  const n = weights.length;
  if (n === 0) return [];
  let W = 0n;
  for (const w of weights) {
    if (w < 1n) throw new RangeError('dyadicNormalize: weights must be ≥ 1');
    W += w;
  }
  const m = Math.max(ceilLog2(BigInt(n)), Math.min(53, ceilLog2(W) + extraBits));
  const M = 1n << BigInt(m);
  const k: bigint[] = weights.map((w) => {
    const r = (2n * w * M + W) / (2n * W); // round half up
    return r < 1n ? 1n : r;
  });
  let diff = M;
  for (const x of k) diff -= x;
  if (diff !== 0n) {
    // Indices by decreasing k (ties: lower index first); adjust one unit at a time, round-robin.
    const order = k.map((_, i) => i).sort((a, b) => (k[a]! > k[b]! ? -1 : k[a]! < k[b]! ? 1 : a - b));
    let j = 0;
    let guard = 0;
    while (diff !== 0n) {
      const i = order[j % n]!;
      if (diff > 0n) {
        k[i] = k[i]! + 1n;
        diff -= 1n;
      } else if (k[i]! > 1n) {
        k[i] = k[i]! - 1n;
        diff += 1n;
      }
      j++;
      if (++guard > 64 * n + 1024) throw new Error('dyadicNormalize: failed to balance');
    }
  }
  const scale = 2 ** -m;
  return k.map((x) => Number(x) * scale);
}

/** Neumaier-compensated sum (relative error ≈ 2u for nonnegative terms). */
export function accurateSum(v: readonly number[]): number {
  let s = 0;
  let c = 0;
  for (const x of v) {
    const t = s + x;
    if (Math.abs(s) >= Math.abs(x)) c += s - t + x;
    else c += x - t + s;
    s = t;
  }
  return s + c;
}

/**
 * Float normalisation: w_i / Σw (Σ computed accurately), times `total`.
 * The exact sum of the result is `total` within about 2 ulps (it is usually not exactly 1).
 */
export function floatNormalize(weights: readonly number[], total = 1): number[] {
  const S = accurateSum(weights);
  if (total === 1) return weights.map((w) => w / S);
  return weights.map((w) => (w / S) * total);
}

/**
 * Positive finite weights (any magnitude) as positive BigInt weights for
 * {@link dyadicNormalize}: integers below 2^53 are kept; otherwise w / max · 2^52 rounded, at least 1.
 */
export function toIntegerWeights(weights: readonly number[]): bigint[] {
  if (weights.every((w) => Number.isInteger(w) && w >= 1 && w < 2 ** 53)) {
    let total = 0;
    for (const w of weights) total += w;
    if (total < 2 ** 60) return weights.map((w) => BigInt(w));
  }
  let max = 0;
  for (const w of weights) if (w > max) max = w;
  return weights.map((w) => {
    const r = Math.round((w / max) * 2 ** 52);
    return BigInt(r < 1 ? 1 : r);
  });
}

/** The next double above x (x finite, ≥ 0). */
export function nextUp(x: number): number {
  if (x === 0) return 5e-324;
  const d = toDyadic(x);
  // x = mantissa·2^exponent with odd mantissa; the ulp is 2^(exponent of the 53-bit significand).
  const L = bitLength(d.mantissa);
  const ulpExp = Math.max(-1074, d.exponent + L - 53);
  return x + 2 ** ulpExp;
}
