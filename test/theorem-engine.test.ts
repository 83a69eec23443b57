/**
 * The theorem engine: the tolerance policy from both sides, the extended reals, and the engine's
 * ability to FAIL — a wrong step, a wrong statement, instances violating a hypothesis, a bad ablation
 * arbitrary, NaN — plus false-in-general witnesses, explain's determinism and checkFloat64.
 */
import test from 'ava';
import fc from 'fast-check';
import {
  ablate, checkFloat64, checkTheorem, compare, constant, engineContext, EngineError, evaluateInstance, explainTheorem, expr,
  lnOf, magnitudeOf, Theorem, tolerance, TOLERANCE_SLACK_DIGITS, UnknownNameError, xsum,
} from '../src/theorem';
import * as ref from '../src/reference';
import { kernels } from '../src/kernels';
import { anyPair, pair } from '../src/generators';
import { decimalContext } from '../src/numeric/context';
import { gibbs, PQ } from '../properties/gibbs';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const D40 = decimalContext(40);
const D60 = decimalContext(60);

test('tolerance: a true relation passes — ln 2 from the reference and from the engine\'s logarithm', (t) => {
  const ctx = engineContext(40);
  const a = ref.kl([1], [0.5], { digits: 40 }); // log 2, correctly rounded
  const b = lnOf(2, ctx); // log 2 at 50 digits
  t.false(a.eq(b)); // they differ in the last digits…
  t.true(compare(a, '=', b, 40).holds); // …within the tolerance
  t.true(compare(a, '<=', b, 40).holds && compare(a, '>=', b, 40).holds);
  // a sum of 5 correctly rounded values against its exact value: the derived worst case is 5·½ ulp
  const v = [0.1, 0.2, 0.3, 0.7, 0.9].map((x) => ref.entropy([x, 1 - x], { digits: 40 }));
  const s = xsum(v, ctx);
  const exact = xsum([0.1, 0.2, 0.3, 0.7, 0.9].map((x) => ref.entropy([x, 1 - x], { digits: 60 })), engineContext(60));
  t.true(compare(s, '=', exact, 40).holds);
});

test('tolerance: a relation false by 10^-20 fails at 40 digits (and by 10^-36 too), but is below resolution at 10 digits', (t) => {
  const x = new D60('0.6931471805599453094172321214581765680755');
  const y = x.plus('1e-20');
  t.false(compare(x, '=', y, 40).holds);
  t.false(compare(y, '<=', x, 40).holds);
  t.false(compare(x, '>=', y, 40).holds);
  t.true(compare(x, '<', y, 40).holds);
  t.false(compare(x, '=', x.plus('1e-36'), 40).holds);
  t.true(compare(x, '=', y, 10).holds); // 10^-20 < 10^-7·(1 + …): undecidable at 10 digits, so accepted
  // the tolerance is 10^(3−digits)·(1 + M_lhs + M_rhs)
  const floor = new D40(10).pow(TOLERANCE_SLACK_DIGITS - 40);
  t.true(tolerance(new D40(0), new D40(0), 40).eq(floor));
  t.true(tolerance(new D40(1), new D40(-2), 40).eq(floor.times(4)));
  t.false(compare(new D40(0), '>=', new D40('1e-36'), 40).holds);
  t.true(compare(new D40(0), '>=', new D40('1e-38'), 40).holds); // the absolute floor
});

test('tolerance: a sum that cancels keeps the magnitude it was combined from', (t) => {
  const ctx = engineContext(40);
  const big = new D40('1000.000000000000000000000000000000000001');
  const s = xsum([big, new D40(-1000)], ctx);
  t.true(magnitudeOf(s).gte(1000) && s.abs().lt(1e-30));
  t.true(tolerance(s, new D40(0), 40).gt(tolerance(new D40(s), new D40(0), 40)));
  // an error of 1e-37 in a ±1000 cancellation is within tolerance; 1e-30 is not
  t.true(compare(s, '=', new D40(0), 40).holds);
  t.false(compare(xsum([new D40(1000).plus('1e-30'), new D40(-1000)], ctx), '=', new D40(0), 40).holds);
});

test('compare: the extended reals are compared exactly; NaN is an engine error', (t) => {
  const inf = new D40(Infinity);
  const ninf = new D40(-Infinity);
  const five = new D40(5);
  t.true(compare(inf, '=', inf, 40).holds);
  t.false(compare(inf, '=', ninf, 40).holds);
  t.true(compare(inf, '>=', five, 40).holds);
  t.false(compare(five, '>=', inf, 40).holds);
  t.true(compare(ninf, '<=', five, 40).holds);
  t.true(compare(five, '<', inf, 40).holds);
  t.false(compare(inf, '<', inf, 40).holds);
  t.true(compare(inf, '>=', inf, 40).holds);
  t.is(compare(inf, '=', inf, 40).tolerance, null);
  t.throws(() => compare(new D40(NaN), '=', five, 40), { instanceOf: EngineError });
  t.throws(() => xsum([inf, ninf], engineContext(40)), { instanceOf: EngineError, message: /∞ − ∞/ });
});

/** gibbs with one part replaced. */
function variant(changes: Partial<Theorem<PQ>>): Theorem<PQ> {
  return { ...gibbs, ...changes };
}

test('the engine fails a wrong proof step ("≤" where "≥") with a shrunk counterexample naming the step', (t) => {
  const proof = gibbs.proof.map((s) => (s.id === 'jensen' ? { ...s, relation: '<=' as const } : s));
  const r = checkTheorem(variant({ proof }), { seed: SEED, runs: 100, digits: 40 });
  t.false(r.ok);
  t.is(r.failure!.kind, 'step');
  t.is(r.failure!.name, 'jensen');
  const step = r.failure!.relation!;
  // the counterexample really violates the wrong step: lhs > rhs strictly
  t.true(new D60(step.lhs.value).gt(new D60(step.rhs.value)));
  const { p, q } = r.failure!.counterexample.instance as PQ;
  t.true(p.length <= 3, `shrunk to ${p.length} categories`);
  t.true(ref.kl(p, q).gt(0));
});

test('the engine catches a wrong statement (KL symmetric) and a wrong constant (KL ≥ 10^-30)', (t) => {
  const KL = gibbs.statements[0]!.lhs;
  const KLqp = expr<PQ>('KL(q‖p)', ({ p, q }, ctx) => ref.kl(q, p, { digits: ctx.digits }));
  const sym = checkTheorem(variant({ statements: [{ text: 'KL(p‖q) = KL(q‖p)', lhs: KL, relation: '=', rhs: KLqp }] }), { seed: SEED, runs: 100, digits: 40 });
  t.false(sym.ok);
  t.is(sym.failure!.kind, 'statement');
  t.is(sym.failure!.name, 'KL(p‖q) = KL(q‖p)');
  const { p, q } = sym.failure!.counterexample.instance as PQ;
  t.false(ref.kl(p, q).eq(ref.kl(q, p)));
  const pos = checkTheorem(variant({ statements: [{ text: 'KL(p‖q) ≥ 1e-30', lhs: KL, relation: '>=', rhs: constant('1e-30', '1e-30') }] }), { seed: SEED, runs: 100, digits: 40 });
  t.false(pos.ok);
  t.true(ref.kl((pos.failure!.counterexample.instance as PQ).p, (pos.failure!.counterexample.instance as PQ).q).lt('1e-30'));
});

test('the engine reports instances that violate a hypothesis (float-normalised pairs for gibbs)', (t) => {
  const r = checkTheorem(variant({ instances: pair({ relation: 'independent', maxLength: 6 }) }), { seed: SEED, runs: 100, digits: 40 });
  t.false(r.ok);
  t.is(r.failure!.kind, 'hypothesis');
  t.regex(r.failure!.name, /sums-to-one/);
});

test('NaN or an undefined expression is an EngineError, not a counterexample', (t) => {
  const nan = expr<PQ>('NaN', (_x, ctx) => new ctx.D(NaN));
  t.throws(() => checkTheorem(variant({ statements: [{ text: 'NaN = 0', lhs: nan, relation: '=', rhs: constant('0', 0) }] }), { seed: SEED, runs: 10, digits: 40 }),
    { instanceOf: EngineError, message: /NaN/ });
  const throwing = expr<PQ>('kl(p, −q)', ({ p, q }, ctx) => ref.kl(p, q.map((x) => -x - 1), { digits: ctx.digits }));
  t.throws(() => evaluateInstance(variant({ statements: [{ text: 'x', lhs: throwing, relation: '=', rhs: constant('0', 0) }] }), { p: [1], q: [1] }, 40),
    { instanceOf: EngineError, message: /cannot be evaluated/ });
});

test('ablate: an arbitrary that draws instances satisfying the dropped hypothesis is an EngineError; unknown ids are usage errors', (t) => {
  const bad = variant({ ablations: [...gibbs.ablations.filter((a) => a.hypothesis !== 'q-sums-to-one'), { hypothesis: 'q-sums-to-one', arbitrary: gibbs.instances }] });
  t.throws(() => ablate(bad, 'q-sums-to-one', { seed: SEED, runs: 20, digits: 40 }), { instanceOf: EngineError, message: /satisfies 'q-sums-to-one'/ });
  const e = t.throws(() => ablate(gibbs, 'absolute-continuity', { seed: SEED, runs: 20, digits: 40 }), { instanceOf: UnknownNameError });
  t.regex(e!.message, /valid hypotheses: p-nonneg, q-nonneg, p-sums-to-one, q-sums-to-one/);
});

test('ablate: a search that finds nothing says so (counterexample null, searched)', (t) => {
  // "dropping" q-sums-to-one but drawing only q with Σq < 1: KL ≥ −log Σq > 0, no counterexample exists there
  const small = anyPair({ exact: true, maxLength: 4, relations: ['independent'] }).map(({ p, q }) => ({ p, q: q.map((x) => x / 2) }));
  const th = variant({ ablations: [...gibbs.ablations.filter((a) => a.hypothesis !== 'q-sums-to-one'), { hypothesis: 'q-sums-to-one', arbitrary: small }] });
  const r = ablate(th, 'q-sums-to-one', { seed: SEED, runs: 50, digits: 40 });
  t.true(r.searched);
  t.is(r.counterexample, null);
  t.regex(r.reason, /no counterexample found in 50 instances/);
});

test('false-in-general: the engine finds and shrinks a witness for each statement (KL asymmetry)', (t) => {
  const KL = gibbs.statements[0]!.lhs;
  const KLqp = expr<PQ>('KL(q‖p)', ({ p, q }, ctx) => ref.kl(q, p, { digits: ctx.digits }));
  const asym: Theorem<PQ> = { ...gibbs, id: 'asym', kind: 'false-in-general', statements: [{ text: 'KL(p‖q) = KL(q‖p)', lhs: KL, relation: '=', rhs: KLqp }], proof: [], ablations: [] };
  const r = checkTheorem(asym, { seed: SEED, runs: 100, digits: 40 });
  t.true(r.ok, r.message);
  t.is(r.witnesses.length, 1);
  const w = r.witnesses[0]!;
  const { p, q } = w.witness!.instance as PQ;
  t.false(ref.kl(p, q).eq(ref.kl(q, p)));
  t.true(p.length <= 3);
  // a "false-in-general" statement that is in fact always true has no witness: reported, not ok
  const always: Theorem<PQ> = { ...asym, statements: [gibbs.statements[0]!] };
  const r2 = checkTheorem(always, { seed: SEED, runs: 50, digits: 40 });
  t.false(r2.ok);
  t.is(r2.witnesses[0]!.witness, null);
});

test('explain: deterministic in the seed, a small readable instance, every value reported', (t) => {
  const a = explainTheorem(gibbs, { seed: 7, digits: 40 });
  const b = explainTheorem(gibbs, { seed: 7, digits: 40 });
  t.deepEqual(a, b);
  t.true(JSON.stringify(a.instance).length <= 200);
  t.is(a.steps.length, gibbs.proof.length);
  t.true(a.steps.every((s) => s.holds && s.lhs.value.length > 0 && s.rhs.value.length > 0));
  t.true(a.hypotheses.every((h) => h.holds));
  const c = explainTheorem(gibbs, { seed: 7, digits: 60 });
  t.true(c.steps[0]!.lhs.value.replace(/[-.]|e.*$/g, '').length >= a.steps[0]!.lhs.value.replace(/[-.]|e.*$/g, '').length);
});

test('checkFloat64: a wrong candidate fails with a shrunk instance; a missing function skips; notes are not failures', (t) => {
  const ok = checkFloat64(gibbs, kernels, { seed: SEED, runs: 100, mode: 'standard' });
  t.is(ok.status, 'passed');
  // kl dropping terms where q < 1e-300 (a real bug: finite KL under near-mismatch… and under mismatch)
  const dropping = { kl: (p: readonly number[], q: readonly number[]) => kernels.kl(p.filter((_, i) => q[i]! > 1e-300), q.filter((x) => x > 1e-300)) };
  const bad = checkFloat64(gibbs, dropping, { seed: SEED, runs: 200, mode: 'standard' });
  t.is(bad.status, 'failed');
  t.truthy(bad.failure);
  t.true((bad.failure!.instance as PQ).p.length <= 3);
  // a candidate that throws fails (with its message)
  const throwing = { kl: () => { throw new RangeError('boom'); } };
  const thr = checkFloat64(gibbs, throwing, { seed: SEED, runs: 10, mode: 'standard' });
  t.is(thr.status, 'failed');
  t.regex(thr.failure!.message, /boom/);
  t.is(checkFloat64(gibbs, {}, { seed: SEED, runs: 10, mode: 'standard' }).status, 'skipped');
});
