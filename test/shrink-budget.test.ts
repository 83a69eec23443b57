/**
 * Shrinking ends within its budget (src/harness/shrink-budget.ts): a failure whose full shrink takes
 * many steps stops after the budgeted number of candidate calls, keeps a counterexample that still
 * fails, and the report says it is not fully shrunk; a failure that shrinks within the budget says nothing.
 * Steps are counted (candidate calls), never wall time.
 */
import test from 'ava';
import fc from 'fast-check';
import { runAgreement } from '../src/harness/run';
import { shrinkGuard } from '../src/harness/shrink-budget';
import { formatConsole } from '../src/report/console';
import { judge } from '../src/numeric/accuracy';
import * as ref from '../src/reference';

const opts = { seed: 20261123, runs: 200, mode: 'standard' as const, precision: 'float64' as const };

/** Wrong on every input with more than one category (returns 2·KL + 1), correct on one category: shrinks towards n = 1 edges. */
function counting() {
  const c = { calls: 0 };
  const kl = (p: number[], q: number[]) => {
    c.calls++;
    let s = 0;
    for (let i = 0; i < p.length; i++) if (p[i]! > 0) s += q[i] === 0 ? Infinity : p[i]! * Math.log(p[i]! / q[i]!);
    return p.length > 1 ? 2 * s + 1 : s;
  };
  return { c, kl };
}

test('a custom check with a huge shrink tree ends within its step budget, keeping a failing input', async (t) => {
  // Fails for every array of length ≥ 1: unbudgeted, fast-check shrinks a 2,000-element array of
  // large integers element by element (thousands of steps).
  const budget = 100;
  const g = shrinkGuard({ steps: budget, seconds: 3600 });
  let evaluations = 0;
  const d = await fc.check(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 1e9 }), { minLength: 2000, maxLength: 2000 }), g.wrap(async (a: number[]) => { evaluations++; return a.length === 0; })), { seed: 1, numRuns: 10 });
  t.true(d.failed);
  t.true(g.spent);
  t.is(g.steps, budget);
  t.is(evaluations, 1 + budget); // the first failure, then exactly the budget
  t.true(d.counterexample![0].length > 0); // still a failing input
  // The same property with a budget larger than its shrink needs on a small array: shrinks fully, not spent.
  const g2 = shrinkGuard({ steps: 100000, seconds: 3600 });
  const d2 = await fc.check(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }), g2.wrap(async (a: number[]) => a.length === 0)), { seed: 1, numRuns: 10 });
  t.true(d2.failed);
  t.false(g2.spent);
  t.deepEqual(d2.counterexample![0], [1]);
});

test('agreement: the budget bounds the candidate calls of shrinking; the report says "not fully shrunk"', async (t) => {
  const full = counting();
  const unbounded = await runAgreement({ kl: full.kl as never }, { ...opts, only: ['kl'] });
  const fullShrinks = unbounded[0]!.shrinks!;
  t.is(unbounded[0]!.status, 'failed');
  t.falsy(unbounded[0]!.shrinkBudgetSpent);
  t.false(formatConsole('t', unbounded, { seed: opts.seed, replay: '' }).includes('not fully shrunk'));
  t.true(fullShrinks > 3, `the full shrink takes ${fullShrinks} steps`);

  const steps = 3;
  const cut = counting();
  const r = (await runAgreement({ kl: cut.kl as never }, { ...opts, only: ['kl'], shrinkBudget: { steps, seconds: 3600 } }))[0]!;
  t.is(r.status, 'failed');
  t.true(r.shrinkBudgetSpent);
  t.true(r.shrinks! <= steps);
  // Candidate calls: the drawn cases (r.runs, the failing one included), at most `steps` shrink steps,
  // one re-evaluation of the counterexample and the diagnosis' probes (at most a dozen).
  t.true(cut.c.calls - r.runs <= steps + 1 + 12, `${cut.c.calls} calls, ${r.runs} runs`);
  t.true(r.shrinks! < fullShrinks, `${r.shrinks} of the ${fullShrinks} shrinks of the unbounded run`);
  // The counterexample still fails: the candidate's value is outside the bound of the exact value.
  const cx = r.counterexample!;
  const exact = ref.kl(cx.args[0] as number[], cx.args[1] as number[]);
  t.false(judge('kl', cx.args, cx.candidate as number, exact, opts).ok);
  t.true(formatConsole('t', [r], { seed: opts.seed, replay: '' }).includes('not fully shrunk'));
});
