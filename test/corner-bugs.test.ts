/**
 * Corner bugs (issue 11) are caught at the default run count whatever the seed: each wrong
 * implementation of test/support/corner-bugs.ts fails its agreement run at five seeds.
 */
import test from 'ava';
import { runAgreement } from '../src/harness/agreement';
import { kernels } from '../src/kernels';
import { crossEntropyProductForm, generalizedKlDroppingMasses, klNormalSquares, klRandomOrder, logEvidenceNoShift } from './support/corner-bugs';

const SEEDS = [42, 1, 2, 3, 20240917];
const opts = { runs: 200, mode: 'standard' as const, precision: 'float64' as const };

test('generalizedKl dropping −p + q fails at five seeds; the kernel passes on the same draws', async (t) => {
  for (const seed of SEEDS) {
    const [bad] = await runAgreement({ generalizedKl: generalizedKlDroppingMasses }, { ...opts, seed, only: ['generalizedKl'] });
    t.is(bad!.status, 'failed', `seed ${seed}: ${bad!.message}`);
    t.true(bad!.counterexample!.label.startsWith('unnormalized/'), `seed ${seed}: ${bad!.counterexample!.label}`);
    const [good] = await runAgreement({ generalizedKl: kernels.generalizedKl }, { ...opts, seed, only: ['generalizedKl'] });
    t.is(good!.status, 'passed', `seed ${seed}: ${good!.message}`);
  }
});

const CORNERS: Array<{ name: string; fn: string; impl: (...a: never[]) => unknown; label: RegExp; message: RegExp }> = [
  { name: 'logEvidence shifted by min(0, max) (overflow at [800, 799])', fn: 'logEvidence', impl: logEvidenceNoShift as never, label: /^positive$/, message: /./ },
  { name: 'product-form crossEntropy −log Π q^p', fn: 'crossEntropy', impl: crossEntropyProductForm as never, label: /^cross-entropy-above-708$|^q-ll-p$|mismatch/, message: /./ },
  { name: 'klNormal with overflowing squares', fn: 'klNormal', impl: klNormalSquares as never, label: /^(huge|tiny)-scale$|extreme-scale|far-means/, message: /./ },
  { name: 'kl summed in a random order (nondeterministic)', fn: 'kl', impl: klRandomOrder as never, label: /./, message: /nondeterministic: the same input gave/ },
];

for (const c of CORNERS) {
  test(`${c.name} fails at five seeds; the kernel passes on the same draws`, async (t) => {
    for (const seed of SEEDS) {
      const [bad] = await runAgreement({ [c.fn]: c.impl }, { ...opts, seed, only: [c.fn] });
      t.is(bad!.status, 'failed', `seed ${seed}: ${bad!.message}`);
      t.regex(bad!.message, c.message, `seed ${seed}`);
      t.regex(bad!.counterexample!.label, c.label, `seed ${seed}: ${bad!.counterexample!.label}`);
      const [good] = await runAgreement({ [c.fn]: (kernels as unknown as Record<string, (...a: never[]) => unknown>)[c.fn]! }, { ...opts, seed, only: [c.fn] });
      t.is(good!.status, 'passed', `seed ${seed}: ${good!.message}`);
    }
  });
}
