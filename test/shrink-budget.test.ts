/**
 * The shrink budget (src/harness/shrink-budget.ts): shrinking ends within its count of evaluations,
 * the counterexample it leaves still fails, and the report says it is not fully shrunk; a failure that
 * shrinks within the budget says nothing.
 */
import test from 'ava';
import { DEFAULT_SHRINK_BUDGET, shrinkBudget } from '../src/harness/shrink-budget';
import { runAgreement, RunOptions } from '../src/harness/agreement';
import { runTheorems } from '../src/harness/theorems';
import { kernels } from '../src/kernels';
import { judge } from '../src/numeric/accuracy';
import * as ref from '../src/reference';
import { THEOREMS } from '../properties';
import { runCli } from './support/cli';

const base: RunOptions = { seed: 20261123, runs: 200, mode: 'strict', precision: 'float64' };
/** −Σ p·log q summed left to right, off by a relative 2^-40: fails the strict (ulps) target, and needs many steps to shrink. */
const naiveCe = (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi > 0 ? s - pi * Math.log(q[i]!) : s), 0) * (1 + 2 ** -40);

test('shrinkBudget counts evaluations after the first failure only, then skips', (t) => {
  const b = shrinkBudget(3);
  for (let i = 0; i < 10; i++) t.false(b.skip(), 'no failure yet: nothing is counted');
  b.failed();
  t.deepEqual([b.skip(), b.skip(), b.skip(), b.skip(), b.skip()], [false, false, false, true, true]);
  t.true(b.spent);
  t.is(b.steps, 3);
  t.is(shrinkBudget().limit, DEFAULT_SHRINK_BUDGET);
  t.throws(() => shrinkBudget(-1), { instanceOf: RangeError });
  t.throws(() => shrinkBudget(1.5), { instanceOf: RangeError });
});

test('agreement: shrinking stops within the budget; the counterexample still fails and is marked not fully shrunk', async (t) => {
  let calls = 0;
  let firstFailure = -1;
  const cand = {
    crossEntropy: (p: number[], q: number[]) => {
      calls++;
      const v = naiveCe(p, q);
      if (firstFailure < 0 && !judge('crossEntropy', [p, q], v, ref.crossEntropy(p, q), { mode: 'strict' }).ok) firstFailure = calls;
      return v;
    },
  };
  const budget = 25;
  const [r] = await runAgreement(cand, { ...base, only: ['crossEntropy'], shrinkBudget: budget });
  t.is(r!.status, 'failed');
  t.true(r!.notFullyShrunk);
  t.regex(r!.message, /not fully shrunk: the shrink budget \(25 evaluations/);
  t.true(firstFailure > 0);
  // after the first failure: at most `budget` shrink evaluations, plus the final re-evaluation and the
  // diagnosis probes (a fixed handful per function, src/harness/diagnose.ts)
  t.true(calls - firstFailure <= budget + 1 + 16, `${calls - firstFailure} calls after the first failure`);
  const [p, q] = r!.counterexample!.args as [number[], number[]];
  t.false(judge('crossEntropy', [p, q], naiveCe(p, q), ref.crossEntropy(p, q), { mode: 'strict' }).ok, 'the reported input still fails');
});

test('agreement: a failure that shrinks within the default budget is not marked', async (t) => {
  const nanAtZero = { kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]!), 0) };
  const [r] = await runAgreement(nanAtZero, { ...base, mode: 'standard', only: ['kl'] });
  t.is(r!.status, 'failed');
  t.is(r!.notFullyShrunk, undefined);
  t.notRegex(r!.message, /not fully shrunk/);
});

test('theorems: the budget applies; with budget 0 the first failing instance is reported as drawn', async (t) => {
  const wrong = { ...kernels, kl: (p: number[], q: number[]) => kernels.kl(p, q) - 1e-3 }; // KL < 0 near equality
  const gibbs = THEOREMS.filter((th) => th.id === 'gibbs');
  const [full] = await runTheorems(wrong, gibbs, { seed: 1, runs: 100, mode: 'standard' });
  const [none] = await runTheorems(wrong, gibbs, { seed: 1, runs: 100, mode: 'standard', shrinkBudget: 0 });
  t.is(full!.status, 'failed');
  t.is(none!.status, 'failed');
  t.true(none!.notFullyShrunk);
  t.is(none!.shrinks, 0);
  t.regex(none!.message, /not fully shrunk/);
});

test('klcheck check --shrink-budget: validated, passed through, shown in the console report', async (t) => {
  const bad = await runCli(['check', '--shrink-budget', 'x', '--no-progress']);
  t.is(bad.code, 2);
  t.regex(bad.err, /--shrink-budget must be an integer/);
  const help = await runCli(['check', '--help']);
  t.regex(help.out, /--shrink-budget <n>/);
});
