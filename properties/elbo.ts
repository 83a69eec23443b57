/**
 * `elbo-identity` and `elbo-bound` — variational inference (seed 000, section 8.2):
 *   log p(x) = ELBO(q) + KL(q‖p(·|x)),   ELBO(q) = E_q[log p(x, z) − log q(z)],
 *   ELBO(q) ≤ log p(x), with equality iff q = p(·|x).
 *
 * The equality case is checked as two decidable statements: "q = p(·|x) ⇒ ELBO(q) = log p(x)" ([q =
 * p(·|x)] decided exactly: see qIsPosterior) and "log p(x) − ELBO(q) ≥ 2·TV(q, p(·|x))²" (Pinsker, so
 * the gap vanishes only at q = p(·|x)). A single Iverson bracket [ELBO(q) = log p(x)] cannot be decided
 * numerically: for q = (1, 0) and log joints (0, −245) the gap is log(1 + e^-245) ≈ 4e-107, and for
 * the generator's spread log joints it reaches e^-10000 — beyond any precision the reference offers.
 *
 * A discrete latent model for one observation x: logJoint[z] = log p(x, z) (finite, or −∞ for an
 * impossible z; some z possible), and a variational q over z.
 *
 * Does the identity need Σq = 1 EXACTLY? Yes: ELBO(q) + KL(q‖p(·|x)) = Σ q(z)[log p(x, z) − log q(z)
 * + log q(z) − log p(x, z) + log p(x)] = (Σq)·log p(x) for every q ≥ 0 with q ≪ p(·|x) (statement 2
 * of elbo-identity). A float-normalised q is off by an ulp or two, and with log p(x) ≈ −5000 that
 * is ~1e-12: the identity fails at 40 digits. So the instances put q on the dyadic grid 2^-53
 * (Σq = 1 exactly; entries below 2^-54 become 0), starting from `latentModel()`'s q.
 *
 * KL(q‖p(·|x)) is computed in the engine context as Σ_{supp q} q(z)·(log q(z) − log π(z)) with π the
 * reference posterior (`ref.posterior`, correctly rounded at digits + guard digits) and fixed-point
 * logarithms of the exact inputs — an independent route: the statement then checks the reference's
 * elbo, logEvidence and posterior against each other.
 */
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import * as ref from '../src/reference';
import { latentModel, LatentModel } from '../src/generators';
import { standardBound } from '../src/numeric/accuracy';
import { MAX_DIGITS } from '../src/numeric/context';
import { dyOf } from '../src/numeric/dyadic';
import {
  allowedError, callNumber, callVector, compare, Ctx, dec, engineContext, exactSum, expr, Expr, formatVector, indicator, lnDecimal, lnExactSum,
  lnOf, sumsExactlyTo, Theorem, xneg, xsum,
} from '../src/theorem';
import { weight0 } from './gibbs';
import { massKl } from './_shared/masses';

/** A latent model: log p(x, z) for each z, and a variational q. */
export interface LatentQ {
  logJoint: number[];
  q: number[];
  /** How it was made (latentModel's kind and shape, or the ablation recipe). */
  label?: string;
}

export const describeLatent = (m: LatentQ): string =>
  `logJoint = ${formatVector(m.logJoint)}, q = ${formatVector(m.q)}${m.label ? ` (${m.label})` : ''}`;
export const latentToJSON = (m: LatentQ): unknown => ({ logJoint: m.logJoint.slice(), q: m.q.slice(), ...(m.label ? { label: m.label } : {}) });

/**
 * q moved to the dyadic grid 2^-53 so that Σq = 1 exactly: k_z = round(q_z·2^53), the largest k
 * absorbs 2^53 − Σk. Zeros stay zeros; entries below 2^-54 become 0; the others move by ≤ 2^-54
 * (the largest by ≤ n·2^-54). Already exact vectors are returned unchanged.
 */
export function onDyadicGrid(q: readonly number[]): number[] {
  if (sumsExactlyTo(q, 1)) return q.slice();
  const M = 2n ** 53n;
  const k = q.map((x) => BigInt(Math.round(x * 2 ** 53)));
  let j = 0;
  for (let i = 1; i < k.length; i++) if (k[i]! > k[j]!) j = i;
  k[j] = k[j]! + M - k.reduce((a, b) => a + b, 0n);
  if (k[j]! <= 0n || k[j]! > M) throw new RangeError(`onDyadicGrid: cannot place ${formatVector(q)} on the grid`);
  return k.map((x) => Number(x) / 2 ** 53);
}

const fromModel = (m: LatentModel): LatentQ => ({ logJoint: m.logJoint, q: onDyadicGrid(m.q), label: `${m.kind}, ${m.shape}, q on the 2^-53 grid` });

// -------------------------------------------------------------------------------------------------
// Expressions

/** The reference posterior at the engine's wide precision (digits + guard). */
function posteriorWide(l: readonly number[], ctx: Ctx): Decimal[] {
  return ref.posterior(l, { digits: Math.min(ctx.D.precision, MAX_DIGITS) });
}

const supp = (v: readonly number[]) => v.map((_, i) => i).filter((i) => v[i]! > 0);

/** KL(q‖p(·|x)) = Σ_{supp q} q·(log q − log π), π the reference posterior; +∞ where π(z) = 0 < q(z). */
export function klToPosterior({ logJoint, q }: LatentQ, ctx: Ctx): Decimal {
  const pi = posteriorWide(logJoint, ctx);
  return xsum(supp(q).map((z) => (pi[z]!.isZero()
    ? new ctx.D(Infinity)
    : dec(q[z]!, ctx).times(lnOf(q[z]!, ctx).minus(lnDecimal(pi[z]!, ctx))))), ctx);
}

const L: Expr<LatentQ> = expr('log p(x)', ({ logJoint }, ctx) => ref.logEvidence(logJoint, { digits: ctx.digits }));
const ELBO: Expr<LatentQ> = expr('ELBO(q)', ({ logJoint, q }, ctx) => ref.elbo(logJoint, q, { digits: ctx.digits }));
const KLpost: Expr<LatentQ> = expr('KL(q‖p(·|x))', klToPosterior);
const elboPlusKl: Expr<LatentQ> = expr('ELBO(q) + KL(q‖p(·|x))', (m, ctx) => xsum([ref.elbo(m.logJoint, m.q, { digits: ctx.digits }), klToPosterior(m, ctx)], ctx));
const massTimesL: Expr<LatentQ> = expr('Σ_z q(z)·log p(x)', ({ logJoint, q }, ctx) => {
  const s = exactSum(q, ctx);
  const l = ref.logEvidence(logJoint, { digits: ctx.digits });
  return s.isZero() ? new ctx.D(0) : s.times(l);
});
const bayes: Expr<LatentQ> = expr('Σ_{supp q} q(z)·[log p(x, z) − log p(z|x)]', ({ logJoint, q }, ctx) => {
  const pi = posteriorWide(logJoint, ctx);
  return xsum(supp(q).map((z) => dec(q[z]!, ctx).times(dec(logJoint[z]!, ctx).minus(lnDecimal(pi[z]!, ctx)))), ctx);
});
const addSubtract: Expr<LatentQ> = expr('Σ_{supp q} q(z)·[log p(x, z) − log q(z)] + Σ_{supp q} q(z)·[log q(z) − log p(z|x)]', (m, ctx) => {
  const { logJoint, q } = m;
  const a = xsum(supp(q).map((z) => dec(q[z]!, ctx).times(dec(logJoint[z]!, ctx).minus(lnOf(q[z]!, ctx)))), ctx);
  return xsum([a, klToPosterior(m, ctx)], ctx);
});
const LminusKL: Expr<LatentQ> = expr('log p(x) − KL(q‖p(·|x))', (m, ctx) =>
  xsum([ref.logEvidence(m.logJoint, { digits: ctx.digits }), xneg(klToPosterior(m, ctx))], ctx));

/** 2·TV(q, p(·|x))², TV = ½·Σ|q(z) − π(z)| with π the reference posterior (digits + guard). */
const pinskerBound: Expr<LatentQ> = expr('2·TV(q, p(·|x))²', ({ logJoint, q }, ctx) => {
  const pi = posteriorWide(logJoint, ctx);
  let tv = new ctx.D(0);
  for (let z = 0; z < q.length; z++) tv = tv.plus(dec(q[z]!, ctx).minus(pi[z]!).abs());
  tv = tv.div(2);
  return tv.times(tv).times(2);
});
const gap: Expr<LatentQ> = expr('log p(x) − ELBO(q)', ({ logJoint, q }, ctx) =>
  xsum([ref.logEvidence(logJoint, { digits: ctx.digits }), ref.elbo(logJoint, q, { digits: ctx.digits }).neg()], ctx));

/**
 * [q = p(·|x)], decided exactly. π(z) = e^{l_z}/Σ e^{l}, so π(z)/π(w) = e^{l_z − l_w}, irrational for
 * rational l_z − l_w ≠ 0 (Lindemann–Weierstrass; doubles are rational), while q(z)/q(w) is rational.
 * So a double q equals the posterior iff the possible z are tied (equal finite log joints) and q is
 * exactly 1/k on those k values and 0 elsewhere.
 */
export function qIsPosterior({ logJoint, q }: LatentQ): boolean {
  const Z = logJoint.map((_, z) => z).filter((z) => logJoint[z] !== -Infinity);
  if (Z.length === 0 || q.length !== logJoint.length) return false;
  if (q.some((x, z) => logJoint[z] === -Infinity && x !== 0)) return false;
  if (!Z.every((z) => logJoint[z] === logJoint[Z[0]!])) return false;
  const k = BigInt(Z.length);
  return Z.every((z) => {
    const d = dyOf(q[z]!); // q·k = 1 exactly
    return d.e <= 0 && d.m * k === 1n << BigInt(-d.e);
  });
}

// -------------------------------------------------------------------------------------------------
// Hypotheses

const qNonneg = { id: 'q-nonneg', text: 'q(z) ≥ 0 for every z', holds: ({ q }: LatentQ) => q.every((x) => x >= 0) };
const qSums = { id: 'q-sums-to-one', text: 'Σ_z q(z) = 1 exactly', holds: ({ q }: LatentQ) => sumsExactlyTo(q, 1) };
const qLL = {
  id: 'q-ll-posterior',
  text: 'q(z) = 0 wherever p(x, z) = 0 (q ≪ p(·|x))',
  holds: ({ logJoint, q }: LatentQ) => q.every((x, z) => x === 0 || logJoint[z] !== -Infinity),
};

// -------------------------------------------------------------------------------------------------
// Ablation instances

/**
 * q-sums-to-one dropped: log joints −l_z (l_z ∈ 0..8, all z possible), q = b_z/2^k ≥ 0, not all 0,
 * Σq ≠ 1. Shrinks to one z.
 */
export const latentUnnormalised: fc.Arbitrary<LatentQ> = fc
  .tuple(fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), weight0), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 4 }))
  .filter(([slots, k]) => {
    const B = slots.reduce((a, [, b]) => a + b, 0);
    return B > 0 && B !== 2 ** k;
  })
  .map(([slots, k]) => ({ logJoint: slots.map(([l]) => 0 - l), q: slots.map(([, b]) => b / 2 ** k), label: 'Σq ≠ 1' }));

const Q_NONNEG_REASON =
  'no counterexample exists: ELBO(q) = E_q[log p(x, z) − log q(z)] and KL(q‖p(·|x)) weight by q, and a term q(z)·log q(z) '
  + 'with q(z) < 0 has no real value: the statement is undefined, not false (the reference rejects negative entries).';

// -------------------------------------------------------------------------------------------------
// Float64

const fmtD = (x: Decimal): string => (x.isFinite() ? x.toSignificantDigits(17).toString() : x.toString());

function identityFloat64(m: LatentQ, candidate: Readonly<Record<string, (...a: never[]) => unknown>>): { ok: boolean; message?: string; note?: string } {
  const { logJoint, q } = m;
  const le = callNumber(candidate, 'logEvidence', logJoint);
  const e = callNumber(candidate, 'elbo', logJoint, q);
  const pi = callVector(candidate, 'posterior', logJoint);
  if (pi.length !== q.length) return { ok: false, message: `posterior returned ${pi.length} components, expected ${q.length}` };
  if ([le, e, ...pi].some(Number.isNaN)) return { ok: false, message: `NaN: log p(x) = ${le}, ELBO = ${e}, posterior = ${formatVector(pi)}` };
  let slack = 0;
  for (const z of supp(q)) {
    const delta = standardBound('posterior', [logJoint], 'float64', z) / pi[z]!;
    if (!(pi[z]! > 0) || !(delta < 1)) {
      return { ok: true, note: `the float64 posterior underflows at z = ${z} (π̂ = ${pi[z]}, q(z) = ${q[z]}): KL(q‖p(·|x)) cannot be formed from it; identity not checked here` };
    }
    slack += q[z]! * -Math.log1p(-delta);
  }
  const bad = pi.findIndex((x) => !(x >= 0 && Number.isFinite(x)));
  if (bad >= 0) return { ok: false, message: `posterior returned ${pi[bad]} at z = ${bad}, not a probability` };
  // KL(q‖π̂) with the candidate's kl, called on distributions only (src/contract.ts): the float
  // posterior π̂ sums to 1 only within its own error (≫ γ_n when |log p(x, z)| is large), so it is
  // renormalised inside the domain when needed and the renormalisation accounted exactly
  // (properties/_shared/masses.ts).
  const r = massKl((a, b) => callNumber(candidate, 'kl', a, b), q, pi);
  if ('outside' in r) return { ok: true, note: `KL(q‖π̂) cannot be formed inside kl's domain (${r.outside}); identity not checked here` };
  if (r.value.isNaN() || !Number.isFinite(le) || !Number.isFinite(e) || !r.value.isFinite()) {
    return { ok: false, message: `expected finite values, got log p(x) = ${le}, ELBO = ${e}, KL = ${r.call ? r.call.v : fmtD(r.value)}` };
  }
  const bound = standardBound('logEvidence', [logJoint]) + standardBound('elbo', [logJoint, q]) + r.allowed.toNumber() + slack;
  const ctx = engineContext(30);
  const k = new ctx.D(r.value);
  const err = dec(le, ctx).minus(dec(e, ctx)).minus(k).abs().toNumber();
  const kShown = r.how === 'kl(a, b)' ? `KL = ${r.call!.v}` : `KL(q‖π̂) = ${k.toSignificantDigits(17).toString()} from the candidate's kl of the renormalised posterior`;
  return err <= bound ? { ok: true } : { ok: false, message: `|log p(x) − ELBO − KL| = ${err} > ${bound} (log p(x) = ${le}, ELBO = ${e}, ${kShown})` };
}

// -------------------------------------------------------------------------------------------------
// Theorems

export const elboIdentity: Theorem<LatentQ> = {
  id: 'elbo-identity',
  title: 'The ELBO identity: log p(x) = ELBO(q) + KL(q‖p(·|x))',
  source: 'seed 000 (Chapter 22), section 8.2 (variational inference and the ELBO)',
  kind: 'theorem',
  statements: [
    { text: 'log p(x) = ELBO(q) + KL(q‖p(·|x))', lhs: L, relation: '=', rhs: elboPlusKl },
    { text: 'ELBO(q) + KL(q‖p(·|x)) = (Σq)·log p(x) (holds for every q ≥ 0 with q ≪ p(·|x))', lhs: elboPlusKl, relation: '=', rhs: massTimesL },
  ],
  hypotheses: [qNonneg, qSums, qLL],
  instances: latentModel({ maxLength: 8, kinds: ['posterior', 'zeros', 'independent'] }).map(fromModel),
  proof: [
    {
      id: 'normalised', lhs: L, relation: '=', rhs: massTimesL,
      justification: 'Σ_z q(z) = 1, so log p(x) = Σ_z q(z)·log p(x)',
      uses: ['q-sums-to-one'],
    },
    {
      id: 'bayes', lhs: massTimesL, relation: '=', rhs: bayes,
      justification: 'Bayes: p(z|x) = p(x, z)/p(x), so log p(x) = log p(x, z) − log p(z|x) wherever p(x, z) > 0 — on all of supp q, since q ≪ p(·|x) (terms with q(z) = 0 are 0)',
      uses: ['q-ll-posterior'],
    },
    {
      id: 'add-subtract', lhs: bayes, relation: '=', rhs: addSubtract,
      justification: 'add and subtract Σ q(z)·log q(z), finite since q(z) > 0 on supp q',
      uses: [],
    },
    {
      id: 'definitions', lhs: addSubtract, relation: '=', rhs: elboPlusKl,
      justification: 'ELBO(q) = E_q[log p(x, z) − log q(z)] and KL(q‖p(·|x)) = E_q[log q(z) − log p(z|x)]',
      uses: [],
    },
  ],
  ablations: [
    { hypothesis: 'q-nonneg', noCounterexample: Q_NONNEG_REASON },
    { hypothesis: 'q-sums-to-one', arbitrary: latentUnnormalised },
    {
      hypothesis: 'q-ll-posterior',
      noCounterexample: 'no counterexample exists, because the statement stops making sense: if q(z) > 0 where p(x, z) = 0, then '
        + 'ELBO(q) = −∞ and KL(q‖p(·|x)) = +∞, and ELBO(q) + KL(q‖p(·|x)) is −∞ + ∞ — undefined, neither true nor false. '
        + 'Rearranged as ELBO(q) = log p(x) − KL(q‖p(·|x)) the identity still holds in the extended reals (−∞ = log p(x) − ∞; '
        + 'checked in properties/elbo.test.ts): that is the form elbo-bound uses, and it needs no such hypothesis.',
    },
  ],
  functions: ['logEvidence', 'elbo'],
  float64: {
    functions: ['logEvidence', 'elbo', 'posterior', 'kl'],
    /**
     * KL(q‖p(·|x)) from the candidate's own functions: k̂l(q, π̂) with π̂ its posterior. Then
     *   |L̂ − Ê − K̂L| ≤ B_logEvidence + B_elbo + B_kl(q, π̂) + Σ_z q(z)·(−log(1 − δ_z)),  δ_z = B_posterior,z/π̂_z
     * (the last term: how far log π̂_z can be from log π_z). Where the float64 posterior underflows on
     * supp q (π̂_z = 0 or δ_z ≥ 1) KL(q‖p(·|x)) cannot be formed from it: a note, not a failure.
     */
    check: identityFloat64,
  },
  describe: describeLatent,
  toJSON: latentToJSON,
};

export const elboBound: Theorem<LatentQ> = {
  id: 'elbo-bound',
  title: 'The evidence lower bound: ELBO(q) ≤ log p(x), with equality iff q = p(·|x)',
  source: 'seed 000 (Chapter 22), section 8.2, with Gibbs\' inequality (Proposition 22.2)',
  kind: 'theorem',
  statements: [
    { text: 'ELBO(q) ≤ log p(x)', lhs: ELBO, relation: '<=', rhs: L },
    {
      text: 'q = p(·|x) ⇒ ELBO(q) = log p(x)',
      lhs: indicator('[q = p(·|x)]', (m) => qIsPosterior(m)),
      relation: '<=',
      rhs: indicator('[ELBO(q) = log p(x)]', (m, ctx) =>
        compare(ref.elbo(m.logJoint, m.q, { digits: ctx.digits }), '=', ref.logEvidence(m.logJoint, { digits: ctx.digits }), ctx.digits).holds),
    },
    {
      text: 'log p(x) − ELBO(q) ≥ 2·TV(q, p(·|x))², so ELBO(q) = log p(x) ⇒ q = p(·|x)',
      lhs: gap, relation: '>=', rhs: pinskerBound,
    },
  ],
  hypotheses: [qNonneg, qSums],
  instances: latentModel({ maxLength: 8 }).map(fromModel),
  proof: [
    {
      id: 'identity', lhs: ELBO, relation: '=', rhs: LminusKL,
      justification: 'elbo-identity, rearranged; in this form it holds in the extended reals even where q puts mass on an impossible z (−∞ = log p(x) − ∞)',
      uses: ['q-sums-to-one'],
    },
    {
      id: 'gibbs', lhs: LminusKL, relation: '<=', rhs: L,
      justification: "KL(q‖p(·|x)) ≥ 0 by Gibbs' inequality: q and p(·|x) are distributions (+∞ ≥ 0 too); equality iff q = p(·|x)",
      uses: ['q-nonneg', 'q-sums-to-one'],
    },
    {
      id: 'pinsker', lhs: KLpost, relation: '>=', rhs: pinskerBound,
      justification: "Pinsker's inequality KL(q‖π) ≥ 2·TV(q, π)² for distributions q, π: with step 1 it is statement 3 — the gap log p(x) − ELBO(q) vanishes only if TV = 0, i.e. q = p(·|x)",
      uses: ['q-nonneg', 'q-sums-to-one'],
    },
  ],
  ablations: [
    { hypothesis: 'q-nonneg', noCounterexample: Q_NONNEG_REASON },
    { hypothesis: 'q-sums-to-one', arbitrary: latentUnnormalised },
  ],
  functions: ['logEvidence', 'elbo'],
  float64: {
    functions: ['logEvidence', 'elbo'],
    // latentModel's own q: float-normalised or a rounded posterior, Σq = 1 only within ulps.
    instances: latentModel({ maxLength: 8 }).map((m): LatentQ => ({ logJoint: m.logJoint, q: m.q, label: `${m.kind}, ${m.shape}` })),
    /**
     * What holds exactly for these inputs as given is ELBO(q) ≤ Σq·(log p(x) − log Σq): ELBO + KL(q‖p(·|x))
     * = (Σq)·log p(x), and KL(q‖p(·|x)) ≥ Σq·log Σq by the log-sum inequality (= 0 when Σq = 1). So
     *   Ê − L̂ ≤ e(ELBO) + e(log p(x)) + max(0, Σq·(log p(x) − log Σq) − log p(x)),
     * e the allowed error of each function (standard, or strict where it applies). A note reports the
     * float inputs on which the exact ELBO exceeds log p(x).
     */
    check(m, candidate, opts) {
      const mode = opts?.mode ?? 'standard';
      const { logJoint, q } = m;
      const le = callNumber(candidate, 'logEvidence', logJoint);
      const e = callNumber(candidate, 'elbo', logJoint, q);
      if (Number.isNaN(le) || Number.isNaN(e)) return { ok: false, message: `NaN: log p(x) = ${le}, ELBO = ${e}` };
      if (e === -Infinity) return { ok: true };
      const digits = 40;
      const exactL = ref.logEvidence(logJoint, { digits });
      const exactE = ref.elbo(logJoint, q, { digits });
      const ctx = engineContext(digits);
      const mass = exactSum(q, ctx);
      const massErr = mass.minus(1);
      const slack = Math.max(0, mass.times(new ctx.D(exactL).minus(lnExactSum(q, ctx))).minus(exactL).toNumber());
      const bound = allowedError('elbo', [logJoint, q], exactE, mode) + allowedError('logEvidence', [logJoint], exactL, mode) + slack;
      const gap = exactE.isFinite() ? new ctx.D(exactE).minus(exactL) : null;
      const note = gap !== null && gap.isPositive() && !gap.isZero()
        ? `exact ELBO(q) − log p(x) = +${gap.toSignificantDigits(3).toString()} > 0: q is float-normalised (Σq − 1 = ${massErr.toSignificantDigits(3).toString()}), `
          + 'and ELBO + KL = (Σq)·log p(x), so the exact statement fails for these inputs as given; q on a dyadic grid (Σq = 1 exactly) removes it'
        : undefined;
      const ok = e - le <= bound || dec(e, ctx).minus(dec(le, ctx)).toNumber() <= bound;
      const r = ok ? { ok: true } : { ok: false, message: `ELBO − log p(x) = ${e - le} > ${bound} (ELBO = ${e}, log p(x) = ${le})` };
      return note ? { ...r, note } : r;
    },
  },
  describe: describeLatent,
  toJSON: latentToJSON,
};
