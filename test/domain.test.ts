/**
 * The contract's domains (src/contract.ts) and the rule that follows from them: a candidate is
 * called only inside its function's domain. From both sides:
 *  - correct kl's that use the contract's promise (generalised terms, normalise first, clamp at 0;
 *    test/support/domain-variants.ts) pass every theorem and the agreement checks;
 *  - the wrong implementations of examples/gallery still fail;
 *  - a theorem check that calls outside the domain stops the run with an internal error naming the
 *    theorem and the call, and the built-in kernels, run through every theorem on many instances,
 *    are never called outside it.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { CONTRACT_DOMAINS, distributionSlack, inDomain, isDistribution } from '../src/numeric/domain';
import { inProcessCandidate } from '../src/harness/candidate';
import { CONTRACT, CONTRACT_FUNCTIONS, ContractEntry, INVALID_TARGETS } from '../src/contract';
import { INVALID_TARGET_OF } from '../src/harness/robustness';
import { STANDARD_C, STRICT_ULPS, VECTOR_VALUED } from '../src/numeric/accuracy';
import { FUNCTION_CASES } from '../src/harness/cases';
import { runAgreement } from '../src/harness/agreement';
import { evaluateTheoremCheck, runTheorems, TheoremDomainError } from '../src/harness/theorems';
import { loadModuleCandidate } from '../src/harness/module';
import { kernels } from '../src/kernels';
import * as ref from '../src/reference';
import { THEOREMS, gibbs, elboIdentity } from '../properties';
import { massKl, normaliseInDomain } from '../properties/_shared/masses';
import { distribution, unnormalized } from '../src/generators';
import type { Theorem } from '../src/theorem';
import { DOMAIN_VARIANTS, generalizedTermsKl, withKl } from './support/domain-variants';

const SEED = 20261123;
const u = 2 ** -53;

// -------------------------------------------------------------------------------------------------
// The table

test('one contract table: the domains, the cases, the invalid-input targets, the accuracy constants, the kernels and the reference all derive from it', (t) => {
  t.deepEqual(FUNCTION_CASES.map((c) => c.fn), [...CONTRACT_FUNCTIONS], 'every contract function has cases, in the table\'s order');
  for (const fn of CONTRACT_FUNCTIONS) {
    const e: ContractEntry = CONTRACT[fn];
    t.deepEqual(CONTRACT_DOMAINS[fn]!.params, e.params, fn);
    t.deepEqual(FUNCTION_CASES.find((c) => c.fn === fn)!.params, e.params.map((p) => p.name), fn);
    t.is<string | undefined, string | undefined>(INVALID_TARGET_OF[fn], e.invalidTarget ?? undefined, fn);
    if (e.invalidTarget !== null) t.true(INVALID_TARGETS.includes(e.invalidTarget), fn);
    t.is(STANDARD_C[fn], e.standardC, fn);
    t.is(STRICT_ULPS[fn], e.strict.ulps, fn);
    t.is(VECTOR_VALUED.has(fn), e.result === 'vector', fn);
    t.is(typeof (kernels as Record<string, unknown>)[fn], 'function', `kernel ${fn}`);
    t.is(typeof (ref as Record<string, unknown>)[fn], 'function', `reference ${fn}`);
    t.is((kernels as Record<string, (...a: unknown[]) => unknown>)[fn]!.length, e.params.length, `kernel ${fn} arity`);
  }
  t.deepEqual(Object.keys(CONTRACT_DOMAINS), [...CONTRACT_FUNCTIONS]);
});

test('inDomain, from both sides: distributions within γ_{n+1}, not masses; the other kinds', (t) => {
  t.deepEqual(inDomain('kl', [[0.5, 0.5], [1, 0]]), { ok: true });
  t.deepEqual(inDomain('kl', [[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]]), { ok: true }); // float decimals: Σ ≠ 1 by an ulp
  const off = inDomain('kl', [[1], [2]]);
  t.false(off.ok);
  t.regex((off as { reason: string }).reason, /'q' is not a distribution/);
  t.false(inDomain('kl', [[0.5, 0.5], [0.5, 0.5, 0]]).ok);
  t.false(inDomain('kl', [[0.5, NaN], [0.5, 0.5]]).ok);
  t.false(inDomain('kl', [[1.5, -0.5], [0.5, 0.5]]).ok);
  t.false(inDomain('kl', [[], []]).ok);
  t.false(inDomain('entropy', [[0.5, 0.5 + 8 * u]]).ok, 'Σ = 1 + 8u > 1 + γ_3');
  t.true(inDomain('entropy', [[0.5, 0.5 + 2 * u]]).ok, 'Σ = 1 + 2u ≤ γ_3');
  t.true(inDomain('generalizedKl', [[1], [2]]).ok);
  t.true(inDomain('generalizedKl', [[0, 0], [0, 3]]).ok);
  t.false(inDomain('generalizedKl', [[1], [-2]]).ok);
  t.true(inDomain('logEvidence', [[-Infinity, -Infinity]]).ok);
  t.false(inDomain('posterior', [[-Infinity, -Infinity]]).ok);
  t.false(inDomain('logEvidence', [[0, Infinity]]).ok);
  t.true(inDomain('elbo', [[-1, -Infinity], [1, 0]]).ok);
  t.false(inDomain('elbo', [[-1, -2], [2, 0]]).ok);
  t.true(inDomain('klNormal', [0, 1, -3, 2]).ok);
  t.false(inDomain('klNormal', [0, 0, -3, 2]).ok);
  t.false(inDomain('klNormalDiag', [[0], [1], [0, 1], [1, 1]]).ok);
  t.false(inDomain('nope', []).ok);
  // The slack is what float normalisation w_i/Σw gives (docs/contract.md), checked on draws:
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 2 ** 30 }), { minLength: 1, maxLength: 200 }), (w) => {
    let S = 0;
    for (const x of w) S += x;
    return isDistribution(w.map((x) => x / S));
  }), { seed: SEED, numRuns: 300 });
  t.is(distributionSlack(1), 2 * u / (1 - 2 * u));
});

test('the agreement checks draw only inside each function\'s domain (every class of every arbitrary)', (t) => {
  for (const c of FUNCTION_CASES) {
    for (const cs of fc.sample(c.arbitrary, { seed: SEED, numRuns: 1500 })) {
      const d = inDomain(c.fn, cs.args);
      if (!d.ok) t.fail(`${c.fn} (${cs.label}): ${d.reason}`);
    }
  }
  t.pass();
});

// -------------------------------------------------------------------------------------------------
// The proxy: calls outside the domain are bugs of the theorem

/** A toy theorem whose check calls kl on masses, as support and log-sum used to. */
const outside: Theorem<{ p: number[] }> = {
  ...(gibbs as unknown as Theorem<{ p: number[] }>),
  id: 'calls-outside',
  instances: fc.constant({ p: [1] }),
  float64: {
    functions: ['kl'],
    check({ p }, c) {
      const kl = c.kl as unknown as (a: number[], b: number[]) => number;
      return { ok: kl(p, [2]) === -Math.LN2 };
    },
  },
};

test('a check calling outside the domain stops the run with an internal error naming the theorem and the call; the candidate never sees it', async (t) => {
  let seen = 0;
  const counting = { kl: (p: number[], q: number[]) => { seen++; return kernels.kl(p, q); } };
  const e = await t.throwsAsync(runTheorems(counting, [outside], { seed: SEED, runs: 5, mode: 'standard' }), { instanceOf: TheoremDomainError });
  t.regex(e!.message, /theorem 'calls-outside' called kl\(\[1\], \[2\]\) outside the contract's domain/);
  t.regex(e!.message, /'q' is not a distribution/);
  t.is(seen, 0);
  // Even when the check swallows the error itself.
  const swallowing: Theorem<{ p: number[] }> = {
    ...outside,
    id: 'swallows',
    float64: { functions: ['kl'], check: (i, c) => { try { return outside.float64!.check(i, c); } catch { return { ok: true }; } } },
  };
  await t.throwsAsync(runTheorems(counting, [swallowing], { seed: SEED, runs: 5, mode: 'standard' }), { instanceOf: TheoremDomainError, message: /'swallows'/ });
  // Through an asynchronous handle (module workers, subprocesses) too.
  const h = { ...inProcessCandidate(counting, { name: 'k', precision: 'float64', base: 'e' }, 'module', 'test'), callSync: undefined };
  await t.throwsAsync(evaluateTheoremCheck(outside, { p: [1] }, h, { mode: 'standard' }), { instanceOf: TheoremDomainError });
  t.is(seen, 0);
});

test('arguments built from a placeholder (memoised re-execution) are not domain errors; the final pass is checked', async (t) => {
  const dependent: Theorem<{ p: number[] }> = {
    ...outside,
    id: 'dependent',
    float64: {
      functions: ['kl'],
      check({ p }, c) {
        const kl = c.kl as unknown as (a: number[], b: number[]) => number;
        const v = kl(p, [0.25, 0.75]); // NaN (placeholder) in the first pass
        const w = kl(p, [0.5 + v * 0, 0.5]); // [NaN, 0.5] in the first pass: outside, but discarded
        return { ok: w === 0 };
      },
    },
  };
  const h = { ...inProcessCandidate(kernels, { name: 'k', precision: 'float64', base: 'e' }, 'module', 'test'), callSync: undefined };
  const r = await evaluateTheoremCheck(dependent, { p: [0.5, 0.5] }, h, { mode: 'standard' });
  t.true(r.ok, r.message);
  t.true(r.calls.every((c) => inDomain(c.fn, c.args).ok));
});

test('every theorem\'s float64 check, run with the built-in kernels on many instances, calls only inside the domain', async (t) => {
  for (const seed of [SEED, 7]) {
    // runTheorems throws TheoremDomainError on the first call outside the domain.
    const rs = await runTheorems(kernels, THEOREMS, { seed, runs: 300, mode: 'standard' });
    for (const r of rs) t.is(r.status, 'passed', `${r.property}: ${r.message}`);
  }
});

test('support and log-sum build every Σ a·log(a/b) of their instances inside the domain: none is skipped', (t) => {
  let built = 0;
  for (const id of ['support', 'log-sum']) {
    const th = THEOREMS.find((x) => x.id === id)!;
    for (const inst of fc.sample(th.float64!.instances ?? th.instances, { seed: SEED, numRuns: 2000 })) {
      const r = th.float64!.check(inst, kernels as never, { mode: 'standard' });
      t.true(r.ok, `${id}: ${r.message}`);
      if (r.note !== undefined && /not checked/.test(r.note)) t.fail(`${id} skipped ${th.describe(inst)}: ${r.note}`);
      built++;
    }
  }
  t.is(built, 4000);
});

// -------------------------------------------------------------------------------------------------
// Σ a·log(a/b) built inside the domain (properties/_shared/masses.ts)

test('normaliseInDomain: as given, by an exact power of two, or by the float sum; support kept', (t) => {
  t.deepEqual(normaliseInDomain([0.5, 0.5]), { v: [0.5, 0.5], s: 1, exact: true });
  t.deepEqual(normaliseInDomain([2, 6]), { v: [0.25, 0.75], s: 8, exact: true });
  t.deepEqual(normaliseInDomain([1, 2]), { v: [1 / 3, 2 / 3], s: 3, exact: false });
  t.is(normaliseInDomain([0, 0]), null);
  t.deepEqual(normaliseInDomain([5e-324 * 3, 5e-324]), { v: [0.75, 0.25], s: 2 ** -1072, exact: true });
});

test('massKl: the candidate\'s Σ a·log(a/b) from calls on distributions is within its allowed error, and a wrong kl is not', (t) => {
  const masses = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(unnormalized({ minLength: n, maxLength: n }), fc.oneof(unnormalized({ minLength: n, maxLength: n }), distribution({ minLength: n, maxLength: n }))));
  let calls = 0;
  let wrongCaught = 0;
  let wrongTried = 0;
  fc.assert(fc.property(masses, ([a, b]) => {
    for (const f of [kernels.kl, generalizedTermsKl] as Array<(p: number[], q: number[]) => number>) {
      const checked = (p: number[], q: number[]) => {
        if (!inDomain('kl', [p, q]).ok) throw new Error(`called outside the domain: kl(${p}, ${q})`);
        calls++;
        return f(p, q);
      };
      const r = massKl(checked, a, b);
      if ('outside' in r) continue;
      if (!r.ok) return false;
      if (!r.exact.isFinite()) {
        if (!r.value.eq(r.exact)) return false;
      } else if (r.value.minus(r.exact).abs().gt(r.allowed)) return false;
    }
    // From the other side: a kl off by 1e-6 relative is caught whenever the value is not tiny.
    const wrong = (p: number[], q: number[]) => kernels.kl(p, q) * (1 + 1e-6);
    const w = massKl(wrong, a, b);
    if (!('outside' in w) && w.call && w.call.exact.isFinite() && w.call.exact.abs().gt(1e-3)) {
      wrongTried++;
      if (!w.ok) wrongCaught++;
    }
    return true;
  }), { seed: SEED, numRuns: 400 });
  t.true(calls > 300);
  t.true(wrongTried > 50, `${wrongTried}`);
  t.is(wrongCaught, wrongTried);
});

test('massKl needs no call for Σa = 0 (0) and Σb = 0 < Σa (+∞)', (t) => {
  const never = () => { throw new Error('called'); };
  const z = massKl(never, [0, 0], [1, 2]);
  t.false('outside' in z);
  t.true(!('outside' in z) && z.value.isZero() && z.exact.isZero() && z.call === undefined);
  const inf = massKl(never, [1, 2], [0, 0]);
  t.true(!('outside' in inf) && inf.value.eq(Infinity) && ref.kl([1, 2], [0, 0]).eq(Infinity));
});

test('elbo-identity: a textbook float posterior that sums to 1 only within its own error is renormalised, not passed to kl; a wrong kl still fails', async (t) => {
  // π̂ = exp(l − L̂): L̂ ≈ −999.6 carries an absolute error ~1e-13, so Σπ̂ − 1 = −5.3e-14 ≫ γ_4.
  const inst = { logJoint: [-1000, -1000.4, -1000.8], q: [0.5, 0.25, 0.25] };
  const posterior = (l: number[]) => { const L = kernels.logEvidence(l); return l.map((x) => Math.exp(x - L)); };
  const pi = posterior(inst.logJoint);
  t.false(inDomain('kl', [inst.q, pi]).ok, 'the instance exercises the renormalisation');
  for (const [name, kl, ok] of [
    ['kernel kl', kernels.kl, true],
    ['generalised terms', generalizedTermsKl, true],
    ['kl × (1 + 1e-6)', (p: number[], q: number[]) => kernels.kl(p, q) * (1 + 1e-6), false],
  ] as const) {
    const h = inProcessCandidate({ ...kernels, posterior, kl }, { name, precision: 'float64', base: 'e' }, 'module', 'test');
    const r = await evaluateTheoremCheck(elboIdentity, inst, h, { mode: 'standard' });
    t.is(r.ok, ok, `${name}: ${r.message}`);
    t.true(r.calls.every((c) => inDomain(c.fn, c.args).ok));
    t.true(r.calls.some((c) => c.fn === 'kl'));
  }
});

// -------------------------------------------------------------------------------------------------
// Correct implementations that use the contract's promise pass; wrong ones still fail

for (const v of DOMAIN_VARIANTS) {
  test(`a correct ${v.name} kl (${v.description}) passes every theorem`, async (t) => {
    for (const seed of [SEED, 1, 42]) {
      const rs = await runTheorems(withKl(v.kl), THEOREMS, { seed, runs: 200, mode: 'standard' });
      t.is(rs.length, THEOREMS.length);
      for (const r of rs) t.is(r.status, 'passed', `seed ${seed} ${r.property}: ${r.message}`);
    }
  });

  test(`a correct ${v.name} kl passes the agreement checks`, async (t) => {
    for (const seed of [SEED, 1]) {
      const rs = await runAgreement(withKl(v.kl), { seed, runs: 500, mode: 'standard', precision: 'float64', only: ['kl'] });
      t.is(rs.length, 1);
      t.is(rs[0]!.status, 'passed', `seed ${seed}: ${rs[0]!.message}`);
    }
  });
}

test('on masses the variants really differ from Σ p·log(p/q) (so only the domain makes them correct)', (t) => {
  const exact = ref.kl([1], [2]).toNumber(); // −ln 2
  for (const v of DOMAIN_VARIANTS.filter((x) => x.usesPromise)) t.true(Math.abs(v.kl([1], [2]) - exact) > 0.5, v.name);
});

const gallery = path.join(__dirname, '..', 'examples', 'gallery');
/** Wrong gallery modules whose bugs show in the theorems (mutates.mjs is caught by the purity check only). */
const WRONG = fs.readdirSync(gallery).filter((f) => f.endsWith('.mjs') && f !== 'correct.mjs' && f !== 'mutates.mjs');

test('the wrong implementations of examples/gallery still fail theorems, with the calls inside the domain; the correct one passes', async (t) => {
  t.true(WRONG.length >= 9);
  for (const f of [...WRONG, 'correct.mjs']) {
    const c = await loadModuleCandidate(path.join(gallery, f));
    try {
      const rs = await runTheorems(c, THEOREMS, { seed: SEED, runs: 100, mode: 'standard' });
      const failed = rs.filter((r) => r.status === 'failed');
      if (f === 'correct.mjs') t.is(failed.length, 0, failed.map((r) => r.message).join('\n'));
      else t.true(failed.length > 0, `${f} fails no theorem`);
    } finally {
      await c.close();
    }
  }
});
