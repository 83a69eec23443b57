import fc from 'fast-check';
import { badOption } from './_internal/building';
import { nextUp } from './_internal/exact';

/**
 * The relations of {@link gaussianPair} between N(mu1, sigma1²) and N(mu2, sigma2²):
 *
 * | relation        | construction                                                                                      | KL            |
 * |-----------------|---------------------------------------------------------------------------------------------------|---------------|
 * | `equal`         | mu2 = mu1, sigma2 = sigma1                                                                         | 0             |
 * | `near-equal`    | sigma2 = sigma1·(1 + d·2^-k), d ∈ ±[1, 16], k ∈ [20, 52] (ratio 1 + 2^-40 …); mu2 = mu1 + sigma1·e·2^-j | ≈ 1e-32 … 1e-10 |
 * | `extreme-scale` | sigma2 / sigma1 = 10^±k, k ∈ [20, 150]; \|mu1 − mu2\| ≤ 1024·min(sigma1, sigma2)                    | up to ~5e299  |
 * | `far-means`     | sigma1, sigma2 within a factor 2^±8; \|mu1 − mu2\| = sigma2 · t · 10^k, k ∈ [5, 150]                    | up to ~1e300  |
 * | `independent`   | both drawn independently: mu = m·2^e (\|m\| ≤ 1024, \|e\| ≤ 30), sigma = (1 + f/1024)·2^g (\|g\| ≤ 30) | moderate      |
 * | `huge-scale`    | sigma1 = (1 + f/1024)·10^k, k ∈ [155, 300], sigma2 within 2^±8 of it, \|mu1 − mu2\| ≤ 1024·sigma2: sigma² and (mu1 − mu2)² overflow | moderate |
 * | `tiny-scale`    | the same with 10^-k: every square underflows                                                      | moderate      |
 *
 * Every sigma is finite and > 0, every mu finite, and the exact KL is finite and below 1e301
 * (it fits a double).
 */
export const GAUSSIAN_RELATIONS = ['equal', 'near-equal', 'extreme-scale', 'far-means', 'independent', 'huge-scale', 'tiny-scale'] as const;
export type GaussianRelation = (typeof GAUSSIAN_RELATIONS)[number];

export const GAUSSIAN_RELATION_WEIGHTS: Readonly<Record<GaussianRelation, number>> = {
  equal: 13,
  'near-equal': 22,
  'extreme-scale': 20,
  'far-means': 10,
  independent: 20,
  'huge-scale': 8,
  'tiny-scale': 7,
};

/** Two univariate Gaussians N(mu1, sigma1²), N(mu2, sigma2²) and the relation built into them. */
export interface GaussianPair {
  mu1: number;
  sigma1: number;
  mu2: number;
  sigma2: number;
  relation: GaussianRelation;
}

/**
 * Constraints to be applied on {@link gaussianPair}.
 */
export interface GaussianPairConstraints {
  /**
   * The relations to draw from, weighted as in the default mixture.
   * @defaultValue all of {@link GAUSSIAN_RELATIONS}
   */
  relations?: readonly GaussianRelation[];
}

const muArb = fc
  .tuple(fc.integer({ min: -1024, max: 1024 }), fc.integer({ min: -30, max: 30 }))
  .map(([m, e]) => m * 2 ** e);
const sigmaArb = fc
  .tuple(fc.integer({ min: 0, max: 1023 }), fc.integer({ min: -30, max: 30 }))
  .map(([f, g]) => (1 + f / 1024) * 2 ** g);

/**
 * Parameters of two univariate Gaussians, for klNormal: equal, nearly equal (sigma ratios
 * 1 + 2^-20 … 1 + 2^-52, where the textbook formula cancels), extreme scale ratios
 * (10^±20 … 10^±150), far-apart means, and independent draws.
 *
 * The output is `{ mu1, sigma1, mu2, sigma2, relation }` ({@link GAUSSIAN_RELATIONS}).
 * huge and tiny scales (10^±155 … 10^±300, where σ² and (μ1 − μ2)² over- or underflow).
 * Shrinks to mu = 0, sigma = 1 (10^±155 for huge/tiny scales) and the simplest perturbation: e.g. near-equal →
 * `(0, 1, 0, 1 + 2^-52)`, extreme-scale → `(0, 1, 0, 1e-20)`.
 *
 * @param constraints - Constraints to apply when building instances
 */
export function gaussianPair(constraints: GaussianPairConstraints = {}): fc.Arbitrary<GaussianPair> {
  const fn = 'gaussianPair';
  const relations = constraints.relations ?? GAUSSIAN_RELATIONS;
  if (relations.length === 0) badOption(fn, 'relations', 'at least one relation is needed');
  for (const r of relations) if (!GAUSSIAN_RELATIONS.includes(r)) badOption(fn, 'relations', `unknown relation '${String(r)}'`);
  const arbs = relations.map((r) => ({ arbitrary: relationArb(r), weight: GAUSSIAN_RELATION_WEIGHTS[r] }));
  return arbs.length === 1 ? arbs[0]!.arbitrary : fc.oneof(...arbs);
}

function relationArb(relation: GaussianRelation): fc.Arbitrary<GaussianPair> {
  switch (relation) {
    case 'equal':
      return fc.tuple(muArb, sigmaArb).map(([mu, sigma]) => ({ mu1: mu, sigma1: sigma, mu2: mu, sigma2: sigma, relation }));
    case 'near-equal':
      return fc
        .tuple(
          muArb,
          sigmaArb,
          fc.integer({ min: 0, max: 31 }), // d = ±(1 + x % 16)
          fc.integer({ min: 0, max: 32 }), // k = 52 − x
          fc.integer({ min: -16, max: 16 }),
          fc.integer({ min: 20, max: 60 }),
        )
        .map(([mu1, sigma1, dd, kk, e, j]) => {
          const d = (dd < 16 ? 1 : -1) * (1 + (dd % 16));
          const k = 52 - kk;
          let sigma2 = sigma1 * (1 + d * 2 ** -k);
          if (sigma2 === sigma1) sigma2 = nextUp(sigma1);
          const mu2 = mu1 + sigma1 * e * 2 ** -j;
          return { mu1, sigma1, mu2, sigma2, relation };
        });
    case 'extreme-scale':
      return fc
        .tuple(muArb, sigmaArb, fc.constantFrom(-1, 1), fc.integer({ min: 20, max: 150 }), fc.integer({ min: -1024, max: 1024 }))
        .map(([mu1, sigma1, sign, k, t]) => {
          const sigma2 = sigma1 * Number(`1e${sign * k}`);
          const mu2 = mu1 + t * Math.min(sigma1, sigma2);
          return { mu1, sigma1, mu2, sigma2, relation };
        });
    case 'far-means':
      return fc
        .tuple(muArb, sigmaArb, fc.integer({ min: -8, max: 8 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(1, -1), fc.integer({ min: 5, max: 150 }))
        .map(([mu1, sigma1, g, t, sign, k]) => {
          const sigma2 = sigma1 * 2 ** g;
          const mu2 = mu1 + sign * sigma2 * t * Number(`1e${k}`);
          return { mu1, sigma1, mu2, sigma2, relation };
        });
    case 'independent':
      return fc
        .tuple(muArb, sigmaArb, muArb, sigmaArb)
        .map(([mu1, sigma1, mu2, sigma2]) => ({ mu1, sigma1, mu2, sigma2, relation }));
    case 'huge-scale':
    case 'tiny-scale':
      return fc
        .tuple(fc.integer({ min: 0, max: 1023 }), fc.integer({ min: 155, max: 300 }), fc.integer({ min: -8, max: 8 }), fc.integer({ min: -1024, max: 1024 }), fc.integer({ min: -1024, max: 1024 }))
        .map(([f, k, g, m, t]) => {
          const sigma1 = (1 + f / 1024) * Number(`1e${relation === 'huge-scale' ? k : -k}`);
          const sigma2 = sigma1 * 2 ** g;
          const mu1 = m * sigma1;
          const mu2 = mu1 + t * sigma2;
          return { mu1, sigma1, mu2, sigma2, relation };
        });
  }
}
