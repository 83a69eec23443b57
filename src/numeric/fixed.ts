/**
 * Fixed-point logarithm and exponential in BigInt arithmetic — the engine of the reference.
 *
 * A fixed-point number at scale F is an integer X standing for X·2^-F. Every routine here returns
 * its result with an absolute error of at most {@link FIXED_ERROR_UNITS} units of 2^-F (derivation
 * below and in docs/accuracy.md); callers combine those bounds into an interval and refine (Ziv's
 * strategy) until the rounding of the result to the requested digits is decided.
 *
 * Why not decimal.js's `ln`: it costs ~150–260 µs at 40 digits on these machines, and the reference
 * needs one logarithm per category. Inputs here are exact binary numbers (doubles, or BigInt
 * fixed-point values), which makes table-driven argument reduction exact:
 *
 *   ln(x) = k·ln 2 + ln(y),  x = y·2^k, y ∈ [1, 2)
 *   y ← y·r_1·r_2·r_3·r_4 with short dyadic reciprocals r_s read from tables (exact BigInt products),
 *   so that |y − 1| < 2^-32 afterwards, and ln(y_0) = ln(y_4) − Σ ln(r_s)
 *   ln(y_4) = 2·atanh(t/(2+t)), t = y_4 − 1, a series of ~F/66 terms.
 *
 * Tables (ln r_s at scale F) are filled lazily, per scale, by the same atanh series, so nothing here
 * depends on decimal.js; the tests compare against decimal.js's correctly rounded `ln`.
 *
 * Error budget of {@link lnFixed}. Internally everything runs at scale Fi = F + 8. In units of
 * 2^-Fi: ≤ 1 for each of the 4 truncated products, ≤ 1 for each of the 4 table entries (computed
 * at Fi+16 bits then rounded), ≤ 2 per term of the final series (one division, ~Fi/66 truncated
 * terms: ≤ 2 + 2·Fi/66 in all), and < 1/4 for k·ln 2 (ln 2 at Fi+64 bits, |k| ≤ 2^22). That is
 * < 11 + Fi/33 units of 2^-Fi, i.e. < 0.05 + Fi/8448 units of 2^-F, + ½ for the final rounding:
 * below 1 unit of 2^-F for every F up to 4000 bits (1200 digits). We publish 16 units, which
 * leaves room for the long-mantissa truncation of lnFixed (≤ 1 unit) and for expFixed.
 */

/** Published absolute error bound, in units of 2^-F, of lnFixed / lnDoubleFixed / expFixed. */
export const FIXED_ERROR_UNITS = 16n;

const STAGES = 4;
/** lnUnit works at scale F + INTERNAL_GUARD and rounds, so its error is < 1 unit of 2^-F at any F. */
const INTERNAL_GUARD = 8;
const STAGE_BITS = 8;
/** Guard bits used while building table entries and constants. */
const TABLE_GUARD = 16;

// ---------------------------------------------------------------------------------------------
// Series

/**
 * atanh(S·2^-F)·2^F by its Taylor series Σ s^(2k+1)/(2k+1), for |s| ≤ 1/2.
 * Each iteration truncates twice (≤ 2 units); the caller supplies guard bits for long series.
 */
function atanhSeries(S: bigint, F: bigint): bigint {
  let sum = S;
  let pow = S;
  const s2 = (S * S) >> F;
  if (s2 === 0n) return sum;
  for (let k = 3n; ; k += 2n) {
    pow = (pow * s2) >> F;
    if (pow === 0n || pow === -1n) break;
    sum += pow / k;
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Constants, cached per scale

const ln2Cache = new Map<number, bigint>();

/** ln 2 at scale F (error ≤ 1 unit): 2·atanh(1/3), computed with guard bits. */
export function ln2Fixed(F: number): bigint {
  let v = ln2Cache.get(F);
  if (v === undefined) {
    const G = BigInt(F + TABLE_GUARD + 8);
    const third = (1n << G) / 3n;
    v = roundShift(2n * atanhSeries(third, G), TABLE_GUARD + 8);
    ln2Cache.set(F, v);
  }
  return v;
}

/** Round-to-nearest right shift of a signed BigInt. */
export function roundShift(x: bigint, bits: number): bigint {
  if (bits <= 0) return x << BigInt(-bits);
  const b = BigInt(bits);
  return (x + (1n << (b - 1n))) >> b;
}

// ---------------------------------------------------------------------------------------------
// Reduction tables

/**
 * Stage s (1-based) reduces |y − 1| from < 2^-(8(s-1)) to < 2^-(8s).
 * Stage 1: y ∈ [1,2), index j = ⌊(y−1)·2^8⌋ ∈ [0, 255], r = ⌊2^16·256/(256+j)⌋/2^16 ≤ 1/c,
 *          so y·r ∈ (1 − 2^-15, 1 + 2^-8).
 * Stage s ≥ 2 (a = 8(s−1)): j = round((y−1)·2^(a+8)) ∈ [−132, 260], c = 1 + j·2^-(a+8),
 *          r = round(2^R/c)/2^R with R = a + 20, so |y·r − 1| ≤ 2^-(a+9)(1+2^-a) + 2^-(a+21) < 2^-(a+8).
 */
interface Stage {
  /** Bits of the reciprocal's denominator 2^R. */
  readonly R: number;
  readonly Rn: bigint;
  /** Smallest index (offset into the arrays). */
  readonly jMin: number;
  /** Reciprocals r_j·2^R, by j − jMin. */
  readonly recip: bigint[];
}

const stages: Stage[] = [];
{
  // Stage 1
  const recip1: bigint[] = [];
  for (let j = 0; j < 256; j++) recip1.push((1n << 24n) / BigInt(256 + j)); // 2^16·256/(256+j)
  stages.push({ R: 16, Rn: 16n, jMin: 0, recip: recip1 });
  for (let s = 2; s <= STAGES; s++) {
    const a = STAGE_BITS * (s - 1);
    const R = a + 20;
    const scale = 1n << BigInt(a + 8);
    const recip: bigint[] = [];
    // Stage 2 sees j ∈ [−2, 256]; later stages see |t| ≤ 2^-(a+1)·1.004, so j ∈ [−129, 129].
    const jMin = -132;
    for (let j = jMin; j <= 260; j++) {
      const c = scale + BigInt(j); // c·2^(a+8)
      // round(2^R·2^(a+8)/c)
      recip.push(((1n << BigInt(R + a + 8)) + c / 2n) / c);
    }
    stages.push({ R, Rn: BigInt(R), jMin, recip });
  }
}

/** Per-scale cache of −ln(r_j) for each stage, filled lazily. */
interface ScaleTables {
  readonly F: number;
  readonly Fn: bigint;
  readonly one: bigint;
  readonly negLnR: (bigint | undefined)[][];
  readonly ln2Wide: bigint; // ln 2 at scale F + 64
}

const tablesByScale = new Map<number, ScaleTables>();

function tablesFor(F: number): ScaleTables {
  let t = tablesByScale.get(F);
  if (!t) {
    t = {
      F,
      Fn: BigInt(F),
      one: 1n << BigInt(F),
      negLnR: stages.map((st) => new Array<bigint | undefined>(st.recip.length)),
      ln2Wide: ln2Fixed(F + 64),
    };
    tablesByScale.set(F, t);
  }
  return t;
}

function negLnR(t: ScaleTables, stage: number, idx: number): bigint {
  const row = t.negLnR[stage]!;
  let v = row[idx];
  if (v === undefined) {
    const st = stages[stage]!;
    const r = st.recip[idx]!;
    const D = 1n << st.Rn;
    // −ln(r/2^R) = 2·atanh((2^R − r)/(2^R + r)), at F + guard bits, then rounded.
    const G = BigInt(t.F + TABLE_GUARD);
    const s = ((D - r) << G) / (D + r);
    v = roundShift(2n * atanhSeries(s, G), TABLE_GUARD);
    row[idx] = v;
  }
  return v;
}

/** y ≈ Y·2^-F in [1, 2) for Y ∈ [2^F, 2^(F+1)): the top 61 bits, rounded once, clamped below 2. */
function unitApprox(Y: bigint, F: number): number {
  const y = F > 60 ? Number(Y >> BigInt(F - 60)) * 2 ** -60 : Number(Y) * 2 ** -F;
  return Math.min(y, 2 - 2 ** -52);
}

/** Reciprocals of stages 2..4 as doubles (r·2^-R), for choosing indices in double arithmetic. */
const recipDouble: number[][] = stages.map((st) => st.recip.map((r) => Number(r) * 2 ** -st.R));

/**
 * ln(Y·2^-F) at scale F for Y ∈ [2^F, 2^(F+1)) (i.e. y ∈ [1, 2)), given `y` ≈ Y·2^-F (any double in
 * [1, 2) within 2^-50 relative). Stage s multiplies Y by the table reciprocal r_s chosen from y —
 * one BigInt product, shift and addition per stage; the index needs no BigInt work. An index
 * computed from the approximation can differ from the exact one only at a half-way point, where
 * either neighbour keeps |Y·Π r − 1| < 2^-31 instead of 2^-32; any index is correct — the final
 * series converges for every |t| < 1/2 — the bound only keeps it short (at most one more term).
 */
function lnUnit(Y: bigint, y: number, t: ScaleTables): bigint {
  const Fn = t.Fn;
  const j1 = Math.floor((y - 1) * 256);
  let st = stages[0]!;
  let acc = negLnR(t, 0, j1);
  Y = (Y * st.recip[j1]!) >> st.Rn;
  y *= recipDouble[0]![j1]!;
  for (let s = 1; s < STAGES; s++) {
    st = stages[s]!;
    const idx = Math.round((y - 1) * 2 ** (STAGE_BITS * s + 8)) - st.jMin;
    acc += negLnR(t, s, idx);
    Y = (Y * st.recip[idx]!) >> st.Rn;
    y *= recipDouble[s]![idx]!;
  }
  const T = Y - t.one;
  if (T === 0n) return acc;
  const S = (T << Fn) / ((t.one << 1n) + T);
  return acc + 2n * atanhSeries(S, Fn);
}

/** k·ln 2 at scale F with the wide constant (error < 1/4 unit for |k| < 2^22). */
function kLn2(k: bigint, t: ScaleTables): bigint {
  return roundShift(k * t.ln2Wide, 64);
}

/**
 * ln(M·2^E) at scale F, for a BigInt M > 0 (any size). Error ≤ FIXED_ERROR_UNITS units of 2^-F
 * (plus the truncation of M to F+1 significant bits, ≤ 1 unit, included in the budget).
 */
export function lnFixed(M: bigint, E: number, F: number): bigint {
  if (M <= 0n) throw new RangeError('lnFixed: argument must be positive');
  const Fi = F + INTERNAL_GUARD;
  const t = tablesFor(Fi);
  const b = bitLengthPositive(M);
  const k = E + b - 1;
  const shift = Fi - (b - 1);
  const Y = shift >= 0 ? M << BigInt(shift) : M >> BigInt(-shift);
  return roundShift(lnUnit(Y, unitApprox(Y, Fi), t) + kLn2(BigInt(k), t), INTERNAL_GUARD);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** The binary exponent k and the fixed-point significand Y ∈ [2^F, 2^(F+1)) of a positive finite double. */
export interface DoubleParts {
  k: number;
  /** Significand as a 53-bit integer (hidden bit at bit 52) for normal numbers, normalised for subnormals. */
  sig: bigint;
}

/** Decomposes a positive finite double into x = (sig/2^52)·2^k with sig ∈ [2^52, 2^53). */
export function doubleParts(x: number): DoubleParts {
  f64[0] = x;
  const hi = u32[HI]!;
  const lo = u32[LO]!;
  const biased = (hi >>> 20) & 0x7ff;
  if (biased !== 0) {
    const fracHi = hi & 0xfffff;
    return {
      k: biased - 1023,
      sig: BigInt((fracHi | 0x100000) * 4294967296 + lo), // < 2^53: exact in a double
    };
  }
  // Subnormal: value = frac·2^-1074, normalise.
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const b = bitLengthPositive(frac);
  const sig = frac << BigInt(53 - b);
  return { k: -1074 + b - 1, sig };
}

/**
 * ln(y) at scale F for the significand part y ∈ [1, 2) of a positive double: ln x = k·ln 2 + ln y.
 * Error ≤ FIXED_ERROR_UNITS units. Requires F ≥ 60.
 */
export function lnSignificandFixed(parts: DoubleParts, F: number): bigint {
  const Fi = F + INTERNAL_GUARD;
  const t = tablesFor(Fi);
  return roundShift(lnUnit(parts.sig << BigInt(Fi - 52), Number(parts.sig) * 2 ** -52, t), INTERNAL_GUARD);
}

/**
 * ln(y_a/y_b) at scale F for the significand parts y_a, y_b ∈ [1, 2) of two positive doubles: one
 * logarithm of an exact-to-one-unit fixed-point quotient instead of two logarithms (the inner loop
 * of the reference kl). Q = ⌊y_a·2^Fi/y_b⌋ ∈ (2^(Fi−1), 2^(Fi+1)) is within 1 unit of 2^-Fi of the
 * ratio (≥ 1/2), so its logarithm within 2; below 1 the quotient is doubled exactly and ln 2
 * (≤ 1 unit) subtracted. With lnUnit's < 9 + Fi/33 units, the total stays below FIXED_ERROR_UNITS
 * units of 2^-F after the final rounding, for every F up to 4000 bits.
 */
export function lnSignificandRatioFixed(a: DoubleParts, b: DoubleParts, F: number): bigint {
  const Fi = F + INTERNAL_GUARD;
  const t = tablesFor(Fi);
  const Q = (a.sig << t.Fn) / b.sig;
  const y = Number(a.sig) / Number(b.sig); // within 2^-52 relative of Q·2^-Fi (≤ 1 unit apart)
  if (Q >= t.one) return roundShift(lnUnit(Q, y < 1 ? 1 : y, t), INTERNAL_GUARD);
  return roundShift(lnUnit(Q << 1n, Math.min(2 * y, 2 - 2 ** -52), t) - kLn2(1n, t), INTERNAL_GUARD);
}

/** ln(x) at scale F for a positive finite double x (error ≤ FIXED_ERROR_UNITS units). */
export function lnDoubleFixed(x: number, F: number): bigint {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`lnDoubleFixed: ${x} is not positive and finite`);
  const parts = doubleParts(x);
  const Fi = F + INTERNAL_GUARD;
  const t = tablesFor(Fi);
  return roundShift(lnUnit(parts.sig << BigInt(Fi - 52), Number(parts.sig) * 2 ** -52, t) + kLn2(BigInt(parts.k), t), INTERNAL_GUARD);
}

/** ln 2 at scale F + 64 (for callers that multiply it by large exact coefficients). */
export function ln2Wide(F: number): bigint {
  return ln2Fixed(F + 64);
}

// ---------------------------------------------------------------------------------------------
// Exponential

const expTableCache = new Map<number, (bigint | undefined)[]>();
const EXP_TABLE_HALF = 24; // j ∈ [−24, 24], r ≈ j/64

/** exp(j/64) at scale F, Taylor series with guard bits. */
function expTableEntry(F: number, j: number): bigint {
  let row = expTableCache.get(F);
  if (!row) {
    row = new Array<bigint | undefined>(2 * EXP_TABLE_HALF + 1);
    expTableCache.set(F, row);
  }
  let v = row[j + EXP_TABLE_HALF];
  if (v === undefined) {
    const G = BigInt(F + TABLE_GUARD);
    const x = (BigInt(j) << G) / 64n; // exact: j/64 is dyadic
    v = roundShift(expTaylor(x, G), TABLE_GUARD);
    row[j + EXP_TABLE_HALF] = v;
  }
  return v;
}

const expFineCache = new Map<number, (bigint | undefined)[]>();
const EXP_FINE_HALF = 66; // j2 ∈ [−66, 66], r ≈ j2/2^13 (|r2| ≤ 1/128 + 2^-G rounds to |j2| ≤ 65)

/** exp(j/2^13) at scale F, Taylor series with guard bits. */
function expFineEntry(F: number, j: number): bigint {
  let row = expFineCache.get(F);
  if (!row) {
    row = new Array<bigint | undefined>(2 * EXP_FINE_HALF + 1);
    expFineCache.set(F, row);
  }
  let v = row[j + EXP_FINE_HALF];
  if (v === undefined) {
    const G = BigInt(F + TABLE_GUARD);
    const x = (BigInt(j) << G) / 8192n; // exact: j/2^13 is dyadic
    v = roundShift(expTaylor(x, G), TABLE_GUARD);
    row[j + EXP_FINE_HALF] = v;
  }
  return v;
}

/** exp(X·2^-F)·2^F by Taylor series, for |x| ≤ 1/2. */
function expTaylor(X: bigint, Fn: bigint): bigint {
  const one = 1n << Fn;
  let sum = one;
  let term = one;
  for (let i = 1n; ; i++) {
    term = (term * X) >> Fn;
    term /= i;
    if (term === 0n) break;
    sum += term;
  }
  return sum;
}

/** exp(d) = mant·2^(k − F), mant ∈ (0.70·2^F, 1.42·2^F); relative error ≤ FIXED_ERROR_UNITS·2^-F. */
export interface FixedExp {
  mant: bigint;
  k: number;
}

/**
 * exp(d) for an exact dyadic d = dm·2^de with |d| < 2^21. Reduction d = k·ln 2 + j/64 + j2/2^13 + r,
 * |r| ≤ 2^-14 + 2^-F, then exp(r) by Taylor (≈ F/14 terms).
 * Error budget (units of 2^-F, relative): r carries ≤ 1/4 unit from k·ln 2 and ≤ 1 from truncating
 * d; the two table entries ≤ 1 each and their truncated product ≤ 1; the Taylor sum ≤ 2 per term over ≤ F/6 terms is absorbed by 2^16 guard
 * via scale F+16 internally. Published: FIXED_ERROR_UNITS.
 */
export function expFixed(dm: bigint, de: number, F: number): FixedExp {
  const G = F + 16; // internal scale
  const Gn = BigInt(G);
  const dFix = de + G >= 0 ? dm << BigInt(de + G) : dm >> BigInt(-(de + G));
  const b = bitLengthPositive(dm < 0n ? -dm : dm);
  const dApprox = b > 60 ? Number(dm >> BigInt(b - 60)) * 2 ** (de + b - 60) : Number(dm) * 2 ** de;
  const k = Math.round(dApprox / Math.LN2);
  if (!(Math.abs(k) <= 2 ** 22)) throw new RangeError('expFixed: argument out of range');
  const ln2G = roundShift(BigInt(k) * ln2Fixed(G + 64), 64);
  const r = dFix - ln2G; // |r| ≲ 0.35
  const j = Number(roundShift(r * 64n, G));
  const r2 = r - (BigInt(j) << Gn) / 64n; // |r2| ≤ 1/128 + 2^-G
  // Second reduction: r2 = j2/2^13 + r3 with |r3| ≤ 2^-14 + 2^-G, so the Taylor series needs about
  // half the terms (each truncated product of two entries adds ≤ 1 unit of 2^-G).
  const j2 = Number(roundShift(r2 << 13n, G));
  const r3 = r2 - (BigInt(j2) << Gn) / 8192n;
  const e = (((expTableEntry(G, j) * expFineEntry(G, j2)) >> Gn) * expTaylor(r3, Gn)) >> Gn;
  return { mant: roundShift(e, 16), k };
}

// ---------------------------------------------------------------------------------------------

/** Bit length of a positive BigInt (fast path for values below 2^53). */
export function bitLengthPositive(n: bigint): number {
  if (n < 0x100000000n) return 32 - Math.clz32(Number(n));
  if (n < 0x20000000000000n) return 64 - Math.clz32(Math.floor(Number(n) / 4294967296));
  const s = n.toString(16);
  return (s.length - 1) * 4 + (32 - Math.clz32(parseInt(s[0]!, 16)));
}
