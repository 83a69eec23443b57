/**
 * Three classical facts, where they are cheap and honest:
 *
 * - `data-processing`: KL(pK‖qK) ≤ KL(p‖q) for a row-stochastic matrix K (a Markov kernel: no
 *   post-processing of the data can make two hypotheses easier to tell apart).
 * - `joint-convexity`: KL(λp₁ + (1−λ)p₂ ‖ λq₁ + (1−λ)q₂) ≤ λKL(p₁‖q₁) + (1−λ)KL(p₂‖q₂), λ ∈ [0, 1].
 * - `log-sum`: Σ a_i log(a_i/b_i) ≥ (Σa) log(Σa/Σb) for nonnegative a, b — the inequality behind
 *   the other two (and behind Gibbs: take Σa = Σb = 1).
 *
 * Exactness: pK, qK and the mixtures are sums of products of the inputs. The inputs come from
 * `smallDistribution` (entries k/2^m, k < 2^10) and λ = k/64, so every such sum is an EXACT double
 * (checked in BigInt by `mustDouble`, which throws otherwise): the reference then evaluates KL for
 * exactly the transformed distributions. The log-sum right-hand side (Σa) log(Σa/Σb) uses the
 * exact dyadic sums.
 */
import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { Ctx, Expr, Hypothesis, Step, Theorem } from '../src/theorem';
import { dec, exactSumDy, lnDecimal, lnOf, sumsExactlyTo, xsum } from '../src/theorem';
import { kl } from '../src/reference';
import { pair, unnormalized } from '../src/generators';
import { judge, strictApplies } from '../src/numeric/accuracy';
import { decimalContext } from '../src/numeric/context';
import { Dy, dyAdd, dyMul, dyOf } from '../src/numeric/dyadic';
import { MASS_DIGITS, massKl } from './_shared/masses';
import {
  aLogAOverB,
  dyCmp,
  dyDec,
  fmt,
  fmtDec,
  fmtVec,
  mulExt,
  mustDouble,
  nonneg,
  refOpts,
  scalePow2,
  scaleVector,
  smallDistribution,
  wideCtx,
} from './support';

type Kl = (a: number[], b: number[]) => number;

/** Judge a candidate kl at the requested mode (strict only where it applies). */
function judgeKl(f: Kl, a: number[], b: number[], mode: 'standard' | 'strict'): { v: number; exact: Decimal; ok: boolean; bound: number; reason?: string } {
  const v = f(a, b);
  const exact = kl(a, b);
  const j = judge('kl', [a, b], v, exact, { mode: mode === 'strict' && strictApplies('kl', [a, b], exact) ? 'strict' : 'standard' });
  return { v, exact, ok: j.ok, bound: Number.isFinite(j.bound) ? j.bound : 0, ...(j.reason ? { reason: j.reason } : {}) };
}

// =============================================================================================
// data-processing
// =============================================================================================

export interface ChannelInstance {
  p: number[];
  q: number[];
  /** n × m matrix, rows K[i] (row i is the distribution of the output given input i). */
  K: number[][];
}

type C = ChannelInstance;

/** (vK)_j = Σ_i v_i K_ij, exactly. */
export function pushExact(v: readonly number[], K: readonly (readonly number[])[]): Dy[] {
  const m = K[0]!.length;
  const out: Dy[] = [];
  for (let j = 0; j < m; j++) {
    let s: Dy = { m: 0n, e: 0 };
    for (let i = 0; i < v.length; i++) s = dyAdd(s, dyMul(dyOf(v[i]!), dyOf(K[i]![j]!)));
    out.push(s);
  }
  return out;
}

/** vK as doubles (exact; throws if some entry is not a double). */
export function push(v: readonly number[], K: readonly (readonly number[])[]): number[] {
  return pushExact(v, K).map((d) => mustDouble(d, 'vK'));
}

const klP: Expr<C> = { text: 'KL(p‖q)', value: ({ p, q }, ctx) => new ctx.D(kl(p, q, refOpts(ctx))) };
const klPK: Expr<C> = { text: 'KL(pK‖qK)', value: ({ p, q, K }, ctx) => new ctx.D(kl(push(p, K), push(q, K), refOpts(ctx))) };

/** Σ_ij p_i K_ij log(p_i/q_i), extended reals: 0 when p_i K_ij = 0, +∞ when q_i = 0 < p_i K_ij. */
function splitOverOutputs({ p, q, K }: C, ctx: Ctx): Decimal {
  const terms: Decimal[] = [];
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    const lr = q[i] === 0 ? new ctx.D(Infinity) : lnOf(p[i]!, ctx).minus(lnOf(q[i]!, ctx));
    for (const kij of K[i]!) {
      if (kij === 0) continue;
      terms.push(mulExt(dec(p[i]!, ctx).times(dec(kij, ctx)), lr, ctx));
    }
  }
  return xsum(terms, ctx);
}

/** Σ_j (pK)_j log((pK)_j/(qK)_j), from the exact dyadics (independent of the reference). */
function outputSum({ p, q, K }: C, ctx: Ctx): Decimal {
  const a = pushExact(p, K);
  const b = pushExact(q, K);
  return xsum(a.map((aj, j) => aLogAOverB(dyDec(aj, ctx), dyDec(b[j]!, ctx), ctx)), ctx);
}

const splitExpr: Expr<C> = { text: 'Σ_ij p_i K_ij log(p_i/q_i)', value: splitOverOutputs };

const rowSums = (K: readonly (readonly number[])[]) => K.map((row) => exactSumDy(row));

const channelHypotheses: Hypothesis<C>[] = [
  { id: 'K-nonneg', text: 'K_ij ≥ 0', holds: ({ K }) => K.every((row) => row.every((x) => Number.isFinite(x) && x >= 0)) },
  {
    id: 'K-row-stochastic',
    text: 'every row of K sums to 1 exactly (Σ_j K_ij = 1)',
    holds: ({ p, K }) => K.length === p.length && K.every((row) => row.length === K[0]!.length) && rowSums(K).every((s) => dyCmp(s, { m: 1n, e: 0 }) === 0),
  },
  { id: 'p-sums-to-one', text: 'Σ p = 1 exactly', holds: ({ p }) => nonneg(p) && sumsExactlyTo(p) },
  { id: 'q-sums-to-one', text: 'Σ q = 1 exactly', holds: ({ p, q }) => nonneg(q) && q.length === p.length && sumsExactlyTo(q) },
];

const channelProof: Step<C>[] = [
  {
    id: 'rows-sum-to-one',
    lhs: klP,
    relation: '=',
    rhs: splitExpr,
    justification: 'Σ_j K_ij = 1: each term p_i log(p_i/q_i) is split over the outputs j with weights K_ij',
    uses: ['K-row-stochastic'],
  },
  {
    id: 'log-sum',
    lhs: splitExpr,
    relation: '>=',
    rhs: { text: 'Σ_j (pK)_j log((pK)_j/(qK)_j)', value: outputSum },
    justification:
      'for each output j, the log-sum inequality with a_i = p_i K_ij ≥ 0, b_i = q_i K_ij ≥ 0: Σ_i a_i log(a_i/b_i) ≥ (Σa) log(Σa/Σb), and log(a_i/b_i) = log(p_i/q_i) where K_ij > 0',
    uses: ['K-nonneg'],
  },
  {
    id: 'definition',
    lhs: { text: 'Σ_j (pK)_j log((pK)_j/(qK)_j)', value: outputSum },
    relation: '=',
    rhs: klPK,
    justification: 'Definition 22.1 for the output distributions pK, qK',
    uses: [],
  },
];

function matrix(n: number, m: number): fc.Arbitrary<number[][]> {
  const stochastic = fc.array(smallDistribution({ minLength: m, maxLength: m }), { minLength: n, maxLength: n });
  // A deterministic map f: [n] → [m] (coarse-graining): row i is the point mass at f(i).
  const deterministic = fc
    .array(fc.nat(m - 1), { minLength: n, maxLength: n })
    .map((f) => f.map((j) => Array.from({ length: m }, (_, k) => (k === j ? 1 : 0))));
  return fc.oneof({ arbitrary: stochastic, weight: 3 }, { arbitrary: deterministic, weight: 1 });
}

const channelInstances: fc.Arbitrary<C> = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
  .chain(([n, m]) =>
    fc.tuple(smallDistribution({ minLength: n, maxLength: n }), smallDistribution({ minLength: n, maxLength: n }), matrix(n, m)),
  )
  .map(([p, q, K]) => ({ p, q, K }));

/** Row r of K scaled by 2^k (k ≠ 0): nonnegative, not stochastic. */
const notRowStochastic: fc.Arbitrary<C> = fc
  .tuple(channelInstances, fc.nat(), fc.constantFrom(-1, 1, 2))
  .map(([c, r, k]) => {
    const i = r % c.K.length;
    return { ...c, K: c.K.map((row, j) => (j === i ? scaleVector(row, k) : row)) };
  });

/**
 * Rows summing to 1 with negative entries: K = (1 + a)I − (a/n)J (n ∈ {2, 4}, a ∈ {⅛, ¼, ½}),
 * an "expansion" away from the uniform distribution; p, q with pK, qK ≥ 0.
 */
const signedKernel: fc.Arbitrary<C> = fc
  .tuple(fc.constantFrom(2, 4), fc.constantFrom(0.125, 0.25, 0.5))
  .chain(([n, a]) =>
    fc.tuple(
      smallDistribution({ minLength: n, maxLength: n, zeros: false }),
      smallDistribution({ minLength: n, maxLength: n, zeros: false }),
      fc.constant(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 + a : 0) - a / n))),
    ),
  )
  .map(([p, q, K]) => ({ p, q, K }))
  .filter(({ p, q, K }) => pushExact(p, K).every((d) => d.m >= 0n) && pushExact(q, K).every((d) => d.m >= 0n));

export const dataProcessing: Theorem<C> = {
  id: 'data-processing',
  title: 'Data-processing inequality: KL(pK‖qK) ≤ KL(p‖q) for a row-stochastic matrix K',
  source: 'classical (Csiszár); the log-sum inequality applied output by output. Not in the seeds',
  kind: 'theorem',
  statements: [{ text: 'KL(pK‖qK) ≤ KL(p‖q)', lhs: klPK, relation: '<=', rhs: klP }],
  hypotheses: channelHypotheses,
  instances: channelInstances,
  proof: channelProof,
  ablations: [
    { hypothesis: 'K-nonneg', arbitrary: signedKernel },
    { hypothesis: 'K-row-stochastic', arbitrary: notRowStochastic },
    {
      hypothesis: 'p-sums-to-one',
      noCounterexample:
        'no step uses Σp = 1: the log-sum inequality holds for any nonnegative a, b, so KL(pK‖qK) ≤ KL(p‖q) (Definition 22.1 literally) for every nonnegative p, q (tested with p, q scaled by 2^k)',
    },
    { hypothesis: 'q-sums-to-one', noCounterexample: 'no step uses Σq = 1 (as for p-sums-to-one)' },
  ],
  functions: ['kl'],
  float64: {
    functions: ['kl'],
    check({ p, q, K }, candidate, opts) {
      const f = candidate.kl as unknown as Kl;
      const mode = opts?.mode ?? 'standard';
      const pK = push(p, K);
      const qK = push(q, K);
      const a = judgeKl(f, pK, qK, mode);
      const b = judgeKl(f, p, q, mode);
      const problems: string[] = [];
      if (!a.ok) problems.push(`kl(pK, qK) = ${a.v}, exact ${fmtDec(a.exact)}: ${a.reason}`);
      if (!b.ok) problems.push(`kl(p, q) = ${b.v}, exact ${fmtDec(b.exact)}: ${b.reason}`);
      if (problems.length === 0 && a.v > b.v + a.bound + b.bound) problems.push(`kl(pK, qK) = ${a.v} > kl(p, q) = ${b.v} beyond the allowed errors`);
      return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}) };
    },
  },
  describe: ({ p, q, K }) => `p = ${fmtVec(p)}, q = ${fmtVec(q)}, K = [${K.map(fmtVec).join(', ')}]`,
  toJSON: ({ p, q, K }) => ({ p, q, K }),
};

// =============================================================================================
// joint-convexity
// =============================================================================================

export interface MixtureInstance {
  p1: number[];
  q1: number[];
  p2: number[];
  q2: number[];
  lambda: number;
}

type M = MixtureInstance;

/** λa + (1 − λ)b exactly (throws if not a double). */
export function mix(lambda: number, a: readonly number[], b: readonly number[]): number[] {
  const l = dyOf(lambda);
  const one = { m: 1n, e: 0 };
  const ml = dyAdd(one, { m: -l.m, e: l.e });
  return a.map((x, i) => mustDouble(dyAdd(dyMul(l, dyOf(x)), dyMul(ml, dyOf(b[i]!))), 'mixture'));
}

const klMix: Expr<M> = {
  text: 'KL(λp₁ + (1−λ)p₂ ‖ λq₁ + (1−λ)q₂)',
  value: ({ p1, q1, p2, q2, lambda }, ctx) => new ctx.D(kl(mix(lambda, p1, p2), mix(lambda, q1, q2), refOpts(ctx))),
};

function oneMinus(lambda: number, ctx: Ctx): Decimal {
  return new ctx.D(1).minus(dec(lambda, ctx));
}

/** Σ_i [λ p₁ᵢ log(p₁ᵢ/q₁ᵢ) + (1−λ) p₂ᵢ log(p₂ᵢ/q₂ᵢ)], 0·∞ = 0. */
function termwise({ p1, q1, p2, q2, lambda }: M, ctx: Ctx): Decimal {
  const l = dec(lambda, ctx);
  const ml = oneMinus(lambda, ctx);
  const terms: Decimal[] = [];
  for (let i = 0; i < p1.length; i++) {
    terms.push(mulExt(l, aLogAOverB(dec(p1[i]!, ctx), dec(q1[i]!, ctx), ctx), ctx));
    terms.push(mulExt(ml, aLogAOverB(dec(p2[i]!, ctx), dec(q2[i]!, ctx), ctx), ctx));
  }
  return xsum(terms, ctx);
}

const chord: Expr<M> = {
  text: 'λ·KL(p₁‖q₁) + (1−λ)·KL(p₂‖q₂)',
  value: ({ p1, q1, p2, q2, lambda }, ctx) =>
    xsum(
      [
        mulExt(dec(lambda, ctx), new ctx.D(kl(p1, q1, refOpts(ctx))), ctx),
        mulExt(oneMinus(lambda, ctx), new ctx.D(kl(p2, q2, refOpts(ctx))), ctx),
      ],
      ctx,
    ),
};

const termwiseExpr: Expr<M> = {
  text: 'Σ_i [λ p₁ᵢ log(p₁ᵢ/q₁ᵢ) + (1−λ) p₂ᵢ log(p₂ᵢ/q₂ᵢ)]',
  value: (i, ctx) => termwise(i, wideCtx(ctx)),
};

const allSumToOne = ({ p1, q1, p2, q2 }: M) =>
  [p1, q1, p2, q2].every((v) => nonneg(v) && v.length === p1.length && sumsExactlyTo(v));

const mixtureInstances: fc.Arbitrary<M> = fc.integer({ min: 1, max: 4 }).chain((n) => {
  const d = smallDistribution({ minLength: n, maxLength: n });
  const lambda = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 64 }).map((k) => k / 64), weight: 4 }, { arbitrary: fc.constantFrom(0, 1), weight: 1 });
  return fc.tuple(d, d, d, d, lambda).map(([p1, q1, p2, q2, l]) => ({ p1, q1, p2, q2, lambda: l }));
});

/** λ ∉ [0, 1] (1 + k/64 or −k/64), full supports (every KL finite), mixtures still nonnegative. */
const lambdaOutside: fc.Arbitrary<M> = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => {
    const d = smallDistribution({ minLength: n, maxLength: n, zeros: false });
    const lambda = fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 64 })).map(([above, k]) => (above ? 1 + k / 64 : -k / 64));
    return fc.tuple(d, d, d, d, lambda).map(([p1, q1, p2, q2, l]) => ({ p1, q1, p2, q2, lambda: l }));
  })
  .filter(({ p1, q1, p2, q2, lambda }) => [mix(lambda, p1, p2), mix(lambda, q1, q2)].every((v) => v.every((x) => x >= 0)));

export const jointConvexity: Theorem<M> = {
  id: 'joint-convexity',
  title: 'KL is jointly convex: KL(λp₁ + (1−λ)p₂ ‖ λq₁ + (1−λ)q₂) ≤ λKL(p₁‖q₁) + (1−λ)KL(p₂‖q₂)',
  source: 'classical (Cover & Thomas, Thm 2.7.2); the log-sum inequality category by category. Not in the seeds',
  kind: 'theorem',
  statements: [{ text: 'KL(λp₁ + (1−λ)p₂ ‖ λq₁ + (1−λ)q₂) ≤ λKL(p₁‖q₁) + (1−λ)KL(p₂‖q₂)', lhs: klMix, relation: '<=', rhs: chord }],
  hypotheses: [
    { id: 'lambda-in-unit-interval', text: '0 ≤ λ ≤ 1', holds: ({ lambda }) => lambda >= 0 && lambda <= 1 },
    { id: 'distributions', text: 'p₁, q₁, p₂, q₂ are distributions on the same categories (Σ = 1 exactly)', holds: allSumToOne },
  ],
  instances: mixtureInstances,
  proof: [
    {
      id: 'log-sum-per-category',
      lhs: klMix,
      relation: '<=',
      rhs: termwiseExpr,
      justification:
        'for each category i, the log-sum inequality with the two nonnegative pairs a = (λp₁ᵢ, (1−λ)p₂ᵢ), b = (λq₁ᵢ, (1−λ)q₂ᵢ): (Σa) log(Σa/Σb) ≤ Σ a log(a/b), and λ cancels inside each log',
      uses: ['lambda-in-unit-interval'],
    },
    {
      id: 'linearity',
      lhs: termwiseExpr,
      relation: '=',
      rhs: chord,
      justification: 'regroup the sum (0·∞ = 0: a weight 0 erases an infinite KL)',
      uses: [],
    },
  ],
  ablations: [
    { hypothesis: 'lambda-in-unit-interval', arbitrary: lambdaOutside },
    {
      hypothesis: 'distributions',
      noCounterexample: 'the log-sum inequality holds for any nonnegative vectors, so joint convexity of Σ p log(p/q) holds without normalisation (tested with the vectors scaled by 2^k)',
    },
  ],
  functions: ['kl'],
  float64: {
    functions: ['kl'],
    check({ p1, q1, p2, q2, lambda }, candidate, opts) {
      const f = candidate.kl as unknown as Kl;
      const mode = opts?.mode ?? 'standard';
      const m = judgeKl(f, mix(lambda, p1, p2), mix(lambda, q1, q2), mode);
      const a = judgeKl(f, p1, q1, mode);
      const b = judgeKl(f, p2, q2, mode);
      const problems: string[] = [];
      for (const [name, j] of [['kl(mixtures)', m], ['kl(p₁, q₁)', a], ['kl(p₂, q₂)', b]] as const) {
        if (!j.ok) problems.push(`${name} = ${j.v}, exact ${fmtDec(j.exact)}: ${j.reason}`);
      }
      if (problems.length === 0) {
        const rhs = (lambda === 0 ? 0 : lambda * a.v) + (lambda === 1 ? 0 : (1 - lambda) * b.v);
        const slack = m.bound + lambda * a.bound + (1 - lambda) * b.bound + 2 ** -51 * Math.abs(rhs);
        if (m.v > rhs + slack) problems.push(`kl(mixtures) = ${m.v} > λ·kl(p₁, q₁) + (1−λ)·kl(p₂, q₂) = ${rhs} beyond the allowed errors`);
      }
      return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}) };
    },
  },
  describe: ({ p1, q1, p2, q2, lambda }) => `λ = ${fmt(lambda)}, p₁ = ${fmtVec(p1)}, q₁ = ${fmtVec(q1)}, p₂ = ${fmtVec(p2)}, q₂ = ${fmtVec(q2)}`,
  toJSON: (i) => ({ ...i }),
};

// =============================================================================================
// log-sum
// =============================================================================================

export interface LogSumInstance {
  a: number[];
  b: number[];
}

type L = LogSumInstance;

/**
 * Σ a_i log(a_i/b_i). For nonnegative vectors this is the reference's kl (Definition 22.1 for the
 * vectors as given). Outside that domain (the `nonneg` ablation: a_i, b_i both negative at some i,
 * so a_i/b_i > 0) the reference rejects the input and the sum is evaluated directly in Decimal.
 */
function lhsValue({ a, b }: L, ctx: Ctx): Decimal {
  if (nonneg(a) && nonneg(b)) return new ctx.D(kl(a, b, refOpts(ctx)));
  const W = wideCtx(ctx);
  return new ctx.D(xsum(a.map((x, i) => aLogAOverB(dec(x, W), dec(b[i]!, W), W)), W));
}

/** (Σa) log(Σa/Σb) from the exact sums. */
function rhsValue({ a, b }: L, ctx: Ctx): Decimal {
  const W = wideCtx(ctx);
  return new ctx.D(aLogAOverB(dyDec(exactSumDy(a), W), dyDec(exactSumDy(b), W), W));
}

/** B·Σ_i (b_i/B)·f(a_i/b_i), f(t) = t log t, with the perspective conventions (b_i = 0: +∞ if a_i > 0, else 0). */
function perspective({ a, b }: L, ctx: Ctx): Decimal {
  const W = wideCtx(ctx);
  const B = dyDec(exactSumDy(b), W);
  const terms: Decimal[] = [];
  for (let i = 0; i < a.length; i++) {
    const ai = dec(a[i]!, W);
    const bi = dec(b[i]!, W);
    if (ai.isZero()) continue;
    if (bi.isZero()) {
      terms.push(new W.D(ai.isPositive() ? Infinity : -Infinity));
      continue;
    }
    if (B.isZero()) {
      terms.push(aLogAOverB(ai, bi, W));
      continue;
    }
    const w = bi.div(B);
    const t = ai.div(bi);
    terms.push(B.times(w.times(t.times(lnDecimal(t, W)))));
  }
  return new ctx.D(xsum(terms, W));
}

const LHS: Expr<L> = { text: 'Σ_i a_i log(a_i/b_i)', value: lhsValue };
const RHS: Expr<L> = { text: '(Σa)·log(Σa/Σb)', value: rhsValue };

const logSumInstances: fc.Arbitrary<L> = fc.oneof(
  // Unnormalised vectors: counts, vectors scaled by 2^±1000, zero vectors (0 ≥ 0; A log(A/0) = +∞).
  fc.integer({ min: 1, max: 5 }).chain((n) =>
    fc.tuple(unnormalized({ minLength: n, maxLength: n }), unnormalized({ minLength: n, maxLength: n })).map(([a, b]) => ({ a, b })),
  ),
  // Proportional vectors b = 2^k·a: the equality case (k < 0 only where every a_i·2^k is exact:
  // a subnormal entry scaled down would round).
  fc.tuple(fc.integer({ min: 1, max: 5 }).chain((n) => unnormalized({ minLength: n, maxLength: n })), fc.integer({ min: -8, max: 8 }))
    .filter(([a, k]) => a.every((x) => scalePow2(x, k) !== null))
    .map(([a, k]) => ({ a, b: scaleVector(a, k) }))
    .filter(({ a, b }) => a.every((x, i) => x === 0 || b[i]! > 0)),
  // Distributions (Σa = Σb = 1: Gibbs' inequality).
  pair({ exact: true, maxLength: 5 }).map(({ p, q }) => ({ a: p, b: q })),
);

/** One index where a_i and b_i are both negative (a_i/b_i > 0), with Σa > 0 and Σb > 0. */
const signedLogSum: fc.Arbitrary<L> = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 })), { minLength: 2, maxLength: 3 }),
    fc.nat(),
  )
  .map(([pairs, r]) => {
    const k = r % pairs.length;
    return { a: pairs.map(([x], i) => (i === k ? -x : x)), b: pairs.map(([, y], i) => (i === k ? -y : y)) };
  })
  .filter(({ a, b }) => a.reduce((s, x) => s + x, 0) > 0 && b.reduce((s, x) => s + x, 0) > 0);

export const logSum: Theorem<L> = {
  id: 'log-sum',
  title: 'The log-sum inequality: Σ a_i log(a_i/b_i) ≥ (Σa) log(Σa/Σb) for nonnegative a, b',
  source: 'classical (Cover & Thomas, Thm 2.7.1): Jensen for the convex t log t, as in the seeds’ proof of Gibbs (seed 000 Prop. 22.2)',
  kind: 'theorem',
  statements: [{ text: 'Σ_i a_i log(a_i/b_i) ≥ (Σa)·log(Σa/Σb)', lhs: LHS, relation: '>=', rhs: RHS }],
  hypotheses: [{ id: 'nonneg', text: 'a_i ≥ 0 and b_i ≥ 0 (finite), same length', holds: ({ a, b }) => nonneg(a) && nonneg(b) && a.length === b.length }],
  instances: logSumInstances,
  proof: [
    {
      id: 'perspective',
      lhs: LHS,
      relation: '=',
      rhs: { text: 'B·Σ_i (b_i/B)·f(a_i/b_i), f(t) = t log t, B = Σb', value: perspective },
      justification: 'algebra: b_i·(a_i/b_i)·log(a_i/b_i) = a_i log(a_i/b_i); terms with b_i = 0 < a_i are +∞ on both sides, terms with a_i = 0 are 0',
      uses: [],
    },
    {
      id: 'jensen',
      lhs: { text: 'B·Σ_i (b_i/B)·f(a_i/b_i)', value: perspective },
      relation: '>=',
      rhs: RHS,
      justification:
        "Jensen's inequality for the convex f(t) = t log t with the weights b_i/B — nonnegative and summing to 1 — gives Σ (b_i/B) f(a_i/b_i) ≥ f(Σ a_i/B) = (A/B) log(A/B); multiply by B (A = Σa). Equality iff a_i/b_i is constant",
      uses: ['nonneg'],
    },
  ],
  ablations: [{ hypothesis: 'nonneg', arbitrary: signedLogSum }],
  functions: ['kl'],
  float64: {
    functions: ['kl'],
    /**
     * Σ a log(a/b) from the candidate's kl, called on distributions only (src/contract.ts): kl(a, b)
     * when a and b are distributions, else A_s·kl(a/A_s, b/B_s) + (Σa)·log(A_s/B_s) with the scales
     * powers of two (exact) or the float sums (the normalisation's rounding measured exactly and
     * added to the allowed error) — properties/_shared/masses.ts. Σa = 0 and Σb = 0 < Σa need no
     * call (0 and +∞). The value must agree with the reference and be ≥ (Σa) log(Σa/Σb) within the
     * allowed error.
     */
    check({ a, b }, candidate, opts) {
      const f = candidate.kl as unknown as Kl;
      const mode = opts?.mode ?? 'standard';
      const r = massKl(f, a, b, mode);
      if ('outside' in r) return { ok: true, note: `not checked: ${r.outside}` };
      const shown = r.how === 'kl(a, b)' ? 'kl(a, b)' : `Σ a·log(a/b) = ${r.how}`;
      if (!r.ok) return { ok: false, message: `${shown}: ${r.message}` };
      if (r.value.isNaN()) return { ok: false, message: `${shown} is NaN` };
      const rhs = rhsValue({ a, b }, { digits: MASS_DIGITS, D: decimalContext(MASS_DIGITS + 10) });
      if (r.value.isFinite() && r.value.plus(r.allowed).lt(rhs)) {
        return { ok: false, message: `${shown} = ${fmtDec(r.value)} < (Σa) log(Σa/Σb) = ${fmtDec(rhs)} beyond the allowed error ${fmtDec(r.allowed)}` };
      }
      return { ok: true };
    },
  },
  describe: ({ a, b }) => `a = ${fmtVec(a)}, b = ${fmtVec(b)}`,
  toJSON: ({ a, b }) => ({ a, b }),
};
