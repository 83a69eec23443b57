/**
 * Coverage is a guarantee (src/harness/cases.ts): at the default run count every class of every
 * function's cases is drawn at least perClassMinimum(runs, K) times (3 at 200 runs), at any seed,
 * in the agreement run itself (PropertyResult.classes); the stratified arbitrary is deterministic
 * from the seed; every drawn case is inside the function's domain.
 */
import test from 'ava';
import fc from 'fast-check';
import { FUNCTION_CASES, MIN_PER_CLASS, perClassMinimum, stratifiedCases } from '../src/harness/cases';
import { DETERMINISM_EVERY, runAgreement } from '../src/harness/agreement';
import { kernels } from '../src/kernels';
import { inDomain } from '../src/numeric/domain';

const RUNS = 200; // klcheck check's default --runs

test('perClassMinimum: 3 at the default run count for every function; at most half a run is the prefix', (t) => {
  for (const s of FUNCTION_CASES) {
    const K = s.classes!.length;
    t.is(perClassMinimum(RUNS, K), MIN_PER_CLASS, s.fn);
    t.true(K * perClassMinimum(RUNS, K) <= RUNS / 2 || perClassMinimum(RUNS, K) === 1);
  }
  t.is(perClassMinimum(5, 10), 0);
  t.is(perClassMinimum(10, 10), 1);
  t.is(perClassMinimum(60, 10), 3);
});

test('the corner classes the issue names are classes of their functions', (t) => {
  const labels = (fn: string) => FUNCTION_CASES.find((s) => s.fn === fn)!.classes!.map((c) => c.label);
  t.true(labels('crossEntropy').includes('cross-entropy-above-708'));
  t.true(labels('kl').includes('cross-entropy-above-708'));
  t.true(labels('generalizedKl').some((l) => l.startsWith('unnormalized/')));
  for (const fn of ['logEvidence', 'posterior']) t.true(labels(fn).includes('positive') && labels(fn).includes('huge-gap'), fn);
  t.true(labels('elbo').includes('positive/posterior') && labels('elbo').includes('huge-gap/independent'));
  for (const fn of ['klNormal', 'klNormalDiag']) t.true(labels(fn).includes('huge-scale') && labels(fn).includes('tiny-scale'), fn);
});

for (const seed of [20261123, 1, 7]) {
  test(`at the default run count every class of every function is drawn ≥ its minimum in the agreement run (seed ${seed})`, async (t) => {
    const rs = await runAgreement(kernels, { seed, runs: RUNS, mode: 'standard', precision: 'float64', strictWhereClaimed: true });
    for (const r of rs) {
      const s = FUNCTION_CASES.find((c) => c.fn === r.fn)!;
      t.is(r.status, 'passed', `${r.fn}: ${r.message}`);
      const m = perClassMinimum(RUNS, s.classes!.length);
      for (const c of s.classes!) t.true((r.classes?.[c.label]?.runs ?? 0) >= m, `${r.fn} / ${c.label}: ${r.classes?.[c.label]?.runs ?? 0} < ${m}`);
    }
  });
}

test('the stratified arbitrary is deterministic from the seed, its prefix round-robin, and stays inside the domain', (t) => {
  for (const s of FUNCTION_CASES) {
    const a = fc.sample(stratifiedCases(s, RUNS), { seed: 5, numRuns: RUNS });
    const b = fc.sample(stratifiedCases(s, RUNS), { seed: 5, numRuns: RUNS });
    t.deepEqual(a, b, s.fn);
    const K = s.classes!.length;
    for (let i = 0; i < K * MIN_PER_CLASS; i++) t.is(a[i]!.label, s.classes![i % K]!.label, `${s.fn} draw ${i}`);
    for (const c of a) {
      const d = inDomain(s.fn, c.args);
      if (!d.ok) t.fail(`${s.fn} (${c.label}): ${d.reason}`);
    }
  }
});

test('a counterexample from a class shrinks within that class', async (t) => {
  // fails only on positive log joints: the shrunk input is still one
  const [r] = await runAgreement({ logEvidence: (l: number[]) => (l.some((x) => x > 0) ? 0 : kernels.logEvidence(l)) }, { seed: 3, runs: RUNS, mode: 'standard', precision: 'float64', only: ['logEvidence'] });
  t.is(r!.status, 'failed');
  t.is(r!.counterexample!.label, 'positive');
  const [l] = r!.counterexample!.args as [number[]];
  t.true(l.length <= 2 && l.some((x) => x > 0), JSON.stringify(l));
});

test(`determinism: every ${DETERMINISM_EVERY}th case is called twice; an answer that changes fails, a stable one passes`, async (t) => {
  let calls = 0;
  let flip = false;
  const flaky = { entropy: (p: number[]) => { calls++; flip = !flip; return kernels.entropy(p) + (flip ? 0 : 2 ** -60); } };
  const [r] = await runAgreement(flaky, { seed: 1, runs: RUNS, mode: 'standard', precision: 'float64', only: ['entropy'] });
  t.is(r!.status, 'failed');
  t.regex(r!.message, /nondeterministic: the same input gave/);
  let n = 0;
  const counting = { entropy: (p: number[]) => { n++; return kernels.entropy(p); } };
  const [ok] = await runAgreement(counting, { seed: 1, runs: RUNS, mode: 'standard', precision: 'float64', only: ['entropy'] });
  t.is(ok!.status, 'passed');
  t.is(n, RUNS + RUNS / DETERMINISM_EVERY, 'runs calls plus one re-call per DETERMINISM_EVERY cases');
  t.true(calls > 0);
});
