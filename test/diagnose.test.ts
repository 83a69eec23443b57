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
