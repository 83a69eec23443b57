/**
 * `bregman` — KL is the Bregman divergence of negative entropy (seed 000, Proposition 22.4):
 *   D_F(p, q) = F(p) − F(q) − ⟨∇F(q), p − q⟩ = KL(p‖q),   F(x) = Σ x log x,  ∇F(q) = 1 + log q.
 *
 * The proof is the seed's expansion:
 *   D_F(p, q) = Σ p log p − Σ q log q − Σ (1 + log q)(p − q)                 Definition 22.3
 *             = Σ p log p − Σ q log q − Σ (p − q) − Σ (p − q)·log q           split ∇F
 *             = Σ p log p − Σ q log q − Σ (p − q)·log q                       Σ(p − q) = 0   ← equal-mass
 *             = Σ p log p − Σ p log q                                         Σ q log q cancels
 *             = KL(p‖q)                                                       Definition 22.1
 * The third line is the whole story of the constant 1 in ∇F: it contributes ⟨1, p − q⟩ = Σp − Σq,
 * zero on the simplex. So ∇F' = log q (the gradient of F'(x) = Σ x log x − Σ x, which differs from F
 * by a linear function) gives the same divergence there (statement 3), and without equal mass
 * D_F = KL + Σq − Σp (statement 2, true for every p ≥ 0, q > 0).
 *
 * Instances: exact pairs with q > 0, scaled by a common 2^s (s ∈ 0..3), so the only thing they share
 * with the simplex is equal mass — which is all the identity needs.
 */
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import * as ref from '../src/reference';
import { anyPair } from '../src/generators';
import { gamma, standardBound } from '../src/numeric/accuracy';
import {
  callNumber, callVector, Ctx, dec, engineContext, exactSum, expr, Expr, lnOf, sumsExactlyTo, Theorem, xneg, xsum,
} from '../src/theorem';
import { describePQ, PQ, pqToJSON, weight1 } from './gibbs';

const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);

/** Σp = Σq, decided exactly. */
export const equalMass = ({ p, q }: PQ): boolean => sumsExactlyTo(p.concat(q.map((x) => -x)), 0);

/** Σq − Σp, exactly. */
function massGap({ p, q }: PQ, ctx: Ctx): Decimal {
  return exactSum(q, ctx).minus(exactSum(p, ctx));
}

/** The gradient of F'(x) = Σ x log x − Σ x: log x_i (−∞ at 0), for ref.bregman. */
function gradLog(x: readonly number[], opts: { digits?: number }): Decimal[] {
  const ctx = engineContext(Math.min(opts.digits ?? 40, 990));
  return x.map((xi) => lnOf(xi, ctx));
}

const F = (x: readonly number[], opts: { digits?: number }) => ref.negEntropy(x, opts);

const DF: Expr<PQ> = expr('D_F(p, q)', ({ p, q }, ctx) => ref.bregman(F, ref.negEntropyGradient, p, q, { digits: ctx.digits }));
const KL: Expr<PQ> = expr('KL(p‖q)', ({ p, q }, ctx) => ref.kl(p, q, { digits: ctx.digits }));
const KLplusMass: Expr<PQ> = expr('KL(p‖q) + Σq − Σp', (x, ctx) => xsum([ref.kl(x.p, x.q, { digits: ctx.digits }), massGap(x, ctx)], ctx));
const DFlog: Expr<PQ> = expr('F(p) − F(q) − ⟨log q, p − q⟩', ({ p, q }, ctx) => ref.bregman(F, gradLog, p, q, { digits: ctx.digits }));

/** Σ (p − q)·log q, own arithmetic (exact differences, fixed-point logs); terms with p_i = q_i are 0. */
function crossTerm({ p, q }: PQ, ctx: Ctx): Decimal {
  return xsum(p.map((pi, i) => (pi === q[i] ? new ctx.D(0) : dec(pi, ctx).minus(dec(q[i]!, ctx)).times(lnOf(q[i]!, ctx)))), ctx);
}

const Fp = (x: PQ, ctx: Ctx) => ref.negEntropy(x.p, { digits: ctx.digits });
const Fq = (x: PQ, ctx: Ctx) => ref.negEntropy(x.q, { digits: ctx.digits });

const expanded: Expr<PQ> = expr('Σ p·log p − Σ q·log q − Σ (1 + log q)(p − q)', ({ p, q }, ctx) => ref.bregmanNegEntropy(p, q, { digits: ctx.digits }));
const split: Expr<PQ> = expr('Σ p·log p − Σ q·log q − Σ (p − q) − Σ (p − q)·log q', (x, ctx) =>
  xsum([Fp(x, ctx), Fq(x, ctx).neg(), massGap(x, ctx), xneg(crossTerm(x, ctx))], ctx));
const withoutMass: Expr<PQ> = expr('Σ p·log p − Σ q·log q − Σ (p − q)·log q', (x, ctx) =>
  xsum([Fp(x, ctx), Fq(x, ctx).neg(), xneg(crossTerm(x, ctx))], ctx));
const cancelled: Expr<PQ> = expr('Σ p·log p − Σ p·log q', ({ p, q }, ctx) =>
  xsum([ref.negEntropy(p, { digits: ctx.digits }), ref.crossEntropy(p, q, { digits: ctx.digits })], ctx));

/** equal-mass dropped: p = a_i/2^kp, q = b_i/2^kq > 0 with Σp ≠ Σq. Shrinks to p = [1], q = [½]. */
export const unequalMass: fc.Arbitrary<PQ> = fc
  .tuple(fc.array(fc.tuple(weight1, weight1), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
  .filter(([slots, kp, kq]) => sum(slots.map(([a]) => a)) * 2 ** kq !== sum(slots.map(([, b]) => b)) * 2 ** kp)
  .map(([slots, kp, kq]) => ({ p: slots.map(([a]) => a / 2 ** kp), q: slots.map(([, b]) => b / 2 ** kq), relation: 'Σp ≠ Σq' }));

/** Exact pairs with q > 0 everywhere: distributions (Σp = Σq = 1 exactly). */
const simplexPairs: fc.Arbitrary<PQ> = anyPair({ exact: true, maxLength: 24, relations: ['independent', 'equal', 'near-equal', 'p-ll-q', 'near-mismatch'] })
  .filter(({ q }) => q.every((x) => x > 0));

/** Instances: {@link simplexPairs}, both scaled by 2^s (equal mass 2^s). */
const instances: fc.Arbitrary<PQ> = fc
  .tuple(simplexPairs, fc.integer({ min: 0, max: 3 }))
  .map(([{ p, q, relation }, s]) => ({ p: p.map((x) => x * 2 ** s), q: q.map((x) => x * 2 ** s), relation: s === 0 ? relation : `${relation}, mass ${2 ** s}` }));

export const Q_POSITIVE_REASON =
  'no counterexample exists in the extended reals. On the boundary (some q_i = 0) ∇F(q) = 1 + log q does not exist '
  + '(log 0 = −∞), but with the conventions of the extended reals both sides agree: where p_i = q_i = 0 the term '
  + '(1 + log q_i)(p_i − q_i) is (−∞)·0 := 0 and KL has no term either; where p_i > 0 = q_i, −(1 + log 0)·p_i = +∞, so '
  + 'D_F(p, q) = +∞ = KL(p‖q) (support mismatch). The identity survives on the closed simplex (checked in '
  + 'properties/bregman.test.ts on pairs with zeros in q); the open simplex is needed for F to be differentiable, '
  + 'not for the identity. A q_i < 0 is outside the domain of F: q·log q has no real value (undefined, not false).';

export const P_NONNEG_REASON =
  'no counterexample exists: F(p) = Σ p·log p has no real value at a negative p_i (and neither has KL(p‖q)): p is '
  + 'outside the domain of F, so the identity is undefined there, not false. The reference rejects negative entries.';

export const bregman: Theorem<PQ> = {
  id: 'bregman',
  title: 'KL is the Bregman divergence of negative entropy: D_F(p, q) = KL(p‖q) for F(x) = Σ x·log x',
  source: 'seed 000 (Chapter 22), Definition 22.3 and Proposition 22.4',
  kind: 'theorem',
  statements: [
    { text: 'D_F(p, q) = KL(p‖q)', lhs: DF, relation: '=', rhs: KL },
    { text: 'D_F(p, q) = KL(p‖q) + Σq − Σp (holds for every p ≥ 0, q > 0)', lhs: DF, relation: '=', rhs: KLplusMass },
    {
      text: 'the constant 1 of ∇F = 1 + log q does not matter: F(p) − F(q) − ⟨log q, p − q⟩ = D_F(p, q)',
      lhs: DFlog, relation: '=', rhs: DF,
    },
  ],
  hypotheses: [
    { id: 'p-nonneg', text: 'p_i ≥ 0 for every i (p in the domain of F)', holds: ({ p }) => p.every((x) => x >= 0) },
    { id: 'q-positive', text: 'q_i > 0 for every i (q in the open orthant, where ∇F(q) = 1 + log q exists)', holds: ({ q }) => q.every((x) => x > 0) },
    { id: 'equal-mass', text: 'Σp = Σq exactly, e.g. both on the simplex', holds: equalMass },
  ],
  instances,
  proof: [
    {
      id: 'expand', lhs: DF, relation: '=', rhs: expanded,
      justification: 'Definition 22.3 with F(x) = Σ x·log x and ∇F(q) = 1 + log q (the expansion of Proposition 22.4)',
      uses: ['p-nonneg', 'q-positive'],
    },
    {
      id: 'split-gradient', lhs: expanded, relation: '=', rhs: split,
      justification: '(1 + log q)(p − q) = (p − q) + (p − q)·log q',
      uses: [],
    },
    {
      id: 'equal-mass', lhs: split, relation: '=', rhs: withoutMass,
      justification: 'Σ (p − q) = Σp − Σq = 0: the constant 1 of ∇F contributes ⟨1, p − q⟩ = 0 — why ∇F\' = log q gives the same divergence',
      uses: ['equal-mass'],
    },
    {
      id: 'cancel', lhs: withoutMass, relation: '=', rhs: cancelled,
      justification: '−Σ q·log q − Σ (p − q)·log q = −Σ p·log q',
      uses: [],
    },
    {
      id: 'kl', lhs: cancelled, relation: '=', rhs: KL,
      justification: 'Σ p·log p − Σ p·log q = Σ p·log(p/q) = KL(p‖q) (Definition 22.1)',
      uses: [],
    },
  ],
  ablations: [
    { hypothesis: 'p-nonneg', noCounterexample: P_NONNEG_REASON },
    { hypothesis: 'q-positive', noCounterexample: Q_POSITIVE_REASON },
    { hypothesis: 'equal-mass', arbitrary: unequalMass },
  ],
  functions: ['negEntropy', 'negEntropyGradient', 'kl'],
  float64: {
    functions: ['negEntropy', 'negEntropyGradient', 'kl'],
    /**
     * The candidate's negEntropy, negEntropyGradient and kl are called on distributions only (their
     * domain, src/contract.ts), so the float64 check draws the unscaled pairs: the mass-2^s instances
     * add nothing there, since 2^s is exact and D_F(2^s p, 2^s q) = 2^s·D_F(p, q), KL likewise
     * (1-homogeneity of the generalised KL Σ p log(p/q) − Σp + Σq).
     */
    instances: simplexPairs,
    /**
     * D̂_F = F̂(p) − F̂(q) − Σ ĝ_i·(p_i − q_i) from the candidate's negEntropy and negEntropyGradient,
     * against its kl (+ the exact Σq − Σp, 0 on these instances):
     *   |D̂_F − k̂l − (Σq − Σp)| ≤ B_F(p) + B_F(q) + B_kl + Σ (B_∇,i + 2u|ĝ_i|)·|p_i − q_i| + γ_{n+3}·(|F̂(p)| + |F̂(q)| + Σ|ĝ_i(p_i − q_i)|)
     * (the standard bounds of each function, the rounding of p_i − q_i and of each product, and the
     * summation). The composition has no strict target: both modes use this bound.
     */
    check(x, candidate) {
      const { p, q } = x;
      const fp = callNumber(candidate, 'negEntropy', p);
      const fq = callNumber(candidate, 'negEntropy', q);
      const g = callVector(candidate, 'negEntropyGradient', q);
      const k = callNumber(candidate, 'kl', p, q);
      if (g.length !== q.length) return { ok: false, message: `negEntropyGradient returned ${g.length} components, expected ${q.length}` };
      const u = 2 ** -53;
      let inner = 0;
      let abs = Math.abs(fp) + Math.abs(fq);
      let bound = standardBound('negEntropy', [p]) + standardBound('negEntropy', [q]) + standardBound('kl', [p, q]);
      for (let i = 0; i < p.length; i++) {
        if (p[i] === q[i]) continue; // ∇F(q)_i·0 = 0, even for ∇F(q)_i = −∞
        const t = g[i]! * (p[i]! - q[i]!);
        inner += t;
        abs += Math.abs(t);
        bound += (standardBound('negEntropyGradient', [q], 'float64', i) + 2 * u * Math.abs(g[i]!)) * Math.abs(p[i]! - q[i]!);
      }
      bound += gamma(p.length + 3, u) * abs;
      const dF = fp - fq - inner;
      if (Number.isNaN(dF) || Number.isNaN(k)) return { ok: false, message: `NaN: D_F = ${dF}, kl = ${k}` };
      const ctx = engineContext(30);
      const mass = massGap(x, ctx);
      if (!Number.isFinite(dF) || !Number.isFinite(k)) {
        return dF === k ? { ok: true } : { ok: false, message: `D_F from the candidate's F and ∇F is ${dF}, its kl is ${k}` };
      }
      const err = dec(dF, ctx).minus(dec(k, ctx)).minus(mass).abs().toNumber();
      return err <= bound
        ? { ok: true }
        : { ok: false, message: `|D_F − kl − (Σq − Σp)| = ${err} > ${bound} (D_F = ${dF} from negEntropy and negEntropyGradient, kl = ${k})` };
    },
  },
  describe: describePQ,
  toJSON: pqToJSON,
};
