/**
 * Real libraries from the npm registry (examples/libraries): each is flagged with the diagnosis of its
 * real bug, and each passes on the input class where it is correct — so the verdicts are the
 * libraries' behaviour, not an artefact of the harness. Committed results: reports/libraries/.
 */
import test from 'ava';
import fc from 'fast-check';
import * as path from 'node:path';
import { MIN_NORMAL, pair, PairRelation } from '../src/generators';
import { loadModuleCandidate, ModuleCandidate } from '../src/harness/module';
import { evaluateCase, runAgreement, RunOptions } from '../src/harness/agreement';
import type { Case, FunctionCases } from '../src/harness/cases';
import * as ref from '../src/reference';
import { diagnose } from '../src/harness/diagnose';

const at = (f: string) => path.join(__dirname, '..', 'examples', 'libraries', f);
const seed = 20261123;

async function withCandidate<T>(file: string, body: (c: ModuleCandidate) => Promise<T>): Promise<T> {
  const c = await loadModuleCandidate(at(file));
  try {
    return await body(c);
  } finally {
    await c.close();
  }
}

/** Every case of `arbitrary` agrees with the reference under the standard bound at the candidate's precision. */
async function agreesOn(c: ModuleCandidate, fn: string, arbitrary: fc.Arbitrary<Case>, runs: number) {
  const opts: RunOptions = { seed, runs, mode: 'standard', precision: c.meta.precision, base: c.meta.base };
  const spec: FunctionCases = { fn, params: ['p', 'q'], arbitrary };
  return fc.check(fc.asyncProperty(arbitrary, async ({ args, label }) => (await evaluateCase(spec, c, args, label, opts)).ok), { seed, numRuns: runs });
}

const cases = (relation: PairRelation, keep: (p: number[], q: number[]) => boolean = () => true): fc.Arbitrary<Case> =>
  pair({ relation, maxLength: 64 }).filter(({ p, q }) => keep(p, q)).map(({ p, q }) => ({ args: [p, q], label: relation }));

/** Strictly positive and normal everywhere: no 0·log 0, no mismatch, no ratio overflow. */
const positive = cases('independent', (p, q) => [...p, ...q].every((x) => x >= MIN_NORMAL));

for (const [file, lib] of [['mathjs.mjs', 'mathjs kldivergence'], ['ml-distance.mjs', 'ml-distance kullbackLeibler']] as const) {
  test(`${lib}: kl is flagged nan-at-zero, on a real zero-mass input`, async (t) => {
    await withCandidate(file, async (c) => {
      t.is(c.meta.precision, 'float64');
      const [r] = await runAgreement(c, { seed, runs: 200, mode: 'standard', precision: 'float64', only: ['kl'] });
      t.is(r!.status, 'failed', r!.message);
      t.is(r!.diagnosis?.id, 'nan-at-zero', r!.message);
      const cx = r!.counterexample!;
      const [p, q] = cx.args as [number[], number[]];
      t.true(Number.isNaN(cx.candidate as number));
      t.true(p.some((x) => x === 0), 'the shrunk input has a zero mass in p');
      t.false(ref.kl(p, q).isNaN(), 'the exact value is a number (finite or +Infinity), not NaN');
    });
  });

  test(`${lib}: kl agrees with the reference on strictly positive inputs (standard bound, float64)`, async (t) => {
    await withCandidate(file, async (c) => {
      const d = await agreesOn(c, 'kl', positive, 100);
      t.false(d.failed, `counterexample: ${JSON.stringify(d.counterexample)}`);
      // …and the same run does fail where the library is wrong (zero masses), so the check can fail.
      t.true((await agreesOn(c, 'kl', cases('p-ll-q'), 20)).failed);
    });
  });
}

test('TensorFlow.js categoricalCrossentropy: crossEntropy is flagged epsilon-clipping (ε = 1e-7), on finite values and under a support mismatch alike', async (t) => {
  await withCandidate('tfjs.mjs', async (c) => {
    t.is(c.meta.precision, 'float32');
    const [r] = await runAgreement(c, { seed, runs: 200, mode: 'standard', precision: c.meta.precision, only: ['crossEntropy'] });
    t.is(r!.status, 'failed', r!.message);
    t.is(r!.diagnosis?.id, 'epsilon-clipping', r!.message);
    t.regex(r!.diagnosis!.explanation, /ε = 1e-7/);
    const [p, q] = r!.counterexample!.args as [number[], number[]];
    t.true(p.some((x, i) => x > 0 && q[i]! < 1e-7), 'some q_i < ε where p_i > 0');
    // the clipped formula explains the value; the exact one does not
    const clipped = p.reduce((s, x, i) => (x > 0 ? s - x * Math.log(Math.min(Math.max(q[i]!, 1e-7), 1 - 1e-7)) : s), 0);
    const got = r!.counterexample!.candidate as number;
    t.true(Math.abs(got - clipped) * 10 < Math.abs(got - ref.crossEntropy(p, q).toNumber()));
    // on a support mismatch: finite where the exact value is +∞
    const d = await agreesOn(c, 'crossEntropy', cases('mismatch'), 50);
    t.true(d.failed);
    const [{ args }] = d.counterexample!;
    t.is(ref.crossEntropy(...(args as [number[], number[]])).toString(), 'Infinity');
    const o = await evaluateCase({ fn: 'crossEntropy', params: ['p', 'q'], arbitrary: cases('mismatch') }, c, args, 'mismatch', { seed, runs: 1, mode: 'standard', precision: 'float32' });
    t.true(Number.isFinite(o.cx!.candidate as number));
    const dm = diagnose('crossEntropy', args, o.cx!.candidate, ref.crossEntropy(...(args as [number[], number[]])), o.cx!.error);
    t.is(dm?.id, 'epsilon-clipping'); // −p·log ε replaces +∞: the same cause as above
    t.regex(dm!.explanation, /ε = 1e-7/);
  });
});

test('TensorFlow.js categoricalCrossentropy: right where no q_i is below its ε = 1e-7 (float32 bound), ε-clipping where one is', async (t) => {
  await withCandidate('tfjs.mjs', async (c) => {
    const unclipped = cases('independent', (_p, q) => q.every((x) => x >= 1e-6));
    const d = await agreesOn(c, 'crossEntropy', unclipped, 100);
    t.false(d.failed, `counterexample: ${JSON.stringify(d.counterexample)}`);
    // A subnormal q_i where p_i is large (near-mismatch): the exact value is finite (hundreds of nats),
    // TF.js clips q_i to 1e-7 and gives ≈ 16·p_i; diagnose() reproduces that with ε = 1e-7.
    const nm = cases('near-mismatch');
    const f = await agreesOn(c, 'crossEntropy', nm, 20);
    t.true(f.failed);
    const [{ args }] = f.counterexample!;
    const spec: FunctionCases = { fn: 'crossEntropy', params: ['p', 'q'], arbitrary: nm };
    const o = await evaluateCase(spec, c, args, 'near-mismatch', { seed, runs: 1, mode: 'standard', precision: 'float32' });
    const exact = ref.crossEntropy(...(args as [number[], number[]]));
    t.true(exact.isFinite());
    const dg = diagnose('crossEntropy', args, o.cx!.candidate, exact, o.cx!.error);
    t.is(dg?.id, 'epsilon-clipping');
    t.regex(dg!.explanation, /ε = 1e-7/);
  });
});
