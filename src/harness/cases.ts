/**
 * What the check run draws for each function of the contract: explicit generator classes (an
 * arbitrary of argument lists and its label), drawn first stratified, then at random.
 *
 * Coverage is a guarantee, not a frequency: a run of `runs` cases starts with a round-robin prefix
 * over the function's classes — case i of the prefix draws from class i mod K, at random within the
 * class — of K·m cases, m = {@link perClassMinimum}(runs, K) (3 at the default 200 runs); the rest
 * are drawn from the weighted mixture of the same classes. So every class, including the rare corners
 * (cross-entropies above 708, positive log joints, gaps of 10^4 … 10^15, Gaussians whose squares
 * overflow, unnormalised generalizedKl pairs), is drawn at least m times in every run, whatever the
 * seed. The prefix depends on the seed alone: shards and workers draw the same cases.
 *
 * Where the kernels' strict (ulps) target applies is decided by accuracy.strictApplies.
 */
import fc from 'fast-check';
import { CONTRACT, CONTRACT_FUNCTIONS, ContractFunction } from '../contract';
import {
  ANY_PAIR_WEIGHTS, anyPair, distribution, DISTRIBUTION_SHAPE_WEIGHTS, DISTRIBUTION_SHAPES, GAUSSIAN_RELATION_WEIGHTS,
  GAUSSIAN_RELATIONS, gaussianPair, LATENT_KIND_WEIGHTS, LATENT_KINDS, LATENT_SHAPE_WEIGHTS, LATENT_SHAPES, latentModel,
  PAIR_RELATIONS, shapeOf, unnormalized, UNNORMALIZED_SHAPE_WEIGHTS, UNNORMALIZED_SHAPES,
} from '../generators';

export interface Case {
  args: unknown[];
  /** The generator class of the draw (one of the function's {@link CaseClass} labels). */
  label: string;
}

/** One generator class of a function's cases. */
export interface CaseClass {
  readonly label: string;
  /** Weight in the random (post-prefix) mixture. */
  readonly weight: number;
  readonly arbitrary: fc.Arbitrary<Case>;
}

export interface FunctionCases {
  /** Contract function name. */
  readonly fn: string;
  /** Parameter names, in order. */
  readonly params: readonly string[];
  /** The classes, in round-robin order (absent: no stratification, `arbitrary` only). */
  readonly classes?: readonly CaseClass[];
  /** The weighted mixture of the classes (what a draw after the prefix comes from). */
  readonly arbitrary: fc.Arbitrary<Case>;
}

/** Draws per class guaranteed in every run (while runs allow it: at most half the run is the prefix). */
export const MIN_PER_CLASS = 3;

/** m: each class is drawn at least m times in a run of `runs` cases over K classes. */
export function perClassMinimum(runs: number, classes: number): number {
  return Math.max(Math.min(MIN_PER_CLASS, Math.floor(runs / (2 * classes))), runs >= classes ? 1 : 0);
}

const labelled = (label: string, weight: number, arb: fc.Arbitrary<unknown[]>): CaseClass => ({
  label, weight, arbitrary: arb.map((args) => ({ args, label })),
});

// --- pairs -------------------------------------------------------------------------------------

const pairClasses: CaseClass[] = PAIR_RELATIONS.map((r) =>
  labelled(r, ANY_PAIR_WEIGHTS[r], anyPair({ relations: [r] }).map(({ p, q }) => [p, q])));

/**
 * Cross-entropies above 708 (0.13% of anyPair draws): p puts ≥ 0.995 on one category, where q has a
 * mass 2^-e, e ∈ [1060, 1074] (subnormal: −log q ≥ 734); the other q masses are float-normalised.
 * A product-form −log Π q^p underflows there; the exact value is finite.
 */
const hugeCrossEntropy: CaseClass = labelled('cross-entropy-above-708', 3, fc
  .tuple(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 1060, max: 1074 }))
  .map(([wp, wq, e]) => {
    const n = wp.length + 1;
    const pw = [1000 * 1000, ...wp];
    const P = pw.reduce((a, b) => a + b, 0);
    const qw = wq.slice(0, n - 1);
    const Q = qw.reduce((a, b) => a + b, 0);
    return [pw.map((x) => x / P), [2 ** -e, ...qw.map((x) => x / Q)]];
  }));

const klClasses = [...pairClasses, hugeCrossEntropy];

/**
 * generalizedKl is defined on all nonnegative vectors, and its −Σp + Σq terms vanish only when the
 * masses are equal: besides normalised pairs it draws pairs of unnormalized() vectors (cut to a
 * common length), one class per shape of p, labelled `unnormalized/<shape>`, so that dropping those
 * terms is caught.
 */
const unnormalizedClasses: CaseClass[] = UNNORMALIZED_SHAPES.map((s) => labelled(`unnormalized/${s}`, UNNORMALIZED_SHAPE_WEIGHTS[s],
  fc.tuple(unnormalized({ maxLength: 64 }).filter((a) => shapeOf(a) === s), unnormalized({ maxLength: 64 })).map(([a, b]) => {
    const n = Math.min(a.length, b.length);
    return [a.slice(0, n), b.slice(0, n)];
  })));

// --- one distribution ----------------------------------------------------------------------------

const distClasses: CaseClass[] = DISTRIBUTION_SHAPES.map((s) => labelled(s, DISTRIBUTION_SHAPE_WEIGHTS[s], distribution({ shapes: [s] }).map((p) => [p])));

// --- latent models -------------------------------------------------------------------------------

const latentClasses: CaseClass[] = LATENT_SHAPES.map((s) => labelled(s, LATENT_SHAPE_WEIGHTS[s], latentModel({ shapes: [s] }).map((m) => [m.logJoint])));
const elboClasses: CaseClass[] = LATENT_SHAPES.flatMap((s) => LATENT_KINDS.map((k) =>
  labelled(`${s}/${k}`, LATENT_SHAPE_WEIGHTS[s] * LATENT_KIND_WEIGHTS[k], latentModel({ shapes: [s], kinds: [k] }).map((m) => [m.logJoint, m.q]))));

// --- Gaussians -----------------------------------------------------------------------------------

const gaussClasses: CaseClass[] = GAUSSIAN_RELATIONS.map((r) =>
  labelled(r, GAUSSIAN_RELATION_WEIGHTS[r], gaussianPair({ relations: [r] }).map((g) => [g.mu1, g.sigma1, g.mu2, g.sigma2])));
/** klNormalDiag: coordinate 0 from the class's relation, up to 7 more from any relation. */
const diagClasses: CaseClass[] = GAUSSIAN_RELATIONS.map((r) => labelled(r, GAUSSIAN_RELATION_WEIGHTS[r],
  fc.tuple(gaussianPair({ relations: [r] }), fc.array(gaussianPair(), { maxLength: 7 })).map(([g0, rest]) => {
    const gs = [g0, ...rest];
    return [gs.map((g) => g.mu1), gs.map((g) => g.sigma1), gs.map((g) => g.mu2), gs.map((g) => g.sigma2)];
  })));

/** The cases of `fn`: its parameters are the contract table's (src/contract.ts). */
function spec(fn: ContractFunction, classes: readonly CaseClass[]): FunctionCases {
  return { fn, params: CONTRACT[fn].params.map((p) => p.name), classes, arbitrary: fc.oneof(...classes.map((c) => ({ arbitrary: c.arbitrary, weight: c.weight }))) };
}

/** The generator classes of every contract function (the type makes a function without cases a compile error). */
const CLASSES: { readonly [F in ContractFunction]: readonly CaseClass[] } = {
  kl: klClasses,
  crossEntropy: klClasses,
  generalizedKl: [...pairClasses, ...unnormalizedClasses],
  entropy: distClasses,
  negEntropy: distClasses,
  negEntropyGradient: distClasses,
  logEvidence: latentClasses,
  posterior: latentClasses,
  elbo: elboClasses,
  klNormal: gaussClasses,
  klNormalDiag: diagClasses,
};

/** The cases of every contract function, in the contract table's order (the order the check runs them). */
export const FUNCTION_CASES: readonly FunctionCases[] = CONTRACT_FUNCTIONS.map((fn) => spec(fn, CLASSES[fn]));

/**
 * The arbitrary of one run of `runs` cases: the stratified prefix, then the mixture (module
 * comment). Stateful — it counts its draws — so make a fresh one for every run. Shrinking a draw
 * stays within the class it was drawn from.
 */
export function stratifiedCases(s: FunctionCases, runs: number): fc.Arbitrary<Case> {
  if (!s.classes || s.classes.length === 0) return s.arbitrary;
  const K = s.classes.length;
  const prefix = K * perClassMinimum(runs, K);
  return new Stratified(s.classes.map((c) => c.arbitrary), s.arbitrary, prefix);
}

class Stratified extends fc.Arbitrary<Case> {
  private drawn = 0;
  constructor(private readonly classes: readonly fc.Arbitrary<Case>[], private readonly mixture: fc.Arbitrary<Case>, private readonly prefix: number) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<Case> {
    const i = this.drawn++;
    const k = i < this.prefix ? i % this.classes.length : -1;
    const arb = k >= 0 ? this.classes[k]! : this.mixture;
    const v = arb.generate(mrng, biasFactor);
    return new fc.Value(v.value_, { k, inner: v.context });
  }

  canShrinkWithoutContext(value: unknown): value is Case {
    return this.mixture.canShrinkWithoutContext(value);
  }

  shrink(value: Case, context: unknown): fc.Stream<fc.Value<Case>> {
    const c = context as { k: number; inner: unknown } | undefined;
    if (c === undefined) return this.mixture.shrink(value, undefined);
    const arb = c.k >= 0 ? this.classes[c.k]! : this.mixture;
    return arb.shrink(value, c.inner).map((v) => new fc.Value(v.value_, { k: c.k, inner: v.context }));
  }
}
