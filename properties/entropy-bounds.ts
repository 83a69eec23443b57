/**
 * `entropy-bounds`: 0 ≤ H(p) ≤ log |supp p|, with equality on the right iff p is uniform on its
 * support (seed 002: "maximized by the uniform distribution, minimized by a point mass"; seed 004:
 * the Lagrange argument, and the cleaner proof through KL(p‖u) ≥ 0 that the proof chain follows).
 */
import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { Ctx, Expr, Hypothesis, Step, Theorem } from '../src/theorem';
import { compare, dec, exactSum, indicator, lnOf, sumsExactlyTo, xsum } from '../src/theorem';
import { decimalContext } from '../src/numeric/context';
import { entropy } from '../src/reference';
import { distribution, unnormalized } from '../src/generators';
import { judge, strictApplies } from '../src/numeric/accuracy';
import { dyMul, dyOf } from '../src/numeric/dyadic';
import { dyCmp, fmtDec, fmtVec, nonneg, refOpts, supportOf, wideCtx } from './support';

export interface EntropyInstance {
  p: number[];
}

type I = EntropyInstance;

const H: Expr<I> = { text: 'H(p)', value: ({ p }, ctx) => new ctx.D(entropy(p, refOpts(ctx))) };

const logSupport: Expr<I> = {
  text: 'log |supp p|',
  value: ({ p }, ctx) => lnOf(supportOf(p).length, ctx),
};

/** p_i = 1/|S| exactly for every i in S = supp p (decided in exact dyadic arithmetic). */
export function uniformOnSupport(p: readonly number[]): boolean {
  const S = supportOf(p);
  if (S.length === 0) return false;
  const n = { m: BigInt(S.length), e: 0 };
  return S.every((i) => dyCmp(dyMul(dyOf(p[i]!), n), { m: 1n, e: 0 }) === 0);
}

/** KL(p‖u_S) = Σ_{i∈S} p_i·log(|S|·p_i), u_S the uniform distribution on S = supp p (not a double vector unless |S| is a power of 2). */
function klToUniform({ p }: I, ctx: Ctx): Decimal {
  const W = wideCtx(ctx);
  const S = supportOf(p);
  const lnS = lnOf(S.length, W);
  return new ctx.D(xsum(S.map((i) => dec(p[i]!, W).times(lnOf(p[i]!, W).plus(lnS))), W));
}

const minEntropy: Expr<I> = {
  text: '−log max_i p_i',
  value: ({ p }, ctx) => lnOf(Math.max(...p), ctx).neg(),
};

const hypotheses: Hypothesis<I>[] = [
  { id: 'p-nonneg', text: 'p_i ≥ 0, finite', holds: ({ p }) => nonneg(p) },
  { id: 'p-sums-to-one', text: 'Σ p = 1 exactly', holds: ({ p }) => sumsExactlyTo(p) },
];

const proof: Step<I>[] = [
  {
    id: 'min-entropy',
    lhs: H,
    relation: '>=',
    rhs: minEntropy,
    justification:
      'H(p) = Σ p_i·(−log p_i) and −log p_i ≥ −log max p on supp p; averaging with the weights p_i, which sum to 1, gives H(p) ≥ −log max p (Shannon entropy ≥ min-entropy)',
    uses: ['p-sums-to-one'],
  },
  {
    id: 'max-at-most-one',
    lhs: minEntropy,
    relation: '>=',
    rhs: { text: '0', value: (_i, ctx) => new ctx.D(0) },
    justification: 'max p ≤ Σ p = 1 (entries nonnegative), so −log max p ≥ 0; equality iff p is a point mass',
    uses: ['p-nonneg', 'p-sums-to-one'],
  },
  {
    id: 'gap-is-kl',
    lhs: { text: 'log |supp p| − H(p)', value: (i, ctx) => xsum([logSupport.value(i, ctx), H.value(i, ctx).neg()], ctx) },
    relation: '=',
    rhs: { text: 'KL(p‖u) = Σ_{i∈supp p} p_i·log(|supp p|·p_i), u uniform on supp p', value: klToUniform },
    justification: 'Σ p_i log(p_i/(1/|S|)) = Σ p_i log p_i + (Σ p_i)·log |S| = −H(p) + log |S| since Σ p = 1 (seed 004: 0 ≤ KL(f‖u) = −H(f) + log(b − a))',
    uses: ['p-sums-to-one'],
  },
  {
    id: 'gibbs',
    lhs: { text: 'KL(p‖u)', value: klToUniform },
    relation: '>=',
    rhs: { text: '0', value: (_i, ctx) => new ctx.D(0) },
    justification: "Gibbs' inequality (u is a distribution on supp p and p ≪ u); equality iff p = u, i.e. p uniform on its support",
    uses: ['p-sums-to-one'],
  },
];

/** Uniform distributions on a support of 2^k categories (exact doubles 2^-k), with zeros around. */
const uniformOnSubset: fc.Arbitrary<I> = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.nat(7))
  .map(([k, zeros, rot]) => {
    const v = [...Array<number>(2 ** k).fill(2 ** -k), ...Array<number>(zeros).fill(0)];
    const r = rot % v.length;
    return { p: [...v.slice(r), ...v.slice(0, r)] };
  });

const instances: fc.Arbitrary<I> = fc.oneof(
  { arbitrary: distribution({ exact: true, maxLength: 8 }).map((p) => ({ p })), weight: 3 },
  { arbitrary: uniformOnSubset, weight: 1 },
);

/** Float inputs too: float-normalised near-uniform vectors are where the exact statement fails (Σp ≠ 1). */
const float64Instances: fc.Arbitrary<I> = fc.oneof(
  instances,
  distribution({ maxLength: 8 }).map((p) => ({ p })),
  distribution({ maxLength: 8, shapes: ['near-uniform'] }).map((p) => ({ p })),
);

/** Seed 002's fixtures: a fair coin has H = log 2 ≈ 0.693 nats; a 0.9-biased coin H ≈ 0.325 nats. */
export const ENTROPY_WORKED_EXAMPLES = [
  { p: [0.5, 0.5], rounded: '0.693' },
  { p: [0.9, 0.1], rounded: '0.325' },
] as const;

export const entropyBounds: Theorem<I> = {
  id: 'entropy-bounds',
  title: '0 ≤ H(p) ≤ log |supp p|, the maximum exactly at the uniform distribution on the support',
  source: 'seed 002 "Entropy" (key properties; fair and 0.9-biased coins); seed 004 "Discrete case, minimum / maximum" and the proof via KL(f‖u) ≥ 0',
  kind: 'theorem',
  statements: [
    { text: 'H(p) ≥ 0', lhs: H, relation: '>=', rhs: { text: '0', value: (_i, ctx) => new ctx.D(0) } },
    { text: 'H(p) ≤ log |supp p|', lhs: H, relation: '<=', rhs: logSupport },
    {
      text: 'H(p) = log |supp p| iff p is uniform on its support',
      lhs: indicator<I>('[H(p) = log |supp p|]', (i, ctx) => compare(H.value(i, ctx), '=', logSupport.value(i, ctx), ctx.digits).holds),
      relation: '=',
      rhs: indicator<I>('[p_i = 1/|supp p| on supp p]', ({ p }) => uniformOnSupport(p)),
    },
  ],
  hypotheses,
  instances,
  proof,
  ablations: [
    {
      hypothesis: 'p-nonneg',
      noCounterexample: 'outside the domain: −p_i log p_i is undefined for p_i < 0 and the reference raises InvalidInputError (negative entry)',
    },
    {
      hypothesis: 'p-sums-to-one',
      // Sums 0 < Σp ≤ ½ or ≥ 2 (never exactly 1): p = (2) has H = −2 log 2 < 0.
      arbitrary: unnormalized({ maxLength: 4, allowZero: false }).map((p) => ({ p })),
    },
  ],
  functions: ['entropy'],
  float64: {
    functions: ['entropy'],
    instances: float64Instances,
    check({ p }, candidate, opts) {
      const f = candidate.entropy as unknown as (a: number[]) => number;
      const mode = opts?.mode ?? 'standard';
      const v = f(p);
      const exact = entropy(p);
      const m = mode === 'strict' && strictApplies('entropy', [p], exact) ? 'strict' : 'standard';
      const j = judge('entropy', [p], v, exact, { mode: m });
      const problems: string[] = [];
      if (!j.ok) problems.push(`entropy(p) = ${v}, exact ${fmtDec(exact)}: ${j.reason} (error ${j.absError}, allowed ${j.bound})`);
      // The statement with the candidate's value, under the allowed error.
      const D = decimalContext(60);
      const hv = dec(v, { digits: 40, D });
      const allowed = Number.isFinite(j.bound) ? dec(j.bound, { digits: 40, D }) : new D(0);
      const lnS = lnOf(supportOf(p).length, { digits: 40, D });
      if (hv.plus(allowed).lt(0)) problems.push(`entropy(p) = ${v} < 0 beyond the allowed error ${j.bound}`);
      if (hv.minus(allowed).gt(lnS)) problems.push(`entropy(p) = ${v} > log |supp p| = ${fmtDec(lnS)} beyond the allowed error ${j.bound}`);
      let note: string | undefined;
      if (!sumsExactlyTo(p) && new D(exact).gt(lnS)) {
        note = `float-normalised p (Σp − 1 = ${fmtDec(sumMinusOne(p, D))}): the exact H(p) exceeds log |supp p| by ${fmtDec(new D(exact).minus(lnS))} — the exact statement needs Σp = 1; dyadic inputs remove this`;
      }
      return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}), ...(note ? { note } : {}) };
    },
  },
  describe: ({ p }) => `p = ${fmtVec(p)}`,
  toJSON: ({ p }) => ({ p }),
};

function sumMinusOne(p: readonly number[], D: Decimal.Constructor): Decimal {
  return exactSum(p, { digits: 40, D }).minus(1);
}
