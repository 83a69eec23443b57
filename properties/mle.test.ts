import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { ablate, checkFloat64, checkTheorem, compare } from '../src/theorem';
import { kernels } from '../src/kernels';
import { crossEntropy } from '../src/reference';
import { decimalContext } from '../src/numeric/context';
import { toDecimal } from '../src/numeric/exact';
import { sumsExactlyToOne } from '../src/generators';
import { empirical, mle, MleInstance } from './mle';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const D = decimalContext(60);

/** Mean NLL −(1/N) Σ log v(x_k) with decimal.js's ln (independent of the engine's logarithms). */
function nll(sample: number[], v: number[]): Decimal {
  let s = new D(0);
  const logs = new Map<number, Decimal>();
  for (const x of sample) {
    if (v[x] === 0) return new D(Infinity);
    let l = logs.get(x);
    if (l === undefined) logs.set(x, (l = toDecimal(v[x]!, D).ln()));
    s = s.minus(l);
  }
  return s.div(sample.length);
}

function isEmpirical(sample: number[], p: number[]): boolean {
  return p.every((pi, i) => toDecimal(pi, D).times(sample.length).eq(sample.filter((x) => x === i).length));
}

test('mle: cross-entropy = mean NLL, minimised at the empirical distribution; every proof step (120 instances, 40 digits)', (t) => {
  const r = checkTheorem(mle, { seed: SEED, runs: 120, digits: 40 });
  t.true(r.ok, r.message);
});

test('mle: H(p̂, q) equals the mean NLL computed with decimal.js, and q = p̂ attains the minimum', (t) => {
  fc.assert(
    fc.property(mle.instances, ({ sample, p, q }) => {
      const ce = crossEntropy(p, q, { digits: 40 });
      const n = nll(sample, q);
      const same = !ce.isFinite() ? !n.isFinite() : compare(ce, '=', n, 40).holds;
      const min = nll(sample, p);
      return same && (n.isFinite() ? compare(n, '>=', min, 40).holds : true);
    }),
    { numRuns: 60 },
  );
  const sample = [0, 1, 1, 2];
  t.deepEqual(empirical(sample, 3), [0.25, 0.5, 0.25]);
  t.true(crossEntropy([0.25, 0.5, 0.25], [0.25, 0.5, 0.25], { digits: 40 }).eq(nll(sample, [0.25, 0.5, 0.25]).toSignificantDigits(40)));
});

for (const h of ['p-empirical', 'q-sums-to-one'] as const) {
  test(`mle: without ${h} a counterexample is found and re-checked (decimal.js NLLs, reference cross-entropy)`, (t) => {
    const r = ablate(mle, h, { seed: SEED, runs: 100, digits: 40 });
    t.truthy(r.counterexample, r.reason);
    const { sample, p, q } = r.counterexample!.instance as MleInstance;
    t.is(isEmpirical(sample, p), h !== 'p-empirical');
    t.is(sumsExactlyToOne(q), h !== 'q-sums-to-one');
    const ce = crossEntropy(p, q, { digits: 40 });
    const nq = nll(sample, q);
    const np = nll(sample, p);
    const identityFails = ce.isFinite() !== nq.isFinite() || (ce.isFinite() && !compare(ce, '=', nq, 40).holds);
    const mleFails = nq.isFinite() ? compare(nq, '<', np, 40).holds : false;
    t.true(identityFails || mleFails);
    t.true(q.length <= 3 && sample.length <= 4);
    t.true(r.failingStep!.uses!.includes(h));
    t.log(r.reason);
  });
}

test('mle: float64 — kernels pass (standard, strict); a log-base-2 cross-entropy fails', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    t.is(checkFloat64(mle, kernels, { seed: SEED, runs: 100, mode }).status, 'passed');
  }
  const log2 = {
    crossEntropy: (p: number[], q: number[]) => -p.reduce((s, pi, i) => (pi === 0 ? s : s + pi * Math.log2(q[i]!)), 0),
    entropy: kernels.entropy,
  };
  t.is(checkFloat64(mle, log2, { seed: SEED, runs: 100, mode: 'standard' }).status, 'failed');
});
