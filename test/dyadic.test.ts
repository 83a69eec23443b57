/** Exact dyadic and rational helpers, and the rounding of exact rationals. */
import test from 'ava';
import fc from 'fast-check';
import { dyAdd, dyMul, dyNeg, dyOf, dySub, dyIsZero, ratAdd, ratDivDy, ratOfDy } from '../src/numeric/dyadic';
import { roundRational, roundScaled, roundedToDecimal, pow10, sameRounded } from '../src/numeric/rounding';
import { decimalContext } from '../src/numeric/context';
import { toDyadic } from '../src/numeric/exact';

const asNumber = (d: { m: bigint; e: number }) => Number(d.m) * 2 ** d.e;

test('dyadic arithmetic is exact (checked against doubles where they are exact)', (t) => {
  t.is(asNumber(dyAdd(dyOf(0.5), dyOf(0.25))), 0.75);
  t.is(asNumber(dyAdd(dyOf(0.25), dyOf(0.5))), 0.75);
  t.is(asNumber(dyAdd(dyOf(3), dyOf(3))), 6);
  t.is(asNumber(dySub(dyOf(1), dyOf(2 ** -60))), 1 - 2 ** -60 === 1 ? asNumber(dySub(dyOf(1), dyOf(2 ** -60))) : NaN);
  t.true(dyIsZero(dySub(dyOf(0.1), dyOf(0.1))));
  t.is(asNumber(dyMul(dyOf(0.5), dyOf(-6))), -3);
  t.is(asNumber(dyNeg(dyOf(2))), -2);
  t.is(dyAdd(dyOf(0), dyOf(5)).m, 5n);
  // 1 − 2^-60 is not a double, but it is an exact dyadic:
  const d = dySub(dyOf(1), dyOf(2 ** -60));
  t.is(d.m, (1n << 60n) - 1n);
  t.is(d.e, -60);
});

test('rationals', (t) => {
  t.deepEqual(ratOfDy({ m: 3n, e: 2 }), { num: 12n, den: 1n });
  t.deepEqual(ratOfDy({ m: 3n, e: -2 }), { num: 3n, den: 4n });
  t.deepEqual(ratAdd({ num: 1n, den: 3n }, { num: 1n, den: 6n }), { num: 9n, den: 18n });
  t.deepEqual(ratAdd({ num: 1n, den: 3n }, { num: 1n, den: 3n }), { num: 2n, den: 3n });
  t.deepEqual(ratAdd({ num: 0n, den: 3n }, { num: 1n, den: 7n }), { num: 1n, den: 7n });
  t.deepEqual(ratDivDy({ m: 1n, e: 0 }, { m: -3n, e: 0 }), { num: -1n, den: 3n });
  t.deepEqual(ratDivDy({ m: 1n, e: -3 }, { m: 1n, e: 0 }), { num: 1n, den: 8n });
  t.throws(() => ratDivDy({ m: 1n, e: 0 }, { m: 0n, e: 0 }), { instanceOf: RangeError });
});

test('roundRational is round-half-even at every digit count', (t) => {
  const D = decimalContext(40);
  t.is(roundedToDecimal(roundRational(1n, 8n, 10), D).toString(), '0.125');
  t.is(roundedToDecimal(roundRational(-2n, 3n, 10), D).toString(), '-0.6666666667');
  t.is(roundedToDecimal(roundRational(0n, 3n, 10), D).toString(), '0');
  // ties: 0.125 to 2 digits is 0.12 (even), 0.135 → 0.14; 99.95 → 100.0 (carry into a new digit)
  const r = (num: bigint, den: bigint, d: number) => { const x = roundRational(num, den, d)!; return `${x.q}e${x.t}`; };
  t.is(r(125n, 1000n, 2), '12e-2');
  t.is(r(135n, 1000n, 2), '14e-2');
  t.is(r(9995n, 100n, 3), '100e0');
  t.is(r(9994n, 100n, 3), '999e-1'); // regression: the exponent must be placed before rounding
  t.is(r(99994n, 1000000n, 3), '100e-3'); // 0.099994 → 0.100
  t.is(r(99940n, 1000000n, 3), '999e-4'); // 0.09994 → 0.0999
  t.true(sameRounded(null, null));
  t.false(sameRounded(roundRational(1n, 3n, 5), null));
  t.is(pow10(3), 1000n);
  t.throws(() => pow10(-1), { instanceOf: RangeError });
  t.is(roundScaled(0n, 5, 10), null);
  t.is(roundedToDecimal(roundScaled(-3n, -1, 10), D).toString(), '-1.5');
});

test('property: roundRational agrees with decimal.js rounding of the exact quotient', (t) => {
  const W = decimalContext(200);
  // Values just below a power of ten (9…9x) are where the exponent estimate is off by one.
  const nearPow10 = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.bigInt({ min: 1n, max: 10n ** 6n })).map(([k, e]) => 10n ** BigInt(k) - e);
  const numerator = fc.oneof(fc.bigInt({ min: -(10n ** 60n), max: 10n ** 60n }).filter((x) => x !== 0n), nearPow10);
  const denominator = fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 50n }), fc.integer({ min: 0, max: 30 }).map((k) => 10n ** BigInt(k)));
  fc.assert(fc.property(numerator, denominator, fc.integer({ min: 2, max: 45 }), (num, den, digits) => {
    const got = roundedToDecimal(roundRational(num, den, digits), decimalContext(Math.max(digits, 10)));
    const want = new W(num.toString()).div(new W(den.toString())).toSignificantDigits(digits, 6);
    return got.equals(want);
  }), { numRuns: 1000 });
  t.pass();
});

test('dyOf (bits read directly) equals toDyadic on every kind of finite double: normal, subnormal, negative, ±0, integers', (t) => {
  const anyFinite = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((k) => k * 5e-324),
    fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map((k) => k * 1),
    fc.constantFrom(0, -0, 1, -1, Number.MAX_VALUE, -Number.MIN_VALUE, 2 ** -1022, 2 ** -1022 - 5e-324),
  );
  fc.assert(fc.property(anyFinite, (x) => {
    const d = dyOf(x);
    const ref = toDyadic(x);
    return d.m === (ref.negative ? -ref.mantissa : ref.mantissa) && d.e === ref.exponent && (d.m === 0n || (d.m & 1n) === 1n);
  }), { numRuns: 2000 });
  t.throws(() => dyOf(Infinity), { instanceOf: RangeError });
  t.throws(() => dyOf(NaN), { instanceOf: RangeError });
});
