/** Diagnoses claim a class only on evidence. */
import test from 'ava';
import { diagnose } from '../src/harness/diagnose';
import * as ref from '../src/reference';

test('no class is claimed when nothing matches', (t) => {
  t.is(diagnose('kl', [[0.5, 0.5], [0.25, 0.75]], 0.3, ref.kl([0.5, 0.5], [0.25, 0.75])), undefined);
  t.is(diagnose('kl', [[0.5, 0.5], [0.25, 0.75]], [1], ref.kl([0.5, 0.5], [0.25, 0.75])), undefined);
  t.is(diagnose('kl', [[0.5, 0.5], [0.25, 0.75]], 1, undefined), undefined);
  t.is(diagnose('kl', [[0.5, 0.5], [0.25, 0.75]], null, ref.kl([0.5, 0.5], [0.25, 0.75]), 'threw Error: x'), undefined);
});

test('classes from direct evidence', (t) => {
  t.is(diagnose('kl', [[0.5, 0.5], [0, 1]], null, ref.kl([0.5, 0.5], [0, 1]), 'threw Error: log of zero')?.id, 'threw');
  t.is(diagnose('entropy', [[0.5, 0.5]], NaN, ref.entropy([0.5, 0.5]))?.id, 'nan');
  t.is(diagnose('elbo', [[0, -Infinity], [1, 0]], NaN, ref.elbo([0, -Infinity], [1, 0]))?.id, 'nan-at-zero');
  t.is(diagnose('crossEntropy', [[0.5, 0.5], [0, 1]], 17, ref.crossEntropy([0.5, 0.5], [0, 1]))?.id, 'finite-under-mismatch');
  t.is(diagnose('kl', [[0.5, 0.5], [0, 1]], 12.3, ref.kl([0.5, 0.5], [0, 1]))?.id, 'finite-under-mismatch');
  t.is(diagnose('kl', [[0.5, 0.5], [0.5, 0.5]], Math.LN2 / Math.LN10, ref.kl([1, 0], [0.5, 0.5]))?.id, 'wrong-base');
  const l = [-1, -2], q = [0.5, 0.5];
  const cross = 0.5 * -1 + 0.5 * -2, ent = Math.LN2;
  t.is(diagnose('elbo', [l, q], cross - ent, ref.elbo(l, q))?.id, 'elbo-wrong-sign');
  t.is(diagnose('kl', [[0.5, 0.5], [0.25, 0.75]], ref.kl([0.5, 0.5], [0.25, 0.75]).toNumber() * (1 + 1e-7), ref.kl([0.5, 0.5], [0.25, 0.75]))?.id, 'float32-level');
});

test('ε-clipping is recognised where the exact value is finite (q_i < ε), and only on evidence', (t) => {
  // TensorFlow.js categoricalCrossentropy (float32, q clipped to [1e-7, 1 − 1e-7]) on a near-mismatch pair:
  // 8.05904769897461 = −½·ln(1e-7) − ½·ln(1 − 1e-7) in float32; the exact value is 372.22…
  const ce: [number[], number[]] = [[0.5, 0.5], [5e-324, 1]];
  t.is(diagnose('crossEntropy', ce, 8.05904769897461, ref.crossEntropy(...ce))?.id, 'epsilon-clipping');
  // kl with q clipped at 1e-12 on a finite pair with a tiny q_i (the gallery's ε-clipping bug), and shifted by ε.
  const p = [0.5, 0.5], q = [1e-20, 1 - 1e-20];
  const clipKl = 0.5 * Math.log(0.5 / 1e-12) + 0.5 * Math.log(0.5 / q[1]!);
  t.is(diagnose('kl', [p, q], clipKl, ref.kl(p, q))?.id, 'epsilon-clipping');
  const shiftKl = 0.5 * Math.log(0.5 / (1e-20 + 1e-9)) + 0.5 * Math.log(0.5 / (q[1]! + 1e-9));
  t.is(diagnose('kl', [p, q], shiftKl, ref.kl(p, q))?.id, 'epsilon-clipping');
  // Not claimed: a merely inaccurate value, or a q with no entry below any ε.
  t.not(diagnose('crossEntropy', ce, 300, ref.crossEntropy(...ce))?.id, 'epsilon-clipping');
  const r: [number[], number[]] = [[0.5, 0.5], [0.25, 0.75]];
  t.not(diagnose('crossEntropy', r, ref.crossEntropy(...r).toNumber() * 1.01, ref.crossEntropy(...r))?.id, 'epsilon-clipping');
  // Under support mismatch cross-entropy gets the same hypothesis as kl (one cause, one label): −½·ln(1e-7) is ε-clipping.
  t.is(diagnose('crossEntropy', [[0.5, 0.5], [0, 1]], 8.05904769897461, ref.crossEntropy([0.5, 0.5], [0, 1]))?.id, 'epsilon-clipping');
  t.is(diagnose('crossEntropy', [[0.5, 0.5], [0, 1]], 17, ref.crossEntropy([0.5, 0.5], [0, 1]))?.id, 'finite-under-mismatch');
});

test('renormalising unnormalised inputs is not diagnosed as dropping small masses', (t) => {
  // mathjs kldivergence normalises both arguments: on p = [1], q = [2] it returns 0, the exact Σ p log(p/q) is −ln 2.
  // Nothing is below any threshold, so "masses below 1e-12 are dropped" would be a false claim.
  t.not(diagnose('kl', [[1], [2]], 0, ref.kl([1], [2]))?.id, 'dropped-small-masses');
  // A real drop is still recognised: q's 1e-10 mass dropped and q renormalised (the gallery's bug).
  const p = [0.5, 0.5 - 1e-10, 1e-10], q = [0.25, 0.75 - 1e-10, 1e-10];
  const clean = (v: number[]) => { const w = v.map((x) => (x < 1e-9 ? 0 : x)); const s = w.reduce((a, b) => a + b, 0); return w.map((x) => x / s); };
  const a = clean(p), b = clean(q);
  let v = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > 0) v += a[i]! * (Math.log(a[i]!) - Math.log(b[i]! > 0 ? b[i]! : q[i]!));
  t.is(diagnose('kl', [p, q], v, ref.kl(p, q))?.id, 'dropped-small-masses');
});
