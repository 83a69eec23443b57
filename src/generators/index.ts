/**
 * klcheck's fast-check arbitraries: random inputs drawn where the bugs of KL-divergence code hide.
 * Public: import them into ava / jest / vitest / node:test suites. See docs/generators.md.
 */
export { distribution, DISTRIBUTION_SHAPES, DISTRIBUTION_SHAPE_WEIGHTS } from './distribution';
export type { DistributionConstraints, DistributionShape } from './distribution';
export { pair, PAIR_RELATIONS, PAIR_RELATION_MIN_LENGTH } from './pair';
export type { DistributionPair, PairConstraints, PairRelation } from './pair';
export { anyPair, ANY_PAIR_WEIGHTS } from './anyPair';
export type { AnyPairConstraints } from './anyPair';
export { unnormalized, UNNORMALIZED_SHAPES, UNNORMALIZED_SHAPE_WEIGHTS } from './unnormalized';
export type { UnnormalizedConstraints, UnnormalizedShape } from './unnormalized';
export { latentModel, LATENT_SHAPES, LATENT_KINDS, LATENT_SHAPE_WEIGHTS, LATENT_KIND_WEIGHTS } from './latentModel';
export type { LatentModel, LatentModelConstraints, LatentShape, LatentKind } from './latentModel';
export { gaussianPair, GAUSSIAN_RELATIONS, GAUSSIAN_RELATION_WEIGHTS } from './gaussianPair';
export type { GaussianPair, GaussianPairConstraints, GaussianRelation } from './gaussianPair';
export { invalidInput, INVALID_TARGETS } from './invalidInput';
export type { InvalidCase, InvalidInputConstraints, InvalidTarget } from './invalidInput';
export {
  shapeOf,
  pairRelationHolds,
  sumsExactlyToOne,
  isValidVector,
  hasSubnormal,
  hasZero,
  ratioOverflows,
  klFinite,
  lengthBucket,
  minPositiveBucket,
  LENGTH_BUCKETS,
  MIN_POSITIVE_BUCKETS,
  MIN_NORMAL,
} from './classify';
export { generatorStats, formatStats, COVERAGE, DEFAULT_STATS_SEED, DEFAULT_STATS_COUNT } from './stats';
export type { ArbitraryStats, CoverageSpec, Dimension } from './stats';
