import fc from 'fast-check';
import { DEFAULT_MAX_LENGTH, badOption, lengthRange, vectorOf } from './_internal/building';
import { tag } from './_internal/registry';
import { distribution } from './distribution';

/**
 * The shapes of {@link unnormalized}:
 *
 * | shape    | recipe                                                                                   | sum                    |
 * |----------|------------------------------------------------------------------------------------------|------------------------|
 * | `counts` | histogram counts: integers 0..1000, at least one positive                                 | an integer ≥ 2         |
 * | `scaled` | a {@link distribution} times 2^e, e ∈ ±[1, 1000] (entries may underflow to subnormal or 0) | ≈ 2^e: ≤ ½ or ≥ 2      |
 * | `zero`   | all entries 0                                                                             | 0                      |
 */
export const UNNORMALIZED_SHAPES = ['counts', 'scaled', 'zero'] as const;
export type UnnormalizedShape = (typeof UNNORMALIZED_SHAPES)[number];

export const UNNORMALIZED_SHAPE_WEIGHTS: Readonly<Record<UnnormalizedShape, number>> = {
  counts: 40,
  scaled: 50,
  zero: 10,
};

/**
 * Constraints to be applied on {@link unnormalized}.
 */
export interface UnnormalizedConstraints {
  /**
   * Lower bound of the number of entries.
   * @defaultValue 1
   */
  minLength?: number;
  /**
   * Upper bound of the number of entries.
   * @defaultValue 300
   */
  maxLength?: number;
  /**
   * Include the all-zero vector (shape `zero`), a nonnegative vector no normalisation can fix.
   * @defaultValue true
   */
  allowZero?: boolean;
}

/**
 * Nonnegative finite vectors whose sums are far from 1 (0, ≤ ½, or ≥ 2): for ablating the
 * hypothesis "p is a probability distribution" and for functions defined on all nonnegative
 * vectors (the generalised KL). Every entry is finite and ≥ 0.
 *
 * The output is a plain `number[]`; `shapeOf(v)` tells the shape ({@link UNNORMALIZED_SHAPES}).
 * Shrinks to `[2]` (counts, scaled) or `[0]` (zero).
 *
 * @param constraints - Constraints to apply when building instances
 */
export function unnormalized(constraints: UnnormalizedConstraints = {}): fc.Arbitrary<number[]> {
  const fn = 'unnormalized';
  const [min, max] = lengthRange(fn, constraints.minLength, constraints.maxLength, DEFAULT_MAX_LENGTH);
  if (constraints.allowZero !== undefined && typeof constraints.allowZero !== 'boolean') {
    badOption(fn, 'allowZero', 'allowZero must be a boolean');
  }
  const counts = vectorOf(fc.integer({ min: 0, max: 1000 }), min, max).map((c) => {
    const v = c.slice();
    let total = 0;
    for (const x of v) total += x;
    if (total < 2) v[v.length - 1]! += 2 - total;
    return tag(v, 'counts');
  });
  const scaled = fc
    .tuple(fc.constantFrom(1, -1), fc.integer({ min: 1, max: 1000 }), distribution({ minLength: min, maxLength: max }))
    .map(([sign, e, p]) => {
      const f = 2 ** (sign * e);
      return tag(
        p.map((x) => x * f),
        'scaled',
      );
    });
  const zero = vectorOf(fc.constant<number>(0), min, max).map((z) => tag(z.slice(), 'zero'));
  const arbs = [
    { arbitrary: counts, weight: UNNORMALIZED_SHAPE_WEIGHTS.counts },
    { arbitrary: scaled, weight: UNNORMALIZED_SHAPE_WEIGHTS.scaled },
  ];
  if (constraints.allowZero !== false) arbs.push({ arbitrary: zero, weight: UNNORMALIZED_SHAPE_WEIGHTS.zero });
  return fc.oneof(...arbs);
}
