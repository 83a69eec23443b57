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
  diagGaussianArgs,
  finiteNumber,
  logJointVector,
  positiveNumber,
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
 *
 * With `plainIfFar`, a pair outside p/q ∈ [1/3, 3] gives the plain term p·L instead (the −d is not
 * subtracted) and sets {@link TERM_PLAIN}: kl uses it so that the −p + q of the generalised form is
 * never cancelled against an exact Σ(p − q) that can be 10^150 times the result (unnormalised q).
 */
let TERM_PLAIN = false;
function genTerm(p: number, q: number, plainIfFar = false): number {
  TERM_PLAIN = false;
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
    if (plainIfFar) TERM_PLAIN = true;
    else {
      th = ddAdd(th, tl, -dh, -dl);
      tl = LO;
    }
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
// Fast paths: one pass with a table-driven logarithm and an a-posteriori error bound
// ---------------------------------------------------------------------------------------------
//
// kl, generalizedKl, entropy, crossEntropy and negEntropy first try a single pass over the input
// that validates it, computes every term to a relative error below 2^-69, sums the terms with a
// compensated sum, and carries a rigorous bound E on the absolute error of the unrounded sum. The
// result is accepted when E ≤ 2^-6·u·|result| (u = 2^-53); then, with X the exact value,
// |result − X| ≤ ½ulp(X) + E < (½ + 2^-5)·ulp(X) — the same guarantee as the accurate algorithms
// (docs/accuracy.md §4.3–4.4). [result = RN(S) with |S − X| ≤ E: if S and X share a binade the
// rounding adds ≤ ½ulp(X); if S crosses up to 2^e > X it rounds to 2^e, within E of X; if it
// crosses down the spacing halves. And E ≤ 2^-6·u·|result| ≤ 2^-6·u·(|X|(1 + u) + E) with
// u·|X| ≤ ulp(X) gives E < 2^-5.9·ulp(X); X = 0 forces result = 0.] Otherwise — cancellation
// (Σ|terms| > 2^7·|X|, e.g. near-equal pairs), a result at the subnormal scale, entries above
// 2^480, invalid input, length mismatch, n > 2^26 — the accurate algorithm runs, which also
// validates and throws the typed errors. Measured: ≤ 0.500 ulp where accepted (the tests).
//
// ## The logarithm (`FAST_TAB`, the LOG block of the loops below)
//
// For a double x ∈ [2^-960, 2^960], let h be its high word, t = h − 0x3fe6a400 (int32),
// k = t >> 20, i = (t & 0xfffff) >> 11 ∈ [0, 512) and m = x·2^-k (exact). Then m lies in the i-th
// of 512 intervals I_i = [m_lo(i), m_hi(i)) tiling [0.70717, 1.41434) (each 2^11 high-word units;
// I_299 = [1 − 2^-11, 1 + 2^-10) contains 1). The table holds g_i ≈ 1/mid(I_i) with ≤ 26
// significant bits (g_299 = 1) and T_i = −ln g_i as T1_i (a multiple of 2^-32) + T2_i
// (|T2| ≤ 2^-33, error ≤ 2^-86; from logDD). Then, all exactly:
//   c = (m + 2^26) − 2^26                m rounded to a multiple of 2^-26 (≤ 27 bits), |m − c| ≤ 2^-27
//   d = c·g − 1                         c·g has ≤ 53 bits and lies in [1 − 2^-9, 1 + 2^-9] (Sterbenz)
//   v = (m − c)·g                       ≤ 26 + 27 bits
//   zh + zl = d + v = m·g − 1 =: z      TwoSum; |z| ≤ ρ_i = max over I_i of |m·g_i − 1| ≤ 2^-10
//   H = k·LN2_HI + T1                   a multiple of 2^-32 below 2^10: exact
// and ln x = H + zh + ln1p(z) − zh + T2 + k·LN2_REST with ln1p(z) = zh − zh²/2 + zh³·P(zh) +
// zl(1 − zh) + O(|zl|·zh²), P(y) = 1/3 − y/4 + y²/5 − y³/6 + y⁴/7 + O(y⁵/8). The leading part
// H + zh − ah²/2 (ah = zh rounded to 26 bits, so ah² is exact) is formed exactly by two FastTwoSums
// (|H| ≥ |zh| when H ≠ 0, H = 0 only on I_299 with k = 0; |H + zh| ≥ ah²/2) as Lh + Ae + Be; the rest
// (|.| ≤ 2^-20·|ln x|: Ae, Be, T2, k·LN2_REST, zh³·P, the cross terms al·(ah + al/2) of zh², zl·(1 − zh))
// is summed in double into Ll. Every error is relative to ln x: on I_299 with k = 0 the terms are
// proportional to |zh| ≈ |ln x| (no table value, no cancellation), elsewhere |ln x| ≥ 2^-11.
// Per interval (computed from the table in test/kernels.test.ts, 'fast path: per-interval error
// analysis'), with the truncation ≤ ρ^8/(8(1 − ρ)), zl·(1 − zh) for zl/(1 + zh) ≤ u·ρ³ + u²ρ², the
// polynomial's roundings ≤ 9u·ρ³/3, those of the cross terms ≤ 3u·2^-26·ρ², the ≤ 4 roundings met
// by each part of the Ll sum ≤ 4u·Σ|parts|, and the table ≤ 2^-86 + |k|·2^-85:
//   |Lh + Ll − ln x| ≤ 2^-70.1·|ln x|.
//
// ## The terms and the sum
//
// kl: r = fl(p/q) and e = p − r·q exactly (Dekker's TwoProduct; p/q = r + e/q), so
// p·ln(p/q) = p·ln r + p·ln1p(e/(p − e)) = p·ln r + e + δ, |δ| ≤ e²/p ≤ u·|e| (|e| ≤ u·p).
// entropy-type: the term p·ln x needs no ratio. The product w·L (w = p): S = fl(Lh + Ll) rounded to
// 26 bits is yh, w = wh + wl (Veltkamp), th = wh·yh exact, tl = wl·yh (exact) + w·((Lh − yh) + Ll)
// (+ e), so |tl| ≤ 2^-24.8·|w·L| + |e| and its roundings are ≤ 2^-76·|w·L| + u·|e|.
// The sum: th by TwoSum into s, every error and tl added into c, in blocks of 256 terms (so the
// double sum c of ≤ 512 numbers, each ≤ 256u·Σ_block|th| or ≤ 2^-24.8|th| + |e|, errs by
// ≤ γ_512·(2^-24.7·Σ_block|th| + Σ|e|) ≤ 2^-68.7·Σ_block|th| + 2^-43.9·Σ|e|); block results are
// folded into double-double accumulators by TwoSum (their own errors are below 2^-80·Σ|th| for
// ≤ 2^18 blocks). Altogether, with T = Σ|th| (computed: T(1 ± 2^-24) for n ≤ 2^26) and Ea = Σ|e|:
//   E = 2^-66·T + 2^-43·Ea + Er  (2^-66 ≥ 2^-70.1 + 2^-68.7 + 2^-75 + the rounding of T and of the
//                                 final low parts; 2^-43 ≥ 2^-43.9 + 2u)
// computed in floating point (its own roundings are inside the slack).
// Entries below 2^-480 (subnormal masses, near mismatch q ≪ p) would break the exactness above; such
// a term is computed by rareTerm (logDD, double-double) into a separate double-double accumulator,
// and Er adds its error bound (≤ 2^-99·w·(|ln x| + |ln y| + 2) + 2^-101·|t| + 2^-1073) and that of
// each of these additions (≤ 3u²·|sum|). Zero masses: the term is 0 (the pair is replaced by the
// neutral (1, 1), resp. (0, 1), whose term is exactly 0); p > 0 = q: +∞ once every entry is checked.
// kl(p, p) = 0 exactly (every term and E are 0). The loops take entries in pairs, the two chains of
// dependent operations interleaved phase by phase (ratio, reduction, assembly, product): the same
// code twice, once commented.

/** Fast-path table: for each of the 512 intervals, g (≤ 26 bits), T1 (multiple of 2^-32), T2. */
const FAST_TAB = new Float64Array(512 * 3);
/** FAST_POW[1024 + j] = 2^j for j ∈ [−1024, 1023]: m = x·FAST_POW[1024 − k]. */
const FAST_POW = new Float64Array(2048);
/** ln 2 − LN2_HI, rounded (error ≤ 2^-85.3); the literal in the loops is checked against it. */
const FAST_LN2_REST = LN2_MID + LN2_LO;
/** Offset of the high word: 1.0 sits in the middle of interval FAST_ONE. */
const FAST_OFF = 0x3fe6a400;
const FAST_ONE = 299;
/** Relative error bound of the terms and their sum (see above), and of the ratio residuals. */
const FAST_EPS = 2 ** -66;
const FAST_EPS_E = 2 ** -43;
/** Accept when E ≤ FAST_ACCEPT·|result| = 2^-6·u·|result|. */
const FAST_ACCEPT = 2 ** -59;
/** Terms per block (even: the loops take pairs), and the longest input taken (the bound on the
 * double-double fold assumes at most 2^18 blocks). */
const FAST_BLOCK = 256;
const FAST_MAX_N = 2 ** 26;

/** The double whose high word is h and low word 0. */
function fromHighWord(h: number): number {
  U32[HI_WORD] = h;
  U32[1 - HI_WORD] = 0;
  return F64[0]!;
}

for (let j = 0; j < 2048; j++) FAST_POW[j] = 2 ** (j - 1024);
for (let i = 0; i < 512; i++) {
  const lo = fromHighWord(FAST_OFF + i * 2048);
  const hi = fromHighWord(FAST_OFF + (i + 1) * 2048);
  const g = i === FAST_ONE ? 1 : Math.round(2 ** 26 / ((lo + hi) / 2)) / 2 ** 26;
  const th = logDD(g);
  const tl = LO;
  const t1 = -Math.round(th * 2 ** 32) / 2 ** 32; // −ln g rounded to a multiple of 2^-32
  FAST_TAB[3 * i] = g;
  FAST_TAB[3 * i + 1] = t1;
  FAST_TAB[3 * i + 2] = (-th - t1) - tl; // −th − t1 exact (|th + t1| ≤ 2^-33)
}
// The loops inline these constants as literals (module-level bindings are slower to read there).
if (
  FAST_LN2_REST !== 1.9082149292705877e-10 || LN2_HI !== 0.6931471803691238 ||
  2 ** -480 !== 3.2033329522929615e-145 || 2 ** 480 !== 3.1217485503159922e+144 || FAST_OFF !== 0x3fe6a400
) {
  throw new Error('float64 kernels: fast-path constants out of sync');
}

/** Low part and error bound of the last fast-path result (hi returned). */
let FAST_LO = 0;
let FAST_ERR = 0;

/**
 * Classifies an entry pair (w, x) that failed the fast range test: 0 both in [2^-480, 2^480];
 * 1 w = 0 and x a valid mass (the term is 0); 2 w > 0 and x = 0 (support mismatch); 4 both valid,
 * in (0, 2^480] and one below 2^-480 (the term is computed by {@link rareTerm}); 3 anything else
 * (invalid, or above 2^480): the caller leaves the fast path.
 */
function fastClass(w: unknown, x: unknown): number {
  if (typeof w !== 'number' || typeof x !== 'number' || !(w >= 0 && w < Infinity && x >= 0 && x < Infinity)) return 3;
  if (w === 0) return 1;
  if (x === 0) return 2;
  if (w > 3.1217485503159922e+144 || x > 3.1217485503159922e+144) return 3;
  return w >= 3.2033329522929615e-145 && x >= 3.2033329522929615e-145 ? 0 : 4;
}

/** Error bound of the last {@link rareTerm}. */
let RARE_ERR = 0;

/**
 * w·(ln x − ln y) → dd (LO) for w, x, y in (0, 2^480] (y = 1 gives w·ln x): the fast loops' term for
 * entries below 2^-480 (subnormal masses, near mismatch), from logDD (error < 2^-100·max(1, |ln|)),
 * the dd difference (2^-104) and the dd product (2^-102; w < 2^-500 scaled by 2^600 so that nothing
 * underflows, then back, each part rounding by ≤ 2^-1075). RARE_ERR = w·2^-99·(max(1, |ln x|) +
 * max(1, |ln y|)) + 2^-101·|hi| + 2^-1073 bounds the error.
 */
function rareTerm(w: number, x: number, y: number): number {
  let lh = logDD(x);
  let ll = LO;
  let mag = Math.max(1, Math.abs(lh));
  if (y !== 1) {
    const bh = logDD(y);
    const bl = LO;
    mag += Math.max(1, Math.abs(bh));
    lh = ddAdd(lh, ll, -bh, -bl);
    ll = LO;
  } else mag += 1;
  let th: number;
  let tl: number;
  if (w < P2_M500) {
    th = ddMulD(lh, ll, w * P2_600);
    tl = LO * P2_M600;
    th *= P2_M600;
  } else {
    th = ddMulD(lh, ll, w);
    tl = LO;
  }
  RARE_ERR = w * 2 ** -99 * mag + 2 ** -101 * Math.abs(th) + 2 ** -1073;
  LO = tl;
  return th;
}

/** Arrays only (typed arrays are copied, as the validators do); null if the fast path does not apply. */
function fastVector(v: unknown): Vector | null {
  if (Array.isArray(v)) return v as Vector;
  if (v instanceof Float64Array || v instanceof Float32Array) return Array.from(v);
  return null;
}

/**
 * (Sh + Sl) + (Ch + Cl) + (Rh + Rl) → hi with FAST_LO (|lo| small, not normalised), FAST_ERR = err:
 * the high parts by TwoSum, the low parts in double (≤ 4u·(|lows|), < 2^-100·Σ|terms|, inside the
 * slack of FAST_EPS).
 */
function fastFinish(Sh: number, Sl: number, Ch: number, Cl: number, Rh: number, Rl: number, err: number): number {
  let a = Sh + Ch;
  let ab = a - Sh;
  let lo = (((Sh - (a - ab)) + (Ch - ab)) + Sl) + Cl;
  if (Rh !== 0) {
    const b = a + Rh;
    ab = b - a;
    lo = (((a - (b - ab)) + (Rh - ab)) + lo) + Rl;
    a = b;
  }
  FAST_LO = lo;
  FAST_ERR = err;
  return a;
}

/**
 * Σ_{p_i>0} p_i·ln(p_i/q_i) in one pass → hi, with FAST_LO and the bound FAST_ERR; +∞ on support
 * mismatch (after checking every entry); NaN when the fast path does not apply (an entry invalid or
 * above 2^480, or the lengths differ). Pairs (i, i+1) are processed together (the two chains of
 * dependent operations overlap); an odd last entry is paired with the neutral (1, 1).
 */
function klFast(p: Vector, q: Vector): number {
  const n = p.length;
  if (n === 0 || q.length !== n) return NaN;
  const tab = FAST_TAB;
  const pow = FAST_POW;
  const f64 = F64;
  const u32 = U32;
  const hw = HI_WORD;
  let Sh = 0;
  let Sl = 0;
  let Ch = 0;
  let Cl = 0;
  let T = 0;
  let Ea = 0;
  let Rh = 0;
  let Rl = 0;
  let Er = 0;
  let mismatch = false;
  for (let b = 0; b < n; b += FAST_BLOCK) {
    const end = b + FAST_BLOCK < n ? b + FAST_BLOCK : n;
    let s = 0;
    let c = 0;
    for (let i = b; i < end; i += 2) {
      let p1 = p[i]!;
      let q1 = q[i]!;
      let p2 = 1;
      let q2 = 1;
      if (i + 1 < end) {
        p2 = p[i + 1]!;
        q2 = q[i + 1]!;
      }
      if (!(typeof p1 === 'number' && typeof q1 === 'number' && typeof p2 === 'number' && typeof q2 === 'number' &&
        p1 >= 3.2033329522929615e-145 && p1 <= 3.1217485503159922e+144 && q1 >= 3.2033329522929615e-145 && q1 <= 3.1217485503159922e+144 &&
        p2 >= 3.2033329522929615e-145 && p2 <= 3.1217485503159922e+144 && q2 >= 3.2033329522929615e-145 && q2 <= 3.1217485503159922e+144)) {
        const cls1 = fastClass(p1, q1);
        const cls2 = fastClass(p2, q2);
        if (cls1 === 3 || cls2 === 3) return NaN;
        if (cls1 === 2 || cls2 === 2) mismatch = true;
        // entries below 2^-480: the term by logDD into the dd accumulator R (each addition ≤ 3u²·|R|)
        if (cls1 === 4 && p1 !== q1) {
          Rh = ddAdd(Rh, Rl, rareTerm(p1, p1, q1), LO);
          Rl = LO;
          Er += RARE_ERR + 2 ** -103 * Math.abs(Rh);
        }
        if (cls2 === 4 && p2 !== q2) {
          Rh = ddAdd(Rh, Rl, rareTerm(p2, p2, q2), LO);
          Rl = LO;
          Er += RARE_ERR + 2 ** -103 * Math.abs(Rh);
        }
        if (cls1 !== 0) {
          p1 = 1;
          q1 = 1;
        }
        if (cls2 !== 0) {
          p2 = 1;
          q2 = 1;
        }
      }
      // entries 1 and 2 of the pair, phase by phase: ratio, reduction, logarithm, product and sum
      // (the same operations for both; the comments are on entry 1)
      const r1 = p1 / q1;
      f64[0] = r1;
      const t1 = (u32[hw]! - 0x3fe6a400) | 0; // x = 2^k·m, m ∈ [m_lo(i), m_hi(i)) ⊂ [0.7072, 1.4143)
      // e = p − r·q exactly (Dekker's TwoProduct): p/q = r + e/q, p·log(p/q) = p·log r + e + O(u·|e|)
      let cc1 = 134217729 * r1;
      const rh1 = cc1 - (cc1 - r1);
      const rl1 = r1 - rh1;
      cc1 = 134217729 * q1;
      const qh1 = cc1 - (cc1 - q1);
      const ql1 = q1 - qh1;
      const ph1 = r1 * q1;
      const e1 = (p1 - ph1) - (((rh1 * qh1 - ph1) + rh1 * ql1 + rl1 * qh1) + rl1 * ql1);
      const r2 = p2 / q2;
      f64[0] = r2;
      const t2 = (u32[hw]! - 0x3fe6a400) | 0;
      let cc2 = 134217729 * r2;
      const rh2 = cc2 - (cc2 - r2);
      const rl2 = r2 - rh2;
      cc2 = 134217729 * q2;
      const qh2 = cc2 - (cc2 - q2);
      const ql2 = q2 - qh2;
      const ph2 = r2 * q2;
      const e2 = (p2 - ph2) - (((rh2 * qh2 - ph2) + rh2 * ql2 + rl2 * qh2) + rl2 * ql2);
      const k1 = t1 >> 20;
      const o1 = ((t1 & 0xfffff) >> 11) * 3;
      const m1 = r1 * pow[1024 - k1]!; // exact
      const g1 = tab[o1]!;
      const c1 = (m1 + 67108864) - 67108864; // m rounded to a multiple of 2^-26, exact
      const d1 = c1 * g1 - 1; // exact (c·g has ≤ 53 bits; Sterbenz)
      const v1 = (m1 - c1) * g1; // exact
      const zh1 = d1 + v1; // TwoSum: zh + zl = m·g − 1 exactly
      const zb1 = zh1 - d1;
      const zl1 = (d1 - (zh1 - zb1)) + (v1 - zb1);
      const k2 = t2 >> 20;
      const o2 = ((t2 & 0xfffff) >> 11) * 3;
      const m2 = r2 * pow[1024 - k2]!;
      const g2 = tab[o2]!;
      const c2 = (m2 + 67108864) - 67108864;
      const d2 = c2 * g2 - 1;
      const v2 = (m2 - c2) * g2;
      const zh2 = d2 + v2;
      const zb2 = zh2 - d2;
      const zl2 = (d2 - (zh2 - zb2)) + (v2 - zb2);
      const H1 = k1 * 0.6931471803691238 + tab[o1 + 1]!; // exact (multiple of 2^-32, < 2^10)
      cc1 = 134217729 * zh1;
      const ah1 = cc1 - (cc1 - zh1);
      const al1 = zh1 - ah1;
      const A1 = H1 + zh1; // FastTwoSum (|H| ≥ |zh| or H = 0)
      const hs1 = -0.5 * (ah1 * ah1); // exact
      const Lh1 = A1 + hs1; // FastTwoSum (|A| ≥ |hs|)
      const sq1 = zh1 * zh1;
      const Ll1 = ((zh1 - (A1 - H1)) + (hs1 - (Lh1 - A1))) +
        ((tab[o1 + 2]! + k1 * 1.9082149292705877e-10) +
          ((zh1 * sq1) * (0.3333333333333333 + zh1 * (-0.25 + zh1 * (0.2 + zh1 * (-0.16666666666666666 + zh1 * 0.14285714285714285)))) -
            al1 * (ah1 + 0.5 * al1) + zl1 * (1 - zh1)));
      const H2 = k2 * 0.6931471803691238 + tab[o2 + 1]!;
      cc2 = 134217729 * zh2;
      const ah2 = cc2 - (cc2 - zh2);
      const al2 = zh2 - ah2;
      const A2 = H2 + zh2;
      const hs2 = -0.5 * (ah2 * ah2);
      const Lh2 = A2 + hs2;
      const sq2 = zh2 * zh2;
      const Ll2 = ((zh2 - (A2 - H2)) + (hs2 - (Lh2 - A2))) +
        ((tab[o2 + 2]! + k2 * 1.9082149292705877e-10) +
          ((zh2 * sq2) * (0.3333333333333333 + zh2 * (-0.25 + zh2 * (0.2 + zh2 * (-0.16666666666666666 + zh2 * 0.14285714285714285)))) -
            al2 * (ah2 + 0.5 * al2) + zl2 * (1 - zh2)));
      // p1·(Lh + Ll): L rounded to 26 bits (yh) times p1 split in two 26-bit halves, both products exact
      const S1 = Lh1 + Ll1;
      cc1 = 134217729 * S1;
      const yh1 = cc1 - (cc1 - S1);
      cc1 = 134217729 * p1;
      const wh1 = cc1 - (cc1 - p1);
      const th1 = wh1 * yh1;
      const tl1 = ((p1 - wh1) * yh1 + p1 * ((Lh1 - yh1) + Ll1)) + e1;
      {
        const s2 = s + th1;
        const sb = s2 - s;
        c += ((s - (s2 - sb)) + (th1 - sb)) + tl1;
        s = s2;
      }
      T += Math.abs(th1);
      Ea += Math.abs(e1);
      const S2 = Lh2 + Ll2;
      cc2 = 134217729 * S2;
      const yh2 = cc2 - (cc2 - S2);
      cc2 = 134217729 * p2;
      const wh2 = cc2 - (cc2 - p2);
      const th2 = wh2 * yh2;
      const tl2 = ((p2 - wh2) * yh2 + p2 * ((Lh2 - yh2) + Ll2)) + e2;
      {
        const s2 = s + th2;
        const sb = s2 - s;
        c += ((s - (s2 - sb)) + (th2 - sb)) + tl2;
        s = s2;
      }
      T += Math.abs(th2);
      Ea += Math.abs(e2);
    }
    // fold the block into the double-double accumulators (TwoSum)
    let a = Sh + s;
    let ab = a - Sh;
    Sl += (Sh - (a - ab)) + (s - ab);
    Sh = a;
    a = Ch + c;
    ab = a - Ch;
    Cl += (Ch - (a - ab)) + (c - ab);
    Ch = a;
  }
  if (mismatch) return Infinity;
  return fastFinish(Sh, Sl, Ch, Cl, Rh, Rl, FAST_EPS * T + FAST_EPS_E * Ea + Er);
}

/**
 * Σ_{w_i>0} w_i·ln x_i in one pass (x = w for the entropies) → hi, with FAST_LO and FAST_ERR; −∞ on
 * support mismatch (w_i > 0 = x_i); NaN when the fast path does not apply. As {@link klFast}, without
 * the ratio.
 */
function sumWLogXFast(w: Vector, x: Vector): number {
  const n = w.length;
  if (n === 0 || x.length !== n) return NaN;
  const tab = FAST_TAB;
  const pow = FAST_POW;
  const f64 = F64;
  const u32 = U32;
  const hw = HI_WORD;
  let Sh = 0;
  let Sl = 0;
  let Ch = 0;
  let Cl = 0;
  let T = 0;
  let Rh = 0;
  let Rl = 0;
  let Er = 0;
  let mismatch = false;
  for (let b = 0; b < n; b += FAST_BLOCK) {
    const end = b + FAST_BLOCK < n ? b + FAST_BLOCK : n;
    let s = 0;
    let c = 0;
    for (let i = b; i < end; i += 2) {
      let p1 = w[i]!;
      let x1 = x[i]!;
      let p2 = 0;
      let x2 = 1;
      if (i + 1 < end) {
        p2 = w[i + 1]!;
        x2 = x[i + 1]!;
      }
      if (!(typeof p1 === 'number' && typeof x1 === 'number' && typeof p2 === 'number' && typeof x2 === 'number' &&
        p1 >= 3.2033329522929615e-145 && p1 <= 3.1217485503159922e+144 && x1 >= 3.2033329522929615e-145 && x1 <= 3.1217485503159922e+144 &&
        p2 >= 3.2033329522929615e-145 && p2 <= 3.1217485503159922e+144 && x2 >= 3.2033329522929615e-145 && x2 <= 3.1217485503159922e+144)) {
        const cls1 = fastClass(p1, x1);
        const cls2 = i + 1 < end ? fastClass(p2, x2) : 1;
        if (cls1 === 3 || cls2 === 3) return NaN;
        if (cls1 === 2 || cls2 === 2) mismatch = true;
        if (cls1 === 4) {
          Rh = ddAdd(Rh, Rl, rareTerm(p1, x1, 1), LO);
          Rl = LO;
          Er += RARE_ERR + 2 ** -103 * Math.abs(Rh);
        }
        if (cls2 === 4) {
          Rh = ddAdd(Rh, Rl, rareTerm(p2, x2, 1), LO);
          Rl = LO;
          Er += RARE_ERR + 2 ** -103 * Math.abs(Rh);
        }
        if (cls1 !== 0) {
          p1 = 0;
          x1 = 1;
        }
        if (cls2 !== 0) {
          p2 = 0;
          x2 = 1;
        }
      }
      // entries 1 and 2 of the pair, phase by phase: reduction, logarithm, product and sum (the same
      // operations as in klFast without the ratio; the comments are on entry 1)
      f64[0] = x1;
      const t1 = (u32[hw]! - 0x3fe6a400) | 0; // x = 2^k·m, m ∈ [m_lo(i), m_hi(i)) ⊂ [0.7072, 1.4143)
      let cc1 = 0;
      f64[0] = x2;
      const t2 = (u32[hw]! - 0x3fe6a400) | 0;
      let cc2 = 0;
      const k1 = t1 >> 20;
      const o1 = ((t1 & 0xfffff) >> 11) * 3;
      const m1 = x1 * pow[1024 - k1]!; // exact
      const g1 = tab[o1]!;
      const c1 = (m1 + 67108864) - 67108864; // m rounded to a multiple of 2^-26, exact
      const d1 = c1 * g1 - 1; // exact (c·g has ≤ 53 bits; Sterbenz)
      const v1 = (m1 - c1) * g1; // exact
      const zh1 = d1 + v1; // TwoSum: zh + zl = m·g − 1 exactly
      const zb1 = zh1 - d1;
      const zl1 = (d1 - (zh1 - zb1)) + (v1 - zb1);
      const k2 = t2 >> 20;
      const o2 = ((t2 & 0xfffff) >> 11) * 3;
      const m2 = x2 * pow[1024 - k2]!;
      const g2 = tab[o2]!;
      const c2 = (m2 + 67108864) - 67108864;
      const d2 = c2 * g2 - 1;
      const v2 = (m2 - c2) * g2;
      const zh2 = d2 + v2;
      const zb2 = zh2 - d2;
      const zl2 = (d2 - (zh2 - zb2)) + (v2 - zb2);
      const H1 = k1 * 0.6931471803691238 + tab[o1 + 1]!; // exact (multiple of 2^-32, < 2^10)
      cc1 = 134217729 * zh1;
      const ah1 = cc1 - (cc1 - zh1);
      const al1 = zh1 - ah1;
      const A1 = H1 + zh1; // FastTwoSum (|H| ≥ |zh| or H = 0)
      const hs1 = -0.5 * (ah1 * ah1); // exact
      const Lh1 = A1 + hs1; // FastTwoSum (|A| ≥ |hs|)
      const sq1 = zh1 * zh1;
      const Ll1 = ((zh1 - (A1 - H1)) + (hs1 - (Lh1 - A1))) +
        ((tab[o1 + 2]! + k1 * 1.9082149292705877e-10) +
          ((zh1 * sq1) * (0.3333333333333333 + zh1 * (-0.25 + zh1 * (0.2 + zh1 * (-0.16666666666666666 + zh1 * 0.14285714285714285)))) -
            al1 * (ah1 + 0.5 * al1) + zl1 * (1 - zh1)));
      const H2 = k2 * 0.6931471803691238 + tab[o2 + 1]!;
      cc2 = 134217729 * zh2;
      const ah2 = cc2 - (cc2 - zh2);
      const al2 = zh2 - ah2;
      const A2 = H2 + zh2;
      const hs2 = -0.5 * (ah2 * ah2);
      const Lh2 = A2 + hs2;
      const sq2 = zh2 * zh2;
      const Ll2 = ((zh2 - (A2 - H2)) + (hs2 - (Lh2 - A2))) +
        ((tab[o2 + 2]! + k2 * 1.9082149292705877e-10) +
          ((zh2 * sq2) * (0.3333333333333333 + zh2 * (-0.25 + zh2 * (0.2 + zh2 * (-0.16666666666666666 + zh2 * 0.14285714285714285)))) -
            al2 * (ah2 + 0.5 * al2) + zl2 * (1 - zh2)));
      // p1·(Lh + Ll): L rounded to 26 bits (yh) times p1 split in two 26-bit halves, both products exact
      const S1 = Lh1 + Ll1;
      cc1 = 134217729 * S1;
      const yh1 = cc1 - (cc1 - S1);
      cc1 = 134217729 * p1;
      const wh1 = cc1 - (cc1 - p1);
      const th1 = wh1 * yh1;
      const tl1 = (p1 - wh1) * yh1 + p1 * ((Lh1 - yh1) + Ll1);
      {
        const s2 = s + th1;
        const sb = s2 - s;
        c += ((s - (s2 - sb)) + (th1 - sb)) + tl1;
        s = s2;
      }
      T += Math.abs(th1);
      const S2 = Lh2 + Ll2;
      cc2 = 134217729 * S2;
      const yh2 = cc2 - (cc2 - S2);
      cc2 = 134217729 * p2;
      const wh2 = cc2 - (cc2 - p2);
      const th2 = wh2 * yh2;
      const tl2 = (p2 - wh2) * yh2 + p2 * ((Lh2 - yh2) + Ll2);
      {
        const s2 = s + th2;
        const sb = s2 - s;
        c += ((s - (s2 - sb)) + (th2 - sb)) + tl2;
        s = s2;
      }
      T += Math.abs(th2);
    }
    let a = Sh + s;
    let ab = a - Sh;
    Sl += (Sh - (a - ab)) + (s - ab);
    Sh = a;
    a = Ch + c;
    ab = a - Ch;
    Cl += (Ch - (a - ab)) + (c - ab);
    Ch = a;
  }
  if (mismatch) return -Infinity;
  return fastFinish(Sh, Sl, Ch, Cl, Rh, Rl, FAST_EPS * T + Er);
}

/**
 * Σ_i (q_i − p_i) → hi with FAST_LO, for entries already checked by {@link klFast}: TwoDiff per
 * entry, TwoSum into s, errors into c, blocks of 256 folded by TwoSum. Error ≤ γ_512·257u·Σ|q − p|
 * < 2^-88·Σ|q − p|, returned in FAST_ERR.
 */
function linearSumFast(p: Vector, q: Vector): number {
  const n = p.length;
  let Sh = 0;
  let Sl = 0;
  let Ch = 0;
  let Cl = 0;
  let D = 0;
  for (let b = 0; b < n; b += FAST_BLOCK) {
    const end = b + FAST_BLOCK < n ? b + FAST_BLOCK : n;
    let s = 0;
    let c = 0;
    for (let i = b; i < end; i++) {
      const qi = q[i]!;
      const pi = -p[i]!;
      const d = qi + pi;
      const db = d - qi;
      const s2 = s + d;
      const sb = s2 - s;
      c += ((s - (s2 - sb)) + (d - sb)) + ((qi - (d - db)) + (pi - db));
      s = s2;
      D += Math.abs(d);
    }
    let a = Sh + s;
    let ab = a - Sh;
    Sl += (Sh - (a - ab)) + (s - ab);
    Sh = a;
    a = Ch + c;
    ab = a - Ch;
    Cl += (Ch - (a - ab)) + (c - ab);
    Ch = a;
  }
  const a = Sh + Ch;
  const ab = a - Sh;
  FAST_LO = (((Sh - (a - ab)) + (Ch - ab)) + Sl) + Cl;
  FAST_ERR = 2 ** -88 * D;
  return a;
}

/**
 * kl (or generalizedKl) decided by the fast path: the value, or NaN when the fast path does not
 * apply or its bound does not certify the result (the caller then runs the accurate algorithm).
 */
function klValue(p: unknown, q: unknown, generalised: boolean): number {
  const fp = fastVector(p);
  const fq = fastVector(q);
  if (fp === null || fq === null || fp.length > FAST_MAX_N) return NaN;
  const h = klFast(fp, fq);
  if (h === Infinity) return Infinity; // support mismatch (every entry checked)
  if (h !== h) return NaN;
  let r: number;
  let err = FAST_ERR;
  if (!generalised) {
    r = h + FAST_LO;
  } else {
    // Σ_{p>0}(p·ln(p/q) − p + q) + Σ_{p=0} q = kl + Σq − Σp; the two additions of low parts
    // (≤ 2u·(|lo| + |lo'|) < 2^-100·(Σ|terms| + Σ|q − p|)) are inside the slack of both bounds
    const l = FAST_LO;
    const dh = linearSumFast(fp, fq);
    const s = h + dh;
    const sb = s - h;
    r = s + ((((h - (s - sb)) + (dh - sb)) + l) + FAST_LO);
    err += FAST_ERR;
  }
  return err <= FAST_ACCEPT * Math.abs(r) ? r + 0 : NaN;
}

/** sign·Σ w·ln x decided by the fast path (+∞ on support mismatch), or NaN; see {@link klValue}. */
function sumWLogXValue(w: unknown, x: unknown, sign: number): number {
  const fw = fastVector(w);
  const fx = fastVector(x);
  if (fw === null || fx === null || fw.length > FAST_MAX_N) return NaN;
  const h = sumWLogXFast(fw, fx);
  if (h === -Infinity) return Infinity; // crossEntropy's support mismatch (every entry checked)
  if (h !== h) return NaN;
  const r = sign * (h + FAST_LO);
  return FAST_ERR <= FAST_ACCEPT * Math.abs(r) ? r + 0 : NaN;
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
    if (pi === qi) continue;
    // kl: the generalised term t (≥ 0) plus the exact p − q where p/q ∈ [1/3, 3] (|t|, |p − q| ≤ p:
    // no cancellation beyond the terms' own size); the plain term p·log(p/q) elsewhere, where
    // −p + q may be far larger than the term (q = 1e160 against p = 0.5).
    const th = genTerm(pi, qi, !generalised);
    const tl = LO;
    if (!generalised && !TERM_PLAIN) {
      expansionAdd(parts, pi);
      expansionAdd(parts, -qi);
    }
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
  const f = sumWLogXValue(p, p, -1);
  if (f === f) return f;
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
  const f = sumWLogXValue(p, q, -1);
  if (f === f) return f;
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
  const f = sumWLogXValue(p, p, 1);
  if (f === f) return f;
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
 * Algorithm: first the one-pass fast path ("Fast paths" above: table logarithm, compensated sum,
 * a-posteriori bound); where its bound does not certify (½ + 2^-5) ulp — near-equal pairs, heavy
 * cancellation — kl = Σ_{p_i>0} t_i + C with t_i = p_i·log(p_i/q_i) − p_i + q_i ≥ 0 (no
 * cancellation, each t_i to < 2^-58 relative, summed in double-double) and C = Σ_{p_i>0}(p_i − q_i)
 * held exactly; the final sum is correctly rounded.
 */
export function kl(p: Vector, q: Vector): number {
  const f = klValue(p, q, false);
  if (f === f) return f;
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
  const f = klValue(p, q, true);
  if (f === f) return f;
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
  [mu1, sigma1, mu2, sigma2] = diagGaussianArgs('klNormalDiag', mu1, sigma1, mu2, sigma2);
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
  /** The fast path of kl / generalizedKl / the entropies: [hi, lo, error bound] (null: not applicable; ±∞: mismatch). */
  fastKl(p: readonly number[], q: readonly number[]): [number, number, number] | null {
    const h = klFast(p, q);
    return h === h ? [h, Math.abs(h) < Infinity ? FAST_LO : 0, Math.abs(h) < Infinity ? FAST_ERR : 0] : null;
  },
  fastSumWLogX(w: readonly number[], x: readonly number[]): [number, number, number] | null {
    const h = sumWLogXFast(w, x);
    return h === h ? [h, Math.abs(h) < Infinity ? FAST_LO : 0, Math.abs(h) < Infinity ? FAST_ERR : 0] : null;
  },
  /** The value decided by the fast path, or NaN when the accurate fallback would run. */
  fastValue(fn: 'kl' | 'generalizedKl' | 'entropy' | 'crossEntropy' | 'negEntropy', args: ReadonlyArray<readonly number[]>): number {
    const p = args[0]!;
    if (fn === 'kl' || fn === 'generalizedKl') return klValue(p, args[1]!, fn === 'generalizedKl');
    return sumWLogXValue(p, fn === 'crossEntropy' ? args[1]! : p, fn === 'negEntropy' ? 1 : -1);
  },
  /** The fast-path table (g, T1, T2 per interval) and its constants, for the error analysis in the tests. */
  fastTable(): { tab: Float64Array; off: number; one: number; eps: number; epsE: number; accept: number; ln2Rest: number } {
    return { tab: FAST_TAB.slice(), off: FAST_OFF, one: FAST_ONE, eps: FAST_EPS, epsE: FAST_EPS_E, accept: FAST_ACCEPT, ln2Rest: FAST_LN2_REST };
  },
  exactSum(xs: readonly number[]): number {
    const parts: number[] = [];
    for (const x of xs) expansionAdd(parts, x);
    return expansionRound(parts);
  },
};
