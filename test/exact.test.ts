/** Exact double → BigInt/Decimal conversion, on every class of double. */
import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { exactDecimalString, splitDouble, toDecimal, toDyadic, dyadicToDecimal, bitLength } from '../src/numeric/exact';
import { decimalContext } from '../src/numeric/context';

const BIG = Decimal.clone({ precision: 1200, minE: -9e15, maxE: 9e15 });

/** Independent exact value: from the hex digits of the bits, with BigInt only. */
function exactViaHex(x: number): Decimal {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const sign = bits >> 63n ? -1 : 1;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = biased === 0 ? frac : frac | (1n << 52n);
  const e = biased === 0 ? -1074 : biased - 1075;
  const v = new BIG(m.toString()).times(new BIG(2).pow(e)); // exact at 1200 digits
  return sign < 0 ? v.neg() : v;
}

const classes: Array<[string, number]> = [
  ['smallest subnormal 2^-1074', 5e-324],
  ['2^-1073', 1e-323],
  ['largest subnormal', 2.2250738585072009e-308],
  ['smallest normal', 2.2250738585072014e-308],
  ['0.1', 0.1],
  ['1/3', 1 / 3],
  ['1 - 2^-53', 1 - 2 ** -53],
  ['1 + 2^-52', 1 + 2 ** -52],
  ['1', 1],
  ['2^53 + 2', 2 ** 53 + 2],
  ['largest finite', Number.MAX_VALUE],
  ['-0.1', -0.1],
];

for (const [name, x] of classes) {
  test(`toDecimal is exact: ${name}`, (t) => {
    const D = decimalContext(40);
    const got = toDecimal(x, D);
    t.true(got.equals(exactViaHex(x)), `${got.toString()} vs ${exactViaHex(x).toString()}`);
    t.is(got.toNumber(), x); // and it round-trips
  });
}

test('0.1 is 0.1000000000000000055511151231257827021181583404541015625, not 1/10', (t) => {
  t.is(exactDecimalString(0.1), '1000000000000000055511151231257827021181583404541015625e-55');
  const D = decimalContext(40);
  t.false(toDecimal(0.1, D).equals(new D('0.1')));
  // `new Decimal(x)` reads the shortest decimal string, so it is not exact:
  t.true(new D(0.1).equals(new D('0.1')));
});

test('the smallest subnormal has 751 significant digits, all kept', (t) => {
  const s = toDecimal(5e-324, decimalContext(20));
  t.is(s.sd(), 751);
  t.true(s.equals(new BIG(2).pow(-1074)));
});

test('signed zeros and non-finite values', (t) => {
  const D = decimalContext(20);
  t.is(exactDecimalString(0), '0');
  t.is(exactDecimalString(-0), '-0');
  t.true(toDecimal(-0, D).isZero());
  t.is(exactDecimalString(Infinity), 'Infinity');
  t.is(exactDecimalString(-Infinity), '-Infinity');
  t.is(exactDecimalString(NaN), 'NaN');
  t.throws(() => splitDouble(NaN), { instanceOf: RangeError });
});

test('property: conversion is exact and round-trips for every double (subnormals included)', (t) => {
  const D = decimalContext(20);
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
    const d = toDecimal(x, D);
    return d.equals(exactViaHex(x)) && d.toNumber() === x;
  }), { numRuns: 2000 });
  t.pass();
});

test('property: toDyadic has an odd mantissa below 2^53 and reconstructs x', (t) => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
    const { negative, mantissa, exponent } = toDyadic(x);
    if (mantissa === 0n) return x === 0;
    if ((mantissa & 1n) !== 1n || mantissa >= 1n << 53n) return false;
    const v = dyadicToDecimal(negative ? -mantissa : mantissa, exponent, BIG);
    return v.equals(exactViaHex(x));
  }), { numRuns: 2000 });
  t.pass();
});

test('bitLength', (t) => {
  t.is(bitLength(0n), 0);
  t.is(bitLength(1n), 1);
  t.is(bitLength(-255n), 8);
  t.is(bitLength(1n << 200n), 201);
  t.true(dyadicToDecimal(0n, 5, BIG).isZero());
  t.true(dyadicToDecimal(3n, 2, BIG).equals(12));
});
