/**
 * `mle`: maximum likelihood is cross-entropy minimisation against the empirical distribution.
 * For a sample x₁ … x_N over n categories with empirical distribution p̂ (p̂_i = #{k : x_k = i}/N):
 *   H(p̂, q) = −(1/N) Σ_k log q(x_k)                  (cross-entropy = mean negative log-likelihood)
 *   −(1/N) Σ_k log q(x_k) ≥ −(1/N) Σ_k log p̂(x_k)     (over the simplex the NLL is minimised at p̂)
 * (seed 003 "Forward KL-Divergence": min forward KL ⇔ min cross-entropy ⇔ max likelihood; seed 004
 * "The Machine Learning Perspective": J(θ) = H(D̂, q_θ); seed 002).
 *
 * Sample sizes are powers of two (1 … 32), so p̂_i = c_i/N are exact doubles and the reference
 * evaluates H(p̂, q) for exactly the empirical distribution; the NLLs are evaluated per sample
 * point (one logarithm per draw, not per category), so the grouping by category is what the first
 * step checks.
 */
import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { Ctx, Expr, Hypothesis, Step, Theorem } from '../src/theorem';
import { lnOf, sumsExactlyTo, xsum } from '../src/theorem';
import { crossEntropy, entropy, kl } from '../src/reference';
import { distribution, unnormalized } from '../src/generators';
import { judge, strictApplies } from '../src/numeric/accuracy';
import { dyMul, dyOf } from '../src/numeric/dyadic';
import { dyCmp, fmtDec, fmtVec, nonneg, refOpts, smallDistribution } from './support';

export interface MleInstance {
  /** Category indices 0 … n − 1. */
  sample: number[];
  /** The (claimed) empirical distribution of the sample. */
  p: number[];
  /** The model. */
  q: number[];
}

type I = MleInstance;

function counts(sample: readonly number[], n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const x of sample) c[x] = c[x]! + 1;
  return c;
}

/** The empirical distribution (exact for N a power of two; N·p̂_i = c_i is checked by isEmpirical). */
export function empirical(sample: readonly number[], n: number): number[] {
  return counts(sample, n).map((c) => c / sample.length);
}

/** p_i·N = c_i exactly for every i (BigInt), with every sample point a valid index. */
function isEmpirical(sample: readonly number[], p: readonly number[]): boolean {
  const n = p.length;
  if (sample.length === 0 || !sample.every((x) => Number.isInteger(x) && x >= 0 && x < n)) return false;
  const c = counts(sample, n);
  const N = { m: BigInt(sample.length), e: 0 };
  return p.every((pi, i) => Number.isFinite(pi) && dyCmp(dyMul(dyOf(pi), N), { m: BigInt(c[i]!), e: 0 }) === 0);
}

/** −(1/N) Σ_k log v(x_k): one term per draw (+∞ when some v(x_k) = 0); each category's log computed once. */
function meanNll(sample: readonly number[], v: readonly number[], ctx: Ctx): Decimal {
  const logs = new Map<number, Decimal>();
  const terms = sample.map((x) => {
    let l = logs.get(x);
    if (l === undefined) logs.set(x, (l = lnOf(v[x]!, ctx).neg()));
    return l;
  });
  return xsum(terms, ctx).div(sample.length);
}

const nllQ: Expr<I> = { text: '−(1/N) Σ_k log q(x_k)', value: ({ sample, q }, ctx) => meanNll(sample, q, ctx) };
const nllP: Expr<I> = { text: '−(1/N) Σ_k log p̂(x_k)', value: ({ sample, p }, ctx) => meanNll(sample, p, ctx) };
const CE: Expr<I> = { text: 'H(p̂, q)', value: ({ p, q }, ctx) => new ctx.D(crossEntropy(p, q, refOpts(ctx))) };
const Hp: Expr<I> = { text: 'H(p̂)', value: ({ p }, ctx) => new ctx.D(entropy(p, refOpts(ctx))) };
const HplusKL: Expr<I> = {
  text: 'H(p̂) + KL(p̂‖q)',
  value: ({ p, q }, ctx) => xsum([new ctx.D(entropy(p, refOpts(ctx))), new ctx.D(kl(p, q, refOpts(ctx)))], ctx),
};

const hypotheses: Hypothesis<I>[] = [
  {
    id: 'p-empirical',
    text: 'p̂ is the empirical distribution of the sample: p̂_i = #{k : x_k = i}/N',
    holds: ({ sample, p }) => isEmpirical(sample, p),
  },
  {
    id: 'q-sums-to-one',
    text: 'q is a distribution: q_i ≥ 0, Σ q = 1 exactly (the model ranges over the simplex)',
    holds: ({ q, p }) => nonneg(q) && q.length === p.length && sumsExactlyTo(q),
  },
];

const proof: Step<I>[] = [
  {
    id: 'group-by-category',
    lhs: nllQ,
    relation: '=',
    rhs: CE,
    justification: 'Σ_k log q(x_k) = Σ_i c_i log q_i (group the draws by category), and c_i/N = p̂_i',
    uses: ['p-empirical'],
  },
  {
    id: 'decomposition',
    lhs: CE,
    relation: '=',
    rhs: HplusKL,
    justification: 'H(p̂, q) = H(p̂) + KL(p̂‖q) (seed 000 Prop. 22.6), in the extended reals: both sides +∞ when q misses a sampled category',
    uses: [],
  },
  {
    id: 'gibbs',
    lhs: HplusKL,
    relation: '>=',
    rhs: Hp,
    justification: "KL(p̂‖q) ≥ 0 (Gibbs' inequality: p̂ and q are distributions), with equality iff q = p̂ — the maximum-likelihood estimate over the simplex is the empirical distribution",
    uses: ['q-sums-to-one'],
  },
  {
    id: 'empirical-nll',
    lhs: Hp,
    relation: '=',
    rhs: nllP,
    justification: 'the first step with q = p̂: the entropy of p̂ is the mean NLL of the sample under p̂',
    uses: ['p-empirical'],
  },
];

/** n categories, a sample of N = 2^j draws, and a model q: any exact distribution, a short-mantissa one, or p̂ itself. */
const instances: fc.Arbitrary<I> = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 }))
  .chain(([n, j]) =>
    fc.tuple(
      fc.array(fc.nat(n - 1), { minLength: 2 ** j, maxLength: 2 ** j }),
      fc.oneof(
        distribution({ exact: true, minLength: n, maxLength: n }),
        smallDistribution({ minLength: n, maxLength: n }),
        fc.constant(null),
      ),
    ).map(([sample, q]) => {
      const p = empirical(sample, n);
      return { sample, p, q: q ?? p.slice() };
    }),
  );

/** A claimed p̂ that is some other distribution (the sample's counts are not p̂·N). */
const notEmpirical: fc.Arbitrary<I> = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }))
  .chain(([n, j]) =>
    fc.tuple(
      fc.array(fc.nat(n - 1), { minLength: 2 ** j, maxLength: 2 ** j }),
      smallDistribution({ minLength: n, maxLength: n }),
      smallDistribution({ minLength: n, maxLength: n }),
    ),
  )
  .map(([sample, p, q]) => ({ sample, p, q }))
  .filter(({ sample, p }) => !isEmpirical(sample, p));

/** A model that is not normalised (Σq ∈ {0} ∪ (0, ½] ∪ [2, ∞)). */
const unnormalisedModel: fc.Arbitrary<I> = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }))
  .chain(([n, j]) =>
    fc.tuple(fc.array(fc.nat(n - 1), { minLength: 2 ** j, maxLength: 2 ** j }), unnormalized({ minLength: n, maxLength: n })),
  )
  .map(([sample, q]) => ({ sample, p: empirical(sample, q.length), q }));

export const mle: Theorem<I> = {
  id: 'mle',
  title: 'Cross-entropy against the empirical distribution is the mean NLL, minimised over the simplex at the empirical distribution',
  source: 'seed 003 "Forward KL-Divergence" (min cross-entropy ⇔ max likelihood); seed 004 "The Machine Learning Perspective"; seed 002 "Cross-entropy loss in classification"',
  kind: 'theorem',
  statements: [
    { text: 'H(p̂, q) = −(1/N) Σ_k log q(x_k)', lhs: CE, relation: '=', rhs: nllQ },
    { text: '−(1/N) Σ_k log q(x_k) ≥ −(1/N) Σ_k log p̂(x_k): the empirical distribution maximises the likelihood', lhs: nllQ, relation: '>=', rhs: nllP },
  ],
  hypotheses,
  instances,
  proof,
  ablations: [
    { hypothesis: 'p-empirical', arbitrary: notEmpirical },
    { hypothesis: 'q-sums-to-one', arbitrary: unnormalisedModel },
  ],
  functions: ['crossEntropy', 'entropy'],
  float64: {
    functions: ['crossEntropy', 'entropy'],
    check({ p, q }, candidate, opts) {
      const ce = candidate.crossEntropy as unknown as (a: number[], b: number[]) => number;
      const ent = candidate.entropy as unknown as (a: number[]) => number;
      const mode = opts?.mode ?? 'standard';
      const problems: string[] = [];
      const vCE = ce(p, q);
      const vH = ent(p);
      const eCE = crossEntropy(p, q);
      const eH = entropy(p);
      const jCE = judge('crossEntropy', [p, q], vCE, eCE, { mode: mode === 'strict' && strictApplies('crossEntropy', [p, q], eCE) ? 'strict' : 'standard' });
      const jH = judge('entropy', [p], vH, eH, { mode: mode === 'strict' && strictApplies('entropy', [p], eH) ? 'strict' : 'standard' });
      if (!jCE.ok) problems.push(`crossEntropy(p̂, q) = ${vCE}, exact ${fmtDec(eCE)}: ${jCE.reason}`);
      if (!jH.ok) problems.push(`entropy(p̂) = ${vH}, exact ${fmtDec(eH)}: ${jH.reason}`);
      if (problems.length === 0 && Number.isFinite(vCE) && vCE < vH - (jCE.bound + jH.bound)) {
        problems.push(`crossEntropy(p̂, q) = ${vCE} < entropy(p̂) = ${vH} beyond the allowed errors: the empirical distribution would not be the MLE`);
      }
      return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}) };
    },
  },
  describe: ({ sample, p, q }) => `sample = [${sample.join(', ')}], p̂ = ${fmtVec(p)}, q = ${fmtVec(q)}`,
  toJSON: ({ sample, p, q }) => ({ sample, p, q }),
};
