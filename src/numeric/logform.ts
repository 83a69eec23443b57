/**
 * Exact evaluation of  V = R + Σ_i c_i·ln(x_i)
 * where R is a finite sum of exact rationals, the c_i are exact dyadic coefficients and the x_i are
 * positive finite doubles. Every reference quantity of the KL family is of this form for finite
 * inputs (kl, entropy, cross-entropy, generalised KL, negative entropy and its Bregman divergence,
 * the ELBO, the Gaussian KL); logEvidence adds one logarithm of a computed sum (see reference/).
 *
 * Evaluation (Ziv's strategy): at working precision W, every ln is computed at scale F = W + 8 with
 * a proven error bound; the terms are summed exactly at a common scale, giving an interval
 * [S − E, S + E] that contains V. If both ends round to the same `digits`-digit decimal, that is
 * the correctly rounded V. Otherwise W grows and we try again.
 *
 * Termination. A nonzero log part Σ c_i ln x_i is the logarithm of an algebraic number ≠ 1, hence
 * transcendental (Lindemann–Weierstrass), so V is never exactly a rational rounding boundary and
 * the loop ends. The log part can, however, be exactly zero — kl(p, p), or kl((½,½), (¼,1)) =
 * ½ln 2 + ½ln ½ — in which case no precision would decide the sign. So when the interval
 * contains 0 we decide exactly whether Π x_i^{c_i} = 1: equal x's are merged up front (so p = q
 * cancels immediately), powers of two are collected exactly, and the odd parts are factored over a
 * coprime base (gcds only, no factoring). If the log part is exactly 0, V = R is rounded exactly.
 */
import type Decimal from 'decimal.js';
import { Dy, dyAdd, dyIsZero, dyMul, dyOf, Rat, ratAdd, ratOfDy } from './dyadic';
import { F64, U32 } from './exact';
import { FIXED_ERROR_UNITS, binaryExponent, bitLengthPositive, lnEngine } from './fixed';
import { Rounded, roundRational, roundScaled, roundedToDecimal, sameRounded } from './rounding';

const LOG2_10 = Math.log2(10);
/** Give up (internal error) beyond this working precision. Never reached for finite double inputs. */
const MAX_WORKING_BITS = 1 << 17;

/** c·(ln x − ln y), recorded by {@link LogForm.addLogRatio} (numerically: one logarithm of x/y). */
export interface LogRatio {
  x: number;
  y: number;
  c: Dy;
}

/** A 32-bit mix (murmur3's finaliser) of the two halves of the double just written to F64. */
function hashBits(): number {
  let h = U32[0]! ^ Math.imul(U32[1]!, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Slots for distinct doubles: an open-addressing hash on the double's bits (typed arrays, no
 * boxing), because a Map keyed by doubles costs several hundred instructions per lookup and the
 * builder does one or two per category.
 */
class DoubleSlots {
  private keys = new Float64Array(64);
  private index = new Int32Array(64).fill(-1);
  private mask = 63;
  count = 0;
  /** Whether the last call to slot() created its slot. */
  created = false;

  /** The slot index of x, created (numbered in order of arrival) if x is new; `created` tells which. */
  slot(x: number): number {
    F64[0] = x;
    let h = hashBits() & this.mask;
    for (;;) {
      const i = this.index[h]!;
      if (i < 0) break;
      if (this.keys[h] === x) {
        this.created = false;
        return i;
      }
      h = (h + 1) & this.mask;
    }
    this.index[h] = this.count;
    this.keys[h] = x;
    this.created = true;
    const i = this.count++;
    if (2 * this.count > this.mask) this.grow();
    return i;
  }

  private grow(): void {
    const oldKeys = this.keys, oldIndex = this.index;
    const size = (this.mask + 1) * 4;
    this.keys = new Float64Array(size);
    this.index = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let j = 0; j < oldIndex.length; j++) {
      const i = oldIndex[j]!;
      if (i < 0) continue;
      const x = oldKeys[j]!;
      F64[0] = x;
      let h = hashBits() & this.mask;
      while (this.index[h]! >= 0) h = (h + 1) & this.mask;
      this.index[h] = i;
      this.keys[h] = x;
    }
  }
}

/** Builder for R + Σ c_i ln x_i. */
export class LogForm {
  private readonly slots = new DoubleSlots();
  /**
   * Per slot: the value, its merged coefficient (times `sign`, so that the −c of a ratio's second
   * value needs no negation unless it is merged), and how many terms (single or ratio sides) use it.
   * Typed arrays grown by doubling: the builder runs once per category.
   */
  private xs = new Float64Array(16);
  private readonly cs: Dy[] = [];
  private sign = new Int8Array(16);
  private uses = new Int32Array(16);
  /** Recorded ratios: slot indices of x and y, and the coefficient. */
  private ratioX = new Int32Array(16);
  private ratioY = new Int32Array(16);
  private readonly ratioC: Dy[] = [];
  private readonly rationals: Rat[] = [];
  private dyadicPart: Dy = { m: 0n, e: 0 };

  /** Adds sign·c to the slot of x; returns the slot. */
  private add(c: Dy, sign: 1 | -1, x: number): number {
    const i = this.slots.slot(x);
    if (this.slots.created) {
      if (i >= this.xs.length) this.growSlots();
      this.xs[i] = x;
      this.cs.push(c);
      this.sign[i] = sign;
      this.uses[i] = 1;
    } else {
      this.cs[i] = dyAdd(this.coefficient(i), sign === 1 ? c : { m: -c.m, e: c.e });
      this.sign[i] = 1;
      this.uses[i]!++;
    }
    return i;
  }

  /** The signed coefficient of slot i. */
  private coefficient(i: number): Dy {
    const c = this.cs[i]!;
    return this.sign[i] === 1 ? c : { m: -c.m, e: c.e };
  }

  private growSlots(): void {
    const size = this.xs.length * 2;
    const xs = new Float64Array(size), sign = new Int8Array(size), uses = new Int32Array(size);
    xs.set(this.xs);
    sign.set(this.sign);
    uses.set(this.uses);
    this.xs = xs;
    this.sign = sign;
    this.uses = uses;
  }

  /** Adds c·ln(x) for a dyadic coefficient c and a positive finite double x (merging equal x). */
  addLog(c: Dy, x: number): this {
    if (c.m === 0n) return this;
    if (x === 1) return this; // ln 1 = 0 exactly
    this.add(c, 1, x);
    return this;
  }

  /**
   * Adds c·ln(x) − c·ln(y) (the kl term p·ln(p/q)). Symbolically the same as two addLog calls (and
   * merged like them); when neither x nor y is shared with another term, the numeric pass evaluates
   * the pair as one logarithm of x/y.
   */
  addLogRatio(c: Dy, x: number, y: number): this {
    if (c.m === 0n) return this;
    const r = this.ratioC.length;
    if (r >= this.ratioX.length) {
      const rx = new Int32Array(2 * r), ry = new Int32Array(2 * r);
      rx.set(this.ratioX);
      ry.set(this.ratioY);
      this.ratioX = rx;
      this.ratioY = ry;
    }
    this.ratioX[r] = this.add(c, 1, x);
    this.ratioY[r] = this.add(c, -1, y);
    this.ratioC.push(c);
    return this;
  }

  /**
   * The nonzero terms split into singles and the recorded ratios whose two values are used by that
   * ratio alone (so their coefficients are still exactly c and −c). Every other value, with its
   * merged coefficient, is a single (ln 1 = 0 and zero coefficients dropped).
   */
  split(): { singles: Array<[number, Dy]>; pairs: LogRatio[] } {
    const n = this.cs.length;
    const inPair = new Uint8Array(n);
    const pairs: LogRatio[] = [];
    const uses = this.uses;
    for (let r = 0; r < this.ratioC.length; r++) {
      const ix = this.ratioX[r]!, iy = this.ratioY[r]!;
      if (uses[ix] === 1 && uses[iy] === 1 && ix !== iy) {
        inPair[ix] = 1;
        inPair[iy] = 1;
        pairs.push({ x: this.xs[ix]!, y: this.xs[iy]!, c: this.ratioC[r]! });
      }
    }
    const singles: Array<[number, Dy]> = [];
    for (let i = 0; i < n; i++) {
      if (inPair[i] === 1) continue;
      const x = this.xs[i]!;
      if (this.cs[i]!.m !== 0n && x !== 1) singles.push([x, this.coefficient(i)]);
    }
    return { singles, pairs };
  }

  /** Adds the exact value of the double a times ln(x). */
  addLogNumber(a: number, x: number): this {
    return a === 0 ? this : this.addLog(dyOf(a), x);
  }

  /** Adds an exact dyadic to R. */
  addDyadic(d: Dy): this {
    this.dyadicPart = dyAdd(this.dyadicPart, d);
    return this;
  }

  /** Adds an exact rational to R. */
  addRational(r: Rat): this {
    if (r.num !== 0n) this.rationals.push(r);
    return this;
  }

  /** The nonzero log terms after merging. */
  terms(): Array<[number, Dy]> {
    const out: Array<[number, Dy]> = [];
    for (let i = 0; i < this.cs.length; i++) if (!dyIsZero(this.cs[i]!) && this.xs[i] !== 1) out.push([this.xs[i]!, this.coefficient(i)]);
    return out;
  }

  /** The rational part R as a list of exact rationals (the dyadic part first). */
  rationalParts(): Rat[] {
    const out: Rat[] = [];
    const d = this.dyadicPart;
    if (d.m !== 0n) out.push(ratOfDy(d));
    return out.concat(this.rationals);
  }

  /** Evaluates to `digits` significant digits, correctly rounded, as a Decimal of `D`. */
  evaluate(digits: number, D: Decimal.Constructor): Decimal {
    const { singles, pairs } = this.split();
    return roundedToDecimal(evaluateRounded(singles, this.rationalParts(), digits, pairs), D);
  }
}

/**
 * |c|·2^-s as a double, rounded with relative error ≤ 2^-52 and never below the truth by more than
 * that (long mantissas are truncated, then bumped by one unit). Underflows to 0 only when
 * |c|·2^-s < 2^-1074.
 */
function absDyScaled(c: Dy, s: number): number {
  const m = c.m < 0n ? -c.m : c.m;
  const b = bitLengthPositive(m);
  return b > 60 ? (Number(m >> BigInt(b - 60)) + 1) * pow2(c.e + b - 60 - s) : Number(m) * pow2(c.e - s);
}

/** 2^e as a double (0 below 2^-1074, ∞ above 2^1023), from a table in the usual range. */
const POW2 = Float64Array.from({ length: 2201 }, (_, i) => 2 ** (i - 1100));
function pow2(e: number): number {
  return e >= -1100 && e <= 1100 ? POW2[e + 1100]! : 2 ** e;
}

/**
 * Correctly rounded value of R + Σ c ln x + Σ c·(ln x − ln y) (null for exactly zero): `terms` are
 * single terms c·ln x, `pairs` (optional) terms c·ln x − c·ln y on values x, y that appear nowhere
 * else, evaluated numerically as c·ln(x/y): one logarithm instead of two. The exactness test sees
 * every term.
 *
 * Each pass accumulates, per coefficient exponent e, the exact sum Σ m_i·L_i of the coefficients'
 * integer mantissas times the logarithms (at the engine's scale F + 8), and shifts each group to the
 * accumulator's unit once: the only truncation is one per group.
 */
export function evaluateRounded(terms: Array<[number, Dy]>, rationals: Rat[], digits: number, pairs: readonly LogRatio[] = []): Rounded | null {
  if (terms.length === 0 && pairs.length === 0) return roundExactRational(rationals, digits);

  const nS = terms.length;
  const nP = pairs.length;
  // Coefficients as signed doubles (Number(m) is correctly rounded; relative error ≤ 2^-53), for the
  // error bound and the magnitude estimate only. maxCoeffExp: max over i of log2|c_i|, an upper
  // estimate read from the double's exponent (exact bit length unless rounding reached the next
  // power of two, which only overestimates).
  const nLogs = nS + nP;
  const cv = new Float64Array(nLogs);
  let maxCoeffExp = -Infinity;
  for (let i = 0; i < nLogs; i++) {
    const c = i < nS ? terms[i]![1] : pairs[i - nS]!.c;
    const v = Number(c.m);
    cv[i] = v;
    const b = Number.isFinite(v) ? binaryExponent(Math.abs(v)) + 1 : bitLengthPositive(c.m < 0n ? -c.m : c.m);
    if (c.e + b > maxCoeffExp) maxCoeffExp = c.e + b;
  }
  // Groups by coefficient exponent; Σ|c| (for the error bound E) and Σ c·k (the powers of two, for
  // the magnitude estimate) in doubles, scaled by 2^-maxCoeffExp.
  const groupOf = new Map<number, number>();
  const groupE: number[] = [];
  const group = (e: number): number => {
    let g = groupOf.get(e);
    if (g === undefined) {
      g = groupE.length;
      groupE.push(e);
      groupOf.set(e, g);
    }
    return g;
  };
  /** |c_i|·2^-maxCoeffExp, rounded with relative error ≤ 2^-52 (see absDyScaled). */
  const scaledAbs = (i: number, c: Dy): number => {
    const v = cv[i]!;
    return Number.isFinite(v) ? Math.abs(v) * pow2(c.e - maxCoeffExp) : absDyScaled(c, maxCoeffExp);
  };
  const sX = new Float64Array(nS);
  const sM: bigint[] = new Array<bigint>(nS);
  const sG = new Int32Array(nS);
  let sumAbsC = 0;
  let twoPowers = 0;
  for (let i = 0; i < nS; i++) {
    const [x, c] = terms[i]!;
    sX[i] = x;
    sM[i] = c.m;
    sG[i] = group(c.e);
    const a = scaledAbs(i, c);
    sumAbsC += a;
    twoPowers += (cv[i]! < 0 ? -a : a) * binaryExponent(x);
  }
  const pX = new Float64Array(nP);
  const pY = new Float64Array(nP);
  const pM: bigint[] = new Array<bigint>(nP);
  const pG = new Int32Array(nP);
  for (let i = 0; i < nP; i++) {
    const r = pairs[i]!;
    pX[i] = r.x;
    pY[i] = r.y;
    pM[i] = r.c.m;
    pG[i] = group(r.c.e);
    const a = scaledAbs(nS + i, r.c);
    sumAbsC += a;
    twoPowers += (cv[nS + i]! < 0 ? -a : a) * (binaryExponent(r.x) - binaryExponent(r.y));
  }
  const nGroups = groupE.length;
  // Every term, for the exactness test (built only if it runs).
  const allTerms = (): Array<{ x: number; c: Dy }> => [
    ...terms.map(([x, c]) => ({ x, c })),
    ...pairs.flatMap((r) => [{ x: r.x, c: r.c }, { x: r.y, c: { m: -r.c.m, e: r.c.e } }]),
  ];
  const nTerms = nS + 2 * nP;
  // Magnitude estimate of the whole (log2), to place the accumulator's scale: |ln y| < 1 per term
  // plus slack for sums, and the powers of two Σ c·k·ln 2.
  let magnitude = maxCoeffExp + 10;
  if (twoPowers !== 0) magnitude = Math.max(magnitude, maxCoeffExp + Math.ceil(Math.log2(Math.abs(twoPowers))) + 2);
  for (const r of rationals) magnitude = Math.max(magnitude, bitLengthPositive(abs(r.num)) - bitLengthPositive(r.den) + 2);
  const nBits = Math.ceil(Math.log2(nTerms + rationals.length + 2));

  let W = quantize(Math.ceil(digits * LOG2_10) + 12 + nBits);
  let exactnessChecked = false;
  for (;;) {
    const F = W + 8;
    const eng = lnEngine(F); // results at scale eng.Fi, error ≤ FIXED_ERROR_UNITS units of 2^-F
    // Accumulator unit 2^A, fine enough that per-group truncation is negligible.
    const A = magnitude - F - nBits - 8;
    // Error of the logarithms, in units of 2^A: Σ|c|·FIXED_ERROR_UNITS·2^(−F−A), plus < 1 per
    // group for truncating its sum (nGroups ≤ nLogs). The sum is taken in doubles, scaled by
    // 2^-maxCoeffExp (so the factor 2^(maxCoeffExp−F−A) ≤ 2^(nBits−2) cannot overflow): each |c| and
    // each addition is rounded with relative error ≤ 2^-52, which (1 + (2n+2)·2^-52) covers; a |c|
    // that underflows is below 2^-1074 of the largest, so its share is below one unit, covered by a
    // second unit per logarithm.
    const slack = 1 + (2 * nLogs + 2) * 2 ** -52;
    let E = BigInt(Math.ceil(sumAbsC * Number(FIXED_ERROR_UNITS) * 2 ** (maxCoeffExp - F - A) * slack)) + 2n * BigInt(nLogs);
    const acc: bigint[] = new Array<bigint>(nGroups).fill(0n);
    for (let i = 0; i < nS; i++) acc[sG[i]!] += sM[i]! * eng.ln(sX[i]!);
    for (let i = 0; i < nP; i++) acc[pG[i]!] += pM[i]! * eng.lnRatio(pX[i]!, pY[i]!);
    let S = 0n;
    for (let g = 0; g < nGroups; g++) S += shiftSigned(acc[g]!, groupE[g]! - eng.Fi - A);
    for (const r of rationals) {
      // r·2^-A, truncated toward zero: error < 1 unit
      const num = A <= 0 ? r.num << BigInt(-A) : r.num;
      const den = A <= 0 ? r.den : r.den << BigInt(A);
      S += num / den;
      E += 1n;
    }
    const absS = abs(S);
    if (absS > E) {
      const lo = roundScaled(S - (S > 0n ? E : -E), A, digits);
      const hi = roundScaled(S + (S > 0n ? E : -E), A, digits);
      if (sameRounded(lo, hi)) return lo;
    } else if (!exactnessChecked) {
      exactnessChecked = true;
      if (logPartIsExactlyZero(allTerms())) return roundExactRational(rationals, digits);
    }
    // Not decided: raise the precision by what the interval says is missing, at least 32 bits.
    const missing = absS > E ? 24 : Math.max(bitLengthPositive(E) - bitLengthPositive(absS || 1n), 0) + 16;
    W = quantize(W + Math.max(32, missing, Math.ceil(W / 2)));
    if (W > MAX_WORKING_BITS) throw new Error('evaluateRounded: precision limit reached (please report this input)');
  }
}

/** Working precisions are multiples of 32 bits, so the lazily built tables are shared between calls. */
export function quantize(bits: number): number {
  return Math.ceil(bits / 32) * 32;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** x·2^shift, truncated toward −∞ for negative shifts. */
function shiftSigned(x: bigint, shift: number): bigint {
  return shift >= 0 ? x << BigInt(shift) : x >> BigInt(-shift);
}

function roundExactRational(rationals: Rat[], digits: number): Rounded | null {
  let sum: Rat = { num: 0n, den: 1n };
  for (const r of rationals) sum = ratAdd(sum, r);
  return roundRational(sum.num, sum.den, digits);
}

// ---------------------------------------------------------------------------------------------
// Exact zero test for Σ c_i ln x_i

/**
 * Decides exactly whether Σ c_i·ln(x_i) = 0, i.e. Π x_i^{c_i} = 1, for dyadic c_i and positive
 * doubles x_i = o_i·2^{k_i} (o_i odd). Since odd and power-of-two parts cannot compensate each
 * other, this holds iff Σ c_i k_i = 0 and Π o_i^{c_i} = 1. For the latter we build a coprime base
 * of the odd parts by factor refinement (gcds only) and require every base exponent Σ c_i e_ij = 0.
 */
export function logPartIsExactlyZero(prepared: ReadonlyArray<{ x: number; c: Dy }>): boolean {
  let twoExp: Dy = { m: 0n, e: 0 };
  const odd = new Map<number, Dy>();
  for (const { x, c } of prepared) {
    const { o, k } = oddPart(x);
    twoExp = dyAdd(twoExp, dyMul(c, { m: BigInt(k), e: 0 }));
    if (o !== 1) {
      const prev = odd.get(o);
      odd.set(o, prev === undefined ? c : dyAdd(prev, c));
    }
  }
  if (twoExp.m !== 0n) return false;
  const entries = [...odd.entries()].filter(([, c]) => c.m !== 0n);
  if (entries.length === 0) return true;
  if (entries.length === 1) return false; // o^c = 1 with o > 1 odd forces c = 0
  const base = coprimeBase(entries.map(([o]) => o));
  const exps = new Map<number, Dy>();
  for (const [o, c] of entries) {
    let rest = o;
    for (const b of base) {
      let e = 0;
      while (rest % b === 0) {
        rest /= b;
        e++;
      }
      if (e > 0) {
        const prev = exps.get(b);
        const add = dyMul(c, { m: BigInt(e), e: 0 });
        exps.set(b, prev === undefined ? add : dyAdd(prev, add));
      }
    }
    if (rest !== 1) throw new Error('logPartIsExactlyZero: coprime base does not span (internal error)');
  }
  for (const c of exps.values()) if (c.m !== 0n) return false;
  return true;
}

/** x = o·2^k with o an odd integer (< 2^53, exact in a double). */
export function oddPart(x: number): { o: number; k: number } {
  const { mantissa, exponent } = dyOfPositive(x);
  return { o: Number(mantissa), k: exponent };
}

function dyOfPositive(x: number): { mantissa: bigint; exponent: number } {
  const d = dyOf(x);
  return { mantissa: d.m, exponent: d.e };
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * A set of pairwise coprime integers > 1 such that every input is a product of powers of them
 * (factor refinement). Inputs are odd integers below 2^53, so Number arithmetic is exact.
 */
export function coprimeBase(nums: number[]): number[] {
  const base: number[] = [];
  const work = nums.filter((n) => n > 1);
  while (work.length > 0) {
    const x = work.pop()!;
    if (x === 1) continue;
    let split = false;
    for (let i = 0; i < base.length; i++) {
      const b = base[i]!;
      const g = gcd(x, b);
      if (g === 1) continue;
      if (g === b && g === x) {
        split = true; // already present
        break;
      }
      base.splice(i, 1);
      work.push(g, x / g, b / g);
      split = true;
      break;
    }
    if (!split) base.push(x);
  }
  return base;
}
