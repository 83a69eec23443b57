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
 *   y ← y·r_1·…·r_6 with short dyadic reciprocals r_s read from tables (exact BigInt products,
 *   applied in three pairs), so that |y − 1| < 2^-48 afterwards, and ln(y_0) = ln(y_6) − Σ ln(r_s)
 *   ln(y_6) = t − t²/2 + t³/3 − …, t = y_6 − 1 exact; the terms below 2^(44−F) are summed in doubles.
 *
 * Tables (ln r_s at scale F) are filled lazily, per scale, by an atanh series, so nothing here
 * depends on decimal.js; the tests compare against decimal.js's correctly rounded `ln`.
 *
 * Error budget: see {@link LnEngine} (< 13 + Fi/36 units of 2^-Fi at the internal scale Fi = F + 8,
 * i.e. < 0.06 + F/9216 units of 2^-F) — below 1 unit of 2^-F for every F up to 8700 bits (2600
 * digits); lnFixed and lnDoubleFixed add ½ for the final rounding and lnFixed ≤ 1 for truncating a
 * long mantissa. We publish 16 units, which holds up to the largest working precision (2^17 bits)
 * and covers expFixed.
 */

import { F64, HI, LO, U32 } from './exact';

/** Published absolute error bound, in units of 2^-F, of lnFixed / lnDoubleFixed / expFixed. */
export const FIXED_ERROR_UNITS = 16n;

const STAGES = 6;
/** Results are computed at scale F + INTERNAL_GUARD, so their error is < 1 unit of 2^-F. */
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
 * Stage s ≥ 2 (a = 8(s−1)): j = round((y−1)·2^(a+8)), c = 1 + j·2^-(a+8),
 *          r = round(2^R/c)/2^R with R = min(a + 20, 52) (so r < 2^53 is exact as a double), and
 *          |y·r − 1| ≤ 2^-(a+9)(1 + 2^-a) + 2^-(R+1)(1 + 2^-a) < 2^-(a+8).
 * Stage 2 sees j ∈ [−2, 256]; later stages see |y − 1| ≤ 2^-(a+1)·1.01, so |j| ≤ 130. The index
 * ranges below keep a margin of two or more on each side; an index outside them is an internal error.
 */
interface Stage {
  /** Bits of the reciprocal's denominator 2^R. */
  readonly R: number;
  /** Smallest and largest index. */
  readonly jMin: number;
  readonly jMax: number;
  /** Reciprocals r_j·2^R, by j − jMin. */
  readonly recip: bigint[];
}

const stages: Stage[] = [];
{
  // Stage 1
  const recip1: bigint[] = [];
  for (let j = 0; j < 256; j++) recip1.push((1n << 24n) / BigInt(256 + j)); // 2^16·256/(256+j)
  stages.push({ R: 16, jMin: 0, jMax: 255, recip: recip1 });
  for (let s = 2; s <= STAGES; s++) {
    const a = STAGE_BITS * (s - 1);
    const R = Math.min(a + 20, 52);
    const scale = 1n << BigInt(a + 8);
    const recip: bigint[] = [];
    const jMin = s === 2 ? -4 : -132;
    const jMax = s === 2 ? 259 : 132;
    for (let j = jMin; j <= jMax; j++) {
      const c = scale + BigInt(j); // c·2^(a+8)
      // round(2^R·2^(a+8)/c)
      recip.push(((1n << BigInt(R + a + 8)) + c / 2n) / c);
    }
    stages.push({ R, jMin, jMax, recip });
  }
}

/**
 * The six stages are applied as three pairs: (1,2), (3,4), (5,6). A pair's reciprocal is the exact
 * product r_a·r_b (scale-independent, built on first use) and its table entry the sum of the two
 * stages' entries (per scale), so a pair costs one BigInt product and one shift. The indices of all
 * six stages are chosen first, in double arithmetic.
 */
const PAIRS = 3;
/** Number of second-stage indices of each pair (the combined index is iA·pairWidth + iB). */
const pairWidth: number[] = [];
/** Bits of each pair's combined denominator, R_a + R_b. */
const pairShift: bigint[] = [];
/** Combined reciprocals, by combined index, filled lazily. */
const pairRecip: (bigint | undefined)[][] = [];
for (let p = 0; p < PAIRS; p++) {
  const A = stages[2 * p]!, B = stages[2 * p + 1]!;
  pairWidth.push(B.recip.length);
  pairShift.push(BigInt(A.R + B.R));
  pairRecip.push(new Array<bigint | undefined>(A.recip.length * B.recip.length).fill(undefined));
}

const stageLength: number[] = stages.map((st) => st.recip.length);

function combinedRecip(p: number, c: number): bigint {
  let v = pairRecip[p]![c];
  if (v === undefined) {
    const w = pairWidth[p]!;
    v = stages[2 * p]!.recip[Math.floor(c / w)]! * stages[2 * p + 1]!.recip[c % w]!;
    pairRecip[p]![c] = v;
  }
  return v;
}

/** Per-scale cache of −ln(r_j) for each stage, filled lazily. */
interface ScaleTables {
  readonly F: number;
  readonly Fn: bigint;
  readonly one: bigint;
  readonly negLnR: (bigint | undefined)[][];
  /** Sums of the two entries of each stage pair, by combined index. */
  readonly pairNegLnR: (bigint | undefined)[][];
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
      pairNegLnR: pairRecip.map((row) => new Array<bigint | undefined>(row.length).fill(undefined)),
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
    const D = 1n << BigInt(st.R);
    // −ln(r/2^R) = 2·atanh((2^R − r)/(2^R + r)), at F + guard bits, then rounded.
    const G = BigInt(t.F + TABLE_GUARD);
    const s = ((D - r) << G) / (D + r);
    v = roundShift(2n * atanhSeries(s, G), TABLE_GUARD);
    row[idx] = v;
  }
  return v;
}

function pairNegLnR(t: ScaleTables, p: number, c: number): bigint {
  let v = t.pairNegLnR[p]![c];
  if (v === undefined) {
    const w = pairWidth[p]!;
    v = negLnR(t, 2 * p, Math.floor(c / w)) + negLnR(t, 2 * p + 1, c % w);
    t.pairNegLnR[p]![c] = v;
  }
  return v;
}

/** y ≈ Y·2^-F in [1, 2) for Y ∈ [2^F, 2^(F+1)): the top 61 bits, rounded once, clamped below 2. */
function unitApprox(Y: bigint, F: number): number {
  const y = F > 60 ? Number(Y >> BigInt(F - 60)) * 2 ** -60 : Number(Y) * 2 ** -F;
  return Math.min(y, 2 - 2 ** -52);
}

/** Reciprocals of every stage as doubles (r·2^-R, exact: r has at most 44 bits), for choosing indices in double arithmetic. */
const recipDouble: number[][] = stages.map((st) => st.recip.map((r) => Number(r) * 2 ** -st.R));

/** Divisors k of the series ln(1 + t) = Σ (−1)^(k+1) t^k/k as BigInts, and log2 k as doubles. */
const seriesDiv: bigint[] = [0n, 1n];
const log2k: number[] = [-Infinity, 0];
function seriesTerms(upTo: number): void {
  for (let k = seriesDiv.length; k <= upTo; k++) {
    seriesDiv.push(BigInt(k));
    log2k.push(Math.log2(k));
  }
}

/** k·ln 2 is tabulated per scale for |k| ≤ K_TABLE (every exponent difference of two doubles). */
const K_TABLE = 2100;
/** Series terms at least 2^(DOUBLE_TAIL_BITS − Fi) are BigInt; smaller ones are summed in doubles. */
const DOUBLE_TAIL_BITS = 44;
/** Above this internal scale the whole series is BigInt (2^-Fi would underflow a double). */
const DOUBLE_TAIL_MAX_FI = 1000;

/**
 * Logarithms at one scale: what the reference's inner loop calls, once per term. Results are
 * fixed-point integers at scale Fi = F + 8 (the guard bits are not rounded away: the caller
 * accumulates at scale Fi and truncates once per group of terms), with an absolute error below
 * {@link FIXED_ERROR_UNITS} units of 2^-F.
 *
 * Why it is shaped like this: a BigInt operation costs 25–80 ns here whatever the size of its
 * operands (up to a few hundred bits), while double arithmetic costs about 1 ns, so everything that
 * can be decided in doubles is. Per logarithm of a quotient x/y, at 40 digits:
 *   - the doubles are split in double arithmetic (no objects) and the exponents subtracted;
 *   - the indices of all six 8-bit reduction stages are chosen in double arithmetic;
 *   - the first pair's exact reciprocal is folded into the quotient: Y = ⌊a·r₁r₂·2^(Fi−44)/b⌋
 *     (a quotient below 1 is doubled by one more bit of numerator, and the exponent lowered by one);
 *   - two more products by exact pair reciprocals leave 1 + t with |t| < 2^-48;
 *   - ln(1 + t) = t − t²/2 + …: t is exact, t²/2 is one BigInt square, and the remaining terms
 *     (below 2^-132 at this scale) are summed in doubles and converted once;
 *   - k·ln 2 comes from a per-scale table, the reduction's −ln r from per-scale pair tables.
 * About 20 BigInt operations instead of the 45 of a term-by-term fixed-point evaluation.
 *
 * Error budget, in units of 2^-Fi: the quotient (or, for ln x below Fi = 96, the first product) ≤ 1;
 * two more truncated products ≤ 1.01 each (the running value stays above 1 − 2^-15); six table
 * entries ≤ 1 each; t exact; t²/2 ≤ 1; each further BigInt term t^k/k ≤ 1 + 1/k (the power's
 * truncation, inherited times |t| < 2^-47, divided by k, plus the division); the double tail ≤ 1.5
 * (its terms are below 2^(44−Fi) in all, evaluated with relative error ≤ (2K + 4)·2^-53 for K ≤ 150
 * terms, then rounded); the omitted tail < ½ (its first term is below 2^-(Fi+2) and the terms fall
 * by a factor |t| < 2^-47); k·ln 2 < ½ + 2^-50. With at most (Fi − 44)/47 BigInt terms: < 13 + Fi/36
 * units of 2^-Fi, which is < FIXED_ERROR_UNITS·2^8 = 4096 for every Fi below 147 000 (beyond the
 * reference's largest working precision).
 */
export class LnEngine {
  readonly F: number;
  readonly Fi: number;
  private readonly t: ScaleTables;
  private readonly FiN: bigint;
  private readonly FiPlus1: bigint;
  /** Shifts placing a·r₁r₂ (a < 2^53, r₁r₂ < 2^45 at 2^-44) at scale Fi. */
  private readonly quotShift: bigint;
  private readonly quotShift2: bigint;
  private readonly sigShift: bigint;
  private readonly sigShiftLeft: boolean;
  private readonly one: bigint;
  private readonly scale: number;
  private readonly invScale: number;
  /** log2 of the smallest series term kept in BigInt (−(Fi + 2) above DOUBLE_TAIL_MAX_FI: every term). */
  private readonly bigTermFloor: number;
  private readonly tailBound: number;
  private readonly kLn2Table: (bigint | undefined)[];
  // Combined indices of the three stage pairs, written by indices().
  private c0 = 0;
  private c1 = 0;
  private c2 = 0;

  constructor(F: number) {
    if (!(F >= 60)) throw new RangeError(`LnEngine: scale ${F} below 60 bits`);
    this.F = F;
    const Fi = F + INTERNAL_GUARD;
    this.Fi = Fi;
    this.t = tablesFor(Fi);
    this.FiN = BigInt(Fi);
    this.FiPlus1 = BigInt(Fi + 1);
    this.quotShift = BigInt(Fi - 44);
    this.quotShift2 = BigInt(Fi - 43);
    this.sigShiftLeft = Fi >= 96;
    this.sigShift = BigInt(Math.abs(Fi - 96));
    this.one = this.t.one;
    this.scale = 2 ** Fi;
    this.invScale = 2 ** -Fi;
    this.bigTermFloor = Fi <= DOUBLE_TAIL_MAX_FI ? DOUBLE_TAIL_BITS - Fi : -(Fi + 2);
    this.tailBound = -(Fi + 2);
    this.kLn2Table = new Array<bigint | undefined>(2 * K_TABLE + 1).fill(undefined);
    seriesTerms(Math.ceil(Fi / 40) + 4);
  }

  /** k·ln 2 at scale Fi (error < ½ + 2^-50 units): tabulated for |k| ≤ 2100, computed beyond. */
  kLn2(k: number): bigint {
    if (k >= -K_TABLE && k <= K_TABLE) {
      let v = this.kLn2Table[k + K_TABLE];
      if (v === undefined) {
        v = kLn2(BigInt(k), this.t);
        this.kLn2Table[k + K_TABLE] = v;
      }
      return v;
    }
    return kLn2(BigInt(k), this.t);
  }

  /** ln x at scale Fi for a positive finite double x. */
  ln(x: number): bigint {
    if (!(x > 0) || x === Infinity) throw new RangeError(`LnEngine.ln: ${x} is not positive and finite`);
    splitDouble(x);
    const sig = splitSig;
    const k = splitK;
    this.indices(sig * 2 ** -52);
    const P = BigInt(sig) * combinedRecip(0, this.c0); // a·r₁r₂ at scale 2^-(52+44)
    const Y = this.sigShiftLeft ? P << this.sigShift : P >> this.sigShift; // exact for Fi ≥ 96
    const L = this.reduceAndFinish(Y);
    return k === 0 ? L : L + this.kLn2(k);
  }

  /** ln(x/y) at scale Fi for positive finite doubles x, y: one logarithm of the significands' quotient. */
  lnRatio(x: number, y: number): bigint {
    if (!(x > 0) || x === Infinity || !(y > 0) || y === Infinity) throw new RangeError(`LnEngine.lnRatio: ${x}, ${y} are not positive and finite`);
    splitDouble(x);
    const a = splitSig;
    let dk = splitK;
    splitDouble(y);
    const b = splitSig;
    dk -= splitK;
    let Y: bigint;
    if (a >= b) {
      // a/b in doubles is ≥ 1 and ≤ 2 − 2^-52 (monotone rounding); Y = ⌊(a/b)·r₁r₂·2^Fi⌋.
      this.indices(a / b);
      Y = ((BigInt(a) * combinedRecip(0, this.c0)) << this.quotShift) / BigInt(b);
    } else {
      // a/b ∈ (½, 1): the quotient 2a/b ∈ (1, 2) and one ln 2 less.
      this.indices(Math.min((2 * a) / b, 2 - 2 ** -52));
      Y = ((BigInt(a) * combinedRecip(0, this.c0)) << this.quotShift2) / BigInt(b);
      dk -= 1;
    }
    const L = this.reduceAndFinish(Y);
    return dk === 0 ? L : L + this.kLn2(dk);
  }

  /**
   * ln(Y·2^-Fi) at scale Fi for Y ∈ [2^Fi, 2^(Fi+1)), given `y` ≈ Y·2^-Fi (any double in [1, 2)
   * within 2^-50 relative).
   */
  unit(Y: bigint, y: number): bigint {
    this.indices(y);
    return this.reduceAndFinish((Y * combinedRecip(0, this.c0)) >> pairShift[0]!);
  }

  /**
   * The six stage indices for y ∈ [1, 2), in double arithmetic; y is tracked through the stages by
   * the exact double reciprocals (one rounding per stage). Its relative error stays below 2^-50
   * (2^-53 from the input's own rounding, 2^-53 per stage), so (y − 1)·2^(a+8) is known to 2^-2 of an
   * index unit even at stage 6: an index can differ from the exact one only near a half-way point,
   * where it is within ¾ of a unit, which keeps every stage's residual within its bound above and
   * the final |t| < 2^-48·0.8. (Any index would still give the right logarithm: the series' length
   * follows the actual t.)
   */
  private indices(y: number): void {
    const j1 = Math.floor((y - 1) * 256);
    y *= recipDouble[0]![j1]!;
    const i2 = Math.round((y - 1) * 65536) - stages[1]!.jMin;
    y *= recipDouble[1]![i2]!;
    const i3 = Math.round((y - 1) * 2 ** 24) - stages[2]!.jMin;
    y *= recipDouble[2]![i3]!;
    const i4 = Math.round((y - 1) * 2 ** 32) - stages[3]!.jMin;
    y *= recipDouble[3]![i4]!;
    const i5 = Math.round((y - 1) * 2 ** 40) - stages[4]!.jMin;
    y *= recipDouble[4]![i5]!;
    const i6 = Math.round((y - 1) * 2 ** 48) - stages[5]!.jMin;
    if (!(j1 >= 0 && j1 < 256 && i2 >= 0 && i2 < stageLength[1]! && i3 >= 0 && i3 < stageLength[2]! &&
      i4 >= 0 && i4 < stageLength[3]! && i5 >= 0 && i5 < stageLength[4]! && i6 >= 0 && i6 < stageLength[5]!)) {
      throw new Error(`LnEngine: reduction index out of range for y = ${y} (internal error)`);
    }
    this.c0 = j1 * pairWidth[0]! + i2;
    this.c1 = i3 * pairWidth[1]! + i4;
    this.c2 = i5 * pairWidth[2]! + i6;
  }

  /** Applies pairs 2 and 3 to Y (already reduced by pair 1) and finishes with the series. */
  private reduceAndFinish(Y: bigint): bigint {
    const t = this.t;
    Y = (Y * combinedRecip(1, this.c1)) >> pairShift[1]!;
    Y = (Y * combinedRecip(2, this.c2)) >> pairShift[2]!;
    const acc = pairNegLnR(t, 0, this.c0) + pairNegLnR(t, 1, this.c1) + pairNegLnR(t, 2, this.c2);
    const T = Y - this.one;
    if (T === 0n) return acc;
    return acc + this.series(T);
  }

  /**
   * ln(1 + t)·2^Fi for t = T·2^-Fi (exact), |t| < 2^-47: Σ (−1)^(k+1) t^k/k, terms of at least
   * 2^(44−Fi) in BigInt, the rest in doubles, stopping at the first term below 2^-(Fi+2).
   */
  private series(T: bigint): bigint {
    const Fi = this.Fi;
    const tv = Number(T); // correctly rounded: relative error ≤ 2^-53
    const lt = (Number.isFinite(tv) ? Math.log2(Math.abs(tv)) : bitLengthPositive(T < 0n ? -T : T)) - Fi + 2 ** -40; // ≥ log2|t|
    let sum = T;
    let k = 2;
    const floor = this.bigTermFloor;
    if (2 * lt - 1 >= floor) {
      const sq = T * T;
      sum -= sq >> this.FiPlus1;
      k = 3;
      if (3 * lt - log2k[3]! >= floor) {
        let pow = sq >> this.FiN;
        for (;;) {
          if (k >= log2k.length) seriesTerms(k + 16);
          if (!(k * lt - log2k[k]! >= floor)) break;
          pow = (pow * T) >> this.FiN;
          const term = pow / seriesDiv[k]!;
          sum = k & 1 ? sum + term : sum - term;
          k++;
        }
      }
    }
    // Remaining terms k..K−1 (K: first term below 2^-(Fi+2)), in doubles by Horner, converted once.
    let K = k;
    for (;;) {
      if (K >= log2k.length) seriesTerms(K + 16);
      if (!(K * lt - log2k[K]! >= this.tailBound)) break;
      K++;
    }
    if (K > k) {
      const td = tv * this.invScale;
      let h = 0;
      for (let j = K - 1; j >= k; j--) h = (j & 1 ? 1 / j : -1 / j) + td * h;
      let p = td;
      for (let j = 1; j < k; j++) p *= td;
      sum += BigInt(Math.round(h * p * this.scale));
    }
    return sum;
  }
}


const engines = new Map<number, LnEngine>();

/** The logarithm engine for callers working at scale F (results at scale F + 8), cached per F. */
export function lnEngine(F: number): LnEngine {
  let e = engines.get(F);
  if (e === undefined) {
    e = new LnEngine(F);
    engines.set(F, e);
  }
  return e;
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
  const eng = lnEngine(F);
  const Fi = eng.Fi;
  const b = bitLengthPositive(M);
  const k = E + b - 1;
  const shift = Fi - (b - 1);
  const Y = shift >= 0 ? M << BigInt(shift) : M >> BigInt(-shift);
  return roundShift(eng.unit(Y, unitApprox(Y, Fi)) + eng.kLn2(k), INTERNAL_GUARD);
}


/** Output of {@link splitDouble}: module variables, so the inner loop allocates nothing. */
let splitSig = 0;
let splitK = 0;

/**
 * x = sig·2^(k−52) for a positive finite double x, with sig ∈ [2^52, 2^53) an integer held exactly
 * in a double (subnormals normalised); the result is left in splitSig / splitK.
 */
function splitDouble(x: number): void {
  F64[0] = x;
  const hi = U32[HI]!;
  const lo = U32[LO]!;
  const biased = (hi >>> 20) & 0x7ff;
  const fracHi = hi & 0xfffff;
  if (biased !== 0) {
    splitSig = (fracHi | 0x100000) * 4294967296 + lo; // < 2^53: exact
    splitK = biased - 1023;
    return;
  }
  // Subnormal: x = frac·2^-1074 with frac of bit length b; frac·2^(53−b) is exact.
  const b = fracHi !== 0 ? 64 - Math.clz32(fracHi) : 32 - Math.clz32(lo);
  splitSig = (fracHi * 4294967296 + lo) * 2 ** (53 - b);
  splitK = -1074 + b - 1;
}

/** The binary exponent k of a positive finite double x = (sig/2^52)·2^k, sig ∈ [2^52, 2^53). */
export function binaryExponent(x: number): number {
  splitDouble(x);
  return splitK;
}

/** ln(x) at scale F for a positive finite double x (error ≤ FIXED_ERROR_UNITS units). */
export function lnDoubleFixed(x: number, F: number): bigint {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`lnDoubleFixed: ${x} is not positive and finite`);
  return roundShift(lnEngine(F).ln(x), INTERNAL_GUARD);
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
