import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { ablate, checkFloat64, checkTheorem, compare } from '../src/theorem';
import { kernels } from '../src/kernels';
import { kl } from '../src/reference';
import { decimalContext } from '../src/numeric/context';
import { toDecimal } from '../src/numeric/exact';
import { sumsExactlyToOne } from '../src/generators';
import { ChannelInstance, dataProcessing, jointConvexity, logSum, LogSumInstance, mix, MixtureInstance, push } from './extras';
import { scaleVector } from './support';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const D = decimalContext(100);
const ex = (x: number) => toDecimal(x, D);
const sumD = (v: number[]) => v.reduce((s, x) => s.plus(ex(x)), new D(0));
const f32 = { kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi === 0 ? s : Math.fround(s + Math.fround(pi * Math.log(pi / q[i]!)))), 0) };

/** vK with Decimal arithmetic (independent of extras.ts's BigInt version). */
function pushD(v: number[], K: number[][]): Decimal[] {
  return K[0]!.map((_, j) => v.reduce((s, x, i) => s.plus(ex(x).times(ex(K[i]![j]!))), new D(0)));
}

/** Σ a log(a/b) in decimal.js (a, b of one sign per index), with 0·log 0 = 0 and a·log(a/0) = +∞. */
function sumALogAOverB(a: Decimal[], b: Decimal[]): Decimal {
  let s = new D(0);
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.isZero()) continue;
    if (b[i]!.isZero()) return new D(Infinity);
    s = s.plus(a[i]!.times(a[i]!.div(b[i]!).ln()));
  }
  return s;
}

// ------------------------------------------------------------------------------------------------
// data-processing

test('data-processing: KL(pK‖qK) ≤ KL(p‖q) and every proof step hold at 40 digits (120 instances)', (t) => {
  const r = checkTheorem(dataProcessing, { seed: SEED, runs: 120, digits: 40 });
  t.true(r.ok, r.message);
});

test('data-processing: pK and qK are exact (BigInt push = Decimal push)', (t) => {
  fc.assert(
    fc.property(dataProcessing.instances, ({ p, q, K }) =>
      [p, q].every((v) => push(v, K).every((x, j) => ex(x).eq(pushD(v, K)[j]!))),
    ),
    { numRuns: 100 },
  );
  t.pass();
});

for (const h of ['K-nonneg', 'K-row-stochastic'] as const) {
  test(`data-processing: without ${h} a counterexample is found and re-checked in the reference`, (t) => {
    const r = ablate(dataProcessing, h, { seed: SEED, runs: 100, digits: 40 });
    t.truthy(r.counterexample, r.reason);
    const { p, q, K } = r.counterexample!.instance as ChannelInstance;
    const nonneg = K.every((row) => row.every((x) => x >= 0));
    const stochastic = K.every((row) => sumD(row).eq(1));
    t.is(nonneg, h !== 'K-nonneg');
    t.is(stochastic, h !== 'K-row-stochastic');
    t.true(sumsExactlyToOne(p) && sumsExactlyToOne(q));
    // the statement fails: KL(pK‖qK) > KL(p‖q), with pK recomputed in Decimal
    const out = sumALogAOverB(pushD(p, K), pushD(q, K));
    t.true(compare(out, '>', kl(p, q, { digits: 40 }), 40).holds, `${out} vs ${kl(p, q)}`);
    t.true(r.failingStep!.uses!.includes(h));
    t.log(r.reason);
  });
}

test('data-processing: no normalisation needed — p, q scaled by 2^k still satisfy it', (t) => {
  for (const h of ['p-sums-to-one', 'q-sums-to-one']) t.false(ablate(dataProcessing, h, { seed: SEED, runs: 10, digits: 40 }).searched);
  fc.assert(
    fc.property(dataProcessing.instances, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), ({ p, q, K }, a, b) => {
      const ps = scaleVector(p, a);
      const qs = scaleVector(q, b);
      const lhs = kl(push(ps, K), push(qs, K), { digits: 40 });
      const rhs = kl(ps, qs, { digits: 40 });
      return !lhs.isFinite() ? !rhs.isFinite() : compare(lhs, '<=', rhs, 40).holds;
    }),
    { numRuns: 80 },
  );
  t.pass();
});

test('data-processing: float64 — kernels pass (standard, strict); float32 fails', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(dataProcessing, kernels, { seed: SEED, runs: 100, mode }).status, 'passed');
  }
  t.is(checkFloat64(dataProcessing, f32, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});

// ------------------------------------------------------------------------------------------------
// joint-convexity

test('joint-convexity: the inequality and every proof step hold at 40 digits (120 instances)', (t) => {
  const r = checkTheorem(jointConvexity, { seed: SEED, runs: 120, digits: 40 });
  t.true(r.ok, r.message);
});

test('joint-convexity: without λ ∈ [0, 1] a counterexample is found and re-checked in the reference', (t) => {
  const r = ablate(jointConvexity, 'lambda-in-unit-interval', { seed: SEED, runs: 100, digits: 40 });
  t.truthy(r.counterexample, r.reason);
  const { p1, q1, p2, q2, lambda } = r.counterexample!.instance as MixtureInstance;
  t.true(lambda < 0 || lambda > 1);
  t.true([p1, q1, p2, q2].every(sumsExactlyToOne));
  const l = ex(lambda);
  const mp = p1.map((x, i) => l.times(ex(x)).plus(new D(1).minus(l).times(ex(p2[i]!))));
  const mq = q1.map((x, i) => l.times(ex(x)).plus(new D(1).minus(l).times(ex(q2[i]!))));
  t.true(mp.every((x, i) => x.eq(ex(mix(lambda, p1, p2)[i]!)))); // the mixture is exact
  const lhs = sumALogAOverB(mp, mq);
  const rhs = l.times(kl(p1, q1, { digits: 40 })).plus(new D(1).minus(l).times(kl(p2, q2, { digits: 40 })));
  t.true(compare(lhs, '>', rhs, 40).holds, `${lhs} vs ${rhs}`);
  t.is(r.failingStep!.id, 'log-sum-per-category');
  t.log(r.reason);
});

test('joint-convexity: no normalisation needed — the four vectors scaled by 2^k still satisfy it', (t) => {
  t.false(ablate(jointConvexity, 'distributions', { seed: SEED, runs: 10, digits: 40 }).searched);
  fc.assert(
    fc.property(jointConvexity.instances, fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 4, maxLength: 4 }), (x, k) => {
      const [p1, q1, p2, q2] = [x.p1, x.q1, x.p2, x.q2].map((v, i) => scaleVector(v, k[i]!)) as [number[], number[], number[], number[]];
      const lhs = kl(mix(x.lambda, p1, p2), mix(x.lambda, q1, q2), { digits: 40 });
      const l = ex(x.lambda);
      const a = kl(p1, q1, { digits: 40 });
      const b = kl(p2, q2, { digits: 40 });
      const rhs = (x.lambda === 0 ? new D(0) : l.times(a)).plus(x.lambda === 1 ? new D(0) : new D(1).minus(l).times(b));
      return !lhs.isFinite() || compare(lhs, '<=', rhs, 40).holds;
    }),
    { numRuns: 80 },
  );
  t.pass();
});

test('joint-convexity: float64 — kernels pass (standard, strict); float32 fails', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(jointConvexity, kernels, { seed: SEED, runs: 100, mode }).status, 'passed');
  }
  t.is(checkFloat64(jointConvexity, f32, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});

// ------------------------------------------------------------------------------------------------
// log-sum

test('log-sum: the inequality and every proof step hold at 40 digits (120 instances, unnormalised and huge masses)', (t) => {
  const r = checkTheorem(logSum, { seed: SEED, runs: 120, digits: 40 });
  t.true(r.ok, r.message);
});

test('log-sum: equality for proportional vectors, strict otherwise (decimal.js)', (t) => {
  const a = [1, 2, 5];
  const b = scaleVector(a, 3);
  const A = sumD(a);
  const B = sumD(b);
  t.true(kl(a, b, { digits: 40 }).eq(A.times(A.div(B).ln()).toSignificantDigits(40)));
  const c = [1, 3, 5];
  t.true(compare(kl(a, c, { digits: 40 }), '>', A.times(A.div(sumD(c)).ln()), 40).holds);
});

test('log-sum: without nonneg a counterexample is found (evaluated in decimal.js) and the proof breaks at Jensen', (t) => {
  const r = ablate(logSum, 'nonneg', { seed: SEED, runs: 100, digits: 40 });
  t.truthy(r.counterexample, r.reason);
  const { a, b } = r.counterexample!.instance as LogSumInstance;
  t.true(a.some((x) => x < 0) || b.some((x) => x < 0));
  t.true(a.length <= 3);
  const lhs = sumALogAOverB(a.map(ex), b.map(ex));
  const A = sumD(a);
  const B = sumD(b);
  t.true(compare(lhs, '<', A.times(A.div(B).ln()), 40).holds);
  t.is(r.failingStep!.id, 'jensen');
  t.log(r.reason);
});

test('log-sum: float64 — kernels pass (standard, strict); float32 fails', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(logSum, kernels, { seed: SEED, runs: 100, mode }).status, 'passed');
  }
  t.is(checkFloat64(logSum, f32, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});
