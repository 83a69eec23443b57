/** bregman: Proposition 22.4's expansion in arbitrary precision, the equal-mass ablation, the boundary. */
import test from 'ava';
import fc from 'fast-check';
import { ablate, checkFloat64, checkTheorem, engineContext, evaluateInstance, exactSum, tolerance } from '../src/theorem';
import { kernels } from '../src/kernels';
import * as ref from '../src/reference';
import { anyPair } from '../src/generators';
import { bregman, equalMass } from './bregman';
import type { PQ } from './gibbs';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const DOC_SEED = 20261123;

test('bregman: every statement and every proof step holds at 40 digits (100 equal-mass instances)', (t) => {
  const r = checkTheorem(bregman, { seed: SEED, runs: 100, digits: 40 });
  t.true(r.ok, r.message);
});

test('bregman: the instances include unnormalised equal-mass pairs (mass 2, 4, 8), not only the simplex', (t) => {
  const draws = fc.sample(bregman.instances, { seed: SEED, numRuns: 100 });
  const ctx = engineContext(20);
  t.true(draws.some(({ p }) => exactSum(p, ctx).gt(1)));
  t.true(draws.every((x) => equalMass(x) && x.q.every((v) => v > 0)));
});

test('bregman without equal-mass: a shrunk counterexample, re-checked in the reference; the proof breaks at Σ(p − q) = 0', (t) => {
  for (const seed of [SEED, DOC_SEED]) {
    const r = ablate(bregman, 'equal-mass', { seed, runs: 100, digits: 40 });
    t.truthy(r.counterexample, r.reason);
    const { p, q } = r.counterexample!.instance as PQ;
    t.true(p.length <= 3);
    // re-check: D_F ≠ KL in the reference (literal exact Bregman formula, and kl), and D_F = KL + Σq − Σp
    const dF = ref.bregmanNegEntropy(p, q, { digits: 60 });
    const k = ref.kl(p, q, { digits: 60 });
    const ctx = engineContext(60);
    t.false(dF.eq(k));
    t.true(dF.minus(k).minus(exactSum(q, ctx).minus(exactSum(p, ctx))).abs().lt(1e-55));
    // hypotheses: only equal-mass fails
    t.false(equalMass({ p, q }));
    t.true(p.every((x) => x >= 0) && q.every((x) => x > 0));
    t.is(r.failingStep!.id, 'equal-mass');
    t.deepEqual(r.failingStep!.uses, ['equal-mass']);
  }
  const doc = ablate(bregman, 'equal-mass', { seed: DOC_SEED, runs: 100, digits: 40 });
  t.deepEqual((doc.counterexample!.instance as PQ).p, [1]);
  t.deepEqual((doc.counterexample!.instance as PQ).q, [2]);
});

test('bregman without p-nonneg / q-positive: no counterexample, with the reason', (t) => {
  for (const h of ['p-nonneg', 'q-positive']) {
    const r = ablate(bregman, h, { seed: SEED, runs: 10, digits: 40 });
    t.is(r.counterexample, null);
    t.false(r.searched);
    t.true(r.reason.length > 80);
  }
});

test('bregman: the q-positive reason holds — on the closed simplex (zeros in q) every statement and step still holds', (t) => {
  const boundary = anyPair({ exact: true, maxLength: 8, relations: ['mismatch', 'common-zeros', 'q-ll-p', 'disjoint', 'p-ll-q'] })
    .filter(({ q }) => q.some((x) => x === 0));
  fc.assert(fc.property(boundary, (x) => {
    const r = evaluateInstance(bregman, x, 40);
    return r.statements.every((s) => s.holds) && r.steps.every((s) => s.holds);
  }), { seed: SEED, numRuns: 80 });
  // and support mismatch gives +∞ on both sides
  const r = evaluateInstance(bregman, { p: [0.5, 0.5], q: [1, 0] }, 40);
  t.is(r.statements[0]!.lhs.value, 'Infinity');
  t.is(r.statements[0]!.rhs.value, 'Infinity');
});

test('bregman: the constant 1 of ∇F matters off the simplex — ∇F\' = log q differs from D_F by Σq − Σp', (t) => {
  const r = evaluateInstance(bregman, { p: [1], q: [2] }, 40);
  // statement 3 (F(p) − F(q) − ⟨log q, p − q⟩ = D_F) fails without equal mass, by exactly Σp − Σq = −1
  const s3 = r.statements[2]!;
  t.false(s3.holds);
  const D = engineContext(40).D;
  // by −1 up to the engine's tolerance at 40 digits (src/theorem.ts)
  t.true(new D(s3.lhs.value).minus(new D(s3.rhs.value)).plus(1).abs().lte(tolerance(new D(s3.lhs.value), new D(s3.rhs.value), 40)));
  // statement 2 (D_F = KL + Σq − Σp) holds everywhere
  t.true(r.statements[1]!.holds);
});

test('bregman: float64 — D_F from the kernels\' negEntropy and gradient agrees with their kl within the derived bound', (t) => {
  const r = checkFloat64(bregman, kernels, { seed: SEED, runs: 200, mode: 'standard' });
  t.is(r.status, 'passed', r.message);
  // a gradient off by a factor fails; a gradient without the constant 1 passes on equal-mass pairs (Σ(p − q) = 0)
  const wrongGradient = { ...kernels, negEntropyGradient: (q: readonly number[]) => kernels.negEntropyGradient(q).map((g) => 1.001 * g) };
  const bad = checkFloat64(bregman, wrongGradient, { seed: SEED, runs: 200, mode: 'standard' });
  t.is(bad.status, 'failed');
  const noOne = { ...kernels, negEntropyGradient: (q: readonly number[]) => q.map((x) => Math.log(x)) };
  t.is(checkFloat64(bregman, noOne, { seed: SEED, runs: 200, mode: 'standard' }).status, 'passed');
});
