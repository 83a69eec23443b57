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
import { FIXED_ERROR_UNITS, binaryExponent, bitLengthPositive, lnEngine } from './fixed';
import { Rounded, roundRational, roundScaled, roundedToDecimal, sameRounded } from './rounding';

const LOG2_10 = Math.log2(10);
/** Give up (internal error) beyond this working precision. Never reached for finite double inputs. */
const MAX_WORKING_BITS = 1 << 17;

/** Builder for R + Σ c_i ln x_i. */
/** c·(ln x − ln y), recorded by {@link LogForm.addLogRatio} (numerically: one logarithm of x/y). */
export interface LogRatio {
  x: number;
  y: number;
  c: Dy;
}

/** A coefficient added by addLogRatio: tagged with its pair and side, so that evaluate() recognises
 *  an unmerged pair member by identity of the stored object (merging creates a new, untagged one). */
interface PairDy extends Dy {
  readonly pair: number;
  readonly side: 0 | 1;
}

export class LogForm {
  private readonly coeffs = new Map<number, Dy>();
  private readonly ratios: Array<{ x: number; y: number; c: PairDy; negC: PairDy }> = [];
  private readonly rationals: Rat[] = [];
  private dyadicPart: Dy = { m: 0n, e: 0 };

  /** Adds c·ln(x) for a dyadic coefficient c and a positive finite double x (merging equal x). */
  addLog(c: Dy, x: number): this {
    if (c.m === 0n) return this;
    if (x === 1) return this; // ln 1 = 0 exactly
    const prev = this.coeffs.get(x);
    this.coeffs.set(x, prev === undefined ? c : dyAdd(prev, c));
    return this;
  }

  /**
   * Adds c·ln(x) − c·ln(y) (the kl term p·ln(p/q)). Symbolically the same as two addLog calls (and
   * merged like them); when neither x nor y is shared with another term, the numeric pass evaluates
   * the pair as one logarithm of x/y.
   */
  addLogRatio(c: Dy, x: number, y: number): this {
    if (c.m === 0n) return this;
    const pair = this.ratios.length;
    const cT: PairDy = { m: c.m, e: c.e, pair, side: 0 };
    const negC: PairDy = { m: -c.m, e: c.e, pair, side: 1 };
    this.addLog(cT, x).addLog(negC, y);
    this.ratios.push({ x, y, c: cT, negC });
    return this;
  }

  /**
   * The nonzero terms split into singles and the recorded ratios whose two terms are still exactly
   * c·ln x and −c·ln y (neither merged with another term nor dropped as ln 1). A ratio with one side
   * merged contributes its other side as a single. No lookups by value: pair members are recognised
   * by their tags.
   */
  split(): { singles: Array<[number, Dy]>; pairs: LogRatio[] } {
    const singles: Array<[number, Dy]> = [];
    const n = this.ratios.length;
    const seen = n > 0 ? new Uint8Array(n) : null;
    for (const [x, c] of this.coeffs) {
      if (c.m === 0n) continue;
      const t = c as PairDy;
      if (t.pair !== undefined && this.ratios[t.pair]![t.side === 0 ? 'c' : 'negC'] === c) seen![t.pair]! |= t.side === 0 ? 1 : 2;
      else singles.push([x, c]);
    }
    const pairs: LogRatio[] = [];
    for (let i = 0; i < n; i++) {
      const r = this.ratios[i]!;
      const b = seen![i]!;
      if (b === 3) pairs.push({ x: r.x, y: r.y, c: r.c });
      else if (b === 1) singles.push([r.x, r.c]);
      else if (b === 2) singles.push([r.y, r.negC]);
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
    for (const [x, c] of this.coeffs) if (!dyIsZero(c)) out.push([x, c]);
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
  return b > 60 ? (Number(m >> BigInt(b - 60)) + 1) * 2 ** (c.e + b - 60 - s) : Number(m) * 2 ** (c.e - s);
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
  let maxCoeffExp = -Infinity; // max over i of log2|c_i| (upper estimate)
  for (const [, c] of terms) maxCoeffExp = Math.max(maxCoeffExp, c.e + bitLengthPositive(c.m < 0n ? -c.m : c.m));
  for (const r of pairs) maxCoeffExp = Math.max(maxCoeffExp, r.c.e + bitLengthPositive(r.c.m < 0n ? -r.c.m : r.c.m));
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
    const a = absDyScaled(c, maxCoeffExp);
    sumAbsC += a;
    twoPowers += (c.m < 0n ? -a : a) * binaryExponent(x);
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
    const a = absDyScaled(r.c, maxCoeffExp);
    sumAbsC += a;
    twoPowers += (r.c.m < 0n ? -a : a) * (binaryExponent(r.x) - binaryExponent(r.y));
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
  const nLogs = nS + nP;

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
