import fc from 'fast-check';
import {
  DEFAULT_MAX_LENGTH,
  RawTiny,
  RawWeight,
  badOption,
  exponentialSpacing,
  extraBitsArb,
  insertAt,
  lengthRange,
  rawTiny,
  rawWeight,
  spreadArb,
  tinyValue,
  uniform53,
  vectorOf,
  weightValue,
} from './_internal/building';
import {
  ONE_SCALED,
  accurateSum,
  chunksOf,
  dyadicNormalize,
  exactScaledSum,
  floatNormalize,
  nextUp,
  toIntegerWeights,
  toScaled,
} from './_internal/exact';
import { tag } from './_internal/registry';

/**
 * The named shapes of {@link distribution}, in the order of the default mixture.
 *
 * | shape          | recipe                                                                                         | n     | sums to exactly 1?       |
 * |----------------|------------------------------------------------------------------------------------------------|-------|--------------------------|
 * | `dirichlet`    | exponential spacings −log U of 53-bit uniforms U, normalised (uniform on the simplex)           | ≥ 1   | float-normalised         |
 * | `sparse`       | explicit zeros (at least one) among positive integer weights                                    | ≥ 2   | half exact, half float   |
 * | `one-hot`      | a single 1, zeros elsewhere                                                                    | ≥ 1   | exactly                  |
 * | `near-uniform` | 1/n with relative perturbations from 1e-2 down to 2e-16                                          | ≥ 1   | float-normalised         |
 * | `heavy-tailed` | Pareto weights U^(−1/α), α ∈ {1, ½, ¼, ⅛}: a few large masses, a long tail of small ones        | ≥ 1   | float-normalised         |
 * | `tiny`         | a bulk plus 1–8 tiny masses c·2^−e, e ∈ [40, 1074]: down to 5e-324, often subnormal              | ≥ 2   | float (exact if `exact`) |
 * | `dyadic`       | integers k_i ≥ 1 with Σk_i = 2^m (m ≤ 53), entries k_i/2^m                                      | ≥ 1   | exactly                  |
 * | `float`        | integer weights divided by their sum in float64, guaranteed NOT to sum to exactly 1             | ≥ 2   | never                    |
 *
 * "float-normalised" vectors sum to 1 within 2 ulps of 1 (|Σp − 1| ≤ 2^-51 exactly), but usually
 * not exactly. With `exact: true`, `tiny` vectors are made exact by replacing their largest bulk
 * entry B by the doubles (up to 21 of them, largest first, appended at the end) whose exact sum is
 * B − Σ tiny: exactly normalised vectors with subnormal entries are necessarily long (the
 * complement of 5e-324 in 1 has 1074 significant bits). They are only drawn when asked for, so
 * that default counterexamples shrink to a few categories.
 */
export const DISTRIBUTION_SHAPES = [
  'dirichlet',
  'sparse',
  'one-hot',
  'near-uniform',
  'heavy-tailed',
  'tiny',
  'dyadic',
  'float',
] as const;
export type DistributionShape = (typeof DISTRIBUTION_SHAPES)[number];

/** Weights of the default mixture (percent). */
export const DISTRIBUTION_SHAPE_WEIGHTS: Readonly<Record<DistributionShape, number>> = {
  dirichlet: 18,
  sparse: 15,
  'one-hot': 5,
  'near-uniform': 10,
  'heavy-tailed': 12,
  tiny: 16,
  dyadic: 14,
  float: 10,
};

/** Shapes that need at least two categories. */
const NEEDS_TWO: ReadonlySet<DistributionShape> = new Set(['sparse', 'tiny', 'float']);

/**
 * Constraints to be applied on {@link distribution}.
 */
export interface DistributionConstraints {
  /**
   * Lower bound of the number of categories.
   * @defaultValue 1
   */
  minLength?: number;
  /**
   * Upper bound of the number of categories. Lengths are small more often than not: about 35% of
   * draws have at most 4 categories, 30% at most 16, 20% at most 64, 15% up to maxLength.
   * @defaultValue 300
   */
  maxLength?: number;
  /**
   * Only vectors whose entries sum to EXACTLY 1 (as real numbers). Every shape but `float` is then
   * built on a dyadic grid (`tiny` with complement chunks, which needs maxLength ≥ 22).
   * @defaultValue false
   */
  exact?: boolean;
  /**
   * The shapes to draw from, weighted as in the default mixture.
   * @defaultValue all of {@link DISTRIBUTION_SHAPES} (without `float` when `exact`)
   */
  shapes?: readonly DistributionShape[];
}

/**
 * Probability vectors: finite, ≥ 0, at least one positive entry, summing to 1 (exactly, or within
 * 2 ulps for float-normalised shapes), drawn from a mixture of named shapes
 * ({@link DISTRIBUTION_SHAPES}) where the bugs of real implementations hide: explicit zeros,
 * one-hot vectors, subnormal masses, near-uniform and heavy-tailed vectors, hundreds of categories,
 * exactly and float-normalised sums.
 *
 * The output is a plain `number[]`; `shapeOf(p)` (from `./classify`) tells which shape made it.
 *
 * Shrinking stays within the shape and goes to few categories and simple values: `[1]`,
 * `[½, ½]`, `[½, ¼, ¼]`, `[0, 1]` (sparse), `[5e-324, 1]` (tiny), `[⅓, ⅔]` (float).
 *
 * @param constraints - Constraints to apply when building instances
 *
 * @example
 * ```ts
 * fc.assert(fc.property(distribution(), (p) => entropy(p) >= 0));
 * fc.assert(fc.property(distribution({ exact: true, maxLength: 20 }), (p) => kl(p, p) === 0));
 * ```
 */
export function distribution(constraints: DistributionConstraints = {}): fc.Arbitrary<number[]> {
  const fn = 'distribution';
  const [min, max] = lengthRange(fn, constraints.minLength, constraints.maxLength, DEFAULT_MAX_LENGTH);
  const exact = constraints.exact === true;
  const requested = constraints.shapes ?? DISTRIBUTION_SHAPES.filter((s) => !(exact && s === 'float'));
  for (const s of requested) {
    if (!DISTRIBUTION_SHAPES.includes(s)) badOption(fn, 'shapes', `unknown shape '${String(s)}'`);
  }
  const usable = requested.filter(
    (s) =>
      !(NEEDS_TWO.has(s) && max < 2) && !(exact && s === 'float') && !(exact && s === 'tiny' && max < 22),
  );
  if (usable.length === 0) {
    badOption(fn, 'shapes', `no shape in [${requested.join(', ')}] can produce ${exact ? 'exact ' : ''}vectors of length ${min}..${max}`);
  }
  const arbs = usable.map((s) => ({
    arbitrary: shapeArbitrary(s, min, max, exact),
    weight: DISTRIBUTION_SHAPE_WEIGHTS[s],
  }));
  return arbs.length === 1 ? arbs[0]!.arbitrary : fc.oneof(...arbs);
}

function shapeArbitrary(shape: DistributionShape, min: number, max: number, exact: boolean): fc.Arbitrary<number[]> {
  const min2 = Math.max(2, min);
  const out = (v: number[]) => tag(v, shape);
  switch (shape) {
    case 'dirichlet':
      return vectorOf(uniform53, min, max).map((U) => out(normalize(U.map(exponentialSpacing), exact)));
    case 'sparse':
      return fc
        .tuple(
          // Mode first: tuples shrink their components in order, and the mode decides the most.
          fc.constantFrom('exact', 'float'),
          vectorOf(fc.tuple(fc.integer({ min: 0, max: 7 }), rawWeight), min2, max),
          fc.integer({ min: 1, max: 7 }),
          spreadArb,
          extraBitsArb,
        )
        .map(([mode, cells, threshold, spread, extra]) => {
          const zero = cells.map(([f]) => f >= threshold);
          if (zero.every((z) => !z)) zero[0] = true;
          if (zero.every((z) => z)) zero[zero.length - 1] = false;
          const positive = cells.filter((_, i) => !zero[i]).map(([, w]) => weightValue(w, spread));
          const masses = exact || mode === 'exact' ? dyadicNormalize(positive.map(BigInt), extra) : floatNormalize(positive);
          let j = 0;
          return out(zero.map((z) => (z ? 0 : masses[j++]!)));
        });
    case 'one-hot':
      return fc
        .tuple(vectorOf(fc.constant<number>(0), min, max), fc.integer({ min: 0, max: max - 1 }))
        .map(([zeros, i]) => {
          const v = zeros.slice();
          v[i % v.length] = 1;
          return out(v);
        });
    case 'near-uniform':
      return fc
        .tuple(vectorOf(fc.integer({ min: -1000, max: 1000 }), min, max), fc.integer({ min: 17, max: 52 }))
        .map(([delta, s]) => {
          const w = delta.map((d) => 2 ** s + d);
          return out(exact ? dyadicNormalize(w.map(BigInt), 53) : floatNormalize(w));
        });
    case 'heavy-tailed':
      return fc
        .tuple(vectorOf(uniform53, min, max), fc.integer({ min: 0, max: 3 }))
        .map(([U, a]) => {
          const alpha = 2 ** -a;
          return out(normalize(U.map((u) => ((u + 0.5) / 2 ** 53) ** (-1 / alpha)), exact));
        });
    case 'tiny':
      return fc
        .tuple(
          vectorOf(uniform53, Math.max(1, min - 1), max - 1),
          fc.array(fc.tuple(rawTiny, fc.nat({ max: max })), { minLength: 1, maxLength: Math.min(8, max - 1) }),
        )
        .map(([bulkU, tinies]) => out(tinyVector(bulkU, tinies, exact, max)));
    case 'dyadic':
      return fc
        .tuple(vectorOf(rawWeight, min, max), spreadArb, extraBitsArb)
        .map(([ws, spread, extra]) => out(dyadicNormalize(ws.map((w) => BigInt(weightValue(w, spread))), extra)));
    case 'float':
      return fc.tuple(vectorOf(rawWeight, min2, max), spreadArb).map(([ws, spread]) => out(floatShape(ws, spread)));
  }
}

/** Float or exact normalisation of positive float weights. */
function normalize(weights: number[], exact: boolean): number[] {
  return exact ? dyadicNormalize(toIntegerWeights(weights)) : floatNormalize(weights);
}

/** Integer weights divided by their sum, adjusted so that the exact sum is NOT 1. */
function floatShape(ws: readonly RawWeight[], spread: number): number[] {
  const w = ws.map((x) => weightValue(x, spread));
  let W = 0n;
  for (const x of w) W += BigInt(x);
  // A power-of-two total divides exactly: make it odd (n ≥ 2, so W ≥ 2 and W + 1 is no power of 2).
  if ((W & (W - 1n)) === 0n) {
    w[w.length - 1]! += 1;
    W += 1n;
  }
  const total = Number(W);
  const p = w.map((x) => x / total);
  if (exactScaledSum(p) === ONE_SCALED) {
    // Rounding errors cancelled exactly: move the largest entry up by one ulp.
    let j = 0;
    for (let i = 1; i < p.length; i++) if (p[i]! > p[j]!) j = i;
    p[j] = nextUp(p[j]!);
  }
  return p;
}

/**
 * A bulk (exponential spacings) with tiny masses inserted. Float mode: the bulk is normalised to
 * 1 − Σtiny. Exact mode: the bulk is dyadic (sums to 1) and its largest entry B is replaced by the
 * doubles summing exactly to B − Σtiny (the first in place, the rest appended). Entries are dropped
 * from the end of the bulk (then of the tiny list) until the length fits maxLength.
 */
function tinyVector(bulkU: readonly number[], tinies: readonly [RawTiny, number][], exact: boolean, max: number): number[] {
  let bulk = bulkU.map(exponentialSpacing);
  let tl = tinies.slice(0, Math.max(1, max - bulk.length));
  for (;;) {
    const t = tl.map(([r]) => tinyValue(r));
    if (!exact) {
      const b = floatNormalize(bulk, 1 - accurateSum(t));
      return insertAt(b, t, tl.map(([, pos]) => pos));
    }
    const b = dyadicNormalize(toIntegerWeights(bulk));
    let j = 0;
    for (let i = 1; i < b.length; i++) if (b[i]! > b[j]!) j = i;
    let T = 0n;
    for (const x of t) T += toScaled(x);
    const chunks = chunksOf(toScaled(b[j]!) - T);
    const n = b.length + t.length + chunks.length - 1;
    if (n <= max) {
      b[j] = chunks[0]!;
      return insertAt(b, t, tl.map(([, pos]) => pos)).concat(chunks.slice(1));
    }
    if (bulk.length > 1) bulk = bulk.slice(0, Math.max(1, bulk.length - (n - max)));
    else if (tl.length > 1) tl = tl.slice(0, tl.length - 1);
    else throw new Error('tinyVector: exact tiny vectors need maxLength ≥ 22'); // excluded by the caller
  }
}
