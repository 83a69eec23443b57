/**
 * `gaussian`: the KL divergence of univariate Gaussians.
 *   KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) = log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½,
 * it is ≥ 0, it is 0 iff (μ₁, σ₁) = (μ₂, σ₂); for equal σ it is (μ₁ − μ₂)²/(2σ²); and the VAE
 * regulariser KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − log σ² − 1) (seed 002).
 *
 * The closed form is evaluated here independently of the reference's algorithm: in Decimal, from
 * the exact parameters, with the engine's logarithms of the doubles σ₁, σ₂, at ctx.D's precision
 * plus EXTRA_GUARD_DIGITS (it cancels for near-equal Gaussians, where KL ≈ 1e-32).
 */
import Decimal from 'decimal.js';
import type { Ctx, Expr, Hypothesis, Step, Theorem } from '../src/theorem';
import { dec, indicator, lnOf } from '../src/theorem';
import { klNormal } from '../src/reference';
import { gaussianPair } from '../src/generators';
import { judge } from '../src/numeric/accuracy';
import { fmtDec, refOpts, wideCtx } from './support';

export interface GaussianInstance {
  mu1: number;
  sigma1: number;
  mu2: number;
  sigma2: number;
  relation?: string;
}

type I = GaussianInstance;

const KL: Expr<I> = {
  text: 'KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²))',
  value: ({ mu1, sigma1, mu2, sigma2 }, ctx) => new ctx.D(klNormal(mu1, sigma1, mu2, sigma2, refOpts(ctx))),
};

/** log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½ in Decimal, at wide precision. */
function closedForm(mu1: number, sigma1: number, mu2: number, sigma2: number, ctx: Ctx): Decimal {
  const W = wideCtx(ctx);
  const s1 = dec(sigma1, W);
  const s2 = dec(sigma2, W);
  const dm = dec(mu1, W).minus(dec(mu2, W));
  const v = lnOf(sigma2, W)
    .minus(lnOf(sigma1, W))
    .plus(s1.times(s1).plus(dm.times(dm)).div(s2.times(s2).times(2)))
    .minus(0.5);
  return new ctx.D(v);
}

/** r = σ₁²/σ₂², d = (μ₁ − μ₂)²/σ₂², and ln r = 2(ln σ₁ − ln σ₂). */
function parts({ mu1, sigma1, mu2, sigma2 }: I, W: Ctx): { r: Decimal; lnr: Decimal; d: Decimal } {
  const s1 = dec(sigma1, W);
  const s2 = dec(sigma2, W);
  const dm = dec(mu1, W).minus(dec(mu2, W));
  const s22 = s2.times(s2);
  return { r: s1.times(s1).div(s22), lnr: lnOf(sigma1, W).minus(lnOf(sigma2, W)).times(2), d: dm.times(dm).div(s22) };
}

const varianceAndMean: Expr<I> = {
  text: '½(r − 1 − log r) + ½d  (r = σ₁²/σ₂², d = (μ₁ − μ₂)²/σ₂²)',
  value: (i, ctx) => {
    const W = wideCtx(ctx);
    const { r, lnr, d } = parts(i, W);
    return new ctx.D(r.minus(1).minus(lnr).plus(d).div(2));
  },
};

const halfD: Expr<I> = {
  text: '½d = (μ₁ − μ₂)²/(2σ₂²)',
  value: (i, ctx) => new ctx.D(parts(i, wideCtx(ctx)).d.div(2)),
};

const vaeClosed: Expr<I> = {
  text: 'log(1/σ₁) + (σ₁² + μ₁²)/2 − ½',
  value: ({ mu1, sigma1 }, ctx) => closedForm(mu1, sigma1, 0, 1, ctx),
};

const vaeFormula: Expr<I> = {
  text: '½(μ₁² + σ₁² − log σ₁² − 1)',
  value: ({ mu1, sigma1 }, ctx) => {
    const W = wideCtx(ctx);
    const m = dec(mu1, W);
    const s = dec(sigma1, W);
    return new ctx.D(m.times(m).plus(s.times(s)).minus(lnOf(sigma1, W).times(2)).minus(1).div(2));
  },
};

const hypotheses: Hypothesis<I>[] = [
  { id: 'sigma1-positive', text: 'σ₁ > 0 (and μ₁, σ₁ finite)', holds: ({ mu1, sigma1 }) => Number.isFinite(mu1) && Number.isFinite(sigma1) && sigma1 > 0 },
  { id: 'sigma2-positive', text: 'σ₂ > 0 (and μ₂, σ₂ finite)', holds: ({ mu2, sigma2 }) => Number.isFinite(mu2) && Number.isFinite(sigma2) && sigma2 > 0 },
];

const proof: Step<I>[] = [
  {
    id: 'split',
    lhs: KL,
    relation: '=',
    rhs: varianceAndMean,
    justification: 'algebra on the closed form: log(σ₂/σ₁) = −½ log r and σ₁²/(2σ₂²) − ½ = ½(r − 1)',
    uses: ['sigma1-positive', 'sigma2-positive'],
  },
  {
    id: 'log-below-tangent',
    lhs: varianceAndMean,
    relation: '>=',
    rhs: halfD,
    justification: 'log r ≤ r − 1 (the concave log lies below its tangent at 1), with equality iff r = 1, i.e. σ₁ = σ₂',
    uses: ['sigma1-positive', 'sigma2-positive'],
  },
  {
    id: 'square',
    lhs: halfD,
    relation: '>=',
    rhs: { text: '0', value: (_i, ctx) => new ctx.D(0) },
    justification: 'a square over a positive number; zero iff μ₁ = μ₂. Hence KL ≥ 0, with equality iff both parameters are equal',
    uses: ['sigma2-positive'],
  },
  {
    id: 'vae-algebra',
    lhs: vaeClosed,
    relation: '=',
    rhs: vaeFormula,
    justification: 'the closed form at μ₂ = 0, σ₂ = 1: −log σ₁ = −½ log σ₁², and (σ₁² + μ₁²)/2 − ½ = ½(μ₁² + σ₁² − 1)',
    uses: ['sigma1-positive'],
  },
];

export const gaussian: Theorem<I> = {
  id: 'gaussian',
  title: 'KL of Gaussians: the closed form, ≥ 0, zero iff equal; equal-variance and VAE special cases',
  source: 'seed 002 "KL in the VAE ELBO" (closed form of KL(N(μ, σ²)‖N(0, 1))); seed 000 §7 (continuous KL)',
  kind: 'theorem',
  statements: [
    {
      text: 'KL = log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½',
      lhs: KL,
      relation: '=',
      rhs: { text: 'log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½', value: ({ mu1, sigma1, mu2, sigma2 }, ctx) => closedForm(mu1, sigma1, mu2, sigma2, ctx) },
    },
    { text: 'KL ≥ 0', lhs: KL, relation: '>=', rhs: { text: '0', value: (_i, ctx) => new ctx.D(0) } },
    {
      text: 'KL = 0 iff μ₁ = μ₂ and σ₁ = σ₂',
      lhs: indicator<I>('[KL = 0]', (i, ctx) => KL.value(i, ctx).isZero()),
      relation: '=',
      rhs: indicator<I>('[μ₁ = μ₂ ∧ σ₁ = σ₂]', ({ mu1, sigma1, mu2, sigma2 }) => mu1 === mu2 && sigma1 === sigma2),
    },
    {
      text: 'for equal variances: KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₁²)) = (μ₁ − μ₂)²/(2σ₁²)',
      lhs: { text: 'KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₁²))', value: ({ mu1, sigma1, mu2 }, ctx) => new ctx.D(klNormal(mu1, sigma1, mu2, sigma1, refOpts(ctx))) },
      relation: '=',
      rhs: {
        text: '(μ₁ − μ₂)²/(2σ₁²)',
        value: ({ mu1, sigma1, mu2 }, ctx) => {
          const W = wideCtx(ctx);
          const dm = dec(mu1, W).minus(dec(mu2, W));
          const s = dec(sigma1, W);
          return new ctx.D(dm.times(dm).div(s.times(s).times(2)));
        },
      },
    },
    {
      text: 'VAE: KL(N(μ₁, σ₁²) ‖ N(0, 1)) = ½(μ₁² + σ₁² − log σ₁² − 1)',
      lhs: { text: 'KL(N(μ₁, σ₁²) ‖ N(0, 1))', value: ({ mu1, sigma1 }, ctx) => new ctx.D(klNormal(mu1, sigma1, 0, 1, refOpts(ctx))) },
      relation: '=',
      rhs: vaeFormula,
    },
  ],
  hypotheses,
  instances: gaussianPair().map((g) => ({ ...g })),
  proof,
  ablations: [
    {
      hypothesis: 'sigma1-positive',
      noCounterexample:
        'outside the domain: N(μ, σ²) with σ ≤ 0 is not a Gaussian density (σ = 0 is a point mass, KL = +∞ against any Gaussian), and the reference raises InvalidInputError (nonpositive). The formula itself only sees σ₁² and |σ₂/σ₁| once log is taken of a positive ratio, so a sign flip of both σ changes nothing',
    },
    {
      hypothesis: 'sigma2-positive',
      noCounterexample: 'outside the domain, as for sigma1-positive (σ₂ = 0: a point mass q, KL = +∞)',
    },
  ],
  functions: ['klNormal'],
  float64: {
    functions: ['klNormal'],
    check({ mu1, sigma1, mu2, sigma2 }, candidate, opts) {
      const f = candidate.klNormal as unknown as (a: number, b: number, c: number, d: number) => number;
      const mode = opts?.mode ?? 'standard';
      const problems: string[] = [];
      const cases: [string, [number, number, number, number]][] = [
        ['klNormal(μ₁, σ₁, μ₂, σ₂)', [mu1, sigma1, mu2, sigma2]],
        ['klNormal(μ₁, σ₁, μ₂, σ₁)', [mu1, sigma1, mu2, sigma1]],
        ['klNormal(μ₁, σ₁, 0, 1)', [mu1, sigma1, 0, 1]],
        ['klNormal(μ₁, σ₁, μ₁, σ₁)', [mu1, sigma1, mu1, sigma1]],
      ];
      for (const [name, args] of cases) {
        const v = f(...args);
        const exact = klNormal(...args);
        const j = judge('klNormal', args, v, exact, { mode });
        if (!j.ok) problems.push(`${name} = ${v}, exact ${fmtDec(exact)}: ${j.reason} (error ${j.absError}, allowed ${j.bound})`);
        else if (v < 0 && v + j.bound < 0) problems.push(`${name} = ${v} < 0`);
      }
      return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}) };
    },
  },
  describe: ({ mu1, sigma1, mu2, sigma2, relation }) =>
    `N(${mu1}, ${sigma1}²) ‖ N(${mu2}, ${sigma2}²)${relation ? ` (${relation})` : ''}`,
  toJSON: ({ mu1, sigma1, mu2, sigma2, relation }) => ({ mu1, sigma1, mu2, sigma2, ...(relation ? { relation } : {}) }),
};
