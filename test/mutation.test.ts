/**
 * Mutation test of the default arbitraries (issue 3): each deliberately wrong function — a bug that
 * real libraries have shipped — must be caught by the agreement property within 200 runs, and the
 * shrunk counterexample must really show the bug in the reference. The correct kernels must pass the
 * same runs (so the property is not simply rejecting everything).
 */
import test from 'ava';
import { runAgreement, RunOptions } from '../src/harness/agreement';
import { kernels } from '../src/kernels';
import * as ref from '../src/reference';
import { judge } from '../src/numeric/accuracy';

const opts: RunOptions = { seed: 20261123, runs: 200, mode: 'standard', precision: 'float64' };

type V = number[];
const mutants: Array<{ name: string; fn: string; impl: (...a: never[]) => unknown; confirm: (args: unknown[], got: unknown) => boolean }> = [
  {
    name: 'kl that gives NaN at p_i = 0 (missing 0·log 0 = 0)',
    fn: 'kl',
    impl: ((p: V, q: V) => p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]!), 0)) as never,
    confirm: (_a, got) => Number.isNaN(got as number),
  },
  {
    name: 'kl that skips terms with q_i = 0 (finite under support mismatch)',
    fn: 'kl',
    impl: ((p: V, q: V) => p.reduce((s, pi, i) => (pi > 0 && q[i]! > 0 ? s + pi * Math.log(pi / q[i]!) : s), 0)) as never,
    confirm: ([p, q], got) => ref.kl(p as V, q as V).toString() === 'Infinity' && Number.isFinite(got as number),
  },
  {
    name: 'kl as p·log(p/q) (p/q overflows to +∞ at subnormal q)',
    fn: 'kl',
    impl: ((p: V, q: V) => p.reduce((s, pi, i) => (pi > 0 ? s + pi * Math.log(pi / q[i]!) : s), 0)) as never,
    confirm: ([p, q], got) => got === Infinity && ref.kl(p as V, q as V).isFinite(),
  },
  {
    name: 'kl with q clipped at 1e-12',
    fn: 'kl',
    impl: ((p: V, q: V) => p.reduce((s, pi, i) => (pi > 0 ? s + pi * Math.log(pi / Math.max(q[i]!, 1e-12)) : s), 0)) as never,
    confirm: ([p, q], got) => !judge('kl', [p, q], got as number, ref.kl(p as V, q as V), opts).ok,
  },
  {
    name: 'kl with swapped arguments',
    fn: 'kl',
    impl: ((p: V, q: V) => kernels.kl(q, p)) as never,
    confirm: ([p, q], got) => !judge('kl', [p, q], got as number, ref.kl(p as V, q as V), opts).ok,
  },
  {
    name: 'entropy as p·log(1/p) (1/p overflows at subnormal p)',
    fn: 'entropy',
    impl: ((p: V) => p.reduce((s, pi) => (pi > 0 ? s + pi * Math.log(1 / pi) : s), 0)) as never,
    confirm: ([p], got) => got === Infinity && ref.entropy(p as V).isFinite(),
  },
  {
    name: 'log evidence without the max shift (−∞ near −1000, digits lost among the subnormals, +∞ above 709)',
    fn: 'logEvidence',
    impl: ((l: V) => Math.log(l.reduce((s, x) => s + Math.exp(x), 0))) as never,
    confirm: ([l], got) => {
      const exact = ref.logEvidence(l as V);
      if (!exact.isFinite()) return false;
      if (!Number.isFinite(got as number)) return true;
      return (l as V).some((x) => Math.exp(x) < 2 ** -1022) && !judge('logEvidence', [l], got as number, exact).ok;
    },
  },
  {
    name: 'ELBO that gives NaN where q(z) = 0 and log p(x, z) = −∞',
    fn: 'elbo',
    impl: ((l: V, q: V) => q.reduce((s, qz, z) => s + qz * (l[z]! - Math.log(qz)), 0)) as never,
    confirm: (_a, got) => Number.isNaN(got as number),
  },
];

for (const m of mutants) {
  test(`caught within 200 runs: ${m.name}`, async (t) => {
    const [r] = await runAgreement({ [m.fn]: m.impl }, { ...opts, only: [m.fn] });
    t.is(r!.status, 'failed', r!.message);
    const cx = r!.counterexample!;
    t.truthy(cx, 'a shrunk counterexample is reported');
    t.true(m.confirm(cx.args, cx.candidate), `the counterexample shows the bug: ${JSON.stringify(cx.args)} → ${String(cx.candidate)}`);
    t.log(`${r!.message} | shrunk input (${cx.label}): ${JSON.stringify(cx.args, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`);
  });
}

test('the correct kernels pass the same 200 runs', async (t) => {
  const results = await runAgreement(kernels, { ...opts, only: ['kl', 'entropy', 'logEvidence', 'elbo'] });
  for (const r of results) t.is(r.status, 'passed', `${r.property}: ${r.message}`);
});
