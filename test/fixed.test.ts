/** The fixed-point ln / exp engine against decimal.js's correctly rounded ln and exp. */
import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { doubleParts, expFixed, FIXED_ERROR_UNITS, lnDoubleFixed, lnFixed, lnSignificandRatioFixed, ln2Fixed, roundShift, bitLengthPositive } from '../src/numeric/fixed';
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

test('lnSignificandRatioFixed: ln(y_a/y_b) of two significands within budget, both sides of 1, at several scales', (t) => {
  fc.assert(fc.property(
    fc.constantFrom(64, 140, 400, 1000),
    fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
    fc.oneof(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.double({ min: 1, max: 2, noNaN: true })),
    (F, a, b) => {
      const pa = doubleParts(a), pb = doubleParts(b);
      const L = lnSignificandRatioFixed(pa, pb, F);
      const Wf = W.clone({ precision: Math.ceil(F / 3.3) + 30 });
      const exact = new Wf(pa.sig.toString()).div(new Wf(pb.sig.toString())).ln();
      const got = new Wf(L.toString()).div(new Wf(2).pow(F));
      return got.minus(exact).abs().times(new Wf(2).pow(F)).toNumber() <= Number(FIXED_ERROR_UNITS);
    },
  ), { numRuns: 300 });
  // Equal significands: exactly 0.
  t.is(lnSignificandRatioFixed(doubleParts(0.75), doubleParts(1.5), 200), 0n);
});

test('lnDoubleFixed and lnSignificandRatioFixed at every stage-1 bucket edge (indices chosen in double arithmetic)', (t) => {
  const F = 140;
  const Wf = W.clone({ precision: 80 });
  let worst = 0;
  for (let j = 0; j < 256; j++) {
    for (const m of [-3, -1, 0, 1, 3]) {
      const x = (1 + j / 256) + m * 2 ** -52;
      if (!(x >= 1 && x < 2)) continue;
      const exact = toDecimal(x, Wf).ln();
      const got = new Wf(lnDoubleFixed(x, F).toString()).div(new Wf(2).pow(F));
      worst = Math.max(worst, got.minus(exact).abs().times(new Wf(2).pow(F)).toNumber());
      // and as a ratio x / (1 + 2^-52·|m|), whose quotient also sits next to the edge
      const b = 1 + Math.abs(m) * 2 ** -52;
      const L = lnSignificandRatioFixed(doubleParts(x), doubleParts(b), F);
      const ex2 = toDecimal(x, Wf).div(toDecimal(b, Wf)).ln();
      worst = Math.max(worst, new Wf(L.toString()).div(new Wf(2).pow(F)).minus(ex2).abs().times(new Wf(2).pow(F)).toNumber());
    }
  }
  t.true(worst <= Number(FIXED_ERROR_UNITS), `worst ${worst} units`);
  t.true(worst < 1, `measured worst ${worst} units of 2^-F`);
});
