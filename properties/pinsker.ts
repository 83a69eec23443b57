/**
 * `pinsker`: KL(p‖q) ≥ c·TV(p, q)² for c ≤ 2, TV(p, q) = ½ Σ |p_i − q_i| (Pinsker: c = 2), and the
 * constant 2 is sharp: near Bernoulli(½), KL/TV² → 2 as q → p, so for every c = 2 + ε some pair
 * violates KL ≥ c·TV². The constant is part of the instance so that "c ≤ 2" is a hypothesis the
 * ablation can drop: `klcheck explain pinsker --drop c-at-most-2` finds that pair.
 *
 * Proof chain (the classical reduction to two points):
 *   KL(p‖q) ≥ kl₂(P‖Q)          coarse-graining to A = {i : p_i > q_i} and its complement (log-sum)
 *           ≥ 2(P − Q)²          binary Pinsker (calculus)
 *           = 2·TV(p, q)²        TV = p(A) − q(A) when Σp = Σq = 1
 *           ≥ c·TV(p, q)²        c ≤ 2
 * with P = p(A), Q = q(A) and kl₂(P‖Q) = P log(P/Q) + P' log(P'/Q'), P' = p(Aᶜ), Q' = q(Aᶜ).
 * TV, P, Q, P', Q' and c·TV² are exact dyadics (BigInt sums of the doubles' exact values).
 */
import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { Ctx, Expr, Hypothesis, Step, Theorem } from '../src/theorem';
import { sumsExactlyTo } from '../src/theorem';
import { kl } from '../src/reference';
import { pair, PairRelation, unnormalized } from '../src/generators';
import { judge, strictApplies } from '../src/numeric/accuracy';
import { decimalContext } from '../src/numeric/context';
import { Dy, dyAdd, dyMul, dyOf, dySub } from '../src/numeric/dyadic';
import { aLogAOverB, dyDec, fmt, fmtDec, fmtVec, nonneg, refOpts, smallDistribution, wideCtx } from './support';

export interface PinskerInstance {
  p: number[];
  q: number[];
  /** The constant of the inequality (2 for Pinsker). */
  c: number;
}

type I = PinskerInstance;

const ZERO: Dy = { m: 0n, e: 0 };

function absDy(d: Dy): Dy {
  return d.m < 0n ? { m: -d.m, e: d.e } : d;
}

/** TV(p, q) = ½ Σ |p_i − q_i|, exactly. */
export function tvExact(p: readonly number[], q: readonly number[]): Dy {
  let s = ZERO;
  for (let i = 0; i < p.length; i++) s = dyAdd(s, absDy(dySub(dyOf(p[i]!), dyOf(q[i]!))));
  return { m: s.m, e: s.e - 1 };
}

/** c·TV², exactly. */
function cTv2(c: number, p: readonly number[], q: readonly number[]): Dy {
  const t = tvExact(p, q);
  return dyMul(dyOf(c), dyMul(t, t));
}

/** The two-point coarse-graining: P = p(A), Q = q(A), P' = p(Aᶜ), Q' = q(Aᶜ), A = {i : p_i > q_i}. */
export function coarse(p: readonly number[], q: readonly number[]): { P: Dy; Q: Dy; P2: Dy; Q2: Dy } {
  let P = ZERO;
  let Q = ZERO;
  let P2 = ZERO;
  let Q2 = ZERO;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! > q[i]!) {
      P = dyAdd(P, dyOf(p[i]!));
      Q = dyAdd(Q, dyOf(q[i]!));
    } else {
      P2 = dyAdd(P2, dyOf(p[i]!));
      Q2 = dyAdd(Q2, dyOf(q[i]!));
    }
  }
  return { P, Q, P2, Q2 };
}

/** kl₂ = P log(P/Q) + P' log(P'/Q') in the extended reals, at wide precision (it cancels for near-equal pairs). */
function binaryKl({ p, q }: I, ctx: Ctx): Decimal {
  const W = wideCtx(ctx);
  const { P, Q, P2, Q2 } = coarse(p, q);
  const v = aLogAOverB(dyDec(P, W), dyDec(Q, W), W).plus(aLogAOverB(dyDec(P2, W), dyDec(Q2, W), W));
  return new ctx.D(v);
}

const KL: Expr<I> = { text: 'KL(p‖q)', value: ({ p, q }, ctx) => new ctx.D(kl(p, q, refOpts(ctx))) };
const KL2: Expr<I> = { text: "P log(P/Q) + P' log(P'/Q')  (P = p(A), Q = q(A), A = {i : p_i > q_i}, ' = complement)", value: binaryKl };
const twoPQ2: Expr<I> = {
  text: '2·(p(A) − q(A))²',
  value: ({ p, q }, ctx) => {
    const { P, Q } = coarse(p, q);
    const d = dySub(P, Q);
    return dyDec(dyMul({ m: 2n, e: 0 }, dyMul(d, d)), ctx);
  },
};
const twoTv2: Expr<I> = { text: '2·TV(p, q)²', value: ({ p, q }, ctx) => dyDec(cTv2(2, p, q), ctx) };
const cTv2Expr: Expr<I> = { text: 'c·TV(p, q)²', value: ({ p, q, c }, ctx) => dyDec(cTv2(c, p, q), ctx) };

const hypotheses: Hypothesis<I>[] = [
  { id: 'p-sums-to-one', text: 'p is a distribution: p_i ≥ 0, Σ p = 1 exactly', holds: ({ p, q }) => nonneg(p) && p.length === q.length && sumsExactlyTo(p) },
  { id: 'q-sums-to-one', text: 'q is a distribution: q_i ≥ 0, Σ q = 1 exactly', holds: ({ p, q }) => nonneg(q) && p.length === q.length && sumsExactlyTo(q) },
  { id: 'c-at-most-2', text: 'c ≤ 2 (Pinsker’s constant; c = 2 in the instances)', holds: ({ c }) => Number.isFinite(c) && c <= 2 },
];

const proof: Step<I>[] = [
  {
    id: 'coarse-grain',
    lhs: KL,
    relation: '>=',
    rhs: KL2,
    justification:
      'log-sum inequality on A and on its complement: Σ_{i∈A} p_i log(p_i/q_i) ≥ p(A) log(p(A)/q(A)), and the same on Aᶜ (the data-processing inequality for the map i ↦ [i ∈ A]); needs no normalisation',
    uses: [],
  },
  {
    id: 'binary-pinsker',
    lhs: KL2,
    relation: '>=',
    rhs: twoPQ2,
    justification:
      "binary Pinsker: with P' = 1 − P and Q' = 1 − Q, g(Q) = kl₂(P‖Q) − 2(P − Q)² has g(P) = 0 and g'(Q) = (Q − P)·(1/(Q(1 − Q)) − 4), of the sign of Q − P because Q(1 − Q) ≤ ¼: g decreases to 0 as Q → P from below and increases from 0 above, so g ≥ 0. Near P = Q = ½ the second-order terms match exactly: this is where 2 is sharp",
    uses: ['p-sums-to-one', 'q-sums-to-one'],
  },
  {
    id: 'tv-is-mass-difference',
    lhs: twoPQ2,
    relation: '=',
    rhs: twoTv2,
    justification:
      'Σ_A (p_i − q_i) = Σ_{Aᶜ} (q_i − p_i) because Σp = Σq = 1, so TV = ½[Σ_A (p − q) + Σ_{Aᶜ} (q − p)] = p(A) − q(A)',
    uses: ['p-sums-to-one', 'q-sums-to-one'],
  },
  {
    id: 'constant',
    lhs: twoTv2,
    relation: '>=',
    rhs: cTv2Expr,
    justification: 'TV² ≥ 0 and c ≤ 2',
    uses: ['c-at-most-2'],
  },
];

const RELATIONS: readonly PairRelation[] = ['independent', 'near-equal', 'equal', 'p-ll-q', 'q-ll-p', 'common-zeros', 'mismatch', 'disjoint'];

/**
 * p = (½, ½), q = (½ + δ, ½ − δ) (or swapped), δ = k·2^-j < ½ (k ≤ 3): where Pinsker is tight,
 * KL = −½ log(1 − 4δ²) = 2δ² + 4δ⁴ + …, so KL/TV² = 2 + 4δ² + … → 2.
 */
export function nearFairCoin(c: number | fc.Arbitrary<number>): fc.Arbitrary<I> {
  const cArb = typeof c === 'number' ? fc.constant(c) : c;
  return fc
    .tuple(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), cArb)
    .map(([j, k, swap, cc]) => {
      const d = Math.min(k, 2 ** (j - 1) - 1) * 2 ** -j; // < ½: q stays a distribution
      const q = swap ? [0.5 - d, 0.5 + d] : [0.5 + d, 0.5 - d];
      return { p: [0.5, 0.5], q, c: cc };
    });
}

const instances: fc.Arbitrary<I> = fc.oneof(
  { arbitrary: fc.oneof(...RELATIONS.map((relation) => pair({ relation, exact: true, maxLength: 6 }))).map(({ p, q }) => ({ p, q, c: 2 })), weight: 4 },
  { arbitrary: nearFairCoin(2), weight: 1 },
);

/** Distributions of length n (exact) with an unnormalised partner of the same length. */
function withUnnormalised(which: 'p' | 'q'): fc.Arbitrary<I> {
  return fc.integer({ min: 1, max: 4 }).chain((n) =>
    fc.tuple(smallDistribution({ minLength: n, maxLength: n }), unnormalized({ minLength: n, maxLength: n })).map(([d, u]) =>
      which === 'p' ? { p: u, q: d, c: 2 } : { p: d, q: u, c: 2 },
    ),
  );
}

export const pinsker: Theorem<I> = {
  id: 'pinsker',
  title: "Pinsker's inequality KL(p‖q) ≥ 2·TV(p, q)², and 2 is sharp",
  source: 'Pinsker (1964), Csiszár–Kemperman–Kullback (constant 2); not in the seeds — the classical two-point reduction',
  kind: 'theorem',
  statements: [{ text: 'KL(p‖q) ≥ c·TV(p, q)², TV = ½ Σ |p_i − q_i|', lhs: KL, relation: '>=', rhs: cTv2Expr }],
  hypotheses,
  instances,
  proof,
  ablations: [
    { hypothesis: 'p-sums-to-one', arbitrary: withUnnormalised('p') },
    { hypothesis: 'q-sums-to-one', arbitrary: withUnnormalised('q') },
    {
      hypothesis: 'c-at-most-2',
      // c = 2 + 2^-k·(1..3): for each such c, the near-fair coins with 4δ² < c − 2 violate the inequality.
      arbitrary: nearFairCoin(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 3 })).map(([k, m]) => 2 + m * 2 ** -k)),
    },
  ],
  functions: ['kl'],
  float64: {
    functions: ['kl'],
    // Float-normalised pairs too: their exact KL can fall below 2·TV² (Σp ≠ Σq by an ulp): a note.
    instances: fc.oneof(instances, fc.oneof(...RELATIONS.map((relation) => pair({ relation, maxLength: 6 }))).map(({ p, q }) => ({ p, q, c: 2 }))),
    check({ p, q, c }, candidate, opts) {
      const f = candidate.kl as unknown as (a: number[], b: number[]) => number;
      const mode = opts?.mode ?? 'standard';
      const v = f(p, q);
      const exact = kl(p, q);
      const j = judge('kl', [p, q], v, exact, { mode: mode === 'strict' && strictApplies('kl', [p, q], exact) ? 'strict' : 'standard' });
      const problems: string[] = [];
      if (!j.ok) problems.push(`kl(p, q) = ${v}, exact ${fmtDec(exact)}: ${j.reason}`);
      const D = decimalContext(60);
      const rhs = dyDec(cTv2(c, p, q), { digits: 40, D });
      if (!Number.isNaN(v) && Number.isFinite(v)) {
        const lhs = dyDec(dyOf(v), { digits: 40, D }).plus(Number.isFinite(j.bound) ? dyDec(dyOf(j.bound), { digits: 40, D }) : 0);
        if (lhs.lt(rhs)) problems.push(`kl(p, q) = ${v} < ${fmt(c)}·TV² = ${fmtDec(rhs)} beyond the allowed error ${j.bound}`);
      } else if (Number.isNaN(v)) problems.push('kl(p, q) = NaN');
      const note = new D(exact).lt(rhs)
        ? `Σp = ${sumsExactlyTo(p) ? '1' : '1 + O(ulp)'}, Σq = ${sumsExactlyTo(q) ? '1' : '1 + O(ulp)'}: the EXACT KL ${fmtDec(exact)} is below ${fmt(c)}·TV² = ${fmtDec(rhs)} for these float-normalised inputs; dyadic inputs remove this`
        : undefined;
      return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}), ...(note ? { note } : {}) };
    },
  },
  describe: ({ p, q, c }) => `p = ${fmtVec(p)}, q = ${fmtVec(q)}, c = ${fmt(c)}`,
  toJSON: ({ p, q, c }) => ({ p, q, c }),
};
