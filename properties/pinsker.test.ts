import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { ablate, checkFloat64, checkTheorem } from '../src/theorem';
import { kernels } from '../src/kernels';
import { kl } from '../src/reference';
import { decimalContext } from '../src/numeric/context';
import { toDecimal } from '../src/numeric/exact';
import { sumsExactlyToOne } from '../src/generators';
import { pinsker, tvExact } from './pinsker';
import { dyDec } from './support';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const D = decimalContext(1000); // exact for the short dyadic vectors of these tests

/** TV(p, q) = ½ Σ |p_i − q_i| in Decimal from the exact values (independent of pinsker.ts). */
function tv(p: number[], q: number[]): Decimal {
  let s = new D(0);
  for (let i = 0; i < p.length; i++) s = s.plus(toDecimal(p[i]!, D).minus(toDecimal(q[i]!, D)).abs());
  return s.div(2);
}

test('pinsker: KL ≥ 2·TV² and every proof step hold at 40 digits (120 instances, incl. near-fair coins)', (t) => {
  const r = checkTheorem(pinsker, { seed: SEED, runs: 120, digits: 40 });
  t.true(r.ok, r.message);
});

test('pinsker: TV is exact', (t) => {
  fc.assert(
    fc.property(pinsker.instances, ({ p, q }) => dyDec(tvExact(p, q), { digits: 40, D }).eq(tv(p, q))),
    { numRuns: 100 },
  );
  t.pass();
});

test('pinsker: the constant 2 is sharp — KL/TV² → 2 near Bernoulli(½), and every c = 2 + 2^-k is violated', (t) => {
  for (let j = 4; j <= 40; j += 6) {
    const d = 2 ** -j;
    const ratio = new D(kl([0.5, 0.5], [0.5 + d, 0.5 - d], { digits: 40 })).div(toDecimal(d, D).pow(2));
    // KL = −½ log(1 − 4δ²) = 2δ² + 4δ⁴ + …: the ratio is in (2, 2 + 5δ²), tested from both sides
    t.true(ratio.gt(2) && ratio.lt(new D(2).plus(toDecimal(d, D).pow(2).times(5))), `δ = 2^-${j}: ${ratio}`);
  }
  for (let k = 1; k <= 40; k++) {
    const c = 2 + 2 ** -k;
    const j = Math.ceil(k / 2) + 2; // 4δ² ≤ 2^-(k+2) < c − 2
    const d = 2 ** -j;
    const p = [0.5, 0.5];
    const q = [0.5 + d, 0.5 - d];
    t.true(kl(p, q, { digits: 40 }).lt(toDecimal(c, D).times(tv(p, q).pow(2))), `c = 2 + 2^-${k}`);
    t.true(kl(p, q, { digits: 40 }).gte(new D(2).times(tv(p, q).pow(2))));
  }
});

test('pinsker: without c-at-most-2 the ablation finds a near-fair coin, re-checked in the reference', (t) => {
  const r = ablate(pinsker, 'c-at-most-2', { seed: SEED, runs: 100, digits: 40 });
  t.truthy(r.counterexample, r.reason);
  const { p, q, c } = r.counterexample!.instance as { p: number[]; q: number[]; c: number };
  t.true(c > 2);
  t.true(sumsExactlyToOne(p) && sumsExactlyToOne(q));
  t.true(kl(p, q, { digits: 40 }).lt(toDecimal(c, D).times(tv(p, q).pow(2))));
  t.is(r.failingStep!.id, 'constant');
  t.log(r.reason);
});

for (const h of ['p-sums-to-one', 'q-sums-to-one'] as const) {
  test(`pinsker: without ${h} a counterexample is found (≤ 3 categories) and re-checked in the reference`, (t) => {
    const r = ablate(pinsker, h, { seed: SEED, runs: 100, digits: 40 });
    t.truthy(r.counterexample, r.reason);
    const { p, q, c } = r.counterexample!.instance as { p: number[]; q: number[]; c: number };
    t.true(p.length <= 3);
    t.is(c, 2);
    t.is(sumsExactlyToOne(p), h !== 'p-sums-to-one');
    t.is(sumsExactlyToOne(q), h !== 'q-sums-to-one');
    t.true(kl(p, q, { digits: 40 }).lt(new D(2).times(tv(p, q).pow(2))));
    t.true(r.failingStep!.uses!.includes(h));
    t.log(r.reason);
  });
}

test('pinsker: float64 — kernels pass (standard, strict); float-normalised pairs below 2·TV² are reported; float32 fails', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(pinsker, kernels, { seed: SEED, runs: 200, mode }).status, 'passed');
  }
  const r = checkFloat64(pinsker, kernels, { seed: SEED, runs: 300, mode: 'standard' });
  for (const n of r.notes) {
    const { p, q } = n.instance as { p: number[]; q: number[] };
    t.false(sumsExactlyToOne(p) && sumsExactlyToOne(q));
    t.true(kl(p, q).lt(new D(2).times(tv(p, q).pow(2))));
  }
  t.true(r.noteCount > 0);
  const f32 = { kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi === 0 ? s : Math.fround(s + Math.fround(pi * Math.log(pi / q[i]!)))), 0) };
  t.is(checkFloat64(pinsker, f32, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});
