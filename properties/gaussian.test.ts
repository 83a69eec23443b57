import test from 'ava';
import fc from 'fast-check';
import { ablate, checkFloat64, checkTheorem } from '../src/theorem';
import { kernels } from '../src/kernels';
import { klNormal } from '../src/reference';
import { decimalContext } from '../src/numeric/context';
import { gaussian } from './gaussian';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const D = decimalContext(60);

test('gaussian: closed form, ≥ 0, zero iff equal, equal variances, the VAE term, and every proof step hold at 40 digits', (t) => {
  const r = checkTheorem(gaussian, { seed: SEED, runs: 150, digits: 40 });
  t.true(r.ok, r.message);
});

test('gaussian: worked values against decimal.js', (t) => {
  // KL(N(0, 1) ‖ N(1, 2²)) = log 2 + (1 + 1)/8 − ½ = log 2 − ¼
  t.true(klNormal(0, 1, 1, 2, { digits: 40 }).eq(new D(2).ln().minus(0.25).toSignificantDigits(40)));
  // seed 002's VAE term at μ = 1, σ = 2: ½(1 + 4 − log 4 − 1) = 2 − log 2
  t.true(klNormal(1, 2, 0, 1, { digits: 40 }).eq(new D(2).minus(new D(2).ln()).toSignificantDigits(40)));
  // equal variances: (μ₁ − μ₂)²/(2σ²) exactly (a rational)
  t.is(klNormal(3, 2, 1, 2, { digits: 40 }).toString(), '0.5');
});

test('gaussian: zero exactly at equal parameters, strictly positive one ulp away', (t) => {
  fc.assert(
    fc.property(gaussian.instances, ({ mu1, sigma1 }) => {
      const eq = klNormal(mu1, sigma1, mu1, sigma1, { digits: 40 });
      const next = sigma1 * (1 + 2 ** -52);
      return eq.isZero() && klNormal(mu1, sigma1, mu1, next, { digits: 40 }).gt(0);
    }),
    { numRuns: 100 },
  );
  t.pass();
});

test('gaussian: the hypotheses are the domain (stated reasons)', (t) => {
  for (const h of ['sigma1-positive', 'sigma2-positive']) {
    const r = ablate(gaussian, h, { seed: SEED, runs: 10, digits: 40 });
    t.false(r.searched);
    t.regex(r.reason, /not a Gaussian|outside the domain/);
  }
});

test('gaussian: float64 — kernels pass (standard, strict); a VAE-style bug (σ for σ²) and a missing −½ fail', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(gaussian, kernels, { seed: SEED, runs: 150, mode }).status, 'passed');
  }
  const sigmaNotSquared = {
    klNormal: (m1: number, s1: number, m2: number, s2: number) => Math.log(s2 / s1) + (s1 + (m1 - m2) ** 2) / (2 * s2 * s2) - 0.5,
  };
  const noHalf = {
    klNormal: (m1: number, s1: number, m2: number, s2: number) => kernels.klNormal(m1, s1, m2, s2) + 0.5,
  };
  t.is(checkFloat64(gaussian, sigmaNotSquared, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
  t.is(checkFloat64(gaussian, noHalf, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});
