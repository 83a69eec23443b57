/** The fixed-point ln / exp engine against decimal.js's correctly rounded ln and exp. */
import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { expFixed, FIXED_ERROR_UNITS, lnDoubleFixed, lnEngine, lnFixed, ln2Fixed, roundShift, bitLengthPositive } from '../src/numeric/fixed';
import { toDecimal } from '../src/numeric/exact';
import { dyOf } from '../src/numeric/dyadic';

const W = Decimal.clone({ precision: 260, minE: -9e15, maxE: 9e15 });

function unitsOff(fixed: bigint, F: number, exact: Decimal): number {
  return new W(fixed.toString()).minus(exact.times(new W(2).pow(F))).abs().toNumber();
}

const positiveDouble = fc.oneof(
  fc.double({ min: 5e-324, max: Number.MAX_VALUE, noNaN: true }),
  fc.double({ min: 0.5, max: 2, noNaN: true }),
  fc.double({ min: 1 - 2 ** -20, max: 1 + 2 ** -20, noNaN: true }),
  fc.integer({ min: 1, max: 2 ** 20 }).map((k) => k * 5e-324),
);

for (const F of [80, 160, 416, 704]) {
  test(`lnDoubleFixed at scale ${F} is within ${FIXED_ERROR_UNITS} units of ln x`, (t) => {
    let worst = 0;
    fc.assert(fc.property(positiveDouble, (x) => {
      if (x <= 0) return true;
      const err = unitsOff(lnDoubleFixed(x, F), F, toDecimal(x, W).ln());
      worst = Math.max(worst, err);
      return err <= Number(FIXED_ERROR_UNITS);
    }), { numRuns: F > 400 ? 60 : 150 });
    t.log(`worst error ${worst.toFixed(2)} units of 2^-${F}`);
    t.true(worst <= 1.5, 'the derivation in fixed.ts promises < 1 unit plus the final rounding');
  });
}

test('the check above can fail: a double-precision ln, or one computed 8 bits short, is rejected', (t) => {
  const F = 160;
  const x = 0.7;
  const exact = toDecimal(x, W).ln();
  const viaMathLog = BigInt(Math.round(Math.log(x) * 2 ** 52)) << BigInt(F - 52);
  t.true(unitsOff(viaMathLog, F, exact) > 1e20);
  const short = lnDoubleFixed(x, F - 8) << 8n;
  t.true(unitsOff(short, F, exact) > Number(FIXED_ERROR_UNITS));
  t.true(unitsOff(lnDoubleFixed(x, F), F, exact) <= Number(FIXED_ERROR_UNITS));
});

test('lnFixed of long BigInt mantissas', (t) => {
  fc.assert(fc.property(fc.bigInt({ min: 1n, max: (1n << 400n) - 1n }), fc.integer({ min: -600, max: 600 }), (m, e) => {
    const F = 200;
    const exact = new W(m.toString()).times(new W(2).pow(e)).ln();
    return unitsOff(lnFixed(m, e, F), F, exact) <= Number(FIXED_ERROR_UNITS);
  }), { numRuns: 200 });
  t.throws(() => lnFixed(0n, 0, 100), { instanceOf: RangeError });
  t.throws(() => lnDoubleFixed(0, 100), { instanceOf: RangeError });
  t.throws(() => lnDoubleFixed(Infinity, 100), { instanceOf: RangeError });
});

test('ln 2 and exact logs of powers of two', (t) => {
  const F = 300;
  t.true(unitsOff(ln2Fixed(F), F, new W(2).ln()) <= 1);
  t.is(lnDoubleFixed(1, F), 0n);
  t.true(unitsOff(lnDoubleFixed(2 ** -1074, F), F, new W(2).ln().times(-1074)) <= 1);
});

test('expFixed has relative error within budget on d ≤ 0, including far below the double range', (t) => {
  fc.assert(fc.property(fc.oneof(
    fc.double({ min: -50, max: 0, noNaN: true }),
    fc.double({ min: -1e5, max: -700, noNaN: true }),
    fc.double({ min: -1e-10, max: 1e-10, noNaN: true }),
  ), (d) => {
    const F = 180;
    const dy = dyOf(d);
    const { mant, k } = expFixed(dy.m, dy.e, F);
    const approx = new W(mant.toString()).times(new W(2).pow(k - F));
    const exact = toDecimal(d, W).exp();
    const rel = approx.div(exact).minus(1).abs().times(new W(2).pow(F)).toNumber();
    return rel <= Number(FIXED_ERROR_UNITS);
  }), { numRuns: 300 });
  t.throws(() => expFixed(-1n, 40, 100), { instanceOf: RangeError });
});

test('expFixed: both reduction tables (j/64 and j2/2^13, every j2 edge) at several scales stay within budget', (t) => {
  fc.assert(fc.property(
    fc.constantFrom(64, 140, 400, 1000),
    fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.integer({ min: -200, max: 200 }).map((i) => i / 64 + 1 / 128 - 2 ** -40)),
    (F, d) => {
      const dy = dyOf(d);
      const { mant, k } = expFixed(dy.m, dy.e, F);
      const Wf = W.clone({ precision: Math.ceil(F / 3.3) + 30 });
      const approx = new Wf(mant.toString()).times(new Wf(2).pow(k - F));
      const exact = toDecimal(d, Wf).exp();
      const rel = approx.div(exact).minus(1).abs().times(new Wf(2).pow(F)).toNumber();
      return rel <= Number(FIXED_ERROR_UNITS);
    },
  ), { numRuns: 200 });
  t.pass();
});

test('helpers', (t) => {
  t.is(roundShift(5n, 1), 3n);
  t.is(roundShift(5n, -2), 20n);
  t.is(roundShift(-5n, 1), -2n);
  t.is(bitLengthPositive(0n), 0);
  t.is(bitLengthPositive((1n << 52n) + 1n), 53);
  t.is(bitLengthPositive(1n << 100n), 101);
});

/** |L·2^-Fi − exact| in units of 2^-Fi, at a decimal precision that resolves them. */
function engineUnitsOff(L: bigint, Fi: number, exact: (D: Decimal.Constructor) => Decimal): number {
  const Wf = W.clone({ precision: Math.ceil(Fi / 3.3) + 40 });
  const scale = new Wf(2).pow(Fi);
  return new Wf(L.toString()).minus(exact(Wf).times(scale)).abs().toNumber();
}

test('lnEngine: ln x and ln(x/y) at scale F + 8 within FIXED_ERROR_UNITS units of 2^-F, and within the derived 13 + Fi/36 units of 2^-Fi', (t) => {
  const anyDouble = fc.oneof(
    fc.double({ min: 5e-324, max: Number.MAX_VALUE, noNaN: true }),
    fc.double({ min: 1, max: 2, noNaN: true }),
    fc.integer({ min: 1, max: 2 ** 30 }).map((k) => k * 5e-324),
  );
  let worst = 0;
  fc.assert(fc.property(fc.constantFrom(64, 140, 168, 400, 1000, 1200, 2000), anyDouble, anyDouble, (F, a, b) => {
    if (!(a > 0 && b > 0)) return true;
    const eng = lnEngine(F);
    const budget = Math.min(Number(FIXED_ERROR_UNITS) * 256, 13 + eng.Fi / 36);
    const e1 = engineUnitsOff(eng.ln(a), eng.Fi, (D) => toDecimal(a, D).ln());
    const e2 = engineUnitsOff(eng.lnRatio(a, b), eng.Fi, (D) => toDecimal(a, D).div(toDecimal(b, D)).ln());
    worst = Math.max(worst, e1, e2);
    return e1 <= budget && e2 <= budget;
  }), { numRuns: 300 });
  t.log(`worst error ${worst.toFixed(2)} units of 2^-Fi`);
  // Equal significands: exactly (k_a − k_b)·ln 2 rounded, i.e. 0 for equal exponents.
  t.is(lnEngine(192).lnRatio(0.75, 0.75), 0n);
  t.is(lnEngine(192).lnRatio(0.75, 1.5), lnEngine(192).kLn2(-1));
  t.is(lnEngine(192).ln(1), 0n);
  t.throws(() => lnEngine(192).ln(0), { instanceOf: RangeError });
  t.throws(() => lnEngine(192).lnRatio(1, Infinity), { instanceOf: RangeError });
  t.throws(() => lnEngine(20), { instanceOf: RangeError });
  // The reduction's index guard: y outside [1, 2) is an internal error, never a silent wrong index.
  t.throws(() => lnEngine(192).unit(5n << 199n, 2.5), { message: /reduction index out of range/ });
});

test('the engine check above can fail: a ratio off by 64 units, or one computed 8 bits short, is rejected', (t) => {
  const eng = lnEngine(168);
  const bound = 13 + eng.Fi / 36;
  const a = 0.7, b = 0.3000000000000001;
  const exact = (D: Decimal.Constructor) => toDecimal(a, D).div(toDecimal(b, D)).ln();
  t.true(engineUnitsOff(eng.lnRatio(a, b), eng.Fi, exact) <= bound);
  t.true(engineUnitsOff(eng.lnRatio(a, b) + 64n, eng.Fi, exact) > bound);
  t.true(engineUnitsOff(lnEngine(160).lnRatio(a, b) << 8n, eng.Fi, exact) > bound);
});

test('lnEngine at every stage-1 bucket edge (indices chosen in double arithmetic), as ln x and as a ratio', (t) => {
  const eng = lnEngine(140);
  let worst = 0;
  for (let j = 0; j < 256; j++) {
    for (const m of [-3, -1, 0, 1, 3]) {
      const x = (1 + j / 256) + m * 2 ** -52;
      if (!(x >= 1 && x < 2)) continue;
      worst = Math.max(worst, engineUnitsOff(eng.ln(x), eng.Fi, (D) => toDecimal(x, D).ln()));
      // and as a ratio x / (1 + 2^-52·|m|), whose quotient also sits next to the edge
      const b = 1 + Math.abs(m) * 2 ** -52;
      worst = Math.max(worst, engineUnitsOff(eng.lnRatio(x, b), eng.Fi, (D) => toDecimal(x, D).div(toDecimal(b, D)).ln()));
      worst = Math.max(worst, engineUnitsOff(eng.lnRatio(b, x), eng.Fi, (D) => toDecimal(b, D).div(toDecimal(x, D)).ln()));
    }
  }
  t.log(`worst error ${worst.toFixed(2)} units of 2^-Fi`);
  t.true(worst <= 13 + eng.Fi / 36, `worst ${worst} units`);
});
