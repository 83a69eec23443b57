/**
 * Exact arithmetic on dyadic rationals (m·2^e, BigInt m) and plain rationals (num/den), used to
 * carry the exactly representable parts of a quantity (Σq − Σp, Σ q·logJoint, the rational part of
 * the Gaussian KL) without rounding.
 */

/** m·2^e with an integer m (any sign; not necessarily odd). */
export interface Dy {
  readonly m: bigint;
  readonly e: number;
}

export const DY_ZERO: Dy = { m: 0n, e: 0 };

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;
/** 2^-k for k = 0 … 64, exact. */
const POW2_NEG: number[] = Array.from({ length: 65 }, (_, k) => 2 ** -k);

/**
 * The exact dyadic value of a finite double, with an odd mantissa: read from the bits, trailing
 * zeros stripped in double arithmetic (exact: a power of two dividing an integer below 2^53), one
 * conversion to BigInt. Same value as exact.ts's toDyadic, without its intermediate objects (this is
 * called once per category by the reference).
 */
export function dyOf(x: number): Dy {
  if (!Number.isFinite(x)) throw new RangeError(`dyOf: ${x} is not finite`);
  if (x === 0) return { m: 0n, e: 0 };
  f64[0] = x;
  const hiWord = u32[HI]!;
  const lo = u32[LO]!;
  const biased = (hiWord >>> 20) & 0x7ff;
  const hi = biased === 0 ? hiWord & 0xfffff : (hiWord & 0xfffff) | 0x100000;
  const tz = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 32 + (31 - Math.clz32(hi & -hi));
  const odd = (hi * 4294967296 + lo) * POW2_NEG[tz]!;
  const m = BigInt(odd);
  return { m: hiWord >>> 31 === 1 ? -m : m, e: (biased === 0 ? -1074 : biased - 1075) + tz };
}

export function dyAdd(a: Dy, b: Dy): Dy {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  if (a.e === b.e) return { m: a.m + b.m, e: a.e };
  if (a.e < b.e) return { m: a.m + (b.m << BigInt(b.e - a.e)), e: a.e };
  return { m: (a.m << BigInt(a.e - b.e)) + b.m, e: b.e };
}

export function dyNeg(a: Dy): Dy {
  return { m: -a.m, e: a.e };
}

export function dySub(a: Dy, b: Dy): Dy {
  return dyAdd(a, dyNeg(b));
}

export function dyMul(a: Dy, b: Dy): Dy {
  return { m: a.m * b.m, e: a.e + b.e };
}

export function dyIsZero(a: Dy): boolean {
  return a.m === 0n;
}

/** Exact rational num/den with den > 0 (not necessarily reduced). */
export interface Rat {
  readonly num: bigint;
  readonly den: bigint;
}

export function ratOfDy(a: Dy): Rat {
  return a.e >= 0 ? { num: a.m << BigInt(a.e), den: 1n } : { num: a.m, den: 1n << BigInt(-a.e) };
}

export function ratAdd(a: Rat, b: Rat): Rat {
  if (a.num === 0n) return b;
  if (b.num === 0n) return a;
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

/** a / b for dyadics (b ≠ 0) as a rational. */
export function ratDivDy(a: Dy, b: Dy): Rat {
  if (b.m === 0n) throw new RangeError('ratDivDy: division by zero');
  // (am·2^ae)/(bm·2^be) = am·2^(ae−be)/bm
  const shift = a.e - b.e;
  let num = shift >= 0 ? a.m << BigInt(shift) : a.m;
  let den = shift >= 0 ? b.m : b.m << BigInt(-shift);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  return { num, den };
}
