/** cross-entropy-decomposition: algebra in the extended reals; no ablation has a counterexample, and the reasons are checked. */
import test from 'ava';
import fc from 'fast-check';
import { ablate, checkFloat64, checkTheorem, dec, engineContext, evaluateInstance, lnOf, xsum } from '../src/theorem';
import { kernels } from '../src/kernels';
import * as ref from '../src/reference';
import { anyPair, unnormalized } from '../src/generators';
import { crossEntropyDecomposition as th } from './cross-entropy-decomposition';
import type { PQ } from './gibbs';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;

test('cross-entropy-decomposition: the statement and every step hold at 40 digits (100 exact instances, +∞ included)', (t) => {
  const r = checkTheorem(th, { seed: SEED, runs: 100, digits: 40 });
  t.true(r.ok, r.message);
  const draws = fc.sample(th.instances, { seed: SEED, numRuns: 100 });
  t.true(draws.some(({ p, q }) => !ref.crossEntropy(p, q).isFinite()), 'some instances have H(p, q) = +∞');
});

test('cross-entropy-decomposition: every ablation states why no counterexample exists', (t) => {
  for (const h of th.hypotheses) {
    const r = ablate(th, h.id, { seed: SEED, runs: 10, digits: 40 });
    t.is(r.counterexample, null, h.id);
    t.false(r.searched);
    t.regex(r.reason, /^no counterexample exists/);
  }
});

test('cross-entropy-decomposition: the sums-to-one reasons hold — the identity and its steps hold on unnormalised and float-normalised pairs', (t) => {
  // equal-length unnormalised pairs (sums 0, ≤ ½ or ≥ 2), and float-normalised pairs (Σ ≠ 1 by ulps)
  const unnormalisedPairs = fc
    .tuple(unnormalized({ maxLength: 6 }), unnormalized({ maxLength: 6 }))
    .map(([a, b]): PQ => {
      const n = Math.min(a.length, b.length);
      return { p: a.slice(0, n), q: b.slice(0, n), relation: 'unnormalised' };
    });
  const floatPairs = anyPair({ maxLength: 12 }).filter(({ p, q }) => !th.hypotheses[2]!.holds({ p, q }) || !th.hypotheses[3]!.holds({ p, q }));
  for (const arb of [unnormalisedPairs, floatPairs]) {
    fc.assert(fc.property(arb, (x) => {
      const r = evaluateInstance(th, x, 40);
      return r.statements.every((s) => s.holds) && r.steps.every((s) => s.holds);
    }), { seed: SEED, numRuns: 80 });
  }
  t.pass();
});

test('cross-entropy-decomposition: the q-nonneg reason holds — a negative q_i where p_i = 0 changes nothing', (t) => {
  // Σ over supp p by definition: the full-vector sums (own arithmetic, terms p_i = 0 skipped) equal the reference on the restriction.
  const ctx = engineContext(40);
  fc.assert(fc.property(
    fc.tuple(anyPair({ exact: true, maxLength: 6, relations: ['independent', 'near-equal', 'q-ll-p'] }), fc.integer({ min: 1, max: 8 })),
    ([{ p, q }, c]) => {
      const P = [...p, 0];
      const Q = [...q, -c];
      const S = P.map((_, i) => i).filter((i) => P[i]! > 0);
      const term = (i: number) => (Q[i] === 0 ? new ctx.D(Infinity) : dec(P[i]!, ctx).times(lnOf(Q[i]!, ctx)).neg());
      const Hpq = xsum(S.map(term), ctx);
      const Hp = ref.entropy(S.map((i) => P[i]!));
      const KL = ref.kl(S.map((i) => P[i]!), S.map((i) => Q[i]!));
      const rhs = xsum([Hp, KL], ctx);
      if (!Hpq.isFinite()) return rhs.eq(Hpq);
      return Hpq.minus(rhs).abs().lt(1e-36);
    },
  ), { seed: SEED, numRuns: 60 });
  t.pass();
});

test('cross-entropy-decomposition: float64 — |H(p,q) − H(p) − KL| within the sum of the three bounds (standard and strict)', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    const r = checkFloat64(th, kernels, { seed: SEED, runs: 200, mode });
    t.is(r.status, 'passed', r.message);
  }
  // a candidate whose cross-entropy drops tiny masses breaks the identity
  const clipped = { ...kernels, crossEntropy: (p: readonly number[], q: readonly number[]) => kernels.crossEntropy(p, q.map((x) => Math.max(x, 1e-12))) };
  t.is(checkFloat64(th, clipped, { seed: SEED, runs: 200, mode: 'standard' }).status, 'failed');
});
