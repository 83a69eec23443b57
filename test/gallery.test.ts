/**
 * The teaching gallery (examples/gallery): each deliberately wrong implementation is flagged with the
 * right diagnosis, and the plain correct one is not flagged. These are the examples the docs quote.
 */
import test from 'ava';
import * as path from 'node:path';
import { loadModuleCandidate } from '../src/harness/module';
import { runAgreement } from '../src/harness/agreement';
import * as ref from '../src/reference';
import { judge } from '../src/numeric/accuracy';
import type { Diagnosis } from '../src/harness/diagnose';

const at = (f: string) => path.join(__dirname, '..', 'examples', 'gallery', f);
const opts = { seed: 20261123, runs: 200, mode: 'standard' as const, precision: 'float64' as const };

const expected: Array<[string, Record<string, Diagnosis['id']>]> = [
  ['nan-at-zero.mjs', { kl: 'nan-at-zero' }],
  ['skips-zero-q.mjs', { kl: 'skips-zero-q' }],
  ['epsilon-clipping.mjs', { kl: 'epsilon-clipping' }],
  ['ratio-overflow.mjs', { kl: 'overflow-at-tiny-mass', entropy: 'overflow-at-tiny-mass' }],
  ['wrong-base.mjs', { kl: 'wrong-base', entropy: 'wrong-base' }],
  ['swapped.mjs', { kl: 'swapped-arguments' }],
  ['float32.mjs', { entropy: 'float32-level' }],
  ['drops-small-masses.mjs', { kl: 'dropped-small-masses' }],
  ['elbo-bugs.mjs', { logEvidence: 'logsumexp-missing', elbo: 'elbo-missing-entropy' }],
  ['mutates.mjs', { entropy: 'mutates-input' }],
];

for (const [file, diagnoses] of expected) {
  test(`${file} is flagged: ${Object.values(diagnoses).join(', ')}`, async (t) => {
    const c = await loadModuleCandidate(at(file));
    try {
      const results = await runAgreement(c, { ...opts, only: Object.keys(diagnoses) });
      for (const r of results) {
        t.is(r.status, 'failed', `${file} ${r.fn}`);
        t.is(r.diagnosis?.id, diagnoses[r.fn], `${file} ${r.fn}: ${r.message}`);
        // The counterexample is real: the candidate's answer is outside the bound of the exact value.
        const cx = r.counterexample!;
        // (A mutation of the input is the failure itself, whatever the value: cx.error says so.)
        if (cx.error === undefined && typeof cx.candidate === 'number' && (r.fn === 'kl' || r.fn === 'entropy')) {
          const exact = r.fn === 'kl' ? ref.kl(cx.args[0] as number[], cx.args[1] as number[]) : ref.entropy(cx.args[0] as number[]);
          t.false(judge(r.fn, cx.args, cx.candidate, exact, opts).ok, `${file} ${r.fn}: ${cx.candidate} vs ${exact.toString()}`);
        }
      }
    } finally {
      await c.close();
    }
  });
}

test('the plain correct implementation is not flagged', async (t) => {
  const c = await loadModuleCandidate(at('correct.mjs'));
  try {
    const results = await runAgreement(c, { ...opts, runs: 300 });
    const ran = results.filter((r) => r.status !== 'skipped');
    t.is(ran.length, 6);
    for (const r of ran) t.is(r.status, 'passed', `${r.fn}: ${r.message}`);
  } finally {
    await c.close();
  }
});
