import test from 'ava';
import fc from 'fast-check';
import { ablate, checkFloat64, checkTheorem, explainTheorem } from '../src/theorem';
import { kernels } from '../src/kernels';
import { kl } from '../src/reference';
import { decimalContext } from '../src/numeric/context';
import { pairRelationHolds } from '../src/generators';
import {
  normalizeWeights,
  scalePow2,
  smallDistribution,
  support,
  SUPPORT_WORKED_EXAMPLE,
  supportIncluded,
  dyToDouble,
  fmt,
} from './support';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const D50 = decimalContext(50);

test('support: both statements and every proof step hold at 40 digits (120 instances)', (t) => {
  const r = checkTheorem(support, { seed: SEED, runs: 120, digits: 40 });
  t.true(r.ok, r.message);
  t.is(r.failure, null);
});

test('support: the instances reach every support configuration (the statement is not tested on one side only)', (t) => {
  const draws = fc.sample(support.instances, { seed: SEED, numRuns: 300 });
  const fwd = new Set(draws.map(({ p, q }) => kl(p, q).isFinite()));
  const rev = new Set(draws.map(({ p, q }) => kl(q, p).isFinite()));
  t.deepEqual([...fwd].sort(), [false, true]);
  t.deepEqual([...rev].sort(), [false, true]);
  // forward finite but reverse infinite (p ≪ q strictly), and the converse: mode-covering ≠ zero-forcing
  t.true(draws.some(({ p, q }) => kl(p, q).isFinite() && !kl(q, p).isFinite()));
  t.true(draws.some(({ p, q }) => !kl(p, q).isFinite() && kl(q, p).isFinite()));
  // unnormalised (scaled) instances are drawn, and the ratio-overflow corner too
  t.true(draws.some(({ relation }) => relation !== undefined && relation.includes('scaled')));
  t.true(draws.some(({ p, q }) => supportIncluded(p, q) && p.some((x, i) => q[i]! > 0 && x / q[i]! === Infinity)));
});

test('support: the criterion is direction-specific — with the inclusion swapped it has counterexamples', (t) => {
  // A wrong statement "KL(p‖q) < ∞ ⇔ supp q ⊆ supp p" has counterexamples among the instances.
  const draws = fc.sample(support.instances, { seed: SEED, numRuns: 200 });
  t.true(draws.some(({ p, q }) => kl(p, q).isFinite() !== supportIncluded(q, p)));
});

test('support: seed 000 §6.3 — p = (½, ½), q = (1, 0): KL(p‖q) = +∞, KL(q‖p) = log 2', (t) => {
  const { p, q } = SUPPORT_WORKED_EXAMPLE;
  t.false(kl([...p], [...q]).isFinite());
  t.true(kl([...p], [...q]).isPositive());
  const rev = kl([...q], [...p], { digits: 40 });
  const ln2 = new D50(2).ln().toSignificantDigits(40);
  t.true(rev.eq(ln2), rev.toString());
});

test('support: the ablations are domain restrictions, with stated reasons', (t) => {
  for (const h of ['p-nonneg', 'q-nonneg']) {
    const r = ablate(support, h, { seed: SEED, runs: 10, digits: 40 });
    t.false(r.searched);
    t.is(r.counterexample, null);
    t.regex(r.reason, /InvalidInputError/);
  }
});

test('support: float64 — our kernels pass (standard and strict); a kl that skips q_i = 0 fails; the difference of logs passes', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    const r = checkFloat64(support, kernels, { seed: SEED, runs: 150, mode });
    t.is(r.status, 'passed', r.message);
  }
  // Textbook p·(log p − log q): correct, accepted by the standard bound (log 0 = −∞ gives +∞).
  const textbook = (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi === 0 ? s : s + pi * (Math.log(pi) - Math.log(q[i]!))), 0);
  t.is(checkFloat64(support, { kl: textbook }, { seed: SEED, runs: 150, mode: 'standard' }).status, 'passed');
  // The bug: terms with q_i = 0 skipped (finite under mismatch).
  const skipping = (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi === 0 || q[i] === 0 ? s : s + pi * Math.log(pi / q[i]!)), 0);
  const bad = checkFloat64(support, { kl: skipping }, { seed: SEED, runs: 150, mode: 'standard' });
  t.is(bad.status, 'failed');
  t.regex(bad.failure!.message, /expected \+∞/);
  // The near-mismatch corner is reported (p_i/q_i overflows, exact KL finite).
  const r = checkFloat64(support, kernels, { seed: SEED, runs: 150, mode: 'standard' });
  t.true(r.noteCount > 0);
  t.regex(r.notes[0]!.note, /overflows/);
});

test('support: explain prints a readable instance with every step holding', (t) => {
  const e = explainTheorem(support, { seed: SEED, digits: 40 });
  t.true(e.steps.every((s) => s.holds));
  t.true(e.statements.every((s) => s.holds));
});

test('shared helpers: exact dyadic conversions and small exact distributions', (t) => {
  t.is(dyToDouble({ m: 3n, e: -2 }), 0.75);
  t.is(dyToDouble({ m: (1n << 53n) + 1n, e: 0 }), null); // 54 bits
  t.is(dyToDouble({ m: 1n, e: -1075 }), null); // below the subnormals
  t.is(dyToDouble({ m: 1n, e: -1074 }), 5e-324);
  t.is(scalePow2(5e-324, -1), null);
  t.is(scalePow2(5e-324, 3), 4e-323);
  t.deepEqual(normalizeWeights([1, 1, 1]), [0.5, 0.25, 0.25]);
  t.deepEqual(normalizeWeights([0, 0]), [1, 0]);
  t.is(fmt(0.375), '3/8');
  fc.assert(
    fc.property(smallDistribution({ maxLength: 4 }), (p) => {
      let s = 0;
      for (const x of p) s += x; // exact: every entry is a multiple of 2^-10
      return s === 1 && p.every((x) => x >= 0 && Number.isInteger(x * 1024));
    }),
    { numRuns: 200 },
  );
  t.true(pairRelationHolds('mismatch', [0.5, 0.5], [1, 0]));
});
