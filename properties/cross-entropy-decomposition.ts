/**
 * `cross-entropy-decomposition` — H(p, q) = H(p) + KL(p‖q) (seed 000, Proposition 22.6), in the
 * extended reals: under support mismatch both sides are +∞ (H(p) is always finite).
 *
 * The proof is algebra, term by term over supp p:
 *   H(p) + KL(p‖q) = H(p) + Σ_{supp p} p·log(p/q)                       definition of KL
 *                  = H(p) + Σ_{supp p} p·log p − Σ_{supp p} p·log q      log(p/q) = log p − log q
 *                  = −Σ_{supp p} p·log q                                 H(p) = −Σ p·log p, finite
 *                  = H(p, q)                                             definition of H(p, q)
 * No step uses a hypothesis beyond p, q ≥ 0 (where the logarithms exist): dropping "sums to one"
 * changes nothing, and no ablation has a counterexample.
 */
import * as ref from '../src/reference';
import { anyPair } from '../src/generators';
import { allowedError, callNumber, dec, engineContext, expr, Expr, lnOf, sumsExactlyTo, Theorem, xsum } from '../src/theorem';
import { describePQ, PQ, pqToJSON } from './gibbs';

const supp = (v: readonly number[]) => v.map((_, i) => i).filter((i) => v[i]! > 0);

const H = (p: readonly number[], digits: number) => ref.entropy(p, { digits });

const lhs: Expr<PQ> = expr('H(p) + KL(p‖q)', ({ p, q }, ctx) => xsum([H(p, ctx.digits), ref.kl(p, q, { digits: ctx.digits })], ctx));
const klByDefinition: Expr<PQ> = expr('H(p) + Σ_{supp p} p·log(p/q)', ({ p, q }, ctx) =>
  xsum([
    H(p, ctx.digits),
    ...supp(p).map((i) => (q[i] === 0 ? new ctx.D(Infinity) : dec(p[i]!, ctx).times(lnOf(p[i]!, ctx).minus(lnOf(q[i]!, ctx))))),
  ], ctx));
const splitLogs: Expr<PQ> = expr('H(p) + Σ_{supp p} p·log p − Σ_{supp p} p·log q', ({ p, q }, ctx) => {
  const S = supp(p);
  const plogp = xsum(S.map((i) => dec(p[i]!, ctx).times(lnOf(p[i]!, ctx))), ctx);
  const minusPlogq = xsum(S.map((i) => dec(p[i]!, ctx).times(lnOf(q[i]!, ctx)).neg()), ctx); // +∞ at q_i = 0
  return xsum([H(p, ctx.digits), plogp, minusPlogq], ctx);
});
const crossByDefinition: Expr<PQ> = expr('−Σ_{supp p} p·log q', ({ p, q }, ctx) =>
  xsum(supp(p).map((i) => dec(p[i]!, ctx).times(lnOf(q[i]!, ctx)).neg()), ctx));
const crossEntropy: Expr<PQ> = expr('H(p, q)', ({ p, q }, ctx) => ref.crossEntropy(p, q, { digits: ctx.digits }));

const ALGEBRA =
  'no counterexample exists: the decomposition is algebra. Each step is an identity term by term over supp p — '
  + 'log(p/q) = log p − log q, and the definitions of H(p), H(p, q) and KL — and none of them uses';

export const crossEntropyDecomposition: Theorem<PQ> = {
  id: 'cross-entropy-decomposition',
  title: 'Cross-entropy decomposition: H(p, q) = H(p) + KL(p‖q)',
  source: 'seed 000 (Chapter 22), Definition 22.5 and Proposition 22.6',
  kind: 'theorem',
  statements: [
    { text: 'H(p, q) = H(p) + KL(p‖q) (both +∞ under support mismatch)', lhs: crossEntropy, relation: '=', rhs: lhs },
  ],
  hypotheses: [
    { id: 'p-nonneg', text: 'p_i ≥ 0 for every i', holds: ({ p }) => p.every((x) => x >= 0) },
    { id: 'q-nonneg', text: 'q_i ≥ 0 for every i', holds: ({ q }) => q.every((x) => x >= 0) },
    { id: 'p-sums-to-one', text: 'Σ p = 1 exactly', holds: ({ p }) => sumsExactlyTo(p, 1) },
    { id: 'q-sums-to-one', text: 'Σ q = 1 exactly', holds: ({ q }) => sumsExactlyTo(q, 1) },
  ],
  instances: anyPair({ exact: true, maxLength: 24 }),
  proof: [
    {
      id: 'kl-definition', lhs, relation: '=', rhs: klByDefinition,
      justification: 'Definition 22.1: KL(p‖q) = Σ_{supp p} p·log(p/q), a term with q_i = 0 being +∞',
      uses: [],
    },
    {
      id: 'log-of-ratio', lhs: klByDefinition, relation: '=', rhs: splitLogs,
      justification: 'log(p/q) = log p − log q for p, q > 0; where q_i = 0 both sides are +∞ (−p·log 0 = +∞)',
      uses: [],
    },
    {
      id: 'entropy-cancels', lhs: splitLogs, relation: '=', rhs: crossByDefinition,
      justification: 'H(p) = −Σ_{supp p} p·log p is finite, so H(p) + Σ p·log p = 0 cancels even when the rest is +∞',
      uses: [],
    },
    {
      id: 'cross-entropy-definition', lhs: crossByDefinition, relation: '=', rhs: crossEntropy,
      justification: 'Definition 22.5: H(p, q) = −Σ p·log q (terms with p_i = 0 are 0)',
      uses: [],
    },
  ],
  ablations: [
    {
      hypothesis: 'p-nonneg',
      noCounterexample: 'no counterexample exists: with p_i < 0 each of H(p), H(p, q) and KL(p‖q) has a term p_i·log p_i or '
        + 'p_i·log(p_i/q_i) with no real value — the identity is undefined, not false (the reference rejects negative entries).',
    },
    {
      hypothesis: 'q-nonneg',
      noCounterexample: 'no counterexample exists: where p_i > 0 and q_i < 0, log q_i has no real value (H(p, q) and KL are '
        + 'undefined, not false); where p_i = 0 the term is 0 in all three quantities, so a negative q_i there changes nothing '
        + 'and the identity still holds (checked in properties/cross-entropy-decomposition.test.ts).',
    },
    {
      hypothesis: 'p-sums-to-one',
      noCounterexample: `${ALGEBRA} Σ p = 1: it holds for every nonnegative p (checked on unnormalised and float-normalised pairs in properties/cross-entropy-decomposition.test.ts).`,
    },
    {
      hypothesis: 'q-sums-to-one',
      noCounterexample: `${ALGEBRA} Σ q = 1: it holds for every nonnegative q (checked on unnormalised and float-normalised pairs in properties/cross-entropy-decomposition.test.ts).`,
    },
  ],
  functions: ['crossEntropy', 'entropy', 'kl'],
  float64: {
    functions: ['crossEntropy', 'entropy', 'kl'],
    // The identity needs no normalisation: float-normalised pairs too.
    instances: anyPair({ maxLength: 24 }),
    /**
     * |Ĥ(p, q) − Ĥ(p) − K̂L| ≤ e(H(p, q)) + e(H(p)) + e(KL), the allowed error of each function (the
     * standard bound, or in strict mode the strict ulps where they apply), the difference taken
     * exactly. Under support mismatch Ĥ(p, q) and K̂L must both be +∞.
     */
    check({ p, q }, candidate, opts) {
      const mode = opts?.mode ?? 'standard';
      const hpq = callNumber(candidate, 'crossEntropy', p, q);
      const hp = callNumber(candidate, 'entropy', p);
      const k = callNumber(candidate, 'kl', p, q);
      if ([hpq, hp, k].some(Number.isNaN)) return { ok: false, message: `NaN: H(p, q) = ${hpq}, H(p) = ${hp}, KL = ${k}` };
      if (p.some((x, i) => x > 0 && q[i] === 0)) {
        return hpq === Infinity && k === Infinity && Number.isFinite(hp)
          ? { ok: true }
          : { ok: false, message: `support mismatch: expected H(p, q) = +∞ = H(p) + KL with KL = +∞, got H(p, q) = ${hpq}, H(p) = ${hp}, KL = ${k}` };
      }
      if (![hpq, hp, k].every(Number.isFinite)) return { ok: false, message: `expected finite values, got H(p, q) = ${hpq}, H(p) = ${hp}, KL = ${k}` };
      const digits = 40;
      const bound = allowedError('crossEntropy', [p, q], ref.crossEntropy(p, q, { digits }), mode)
        + allowedError('entropy', [p], ref.entropy(p, { digits }), mode)
        + allowedError('kl', [p, q], ref.kl(p, q, { digits }), mode);
      const ctx = engineContext(30);
      const err = dec(hpq, ctx).minus(dec(hp, ctx)).minus(dec(k, ctx)).abs().toNumber();
      return err <= bound ? { ok: true } : { ok: false, message: `|H(p, q) − H(p) − KL| = ${err} > ${bound} (H(p, q) = ${hpq}, H(p) = ${hp}, KL = ${k})` };
    },
  },
  describe: describePQ,
  toJSON: pqToJSON,
};
