import test from 'ava';
import fc from 'fast-check';
import { ablate, checkFloat64, checkTheorem, compare, Witness } from '../src/theorem';
import { kernels } from '../src/kernels';
import { kl } from '../src/reference';
import { decimalContext } from '../src/numeric/context';
import { toDecimal } from '../src/numeric/exact';
import { sumsExactlyToOne } from '../src/generators';
import { asymmetry, ASYMMETRY_WORKED_EXAMPLE, noTriangle } from './asymmetry';
import { smallDistribution } from './support';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const D60 = decimalContext(60);
const sameSupport = (a: number[], b: number[]) => a.every((x, i) => x > 0 === b[i]! > 0);

function witnessOf<I>(w: Witness): I {
  t_assert(w.witness !== null, `no witness for ${w.statement}`);
  return w.witness!.instance as I;
}
function t_assert(c: boolean, msg: string): asserts c {
  if (!c) throw new Error(msg);
}

test('asymmetry: false in general — a witness is found, and re-checked in the reference', (t) => {
  const r = checkTheorem(asymmetry, { seed: SEED, runs: 100, digits: 40 });
  t.true(r.ok, r.message);
  t.is(r.failure, null); // the hypotheses and the proof steps (facts) hold on every instance
  t.is(r.witnesses.length, 1);
  const { p, q } = witnessOf<{ p: number[]; q: number[] }>(r.witnesses[0]!);
  t.true(sumsExactlyToOne(p) && sumsExactlyToOne(q) && sameSupport(p, q));
  const a = kl(p, q, { digits: 40 });
  const b = kl(q, p, { digits: 40 });
  t.true(!compare(a, '=', b, 40).holds, `${a} vs ${b}`);
  t.log(`witness: ${r.witnesses[0]!.witness!.description}: KL(p‖q) = ${a.toSignificantDigits(8)}, KL(q‖p) = ${b.toSignificantDigits(8)}`);
});

test('asymmetry: the seed 001 worked values, for the inputs as given (0.1 and 0.9 are not 1/10 and 9/10)', (t) => {
  const { p, q } = ASYMMETRY_WORKED_EXAMPLE;
  const a = kl([...p], [...q], { digits: 40 });
  const b = kl([...q], [...p], { digits: 40 });
  t.is(a.toSignificantDigits(3).toString(), ASYMMETRY_WORKED_EXAMPLE.klPQ);
  t.is(b.toSignificantDigits(3).toString(), ASYMMETRY_WORKED_EXAMPLE.klQP);
  // Exact-input value of the doubles:
  t.true(a.toString().startsWith('0.51082562376599064311'), a.toString());
  // The rational inputs (1/10, 9/10) give log(5/3) = 0.510825623765990683…: the same to 15 digits, not to 17.
  const rational = new D60(5).div(3).ln();
  t.is(a.toSignificantDigits(15).toString(), rational.toSignificantDigits(15).toString());
  t.not(a.toSignificantDigits(17).toString(), rational.toSignificantDigits(17).toString());
  t.true(a.minus(rational).abs().lt('1e-16') && a.minus(rational).abs().gt('1e-17'));
  // Why: 0.1 + 0.9 = 1 + 2^-55 exactly, so q is not exactly a distribution.
  t.false(sumsExactlyToOne([0.1, 0.9]));
});

test('asymmetry: symmetric special cases exist — q a swap of p on two categories', (t) => {
  fc.assert(
    fc.property(smallDistribution({ minLength: 2, maxLength: 2 }), ([x, y]) => {
      const p = [x!, y!];
      const q = [y!, x!];
      return kl(p, q, { digits: 40 }).eq(kl(q, p, { digits: 40 }));
    }),
    { numRuns: 50 },
  );
  t.pass();
});

test('asymmetry: dropping a hypothesis only adds witnesses (stated)', (t) => {
  for (const h of asymmetry.hypotheses) {
    const r = ablate(asymmetry, h.id, { seed: SEED, runs: 10, digits: 40 });
    t.false(r.searched);
    t.regex(r.reason, /already false/);
  }
});

test('asymmetry: float64 — kernels pass; swapped arguments fail', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(asymmetry, kernels, { seed: SEED, runs: 100, mode }).status, 'passed');
  }
  const swapped = { kl: (p: number[], q: number[]) => kernels.kl(q, p) };
  t.is(checkFloat64(asymmetry, swapped, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});

test('no-triangle: false in general — a witness is found, and re-checked in the reference', (t) => {
  const r = checkTheorem(noTriangle, { seed: SEED, runs: 100, digits: 40 });
  t.true(r.ok, r.message);
  t.is(r.failure, null); // the three-point identity holds on every instance
  const { p, q, r: m } = witnessOf<{ p: number[]; q: number[]; r: number[] }>(r.witnesses[0]!);
  t.true([p, q, m].every(sumsExactlyToOne) && sameSupport(p, q) && sameSupport(q, m));
  const lhs = kl(p, q, { digits: 40 });
  const rhs = kl(p, m, { digits: 40 }).plus(kl(m, q, { digits: 40 }));
  t.true(compare(lhs, '>', rhs, 40).holds, `${lhs} vs ${rhs}`);
  t.log(`witness: ${r.witnesses[0]!.witness!.description}: ${lhs.toSignificantDigits(6)} > ${rhs.toSignificantDigits(6)}`);
});

test('no-triangle: the midpoint of two nearby coins always breaks it (KL grows like a squared distance)', (t) => {
  for (let k = 2; k <= 30; k += 4) {
    const d = 2 ** -k;
    const p = [0.5, 0.5];
    const q = [0.5 + d, 0.5 - d];
    const m = [0.5 + d / 2, 0.5 - d / 2];
    const lhs = kl(p, q, { digits: 40 });
    const rhs = kl(p, m, { digits: 40 }).plus(kl(m, q, { digits: 40 }));
    // ≈ 2d² against ≈ d²/2 + d²/2: the ratio tends to 2
    const ratio = lhs.div(rhs);
    t.true(ratio.gt(1.9) && ratio.lt(2.1), `k = ${k}: ratio ${ratio}`);
    // the three-point term T = KL(p‖q) − KL(p‖r) − KL(r‖q) is positive, ≈ ¼ Σ (p − q)²/q = δ²/(1 − 4δ²)
    const T = new D60(lhs).minus(rhs);
    const quarterChi2 = toDecimal(d, D60).pow(2).div(new D60(1).minus(toDecimal(d, D60).pow(2).times(4)));
    if (k >= 6) t.true(T.div(quarterChi2).minus(1).abs().lt(0.05), `k = ${k}: T = ${T}`);
    t.true(T.gt(0));
  }
});

test('no-triangle: float64 — kernels pass; float32 accumulation fails', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(noTriangle, kernels, { seed: SEED, runs: 100, mode }).status, 'passed');
  }
  const f32 = (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi === 0 ? s : Math.fround(s + Math.fround(pi * Math.log(pi / q[i]!)))), 0);
  t.is(checkFloat64(noTriangle, { kl: f32 }, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});
