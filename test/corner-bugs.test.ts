/**
 * Corner bugs (issue 11) are caught at the default run count whatever the seed: each wrong
 * implementation of test/support/corner-bugs.ts fails its agreement run at five seeds.
 */
import test from 'ava';
import { runAgreement } from '../src/harness/run';
import { kernels } from '../src/kernels';
import { generalizedKlDroppingMasses } from './support/corner-bugs';

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
