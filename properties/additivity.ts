/**
 * `additivity`: KL(p₁⊗p₂ ‖ q₁⊗q₂) = KL(p₁‖q₁) + KL(p₂‖q₂) — the KL of independent pairs is the
 * sum of the KLs (seed 002/004: surprisal adds over independent events).
 *
 * The joints P = p₁⊗p₂ and Q = q₁⊗q₂ are part of the instance (row-major, n₁·n₂ entries), so that
 * "P is the product" is a hypothesis the ablation can drop (a coupling with the same marginals: the
 * difference is then the mutual information). Exactness: the factors come from
 * `smallDistribution` (entries k/2^m, k < 2^10), so every product p₁ᵢ·p₂ⱼ is an EXACT double
 * (at most 20 significant bits) and the reference evaluates KL(P‖Q) for exactly the product
 * distribution; `outer` checks this in BigInt and throws otherwise.
 */
import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { Ctx, Expr, Hypothesis, Step, Theorem } from '../src/theorem';
import { dec, exactSum, lnOf, sumsExactlyTo, xsum } from '../src/theorem';
import { kl } from '../src/reference';
import { judge, strictApplies } from '../src/numeric/accuracy';
import { dyMul, dyOf, dySub, dyAdd } from '../src/numeric/dyadic';
import { fmtDec, fmtVec, mulExt, mustDouble, nonneg, refOpts, scaleVector, smallDistribution } from './support';

export interface ProductInstance {
  p1: number[];
  q1: number[];
  p2: number[];
  q2: number[];
  /** The joint of (X₁, X₂) under p, row-major: P[i·n₂ + j]. */
  P: number[];
  /** The joint under q. */
  Q: number[];
}

type I = ProductInstance;

/** The outer product a⊗b, row-major, every entry checked to be exact. */
export function outer(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (const x of a) for (const y of b) out.push(mustDouble(dyMul(dyOf(x), dyOf(y)), 'outer'));
  return out;
}

/** Whether J = a⊗b exactly (entry by entry, BigInt). */
function isProduct(J: readonly number[], a: readonly number[], b: readonly number[]): boolean {
  if (J.length !== a.length * b.length) return false;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (dySub(dyOf(J[i * b.length + j]!), dyMul(dyOf(a[i]!), dyOf(b[j]!))).m !== 0n) return false;
    }
  }
  return true;
}

const ref = (a: 'P' | 'p1' | 'p2', b: 'Q' | 'q1' | 'q2', text: string): Expr<I> => ({
  text,
  value: (i, ctx) => new ctx.D(kl(i[a], i[b], refOpts(ctx))),
});

const KLPQ = ref('P', 'Q', 'KL(P‖Q)');
const KL1 = ref('p1', 'q1', 'KL(p₁‖q₁)');
const KL2 = ref('p2', 'q2', 'KL(p₂‖q₂)');

/** log(a/b) for the exact doubles, in the extended reals: +∞ when b = 0 < a. Only called with a > 0. */
function logRatio(a: number, b: number, ctx: Ctx): Decimal {
  if (b === 0) return new ctx.D(Infinity);
  return lnOf(a, ctx).minus(lnOf(b, ctx));
}

/** Σ_ij P_ij log(p₁ᵢ/q₁ᵢ) + Σ_ij P_ij log(p₂ⱼ/q₂ⱼ), with 0·(anything) = 0. */
function splitLogs({ p1, q1, p2, q2, P }: I, ctx: Ctx): Decimal {
  const n2 = p2.length;
  const terms: Decimal[] = [];
  for (let i = 0; i < p1.length; i++) {
    for (let j = 0; j < n2; j++) {
      const w = P[i * n2 + j]!;
      if (w === 0) continue;
      const Pw = dec(w, ctx);
      terms.push(Pw.times(logRatio(p1[i]!, q1[i]!, ctx)), Pw.times(logRatio(p2[j]!, q2[j]!, ctx)));
    }
  }
  return xsum(terms, ctx);
}

const weighted: Expr<I> = {
  text: '(Σp₂)·KL(p₁‖q₁) + (Σp₁)·KL(p₂‖q₂)',
  value: (i, ctx) =>
    xsum([mulExt(exactSum(i.p2, ctx), KL1.value(i, ctx), ctx), mulExt(exactSum(i.p1, ctx), KL2.value(i, ctx), ctx)], ctx),
};

const sumOfKls: Expr<I> = { text: 'KL(p₁‖q₁) + KL(p₂‖q₂)', value: (i, ctx) => xsum([KL1.value(i, ctx), KL2.value(i, ctx)], ctx) };

const hypotheses: Hypothesis<I>[] = [
  { id: 'p1-sums-to-one', text: 'Σ p₁ = 1 exactly', holds: ({ p1 }) => nonneg(p1) && sumsExactlyTo(p1) },
  { id: 'p2-sums-to-one', text: 'Σ p₂ = 1 exactly', holds: ({ p2 }) => nonneg(p2) && sumsExactlyTo(p2) },
  { id: 'q1-sums-to-one', text: 'Σ q₁ = 1 exactly', holds: ({ q1, p1 }) => nonneg(q1) && q1.length === p1.length && sumsExactlyTo(q1) },
  { id: 'q2-sums-to-one', text: 'Σ q₂ = 1 exactly', holds: ({ q2, p2 }) => nonneg(q2) && q2.length === p2.length && sumsExactlyTo(q2) },
  { id: 'p-product', text: 'P = p₁⊗p₂ (X₁, X₂ independent under p)', holds: ({ P, p1, p2 }) => isProduct(P, p1, p2) },
  { id: 'q-product', text: 'Q = q₁⊗q₂ (X₁, X₂ independent under q)', holds: ({ Q, q1, q2 }) => isProduct(Q, q1, q2) },
];

const proof: Step<I>[] = [
  {
    id: 'log-of-product',
    lhs: KLPQ,
    relation: '=',
    rhs: { text: 'Σ_ij P_ij log(p₁ᵢ/q₁ᵢ) + Σ_ij P_ij log(p₂ⱼ/q₂ⱼ)', value: splitLogs },
    justification:
      'log(P_ij/Q_ij) = log(p₁ᵢp₂ⱼ/(q₁ᵢq₂ⱼ)) = log(p₁ᵢ/q₁ᵢ) + log(p₂ⱼ/q₂ⱼ): surprisal adds over independent events (seed 002, 004). For a P that is not the product the difference is Σ P log(P/(p₁⊗p₂)) = I(X₁; X₂) > 0',
    uses: ['p-product', 'q-product'],
  },
  {
    id: 'marginalise',
    lhs: { text: 'Σ_ij P_ij log(p₁ᵢ/q₁ᵢ) + Σ_ij P_ij log(p₂ⱼ/q₂ⱼ)', value: splitLogs },
    relation: '=',
    rhs: weighted,
    justification: 'Σ_j P_ij = p₁ᵢ·Σp₂ and Σ_i P_ij = p₂ⱼ·Σp₁ for the product P',
    uses: ['p-product'],
  },
  {
    id: 'unit-mass',
    lhs: weighted,
    relation: '=',
    rhs: sumOfKls,
    justification: 'Σp₁ = Σp₂ = 1. The masses of q never enter (log(q₁ᵢq₂ⱼ) = log q₁ᵢ + log q₂ⱼ for any positive numbers)',
    uses: ['p1-sums-to-one', 'p2-sums-to-one'],
  },
];

const factorPairs = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.tuple(smallDistribution({ minLength: n, maxLength: n }), smallDistribution({ minLength: n, maxLength: n })),
);

function build(p1: number[], q1: number[], p2: number[], q2: number[]): I {
  return { p1, q1, p2, q2, P: outer(p1, p2), Q: outer(q1, q2) };
}

/** Factors on 1–3 categories each (zeros allowed, so supports mismatch too: +∞ = +∞ + finite). */
const instances: fc.Arbitrary<I> = fc.tuple(factorPairs, factorPairs).map(([[p1, q1], [p2, q2]]) => build(p1, q1, p2, q2));

/**
 * A coupling of a and b that is not their product: a⊗b moved by t along (e_i − e_k)⊗(e_j − e_l),
 * t = min of the two entries that decrease (> 0 required), which keeps both marginals and stays exact.
 */
function perturb(J: number[], n2: number, [i, k, j, l]: [number, number, number, number]): number[] | null {
  const at = (r: number, c: number) => r * n2 + c;
  const t = Math.min(J[at(i, l)]!, J[at(k, j)]!);
  if (!(t > 0)) return null;
  const out = J.slice();
  const move = (idx: number, s: 1 | -1) => {
    out[idx] = mustDouble(dyAdd(dyOf(out[idx]!), { m: BigInt(s) * dyOf(t).m, e: dyOf(t).e }), 'perturb');
  };
  move(at(i, j), 1);
  move(at(k, l), 1);
  move(at(i, l), -1);
  move(at(k, j), -1);
  return out;
}

/** Factors with ≥ 2 categories, the joint (P or Q) replaced by a non-product coupling. */
function nonProduct(which: 'P' | 'Q'): fc.Arbitrary<I> {
  const two = fc.integer({ min: 2, max: 3 }).chain((n) =>
    fc.tuple(smallDistribution({ minLength: n, maxLength: n, zeros: false }), smallDistribution({ minLength: n, maxLength: n, zeros: false })),
  );
  return fc
    .tuple(two, two, fc.nat(), fc.nat())
    .map(([[p1, q1], [p2, q2], r1, r2]) => {
      const base = build(p1, q1, p2, q2);
      const n1 = p1.length;
      const n2 = p2.length;
      const i = r1 % n1;
      const k = (i + 1 + (r1 >> 3) % (n1 - 1)) % n1;
      const j = r2 % n2;
      const l = (j + 1 + (r2 >> 3) % (n2 - 1)) % n2;
      const J = perturb(base[which], n2, [i, k, j, l]);
      return J === null ? null : { ...base, [which]: J };
    })
    .filter((x): x is I => x !== null);
}

/** One factor of p scaled by 2^k (k ≠ 0): Σ ≠ 1, the product recomputed. */
function scaledFactor(which: 'p1' | 'p2'): fc.Arbitrary<I> {
  return fc.tuple(instances, fc.constantFrom(-2, -1, 1, 2)).map(([x, k]) => {
    const p1 = which === 'p1' ? scaleVector(x.p1, k) : x.p1;
    const p2 = which === 'p2' ? scaleVector(x.p2, k) : x.p2;
    return build(p1, x.q1, p2, x.q2);
  });
}

export const additivity: Theorem<I> = {
  id: 'additivity',
  title: 'KL of product distributions is the sum of the KLs: KL(p₁⊗p₂ ‖ q₁⊗q₂) = KL(p₁‖q₁) + KL(p₂‖q₂)',
  source: 'seed 002 "I(x₁x₂) = I(x₁) + I(x₂) for independent events"; seed 004 (surprisal adds); chain rule of relative entropy',
  kind: 'theorem',
  statements: [{ text: 'KL(P‖Q) = KL(p₁‖q₁) + KL(p₂‖q₂) for P = p₁⊗p₂, Q = q₁⊗q₂', lhs: KLPQ, relation: '=', rhs: sumOfKls }],
  hypotheses,
  instances,
  proof,
  ablations: [
    { hypothesis: 'p1-sums-to-one', arbitrary: scaledFactor('p1') },
    { hypothesis: 'p2-sums-to-one', arbitrary: scaledFactor('p2') },
    {
      hypothesis: 'q1-sums-to-one',
      noCounterexample:
        'the masses of q never enter: log(q₁ᵢq₂ⱼ) = log q₁ᵢ + log q₂ⱼ for any positive numbers, and the steps weigh by P only, so KL(p₁⊗p₂‖q₁⊗q₂) = (Σp₂)KL(p₁‖q₁) + (Σp₁)KL(p₂‖q₂) for every nonnegative q₁, q₂ (tested with q scaled by 2^k)',
    },
    {
      hypothesis: 'q2-sums-to-one',
      noCounterexample: 'as for q1-sums-to-one: only p’s masses weigh the sums (step unit-mass)',
    },
    { hypothesis: 'p-product', arbitrary: nonProduct('P') },
    { hypothesis: 'q-product', arbitrary: nonProduct('Q') },
  ],
  functions: ['kl'],
  float64: {
    functions: ['kl'],
    check(inst, candidate, opts) {
      const f = candidate.kl as unknown as (a: number[], b: number[]) => number;
      const mode = opts?.mode ?? 'standard';
      const problems: string[] = [];
      const got: number[] = [];
      const bounds: number[] = [];
      for (const [a, b, name] of [
        [inst.P, inst.Q, 'kl(P, Q)'],
        [inst.p1, inst.q1, 'kl(p₁, q₁)'],
        [inst.p2, inst.q2, 'kl(p₂, q₂)'],
      ] as const) {
        const v = f(a, b);
        const e = kl(a, b);
        const j = judge('kl', [a, b], v, e, { mode: mode === 'strict' && strictApplies('kl', [a, b], e) ? 'strict' : 'standard' });
        if (!j.ok) problems.push(`${name} = ${v}, exact ${fmtDec(e)}: ${j.reason}`);
        got.push(v);
        bounds.push(Number.isFinite(j.bound) ? j.bound : 0);
      }
      const [a, b, c] = got as [number, number, number];
      const s = b + c;
      if (problems.length === 0) {
        if (!Number.isFinite(a) || !Number.isFinite(s)) {
          if (a !== s) problems.push(`kl(P, Q) = ${a} but kl(p₁, q₁) + kl(p₂, q₂) = ${s}`);
        } else if (Math.abs(a - s) > bounds[0]! + bounds[1]! + bounds[2]! + 2 ** -53 * Math.abs(s)) {
          problems.push(`|kl(P, Q) − (kl(p₁, q₁) + kl(p₂, q₂))| = ${Math.abs(a - s)} exceeds the allowed ${bounds[0]! + bounds[1]! + bounds[2]!}`);
        }
      }
      return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}) };
    },
  },
  describe: ({ p1, q1, p2, q2, P, Q }) =>
    `p₁ = ${fmtVec(p1)}, q₁ = ${fmtVec(q1)}, p₂ = ${fmtVec(p2)}, q₂ = ${fmtVec(q2)}`
    + (isProduct(P, p1, p2) ? '' : `, P = ${fmtVec(P)} (not p₁⊗p₂)`)
    + (isProduct(Q, q1, q2) ? '' : `, Q = ${fmtVec(Q)} (not q₁⊗q₂)`),
  toJSON: (i) => ({ ...i }),
};
