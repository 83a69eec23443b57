/**
 * Two statements that are FALSE in general (kind 'false-in-general'): the harness finds witnesses.
 *
 * - `asymmetry`: KL(p‖q) = KL(q‖p). False: seed 001's worked example p = (½, ½), q = (1/10, 9/10)
 *   gives 0.511 vs 0.368 nats. The facts that hold on every instance (the proof steps) say why:
 *   KL(p‖q) − KL(q‖p) = Σ (p_i + q_i) log(p_i/q_i), a sum with no reason to vanish.
 * - `no-triangle`: KL(p‖q) ≤ KL(p‖r) + KL(r‖q). False: KL behaves like a SQUARED distance near the
 *   diagonal, so for r the midpoint of p and q the two halves cost about a quarter each. The fact
 *   that holds (Bregman's three-point identity) is
 *   KL(p‖q) = KL(p‖r) + KL(r‖q) + Σ (p_i − r_i) log(r_i/q_i), whose last term can be positive
 *   (≈ ¼ Σ (p_i − q_i)²/q_i at the midpoint).
 */
import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { Ctx, Expr, Hypothesis, Step, Theorem } from '../src/theorem';
import { dec as decExact, lnOf, sumsExactlyTo, xsum } from '../src/theorem';
import { kl } from '../src/reference';
import { pair } from '../src/generators';
import { judge, strictApplies } from '../src/numeric/accuracy';
import { fmtDec, fmtVec, nonneg, refOpts, smallDistribution } from './support';

// =============================================================================================
// asymmetry
// =============================================================================================

export interface PairInstance {
  p: number[];
  q: number[];
}

type P = PairInstance;

const sameSupport = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x > 0 === b[i]! > 0);

const klPQ: Expr<P> = { text: 'KL(p‖q)', value: ({ p, q }, ctx) => new ctx.D(kl(p, q, refOpts(ctx))) };
const klQP: Expr<P> = { text: 'KL(q‖p)', value: ({ p, q }, ctx) => new ctx.D(kl(q, p, refOpts(ctx))) };

/** Σ_{p_i>0} w_i·(log p_i − log q_i) with weights w_i = p_i ± q_i (supports equal, so every log is finite). */
function weightedLogRatio(p: readonly number[], q: readonly number[], sign: 1 | -1, ctx: Ctx): Decimal {
  const terms: Decimal[] = [];
  for (let i = 0; i < p.length; i++) {
    if (!(p[i]! > 0)) continue;
    const logRatio = lnOf(p[i]!, ctx).minus(lnOf(q[i]!, ctx));
    terms.push(exactWeight(p[i]!, q[i]!, sign, ctx).times(logRatio));
  }
  return xsum(terms, ctx);
}

/** p ± q exactly (from the exact values of the doubles). */
function exactWeight(a: number, b: number, sign: 1 | -1, ctx: Ctx): Decimal {
  return decExact(a, ctx).plus(decExact(b, ctx).times(sign));
}

const asymmetryHypotheses: Hypothesis<P>[] = [
  { id: 'p-sums-to-one', text: 'Σ p = 1 exactly (p a distribution)', holds: ({ p }) => nonneg(p) && sumsExactlyTo(p) },
  { id: 'q-sums-to-one', text: 'Σ q = 1 exactly (q a distribution)', holds: ({ q }) => nonneg(q) && sumsExactlyTo(q) },
  {
    id: 'same-support',
    text: 'supp p = supp q (both KLs finite; otherwise the asymmetry is the trivial +∞ ≠ finite of seed 000 §6.3)',
    holds: ({ p, q }) => sameSupport(p, q),
  },
];

const asymmetryProof: Step<P>[] = [
  {
    id: 'difference',
    lhs: { text: 'KL(p‖q) − KL(q‖p)', value: (i, ctx) => xsum([klPQ.value(i, ctx), klQP.value(i, ctx).neg()], ctx) },
    relation: '=',
    rhs: { text: 'Σ_i (p_i + q_i)·log(p_i/q_i)', value: ({ p, q }, ctx) => weightedLogRatio(p, q, 1, ctx) },
    justification:
      'expand both sums over the common support: Σ p log(p/q) − Σ q log(q/p) = Σ (p + q) log(p/q). The weights p + q are positive and the log-ratios change sign, so nothing makes the sum vanish — it is zero for p = q and for special pairs (q a swap of p on two categories), not in general',
    uses: ['same-support'],
  },
  {
    id: 'jeffreys',
    lhs: { text: 'KL(p‖q) + KL(q‖p)', value: (i, ctx) => xsum([klPQ.value(i, ctx), klQP.value(i, ctx)], ctx) },
    relation: '=',
    rhs: { text: 'Σ_i (p_i − q_i)·log(p_i/q_i)', value: ({ p, q }, ctx) => weightedLogRatio(p, q, -1, ctx) },
    justification:
      'the symmetrised divergence (Jeffreys): each term (p_i − q_i)(log p_i − log q_i) ≥ 0 since log is increasing — the symmetric part is well behaved; the asymmetry is all in the difference',
    uses: ['same-support'],
  },
];

/** Seed 001: p = (½, ½), q = (1/10, 9/10) → KL(p‖q) ≈ 0.511, KL(q‖p) ≈ 0.368 nats (as doubles: 0.1 + 0.9 = 1 + 2^-55 exactly). */
export const ASYMMETRY_WORKED_EXAMPLE = {
  p: [0.5, 0.5],
  q: [0.1, 0.9],
  /** The seed's rounded values, in nats. */
  klPQ: '0.511',
  klQP: '0.368',
  /** KL for the RATIONAL inputs (1/10, 9/10): log(5/3) (the doubles 0.1, 0.9 are not 1/10, 9/10). */
  klPQRational: 'ln(5/3)',
} as const;

export const asymmetry: Theorem<P> = {
  id: 'asymmetry',
  title: 'KL is not symmetric: KL(p‖q) ≠ KL(q‖p) in general',
  source: 'seed 001 "Asymmetry illustrated" (p = (1/2, 1/2), q = (1/10, 9/10): 0.511 vs 0.368 nats); seed 000 §1 (non-symmetry); seed 002, 004',
  kind: 'false-in-general',
  statements: [{ text: 'KL(p‖q) = KL(q‖p) (false in general)', lhs: klPQ, relation: '=', rhs: klQP }],
  hypotheses: asymmetryHypotheses,
  // Exactly normalised pairs on a common support; the seed's pair in its dyadic form (1/8, 7/8).
  instances: fc.oneof(
    pair({ relation: 'independent', exact: true, maxLength: 6 }),
    pair({ relation: 'near-equal', exact: true, maxLength: 6 }),
    pair({ relation: 'common-zeros', exact: true, maxLength: 6 }),
    pair({ relation: 'equal', exact: true, maxLength: 6 }),
    fc.constant({ p: [0.5, 0.5], q: [0.125, 0.875] }),
  ).map(({ p, q }) => ({ p: [...p], q: [...q] })),
  proof: asymmetryProof,
  ablations: asymmetryHypotheses.map((h) => ({
    hypothesis: h.id,
    noCounterexample:
      'the statement is already false with every hypothesis in place (witnesses above); dropping one only adds witnesses — e.g. without same-support, p = (½, ½), q = (1, 0) gives KL(p‖q) = +∞ ≠ log 2 = KL(q‖p) (seed 000 §6.3)',
  })),
  functions: ['kl'],
  float64: {
    functions: ['kl'],
    check({ p, q }, candidate, opts) {
      const f = candidate.kl as unknown as (a: number[], b: number[]) => number;
      const mode = opts?.mode ?? 'standard';
      const a = f(p, q);
      const b = f(q, p);
      const ea = kl(p, q);
      const eb = kl(q, p);
      const problems: string[] = [];
      for (const [name, v, e, x, y] of [
        ['kl(p, q)', a, ea, p, q],
        ['kl(q, p)', b, eb, q, p],
      ] as const) {
        const j = judge('kl', [x, y], v, e, { mode: mode === 'strict' && strictApplies('kl', [x, y], e) ? 'strict' : 'standard' });
        if (!j.ok) problems.push(`${name} = ${v}, exact ${fmtDec(e)}: ${j.reason}`);
      }
      const exactSign = ea.cmp(eb);
      const floatSign = Math.sign(a - b);
      const note = problems.length === 0 && exactSign !== floatSign
        ? `the asymmetry KL(p‖q) − KL(q‖p) = ${fmtDec(ea.minus(eb))} is below float64 resolution here: the float64 values compare as ${a} vs ${b}`
        : undefined;
      return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}), ...(note ? { note } : {}) };
    },
  },
  describe: ({ p, q }) => `p = ${fmtVec(p)}, q = ${fmtVec(q)}`,
  toJSON: ({ p, q }) => ({ p, q }),
};

// =============================================================================================
// no-triangle
// =============================================================================================

export interface TripleInstance {
  p: number[];
  q: number[];
  r: number[];
}

type T = TripleInstance;

const klOf = (a: 'p' | 'q' | 'r', b: 'p' | 'q' | 'r'): Expr<T> => ({
  text: `KL(${a}‖${b})`,
  value: (i, ctx) => new ctx.D(kl(i[a], i[b], refOpts(ctx))),
});

const triangleRhs: Expr<T> = {
  text: 'KL(p‖r) + KL(r‖q)',
  value: (i, ctx) => xsum([klOf('p', 'r').value(i, ctx), klOf('r', 'q').value(i, ctx)], ctx),
};

/** Σ (p_i − r_i)·log(r_i/q_i) over the common support. */
function threePointTerm({ p, q, r }: T, ctx: Ctx): Decimal {
  const terms: Decimal[] = [];
  for (let i = 0; i < p.length; i++) {
    if (!(r[i]! > 0)) continue;
    const w = decExact(p[i]!, ctx).minus(decExact(r[i]!, ctx));
    if (w.isZero()) continue;
    terms.push(w.times(lnOf(r[i]!, ctx).minus(lnOf(q[i]!, ctx))));
  }
  return xsum(terms, ctx);
}

/**
 * Triples of exactly normalised distributions with full support: the midpoint r = (p + q)/2
 * (exact: entries are multiples of 2^-11), where KL's quadratic behaviour breaks the triangle
 * inequality, and independent triples.
 */
const tripleInstances: fc.Arbitrary<T> = fc.integer({ min: 1, max: 4 }).chain((n) => {
  const d = smallDistribution({ minLength: n, maxLength: n, zeros: false });
  return fc.oneof(
    fc.tuple(d, d).map(([p, q]) => ({ p, q, r: p.map((x, i) => (x + q[i]!) / 2) })),
    fc.tuple(d, d, d).map(([p, q, r]) => ({ p, q, r })),
  );
});

export const noTriangle: Theorem<T> = {
  id: 'no-triangle',
  title: 'KL has no triangle inequality: KL(p‖q) ≤ KL(p‖r) + KL(r‖q) fails in general',
  source: 'seed 000 §1 ("not a metric: KL fails symmetry and the triangle inequality"), §3 (Bregman geometry)',
  kind: 'false-in-general',
  statements: [{ text: 'KL(p‖q) ≤ KL(p‖r) + KL(r‖q) (false in general)', lhs: klOf('p', 'q'), relation: '<=', rhs: triangleRhs }],
  hypotheses: [
    { id: 'p-sums-to-one', text: 'Σ p = 1 exactly', holds: ({ p }) => nonneg(p) && sumsExactlyTo(p) },
    { id: 'q-sums-to-one', text: 'Σ q = 1 exactly', holds: ({ q }) => nonneg(q) && sumsExactlyTo(q) },
    { id: 'r-sums-to-one', text: 'Σ r = 1 exactly', holds: ({ r }) => nonneg(r) && sumsExactlyTo(r) },
    {
      id: 'common-support',
      text: 'supp p = supp q = supp r (every KL finite)',
      holds: ({ p, q, r }) => sameSupport(p, q) && sameSupport(q, r),
    },
  ],
  instances: tripleInstances,
  proof: [
    {
      id: 'three-point',
      lhs: klOf('p', 'q'),
      relation: '=',
      rhs: {
        text: 'KL(p‖r) + KL(r‖q) + Σ_i (p_i − r_i)·log(r_i/q_i)',
        value: (i, ctx) => xsum([klOf('p', 'r').value(i, ctx), klOf('r', 'q').value(i, ctx), threePointTerm(i, ctx)], ctx),
      },
      justification:
        'Bregman three-point identity for F = negative entropy: Σ p log(p/q) = Σ p log(p/r) + Σ r log(r/q) + Σ (p − r) log(r/q) (no normalisation used). The triangle inequality holds exactly when the last term is ≤ 0; for r the midpoint of p and q it is ½ Σ (p − q) log(r/q) ≈ ¼ Σ (p_i − q_i)²/q_i > 0 — KL grows like a squared distance, so the two halves cost about a quarter each',
      uses: ['common-support'],
    },
  ],
  ablations: ['p-sums-to-one', 'q-sums-to-one', 'r-sums-to-one', 'common-support'].map((h) => ({
    hypothesis: h,
    noCounterexample: 'the statement is already false with every hypothesis in place (the midpoint witnesses); dropping one only adds witnesses',
  })),
  functions: ['kl'],
  float64: {
    functions: ['kl'],
    check(i, candidate, opts) {
      const f = candidate.kl as unknown as (a: number[], b: number[]) => number;
      const mode = opts?.mode ?? 'standard';
      const problems: string[] = [];
      const vals: Record<string, number> = {};
      const exacts: Record<string, Decimal> = {};
      for (const [a, b] of [['p', 'q'], ['p', 'r'], ['r', 'q']] as const) {
        const v = f(i[a], i[b]);
        const e = kl(i[a], i[b]);
        vals[a + b] = v;
        exacts[a + b] = e;
        const j = judge('kl', [i[a], i[b]], v, e, { mode: mode === 'strict' && strictApplies('kl', [i[a], i[b]], e) ? 'strict' : 'standard' });
        if (!j.ok) problems.push(`kl(${a}, ${b}) = ${v}, exact ${fmtDec(e)}: ${j.reason}`);
      }
      const exactViolated = exacts.pq!.gt(exacts.pr!.plus(exacts.rq!));
      const floatViolated = vals.pq! > vals.pr! + vals.rq!;
      const note = problems.length === 0 && exactViolated !== floatViolated
        ? `the triangle defect ${fmtDec(exacts.pq!.minus(exacts.pr!).minus(exacts.rq!))} is below float64 resolution: the float64 values ${floatViolated ? 'violate' : 'satisfy'} the inequality, the exact values ${exactViolated ? 'violate' : 'satisfy'} it`
        : undefined;
      return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}), ...(note ? { note } : {}) };
    },
  },
  describe: ({ p, q, r }) => `p = ${fmtVec(p)}, q = ${fmtVec(q)}, r = ${fmtVec(r)}`,
  toJSON: ({ p, q, r }) => ({ p, q, r }),
};
