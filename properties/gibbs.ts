/**
 * `gibbs` — Gibbs' inequality: KL(p‖q) ≥ 0, with equality iff p = q (seed 000, Proposition 22.2).
 *
 * The proof is the seed's Jensen argument, written as a chain in the extended reals:
 *   KL(p‖q) = −Σ_{supp p} p·log(q/p)            definition (terms with p_i = 0 are 0)
 *           ≥ −log Σ_{supp p} p·(q/p)            Jensen, −log convex, weights p on supp p
 *           = −log Σ_{supp p} q                  p·(q/p) = q on supp p
 *           ≥ −log Σ q                           q ≥ 0 off supp p, −log decreasing
 *           = −log 1 = 0                         Σ q = 1
 * A q_i = 0 on supp p makes the first two lines +∞ (−log 0 = +∞), so every step still holds:
 * absolute continuity is NOT a hypothesis — without it KL = +∞ ≥ 0.
 *
 * Instances: exactly normalised (dyadic) pairs of every support relation, so "Σ = 1" holds exactly.
 * Float-normalised pairs are the float64 check's instances: there the exact KL can be −1e-16 (a note).
 */
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import * as ref from '../src/reference';
import { dyOf, Rat, ratAdd, ratDivDy, ratOfDy } from '../src/numeric/dyadic';
import { anyPair } from '../src/generators';
import {
  allowedError, Ctx, callNumber, constant, dec, EngineError, engineContext, exactSum, expr, Expr, formatVector, indicator,
  lnExactSum, lnRational, lnOf, sumsExactlyTo, Theorem, xsum,
} from '../src/theorem';

/** A pair of vectors on one support (a distribution pair, or an ablation instance). */
export interface PQ {
  p: number[];
  q: number[];
  /** The generator's support relation, or the ablation recipe that made the pair. */
  relation?: string;
}

export const describePQ = (x: PQ): string => `p = ${formatVector(x.p)}, q = ${formatVector(x.q)}${x.relation ? ` (${x.relation})` : ''}`;
export const pqToJSON = (x: PQ): unknown => ({ p: x.p.slice(), q: x.q.slice(), ...(x.relation ? { relation: x.relation } : {}) });

const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
const supp = (v: readonly number[]) => v.map((_, i) => i).filter((i) => v[i]! > 0);

/**
 * An exactly normalised vector from small integer weights: entries w_i/2^m for all but the last,
 * which is 1 − Σ the others (m the least with 2^m > Σ the others). Σ = 1 exactly; [1] → [1],
 * [1, 1] → [½, ½], [1, 1, 1] → [¼, ¼, ½], [3, 1] → [¾, ¼]. The last weight only sets the length.
 */
export function dyadicFromWeights(ws: readonly number[]): number[] {
  const head = ws.slice(0, -1);
  const s = sum(head);
  let m = 0;
  while (2 ** m <= s) m++;
  return [...head.map((w) => w / 2 ** m), (2 ** m - s) / 2 ** m];
}

/** Small positive / nonnegative integer weights (shrink to 1 / 0). */
export const weight1 = fc.integer({ min: 1, max: 8 });
export const weight0 = fc.integer({ min: 0, max: 8 });

// -------------------------------------------------------------------------------------------------
// Expressions

/**
 * KL(p‖q) by the reference. Outside the reference's domain (the q-nonneg ablation: q_i < 0 where
 * p_i = 0) it is the reference on the restriction to supp p — the definition sums over supp p, so
 * the two agree wherever both are defined. q_i < 0 ON supp p has no real logarithm: EngineError.
 */
export function klValue(p: readonly number[], q: readonly number[], ctx: Ctx): Decimal {
  if (p.every((x) => x >= 0) && q.every((x) => x >= 0)) return ref.kl(p, q, { digits: ctx.digits });
  const S = supp(p);
  if (S.some((i) => q[i]! < 0)) throw new EngineError('KL(p‖q) is undefined: q_i < 0 where p_i > 0 (no real logarithm)');
  if (S.length === 0) return new ctx.D(0);
  return ref.kl(S.map((i) => p[i]!), S.map((i) => q[i]!), { digits: ctx.digits });
}

const KL: Expr<PQ> = expr('KL(p‖q)', ({ p, q }, ctx) => klValue(p, q, ctx));

/** −Σ_{supp p} p·log(q/p) = Σ_{supp p} p(log p − log q), own arithmetic (fixed-point logs of the exact inputs). */
const jensenLhs: Expr<PQ> = expr('−Σ_{supp p} p·log(q/p)', ({ p, q }, ctx) =>
  xsum(supp(p).map((i) => (q[i] === 0 ? new ctx.D(Infinity) : dec(p[i]!, ctx).times(lnOf(p[i]!, ctx).minus(lnOf(q[i]!, ctx))))), ctx));

/** −log Σ_{supp p} p·(q/p): the ratios q/p and the products in exact rational arithmetic. */
const jensenRhs: Expr<PQ> = expr('−log Σ_{supp p} p·(q/p)', ({ p, q }, ctx) => {
  let s: Rat = { num: 0n, den: 1n };
  for (const i of supp(p)) {
    const u = ratDivDy(dyOf(q[i]!), dyOf(p[i]!)); // U_i = q_i/p_i
    const pi = ratOfDy(dyOf(p[i]!));
    s = ratAdd(s, { num: u.num * pi.num, den: u.den * pi.den }); // p_i·U_i
  }
  return lnRational(s, ctx).neg();
});

const logSumOnSupport: Expr<PQ> = expr('−log Σ_{supp p} q', ({ p, q }, ctx) => lnExactSum(supp(p).map((i) => q[i]!), ctx).neg());
const logSum: Expr<PQ> = expr('−log Σ q', ({ q }, ctx) => lnExactSum(q, ctx).neg());

// -------------------------------------------------------------------------------------------------
// Hypotheses

const hypotheses = [
  { id: 'p-nonneg', text: 'p_i ≥ 0 for every i', holds: ({ p }: PQ) => p.every((x) => x >= 0) },
  { id: 'q-nonneg', text: 'q_i ≥ 0 for every i', holds: ({ q }: PQ) => q.every((x) => x >= 0) },
  { id: 'p-sums-to-one', text: 'Σ p = 1 exactly', holds: ({ p }: PQ) => sumsExactlyTo(p, 1) },
  { id: 'q-sums-to-one', text: 'Σ q = 1 exactly', holds: ({ q }: PQ) => sumsExactlyTo(q, 1) },
];

// -------------------------------------------------------------------------------------------------
// Ablation instances (small integer weights on the dyadic grid: they shrink to 1–3 categories)

/**
 * q-nonneg dropped: p an exact distribution with zeros; q exact, Σq = 1, negative only where p = 0
 * (q_i < 0 on supp p would leave KL undefined, not false). Shrinks to p = [1, 0], q = [2, −1].
 */
export const qNegativeOffSupport: fc.Arbitrary<PQ> = fc
  .tuple(fc.array(fc.tuple(weight1, weight1), { minLength: 1, maxLength: 3 }), fc.array(weight1, { minLength: 1, maxLength: 2 }))
  .map(([both, negs]) => {
    const p = [...dyadicFromWeights(both.map(([a]) => a)), ...negs.map(() => 0)];
    const c = sum(negs);
    const others = both.slice(0, -1).map(([, b]) => b);
    const s = sum(others);
    let m = 0;
    while (2 ** m + c - s < 1) m++;
    const q = [...others.map((b) => b / 2 ** m), (2 ** m + c - s) / 2 ** m, ...negs.map((x) => -x / 2 ** m)];
    return { p, q, relation: 'q negative off supp p' };
  });

/** p-sums-to-one dropped: p = a_i/2^k ≥ 0 (not all 0) with Σp ≠ 1; q an exact distribution. Shrinks to p = [½], q = [1]. */
export const pUnnormalised: fc.Arbitrary<PQ> = fc
  .tuple(fc.array(fc.tuple(weight0, weight1), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 4 }))
  .filter(([slots, k]) => {
    const A = sum(slots.map(([a]) => a));
    return A > 0 && A !== 2 ** k;
  })
  .map(([slots, k]) => ({ p: slots.map(([a]) => a / 2 ** k), q: dyadicFromWeights(slots.map(([, b]) => b)), relation: 'Σp ≠ 1' }));

/** q-sums-to-one dropped: p an exact distribution; q = b_i/2^k ≥ 0 with Σq ≠ 1. Shrinks to p = [1], q = [2]. */
export const qUnnormalised: fc.Arbitrary<PQ> = fc
  .tuple(fc.array(fc.tuple(weight1, weight0), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 4 }))
  .filter(([slots, k]) => sum(slots.map(([, b]) => b)) !== 2 ** k)
  .map(([slots, k]) => ({ p: dyadicFromWeights(slots.map(([a]) => a)), q: slots.map(([, b]) => b / 2 ** k), relation: 'Σq ≠ 1' }));

/** Why dropping p-nonneg gives no counterexample (checked by properties/gibbs.test.ts on instances with negative p). */
export const P_NONNEG_REASON =
  'no counterexample exists. Read literally, a term p_i·log(p_i/q_i) with p_i < 0 and q_i ≥ 0 is the logarithm of a '
  + 'number ≤ 0: KL(p‖q) has no real value (the reference rejects negative entries; float64 gives NaN), so the statement is '
  + 'undefined, not false. Read as the seed\'s proof reads it — a sum over supp p = {i : p_i > 0} — the negative entries drop '
  + 'out, and then KL(p‖q) ≥ P·log(P/Q) > 0 by the log-sum inequality, where P = Σ_{supp p} p = 1 + (the negative mass) > 1 '
  + 'and Q = Σ_{supp p} q ≤ 1: the statement still holds (and p ≠ q, KL > 0 keeps the equality case). Either way nothing '
  + 'fails; what breaks is the proof — Jensen\'s weights p on supp p no longer sum to 1.';

// -------------------------------------------------------------------------------------------------
// The theorem

export const gibbs: Theorem<PQ> = {
  id: 'gibbs',
  title: "Gibbs' inequality: KL(p‖q) ≥ 0, with equality iff p = q",
  source: 'seed 000 (Chapter 22), Proposition 22.2 — Jensen for the convex −log',
  kind: 'theorem',
  statements: [
    { text: 'KL(p‖q) ≥ 0', lhs: KL, relation: '>=', rhs: constant('0', 0) },
    {
      text: 'KL(p‖q) = 0 ⇔ p = q',
      lhs: indicator('[KL(p‖q) = 0]', ({ p, q }, ctx) => klValue(p, q, ctx).isZero()),
      relation: '=',
      rhs: indicator('[p = q]', ({ p, q }) => p.length === q.length && p.every((x, i) => x === q[i])),
    },
    {
      text: 'supp p ⊄ supp q ⇒ KL(p‖q) = +∞ (no absolute continuity needed: +∞ ≥ 0)',
      lhs: indicator('[supp p ⊄ supp q]', ({ p, q }) => p.some((x, i) => x > 0 && q[i] === 0)),
      relation: '<=',
      rhs: indicator('[KL(p‖q) = +∞]', ({ p, q }, ctx) => {
        const v = klValue(p, q, ctx);
        return !v.isFinite() && v.isPositive();
      }),
    },
  ],
  hypotheses,
  instances: anyPair({ exact: true, maxLength: 24 }),
  proof: [
    {
      id: 'definition',
      lhs: KL, relation: '=', rhs: jensenLhs,
      justification: 'Definition 22.1: KL = Σ p·log(p/q) = −Σ p·log(q/p); terms with p_i = 0 are 0, and a term with p_i > 0 = q_i is +∞',
      uses: [],
    },
    {
      id: 'jensen',
      lhs: jensenLhs, relation: '>=', rhs: jensenRhs,
      justification: "Jensen's inequality E_p[−log U] ≥ −log E_p[U] for the convex −log, U = q/p ≥ 0 on supp p, weights p that are ≥ 0 and sum to 1 (−log 0 = +∞ keeps it true in the extended reals)",
      uses: ['p-nonneg', 'p-sums-to-one'],
    },
    {
      id: 'cancel',
      lhs: jensenRhs, relation: '=', rhs: logSumOnSupport,
      justification: 'p·(q/p) = q on supp p',
      uses: [],
    },
    {
      id: 'drop-off-support',
      lhs: logSumOnSupport, relation: '>=', rhs: logSum,
      justification: 'Σ_{supp p} q ≤ Σ q because the omitted q_i are ≥ 0, and −log is decreasing',
      uses: ['q-nonneg'],
    },
    {
      id: 'normalised',
      lhs: logSum, relation: '=', rhs: constant('−log 1', 0),
      justification: 'Σ q = 1, so −log Σ q = −log 1 = 0',
      uses: ['q-sums-to-one'],
    },
  ],
  ablations: [
    { hypothesis: 'p-nonneg', noCounterexample: P_NONNEG_REASON },
    { hypothesis: 'q-nonneg', arbitrary: qNegativeOffSupport },
    { hypothesis: 'p-sums-to-one', arbitrary: pUnnormalised },
    { hypothesis: 'q-sums-to-one', arbitrary: qUnnormalised },
  ],
  functions: ['kl'],
  float64: {
    functions: ['kl'],
    // Float-normalised and dyadic pairs of every relation: the float ones are where the notes come from.
    instances: anyPair({ maxLength: 24 }),
    check({ p, q }, candidate, opts) {
      const mode = opts?.mode ?? 'standard';
      const v = callNumber(candidate, 'kl', p, q);
      if (Number.isNaN(v)) return { ok: false, message: 'kl returned NaN' };
      if (p.some((x, i) => x > 0 && q[i] === 0)) {
        return v === Infinity ? { ok: true } : { ok: false, message: `kl = ${v}; expected +Infinity (supp p ⊄ supp q: KL = +∞ ≥ 0)` };
      }
      const exact = ref.kl(p, q, { digits: 40 });
      const allowed = allowedError('kl', [p, q], exact, mode);
      const note = exact.isNegative() && !exact.isZero()
        ? `exact KL(p‖q) = ${exact.toSignificantDigits(3).toString()} < 0: these float-normalised inputs break the exact `
          + `statement, because Σp ≠ Σq (Σp − Σq = ${massGap(p, q)}; Σp − 1 = ${massGap(p, [1])}, Σq − 1 = ${massGap(q, [1])}); `
          + 'dyadic inputs (k_i/2^m) sum to exactly 1 and remove it'
        : undefined;
      const withNote = <T extends object>(r: T) => (note ? { ...r, note } : r);
      if (!(v >= -allowed)) return withNote({ ok: false, message: `kl = ${v} < −${allowed} (the allowed error, ${mode}): KL ≥ 0 violated beyond rounding` });
      if (p.every((x, i) => x === q[i]) && !(Math.abs(v) <= allowed)) return withNote({ ok: false, message: `kl(p, p) = ${v}; expected 0 within ${allowed}` });
      return withNote({ ok: true });
    },
  },
  describe: describePQ,
  toJSON: pqToJSON,
};

/** Σa − Σb, exactly, to 3 digits: "-4.04e-21", "0". */
function massGap(a: readonly number[], b: readonly number[]): string {
  const ctx = engineContext(20);
  return exactSum(a, ctx).minus(exactSum(b, ctx)).toSignificantDigits(3).toString();
}
