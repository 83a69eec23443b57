/**
 * Exact conversion of IEEE-754 doubles.
 *
 * Every finite double is exactly `sign · mantissa · 2^exponent` with an integer mantissa < 2^53.
 * We read that decomposition from the bits. `new Decimal(x)` is NOT exact (it parses the shortest
 * round-trip decimal string: `new Decimal(0.1)` is 1/10, but the double 0.1 is
 * 0.1000000000000000055511151231257827021181583404541015625), and decimal.js's binary-string
 * input (`'0x1.999999999999ap-4'`) is rounded to the context precision, so it is not exact either.
 */
import Decimal from 'decimal.js';

/**
 * Shared views for reading a double's bits without allocating: write F64[0], then read U32[HI] and
 * U32[LO] at once (every use is synchronous and non-reentrant). Little-endian on every platform
 * Node supports; checked once.
 */
export const F64 = new Float64Array(1);
export const U32 = new Uint32Array(F64.buffer);
export const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
export const HI = 1 - LO;
/** 2^-k for k = 0 … 64, exact. */
const POW2_NEG: number[] = Array.from({ length: 65 }, (_, k) => 2 ** -k);

/** A finite double as `(-1)^negative · mantissa · 2^exponent`, mantissa odd (or 0). */
export interface Dyadic {
  readonly negative: boolean;
  /** 0n, or an odd integer < 2^53. */
  readonly mantissa: bigint;
  /** Exponent of the least significant bit; 0 when mantissa is 0. */
  readonly exponent: number;
}

/** Raw fields: 53-bit integer significand (with the hidden bit) and its exponent, not reduced. */
export function splitDouble(x: number): { negative: boolean; hi: number; lo: number; exponent: number } {
  if (!Number.isFinite(x)) throw new RangeError(`splitDouble: ${x} is not finite`);
  F64[0] = x;
  const hiWord = U32[HI]!;
  const lo = U32[LO]!;
  const negative = hiWord >>> 31 === 1;
  const biased = (hiWord >>> 20) & 0x7ff;
  let hi = hiWord & 0xfffff;
  let exponent: number;
  if (biased === 0) {
    exponent = -1074; // subnormal (or zero): no hidden bit
  } else {
    hi |= 0x100000;
    exponent = biased - 1075;
  }
  return { negative, hi, lo, exponent };
}

/** The exact dyadic value of a finite double, with an odd mantissa (trailing zeros moved to the exponent). */
export function toDyadic(x: number): Dyadic {
  const { m, e } = signedDyadic(x);
  return { negative: x < 0 || Object.is(x, -0), mantissa: m < 0n ? -m : m, exponent: e };
}

/**
 * The exact value of a finite double as m·2^e with m a signed odd BigInt (0n, e = 0 for ±0), read
 * from the bits without intermediate objects (the reference calls this once per category):
 * trailing zeros are stripped in double arithmetic — hi·2^32 + lo < 2^53 is exact, and so is its
 * product with 2^-k for a power of two dividing it — then one conversion to BigInt.
 */
export function signedDyadic(x: number): { m: bigint; e: number } {
  if (!Number.isFinite(x)) throw new RangeError(`${x} is not finite`);
  if (x === 0) return { m: 0n, e: 0 };
  F64[0] = x;
  const hiWord = U32[HI]!;
  const lo = U32[LO]!;
  const biased = (hiWord >>> 20) & 0x7ff;
  const hi = biased === 0 ? hiWord & 0xfffff : (hiWord & 0xfffff) | 0x100000;
  const tz = trailingZeros(hi, lo);
  const m = BigInt((hi * 4294967296 + lo) * POW2_NEG[tz]!);
  return { m: hiWord >>> 31 === 1 ? -m : m, e: (biased === 0 ? -1074 : biased - 1075) + tz };
}

function trailingZeros(hi: number, lo: number): number {
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  return 32 + (31 - Math.clz32(hi & -hi));
}

/** Number of significant bits of a positive BigInt (bitLength(1n) = 1). */
export function bitLength(n: bigint): number {
  if (n < 0n) n = -n;
  if (n === 0n) return 0;
  // toString(16) is fast in V8 and exact.
  const s = n.toString(16);
  return (s.length - 1) * 4 + (32 - Math.clz32(parseInt(s[0]!, 16)));
}

/**
 * Exact decimal expansion of a finite double as a string: m·2^e = m·5^(-e) / 10^(-e) for e < 0.
 * The expansion terminates: a double has at most 767 significant decimal digits.
 */
export function exactDecimalString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const { negative, mantissa, exponent } = toDyadic(x);
  if (mantissa === 0n) return negative ? '-0' : '0';
  const sign = negative ? '-' : '';
  if (exponent >= 0) return sign + (mantissa << BigInt(exponent)).toString();
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString();
  return `${sign}${digits}e${exponent}`;
}

/**
 * The exact value of a double as a Decimal of the given constructor.
 *
 * The result is exact whatever the constructor's precision: decimal.js keeps every digit of a
 * string it is constructed from (precision applies to arithmetic results, not to construction).
 * ±Infinity and NaN map to decimal.js's own ±Infinity and NaN; -0 maps to -0.
 */
export function toDecimal(x: number, D: Decimal.Constructor): Decimal {
  return new D(exactDecimalString(x));
}

/** The exact value of `mantissa · 2^exponent` as a Decimal (exact, like {@link toDecimal}). */
export function dyadicToDecimal(mantissa: bigint, exponent: number, D: Decimal.Constructor): Decimal {
  if (mantissa === 0n) return new D(0);
  if (exponent >= 0) return new D((mantissa << BigInt(exponent)).toString());
  return new D(`${(mantissa * 5n ** BigInt(-exponent)).toString()}e${exponent}`);
}
