import test from 'ava';
import fc from 'fast-check';
import { ablate, checkFloat64, checkTheorem, compare } from '../src/theorem';
import { kernels } from '../src/kernels';
import { kl } from '../src/reference';
import { decimalContext } from '../src/numeric/context';
import { toDecimal } from '../src/numeric/exact';
import { sumsExactlyToOne } from '../src/generators';
import { additivity, outer, ProductInstance } from './additivity';
import { scaleVector } from './support';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const D = decimalContext(100);
const ex = (x: number) => toDecimal(x, D);

/** J = a⊗b exactly (Decimal products of the exact values; independent of additivity.ts). */
function isProduct(J: number[], a: number[], b: number[]): boolean {
  return J.length === a.length * b.length && a.every((x, i) => b.every((y, j) => ex(J[i * b.length + j]!).eq(ex(x).times(ex(y)))));
}

/** KL(P‖Q) ≠ KL(p₁‖q₁) + KL(p₂‖q₂), decided with the engine's 40-digit tolerance (theorem.ts `compare`). */
function violates({ p1, q1, p2, q2, P, Q }: ProductInstance): boolean {
  const l = kl(P, Q, { digits: 40 });
  const r = kl(p1, q1, { digits: 40 }).plus(kl(p2, q2, { digits: 40 }));
  if (!l.isFinite() || !r.isFinite()) return !l.eq(r);
  return !compare(l, '=', r, 40).holds; // beyond the engine's 40-digit tolerance
}

test('additivity: the identity and every proof step hold at 40 digits (120 instances)', (t) => {
  const r = checkTheorem(additivity, { seed: SEED, runs: 120, digits: 40 });
  t.true(r.ok, r.message);
});

test('additivity: the joints are exact products, and infinite KLs are drawn (+∞ = +∞ + finite)', (t) => {
  const draws = fc.sample(additivity.instances, { seed: SEED, numRuns: 200 });
  for (const d of draws) {
    t.true(isProduct(d.P, d.p1, d.p2) && isProduct(d.Q, d.q1, d.q2));
    t.true(sumsExactlyToOne(d.P) && sumsExactlyToOne(d.Q));
  }
  t.true(draws.some((d) => !kl(d.P, d.Q).isFinite()));
  t.true(draws.some((d) => kl(d.P, d.Q).isFinite() && !kl(d.P, d.Q).isZero()));
  t.throws(() => outer([0.1], [0.3])); // 0.1·0.3 is not a double: outer refuses to round
});

for (const h of ['p1-sums-to-one', 'p2-sums-to-one', 'p-product', 'q-product'] as const) {
  test(`additivity: without ${h} a counterexample is found and re-checked in the reference`, (t) => {
    const r = ablate(additivity, h, { seed: SEED, runs: 100, digits: 40 });
    t.truthy(r.counterexample, r.reason);
    const x = r.counterexample!.instance as ProductInstance;
    t.true(violates(x));
    const holds: Record<string, boolean> = {
      'p1-sums-to-one': sumsExactlyToOne(x.p1),
      'p2-sums-to-one': sumsExactlyToOne(x.p2),
      'q1-sums-to-one': sumsExactlyToOne(x.q1),
      'q2-sums-to-one': sumsExactlyToOne(x.q2),
      'p-product': isProduct(x.P, x.p1, x.p2),
      'q-product': isProduct(x.Q, x.q1, x.q2),
    };
    for (const [id, ok] of Object.entries(holds)) t.is(ok, id !== h, id);
    t.true(x.p1.length <= 3 && x.p2.length <= 3);
    t.true(r.failingStep!.uses!.includes(h));
    t.log(r.reason);
  });
}

test('additivity: without p-product the defect is the mutual information (perfectly correlated fair coins: log 2)', (t) => {
  const p = [0.5, 0.5];
  const inst = { p1: p, q1: p, p2: p, q2: p, P: [0.5, 0, 0, 0.5], Q: outer(p, p) };
  t.true(kl(inst.P, inst.Q, { digits: 40 }).eq(new D(2).ln().toSignificantDigits(40)));
  t.true(kl(p, p).isZero());
});

test('additivity: q’s normalisation is not needed (no counterexample): q₁, q₂ scaled by 2^k keep the identity', (t) => {
  for (const h of ['q1-sums-to-one', 'q2-sums-to-one']) t.false(ablate(additivity, h, { seed: SEED, runs: 10, digits: 40 }).searched);
  fc.assert(
    fc.property(additivity.instances, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), (x, a, b) => {
      const q1 = scaleVector(x.q1, a);
      const q2 = scaleVector(x.q2, b);
      return !violates({ ...x, q1, q2, Q: outer(q1, q2) });
    }),
    { numRuns: 60 },
  );
  t.pass();
});

test('additivity: float64 — kernels pass (standard, strict); a log-base-2 kl fails', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(additivity, kernels, { seed: SEED, runs: 100, mode }).status, 'passed');
  }
  const log2 = { kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi === 0 ? s : s + pi * Math.log2(pi / q[i]!)), 0) };
  t.is(checkFloat64(additivity, log2, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});
