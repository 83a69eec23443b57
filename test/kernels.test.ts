/**
 * Our float64 kernels against the reference (src/reference): the strict target (STRICT_ULPS, in
 * ulps of the exact value) on the input classes where it is claimed, the standard bound everywhere,
 * kl ≥ 0 on exactly normalised inputs and kl(p, p) = 0 exactly, the special-value tables (±∞ are
 * checked exactly), and typed errors for invalid input. Internals (logDD, expDD, the generalised
 * term) are checked against decimal.js's correctly rounded ln/exp on the exact inputs.
 */
import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import * as K from '../src/kernels';
import { _internal } from '../src/kernels/float64';
import * as ref from '../src/reference';
import { InvalidInputError, InvalidReason } from '../src/numeric/errors';
import { toDecimal } from '../src/numeric/exact';
import { judge, judgeVector, STRICT_ULPS, strictApplies, ulpError } from '../src/numeric/accuracy';

/** Quantities whose strict target is claimed only for exactly normalised inputs. */
const NORMALISED_STRICT = new Set<FnName>(['kl', 'generalizedKl', 'entropy', 'crossEntropy', 'negEntropy']);
import { dyadicNearPair, dyadicPair, dyadicDistribution } from './support/arbitraries';
import { CASE_SETS, exactOf, kernelOf, VECTOR_FNS } from './support/cases';
import type { FnName } from './support/variants';

const SEED = Number(process.env.KLCHECK_SEED ?? 20240601);
const RUNS = Number(process.env.KLCHECK_RUNS ?? 150);

/** Judge our kernel at args: the standard bound always, STRICT_ULPS where strictApplies. */
function check(fn: FnName, args: unknown[], requireStrict = false): { ok: boolean; strict: boolean; why: string } {
  const exact = exactOf(fn, args);
  const got = kernelOf(fn, args);
  if (VECTOR_FNS.has(fn)) {
    const strict = strictApplies(fn, args);
    const std = judgeVector(fn, args, got as number[], exact as Decimal[]);
    if (!std.ok) return { ok: false, strict, why: `standard: ${std.reason} at ${std.worst}` };
    if (strict) {
      const st = judgeVector(fn, args, got as number[], exact as Decimal[], { mode: 'strict' });
      if (!st.ok) return { ok: false, strict, why: `strict: ${st.verdicts[st.worst]!.ulps} ulps at ${st.worst}` };
    }
    return { ok: true, strict, why: '' };
  }
  const strict = strictApplies(fn, args, exact as Decimal);
  if (requireStrict && !strict) return { ok: false, strict, why: 'strict target expected to apply' };
  const std = judge(fn, args, got as number, exact as Decimal);
  if (!std.ok) return { ok: false, strict, why: `standard: ${std.reason} (err ${std.absError}, bound ${std.bound})` };
  if (strict) {
    const st = judge(fn, args, got as number, exact as Decimal, { mode: 'strict' });
    if (!st.ok) return { ok: false, strict, why: `strict: ${st.ulps} ulps (exact ${String(exact)}, got ${String(got)})` };
  }
  return { ok: true, strict, why: '' };
}

// ------------------------------------------------------------------------------------------
// properties over every input class
// ------------------------------------------------------------------------------------------

for (const set of CASE_SETS) {
  test(`${set.fn} on ${set.name}: within the standard bound, and ${STRICT_ULPS[set.fn]} ulps where the strict target applies`, (t) => {
    let strictRuns = 0;
    let runs = 0;
    fc.assert(
      fc.property(set.arb, (args) => {
        const r = check(set.fn, args);
        if (!r.ok) throw new Error(r.why);
        runs++;
        if (r.strict) strictRuns++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // the strict claim is not vacuous: it applies to every exactly normalised class, and to most
    // of the others where it is claimed beyond them
    if (set.exact) t.is(strictRuns, runs);
    else if (!NORMALISED_STRICT.has(set.fn)) t.true(strictRuns >= 0.8 * runs, `${strictRuns}/${runs} strict`);
    t.pass();
  });
}

test('kl is never negative on exactly normalised inputs, and kl(p, p) = 0 exactly', (t) => {
  fc.assert(
    fc.property(fc.oneof(dyadicPair(), dyadicNearPair(), dyadicPair({ mismatch: true })), ({ p, q }) => {
      const v = K.kl(p, q);
      return v >= 0 && !Object.is(v, -0) && K.kl(p, p) === 0 && K.kl(q, q) === 0 && K.generalizedKl(p, p) === 0;
    }),
    { seed: SEED, numRuns: 300 },
  );
  // float-normalised p (Σp ≠ 1) too: kl(p, p) is exactly 0 for any p
  fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 30 }), (p) => K.kl(p, p) === 0));
  t.pass();
});

test('n ≈ 10^4: exactly normalised kl, crossEntropy, generalizedKl, entropy within their strict bounds', (t) => {
  // an exactly normalised pair of length 10^4 (dyadicPair at that size, built directly)
  const big = fc.sample(dyadicPair({ minLength: 9900, maxLength: 9900 }), { seed: SEED, numRuns: 2 });
  for (const { p, q } of big) {
    for (const fn of ['kl', 'crossEntropy', 'generalizedKl'] as FnName[]) {
      const r = check(fn, [p, q], true);
      t.true(r.ok && r.strict, `${fn} n=${p.length}: ${r.why}`);
    }
    const r = check('entropy', [p], true);
    t.true(r.ok, `entropy n=${p.length}: ${r.why}`);
    t.true(K.kl(p, q) >= 0);
  }
  const near = fc.sample(dyadicNearPair({ minLength: 9900, maxLength: 9900 }), { seed: SEED, numRuns: 1 });
  for (const { p, q } of near) {
    const r = check('kl', [p, q], true);
    t.true(r.ok, `near kl n=${p.length}: ${r.why}`);
  }
});

// ------------------------------------------------------------------------------------------
// textbook values and special-value tables
// ------------------------------------------------------------------------------------------

const strictOk = (fn: FnName, args: unknown[], got: number): boolean =>
  judge(fn, args, got, exactOf(fn, args) as Decimal, { mode: 'strict' }).ok;

test('textbook values from the seeds, correctly rounded', (t) => {
  const cases: Array<[FnName, unknown[]]> = [
    ['kl', [[0.5, 0.5], [0.1, 0.9]]], // ≈ 0.511
    ['kl', [[0.1, 0.9], [0.5, 0.5]]], // ≈ 0.368
    ['entropy', [[0.5, 0.5]]], // ln 2
    ['entropy', [[0.9, 0.1]]],
    ['crossEntropy', [[0.5, 0.5], [0.1, 0.9]]],
    ['klNormal', [0, 1, 1, 2]],
    ['logEvidence', [[-1000, -1001]]],
    ['elbo', [[-1000, -1001], [0.3, 0.7]]],
  ];
  for (const [fn, args] of cases) {
    const got = kernelOf(fn, args) as number;
    const u = ulpError(got, exactOf(fn, args) as Decimal);
    t.true(u <= 0.5, `${fn}(${JSON.stringify(args)}) = ${got}: ${u} ulps`);
  }
  t.is(K.kl([0.5, 0.5], [0.1, 0.9]), 0.5108256237659906); // 0.51082562376599064311… rounded
});

test('support mismatch is +Infinity, not an error; 0·log 0 = 0', (t) => {
  t.is(K.kl([0.5, 0.5], [1, 0]), Infinity);
  t.is(K.generalizedKl([0.5, 0.5], [1, 0]), Infinity);
  t.is(K.crossEntropy([0.5, 0.5], [1, 0]), Infinity);
  t.is(K.kl([1, 0], [0.5, 0.5]), Math.log(2));
  t.is(K.kl([0, 1], [0, 1]), 0);
  t.is(K.kl([0, 0], [0, 0]), 0);
  t.is(K.entropy([1, 0, 0]), 0);
  t.is(K.crossEntropy([0, 1], [0, 1]), 0);
  t.is(K.generalizedKl([0, 0], [0.25, 0.5]), 0.75);
  t.deepEqual(K.negEntropyGradient([0, 1]), [-Infinity, 1]);
});

test('near mismatch: q subnormal or p/q beyond the double range gives the finite exact value, not +Infinity', (t) => {
  for (const [p, q] of [
    [[0.5, 0.5], [1 - 2 ** -53, 2 ** -1074]],
    [[1e-300, 1 - 1e-300], [0.5, 0.5]],
    [[0.25, 0.75], [0.5, 5e-324]],
    [[5e-324, 1], [1, 5e-324]],
  ] as Array<[number[], number[]]>) {
    const v = K.kl(p, q);
    t.true(Number.isFinite(v));
    t.true(strictOk('kl', [p, q], v), `kl(${p}, ${q}) = ${v} vs ${String(ref.kl(p, q))}`);
    t.true(strictOk('generalizedKl', [p, q], K.generalizedKl(p, q)));
  }
  // the naive ratio overflows there
  t.is(0.5 * Math.log(0.5 / 5e-324), Infinity);
  // an exact value beyond the double range is +Infinity when correctly rounded
  t.is(K.kl([1.5e308, 1], [1e-300, 1]), Infinity);
  t.true(strictOk('kl', [[1.5e308, 1], [1e-300, 1]], Infinity));
});

test('float-normalised near-equal pairs: the exact kl can be negative and the kernel reports it', (t) => {
  // exact Σp ≠ Σq by an ulp: kl = Σ p log(p/q) ≈ Σ(p − q) < 0 is the exact-input value
  const p = [0.1, 0.2, 0.7];
  const q = [0.1, 0.2, 0.7000000000000001];
  const exact = ref.kl(p, q);
  t.true(exact.isNegative());
  t.true(strictOk('kl', [p, q], K.kl(p, q)));
  t.true(K.kl(p, q) < 0);
  t.true(K.generalizedKl(p, q) >= 0);
});

test('ELBO conventions: q = 0 with logJoint = −∞ is 0; q > 0 with −∞ makes the ELBO −∞', (t) => {
  t.is(K.elbo([-1, -Infinity], [1, 0]), -1);
  t.is(K.elbo([-1, -Infinity], [0.5, 0.5]), -Infinity);
  t.is(K.logEvidence([-Infinity, -Infinity]), -Infinity);
  t.is(K.logEvidence([-Infinity, -3.5]), -3.5);
  t.deepEqual(K.posterior([-Infinity, -7]), [0, 1]);
  t.deepEqual(K.posterior([-2, -2, -Infinity, -2, -2]), [0.25, 0.25, 0, 0.25, 0.25]);
  const e = t.throws(() => K.posterior([-Infinity]), { instanceOf: InvalidInputError });
  t.is(e?.reason, 'all-impossible');
});

test('logEvidence, posterior, elbo near −1000 and −5000 (no underflow)', (t) => {
  for (const l of [[-1000, -1000.5, -1003], [-5000.25, -5000, -5001, -Infinity], [-745.2, -745.3]]) {
    t.true(strictOk('logEvidence', [l], K.logEvidence(l)));
    const post = K.posterior(l);
    t.true(judgeVector('posterior', [l], post, ref.posterior(l), { mode: 'strict' }).ok);
    const q = post.map((x) => x);
    t.true(strictOk('elbo', [l, q], K.elbo(l, q)));
  }
});

test('log evidences that are tiny or subnormal (max ≈ 0, the rest below e^-600) are rounded once', (t) => {
  for (const l of [
    [0, ...new Array<number>(20).fill(-720)],
    [-0, ...new Array<number>(20).fill(-745.5)],
    [0, ...new Array<number>(30).fill(-746.5)],
    [1e-310, ...new Array<number>(20).fill(-720)],
    [-1e-310, ...new Array<number>(20).fill(-720)],
    [-1e-300, -700, -710],
    [5e-324, -650],
    [0, -599, -760],
    [0, -801],
    [-3e-320, -740, -741],
    [-1.7702779421572607e-7, -690, -707.1036086974074], // a posterior entry of 8.1e-308, just above the subnormals
  ]) {
    t.true(strictOk('logEvidence', [l], K.logEvidence(l)), JSON.stringify(l.slice(0, 3)));
    t.true(judgeVector('posterior', [l], K.posterior(l), ref.posterior(l), { mode: 'strict' }).ok);
  }
});

test('klNormal: σ1 ≈ σ2 without cancellation, extreme ratios, results beyond the double range', (t) => {
  const cases: Array<[number, number, number, number]> = [
    [0, 1, 0, 1 + 2 ** -52],
    [0, 1 - 2 ** -53, 0, 1],
    [3, 2.5, 3, 2.5000000000001],
    [0, 1e-300, 0, 1],
    [0, 1, 0, 1e-300],
    [0, 5e-324, 1, 1],
    [1e308, 1, -1e308, 1], // μ1 − μ2 overflows: exact ≈ 2e616 → +∞
    [0, 1e200, 0, 1e-200], // ½ρ² ≈ 5e799 → +∞
    [1e-160, 1, 0, 1], // ½Δ² subnormal
    [0, 1, 1e-300, 1e-10],
  ];
  for (const c of cases) {
    const got = K.klNormal(...c);
    const exact = ref.klNormal(...c);
    const v = judge('klNormal', c, got, exact, { mode: 'strict' });
    t.true(v.ok, `klNormal(${c}) = ${got}, exact ${String(exact)}: ${v.ulps} ulps`);
  }
  t.is(K.klNormal(1e308, 1, -1e308, 1), Infinity);
  t.is(K.klNormal(0, 2, 0, 2), 0);
  t.is(K.klNormal(1, 2, 1, 2), 0);
  // the textbook formula loses everything at σ1 ≈ σ2 (1 − 2^-52 relative): ours is strict
  const c: [number, number, number, number] = [0, 1, 0, 1 + 2 ** -52];
  const textbook = Math.log(c[3] / c[1]) + (c[1] ** 2 + (c[0] - c[2]) ** 2) / (2 * c[3] ** 2) - 0.5;
  t.true(ulpError(textbook, ref.klNormal(...c)) > 1e6);
});

test('the top of the double range: rescaling, +∞ exactly when the exact value overflows', (t) => {
  const strictCase = (fn: FnName, args: unknown[]) => {
    const got = kernelOf(fn, args) as number;
    const v = judge(fn, args, got, exactOf(fn, args) as Decimal, { mode: 'strict' });
    t.true(v.ok, `${fn}(${JSON.stringify(args)}) = ${got}: ${v.ulps} ulps`);
  };
  // kl with partial sums beyond the double range (rescaled by 2^-64: kl(αp, αq) = α·kl(p, q))
  t.is(K.kl([1e308, 1e308], [1e308, 1e308]), 0);
  strictCase('kl', [[1.5e308, 1.5e308], [1e308, 1.7e308]]);
  strictCase('generalizedKl', [[1.5e308, 1.5e308], [1e308, 1.7e308]]);
  // elbo and Gaussians whose exact value exceeds the range
  strictCase('elbo', [[-1.7e308, -1.7e308], [1, 1]]);
  t.is(K.elbo([-1.7e308, -1.7e308], [1, 1]), -Infinity);
  for (const g of [
    [1e300, 1, 0, 1e-300], // Δ beyond the range, σ2 rescaled
    [1, 1e300, 0, 1e300], // σ2 > 2^900 rescaled
    [0, 2 ** 510, 0, 1], // ½ρ² = 2^1019, finite
    [0, 2 ** 513, 0, 1], // ½ρ² = 2^1025 → +∞
    [1.7e154, 1.3e154, 0, 1], // each half finite, the sum overflows
  ] as Array<[number, number, number, number]>) strictCase('klNormal', g);
  t.is(K.klNormal(1.7e154, 1.3e154, 0, 1), Infinity);
  strictCase('klNormalDiag', [[1e300], [1], [0], [1e-300]]);
  strictCase('klNormalDiag', [[1.4e154, 1.4e154], [1, 1], [0, 0], [1, 1]]);
  t.is(K.klNormalDiag([1.4e154, 1.4e154], [1, 1], [0, 0], [1, 1]), Infinity);
  t.deepEqual(_internal.expDD(710), [Infinity, 0]);
  // +∞ and −∞ terms that cancel: crossEntropy is linear in p, the ELBO's terms are rescaled
  // (an ill-conditioned cancellation, κ ≈ 1e19: the standard bound, not ulps)
  const ce = [[1e308, 1e308], [1e-300, 1e300]];
  t.true(judge('crossEntropy', ce, K.crossEntropy(ce[0]!, ce[1]!), exactOf('crossEntropy', ce) as Decimal).ok);
  strictCase('crossEntropy', [[1e308, 1e308], [1e-300, 1e-300]]); // −Σ p log q ≈ 1.4e311 → +∞
  strictCase('elbo', [[1e308, -1e308], [2, 2]]);
  strictCase('elbo', [[1.7e308, 1.7e308], [1, 1]]);
  strictCase('logEvidence', [[1e308, -1e308]]);
  t.true(judgeVector('posterior', [[1e308, -1e308, -Infinity]], K.posterior([1e308, -1e308, -Infinity]), ref.posterior([1e308, -1e308, -Infinity]), { mode: 'strict' }).ok);
  strictCase('entropy', [[1e308, 0.5]]);
});

// ------------------------------------------------------------------------------------------
// invalid input: typed errors naming argument and index
// ------------------------------------------------------------------------------------------

test('invalid input throws InvalidInputError naming the function, argument, index and reason', (t) => {
  const expectErr = (f: () => unknown, fn: string, argument: string, index: number | null, reason: InvalidReason) => {
    const e = t.throws(f, { instanceOf: InvalidInputError });
    t.is(e?.fn, fn);
    t.is(e?.argument, argument);
    t.is(e?.index, index);
    t.is(e?.reason, reason);
  };
  expectErr(() => K.kl([0.5, NaN], [0.5, 0.5]), 'kl', 'p', 1, 'nan');
  expectErr(() => K.kl([0.5, 0.5], [0.5, -0.5]), 'kl', 'q', 1, 'negative');
  expectErr(() => K.kl([0.5, 0.5], [Infinity, 0.5]), 'kl', 'q', 0, 'infinite');
  expectErr(() => K.kl([0.5, 0.5], [1]), 'kl', 'q', null, 'length-mismatch');
  expectErr(() => K.kl([], []), 'kl', 'p', null, 'empty');
  expectErr(() => K.generalizedKl([1], [-1]), 'generalizedKl', 'q', 0, 'negative');
  expectErr(() => K.entropy([0.5, -1e-300]), 'entropy', 'p', 1, 'negative');
  expectErr(() => K.entropy('0.5' as never), 'entropy', 'p', null, 'not-an-array');
  expectErr(() => K.crossEntropy([1], [NaN]), 'crossEntropy', 'q', 0, 'nan');
  expectErr(() => K.negEntropy([-1]), 'negEntropy', 'p', 0, 'negative');
  expectErr(() => K.negEntropyGradient([1, -Infinity]), 'negEntropyGradient', 'q', 1, 'infinite');
  expectErr(() => K.logEvidence([0, Infinity]), 'logEvidence', 'logJoint', 1, 'positive-infinity');
  expectErr(() => K.logEvidence([NaN]), 'logEvidence', 'logJoint', 0, 'nan');
  expectErr(() => K.logEvidence([]), 'logEvidence', 'logJoint', null, 'empty');
  expectErr(() => K.elbo([0, 0], [1]), 'elbo', 'q', null, 'length-mismatch');
  expectErr(() => K.elbo([0, 0], [1, -1]), 'elbo', 'q', 1, 'negative');
  expectErr(() => K.posterior([0, NaN]), 'posterior', 'logJoint', 1, 'nan');
  expectErr(() => K.klNormal(0, 0, 0, 1), 'klNormal', 'sigma1', null, 'nonpositive');
  expectErr(() => K.klNormal(0, 1, 0, -1), 'klNormal', 'sigma2', null, 'nonpositive');
  expectErr(() => K.klNormal(NaN, 1, 0, 1), 'klNormal', 'mu1', null, 'nan');
  expectErr(() => K.klNormal(0, 1, Infinity, 1), 'klNormal', 'mu2', null, 'infinite');
  expectErr(() => K.klNormal(0, Infinity, 0, 1), 'klNormal', 'sigma1', null, 'infinite');
  expectErr(() => K.klNormalDiag([0, 0], [1, 0], [0, 0], [1, 1]), 'klNormalDiag', 'sigma1', 1, 'nonpositive');
  expectErr(() => K.klNormalDiag([0, 0], [1, 1], [0], [1, 1]), 'klNormalDiag', 'mu2', null, 'length-mismatch');
  expectErr(() => K.klNormalDiag([], [], [], []), 'klNormalDiag', 'mu1', null, 'empty');
});

test('invalid input throws even when support mismatch is also present', (t) => {
  t.throws(() => K.kl([1, 0.5], [0, NaN]), { instanceOf: InvalidInputError });
  t.throws(() => K.crossEntropy([1, 0.5], [0, -1]), { instanceOf: InvalidInputError });
});

// ------------------------------------------------------------------------------------------
// internals against decimal.js (correctly rounded ln/exp on the exact inputs)
// ------------------------------------------------------------------------------------------

const O = Decimal.clone({ precision: 70, minE: -9e15, maxE: 9e15 });
const dd = (h: number, l: number) => toDecimal(h, O).plus(toDecimal(l, O));
const anyPositive = fc.oneof(
  fc.double({ min: 5e-324, max: 1.7976931348623157e308, noNaN: true }),
  fc.double({ min: 0.5, max: 2, noNaN: true }),
  fc.tuple(fc.double({ min: -30, max: -0.5, noNaN: true }), fc.boolean()).map(([e, s]) => 1 + (s ? 1 : -1) * 10 ** e),
);

test('logDD: absolute error < 2^-98·max(1, |log x|)', (t) => {
  fc.assert(
    fc.property(anyPositive, (x) => {
      const [h, l] = _internal.logDD(x);
      const exact = toDecimal(x, O).ln();
      const err = dd(h, l).minus(exact).abs().toNumber();
      return err <= 2 ** -100 * Math.max(1, Math.abs(exact.toNumber()));
    }),
    { seed: SEED, numRuns: 300 },
  );
  t.deepEqual(_internal.logDD(1), [0, 0]);
  // the double-double ln 2 constant
  const [h, l] = _internal.logDD(2);
  t.true(dd(h, l).minus(new O(2).ln()).abs().lte(2 ** -106));
  t.pass();
});

test('expDD: error < 2^-95 relative; below e^-670 one correctly rounded double', (t) => {
  fc.assert(
    fc.property(fc.double({ min: -746, max: 709, noNaN: true }), (x) => {
      const [h, l] = _internal.expDD(x);
      const exact = toDecimal(x, O).exp();
      if (x < -670) return l === 0 && ulpError(h, exact) <= 0.5 + 2 ** -10;
      const err = dd(h, l).minus(exact).abs();
      return err.lte(exact.times(2 ** -95));
    }),
    { seed: SEED, numRuns: 300 },
  );
  t.pass();
});

test('generalised term t = p log(p/q) − p + q: relative error < 2^-58, t ≥ 0, no cancellation near p = q', (t) => {
  const pq = fc.oneof(
    fc.tuple(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.double({ min: 1e-300, max: 1e300, noNaN: true })),
    fc.tuple(fc.double({ min: 1e-3, max: 1, noNaN: true }), fc.double({ min: -16, max: -1, noNaN: true }), fc.boolean()).map(([p, e, s]) => [p, p * (1 + (s ? 1 : -1) * 10 ** e)] as [number, number]),
    fc.tuple(fc.double({ min: 5e-324, max: 1e-290, noNaN: true }), fc.double({ min: 5e-324, max: 1, noNaN: true })),
  );
  fc.assert(
    fc.property(pq, ([p, q]) => {
      if (!(p > 0 && q > 0)) return true;
      const [h, l] = _internal.genTerm(p, q);
      if (h < 0) return false;
      const P = toDecimal(p, O);
      const Q = toDecimal(q, O);
      const exact = P.times(P.ln().minus(Q.ln())).minus(P).plus(Q);
      const err = dd(h, l).minus(exact).abs();
      // relative 2^-58, or below the subnormal grain
      return err.lte(exact.abs().times(2 ** -58)) || err.toNumber() <= 2 ** -1070;
    }),
    { seed: SEED, numRuns: 400 },
  );
  t.pass();
});

test('exact summation is correctly rounded (Shewchuk expansions)', (t) => {
  t.is(_internal.exactSum([1, 1e100, 1, -1e100]), 2);
  t.is(_internal.exactSum([0.1, 0.2, 0.3, -0.6]), 2.7755575615628914e-17);
  t.is(_internal.exactSum([1, 2 ** -53, 2 ** -106]), 1 + 2 ** -52);
  t.is(_internal.exactSum([]), 0);
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e10, max: 1e10, noNaN: true }), { maxLength: 30 }), (xs) => {
      const exact = xs.reduce((s, x) => s.plus(toDecimal(x, O)), new O(0));
      return ulpError(_internal.exactSum(xs), exact) <= 0.5;
    }),
    { seed: SEED, numRuns: 200 },
  );
});

/** Wide enough to add exact doubles from 2^-1074 to 1 without rounding. */
const WIDE = Decimal.clone({ precision: 1200, minE: -9e15, maxE: 9e15 });

test('dyadicDistribution sums to exactly 1 (the arbitrary behind the strict claims)', (t) => {
  fc.assert(
    fc.property(dyadicDistribution(), (p) => p.reduce((s, x) => s.plus(toDecimal(x, WIDE)), new WIDE(0)).eq(1)),
    { seed: SEED, numRuns: 200 },
  );
  t.pass();
});
