import test from 'ava';
import fc from 'fast-check';
import { ablate, checkFloat64, checkTheorem, compare } from '../src/theorem';
import { kernels } from '../src/kernels';
import { entropy } from '../src/reference';
import { decimalContext } from '../src/numeric/context';
import { sumsExactlyToOne } from '../src/generators';
import { ENTROPY_WORKED_EXAMPLES, entropyBounds, uniformOnSupport } from './entropy-bounds';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const D60 = decimalContext(60);
const lnInt = (n: number) => new D60(n).ln();
const supportSize = (p: number[]) => p.filter((x) => x > 0).length;

test('entropy-bounds: the three statements and every proof step hold at 40 digits (120 instances)', (t) => {
  const r = checkTheorem(entropyBounds, { seed: SEED, runs: 120, digits: 40 });
  t.true(r.ok, r.message);
});

test('entropy-bounds: the equality case is exercised — uniform on the support gives log |supp p| exactly', (t) => {
  const draws = fc.sample(entropyBounds.instances, { seed: SEED, numRuns: 200 });
  const uniform = draws.filter(({ p }) => uniformOnSupport(p));
  t.true(uniform.length > 10 && uniform.length < draws.length);
  for (const { p } of uniform) {
    t.true(entropy(p, { digits: 40 }).eq(lnInt(supportSize(p)).toSignificantDigits(40)), JSON.stringify(p));
  }
  // …and a non-uniform p stays strictly below (beyond the engine's 40-digit tolerance)
  for (const { p } of draws.filter(({ p }) => !uniformOnSupport(p))) {
    t.true(compare(lnInt(supportSize(p)), '>', entropy(p, { digits: 40 }), 40).holds, JSON.stringify(p));
  }
});

test('entropy-bounds: seed 002 — fair coin log 2 ≈ 0.693 nats, 0.9-biased coin ≈ 0.325 nats', (t) => {
  for (const { p, rounded } of ENTROPY_WORKED_EXAMPLES) {
    t.is(entropy([...p], { digits: 40 }).toSignificantDigits(3).toString(), rounded);
  }
  t.true(entropy([0.5, 0.5], { digits: 40 }).eq(lnInt(2).toSignificantDigits(40)));
  t.false(sumsExactlyToOne([0.9, 0.1])); // 0.9 + 0.1 = 1 + 2^-55: outside the exact hypothesis
});

test('entropy-bounds: without p-sums-to-one a counterexample is found, shrunk, and re-checked in the reference', (t) => {
  const r = ablate(entropyBounds, 'p-sums-to-one', { seed: SEED, runs: 100, digits: 40 });
  t.truthy(r.counterexample, r.reason);
  const { p } = r.counterexample!.instance as { p: number[] };
  t.true(p.length <= 3);
  t.false(sumsExactlyToOne(p)); // violates the dropped hypothesis
  t.true(p.every((x) => Number.isFinite(x) && x >= 0)); // satisfies the other
  const H = entropy(p, { digits: 40 });
  const violated = H.lt(0) || H.gt(lnInt(supportSize(p)));
  t.true(violated, `H = ${H}`);
  t.truthy(r.failingStep);
  t.true(r.failingStep!.uses!.includes('p-sums-to-one'));
  t.log(r.reason);
  const n = ablate(entropyBounds, 'p-nonneg', { seed: SEED, runs: 10, digits: 40 });
  t.false(n.searched);
});

test('entropy-bounds: float64 — kernels pass (standard, strict); float-normalised near-uniform inputs are reported; log base 2 fails', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(entropyBounds, kernels, { seed: SEED, runs: 150, mode }).status, 'passed');
  }
  const r = checkFloat64(entropyBounds, kernels, { seed: SEED, runs: 150, mode: 'standard' });
  t.true(r.noteCount > 0);
  for (const n of r.notes) {
    const p = (n.instance as { p: number[] }).p;
    t.false(sumsExactlyToOne(p));
    t.true(entropy(p).gt(lnInt(supportSize(p)))); // the exact statement really fails there
  }
  const log2 = { entropy: (p: number[]) => -p.reduce((s, x) => (x === 0 ? s : s + x * Math.log2(x)), 0) };
  t.is(checkFloat64(entropyBounds, log2, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});
