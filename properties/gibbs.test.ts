/** gibbs: the proof chain in arbitrary precision, each hypothesis dropped, and the float64 lesson. */
import test from 'ava';
import fc from 'fast-check';
import { ablate, AblationReport, checkFloat64, checkTheorem, engineContext, evaluateInstance, exactSum } from '../src/theorem';
import { kernels } from '../src/kernels';
import * as ref from '../src/reference';
import { anyPair, pair, sumsExactlyToOne } from '../src/generators';
import { sumsExactlyToOne as signedSumsExactlyToOne } from '../src/numeric/accuracy';
import { gibbs, PQ } from './gibbs';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
/** The seed of the documented counterexamples (docs/theorems.md, `klcheck explain … --drop …`). */
const DOC_SEED = 20261123;

test('gibbs: every statement and every proof step holds at 40 digits (100 exact instances)', (t) => {
  const r = checkTheorem(gibbs, { seed: SEED, runs: 100, digits: 40 });
  t.true(r.ok, r.message);
});

test('gibbs: the instances reach mismatch, equality and near-equality (the statements are not vacuous)', (t) => {
  const draws = fc.sample(gibbs.instances, { seed: SEED, numRuns: 200 });
  t.true(draws.some(({ p, q }) => ref.kl(p, q).isFinite() === false)); // KL = +∞: no absolute continuity
  t.true(draws.some(({ p, q }) => ref.kl(p, q).isZero())); // equality case
  t.true(draws.some(({ p, q }) => { const v = ref.kl(p, q); return v.isFinite() && v.gt(0) && v.lt(1e-20); }));
  t.true(draws.every(({ p, q }) => sumsExactlyToOne(p) && sumsExactlyToOne(q)));
});

/** Re-checks an ablation counterexample in the reference, independently of the theorem's expressions. */
function recheck(t: import('ava').ExecutionContext, r: AblationReport): void {
  const x = r.counterexample!.instance as PQ;
  const { p, q } = x;
  t.true(p.length <= 3, `${r.dropped}: ${p.length} categories`);
  // KL sums over supp p (q may be negative off supp p in the q-nonneg ablation): the reference on the restriction.
  const S = p.map((_, i) => i).filter((i) => p[i]! > 0);
  const klv = ref.kl(S.map((i) => p[i]!), S.map((i) => q[i]!), { digits: 60 });
  t.true(klv.isNegative() && !klv.isZero(), `${r.dropped}: KL = ${klv.toString()} should be < 0`);
  const holds: Record<string, boolean> = {
    'p-nonneg': p.every((v) => v >= 0),
    'q-nonneg': q.every((v) => v >= 0),
    'p-sums-to-one': signedSumsExactlyToOne(p),
    'q-sums-to-one': signedSumsExactlyToOne(q),
  };
  for (const [id, h] of Object.entries(holds)) t.is(h, id !== r.dropped, `${r.dropped}: hypothesis ${id}`);
  // the first failing step uses the dropped hypothesis, and every earlier step holds
  t.truthy(r.failingStep);
  t.true(r.failingStep!.uses!.includes(r.dropped), `${r.dropped}: failing step ${r.failingStep!.id} uses ${r.failingStep!.uses}`);
  const steps = r.counterexample!.steps;
  t.true(steps.slice(0, r.failingStep!.index - 1).every((s) => s.holds));
}

for (const dropped of ['q-nonneg', 'p-sums-to-one', 'q-sums-to-one']) {
  test(`gibbs without ${dropped}: a shrunk counterexample (≤ 3 categories), re-checked in the reference`, (t) => {
    const r = ablate(gibbs, dropped, { seed: SEED, runs: 100, digits: 40 });
    t.truthy(r.counterexample, r.reason);
    recheck(t, r);
  });
}

test('gibbs: the documented counterexamples (seed 20261123) and their failing steps', (t) => {
  const expect: Record<string, [PQ, string]> = {
    'q-nonneg': [{ p: [1, 0], q: [2, -1] }, 'drop-off-support'],
    'p-sums-to-one': [{ p: [0.5], q: [1] }, 'jensen'],
    'q-sums-to-one': [{ p: [1], q: [2] }, 'normalised'],
  };
  for (const [dropped, [x, step]] of Object.entries(expect)) {
    const r = ablate(gibbs, dropped, { seed: DOC_SEED, runs: 100, digits: 40 });
    const got = r.counterexample!.instance as PQ;
    t.deepEqual({ p: got.p, q: got.q }, x, dropped);
    t.is(r.failingStep!.id, step, dropped);
    t.is(r.statement!.text, 'KL(p‖q) ≥ 0');
  }
  // q-sums-to-one: KL = −log 2 exactly as the reference computes it
  const r = ablate(gibbs, 'q-sums-to-one', { seed: DOC_SEED, runs: 100, digits: 40 });
  t.is(r.statement!.lhs.value, ref.kl([1], [2]).toString());
});

test('gibbs without p-nonneg: no counterexample, and the stated reason holds (negative p drops out of the sum over supp p)', (t) => {
  const r = ablate(gibbs, 'p-nonneg', { seed: SEED, runs: 50, digits: 40 });
  t.is(r.counterexample, null);
  t.false(r.searched);
  t.regex(r.reason, /log-sum inequality/);
  // The claim: with p_i < 0 somewhere (Σp = 1, q an exact distribution), KL over supp p is > 0 and the
  // equality case is not reached — the statements hold. Instances: exact pairs, then mass moved to a negative entry.
  const negP = fc
    .tuple(anyPair({ exact: true, maxLength: 6, relations: ['independent', 'p-ll-q', 'near-equal', 'equal'] }), fc.integer({ min: 1, max: 4 }))
    .map(([{ p, q }, k]): PQ => {
      const c = 2 ** -k; // p gets an extra category −c and its largest entry +c: Σp = 1 still
      let j = 0;
      for (let i = 1; i < p.length; i++) if (p[i]! > p[j]!) j = i;
      const p2 = p.slice();
      p2[j] = p2[j]! + c;
      return { p: [...p2, -c], q: [...q, 0], relation: 'p negative' };
    })
    .filter(({ p }) => signedSumsExactlyToOne(p));
  fc.assert(fc.property(negP, (x) => {
    const rep = evaluateInstance(gibbs, x, 40);
    return rep.statements.every((s) => s.holds) && rep.statements[0]!.lhs.value !== '0';
  }), { seed: SEED, numRuns: 60 });
});

test('gibbs: float64 — the kernels satisfy KL ≥ −bound on float-normalised and dyadic pairs; notes are reports', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    const r = checkFloat64(gibbs, kernels, { seed: SEED, runs: 300, mode });
    t.is(r.status, 'passed', r.message);
  }
});

test('gibbs: float64 lesson — a float-normalised near-equal pair has exact KL < 0, dyadic pairs never do', (t) => {
  // Such an instance exists: float-normalised near-equal pairs, exact KL < 0 because Σp ≠ Σq.
  const floats = fc.sample(pair({ relation: 'near-equal', maxLength: 8 }), { seed: SEED, numRuns: 400 })
    .filter(({ p, q }) => !(sumsExactlyToOne(p) && sumsExactlyToOne(q)));
  const negative = floats.filter(({ p, q }) => ref.kl(p, q).isNegative());
  t.true(negative.length > 0, 'no float-normalised pair with exact KL < 0 among 400 draws');
  for (const { p, q } of negative) {
    const v = ref.kl(p, q);
    t.true(v.abs().lt(1e-14), `${v.toString()} is rounding-sized`);
    // the cause: Σp < Σq (by the log-sum inequality KL ≥ Σp·log(Σp/Σq), which is < 0 only if Σp < Σq)
    const ctx = engineContext(40);
    t.true(exactSum(p, ctx).lt(exactSum(q, ctx)), `Σp < Σq for p = ${p}, q = ${q}`);
  }
  // The checkFloat64 run reports them as notes (not failures), and each note is such an instance.
  const r = checkFloat64(gibbs, kernels, { seed: SEED, runs: 300, mode: 'standard' });
  t.is(r.status, 'passed');
  t.true(r.noteCount > 0, 'expected notes on float-normalised pairs');
  for (const n of r.notes) {
    const { p, q } = n.instance as PQ;
    t.true(ref.kl(p, q).isNegative());
    t.false(sumsExactlyToOne(p) && sumsExactlyToOne(q));
  }
  // On dyadic (exactly normalised) pairs the exact KL is never negative.
  fc.assert(fc.property(anyPair({ exact: true, maxLength: 24 }), ({ p, q }) => !ref.kl(p, q).isNegative() || ref.kl(p, q).isZero()), { seed: SEED, numRuns: 300 });
});
