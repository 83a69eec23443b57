/**
 * Exact arithmetic on dyadic rationals (m·2^e, BigInt m) and plain rationals (num/den), used to
 * carry the exactly representable parts of a quantity (Σq − Σp, Σ q·logJoint, the rational part of
 * the Gaussian KL) without rounding.
 */
import { signedDyadic } from './exact';

/** m·2^e with an integer m (any sign; not necessarily odd). */
export interface Dy {
  readonly m: bigint;
  readonly e: number;
}

export const DY_ZERO: Dy = { m: 0n, e: 0 };

/** The exact dyadic value of a finite double, with an odd mantissa (exact.ts's signedDyadic). */
export function dyOf(x: number): Dy {
  return signedDyadic(x);
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
