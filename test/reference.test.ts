/**
 * The reference against an independent oracle (decimal.js's correctly rounded ln/exp on the exact
 * inputs, at 90 digits), its special-value tables, exact zeros, typed errors and isolation.
 * The oracle is slow (~0.3 ms per ln) but shares nothing with the fixed-point engine.
 */
import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import * as ref from '../src/reference';
import { toDecimal } from '../src/numeric/exact';
import { InvalidInputError, InvalidReason } from '../src/numeric/errors';
import { decimalContext } from '../src/numeric/context';
import { LogForm, coprimeBase, logPartIsExactlyZero } from '../src/numeric/logform';
import { dyOf } from '../src/numeric/dyadic';
import { anyPair } from '../src/generators';

const O = Decimal.clone({ precision: 90, minE: -9e15, maxE: 9e15 });
const X = (x: number) => toDecimal(x, O);
const ln = (x: number) => X(x).ln();

/** Rounds an oracle value to `digits` (half-even) in an isolated context; the reference must equal it exactly. */
function rounded(v: Decimal, digits = 40): string {
  if (!v.isFinite()) return v.toString();
  const R = decimalContext(digits);
  return new R(v).toSignificantDigits(digits, Decimal.ROUND_HALF_EVEN).toString();
}

const oracle = {
  kl(p: number[], q: number[]): Decimal {
    let s = new O(0);
    for (let i = 0; i < p.length; i++) {
      if (p[i] === 0) continue;
      if (q[i] === 0) return new O(Infinity);
      s = s.plus(X(p[i]!).times(ln(p[i]!).minus(ln(q[i]!))));
    }
    return s;
  },
  entropy(p: number[]): Decimal {
    return p.reduce((s, x) => (x > 0 ? s.minus(X(x).times(ln(x))) : s), new O(0));
  },
  crossEntropy(p: number[], q: number[]): Decimal {
    let s = new O(0);
    for (let i = 0; i < p.length; i++) {
      if (p[i] === 0) continue;
      if (q[i] === 0) return new O(Infinity);
      s = s.minus(X(p[i]!).times(ln(q[i]!)));
    }
    return s;
  },
  logEvidence(l: number[]): Decimal {
    const fin = l.filter((x) => x !== -Infinity);
    if (fin.length === 0) return new O(-Infinity);
    const m = Math.max(...fin);
    // ln(1 + T) with T = Σ over the non-maximal terms; for tiny T use its series (ln(1+T) at 90
    // digits would round 1 + T to 1 for T < 1e-90, as it must for d_z ≈ −990).
    const k = fin.filter((x) => x === m).length;
    const T = fin.reduce((s, x) => (x === m ? s : s.plus(X(x).minus(X(m)).exp())), new O(0)).div(k);
    const lnOnePlusT = T.lt(1e-30) ? T.minus(T.pow(2).div(2)).plus(T.pow(3).div(3)) : T.plus(1).ln();
    return new O(k).ln().plus(lnOnePlusT).plus(X(m));
  },
  elbo(l: number[], q: number[]): Decimal {
    let s = new O(0);
    for (let z = 0; z < q.length; z++) {
      if (q[z] === 0) continue;
      if (l[z] === -Infinity) return new O(-Infinity);
      s = s.plus(X(q[z]!).times(X(l[z]!).minus(ln(q[z]!))));
    }
    return s;
  },
  klNormal(m1: number, s1: number, m2: number, s2: number): Decimal {
    // (σ1² − σ2²) = (σ1 − σ2)(σ1 + σ2) and Δμ² kept apart: σ1² + Δμ² at 90 digits would drop a
    // Δμ of 5e-324 next to σ1 = 1000.
    const a = X(s1), b = X(s2), d = X(m1).minus(X(m2));
    const twoB2 = b.times(b).times(2);
    return b.ln().minus(a.ln()).plus(a.minus(b).times(a.plus(b)).div(twoB2)).plus(d.times(d).div(twoB2));
  },
};

// --- inputs: integer weights (shrink to small values), zeros, tiny and subnormal masses -----------
const mass = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 2 ** 30 }).map((k) => k / 2 ** 30) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.double({ min: 5e-324, max: 1e-300, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ min: 1e-12, max: 1, noNaN: true }) },
);
const normalise = (a: number[]) => {
  const s = a.reduce((x, y) => x + y, 0);
  return s > 0 ? a.map((x) => x / s) : a.map((_, i) => (i === 0 ? 1 : 0));
};
const vec = (n: number) => fc.array(mass, { minLength: n, maxLength: n }).map(normalise);
const pairArb = fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(vec(n), vec(n)));
const nearPair = fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(vec(n), fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: n, maxLength: n }), fc.integer({ min: 1, max: 15 })))
  .map(([p, noise, e]) => [p, normalise(p.map((x, i) => x * (1 + noise[i]! * 10 ** -e / 1000)))] as [number[], number[]]);

test('property: kl, crossEntropy and entropy equal the oracle correctly rounded to 40 digits', (t) => {
  fc.assert(fc.property(fc.oneof(pairArb, nearPair), ([p, q]) => {
    return ref.kl(p, q).toString() === rounded(oracle.kl(p, q))
      && ref.crossEntropy(p, q).toString() === rounded(oracle.crossEntropy(p, q))
      && ref.entropy(p).toString() === rounded(oracle.entropy(p));
  }), { numRuns: 120 });
  t.pass();
});

test('property: the derived quantities agree with their definitions (generalised KL, negEntropy, Bregman)', (t) => {
  fc.assert(fc.property(pairArb, ([p, q]) => {
    const k = oracle.kl(p, q);
    // Σ(q_i − p_i) term by term: Σq and Σp separately would round 1 + 5e-315 to 1 at 90 digits.
    const mass = q.reduce((s, x, i) => s.plus(X(x).minus(X(p[i]!))), new O(0));
    const gk = k.isFinite() ? k.plus(mass) : k;
    return ref.generalizedKl(p, q).toString() === rounded(gk)
      && ref.bregmanNegEntropy(p, q).toString() === rounded(gk) // D_F = KL + Σq − Σp
      && ref.negEntropy(p).toString() === rounded(oracle.entropy(p).neg());
  }), { numRuns: 80 });
  t.pass();
});

const logJointArb = fc.integer({ min: 1, max: 6 }).chain((n) => fc.array(fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -1e4, max: 0, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -1010, max: -990, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(-Infinity) },
), { minLength: n, maxLength: n }));

test('property: logEvidence and elbo equal the oracle correctly rounded', (t) => {
  fc.assert(fc.property(logJointArb, fc.array(mass, { minLength: 6, maxLength: 6 }), (l, w) => {
    const q = normalise(w.slice(0, l.length));
    return ref.logEvidence(l).toString() === rounded(oracle.logEvidence(l))
      && ref.elbo(l, q).toString() === rounded(oracle.elbo(l, q));
  }), { numRuns: 100 });
  t.pass();
});

/**
 * Log joints with huge gaps between the top entry and the others (real data sets: 1e4–1e6), some
 * positive: their evidence terms are exp(−gap)-sized, e.g. 10^-43430 for a gap of 1e5. The value's
 * size is an exponent, not a precision: the reference computes them at the cost of an ordinary
 * input (before: 2.5 min of CPU at a gap of 1e5). Gaps stop short of the documented underflow
 * threshold 5e15 (src/reference/latent.ts, DECIMAL_UNDERFLOW_D).
 */
const hugeGapArb = fc.tuple(
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
  fc.array(fc.oneof(
    fc.double({ min: 700, max: 1e6, noNaN: true }),
    fc.double({ min: 1e6, max: 4.9e15, noNaN: true }),
    fc.double({ min: 0, max: 50, noNaN: true }),
  ), { minLength: 1, maxLength: 4 }),
).map(([top, gaps]) => [top, ...gaps.map((g) => top - g)]);

test('property: huge gaps (to 4.9e15, positive tops) — logEvidence and posterior equal the oracle correctly rounded', (t) => {
  fc.assert(fc.property(hugeGapArb, (l) => {
    const le = oracle.logEvidence(l);
    if (ref.logEvidence(l).toString() !== rounded(le)) return false;
    const post = ref.posterior(l);
    return l.every((x, z) => post[z]!.toString() === rounded(X(x).minus(le).exp()));
  }), { numRuns: 60 });
  t.pass();
});

test('property: posterior entries equal exp(l − logEvidence) and sum to 1 within 1e-38', (t) => {
  fc.assert(fc.property(logJointArb.filter((l) => l.some((x) => x !== -Infinity)), (l) => {
    const post = ref.posterior(l);
    const le = oracle.logEvidence(l);
    let sum = new O(0);
    for (let z = 0; z < l.length; z++) {
      const want = l[z] === -Infinity ? new O(0) : X(l[z]!).minus(le).exp();
      if (post[z]!.toString() !== rounded(want)) return false;
      sum = sum.plus(post[z]!);
    }
    return sum.minus(1).abs().lt(1e-38);
  }), { numRuns: 60 });
  t.pass();
});

test('property: klNormal equals the closed form, correctly rounded', (t) => {
  const sigma = fc.oneof(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.double({ min: 1e-150, max: 1e150, noNaN: true }));
  const mu = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  fc.assert(fc.property(mu, sigma, mu, sigma, (m1, s1, m2, s2) => {
    return ref.klNormal(m1, s1, m2, s2).toString() === rounded(oracle.klNormal(m1, s1, m2, s2));
  }), { numRuns: 150 });
  t.pass();
});

test('digits from 20 to 200 are supported and correctly rounded', (t) => {
  const p = [0.1, 0.2, 0.7], q = [0.3, 0.3, 0.4];
  const Big = Decimal.clone({ precision: 260 });
  const exact = [0, 1, 2].reduce((s, i) => s.plus(toDecimal(p[i]!, Big).times(toDecimal(p[i]!, Big).ln().minus(toDecimal(q[i]!, Big).ln()))), new Big(0));
  for (const d of [10, 20, 60, 120, 200]) {
    t.is(ref.kl(p, q, { digits: d }).toString(), rounded(exact, d), `digits ${d}`);
    t.is(ref.kl(p, q, { digits: d }).sd(), d);
  }
});

test('textbook values from the seeds', (t) => {
  const p = [0.5, 0.5], q = [0.1, 0.9];
  t.is(ref.kl(p, q).toFixed(3), '0.511');
  t.is(ref.kl(q, p).toFixed(3), '0.368');
  t.is(ref.entropy([0.5, 0.5]).toString(), rounded(new O(2).ln()));
  t.is(ref.entropy([0.9, 0.1]).toFixed(3), '0.325');
  t.is(ref.kl([0.5, 0.5], [1, 0]).toString(), 'Infinity'); // forward KL: support mismatch
  t.is(ref.kl([1, 0], [0.5, 0.5]).toString(), rounded(new O(2).ln())); // reverse KL: log 2
});

test('special values: the conventions of the extended reals', (t) => {
  t.is(ref.kl([0, 1], [0, 1]).toString(), '0'); // common zero: 0·log(0/0) = 0
  t.is(ref.kl([0, 1], [0.5, 0.5]).toString(), rounded(new O(2).ln())); // 0·log(0/q) = 0
  t.is(ref.crossEntropy([1, 0], [1, 0]).toString(), '0');
  t.is(ref.crossEntropy([0.5, 0.5], [1, 0]).toString(), 'Infinity');
  t.is(ref.generalizedKl([0, 1], [0.5, 1]).toString(), '0.5'); // p_i = 0 contributes q_i
  t.is(ref.generalizedKl([1], [0]).toString(), 'Infinity');
  t.is(ref.entropy([1, 0, 0]).toString(), '0');
  t.is(ref.negEntropyGradient([1, 0]).map(String).join(), '1,-Infinity');
  t.is(ref.bregmanNegEntropy([0, 1], [0, 1]).toString(), '0');
  t.is(ref.bregmanNegEntropy([0.5, 0.5], [1, 0]).toString(), 'Infinity');
  t.is(ref.logEvidence([-Infinity, -Infinity]).toString(), '-Infinity');
  t.is(ref.logEvidence([-Infinity, -1234.5]).toString(), '-1234.5'); // a single finite entry, exactly
  t.is(ref.elbo([-Infinity, -1], [0, 1]).toString(), '-1'); // q(z) = 0 term is 0 even at −∞
  t.is(ref.elbo([-Infinity, -1], [0.5, 0.5]).toString(), '-Infinity'); // mass on an impossible z
  t.deepEqual(ref.posterior([-7, -7, -Infinity]).map(String), ['0.5', '0.5', '0']);
  t.is(ref.posterior([0, 0, 0])[0]!.toString(), rounded(new O(1).div(3)));
  t.is(ref.klNormal(3, 2, 3, 2).toString(), '0');
  t.is(ref.klNormal(1, 2, 0, 2).toString(), '0.125'); // σ1 = σ2: (μ1 − μ2)²/(2σ²) exactly
  t.is(ref.klNormalDiag([0, 1], [1, 2], [0, 0], [1, 2]).toString(), '0.125');
  // VAE term KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − log σ² − 1)
  const mu = 0.3, s = 0.7;
  const vae = X(mu).pow(2).plus(X(s).pow(2)).minus(X(s).pow(2).ln()).minus(1).div(2);
  t.is(ref.klNormal(mu, s, 0, 1).toString(), rounded(vae));
  // beyond the double range the value is still exact: σ1/σ2 = 1e300
  t.true(ref.klNormal(0, 1e150, 0, 1e-150).gt('1e599'));
});

test('exact zeros are decided exactly (no precision could decide them numerically)', (t) => {
  t.is(ref.kl([0.3, 0.7], [0.3, 0.7]).toString(), '0');
  t.is(ref.kl([0.5, 0.5], [0.25, 1]).toString(), '0'); // ½ ln 2 + ½ ln ½
  t.is(ref.generalizedKl([0.1, 0.2], [0.1, 0.2]).toString(), '0');
  // odd parts: ln 9 − 2 ln 3 = 0; ln 45 − ln 15 − ln 3 = 0; ln 6 − ln 2 − ln 3 = 0
  const f = (terms: Array<[number, number]>, rational = 0) => {
    const form = new LogForm();
    for (const [c, x] of terms) form.addLogNumber(c, x);
    if (rational) form.addDyadic(dyOf(rational));
    return form.evaluate(40, decimalContext(40)).toString();
  };
  t.is(f([[1, 9], [-2, 3]]), '0');
  t.is(f([[1, 45], [-1, 15], [-1, 3]]), '0');
  t.is(f([[0.5, 6], [-0.5, 2], [-0.5, 3]], 0.25), '0.25'); // exactly rational
  t.is(f([[1, 3 * 2 ** -40], [-1, 3], [40, 2]]), '0');
  t.not(f([[1, 9], [-2, 3], [1e-30, 5]]), '0'); // tiny but nonzero: decided numerically
  t.deepEqual(coprimeBase([12 / 4, 9, 15, 45]).sort((a, b) => a - b), [3, 5]);
  t.false(logPartIsExactlyZero([{ x: 3, c: dyOf(1) }, { x: 5, c: dyOf(-1) }]));
  t.false(logPartIsExactlyZero([{ x: 3, c: dyOf(1) }]));
  t.false(logPartIsExactlyZero([{ x: 2, c: dyOf(1) }]));
});

test('float-normalised near-equal inputs can give a negative exact kl; dyadic inputs cannot', (t) => {
  // Σp ≠ Σq by an ulp: the exact KL of the inputs as given is about −1e-16. Not clamped.
  const p = [0.1, 0.2, 0.7];
  const raw = [0.1 * (1 + 1e-15), 0.2, 0.7];
  const s = raw.reduce((a, b) => a + b);
  const q = raw.map((x) => x / s);
  const sumP = p.reduce((a, x) => a.plus(X(x)), new O(0)), sumQ = q.reduce((a, x) => a.plus(X(x)), new O(0));
  const v = ref.kl(p, q);
  t.true(v.isNegative(), v.toString());
  t.true(v.abs().lt(1e-15));
  t.false(sumP.equals(sumQ));
  t.true(ref.kl([0.25, 0.75], [0.25 + 2 ** -40, 0.75 - 2 ** -40]).gt(0));
});

test('invalid input throws a typed error naming the argument, index and reason', (t) => {
  const cases: Array<[() => unknown, string, number | null, InvalidReason]> = [
    [() => ref.kl([0.5, NaN], [0.5, 0.5]), 'p', 1, 'nan'],
    [() => ref.kl([0.5, 0.5], [0.5, -0.5]), 'q', 1, 'negative'],
    [() => ref.kl([0.5, 0.5], [Infinity, 0.5]), 'q', 0, 'infinite'],
    [() => ref.kl([0.5, 0.5], [1]), 'q', null, 'length-mismatch'],
    [() => ref.entropy([]), 'p', null, 'empty'],
    [() => ref.entropy('0.5' as unknown as number[]), 'p', null, 'not-an-array'],
    [() => ref.entropy([0.5, '0.5' as unknown as number]), 'p', 1, 'not-a-number'],
    [() => ref.logEvidence([0, Infinity]), 'logJoint', 1, 'positive-infinity'],
    [() => ref.logEvidence([NaN]), 'logJoint', 0, 'nan'],
    [() => ref.posterior([-Infinity]), 'logJoint', null, 'all-impossible'],
    [() => ref.elbo([0, 0], [1]), 'q', null, 'length-mismatch'],
    [() => ref.klNormal(0, 0, 0, 1), 'sigma1', null, 'nonpositive'],
    [() => ref.klNormal(NaN, 1, 0, 1), 'mu1', null, 'nan'],
    [() => ref.klNormal(0, 1, Infinity, 1), 'mu2', null, 'infinite'],
    [() => ref.klNormalDiag([0], [1], [0], [-1]), 'sigma2', 0, 'nonpositive'],
    [() => ref.klNormalDiag([0, 1], [1], [0, 0], [1, 1]), 'sigma1', null, 'length-mismatch'],
    [() => ref.kl([1], [1], { digits: 5 }), 'digits', null, 'bad-option'],
  ];
  for (const [f, argument, index, reason] of cases) {
    const e = t.throws(f, { instanceOf: InvalidInputError });
    t.is(e?.argument, argument);
    t.is(e?.index, index);
    t.is(e?.reason, reason);
    t.regex(e!.message, new RegExp(`argument '${argument}'`));
  }
  // typed arrays are accepted
  t.is(ref.entropy(new Float64Array([0.5, 0.5]) as unknown as number[]).toString(), rounded(new O(2).ln()));
});

test('contexts are isolated: the global Decimal is never configured', (t) => {
  const before = { precision: Decimal.precision, rounding: Decimal.rounding };
  ref.kl([0.1, 0.9], [0.5, 0.5], { digits: 77 });
  t.deepEqual({ precision: Decimal.precision, rounding: Decimal.rounding }, before);
  const v = ref.kl([0.1, 0.9], [0.5, 0.5], { digits: 25 });
  t.is(v.sd(), 25);
  t.is((v.constructor as Decimal.Constructor).precision, 25);
});

test('general Bregman divergence agrees with the exact negative-entropy form', (t) => {
  const p = [0.2, 0.3, 0.5], q = [0.25, 0.25, 0.5];
  const viaGeneric = ref.bregman((x, o) => ref.negEntropy(x, o), (x, o) => ref.negEntropyGradient(x, o), p, q);
  t.is(viaGeneric.toString(), ref.bregmanNegEntropy(p, q).toString());
  // −∞ gradient entries times p_i − q_i = 0 contribute 0
  t.is(ref.bregman((x, o) => ref.negEntropy(x, o), (x, o) => ref.negEntropyGradient(x, o), [0, 1], [0, 1]).toString(), '0');
});

test('determinism: same inputs, same digits', (t) => {
  const p = [0.1, 0.2, 0.3, 0.4], q = [0.4, 0.3, 0.2, 0.1];
  t.is(ref.kl(p, q).toString(), ref.kl(p.slice(), q.slice()).toString());
});

test('kl and generalizedKl: the ratio pass (one logarithm of p_i/q_i) gives exactly the two-logarithm result, shared values included', (t) => {
  const D = Decimal.clone({ precision: 60 });
  const twoLogs = (p: number[], q: number[]) => {
    const f = new LogForm();
    for (let i = 0; i < p.length; i++) {
      if (p[i] === 0) continue;
      if (q[i] === 0) return 'Infinity';
      const c = dyOf(p[i]!);
      f.addLog(c, p[i]!).addLog({ m: -c.m, e: c.e }, q[i]!);
    }
    return f.evaluate(40, D).toString();
  };
  const shared = fc.array(fc.constantFrom(0.5, 0.25, 0.125, 0.1, 1e-300, 0.3), { minLength: 1, maxLength: 6 });
  fc.assert(fc.property(fc.oneof(anyPair().map(({ p, q }) => [p, q] as const), fc.tuple(shared, shared).filter(([a, b]) => a.length === b.length)), ([p, q]) => {
    return ref.kl(p as number[], q as number[]).toString() === twoLogs(p as number[], q as number[]);
  }), { numRuns: 300 });
  t.is(ref.kl([0.5, 0.5], [0.25, 1]).toString(), '0', 'ln-part exactly zero through ratios');
  t.is(ref.kl([0.25, 0.25, 0.5], [0.25, 0.5, 0.25]).toString(), ref.kl([0.25, 0.5, 0.25], [0.25, 0.25, 0.5]).toString(), 'a permutation with shared values');
});

test('LogForm merges equal values through its hash of doubles: many values, repeats and hash growth give the same terms as a Map', (t) => {
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.oneof(fc.double({ min: 1e-300, max: 10, noNaN: true }), fc.constantFrom(0.5, 0.1, 1, 3, 5e-324))), { minLength: 1, maxLength: 400 }),
    (entries) => {
      const form = new LogForm();
      const expected = new Map<number, bigint>();
      for (const [c, x] of entries) {
        if (c === 0) continue;
        form.addLogNumber(c, x);
        if (x !== 1) expected.set(x, (expected.get(x) ?? 0n) + BigInt(c));
      }
      const got = new Map(form.terms().map(([x, c]) => [x, c.e >= 0 ? c.m << BigInt(c.e) : c.m]));
      for (const [x, c] of expected) if (c !== 0n && got.get(x) !== c) return false;
      return [...got.keys()].every((x) => expected.get(x) !== undefined && expected.get(x) !== 0n);
    },
  ), { numRuns: 200 });
  t.pass();
});
