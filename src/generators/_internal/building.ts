/**
 * Building blocks shared by the public arbitraries (internal).
 *
 * Everything is built from small integers that shrink toward 0 (or 1), so that a shrunk
 * counterexample has few categories and simple values (½, ¼, 0, 1, 5e-324).
 */
import fc from 'fast-check';
import { InvalidInputError } from '../../numeric/errors';

/** Default largest vector length of `distribution`, `pair`, `anyPair`, `unnormalized`. */
export const DEFAULT_MAX_LENGTH = 300;

/**
 * Vectors of `elem` with lengths in [min, max], small lengths common: a mixture of arrays
 * capped at 4 (35%), 16 (30%), 64 (20%) and `max` (15%) entries (caps above `max` merge).
 * Shrinking removes entries down to `min`.
 */
export function vectorOf<T>(elem: fc.Arbitrary<T>, min: number, max: number): fc.Arbitrary<T[]> {
  const caps: [number, number][] = [
    [4, 35],
    [16, 30],
    [64, 20],
    [max, 15],
  ];
  const merged = new Map<number, number>();
  for (const [cap, w] of caps) {
    const c = Math.max(min, Math.min(cap, max));
    merged.set(c, (merged.get(c) ?? 0) + w);
  }
  const arbs = [...merged.entries()].map(([cap, weight]) => ({
    arbitrary: fc.array(elem, { minLength: min, maxLength: cap, size: 'max' }),
    weight,
  }));
  return arbs.length === 1 ? arbs[0]!.arbitrary : fc.oneof(...arbs);
}

/**
 * A positive integer weight c·2^k: c ∈ [1, 2^11], k ∈ [0, 40] reduced modulo (spread + 1) by the
 * caller. Shrinks to c = 1, k = 0.
 */
export interface RawWeight {
  c: number;
  k: number;
}
export const rawWeight: fc.Arbitrary<RawWeight> = fc
  .tuple(fc.integer({ min: 1, max: 2048 }), fc.integer({ min: 0, max: 40 }))
  .map(([c, k]) => ({ c, k }));

/** Integer weight value of a RawWeight under a vector's `spread` (0..40). */
export function weightValue(w: RawWeight, spread: number): number {
  return w.c * 2 ** (w.k % (spread + 1));
}

/** Per-vector spread of integer weights: 0 (weights in [1, 2048]) to 40 (ratios up to 2^51). */
export const spreadArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 40 });

/** Extra bits of the dyadic grid beyond ceil(log2 W) (0 gives the simplest fractions). */
export const extraBitsArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 53 });

/**
 * A 53-bit uniform integer U ∈ [0, 2^53) (unbiased), for exponential spacings
 * E = −log((U + ½)/2^53) ∈ (0, 37.4]. Shrinks to U = 0, E = 37.4 (all equal: a uniform vector).
 */
export const uniform53: fc.Arbitrary<number> = fc.noBias(fc.integer({ min: 0, max: 2 ** 53 - 1 }));

export function exponentialSpacing(U: number): number {
  return -Math.log((U + 0.5) / 2 ** 53);
}

/**
 * A tiny absolute mass c·2^-e. `subnormal`: e ∈ [1074−51, 1074] and c ∈ [1, 2^10] (values from
 * 5e-324 to ~2e-305, mostly subnormal); otherwise e ∈ [40, 1022] (1e-12 … 1e-308).
 * Shrinks to c = 1, e = 1074: 5e-324.
 */
export interface RawTiny {
  c: number;
  g: number; // e = 1074 − g
}
export const rawTiny: fc.Arbitrary<RawTiny> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.tuple(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 0, max: 51 })), weight: 1 },
  { arbitrary: fc.tuple(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 52, max: 1034 })), weight: 1 },
).map(([c, g]) => ({ c, g }));

export function tinyValue(t: RawTiny): number {
  return t.c * 2 ** -(1074 - t.g);
}

/** Throws a typed error for a bad constraint. */
export function badOption(fn: string, argument: string, detail: string): never {
  throw new InvalidInputError(fn, argument, null, 'bad-option', detail);
}

/** Validated [minLength, maxLength]. */
export function lengthRange(
  fn: string,
  minLength: number | undefined,
  maxLength: number | undefined,
  defaultMax: number,
  floor = 1,
): [number, number] {
  const min = minLength ?? floor;
  const max = maxLength ?? Math.max(defaultMax, min);
  if (!Number.isInteger(min) || min < 1) badOption(fn, 'minLength', `minLength must be an integer ≥ 1, got ${min}`);
  if (!Number.isInteger(max) || max < min) {
    badOption(fn, 'maxLength', `maxLength must be an integer ≥ minLength (${min}), got ${max}`);
  }
  if (max > 100000) badOption(fn, 'maxLength', `maxLength must be ≤ 100000, got ${max}`);
  return [min, max];
}

/** Inserts items into base at positions pos[i] mod (current length + 1), in order. */
export function insertAt<T>(base: readonly T[], items: readonly T[], pos: readonly number[]): T[] {
  const out = base.slice();
  items.forEach((it, i) => out.splice(pos[i]! % (out.length + 1), 0, it));
  return out;
}
