/**
 * The accuracy model, tested from both sides: every plain correct implementation of each quantity
 * (test/support/variants.ts) stays within the standard bound on the input classes of
 * test/support/cases.ts, and every known-wrong one is caught — fast-check must find a
 * counterexample within 200 runs, re-checked against the reference. Plus the definitions of ulps,
 * bits and verdicts, the float32 bound (which accepts the float32 variants that the float64 bound
 * rejects), and where the strict target applies.
 */
import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import {
  bitsOfError,
  conditionNumber,
  gamma,
  judge,
  judgeVector,
  klBound,
  standardBound,
  STRICT_ULPS,
  strictApplies,
  sumDeviation,
  sumsExactlyToOne,
  ulpError,
  withinSimplex,
  ulpExponent,
  Precision,
} from '../src/numeric/accuracy';
import { decimalContext } from '../src/numeric/context';
import { toDecimal } from '../src/numeric/exact';
import { unnormalized } from '../src/generators';
import * as ref from '../src/reference';
import { CASE_SETS, exactOf, VECTOR_FNS } from './support/cases';
import { FLOAT32, FnName, VARIANTS, Variant, ratiosInRange } from './support/variants';
import { dyadicDistribution, floatDistribution, gaussianParams, latentModel, floatPair, dyadicPair } from './support/arbitraries';

const SEED = Number(process.env.KLCHECK_SEED ?? 20240601);
const RUNS = Number(process.env.KLCHECK_RUNS ?? 100);
const D = decimalContext(40);
const X = (s: string | number) => new D(s);

// ------------------------------------------------------------------------------------------
// ulps and bits
// ------------------------------------------------------------------------------------------

test('ulpError: spacing of doubles at the exact value, 2^-1074 at zero', (t) => {
  t.is(ulpError(1, X(1)), 0);
  t.is(ulpError(1 + 2 ** -52, X(1)), 1);
  t.is(ulpError(1 - 2 ** -53, X(1)), 0.5); // below 1 the spacing halves, but ulp(X) is that of X = 1
  t.is(ulpError(1, toDecimal(1 - 2 ** -53, D)), 1); // X just below 1: ulp(X) = 2^-53
  t.is(ulpError(3, X('3.5')), 2 ** 50); // ulp(3.5) = 2^-51
  t.is(ulpError(5e-324, X(0)), 1);
  t.is(ulpError(-1e-323, X(0)), 2);
  t.is(ulpError(0, toDecimal(5e-324, D)), 1);
  t.is(ulpError(2 ** -1022, toDecimal(2 ** -1022 + 2 ** -1074, D)), 1);
  t.is(ulpExponent(X(1)), -52);
  t.is(ulpExponent(X('0.75')), -53);
  t.is(ulpExponent(X('1e-320')), -1074);
  t.is(ulpExponent(X('1e400')), Math.floor(400 * Math.log2(10)) - 52);
});

test('ulpError: infinities and values beyond the double range', (t) => {
  t.is(ulpError(Infinity, X(Infinity)), 0);
  t.is(ulpError(-Infinity, X(-Infinity)), 0);
  t.is(ulpError(1e308, X(Infinity)), Infinity);
  t.is(ulpError(-Infinity, X(Infinity)), Infinity);
  t.is(ulpError(Infinity, X('1e400')), 0); // rounds to +∞: exact
  t.is(ulpError(-Infinity, X('-1e400')), 0);
  t.is(ulpError(-Infinity, X('1e400')), Infinity);
  t.is(ulpError(Infinity, X('1e300')), Infinity);
  // the overflow threshold 2^1024 − 2^970: just below rounds to the largest double
  const below = toDecimal(Number.MAX_VALUE, D).plus(new D(2).pow(969));
  t.is(ulpError(Infinity, below), Infinity);
  t.is(ulpError(Number.MAX_VALUE, below), 0.25); // ulp(X) = 2^971 in [2^1023, 2^1024)
  t.true(ulpError(Number.MAX_VALUE, X('1e400')) > 2 ** 51); // ≈ X/ulp(X): every digit wrong
  t.true(Number.isNaN(ulpError(NaN, X(1))));
});

test('bitsOfError counts like Herbie: log2(ulps + 1)', (t) => {
  t.is(bitsOfError(0), 0);
  t.is(bitsOfError(1), 1);
  t.is(bitsOfError(3), 2);
  t.is(bitsOfError(2 ** 52 - 1), 52);
  t.is(bitsOfError(Infinity), Infinity);
  t.true(Number.isNaN(bitsOfError(NaN)));
});

// ------------------------------------------------------------------------------------------
// verdicts
// ------------------------------------------------------------------------------------------

test('judge: NaN fails, infinities are exact, finite values against the bound', (t) => {
  const args = [[0.5, 0.5], [0.1, 0.9]];
  const exact = ref.kl(args[0]!, args[1]!);
  const nan = judge('kl', args, NaN, exact);
  t.false(nan.ok);
  t.is(nan.reason, 'nan');
  const inf = judge('kl', [[0.5, 0.5], [1, 0]], 0.7, ref.kl([0.5, 0.5], [1, 0]));
  t.false(inf.ok);
  t.is(inf.reason, 'expected +Infinity');
  t.true(judge('kl', [[0.5, 0.5], [1, 0]], Infinity, ref.kl([0.5, 0.5], [1, 0])).ok);
  t.is(judge('elbo', [[-Infinity], [1]], -1e308, ref.elbo([-Infinity], [1])).reason, 'expected -Infinity');
  const fin = judge('kl', args, Infinity, exact);
  t.false(fin.ok);
  t.is(fin.reason, 'expected a finite value');
  const good = judge('kl', args, 0.5108256237659906, exact);
  t.true(good.ok);
  t.true(good.ulps <= 0.5);
  const off = judge('kl', args, 0.5108256237659906 * (1 + 1e-10), exact);
  t.false(off.ok);
  t.is(off.reason, 'beyond standard bound');
  // strict: ulps against STRICT_ULPS[fn] or an explicit strictUlps
  const two = 0.5108256237659906 + 2 * 2 ** -53;
  t.true(judge('kl', args, two, exact, { mode: 'strict' }).ok);
  const st = judge('kl', args, two, exact, { mode: 'strict', strictUlps: 1 });
  t.false(st.ok);
  t.is(st.reason, 'beyond strict bound');
  t.is(st.bound, 2 ** -53);
  // an exact value beyond the double range: +∞ is the correct float64
  t.true(judge('klNormal', [0, 1e200, 0, 1e-200], Infinity, ref.klNormal(0, 1e200, 0, 1e-200), { mode: 'strict' }).ok);
  t.true(judge('klNormal', [0, 1e200, 0, 1e-200], Infinity, ref.klNormal(0, 1e200, 0, 1e-200)).ok);
});

test('judge: the standard bound is sharp in both directions (0.9·bound passes, 1.1·bound fails)', (t) => {
  fc.assert(
    fc.property(fc.oneof(dyadicPair(), floatPair()), ({ p, q }) => {
      const exact = exactOf('kl', [p, q]) as Decimal;
      if (!exact.isFinite()) return true;
      const b = klBound(p, q);
      const x = exact.toNumber();
      if (b < 1e6 * Math.abs(x) * 2 ** -52 + 1e-300) return true; // bound too close to an ulp to test sharply
      const okIn = judge('kl', [p, q], x + 0.9 * b, exact).ok && judge('kl', [p, q], x - 0.9 * b, exact).ok;
      const outUp = judge('kl', [p, q], x + 1.1 * b, exact).ok;
      const outDown = judge('kl', [p, q], x - 1.1 * b, exact).ok;
      return okIn && !outUp && !outDown;
    }),
    { seed: SEED, numRuns: 100 },
  );
  t.pass();
});

test('judgeVector: per component, worst one reported', (t) => {
  const l = [-1000, -1001, -Infinity];
  const exact = ref.posterior(l);
  const good = judgeVector('posterior', [l], [0.7310585786300049, 0.2689414213699951, 0], exact);
  t.true(good.ok);
  const bad = judgeVector('posterior', [l], [0.7310585786300049, 0.2689414213699951, 1e-300], exact);
  t.false(bad.ok);
  t.is(bad.worst, 2);
  t.false(judgeVector('posterior', [l], [1, 0], exact).ok);
});

test('standardBound: float32 is looser than float64 by about 2^29; unknown functions throw', (t) => {
  const args = [[0.2, 0.3, 0.5], [0.3, 0.3, 0.4]];
  const r = standardBound('kl', args, 'float32') / standardBound('kl', args, 'float64');
  t.true(r > 2 ** 28 && r < 2 ** 30);
  t.throws(() => standardBound('nope', args));
  t.throws(() => standardBound('posterior', [[0, 0]]), { instanceOf: RangeError });
  t.is(gamma(10, 2 ** -53), (10 * 2 ** -53) / (1 - 10 * 2 ** -53));
  t.is(gamma(2 ** 60, 2 ** -53), Infinity);
});

// ------------------------------------------------------------------------------------------
// where the strict target applies
// ------------------------------------------------------------------------------------------

test('sumsExactlyToOne: exact dyadic arithmetic, not floating point', (t) => {
  t.true(sumsExactlyToOne([0.5, 0.25, 0.25]));
  t.true(sumsExactlyToOne([1]));
  t.false(sumsExactlyToOne([0.1, 0.2, 0.7])); // sums to 1 in float64, not exactly
  t.false(sumsExactlyToOne([0.1, 0.9]));
  t.true(sumsExactlyToOne([1 - 2 ** -53, 2 ** -54, 2 ** -54]));
  t.true(sumsExactlyToOne([0.5, 0.25, 0.25 - 2 ** -54, 2 ** -54]));
  t.false(sumsExactlyToOne([0.5, 0.5, 2 ** -1074]));
  t.false(sumsExactlyToOne([]));
  t.false(sumsExactlyToOne([1, NaN]));
  fc.assert(fc.property(dyadicDistribution(), (p) => sumsExactlyToOne(p)), { seed: SEED, numRuns: 200 });
});

test('strictApplies: exactly normalised for kl & co; condition ≤ 2^40 for logEvidence and elbo', (t) => {
  t.true(strictApplies('kl', [[0.5, 0.5], [0.25, 0.75]]));
  t.false(strictApplies('kl', [[0.5, 0.5], [0.1, 0.9]]));
  t.true(strictApplies('entropy', [[0.5, 0.25, 0.25]]));
  t.true(strictApplies('klNormal', [0, 1, 0, 2]));
  t.true(strictApplies('posterior', [[0, -1]]));
  t.true(strictApplies('logEvidence', [[-1000, -1001]], ref.logEvidence([-1000, -1001])));
  // log Σ exp at [−ln 2, −ln 2] rounded: m + log 2 cancels to ~1e-17
  const a = -Math.LN2;
  const v = ref.logEvidence([a, a]);
  t.true(conditionNumber('logEvidence', [[a, a]], v.toNumber()) > 2 ** 40);
  t.false(strictApplies('logEvidence', [[a, a]], v));
  t.true(strictApplies('elbo', [[0], [1]], ref.elbo([0], [1]))); // exact zero
  t.false(strictApplies('elbo', [[0, 0], [1, 0]])); // needs the exact value
});

// ------------------------------------------------------------------------------------------
// two-sided: correct variants pass, wrong variants are caught
// ------------------------------------------------------------------------------------------

/** err/bound of a candidate, ∞ for NaN or a wrong infinity; ok per the judge. */
function verdict(v: { fn: FnName; impl: Variant['impl'] }, args: unknown[], precision: Precision = 'float64'): { ok: boolean; why: string } {
  const exact = exactOf(v.fn, args);
  const got = v.impl(...args);
  if (VECTOR_FNS.has(v.fn)) {
    if (!Array.isArray(got)) return { ok: false, why: 'not an array' };
    const r = judgeVector(v.fn, args, got, exact as Decimal[], { precision });
    return { ok: r.ok, why: r.ok ? '' : `${r.reason} at ${r.worst}: got ${got[r.worst]}, exact ${String((exact as Decimal[])[r.worst])}, bound ${r.verdicts[r.worst]?.bound}` };
  }
  const r = judge(v.fn, args, got as number, exact as Decimal, { precision });
  return { ok: r.ok, why: r.ok ? '' : `${r.reason}: got ${String(got)}, exact ${String(exact)}, err ${r.absError}, bound ${r.bound}` };
}

for (const v of VARIANTS.filter((x) => x.kind === 'correct')) {
  test(`correct ${v.fn}/${v.name} (${v.doc}) stays within the standard bound`, (t) => {
    let inDomain = 0;
    let total = 0;
    for (const set of CASE_SETS.filter((s) => s.fn === v.fn)) {
      fc.assert(
        fc.property(set.arb, (args) => {
          total++;
          if (v.domain && !v.domain(args)) return;
          inDomain++;
          const r = verdict(v, args);
          if (!r.ok) throw new Error(`${set.name}: ${r.why}`);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    }
    t.true(inDomain >= 0.4 * total, `only ${inDomain}/${total} cases in the variant's domain`);
  });
}

for (const v of VARIANTS.filter((x) => x.kind === 'wrong')) {
  test(`wrong ${v.fn}/${v.name} (${v.doc}) is caught within 200 runs`, (t) => {
    const sets = CASE_SETS.filter((s) => s.fn === v.fn);
    const arb = fc.oneof(...sets.map((s) => s.arb));
    const result = fc.check(
      fc.property(arb, (args) => {
        const r = verdict(v, args);
        if (!r.ok) throw new Error(r.why);
      }),
      { seed: SEED, numRuns: 200 },
    );
    t.true(result.failed, `${v.fn}/${v.name} passed 200 runs`);
    // the counterexample is re-checked in the reference: it really is beyond the bound
    if (result.counterexample) t.false(verdict(v, result.counterexample[0]).ok);
  });
}

test('the float32 variants pass the float32 bound (and fail the float64 one)', (t) => {
  const inF32 = (args: unknown[]): boolean =>
    (args as Array<number | number[]>).flat().every((x) => x === 0 || x === -Infinity || (Math.abs(x) >= 1e-30 && Math.abs(x) <= 1e30));
  const arbs: Array<[FnName, fc.Arbitrary<unknown[]>]> = [
    ['kl', fc.oneof(dyadicPair({ tiny: false }), floatPair({ minExp: 20 })).map(({ p, q }) => [p, q])],
    ['generalizedKl', floatPair({ minExp: 20 }).map(({ p, q }) => [p, q])],
    ['crossEntropy', floatPair({ minExp: 20 }).map(({ p, q }) => [p, q])],
    ['entropy', floatDistribution({ minExp: 20 }).map((p) => [p])],
    ['negEntropy', floatDistribution({ minExp: 20 }).map((p) => [p])],
    ['negEntropyGradient', floatDistribution({ minExp: 20, zeroFreq: 0.01 }).map((p) => [p])],
    ['logEvidence', latentModel().map((m) => [m.logJoint])],
    ['posterior', latentModel().map((m) => [m.logJoint])],
    ['elbo', latentModel().map((m) => [m.logJoint, m.q])],
    ['klNormal', gaussianParams({ sigmaExp: 6, muExp: 4 })],
  ];
  for (const [fn, arb] of arbs) {
    const impl = FLOAT32[fn]!;
    let failed64 = 0;
    fc.assert(
      fc.property(arb, (args) => {
        if (!inF32(args)) return;
        const r = verdict({ fn, impl }, args, 'float32');
        if (!r.ok) throw new Error(`${fn}: ${r.why}`);
        if (!verdict({ fn, impl }, args, 'float64').ok) failed64++;
      }),
      { seed: SEED, numRuns: 100 },
    );
    t.true(failed64 > 0, `${fn}: float32 never failed the float64 bound`);
  }
});

// ------------------------------------------------------------------------------------------
// correct formulas outside their range: real bugs, not rounding (and the verdict says so)
// ------------------------------------------------------------------------------------------

test('known range breakages of correct formulas are rejected with the right reason', (t) => {
  const ratio = VARIANTS.find((v) => v.fn === 'kl' && v.name === 'ratio')!;
  // log(p/q) overflows to +∞ at subnormal q: the exact kl is finite
  const args = [[0.5, 0.5], [1 - 2 ** -53, 2 ** -1074]];
  t.false(ratiosInRange(args));
  const exact = ref.kl(args[0]!, args[1]!);
  t.is(judge('kl', args, ratio.impl(...args) as number, exact).reason, 'expected a finite value');
  // the difference of logs has no such problem
  const diff = VARIANTS.find((v) => v.fn === 'kl' && v.name === 'logDiff')!;
  t.true(judge('kl', args, diff.impl(...args) as number, exact).ok);
  // the textbook Gaussian formula overflows: σ1² = ∞, ∞/∞ = NaN
  const tb = VARIANTS.find((v) => v.fn === 'klNormal' && v.name === 'textbook')!;
  const g = [0, 1e200, 0, 1e200];
  t.is(judge('klNormal', g, tb.impl(...g) as number, ref.klNormal(0, 1e200, 0, 1e200)).reason, 'nan');
  // log-sum-exp without the max shift underflows at −1000
  const ns = VARIANTS.find((v) => v.fn === 'logEvidence' && v.name === 'noShift')!;
  t.is(judge('logEvidence', [[-1000, -1001]], ns.impl([-1000, -1001]) as number, ref.logEvidence([-1000, -1001])).reason, 'expected a finite value');
});

test('STRICT_ULPS: 4 ulps for kl/entropy/crossEntropy/negEntropy; every kernel has an entry', (t) => {
  for (const fn of ['kl', 'entropy', 'crossEntropy', 'negEntropy']) t.is(STRICT_ULPS[fn], 4);
  for (const fn of ['generalizedKl', 'negEntropyGradient', 'logEvidence', 'posterior', 'elbo', 'klNormal', 'klNormalDiag']) {
    t.true((STRICT_ULPS[fn] ?? 0) >= 1);
  }
});

// ------------------------------------------------------------------------------------------
// Off the simplex: the bound of the formula as written (no normalisation slack)

/** Unnormalised nonnegative pairs of one length, q scaled by 2^k (mass ratios to 2^±300). */
const offSimplexPair = fc.tuple(unnormalized({ maxLength: 20 }), unnormalized({ maxLength: 20 }), fc.integer({ min: -300, max: 300 }))
  .map(([a, b, k]) => {
    const n = Math.min(a.length, b.length);
    return [a.slice(0, n), b.slice(0, n).map((x) => x * 2 ** k)] as [number[], number[]];
  })
  .filter(([p, q]) => q.every(Number.isFinite) && !withinSimplex(q) && p.every((x, i) => x === 0 || (x / q[i]! > 2 ** -1022 && x / q[i]! < 2 ** 1023)));

const plainKl: Record<string, (p: number[], q: number[]) => number> = {
  'p·log(p/q)': (p, q) => p.reduce((s, pi, i) => (pi > 0 ? s + pi * Math.log(pi / q[i]!) : s), 0),
  'p·(log p − log q)': (p, q) => p.reduce((s, pi, i) => (pi > 0 ? s + pi * (Math.log(pi) - Math.log(q[i]!)) : s), 0),
  'H(p, q) − H(p)': (p, q) => {
    let a = 0;
    let b = 0;
    p.forEach((pi, i) => {
      if (pi > 0) {
        a -= pi * Math.log(q[i]!);
        b -= pi * Math.log(pi);
      }
    });
    return a - b;
  },
};

test('off the simplex the kl bound is that of Σ p·log(p/q) as written: the plain forms pass, an answer with no correct digit fails', (t) => {
  // The loophole: γ·Σq (4.4e144) accepted 1 for an exact −300.029…
  const p = [0.5, 0.5];
  const q = [1e160, 1e100];
  const exact = ref.kl(p, q);
  t.false(judge('kl', [p, q], 1, exact).ok);
  t.true(standardBound('kl', [p, q]) < 1e-12);
  for (const f of Object.values(plainKl)) t.true(judge('kl', [p, q], f(p, q), exact).ok);
  fc.assert(fc.property(offSimplexPair, ([p, q]) => {
    const exact = ref.kl(p, q);
    if (!exact.isFinite()) return true;
    for (const [name, f] of Object.entries(plainKl)) {
      const j = judge('kl', [p, q], f(p, q), exact);
      if (!j.ok) throw new Error(`${name}: ${j.reason} (error ${j.absError}, bound ${j.bound})`);
    }
    // From the other side: generalised (kl_div) terms compute kl + Σq − Σp, another quantity off the
    // simplex; it is rejected whenever |Σq − Σp| is 100 bounds away.
    const gen = plainKl['p·log(p/q)']!(p, q) + q.reduce((s, x) => s + x, 0) - p.reduce((s, x) => s + x, 0);
    const shift = Math.abs(q.reduce((s, x) => s + x, 0) - p.reduce((s, x) => s + x, 0));
    return !(shift > 100 * standardBound('kl', [p, q]) && Number.isFinite(gen)) || !judge('kl', [p, q], gen, exact).ok;
  }), { seed: SEED, numRuns: 300 });
  t.pass();
});

test('off the simplex the entropy and cross-entropy bounds have no Σp slack: plain sums pass, a normalise-first one fails', (t) => {
  fc.assert(fc.property(offSimplexPair, ([p, q]) => {
    const H = ref.entropy(p);
    const CE = ref.crossEntropy(p, q);
    const h = p.reduce((s, x) => (x > 0 ? s - x * Math.log(x) : s), 0);
    const ce = p.reduce((s, x, i) => (x > 0 ? s - x * Math.log(q[i]!) : s), 0);
    if (!judge('entropy', [p], h, H).ok || (CE.isFinite() && !judge('crossEntropy', [p, q], ce, CE).ok)) return false;
    // −Σ p̂ log p̂ with p̂ = p/Σp: a different quantity off the simplex, rejected when it differs by 100 bounds.
    const S = p.reduce((s, x) => s + x, 0);
    if (!(S > 0)) return true;
    const hn = p.reduce((s, x) => (x > 0 ? s - (x / S) * Math.log(x / S) : s), 0);
    const far = H.minus(hn).abs().toNumber() > 100 * standardBound('entropy', [p]);
    return !far || !judge('entropy', [p], hn, H).ok;
  }), { seed: SEED, numRuns: 300 });
  t.pass();
});

test('withinSimplex / sumDeviation: exact sums, the contract\'s γ_{n+1} from both sides', (t) => {
  const u = 2 ** -53;
  t.is(sumDeviation([0.25, 0.75]), 0);
  const W = decimalContext(60);
  t.is(sumDeviation([0.1, 0.2, 0.7]), toDecimal(0.1, W).plus(toDecimal(0.2, W)).plus(toDecimal(0.7, W)).minus(1).abs().toNumber());
  t.not(sumDeviation([0.1, 0.2, 0.7]), 0);
  t.is(sumDeviation([1e160, 1e100]), 1e160);
  t.is(sumDeviation([3]), 2);
  t.true(withinSimplex([0.5, 0.5 + 2 * u]));
  t.false(withinSimplex([0.5, 0.5 + 2 ** -40]));
  t.false(withinSimplex([1e160, 1e100]));
  t.false(withinSimplex([-0.5, 1.5]));
  t.false(withinSimplex([]));
  fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (w) => {
    const S = w.reduce((s, x) => s + x, 0);
    if (!(S > 0)) return true;
    const v = w.map((x) => x / S); // float-normalised: inside the domain
    return withinSimplex(v) && withinSimplex(v.map((x, i) => (i === 0 ? x * 2 : x))) === (sumDeviation(v.map((x, i) => (i === 0 ? x * 2 : x))) <= gamma(v.length + 1, u));
  }), { seed: SEED, numRuns: 300 });
});
