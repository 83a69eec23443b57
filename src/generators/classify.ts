/**
 * Classifying generated values: which recipe made a vector, whether a pair has the relation it
 * claims, and the observable classes the coverage table counts (length bucket, smallest positive
 * entry, subnormals, exact sums). Pure functions of the values (except {@link shapeOf}).
 */
import { sumsExactlyToOne } from './_internal/exact';
import { tagOf } from './_internal/registry';
import type { DistributionShape } from './distribution';
import type { PairRelation } from './pair';
import type { UnnormalizedShape } from './unnormalized';

export { sumsExactlyToOne };

/** Smallest positive normal double, 2^-1022. */
export const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * The shape that produced a vector drawn from {@link distribution} or {@link unnormalized}, or
 * `undefined` for any other array (including a copy of a generated one: the shape is remembered
 * per array object).
 */
export function shapeOf(v: readonly number[]): DistributionShape | UnnormalizedShape | undefined {
  return tagOf(v) as DistributionShape | UnnormalizedShape | undefined;
}

/** Length buckets of the coverage table. */
export const LENGTH_BUCKETS = ['1', '2', '3-4', '5-16', '17-64', '65-256', '257+'] as const;
export type LengthBucket = (typeof LENGTH_BUCKETS)[number];

export function lengthBucket(n: number): LengthBucket {
  if (n <= 1) return '1';
  if (n === 2) return '2';
  if (n <= 4) return '3-4';
  if (n <= 16) return '5-16';
  if (n <= 64) return '17-64';
  if (n <= 256) return '65-256';
  return '257+';
}

/** Buckets of the smallest positive entry. */
export const MIN_POSITIVE_BUCKETS = ['>=1e-3', '1e-16..1e-3', '2^-1022..1e-16', 'subnormal'] as const;
export type MinPositiveBucket = (typeof MIN_POSITIVE_BUCKETS)[number] | 'none';

export function minPositiveBucket(...vs: readonly (readonly number[])[]): MinPositiveBucket {
  let m = Infinity;
  for (const v of vs) for (const x of v) if (x > 0 && x < m) m = x;
  if (m === Infinity) return 'none';
  if (m >= 1e-3) return '>=1e-3';
  if (m >= 1e-16) return '1e-16..1e-3';
  if (m >= MIN_NORMAL) return '2^-1022..1e-16';
  return 'subnormal';
}

export function hasSubnormal(v: readonly number[]): boolean {
  return v.some((x) => x > 0 && x < MIN_NORMAL);
}

export function hasZero(v: readonly number[]): boolean {
  return v.some((x) => x === 0);
}

/** Whether v is a valid probability-like vector: nonempty, entries finite and ≥ 0. */
export function isValidVector(v: readonly number[]): boolean {
  return v.length >= 1 && v.every((x) => Number.isFinite(x) && x >= 0);
}

const support = (v: readonly number[]) => v.map((x) => x > 0);

/**
 * Whether (p, q) has the documented guarantee of `relation` (see {@link PAIR_RELATIONS}).
 * Relations overlap (an `equal` pair with zeros also has common zeros); this checks one of them.
 */
export function pairRelationHolds(relation: PairRelation, p: readonly number[], q: readonly number[]): boolean {
  if (p.length !== q.length || !isValidVector(p) || !isValidVector(q)) return false;
  const sp = support(p);
  const sq = support(q);
  const n = p.length;
  const idx = [...Array(n).keys()];
  const pOnly = idx.some((i) => sp[i] && !sq[i]);
  const qOnly = idx.some((i) => sq[i] && !sp[i]);
  const both = idx.some((i) => sp[i] && sq[i]);
  const none = idx.some((i) => !sp[i] && !sq[i]);
  switch (relation) {
    case 'independent':
      return sp.every(Boolean) && sq.every(Boolean);
    case 'equal':
      return p !== q && p.every((x, i) => Object.is(x, q[i]));
    case 'near-equal':
      return !pOnly && !qOnly && p.some((x, i) => x !== q[i]) && p.every((x, i) => x === 0 || Math.abs(q[i]! / x - 1) <= 0.02);
    case 'p-ll-q':
      return !pOnly && qOnly;
    case 'q-ll-p':
      return !qOnly && pOnly;
    case 'common-zeros':
      return !pOnly && !qOnly && none && both;
    case 'mismatch':
      return pOnly && both;
    case 'near-mismatch':
      return !pOnly && !qOnly && idx.some((i) => q[i]! > 0 && q[i]! < MIN_NORMAL && p[i]! >= 1 / (2 * n) && p[i]! / q[i]! === Infinity);
    case 'disjoint':
      return !both && pOnly && qOnly;
  }
}

/** Whether some p_i / q_i (q_i > 0) overflows to +∞ in float64. */
export function ratioOverflows(p: readonly number[], q: readonly number[]): boolean {
  return p.some((x, i) => q[i]! > 0 && x / q[i]! === Infinity);
}

/** Whether kl(p‖q) is finite: no p_i > 0 where q_i = 0. */
export function klFinite(p: readonly number[], q: readonly number[]): boolean {
  return p.every((x, i) => x === 0 || q[i]! > 0);
}
