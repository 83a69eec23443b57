/**
 * Diagnoses claimed only on evidence specific to them (issue 11): each candidate of
 * test/support/diagnose-variants.ts was once labelled with a cause it does not have. Run through the
 * agreement check (and theorem:log-sum), each now gets the right label or a plain observation, never
 * the wrong one; and every probe the diagnosis makes is inside the contract's domain.
 */
import test from 'ava';
import { runAgreement } from '../src/harness/agreement';
import { runTheorems } from '../src/harness/theorems';
import { inProcessCandidate, CandidateHandle } from '../src/harness/candidate';
import { inDomain } from '../src/numeric/domain';
import { THEOREMS } from '../properties';
import { candidateProbe, diagnose, diagnoseWithProbes, Diagnosis } from '../src/harness/diagnose';
import * as ref from '../src/reference';
import { variants } from './support/diagnose-variants';

const opts = { seed: 20261123, runs: 200, mode: 'standard' as const, precision: 'float64' as const };

/** The variant as a handle that records every call outside the contract's domain. */
function handle(fns: Record<string, unknown>, outside: string[]): CandidateHandle {
  const h = inProcessCandidate(fns, { name: 'variant', precision: 'float64', base: 'e' }, 'module', 'test');
  return {
    ...h,
    call(fn, args) {
      const d = inDomain(fn, args);
      if (!d.ok) outside.push(`${fn}(${JSON.stringify(args)}): ${d.reason}`);
      return h.call(fn, args);
    },
    callSync: undefined,
  };
}

const cases: Array<[keyof typeof variants, string[], { wrong: Diagnosis['id'][]; right?: Diagnosis['id'][] }]> = [
  ['flushToZero', ['kl'], { wrong: ['overflow-at-tiny-mass'], right: ['flushes-subnormals'] }],
  ['stateful', ['kl'], { wrong: ['nan-at-zero'], right: ['inconsistent-answers'] }],
  ['allclose', ['kl'], { wrong: ['dropped-small-masses'] }],
  ['endsOnly', ['kl'], { wrong: ['skips-zero-q', 'epsilon-clipping', 'swapped-arguments'] }],
  ['masksQ', ['kl'], { wrong: ['swapped-arguments', 'epsilon-clipping'], right: ['skips-zero-q'] }],
  ['longPath', ['kl'], { wrong: ['float32-level'] }],
];

for (const [name, only, { wrong, right }] of cases) {
  test(`${name}: never ${wrong.join(' / ')}${right ? `; ${right.join(' / ')} or a plain observation` : ''}`, async (t) => {
    const outside: string[] = [];
    const results = await runAgreement(handle(variants[name], outside), { ...opts, only });
    for (const r of results) {
      t.is(r.status, 'failed', `${name} ${r.fn}`);
      const id = r.diagnosis?.id;
      t.log(`${name} ${r.fn}: ${id}: ${r.diagnosis?.explanation}`);
      t.false(wrong.includes(id!), `${name} ${r.fn}: ${id}: ${r.diagnosis?.explanation}`);
      if (right) t.true(id === undefined || right.includes(id) || ['observed', 'nan', 'finite-under-mismatch'].includes(id), `${name}: ${id}`);
    }
    t.deepEqual(outside, []);
  });
}

test('the ε-clipped kl and crossEntropy get one label from both functions', async (t) => {
  const outside: string[] = [];
  const results = await runAgreement(handle(variants.epsilonBoth, outside), { ...opts, only: ['kl', 'crossEntropy'] });
  t.is(results.length, 2);
  for (const r of results) t.is(r.diagnosis?.id, 'epsilon-clipping', `${r.fn}: ${r.diagnosis?.explanation}`);
  t.deepEqual(outside, []);
});

test('masking q > 0 is never called swapped arguments by theorem:log-sum', async (t) => {
  const outside: string[] = [];
  const th = THEOREMS.filter((x) => x.id === 'log-sum' || x.id === 'gibbs' || x.id === 'support');
  const results = await runTheorems(handle(variants.masksQ, outside), th, { seed: opts.seed, runs: 100, mode: 'standard' });
  const failed = results.filter((r) => r.status === 'failed');
  t.true(failed.length > 0);
  for (const r of failed) {
    t.log(`${r.property}: ${r.diagnosis?.id}: ${r.diagnosis?.explanation}`);
    t.not(r.diagnosis?.id, 'swapped-arguments', `${r.property}: ${r.diagnosis?.explanation}`);
  }
  t.deepEqual(outside, []);
});

/** The counterexample-only hypothesis (`diagnose`) and the probed diagnosis of the same failing call. */
async function both(name: keyof typeof variants, p: number[], q: number[]) {
  const fns = variants[name] as Record<string, (p: number[], q: number[]) => number>;
  const v = fns.kl!(p, q);
  const exact = ref.kl(p, q);
  const outside: string[] = [];
  const probed = await diagnoseWithProbes('kl', [p, q], v, exact, undefined, candidateProbe(handle(fns, outside), { precision: 'float64', base: 'e' }));
  return { v, exact, hypothesis: diagnose('kl', [p, q], v, exact), probed, outside };
}

test('allclose early return of 0: the hypothesis "dropped small masses" is not confirmed; the observation is stated', async (t) => {
  // p = [(1−a)/2, (1−a)/2, a], q = [(1−b)/2, (1−b)/2, b]: dropping a, b and renormalising gives p = q
  // exactly, so the dropped-masses formula also gives 0 — the counterexample alone cannot tell.
  for (const [a, b] of [[2e-13, 1e-13], [1e-10, 5e-11]] as const) {
    const r = await both('allclose', [(1 - a) / 2, (1 - a) / 2, a], [(1 - b) / 2, (1 - b) / 2, b]);
    t.is(r.v, 0);
    t.true(r.exact.gt(0));
    t.is(r.hypothesis?.id, 'dropped-small-masses'); // what the counterexample alone suggested (the old label)
    t.is(r.probed?.id, 'observed');
    t.regex(r.probed!.explanation, /^returned 0 where the exact value is /);
    t.deepEqual(r.outside, []);
  }
});

test('a q > 0 mask is not swapped arguments where KL(q‖p) happens to equal the masked sum', async (t) => {
  // The in-domain form of theorem:log-sum's a = [2], b = [0]: masked sum 0 = KL(q‖p) = 0, exact +∞.
  const r = await both('masksQ', [0.5, 0.5, 5e-324], [0.5, 0.5, 0]);
  t.is(r.v, 0);
  t.is(r.exact.toString(), 'Infinity');
  t.is(r.hypothesis?.id, 'swapped-arguments'); // the old label
  t.not(r.probed?.id, 'swapped-arguments');
  t.is(r.probed?.id, 'skips-zero-q'); // the next hypothesis, confirmed on the mismatch probes
  t.deepEqual(r.outside, []);
});
