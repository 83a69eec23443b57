import fc from 'fast-check';
import { DEFAULT_MAX_LENGTH, badOption, lengthRange } from './_internal/building';
import { DistributionPair, PAIR_RELATIONS, PAIR_RELATION_MIN_LENGTH, PairRelation, pair } from './pair';

/** Weights of the default mixture of {@link anyPair} (percent). */
export const ANY_PAIR_WEIGHTS: Readonly<Record<PairRelation, number>> = {
  independent: 12,
  equal: 8,
  'near-equal': 12,
  'p-ll-q': 10,
  'q-ll-p': 10,
  'common-zeros': 10,
  mismatch: 12,
  'near-mismatch': 16,
  disjoint: 10,
};

/**
 * Constraints to be applied on {@link anyPair}.
 */
export interface AnyPairConstraints {
  /**
   * Lower bound of the number of categories (relations that need more are still drawn with their
   * own minimum).
   * @defaultValue 1
   */
  minLength?: number;
  /**
   * Upper bound of the number of categories (relations that need more are left out).
   * @defaultValue 300
   */
  maxLength?: number;
  /**
   * Both vectors of every pair sum to exactly 1 (see `PairConstraints.exact`).
   * @defaultValue false
   */
  exact?: boolean;
  /**
   * The relations to mix, weighted as in {@link ANY_PAIR_WEIGHTS}.
   * @defaultValue all of {@link PAIR_RELATIONS}
   */
  relations?: readonly PairRelation[];
}

/**
 * Pairs from every relation of {@link pair}, mixed with the weights {@link ANY_PAIR_WEIGHTS}: the
 * default input of a two-argument property. The output is `{ p, q, relation }`.
 *
 * Shrinking never leaves the relation a pair was drawn with (a mismatch pair stays a mismatch
 * pair), so a counterexample still shows the corner that broke the implementation.
 *
 * @param constraints - Constraints to apply when building instances
 */
export function anyPair(constraints: AnyPairConstraints = {}): fc.Arbitrary<DistributionPair> {
  const fn = 'anyPair';
  const [min, max] = lengthRange(fn, constraints.minLength, constraints.maxLength, DEFAULT_MAX_LENGTH);
  const exact = constraints.exact === true;
  const relations = constraints.relations ?? PAIR_RELATIONS;
  for (const r of relations) if (!PAIR_RELATIONS.includes(r)) badOption(fn, 'relations', `unknown relation '${String(r)}'`);
  const usable = relations.filter(
    (r) => Math.max(min, PAIR_RELATION_MIN_LENGTH[r]) <= max && !(exact && r === 'near-mismatch' && max < 24),
  );
  if (usable.length === 0) badOption(fn, 'relations', `no relation in [${relations.join(', ')}] fits maxLength ${max}`);
  const arbs = usable.map((relation) => ({
    arbitrary: pair({ relation, minLength: min, maxLength: max, exact }),
    weight: ANY_PAIR_WEIGHTS[relation],
  }));
  return arbs.length === 1 ? arbs[0]!.arbitrary : fc.oneof(...arbs);
}
