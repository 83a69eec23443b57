/**
 * `support`: KL(p‖q) < ∞ ⇔ supp p ⊆ supp q. Forward KL is mode-covering (q must put mass wherever p
 * does), reverse KL is zero-forcing (q must be 0 wherever p is 0). Seed 000 §6, seed 002.
 *
 * This module also holds the small exact-arithmetic helpers shared by the theorem modules of
 * MORE_THEOREMS (exact sums of doubles, exact Decimal conversions, logarithms at guard precision,
 * the extended-real conventions, small exactly normalised distributions): see "Shared helpers".
 */
import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { Ctx, Expr, Hypothesis, Step, Theorem } from '../src/theorem';
import { indicator, lnDecimal } from '../src/theorem';
import { decimalContext, MAX_DIGITS } from '../src/numeric/context';
import { bitLength, dyadicToDecimal } from '../src/numeric/exact';
import { Dy, dyAdd, dyOf } from '../src/numeric/dyadic';
import { kl } from '../src/reference';
import { pair, PairRelation } from '../src/generators';
import { massKl } from './_shared/masses';

// =============================================================================================
// Shared helpers (used by every module of MORE_THEOREMS). The engine's own helpers (dec, lnOf,
// lnDecimal, exactSumDy, sumsExactlyTo, xsum, indicator, allowedError) are in src/theorem.ts.
// =============================================================================================

/** Extra digits of {@link wideCtx} beyond ctx.D's precision. */
export const EXTRA_GUARD_DIGITS = 30;

/**
 * A context with EXTRA_GUARD_DIGITS more digits than ctx.D, for derived expressions that cancel
 * (r − 1 − ln r for near-equal Gaussians, the binary KL of near-equal Bernoullis): the engine's
 * ln helpers (lnOf, lnDecimal) work at the precision of the context they are given.
 */
export function wideCtx(ctx: Ctx, extra = EXTRA_GUARD_DIGITS): Ctx {
  return { digits: ctx.digits, D: decimalContext(Math.min(MAX_DIGITS, ctx.D.precision + extra)) };
}

/** Options for reference calls: the context's digits. */
export function refOpts(ctx: Ctx): { digits: number } {
  return { digits: ctx.digits };
}

/** The exact value of a dyadic m·2^e in ctx.D (exact whatever the precision). */
export function dyDec(d: Dy, ctx: Ctx): Decimal {
  return dyadicToDecimal(d.m, d.e, ctx.D);
}

/** Exact comparison of two dyadics: −1, 0, 1. */
export function dyCmp(a: Dy, b: Dy): number {
  const d = dyAdd(a, { m: -b.m, e: b.e });
  return d.m === 0n ? 0 : d.m > 0n ? 1 : -1;
}

/** Every entry finite and ≥ 0, and the vector nonempty. */
export function nonneg(v: readonly number[]): boolean {
  return v.length > 0 && v.every((x) => Number.isFinite(x) && x >= 0);
}

/** The double whose value is exactly the dyadic d, or null when d is not a double. */
export function dyToDouble(d: Dy): number | null {
  if (d.m === 0n) return 0;
  let m = d.m < 0n ? -d.m : d.m;
  let e = d.e;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e += 1;
  }
  const L = bitLength(m);
  if (L > 53 || e < -1074 || e + L > 1024) return null;
  const x = Number(m) * 2 ** e;
  const back = dyOf(x);
  if (back.m !== m || back.e !== e) return null;
  return d.m < 0n ? -x : x;
}

/** The double value of an exact dyadic, throwing when it is not representable (a construction bug). */
export function mustDouble(d: Dy, what: string): number {
  const x = dyToDouble(d);
  if (x === null) throw new RangeError(`${what}: the exact value is not a double`);
  return x;
}

/** ln of a Decimal x ≥ 0 in ctx (−∞ at 0); signed-safe wrapper of the engine's lnDecimal. */
export function lnD(x: Decimal, ctx: Ctx): Decimal {
  return lnDecimal(x, ctx);
}

/**
 * a·ln(a/b) in the extended reals, for a, b ≥ 0 (or of one sign, with a/b > 0): 0 when a = 0
 * (0·log 0 = 0, 0·log(0/q) = 0), +∞ when a > 0 = b.
 */
export function aLogAOverB(a: Decimal, b: Decimal, ctx: Ctx): Decimal {
  const D = ctx.D;
  if (a.isZero()) return new D(0);
  if (b.isZero()) return new D(a.isPositive() ? Infinity : -Infinity);
  return new D(a).times(lnDecimal(new D(a).div(b), ctx));
}

/** Product in the extended reals with 0·(±∞) = 0 (a zero weight erases an infinite term). */
export function mulExt(a: Decimal, b: Decimal, ctx: Ctx): Decimal {
  if (a.isZero() || b.isZero()) return new ctx.D(0);
  return new ctx.D(a).times(b);
}

/** Indices of the positive entries. */
export function supportOf(v: readonly number[]): number[] {
  const out: number[] = [];
  v.forEach((x, i) => {
    if (x > 0) out.push(i);
  });
  return out;
}

/** supp a ⊆ supp b. */
export function supportIncluded(a: readonly number[], b: readonly number[]): boolean {
  return a.every((x, i) => !(x > 0) || b[i]! > 0);
}

/** x·2^k exactly, or null when the scaling would round (underflow) or overflow. */
export function scalePow2(x: number, k: number): number | null {
  if (x === 0) return 0;
  const d = dyOf(x);
  return dyToDouble({ m: d.m, e: d.e + k });
}

/** A vector times 2^k, exactly (throws when some entry would round: never for k ≥ 0 and entries ≤ 1). */
export function scaleVector(v: readonly number[], k: number): number[] {
  return v.map((x) => {
    const y = scalePow2(x, k);
    if (y === null) throw new RangeError(`scaleVector: ${x}·2^${k} is not a double`);
    return y;
  });
}

/** Readable double: dyadic fractions with small denominators as k/2^m ("3/8"), others as JS prints them. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const d = dyOf(x);
  if (d.e < 0 && d.e >= -16 && (d.m < 0n ? -d.m : d.m) < 1n << 20n) return `${d.m}/${1n << BigInt(-d.e)}`;
  return String(x);
}

export function fmtVec(v: readonly number[]): string {
  return `[${v.map(fmt).join(', ')}]`;
}

/** Decimal for display: 12 significant digits, or ±∞. */
export function fmtDec(x: Decimal): string {
  if (!x.isFinite()) return x.isNaN() ? 'NaN' : x.isNegative() ? '−∞' : '+∞';
  return x.toSignificantDigits(12).toString();
}

/**
 * Exactly normalised distributions with short mantissas: integer weights w_i ∈ [0, maxWeight]
 * (a zero with probability 1/5 unless `zeros: false`; at least one positive), the deficit
 * 2^m − Σw added to the first largest weight, entries w_i/2^m. With maxWeight ≤ 255 and length
 * ≤ 4, every entry is a multiple of 2^-10 below 1, so products of two entries (and their sums over
 * a few terms) are exact doubles: outer products, p·K, mixtures. Shrinks to [1], [1/2, 1/2], [0, 1].
 */
export function smallDistribution(c: { minLength?: number; maxLength?: number; zeros?: boolean; maxWeight?: number } = {}): fc.Arbitrary<number[]> {
  const minLength = c.minLength ?? 1;
  const maxLength = c.maxLength ?? 4;
  const maxWeight = c.maxWeight ?? 255;
  const weight = c.zeros === false
    ? fc.integer({ min: 1, max: maxWeight })
    : fc.oneof({ arbitrary: fc.integer({ min: 1, max: maxWeight }), weight: 4 }, { arbitrary: fc.constant(0), weight: 1 });
  return fc.array(weight, { minLength, maxLength }).map(normalizeWeights);
}

/** Integer weights → exactly normalised distribution (see {@link smallDistribution}). */
export function normalizeWeights(weights: readonly number[]): number[] {
  const w = weights.slice();
  if (!w.some((x) => x > 0)) w[0] = 1;
  const W = w.reduce((a, b) => a + b, 0);
  let m = 0;
  while (2 ** m < W) m++;
  let big = 0;
  for (let i = 1; i < w.length; i++) if (w[i]! > w[big]!) big = i;
  w[big] = w[big]! + 2 ** m - W;
  return w.map((x) => x / 2 ** m);
}

// =============================================================================================
// The theorem
// =============================================================================================

export interface SupportInstance {
  p: number[];
  q: number[];
  /** The generator relation (for display), or a description of the recipe. */
  relation?: string;
}

type I = SupportInstance;

/** KL restricted to the categories where p > 0 and q > 0: the finite part of KL(p‖q). */
function finitePart(a: readonly number[], b: readonly number[], ctx: Ctx): Decimal {
  const idx = a.map((_, i) => i).filter((i) => a[i]! > 0 && b[i]! > 0);
  if (idx.length === 0) return new ctx.D(0);
  return new ctx.D(kl(idx.map((i) => a[i]!), idx.map((i) => b[i]!), refOpts(ctx)));
}

/** Number of categories with a_i > 0 = b_i. */
function mismatches(a: readonly number[], b: readonly number[]): number {
  return a.filter((x, i) => x > 0 && b[i] === 0).length;
}

/** F + M·(+∞) with 0·∞ = 0. */
function splitValue(a: readonly number[], b: readonly number[], ctx: Ctx): Decimal {
  const F = finitePart(a, b, ctx);
  return mismatches(a, b) > 0 ? new ctx.D(Infinity) : F;
}

const klFwd: Expr<I> = { text: 'KL(p‖q)', value: ({ p, q }, ctx) => new ctx.D(kl(p, q, refOpts(ctx))) };
const klRev: Expr<I> = { text: 'KL(q‖p)', value: ({ p, q }, ctx) => new ctx.D(kl(q, p, refOpts(ctx))) };

const fwdFinite = indicator<I>('[KL(p‖q) < ∞]', (i, ctx) => klFwd.value(i, ctx).isFinite());
const fwdIncluded = indicator<I>('[supp p ⊆ supp q]', ({ p, q }) => supportIncluded(p, q));
const revFinite = indicator<I>('[KL(q‖p) < ∞]', (i, ctx) => klRev.value(i, ctx).isFinite());
const revIncluded = indicator<I>('[supp q ⊆ supp p]', ({ p, q }) => supportIncluded(q, p));

const hypotheses: Hypothesis<I>[] = [
  {
    id: 'p-nonneg',
    text: 'p is a finite nonnegative vector (p_i ∈ [0, ∞))',
    holds: ({ p, q }) => nonneg(p) && p.length === q.length,
  },
  {
    id: 'q-nonneg',
    text: 'q is a finite nonnegative vector of the same length',
    holds: ({ p, q }) => nonneg(q) && p.length === q.length,
  },
];

const proof: Step<I>[] = [
  {
    id: 'split',
    lhs: klFwd,
    relation: '=',
    rhs: {
      text: 'Σ_{p_i>0, q_i>0} p_i log(p_i/q_i) + #{i : p_i > 0 = q_i}·(+∞)',
      value: ({ p, q }, ctx) => splitValue(p, q, ctx),
    },
    justification:
      'Definition 22.1 split over supp p: terms with p_i = 0 vanish (0·log 0 = 0, 0·log(0/q) = 0); terms with q_i > 0 are real numbers; each term with p_i > 0 = q_i is +∞ by convention (0·∞ = 0 when there is none)',
    uses: ['p-nonneg', 'q-nonneg'],
  },
  {
    id: 'finite-part',
    lhs: { text: '|Σ_{p_i>0, q_i>0} p_i log(p_i/q_i)|', value: ({ p, q }, ctx) => finitePart(p, q, ctx).abs() },
    relation: '<',
    rhs: { text: '+∞', value: (_i, ctx) => new ctx.D(Infinity) },
    justification: 'a finite sum of real numbers p_i log(p_i/q_i) (0 < p_i, q_i < ∞) is a real number',
    uses: ['p-nonneg', 'q-nonneg'],
  },
  {
    id: 'no-cancellation',
    lhs: fwdFinite,
    relation: '=',
    rhs: fwdIncluded,
    justification:
      'no term is −∞ (q_i < ∞), so nothing cancels a +∞ term: the sum is finite iff no category has p_i > 0 = q_i, i.e. iff supp p ⊆ supp q',
    uses: ['p-nonneg', 'q-nonneg'],
  },
  {
    id: 'split-reverse',
    lhs: klRev,
    relation: '=',
    rhs: {
      text: 'Σ_{q_i>0, p_i>0} q_i log(q_i/p_i) + #{i : q_i > 0 = p_i}·(+∞)',
      value: ({ p, q }, ctx) => splitValue(q, p, ctx),
    },
    justification: 'the same split with the roles of p and q exchanged (reverse KL is weighted by q)',
    uses: ['p-nonneg', 'q-nonneg'],
  },
  {
    id: 'no-cancellation-reverse',
    lhs: revFinite,
    relation: '=',
    rhs: revIncluded,
    justification: 'reverse KL is finite iff q puts no mass where p has none: zero-forcing',
    uses: ['p-nonneg', 'q-nonneg'],
  },
];

/** The relations drawn (from src/generators `pair`), covering every support configuration. */
export const SUPPORT_RELATIONS: readonly PairRelation[] = [
  'mismatch',
  'p-ll-q',
  'q-ll-p',
  'disjoint',
  'common-zeros',
  'near-mismatch',
  'equal',
  'independent',
];

/**
 * Pairs of every support relation, at most 6 categories, exact or float-normalised; a quarter of
 * them scaled by powers of two (exactly) to show that masses play no role, only supports.
 */
const instances: fc.Arbitrary<I> = fc
  .tuple(
    fc.oneof(...SUPPORT_RELATIONS.map((relation) => pair({ relation, maxLength: 6 }))),
    fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 12 }), weight: 1 }),
    fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 12 }), weight: 1 }),
  )
  .map(([{ p, q, relation }, kp, kq]) => ({
    p: kp === 0 ? p : scaleVector(p, kp),
    q: kq === 0 ? q : scaleVector(q, kq),
    relation: kp === 0 && kq === 0 ? relation : `${relation}, scaled by 2^${kp}, 2^${kq}`,
  }));

export const support: Theorem<I> = {
  id: 'support',
  title: 'KL(p‖q) < ∞ ⇔ supp p ⊆ supp q: forward KL is mode-covering, reverse KL is zero-forcing',
  source: 'seed 000 §1 (conventions), §6 (forward vs reverse KL, §6.3 the discrete illustration); seed 002 (zero-forcing)',
  kind: 'theorem',
  statements: [
    { text: 'KL(p‖q) < ∞ ⇔ supp p ⊆ supp q (forward KL is mode-covering)', lhs: fwdFinite, relation: '=', rhs: fwdIncluded },
    { text: 'KL(q‖p) < ∞ ⇔ supp q ⊆ supp p (reverse KL is zero-forcing)', lhs: revFinite, relation: '=', rhs: revIncluded },
  ],
  hypotheses,
  instances,
  proof,
  ablations: [
    {
      hypothesis: 'p-nonneg',
      noCounterexample:
        'outside the domain: a negative, NaN or infinite mass is invalid input (the reference raises InvalidInputError naming the argument and index), not a support question — DESIGN.md: invalid input is not support mismatch. Normalisation is not a hypothesis at all: the instances include vectors scaled by 2^k, and the criterion holds for every nonnegative vector because it is termwise.',
    },
    {
      hypothesis: 'q-nonneg',
      noCounterexample:
        'outside the domain: log(p_i/q_i) for q_i < 0 is undefined and the reference raises InvalidInputError; Σq plays no role (the criterion is termwise).',
    },
  ],
  functions: ['kl'],
  float64: {
    functions: ['kl'],
    /**
     * The candidate's kl is called on distributions only (src/contract.ts): for the instances scaled
     * by 2^k, Σ a log(a/b) is built from kl(a·2^-k, b·2^-j) — exact scalings, so the supports are
     * those of a and b — by the identity of properties/_shared/masses.ts. Each value is judged against
     * the reference Σ a log(a/b), and must be +∞ exactly when some a_i > 0 = b_i.
     */
    check({ p, q }, candidate, opts) {
      const f = candidate.kl as unknown as (a: number[], b: number[]) => number;
      const mode = opts?.mode ?? 'standard';
      const problems: string[] = [];
      const notes: string[] = [];
      for (const [name, a, b, an, bn] of [
        ['kl(p, q)', p, q, 'p', 'q'],
        ['kl(q, p)', q, p, 'q', 'p'],
      ] as const) {
        const r = massKl(f, a, b, mode);
        if ('outside' in r) {
          notes.push(`${name}: not checked (${r.outside})`);
          continue;
        }
        const shown = r.call && r.how !== 'kl(a, b)' ? `${name} [= ${r.how.replace(/\ba\b/g, an).replace(/\bb\b/g, bn)}]` : name;
        const v = r.value;
        const mustBeInfinite = !supportIncluded(a, b);
        if (v.isNaN()) {
          problems.push(`${shown} = NaN (the candidate's kl gave ${r.call?.v})`);
          continue;
        }
        if (mustBeInfinite) {
          if (!(v.isFinite() === false && v.isPositive())) problems.push(`${shown} = ${fmtDec(v)}, expected +∞ (some ${an}_i > 0 = ${bn}_i)`);
          continue;
        }
        if (!v.isFinite()) {
          problems.push(`${shown} = ${fmtDec(v)}, expected a finite value (supp ${an} ⊆ supp ${bn})`);
          continue;
        }
        if (!r.ok) problems.push(`${shown}: ${r.message}`);
        const c = r.call;
        if (c && c.p.some((x, i) => c.q[i]! > 0 && x / c.q[i]! === Infinity)) {
          notes.push(`${name}: some ratio ${an}_i/${bn}_i overflows to +∞ in float64, yet the exact KL is finite (${fmtDec(c.exact)}; the implementation gives ${c.v})`);
        }
      }
      return {
        ok: problems.length === 0,
        ...(problems.length ? { message: problems.join('; ') } : {}),
        ...(notes.length ? { note: notes.join('; ') } : {}),
      };
    },
  },
  describe: ({ p, q, relation }) => `p = ${fmtVec(p)}, q = ${fmtVec(q)}${relation ? ` (${relation})` : ''}`,
  toJSON: ({ p, q, relation }) => ({ p, q, ...(relation ? { relation } : {}) }),
};

/** Seed 000 §6.3: p = (½, ½), q = (1, 0): KL(p‖q) = +∞, KL(q‖p) = log 2. */
export const SUPPORT_WORKED_EXAMPLE = { p: [0.5, 0.5], q: [1, 0] } as const;
