/**
 * Our float64 kernels for the KL family: accurate, not just plausible.
 *
 * Every kernel takes float64 inputs, validates them (an {@link InvalidInputError} naming the
 * function, argument, index and reason — never a silent NaN), and returns a float64 within a few
 * ulps of the exact value of the quantity for the inputs as given (natural logarithms). The error
 * model, the derivations of every series and the measured accuracy are in `docs/accuracy.md`.
 *
 * Building blocks (all below, private):
 *  - error-free transformations: TwoSum, FastTwoSum, Dekker's TwoProduct (JS has no fma);
 *  - double-double ("dd", an unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2) add / mul / div;
 *  - `logDD`: log x as a double-double with error < 2^-100·max(1, |log x|) (reduction to
 *    [√½, √2), a 93-entry table of log(j/128), and a short 2·atanh series);
 *  - `expDD`: exp(x) for a double-double x, relative error < 2^-95 (Math.exp refined by one
 *    Newton step on logDD; below e^-670 a single correctly rounded double);
 *  - `genTerm(p, q)`: the generalised KL term t = p·log(p/q) − p + q ≥ 0 as a double-double with
 *    relative error < 2^-58, with no cancellation near p ≈ q (the atanh series);
 *  - exact summation of doubles (Shewchuk's expansions, as in Python's math.fsum) and a correctly
 *    rounded final combination.
 *
 * Double-double results are returned as `hi` with the low part in the module register `LO`
 * (no allocation in the inner loops). A function documented as "→ dd" sets `LO` before returning.
 *
 * Conventions of the extended reals (the same as the reference): 0·log 0 = 0; p·log(p/0) = +∞ for
 * p > 0 (support mismatch, not an error); log 0 = −∞; an ELBO term with q(z) = 0 is 0 even where
 * logJoint[z] = −∞; q(z) > 0 with logJoint[z] = −∞ makes the ELBO −∞.
 */
import { InvalidInputError } from '../numeric/errors';
import {
  finiteNumber,
  finiteVector,
  logJointVector,
  positiveNumber,
  positiveVector,
  probabilityVector,
  sameLength,
  Vector,
} from '../numeric/validate';

// ---------------------------------------------------------------------------------------------
// Error-free transformations and double-double arithmetic
// ---------------------------------------------------------------------------------------------

/** Low part of the last double-double result. */
let LO = 0;

const TWO_P27_1 = 134217729; // 2^27 + 1, Dekker's splitter
const P2_28 = 2 ** 28;
const P2_M28 = 2 ** -28;
const P2_995 = 2 ** 995;
const P2_600 = 2 ** 600;
const P2_M600 = 2 ** -600;
const P2_M900 = 2 ** -900;
const P2_900 = 2 ** 900;
const P2_M500 = 2 ** -500;
const P2_500 = 2 ** 500;
const P2_M422 = 2 ** -422;
const P2_M1022 = 2 ** -1022;
const P2_54 = 2 ** 54;

/** a + b = hi + LO exactly (Knuth's TwoSum). Returns hi. */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  LO = (a - (s - bb)) + (b - bb);
  return s;
}

/** a + b = hi + LO exactly, assuming |a| ≥ |b| or a = 0 (Dekker's FastTwoSum). */
function fastTwoSum(a: number, b: number): number {
  const s = a + b;
  LO = b - (s - a);
  return s;
}

let SPLIT_LO = 0;
/** Dekker's split: a = hi + SPLIT_LO, each half with ≤ 26 significant bits. Safe up to 2^1023. */
function split(a: number): number {
  if (Math.abs(a) > P2_995) {
    const s = a * P2_M28;
    const c = TWO_P27_1 * s;
    const h = c - (c - s);
    SPLIT_LO = (s - h) * P2_28;
    return h * P2_28;
  }
  const c = TWO_P27_1 * a;
  const h = c - (c - a);
  SPLIT_LO = a - h;
  return h;
}

/**
 * a·b = hi + LO exactly (Dekker's TwoProduct), provided no underflow (|a·b| ≥ 2^-969) and no
 * overflow. When a·b is infinite LO is 0.
 */
function twoProd(a: number, b: number): number {
  const p = a * b;
  if (!(Math.abs(p) < Infinity)) {
    LO = 0;
    return p;
  }
  const ah = split(a);
  const al = SPLIT_LO;
  const bh = split(b);
  const bl = SPLIT_LO;
  LO = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

/**
 * (ah + al) + (bh + bl) → dd (the accurate "IEEE" double-double addition, rel. err ≤ 2^-104).
 * An overflowing sum returns ±∞ with LO = 0 (not the NaN that TwoSum would make of it).
 */
function ddAdd(ah: number, al: number, bh: number, bl: number): number {
  let s = twoSum(ah, bh);
  if (!(Math.abs(s) < Infinity)) {
    LO = 0;
    return s;
  }
  let e = LO;
  const t = twoSum(al, bl);
  const f = LO;
  e += t;
  s = fastTwoSum(s, e);
  e = LO + f;
  return fastTwoSum(s, e);
}

/** (ah + al) + b → dd (±∞ with LO = 0 on overflow). */
function ddAddD(ah: number, al: number, b: number): number {
  const s = twoSum(ah, b);
  if (!(Math.abs(s) < Infinity)) {
    LO = 0;
    return s;
  }
  const e = LO + al;
  return fastTwoSum(s, e);
}

/** (ah + al)·(bh + bl) → dd (relative error ≤ 2^-102 barring underflow). */
function ddMul(ah: number, al: number, bh: number, bl: number): number {
  const p = twoProd(ah, bh);
  if (!(Math.abs(p) < Infinity)) {
    LO = 0;
    return p;
  }
  const e = LO + (ah * bl + al * bh);
  return fastTwoSum(p, e);
}

/** (ah + al)·b → dd. */
function ddMulD(ah: number, al: number, b: number): number {
  const p = twoProd(ah, b);
  if (!(Math.abs(p) < Infinity)) {
    LO = 0;
    return p;
  }
  const e = LO + al * b;
  return fastTwoSum(p, e);
}

/** (ah + al)/(bh + bl) → dd (relative error ≤ 2^-100 barring underflow). */
function ddDiv(ah: number, al: number, bh: number, bl: number): number {
  const q1 = ah / bh;
  if (!(Math.abs(q1) < Infinity) || q1 === 0) {
    LO = 0;
    return q1;
  }
  const p = twoProd(q1, bh);
  const pe = LO;
  // a − q1·b, where ah − p is exact (Sterbenz) and the rest are small corrections.
  const r = (((ah - p) - pe) + al) - q1 * bl;
  return fastTwoSum(q1, r / bh);
}

// dd constants
function ddRecip(k: number): [number, number] {
  const h = 1 / k;
  const p = twoProd(h, k);
  return [h, ((1 - p) - LO) / k];
}

/**
 * ln 2 in three parts: LN2_HI (fdlibm's ln2_hi, 32 significant bits, so k·LN2_HI is exact for
 * |k| < 2^21), LN2_MID = fl(ln 2) − LN2_HI (exact) and LN2_LO, the low word of the double-double
 * ln 2 = 0.6931471805599453 + 2.319046813846299558e-17 (QD library); |ln 2 − Σ| < 2^-107.
 */
const LN2_HI = 6.93147180369123816490e-1; // 0x3FE62E42_FEE00000
const LN2_DD_HI = 6.931471805599452862e-1;
const LN2_MID = LN2_DD_HI - LN2_HI; // exact (Sterbenz)
const LN2_LO = 2.319046813846299558e-17;
const SQRT2 = Math.SQRT2;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;

const [THIRD_HI, THIRD_LO] = ddRecip(3);
const [FIFTH_HI, FIFTH_LO] = ddRecip(5);

/**
 * 2·atanh(z) → dd for a dd z, |z| ≤ 0.18, every term in double-double (slow; used only to build
 * the table below): 2z·Σ_{k<24} z^{2k}/(2k+1), truncation < 0.0324^24 < 2^-118.
 */
function atanh2Slow(zh: number, zl: number): number {
  const wh = ddMul(zh, zl, zh, zl);
  const wl = LO;
  let ah = 0;
  let al = 0;
  for (let k = 23; k >= 0; k--) {
    const [rh, rl] = ddRecip(2 * k + 1);
    ah = ddMul(ah, al, wh, wl);
    al = LO;
    ah = ddAdd(ah, al, rh, rl);
    al = LO;
  }
  const h = ddMul(ah, al, zh, zl);
  LO *= 2;
  return 2 * h;
}

/** LOG_C[j] = log(j/128) as [hi, lo] for j = 90..182 (c = j/128 covers [√½, √2) to within 1/256). */
const LOG_C_HI = new Float64Array(183);
const LOG_C_LO = new Float64Array(183);
for (let j = 90; j <= 182; j++) {
  const c = j / 128;
  const num = c - 1; // exact
  const dh = twoSum(c, 1);
  const dl = LO;
  const zh = ddDiv(num, 0, dh, dl);
  const zl = LO;
  LOG_C_HI[j] = atanh2Slow(zh, zl);
  LOG_C_LO[j] = LO;
}

/** Tail coefficients 1/7, 1/9, 1/11, 1/13 of the short series below. */
const T7 = 1 / 7;
const T9 = 1 / 9;
const T11 = 1 / 11;
const T13 = 1 / 13;

/**
 * log x → dd for a finite x > 0 (x = +0 is not accepted: callers handle it).
 *
 * x = 2^k·m with m ∈ [√½, √2); c = j/128 the nearest table point (|m − c| ≤ 1/256, m − c exact);
 * log x = k·ln2 + log c + 2·atanh(z), z = (m − c)/(m + c) (dd), |z| < 2^-8.4, and
 * 2·atanh(z) = 2z·(1 + z²/3 + z⁴/5 + z⁶·(1/7 + z²/9 + z⁴/11 + z⁶/13)), the first three terms in
 * double-double, the tail (< 2^-51 relative) in double: series error < 2^-104 relative.
 * log c comes from a table built at load time with an all-double-double series (error < 2^-104),
 * k·ln2 from the three-part ln 2 (error < |k|·2^-107). Net: |error| < 2^-100·max(1, |log x|)
 * (measured 2^-103; see docs/accuracy.md §3.1).
 */
function logDD(x: number): number {
  let k = 0;
  if (x < P2_M1022) {
    x *= P2_54;
    k = -54;
  }
  F64[0] = x;
  const hw = U32[HI_WORD]!;
  k += ((hw >>> 20) & 0x7ff) - 1023;
  U32[HI_WORD] = (hw & 0x800fffff) | 0x3ff00000;
  let m = F64[0]!;
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  const j = Math.round(m * 128);
  const c = j / 128;
  const num = m - c; // exact (Sterbenz)
  let lh: number;
  let ll: number;
  if (num === 0) {
    lh = LOG_C_HI[j]!;
    ll = LOG_C_LO[j]!;
  } else {
    const dh = twoSum(m, c);
    const dl = LO;
    const zh = num / dh;
    const p = twoProd(zh, dh);
    const zl = (((num - p) - LO) - zh * dl) / dh;
    const z2h = ddMul(zh, zl, zh, zl);
    const z2l = LO;
    const z4h = ddMul(z2h, z2l, z2h, z2l);
    const z4l = LO;
    // tail z⁶·(1/7 + w/9 + w²/11 + w³/13) in double
    const w = z2h;
    const tail = z4h * w * (T7 + w * (T9 + w * (T11 + w * T13)));
    let th = ddMul(z4h, z4l, FIFTH_HI, FIFTH_LO);
    let tl = LO;
    th = ddAddD(th, tl, tail);
    tl = LO;
    const uh = ddMul(z2h, z2l, THIRD_HI, THIRD_LO);
    const ul = LO;
    th = ddAdd(uh, ul, th, tl);
    tl = LO;
    const fh = twoSum(1, th);
    const fl = LO + tl;
    lh = ddMul(zh, zl, fh, fl);
    ll = LO;
    lh *= 2;
    ll *= 2;
    if (j !== 128) {
      lh = ddAdd(LOG_C_HI[j]!, LOG_C_LO[j]!, lh, ll);
      ll = LO;
    }
  }
  if (k === 0) {
    LO = ll;
    return lh;
  }
  // k·ln2 = k·LN2_HI (exact) + k·LN2_MID (TwoProduct) + k·LN2_LO
  const kh = k * LN2_HI;
  const mh = twoProd(k, LN2_MID);
  const ml = LO + k * LN2_LO;
  const kmh = ddAdd(kh, 0, mh, ml);
  const kml = LO;
  return ddAdd(kmh, kml, lh, ll);
}

/** log(xh + xl) → dd for a dd xh + xl > 0 with |xl| ≤ ulp(xh): log xh + r − r²/2, r = xl/xh. */
function logDDdd(xh: number, xl: number): number {
  const h = logDD(xh);
  const l = LO;
  if (xl === 0) {
    LO = l;
    return h;
  }
  const r = xl / xh;
  return ddAddD(h, l, r - 0.5 * r * r);
}

/** The neighbouring double of a finite x in the direction of the sign of dir (bit arithmetic). */
function nextToward(x: number, dir: number): number {
  if (x === 0) return dir > 0 ? 2 ** -1074 : -(2 ** -1074);
  F64[0] = x;
  let hi = U32[HI_WORD]!;
  let lo = U32[1 - HI_WORD]!;
  if (x > 0 === dir > 0) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    if (lo === 0) hi = (hi - 1) >>> 0;
    lo = (lo - 1) >>> 0;
  }
  U32[HI_WORD] = hi;
  U32[1 - HI_WORD] = lo;
  return F64[0]!;
}

/**
 * The correctly rounded value of (hi + lo)·2^e, e < 0, also when it lands among the subnormals or
 * just above them (where rounding hi·2^e and lo·2^e separately double-rounds). |hi|·2^(e/2) must
 * be a normal double. r = fl(hi·2^e); the residual (hi − r·2^-e) + lo is formed in the scaled
 * space (hi − r·2^-e exactly) and r moves one step if the residual exceeds half the gap to its
 * neighbour. Ties (measure zero) may go either way.
 */
function roundScaled(hi: number, lo: number, e: number): number {
  const a = Math.trunc(e / 2);
  const r = hi * 2 ** a * 2 ** (e - a);
  if (Math.abs(r) >= 2 ** -968) return r + lo * 2 ** a * 2 ** (e - a); // lo·2^e stays normal
  const back = r * 2 ** -a * 2 ** (a - e); // exact
  const res = (hi - back) + lo; // hi − back is exact (Sterbenz)
  if (res === 0) return r;
  const n = nextToward(r, res);
  const gap = (n - r) * 2 ** -a * 2 ** (a - e); // exact, in the scaled space
  return Math.abs(res) > Math.abs(gap) / 2 ? n : r;
}

/** 1000·ln 2 as dd. */
const LN2_1000_HI = twoSum(1000 * LN2_HI, 1000 * LN2_MID);
const LN2_1000_LO = LO + 1000 * LN2_LO;

/**
 * exp(xh + xl) → dd, relative error < 2^-95. y0 = Math.exp(xh) (< 1 ulp), then one Newton step on
 * the accurate logarithm: exp(x) = y0·exp(δ), δ = x − log y0 (|δ| ≲ 2^-52), exp(δ) = 1 + δ + δ²/2.
 * Below e^-670, where LO would be subnormal, the result is one correctly rounded double (LO = 0):
 * exp(x + 1000·ln 2)·2^-1000 rounded once by roundScaled.
 */
function expDD(xh: number, xl: number): number {
  if (xh < -670) {
    if (xh + xl < -746) {
      LO = 0;
      return 0;
    }
    // exp(x) = exp(x + 1000·ln2)·2^-1000, rounded once into the subnormal range.
    const sh = ddAdd(xh, xl, LN2_1000_HI, LN2_1000_LO);
    const sl = LO;
    const h = expDD(sh, sl);
    const l = LO;
    LO = 0;
    return roundScaled(h, l, -1000);
  }
  const y0 = Math.exp(xh);
  if (y0 === Infinity) {
    LO = 0;
    return Infinity;
  }
  const lh = logDD(y0);
  const ll = LO;
  const dh = twoSum(xh, -lh);
  const delta = dh + ((LO - ll) + xl);
  const c = y0 * (delta + 0.5 * delta * delta);
  return fastTwoSum(y0, c);
}

// ---------------------------------------------------------------------------------------------
// The generalised KL term t = p·log(p/q) − p + q (≥ 0) and its series
// ---------------------------------------------------------------------------------------------

/** B(x) = Σ_{k≥0} x^k/(2k+3): the first three coefficients in dd, the tail in double. */
const B_DD: Array<[number, number]> = [ddRecip(3), ddRecip(5), ddRecip(7)];
const B_TAIL = Array.from({ length: 40 }, (_, k) => 1 / (2 * (k + 3) + 3)); // 1/9, 1/11, …

/**
 * Number of tail terms after the three dd coefficients, by |s| band: the truncation error of B
 * after K terms is < x^K/(2K+3)/(1 − x) with x = s², and it enters t relatively through
 * s(1+s)·B ≤ 0.75·B: K = 3 for |s| ≤ 2^-10 (x^3 ≤ 2^-60), 6 for ≤ 1/32, 10 for ≤ 1/8, 15 for
 * ≤ 1/4, 29 for ≤ 1/2 (x^29 ≤ 2^-58, /61) — all < 2^-60 relative.
 */
function bTerms(as: number): number {
  if (as <= 2 ** -10) return 3;
  if (as <= 1 / 32) return 6;
  if (as <= 1 / 8) return 10;
  if (as <= 1 / 4) return 15;
  return 29;
}

/**
 * F(s) = 1 + s(1+s)·B(s²) → dd for a dd s with |s| ≤ 1/2 (so F ∈ [0.9, 1.3]).
 * (1+s)·atanh(s) − s = s²·F(s); see docs/accuracy.md.
 */
function seriesFactor(sh: number, sl: number): number {
  const xh = ddMul(sh, sl, sh, sl);
  const xl = LO;
  const K = bTerms(Math.abs(sh));
  let tail = 0;
  if (K > 3) {
    tail = B_TAIL[K - 4]!;
    for (let i = K - 5; i >= 0; i--) tail = tail * xh + B_TAIL[i]!;
  }
  // Horner in dd: acc = c2 + x·tail; acc = c1 + x·acc; acc = c0 + x·acc
  let ah = ddMulD(xh, xl, tail);
  let al = LO;
  ah = ddAdd(B_DD[2]![0], B_DD[2]![1], ah, al);
  al = LO;
  for (let j = 1; j >= 0; j--) {
    ah = ddMul(xh, xl, ah, al);
    al = LO;
    ah = ddAdd(B_DD[j]![0], B_DD[j]![1], ah, al);
    al = LO;
  }
  // a = s + s² = s(1+s)
  const sph = ddAdd(sh, sl, xh, xl);
  const spl = LO;
  ah = ddMul(sph, spl, ah, al);
  al = LO;
  return ddAddD(ah, al, 1);
}

/**
 * The generalised KL term t = p·log(p/q) − p + q → dd, for finite p > 0, q > 0. Never negative.
 *
 * With d = p − q, σ = p + q, s = d/σ (all exact or dd):
 *   t = σ·[(1+s)·atanh(s) − s] = d·s·F(s),   F(s) = 1 + s(1+s)·B(s²),  for |s| ≤ 1/2
 *   (p/q ∈ [1/3, 3]); otherwise t = p·L − d with L = log(p/q) from the dd ratio
 *   ρ = p/q (ρ_lo = (p − ρ_hi·q)/q exactly), L = log ρ_hi + log1p(ρ_lo/ρ_hi), or
 *   L = log p − log q where the ratio over/underflows. t is homogeneous of degree 1, so tiny or
 *   huge pairs are first scaled by 2^±600 (exactly) into the range where no product underflows.
 */
function genTerm(p: number, q: number): number {
  let scale = 1;
  const mx = p > q ? p : q;
  let mn = p > q ? q : p;
  if (mx < P2_M500) {
    p *= P2_600;
    q *= P2_600;
    mn *= P2_600;
    scale = P2_M600;
  } else if (mx > P2_500 && mn >= P2_M422) {
    p *= P2_M600;
    q *= P2_M600;
    mn *= P2_M600;
    scale = P2_600;
  }
  const dh = p - q;
  const dl = twoDiffLo(p, q, dh);
  let th: number;
  let tl: number;
  const sgh = twoSum(p, q);
  const sgl = LO;
  const sh = ddDiv(dh, dl, sgh, sgl);
  const sl = LO;
  if (Math.abs(sh) <= 0.5) {
    const dsh = ddMul(dh, dl, sh, sl);
    const dsl = LO;
    const fh = seriesFactor(sh, sl);
    const fl = LO;
    th = ddMul(dsh, dsl, fh, fl);
    tl = LO;
  } else {
    let Lh: number;
    let Ll: number;
    const rh = p / q;
    if (mn >= P2_M900 && rh >= P2_M900 && rh <= P2_900) {
      const ph = twoProd(rh, q);
      const rl = ((p - ph) - LO) / q;
      Lh = logDDdd(rh, rl);
      Ll = LO;
    } else {
      const a = logDD(p);
      const al = LO;
      const b = logDD(q);
      const bl = LO;
      Lh = ddAdd(a, al, -b, -bl);
      Ll = LO;
    }
    th = ddMulD(Lh, Ll, p);
    tl = LO;
    th = ddAdd(th, tl, -dh, -dl);
    tl = LO;
  }
  if (scale !== 1) {
    LO = tl * scale;
    return th * scale;
  }
  LO = tl;
  return th;
}

/** The exact low part of a − b given its rounded value s (TwoDiff). */
function twoDiffLo(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) - (b + bb);
}

// ---------------------------------------------------------------------------------------------
// Exact summation (Shewchuk's nonoverlapping expansions, math.fsum) and correct rounding
// ---------------------------------------------------------------------------------------------

/** Adds x to the nonoverlapping expansion `parts` (increasing magnitude) exactly. */
function expansionAdd(parts: number[], x: number): void {
  let i = 0;
  for (let j = 0; j < parts.length; j++) {
    let y = parts[j]!;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) parts[i++] = lo;
    x = hi;
  }
  parts.length = i;
  parts.push(x);
}

/** The correctly rounded (half-even) value of the sum of an expansion (Python's fsum rounding). */
function expansionRound(parts: number[]): number {
  let n = parts.length;
  if (n === 0) return 0;
  let hi = parts[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = parts[--n]!;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  if (n > 0 && ((lo < 0 && parts[n - 1]! < 0) || (lo > 0 && parts[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi + 0; // no −0
}

// ---------------------------------------------------------------------------------------------
// Kernels
// ---------------------------------------------------------------------------------------------

/**
 * Σ_{p_i>0} t_i as dd plus the expansion of an exact rational part; shared by kl and generalizedKl.
 * Returns +∞ on support mismatch, else the correctly rounded value of G + (exact part), where the
 * exact part is Σ_{p_i>0}(p_i − q_i) (kl) or Σ_{p_i=0} q_i (generalizedKl).
 */
function klCore(p: Vector, q: Vector, generalised: boolean): number {
  const n = p.length;
  for (let i = 0; i < n; i++) if (p[i]! > 0 && q[i] === 0) return Infinity;
  let gh = 0;
  let gl = 0;
  const parts: number[] = [];
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (pi === 0) {
      if (generalised && qi !== 0) expansionAdd(parts, qi);
      continue;
    }
    if (!generalised) {
      expansionAdd(parts, pi);
      if (qi !== 0) expansionAdd(parts, -qi);
    }
    if (pi === qi) continue;
    const th = genTerm(pi, qi);
    const tl = LO;
    gh = ddAdd(gh, gl, th, tl);
    gl = LO;
  }
  if (!(Math.abs(gh) < Infinity) || parts.some((x) => !(Math.abs(x) < Infinity))) {
    return scaledRetry(p, q, generalised);
  }
  expansionAdd(parts, gh);
  expansionAdd(parts, gl);
  const r = expansionRound(parts);
  if (!(Math.abs(r) < Infinity)) return scaledRetry(p, q, generalised);
  return r;
}

/** Intermediate overflow (entries near the top of the double range): kl(αp, αq) = α·kl(p, q). */
function scaledRetry(p: Vector, q: Vector, generalised: boolean): number {
  const s = 2 ** -64;
  const ps = p.map((x) => x * s);
  const qs = q.map((x) => x * s);
  const mx = Math.max(...ps, ...qs);
  if (mx > 2 ** 960) return Infinity;
  return klCore(ps, qs, generalised) * 2 ** 64;
}

/**
 * Shannon entropy H(p) = −Σ p_i·log p_i.
 *
 * | input                  | result                                   |
 * |------------------------|------------------------------------------|
 * | p_i = 0                | term 0 (0·log 0 = 0)                     |
 * | one-hot p              | 0                                        |
 * | p_i > 1 (unnormalised) | the formula as given (may be negative)   |
 */
export function entropy(p: Vector): number {
  p = probabilityVector('entropy', 'p', p);
  return -sumPLogQ(p, p) + 0;
}

/**
 * Cross-entropy H(p, q) = −Σ p_i·log q_i.
 *
 * | input             | result                |
 * |-------------------|-----------------------|
 * | p_i = 0, any q_i  | term 0                |
 * | p_i > 0, q_i = 0  | +∞ (support mismatch) |
 */
export function crossEntropy(p: Vector, q: Vector): number {
  p = probabilityVector('crossEntropy', 'p', p);
  q = probabilityVector('crossEntropy', 'q', q);
  sameLength('crossEntropy', 'p', p, 'q', q);
  for (let i = 0; i < p.length; i++) if (p[i]! > 0 && q[i] === 0) return Infinity;
  return -sumPLogQ(p, q) + 0;
}

/**
 * Negative entropy F(p) = Σ p_i·log p_i (the Bregman generator of KL).
 *
 * | input   | result |
 * |---------|--------|
 * | p_i = 0 | term 0 |
 */
export function negEntropy(p: Vector): number {
  p = probabilityVector('negEntropy', 'p', p);
  return sumPLogQ(p, p) + 0;
}

/**
 * Σ_{p_i>0} p_i·log q_i (q_i > 0 assumed), each term p⊗logDD(q) in dd, dd accumulation. Linear in
 * p: if a term or partial sum overflows (entries near 1e308, where +∞ and −∞ terms could meet), it
 * is recomputed with the multipliers scaled by 2^-64 (exactly) and the result scaled back.
 */
function sumPLogQ(p: Vector, q: Vector): number {
  const r = sumPLogQScaled(p, q, 0);
  if (Math.abs(r) < Infinity) return r;
  return sumPLogQScaled(p, q, -64) * 2 ** 64;
}

function sumPLogQScaled(p: Vector, q: Vector, e: number): number {
  const s = 2 ** e;
  const small = 2 ** (-500 - e);
  const up = 2 ** (e + 600);
  let h = 0;
  let l = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (pi === 0) continue;
    const qi = q[i]!;
    const Lh = logDD(qi);
    const Ll = LO;
    if (Lh === 0) continue;
    let th: number;
    let tl: number;
    if (pi < small) {
      // scale up so that the TwoProduct does not underflow
      th = ddMulD(Lh, Ll, pi * up);
      tl = LO * P2_M600;
      th *= P2_M600;
    } else {
      th = ddMulD(Lh, Ll, pi * s);
      tl = LO;
    }
    h = ddAdd(h, l, th, tl);
    l = LO;
    if (!(Math.abs(h) < Infinity)) return h;
  }
  return h + l;
}

/**
 * KL(p‖q) = Σ p_i·log(p_i/q_i) — Definition 22.1 for the inputs as given (not the generalised
 * form): for Σp ≠ Σq it equals generalizedKl(p, q) + Σp − Σq and can be slightly negative.
 *
 * | input                 | result                                      |
 * |-----------------------|---------------------------------------------|
 * | p_i = 0, any q_i      | term 0                                      |
 * | p_i > 0, q_i = 0      | +∞ (support mismatch; not an error)         |
 * | p = q                 | 0 exactly                                   |
 * | exactly normalised    | ≥ 0, within 4 ulps (docs/accuracy.md)       |
 *
 * Algorithm: kl = Σ_{p_i>0} t_i + C with t_i = p_i·log(p_i/q_i) − p_i + q_i ≥ 0 (no cancellation,
 * each t_i to < 2^-58 relative, summed in double-double) and C = Σ_{p_i>0}(p_i − q_i) held
 * exactly; the final sum is correctly rounded.
 */
export function kl(p: Vector, q: Vector): number {
  p = probabilityVector('kl', 'p', p);
  q = probabilityVector('kl', 'q', q);
  sameLength('kl', 'p', p, 'q', q);
  return klCore(p, q, false);
}

/**
 * Generalised KL Σ [p_i·log(p_i/q_i) − p_i + q_i] (scipy.special.kl_div summed; mathlib's klDiv).
 * ≥ 0 for all nonnegative vectors.
 *
 * | input             | term  |
 * |-------------------|-------|
 * | p_i = 0, q_i ≥ 0  | q_i   |
 * | p_i > 0, q_i = 0  | +∞    |
 */
export function generalizedKl(p: Vector, q: Vector): number {
  p = probabilityVector('generalizedKl', 'p', p);
  q = probabilityVector('generalizedKl', 'q', q);
  sameLength('generalizedKl', 'p', p, 'q', q);
  return klCore(p, q, true);
}

/**
 * ∇F(q) = (1 + log q_i)_i, the gradient of negative entropy.
 *
 * | input   | entry |
 * |---------|-------|
 * | q_i = 0 | −∞    |
 * | q_i = 1 | 1     |
 */
export function negEntropyGradient(q: Vector): number[] {
  q = probabilityVector('negEntropyGradient', 'q', q);
  const out = new Array<number>(q.length);
  for (let i = 0; i < q.length; i++) {
    const qi = q[i]!;
    if (qi === 0) {
      out[i] = -Infinity;
      continue;
    }
    if (qi > 0.3664 && qi < 0.3694) {
      out[i] = onePlusLogNearInvE(qi);
      continue;
    }
    const h = logDD(qi);
    const l = LO;
    const s = twoSum(1, h);
    out[i] = s + (LO + l);
  }
  return out;
}

/** e as a triple-double (|e − Σ| < 2^-160). */
const E_HI = 2.718281828459045;
const E_MID = 1.4456468917292502e-16;
const E_LO = -2.1277171080381768e-33;

/**
 * 1 + log q for q within 0.5% of 1/e, where 1 + log q cancels (down to ~2^-54 at the double nearest
 * 1/e): 1 + log q = log1p(t), t = q·e − 1 formed from the triple-double e with TwoProducts
 * (absolute error < 2^-150), log1p(t) = t·(1 + v), v = −t/2 + t²/3 − … (|t| < 0.011, 12 terms).
 */
function onePlusLogNearInvE(q: number): number {
  const ph = twoProd(q, E_HI);
  const pl = LO;
  const a = ph - 1; // exact (Sterbenz)
  const bh = twoProd(q, E_MID);
  const bl = LO + q * E_LO;
  let th = ddAdd(a, pl, bh, bl);
  const tl = LO;
  th = fastTwoSum(th, tl);
  const tl2 = LO;
  const t = th;
  let v = 0;
  for (let k = 12; k >= 2; k--) v = v * -t + 1 / k;
  v *= -t; // −t/2 + t²/3 − …
  const gh = twoSum(1, v);
  const gl = LO;
  const r = ddMul(th, tl2, gh, gl);
  return r + LO;
}

/** max and argmax of a log-joint vector (first index of the max). */
function argmax(l: Vector): number {
  let k = 0;
  for (let i = 1; i < l.length; i++) if (l[i]! > l[k]!) k = i;
  return k;
}

/** The scale exponent E of the last {@link shiftedSum}: the returned dd is S'·2^E. */
let SUM_E = 0;

/**
 * S' = Σ_{z≠k} exp(l_z − m) → dd, k = argmax, m = l_k > −∞, returned as S'·2^SUM_E: when the
 * largest term is below e^-600, every term is computed as exp(l_z − m + E·ln 2) (E·ln 2 from the
 * three-part ln 2) so that tiny sums keep their precision instead of underflowing term by term.
 * Terms below 2^-1076 relative to the scale are dropped, and when the largest term is below
 * e^-800 the whole sum is (S' < 2^-1100: it cannot change m + log1p S' = m after rounding).
 */
function shiftedSum(l: Vector, k: number): number {
  const m = l[k]!;
  let x2 = -Infinity;
  for (let i = 0; i < l.length; i++) if (i !== k && l[i]! - m > x2) x2 = l[i]! - m;
  SUM_E = 0;
  if (!(x2 >= -800)) {
    LO = 0;
    return 0;
  }
  let eh0 = 0;
  let el0 = 0;
  if (x2 < -600) {
    SUM_E = Math.floor(-x2 * Math.LOG2E) - 4;
    const mh = twoProd(SUM_E, LN2_MID);
    const ml = LO + SUM_E * LN2_LO;
    eh0 = ddAdd(SUM_E * LN2_HI, 0, mh, ml); // E·ln 2 (E·LN2_HI exact)
    el0 = LO;
  }
  let sh = 0;
  let sl = 0;
  for (let i = 0; i < l.length; i++) {
    if (i === k) continue;
    const li = l[i]!;
    let xh = li - m;
    if (!(xh + eh0 >= -746)) continue; // below 2^-1076 at this scale (also l = −∞)
    let xl = twoDiffLo(li, m, xh);
    if (SUM_E !== 0) {
      xh = ddAdd(xh, xl, eh0, el0);
      xl = LO;
    }
    const eh = expDD(xh, xl);
    const el = LO;
    sh = ddAdd(sh, sl, eh, el);
    sl = LO;
  }
  LO = sl;
  return sh;
}

/** log1p(S') → dd from shiftedSum's result; when SUM_E > 0, S' < 2^-590 and log1p S' = S'(1 − S'/2) ≈ S'·2^-E. */
function logSumShifted(l: Vector, k: number): number {
  const sh = shiftedSum(l, k);
  const sl = LO;
  if (sh === 0) {
    LO = 0;
    return 0;
  }
  if (SUM_E !== 0) {
    const sc = 2 ** -SUM_E;
    LO = sl * sc;
    return sh * sc;
  }
  const ah = twoSum(1, sh);
  const al = LO + sl;
  const bh = fastTwoSum(ah, al);
  return logDDdd(bh, LO);
}

/**
 * log p(x) = log Σ_z exp(logJoint[z]) (log-sum-exp).
 *
 * | input                       | result                          |
 * |-----------------------------|---------------------------------|
 * | every entry −∞              | −∞                              |
 * | one finite entry ℓ          | ℓ exactly                       |
 * | entries near −1000 / −5000  | accurate (shifted by the max)   |
 *
 * m + log1p(Σ_{z≠argmax} exp(l_z − m)), with l_z − m exact (dd), exp and log1p to < 2^-94 relative,
 * the sum in double-double and the final m + log1p(S) rounded once.
 */
export function logEvidence(logJoint: Vector): number {
  const l = logJointVector('logEvidence', 'logJoint', logJoint);
  const k = argmax(l);
  const m = l[k]!;
  if (m === -Infinity) return -Infinity;
  const sh = shiftedSum(l, k);
  const sl = LO;
  if (sh === 0) return m;
  if (SUM_E !== 0) {
    // S' < 2^-590: log1p S' = S'(1 − S'/2 + …) = S' to far below an ulp; m + S'·2^-E rounded once
    const E = SUM_E;
    if (m === 0) return roundScaled(sh, sl, -E);
    if (Math.abs(m) * 2 ** -56 > sh * 2 ** -E) return m; // S' below a quarter ulp of m
    const mh = m * 2 ** (E >> 1) * 2 ** (E - (E >> 1)); // exact: |m| < 2^-500 here
    const th = ddAddD(sh, sl, mh);
    return roundScaled(th, LO, -E);
  }
  const ah = twoSum(1, sh);
  const al = LO + sl;
  const bh = fastTwoSum(ah, al);
  const h = logDDdd(bh, LO);
  const lo = LO;
  const s = twoSum(m, h);
  return s + (LO + lo);
}

/**
 * The posterior p(z | x) = exp(logJoint[z] − log p(x)), each entry to within about one ulp.
 *
 * | input                | entry                                      |
 * |----------------------|--------------------------------------------|
 * | logJoint[z] = −∞     | 0                                          |
 * | every entry −∞       | InvalidInputError (reason 'all-impossible') |
 */
export function posterior(logJoint: Vector): number[] {
  const l = logJointVector('posterior', 'logJoint', logJoint);
  const k = argmax(l);
  const m = l[k]!;
  if (m === -Infinity) {
    throw new InvalidInputError('posterior', 'logJoint', null, 'all-impossible',
      'every entry is -Infinity: the evidence is 0 and the posterior is undefined');
  }
  const Lh = logSumShifted(l, k);
  const Ll = LO;
  const out = new Array<number>(l.length);
  for (let i = 0; i < l.length; i++) {
    const li = l[i]!;
    const xh = li - m;
    if (!(xh >= -746)) {
      out[i] = 0; // exp(l − m − log1p S') ≤ exp(l − m) < 2^-1076 (also l = −∞)
      continue;
    }
    const xl = twoDiffLo(li, m, xh);
    const yh = ddAdd(xh, xl, -Lh, -Ll);
    const yl = LO;
    const eh = expDD(yh, yl);
    out[i] = eh + LO;
  }
  return out;
}

/**
 * ELBO(q) = Σ_z q(z)·(logJoint[z] − log q(z)).
 *
 * | input                            | term                  |
 * |----------------------------------|-----------------------|
 * | q(z) = 0 (even logJoint[z] = −∞) | 0                     |
 * | q(z) > 0, logJoint[z] = −∞       | −∞: the ELBO is −∞    |
 *
 * Each term q ⊗ (l − logDD(q)) in double-double, summed in double-double, rounded once.
 */
export function elbo(logJoint: Vector, q: Vector): number {
  const l = logJointVector('elbo', 'logJoint', logJoint);
  q = probabilityVector('elbo', 'q', q);
  sameLength('elbo', 'logJoint', l, 'q', q);
  for (let z = 0; z < q.length; z++) if (q[z]! > 0 && l[z] === -Infinity) return -Infinity;
  const r = elboScaled(l, q, 0);
  if (Math.abs(r) < Infinity) return r;
  // a term or partial sum overflowed (log joints near ±1e308): terms scaled by 2^-128, exactly
  return elboScaled(l, q, -128) * 2 ** 128;
}

/** 2^e·ELBO: Σ q ⊗ ((l − logDD(q))·2^e) in dd. */
function elboScaled(l: Vector, q: Vector, e: number): number {
  const s = 2 ** e;
  let h = 0;
  let lo = 0;
  for (let z = 0; z < q.length; z++) {
    const qz = q[z]!;
    if (qz === 0) continue;
    const Lh = logDD(qz);
    const Ll = LO;
    let wh = twoSum(l[z]!, -Lh);
    let wl = LO - Ll;
    if (e !== 0) {
      wh *= s;
      wl *= s;
    }
    let th: number;
    let tl: number;
    if (qz < P2_M500) {
      th = ddMulD(wh, wl, qz * P2_600);
      tl = LO * P2_M600;
      th *= P2_M600;
    } else {
      th = ddMulD(wh, wl, qz);
      tl = LO;
    }
    h = ddAdd(h, lo, th, tl);
    lo = LO;
    if (!(Math.abs(h) < Infinity)) return h;
  }
  return h + lo + 0;
}

// ---------------------------------------------------------------------------------------------
// Gaussians
// ---------------------------------------------------------------------------------------------

/** The binary exponent e with 2^e ≤ |x| < 2^(e+1), for finite x ≠ 0 (subnormals included). */
function exponentOf(x: number): number {
  let k = 0;
  x = Math.abs(x);
  if (x < P2_M1022) {
    x *= P2_54;
    k = -54;
  }
  F64[0] = x;
  return k + ((U32[HI_WORD]! >>> 20) & 0x7ff) - 1023;
}

/** x·2^e exactly when the result is a normal double (two steps so that 2^e itself need not exist). */
function ldexp(x: number, e: number): number {
  const a = Math.trunc(e / 2);
  return x * 2 ** a * 2 ** (e - a);
}

/** ½·(xh + xl)² → dd, overflow-safe (+∞ when the value exceeds the double range). */
function halfSquare(xh: number, xl: number): number {
  const ax = Math.abs(xh);
  if (ax > 2 ** 500) {
    const sh = xh * 2 ** -300;
    const sl = xl * 2 ** -300;
    const h = ddMul(sh, sl, sh, sl);
    const l = LO;
    LO = l * 2 ** 300 * 2 ** 299;
    const r = h * 2 ** 300 * 2 ** 299;
    if (!(r < Infinity)) LO = 0;
    return r;
  }
  const h = ddMul(xh, xl, xh, xl);
  LO *= 0.5;
  return h * 0.5;
}

/**
 * KL(N(μ1, σ1²)‖N(μ2, σ2²)) = ½[h(ρ) + Δ²] → dd, ρ = σ1/σ2, Δ = (μ1 − μ2)/σ2,
 * h(ρ) = ρ² − 1 − 2·log ρ ≥ 0. With x = ρ², h = x − 1 − log x = t(1, x), the generalised KL term
 * at p = 1, q = ρ², so for |s| ≤ 1/2, s = (σ2² − σ1²)/(σ2² + σ1²): h = d·s·F(s), d = 1 − ρ² =
 * (σ2 − σ1)(σ2 + σ1)/σ2² (no cancellation when σ1 ≈ σ2). Otherwise h = ρ² − 1 − 2·log ρ in dd.
 * Arguments are validated by the callers.
 */
function klNormalDD(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  // ---- mean part Q = ½Δ² ----
  let Qh: number;
  let Ql: number;
  {
    let Dh = mu1 - mu2;
    let Dl: number;
    let factor = 1;
    if (!(Math.abs(Dh) < Infinity)) {
      const a = mu1 * 0.5;
      const b = mu2 * 0.5;
      Dh = a - b;
      Dl = twoDiffLo(a, b, Dh);
      factor = 4;
    } else {
      Dl = twoDiffLo(mu1, mu2, Dh);
    }
    let s2 = sigma2;
    if (Dh === 0) {
      Qh = 0;
      Ql = 0;
    } else {
      let overflow = false;
      if (s2 < P2_M900) {
        if (Math.abs(Dh) > 2 ** 400) overflow = true;
        else {
          Dh *= P2_600;
          Dl *= P2_600;
          s2 *= P2_600;
        }
      } else if (s2 > P2_900) {
        Dh *= P2_M600;
        Dl *= P2_M600;
        s2 *= P2_M600;
      }
      if (overflow) {
        Qh = Infinity;
        Ql = 0;
      } else {
        const xh = ddDiv(Dh, Dl, s2, 0);
        const xl = LO;
        if (sigma1 === sigma2 && Math.abs(xh) < P2_M500 && factor === 1) {
          // KL = ½Δ² alone, possibly subnormal: square at scale 2^1200, round once
          const sh = xh * P2_600;
          const sl = xl * P2_600;
          const h = ddMul(sh, sl, sh, sl);
          const l = LO;
          LO = 0;
          return roundScaled(h, l, -1201);
        }
        if (!(Math.abs(xh) < Infinity)) {
          Qh = Infinity;
          Ql = 0;
        } else {
          Qh = halfSquare(xh, xl);
          Ql = LO;
          if (factor !== 1) {
            Qh *= factor;
            Ql *= factor;
          }
          if (!(Qh < Infinity)) Ql = 0;
        }
      }
    }
  }
  if (Qh === Infinity) {
    LO = 0;
    return Infinity;
  }
  // ---- variance part H = ½h(ρ) ----
  let Hh: number;
  let Hl: number;
  const e1 = exponentOf(sigma1);
  const e2 = exponentOf(sigma2);
  if (sigma1 === sigma2) {
    Hh = 0;
    Hl = 0;
  } else if (e1 - e2 > 515) {
    LO = 0;
    return Infinity; // ρ ≥ 2^515: ½ρ² ≥ 2^1029 exceeds the double range
  } else if (e1 - e2 < -515) {
    // ρ < 2^-514: H = −½ − log σ1 + log σ2 (+ ½ρ² < 2^-1029, far below H's ulp)
    const a = logDD(sigma2);
    const al = LO;
    const b = logDD(sigma1);
    const bl = LO;
    Hh = ddAdd(a, al, -b, -bl);
    Hl = LO;
    Hh = ddAddD(Hh, Hl, -0.5);
    Hl = LO;
  } else {
    const s1 = ldexp(sigma1, -e2);
    const s2 = ldexp(sigma2, -e2); // ∈ [1, 2)
    const ah = s2 - s1;
    const al = twoDiffLo(s2, s1, ah);
    const bh = twoSum(s2, s1);
    const bl = LO;
    const nh = ddMul(ah, al, bh, bl); // σ2² − σ1²
    const nl = LO;
    const q1h = twoProd(s1, s1);
    const q1l = LO;
    const q2h = twoProd(s2, s2);
    const q2l = LO;
    const dnh = ddAdd(q1h, q1l, q2h, q2l);
    const dnl = LO;
    const sh = ddDiv(nh, nl, dnh, dnl);
    const sl = LO;
    if (Math.abs(sh) <= 0.5) {
      const dh = ddDiv(nh, nl, q2h, q2l); // 1 − ρ²
      const dl = LO;
      const dsh = ddMul(dh, dl, sh, sl);
      const dsl = LO;
      const fh = seriesFactor(sh, sl);
      const fl = LO;
      Hh = ddMul(dsh, dsl, fh, fl);
      Hl = LO;
    } else {
      const rh = ddDiv(s1, 0, s2, 0);
      const rl = LO;
      const Lh = logDDdd(rh, rl);
      const Ll = LO;
      // h = ρ² − 1 − 2L
      let xh: number;
      let xl: number;
      if (rh > 2 ** 500) {
        xh = halfSquare(rh, rl);
        xl = LO;
        xh *= 2;
        xl *= 2;
        if (!(xh < Infinity)) {
          LO = 0;
          return Infinity;
        }
      } else {
        xh = ddMul(rh, rl, rh, rl);
        xl = LO;
      }
      xh = ddAddD(xh, xl, -1);
      xl = LO;
      Hh = ddAdd(xh, xl, -2 * Lh, -2 * Ll);
      Hl = LO;
    }
    Hh *= 0.5;
    Hl *= 0.5;
  }
  const r = ddAdd(Qh, Ql, Hh, Hl);
  if (!(r < Infinity)) LO = 0;
  return r;
}

/**
 * KL between univariate Gaussians, KL(N(μ1, σ1²)‖N(μ2, σ2²)) =
 * log(σ2/σ1) + (σ1² + (μ1 − μ2)²)/(2σ2²) − ½.
 *
 * | input                    | result                                        |
 * |--------------------------|-----------------------------------------------|
 * | μ1 = μ2, σ1 = σ2         | 0 exactly                                     |
 * | exact value > double max | +∞ (the correctly rounded float64)            |
 * | σ ≤ 0, non-finite μ or σ | InvalidInputError                             |
 */
export function klNormal(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  finiteNumber('klNormal', 'mu1', mu1);
  positiveNumber('klNormal', 'sigma1', sigma1);
  finiteNumber('klNormal', 'mu2', mu2);
  positiveNumber('klNormal', 'sigma2', sigma2);
  const h = klNormalDD(mu1, sigma1, mu2, sigma2);
  return h + LO + 0;
}

/**
 * KL between diagonal Gaussians: Σ_i klNormal(μ1_i, σ1_i, μ2_i, σ2_i), summed in double-double and
 * rounded once. Same table as {@link klNormal}, per coordinate.
 */
export function klNormalDiag(mu1: Vector, sigma1: Vector, mu2: Vector, sigma2: Vector): number {
  mu1 = finiteVector('klNormalDiag', 'mu1', mu1);
  sigma1 = positiveVector('klNormalDiag', 'sigma1', sigma1);
  mu2 = finiteVector('klNormalDiag', 'mu2', mu2);
  sigma2 = positiveVector('klNormalDiag', 'sigma2', sigma2);
  sameLength('klNormalDiag', 'mu1', mu1, 'sigma1', sigma1);
  sameLength('klNormalDiag', 'mu1', mu1, 'mu2', mu2);
  sameLength('klNormalDiag', 'mu1', mu1, 'sigma2', sigma2);
  let h = 0;
  let l = 0;
  for (let i = 0; i < mu1.length; i++) {
    const th = klNormalDD(mu1[i]!, sigma1[i]!, mu2[i]!, sigma2[i]!);
    const tl = LO;
    if (th === Infinity) return Infinity;
    h = ddAdd(h, l, th, tl);
    l = LO;
    if (h === Infinity) return Infinity;
  }
  return h + l + 0;
}

/**
 * Internals exposed for tests only (their accuracy is measured in test/kernels.test.ts).
 * Each returns [hi, lo].
 */
export const _internal = {
  logDD(x: number): [number, number] {
    const h = logDD(x);
    return [h, LO];
  },
  expDD(xh: number, xl = 0): [number, number] {
    const h = expDD(xh, xl);
    return [h, LO];
  },
  genTerm(p: number, q: number): [number, number] {
    const h = genTerm(p, q);
    return [h, LO];
  },
  twoProd(a: number, b: number): [number, number] {
    const h = twoProd(a, b);
    return [h, LO];
  },
  exactSum(xs: readonly number[]): number {
    const parts: number[] = [];
    for (const x of xs) expansionAdd(parts, x);
    return expansionRound(parts);
  },
};
