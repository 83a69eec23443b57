/**
 * The accuracy model: how far a float64 (or float32) result may be from the exact value.
 *
 * Never a bare epsilon. Two levels (derivations and measured numbers in docs/accuracy.md):
 *
 *  - **standard**: an absolute bound derived from the quantity's formula — what the textbook
 *    formula evaluated in floating point achieves:
 *        c·u·(Σ of the magnitudes each operation touches) + γ_n·(Σ |terms|) + k·n·η,
 *    u the unit roundoff (2^-53; 2^-24 for float32), γ_n = n·u/(1 − n·u) the summation constant,
 *    η the smallest subnormal (2^-1074; 2^-149), the absolute error of gradual underflow. It
 *    accepts the plain correct ways of writing each quantity (ratio or difference of logs, scipy
 *    kl_div-style generalised terms, pairwise sums, normalising first, the textbook Gaussian
 *    formula, max-shifted log-sum-exp, the naive ELBO) and rejects the usual bugs (float32
 *    accumulation, dropping tiny masses, clipping q at ε, a wrong log base, swapped arguments).
 *  - **strict**: the error in ulps of the exact value (Herbie's bits of error log2(ulps + 1)),
 *    judged against {@link STRICT_ULPS}; used to certify accurate kernels such as ours.
 *
 * Exact values of ±∞ are checked exactly (the candidate must be the same infinity); NaN from a
 * candidate always fails; an exact value beyond the double range rounds to ±∞, so a candidate ±∞
 * of the right sign is then exact (0 ulps).
 */
import Decimal from 'decimal.js';
import { decimalContext } from './context';
import { bitLength, dyadicToDecimal, toDecimal, toDyadic } from './exact';
import { CONTRACT, CONTRACT_FUNCTIONS, ContractEntry, isContractFunction, StrictWhere } from '../contract';

export type Precision = 'float64' | 'float32';
export type Mode = 'standard' | 'strict';

/** Unit roundoff u and the smallest subnormal η of each precision. */
export const PRECISION: Readonly<Record<Precision, { readonly u: number; readonly eta: number }>> = {
  float64: { u: 2 ** -53, eta: 2 ** -1074 },
  float32: { u: 2 ** -24, eta: 2 ** -149 },
};

/** γ_n = n·u/(1 − n·u) (Higham), the relative error bound of recursive summation of n terms. */
export function gamma(n: number, u: number): number {
  const nu = n * u;
  return nu < 1 ? nu / (1 - nu) : Infinity;
}

/**
 * The constant c of each standard bound: the number of roundings (in units of u, counting a
 * library log/exp at 2u, i.e. one ulp) that one term of the worst accepted formula suffers.
 * Derived in docs/accuracy.md, §2; the values are the contract table's (src/contract.ts, `standardC`).
 */
export const STANDARD_C: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(CONTRACT).map(([fn, e]: [string, ContractEntry]) => [fn, e.standardC]));

/**
 * Strict bounds in ulps of the exact value, for our kernels (docs/accuracy.md §6.1 has what was
 * measured), valid where {@link strictApplies} says so: kl, generalizedKl, entropy, crossEntropy
 * and negEntropy on exactly normalised inputs (Σ = 1 exactly, e.g. entries k_i/2^m with
 * Σ k_i = 2^m) and n ≤ 10^4; logEvidence and elbo when their condition number is ≤ 2^40; the
 * others everywhere. The values are the contract table's (src/contract.ts, `strict`).
 */
export const STRICT_ULPS: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(CONTRACT).map(([fn, e]: [string, ContractEntry]) => [fn, e.strict.ulps]));

type Vec = readonly number[];

/**
 * The exact sum of the entries as acc·2^accExp (accExp ≤ 0: it starts at 0 and only decreases), or
 * null when an entry is not finite.
 */
function exactSum(v: Vec): { acc: bigint; accExp: number } | null {
  let acc = 0n;
  let accExp = 0;
  for (const x of v) {
    if (!Number.isFinite(x)) return null;
    if (x === 0) continue;
    const { negative, mantissa, exponent } = toDyadic(x);
    let m = negative ? -mantissa : mantissa;
    if (exponent < accExp) {
      acc <<= BigInt(accExp - exponent);
      accExp = exponent;
    } else if (exponent > accExp) m <<= BigInt(exponent - accExp);
    acc += m;
  }
  return { acc, accExp };
}

/** Is the exact (not floating-point) sum of the entries exactly 1? (Exact dyadic arithmetic.) */
export function sumsExactlyToOne(v: Vec): boolean {
  const s = exactSum(v);
  // acc·2^accExp = 1  ⇔  acc = 2^(-accExp)
  return s !== null && s.acc === 1n << BigInt(-s.accExp);
}

/**
 * |Σv − 1| for finite v: the sum exact (dyadic), the difference rounded to its top 64 bits (relative
 * error < 2^-63); +∞ when an entry is not finite. The contract's domains (src/contract.ts) use it.
 */
export function sumDeviation(v: Vec): number {
  const s = exactSum(v);
  if (s === null) return Infinity;
  let d = s.acc - (1n << BigInt(-s.accExp)); // (Σv − 1)·2^-accExp
  if (d === 0n) return 0;
  if (d < 0n) d = -d;
  const shift = Math.max(0, bitLength(d) - 64);
  const x = Number(d >> BigInt(shift)) * 2 ** (s.accExp + shift);
  return Number.isFinite(x) ? x : Infinity;
}

/**
 * Is v a distribution in the sense of the contract (src/contract.ts, kind `distribution`): finite
 * entries ≥ 0 whose exact sum is within γ_{n+1}(u) of 1? The standard bounds' normalisation slack
 * applies only then (see {@link klBound}).
 */
export function withinSimplex(v: Vec, precision: Precision = 'float64'): boolean {
  if (v.length === 0) return false;
  for (const x of v) if (!(x >= 0) || !Number.isFinite(x)) return false;
  return sumDeviation(v) <= gamma(v.length + 1, PRECISION[precision].u);
}

/** Where the strict target of each function is claimed (the contract table's `strict.where`). */
const strictWhere = (fn: string): StrictWhere | undefined => (isContractFunction(fn) ? (CONTRACT[fn].strict.where as StrictWhere) : undefined);
/** Largest condition number at which the strict target of logEvidence and elbo is claimed. */
export const STRICT_MAX_CONDITION = 2 ** 40;

/**
 * The condition number of the value with respect to the cancellation in its final sum:
 * logEvidence (|m| + log S)/|m + log S|, m = max l, S = Σ exp(l − m); elbo Σ q(1 + |l| + |ln q|)/|ELBO|.
 * `value` is the exact value (or a good approximation). Infinity for a zero value with nonzero
 * magnitudes; 1 for non-finite values and the other quantities.
 */
export function conditionNumber(fn: string, args: readonly unknown[], value: number): number {
  if (!Number.isFinite(value)) return 1;
  let mag: number;
  switch (fn) {
    case 'logEvidence': {
      // the cancellation of m + log S (log S ≥ 0; m of either sign)
      const { m, logS } = lseParts(vec(args, 0, fn));
      mag = Math.abs(m) + logS;
      break;
    }
    case 'elbo': {
      const l = vec(args, 0, fn);
      const q = vec(args, 1, fn);
      mag = 0;
      for (let z = 0; z < q.length; z++) if (q[z]! > 0) mag += q[z]! * (1 + Math.abs(l[z]!) + absLog(q[z]!));
      break;
    }
    default:
      return 1;
  }
  if (value === 0) return mag === 0 ? 1 : Infinity;
  return mag / Math.abs(value);
}

/**
 * Does the strict target (STRICT_ULPS) of our kernels apply at these arguments? `exact` is the
 * exact value (used for the condition number of logEvidence and elbo).
 */
export function strictApplies(fn: string, args: readonly unknown[], exact?: Decimal): boolean {
  const where = strictWhere(fn);
  if (where === 'normalised') {
    return (args as unknown[]).every((a) => Array.isArray(a) && sumsExactlyToOne(a as Vec)) && (args[0] as Vec).length <= 10000;
  }
  if (where === 'conditioned') {
    if (!exact) return false;
    if (exact.isZero()) return true; // an exact zero is structural (one entry, q = one-hot): must be exact
    return conditionNumber(fn, args, exact.toNumber()) <= STRICT_MAX_CONDITION;
  }
  return where === 'everywhere';
}

function vec(args: readonly unknown[], i: number, fn: string): Vec {
  const v = args[i];
  if (!Array.isArray(v)) throw new TypeError(`standardBound(${fn}): argument ${i} must be an array`);
  return v as Vec;
}

function num(args: readonly unknown[], i: number, fn: string): number {
  const v = args[i];
  if (typeof v !== 'number') throw new TypeError(`standardBound(${fn}): argument ${i} must be a number`);
  return v;
}

const absLog = (x: number): number => Math.abs(Math.log(x));

/** Σ p, Σ q, Σ_{p>0} p(1 + |ln p| + |ln q|), Σ_{p>0} |p·ln(p/q)| for the kl bounds. */
function klMagnitudes(p: Vec, q: Vec): { sp: number; sq: number; ops: number; terms: number } {
  let sp = 0;
  let sq = 0;
  let ops = 0;
  let terms = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    sp += pi;
    sq += qi;
    if (pi > 0) {
      const lp = Math.log(pi);
      const lq = Math.log(qi);
      ops += pi * (1 + Math.abs(lp) + Math.abs(lq));
      terms += Math.abs(pi * (lp - lq));
    }
  }
  return { sp, sq, ops, terms };
}

/**
 * KL(p‖q) = Σ p log(p/q), textbook: T_i = p·log(p/q) (or p·(log p − log q)), summed.
 *   B = c·u·Σ_{p>0} p(1 + |ln p| + |ln q|) + γ_{n+2}·(Σ|T_i| + Σp + Σq) + 4n·η.
 * γ_{n+2}: n − 1 additions, plus up to two more roundings combining separately summed parts
 * (H(p, q) − H(p); kl + Σq − Σp; the division when normalising first). The Σp + Σq slack accepts
 * normalising first and generalised (kl_div) terms on distributions (the contract's domain:
 * |Σ − 1| ≤ γ_{n+1}), and applies only there: off the simplex those variants compute another
 * quantity, and γ·Σq would accept anything (q = [1e160, 1e100] gives a slack of 4e144). Off the
 * simplex the bound is that of the formula as written: 4u·ops + γ_{n+2}·Σ|T_i| + 4n·η.
 */
export function klBound(p: Vec, q: Vec, precision: Precision = 'float64'): number {
  const { u, eta } = PRECISION[precision];
  const n = p.length;
  const m = klMagnitudes(p, q);
  const slack = withinSimplex(p, precision) && withinSimplex(q, precision) ? m.sp + m.sq : 0;
  return STANDARD_C.kl! * u * m.ops + gamma(n + 2, u) * (m.terms + slack) + 4 * n * eta;
}

/** Generalised KL Σ[p log(p/q) − p + q]: the kl bound (the −p + q additions cost u(2p + q)). */
export function generalizedKlBound(p: Vec, q: Vec, precision: Precision = 'float64'): number {
  const { u, eta } = PRECISION[precision];
  const n = p.length;
  const m = klMagnitudes(p, q);
  return STANDARD_C.generalizedKl! * u * m.ops + gamma(n + 2, u) * (m.terms + m.sp + m.sq) + 4 * n * eta;
}

/** Entropy −Σ p log p (and negEntropy): B = c·u·Σ p(1 + |ln p|) + γ_{n+2}·(Σ|p ln p| + Σp) + 2n·η. */
export function entropyBound(p: Vec, precision: Precision = 'float64'): number {
  const { u, eta } = PRECISION[precision];
  let ops = 0;
  let terms = 0;
  let sp = 0;
  for (const pi of p) {
    sp += pi;
    if (pi > 0) {
      const l = absLog(pi);
      ops += pi * (1 + l);
      terms += pi * l;
    }
  }
  const slack = withinSimplex(p, precision) ? sp : 0;
  return STANDARD_C.entropy! * u * ops + gamma(p.length + 2, u) * (terms + slack) + 2 * p.length * eta;
}

/** Cross-entropy −Σ p log q: B = c·u·Σ_{p>0} p(1 + |ln q|) + γ_{n+2}·(Σ|p ln q| + Σp) + 2n·η. */
export function crossEntropyBound(p: Vec, q: Vec, precision: Precision = 'float64'): number {
  const { u, eta } = PRECISION[precision];
  let ops = 0;
  let terms = 0;
  let sp = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    sp += pi;
    if (pi > 0) {
      const l = absLog(q[i]!);
      ops += pi * (1 + l);
      terms += pi * l;
    }
  }
  const slack = withinSimplex(p, precision) && withinSimplex(q, precision) ? sp : 0;
  return STANDARD_C.crossEntropy! * u * ops + gamma(p.length + 2, u) * (terms + slack) + 2 * p.length * eta;
}

/** Component i of ∇F(q) = 1 + ln q_i: B = c·u·(1 + |ln q_i|). */
export function negEntropyGradientBound(q: Vec, index: number, precision: Precision = 'float64'): number {
  const { u } = PRECISION[precision];
  return STANDARD_C.negEntropyGradient! * u * (1 + absLog(q[index]!));
}

/** m = max l, S = Σ exp(l − m) ≥ 1, π = softmax, A = Σ π_z|l_z − m| (float64 estimates). */
function lseParts(l: Vec): { m: number; logS: number; pis: number[]; A: number } {
  let m = -Infinity;
  for (const x of l) if (x > m) m = x;
  const w = l.map((x) => (x === -Infinity ? 0 : Math.exp(x - m)));
  let S = 0;
  for (const x of w) S += x;
  const pis = w.map((x) => x / S);
  let A = 0;
  for (let i = 0; i < l.length; i++) if (pis[i]! > 0) A += pis[i]! * Math.abs(l[i]! - m);
  return { m, logS: Math.log(S), pis, A };
}

/**
 * log Σ exp(l_z), textbook with max shift: m + log Σ exp(l_z − m).
 *   B = c·u·(1 + |m| + log S + Σ π_z|l_z − m|) + γ_n·(1 + |m|)
 * (the γ_n·|m| term accepts a sequential logaddexp reduction, whose n partial results are each
 * about |m|). ±∞ exact values are judged exactly.
 */
export function logEvidenceBound(logJoint: Vec, precision: Precision = 'float64'): number {
  const { u } = PRECISION[precision];
  const { m, logS, A } = lseParts(logJoint);
  if (m === -Infinity) return 0;
  return STANDARD_C.logEvidence! * u * (1 + Math.abs(m) + logS + A) + gamma(logJoint.length, u) * (1 + Math.abs(m));
}

/**
 * Posterior component z: π_z = exp(l_z − log Σ exp l) (softmax with max shift, or exp(l − LSE)).
 *   B = π_z·[B_LSE + c·u·(1 + |l_z − m|)] + 2η.
 */
export function posteriorBound(logJoint: Vec, index: number, precision: Precision = 'float64'): number {
  const { u, eta } = PRECISION[precision];
  const { m, pis } = lseParts(logJoint);
  const lz = logJoint[index]!;
  if (m === -Infinity || lz === -Infinity) return 0;
  return pis[index]! * (logEvidenceBound(logJoint, precision) + STANDARD_C.posterior! * u * (1 + Math.abs(lz - m))) + 2 * eta;
}

/**
 * ELBO Σ q(l − log q), naive (either Σ q(l − log q) or Σ q·l − Σ q·log q):
 *   B = (c·u + γ_n)·Σ_{q>0} q(1 + |l_z| + |ln q_z|) + 2n·η.
 */
export function elboBound(logJoint: Vec, q: Vec, precision: Precision = 'float64'): number {
  const { u, eta } = PRECISION[precision];
  let mag = 0;
  for (let z = 0; z < q.length; z++) {
    const qz = q[z]!;
    if (qz > 0) mag += qz * (1 + Math.abs(logJoint[z]!) + absLog(qz));
  }
  return (STANDARD_C.elbo! * u + gamma(q.length, u)) * mag + 2 * q.length * eta;
}

/**
 * The magnitudes of the textbook Gaussian KL: |ln σ1| + |ln σ2| + σ1²/2σ2² + (μ1−μ2)²/2σ2² + ½.
 * In float32, plus (|μ1| + |μ2|)·|μ1 − μ2|/σ2²: the first-order effect of rounding the means to
 * float32 (the only input rounding not already inside the other magnitudes; in float64 the inputs
 * are exact and μ1 − μ2 costs only u·|μ1 − μ2|).
 */
function normalMagnitude(mu1: number, sigma1: number, mu2: number, sigma2: number, precision: Precision): number {
  const r = sigma1 / sigma2;
  const d = mu1 / sigma2 - mu2 / sigma2; // avoids overflow of μ1 − μ2
  let m = absLog(sigma1) + absLog(sigma2) + 0.5 * r * r + 0.5 * d * d + 0.5;
  if (precision === 'float32') m += ((Math.abs(mu1) + Math.abs(mu2)) / sigma2) * Math.abs(d);
  return m;
}

/**
 * Gradual underflow inside the textbook quadratic part Q = (σ1² + Δμ²)/(2σ2²): a subnormal square
 * carries an absolute error up to η/2 instead of a relative one, so σ2² < 2^-1022 makes Q's relative
 * error η/(2σ2²) (≫ u), and subnormal σ1², Δμ² add η/(2σ2²) absolutely. Bound: (Q + 1)·η/σ2² when
 * σ2² is below the normal range, η/σ2² otherwise (negligible unless σ2 is tiny).
 */
function normalUnderflow(mu1: number, sigma1: number, mu2: number, sigma2: number, precision: Precision): number {
  const { eta } = PRECISION[precision];
  const minNormal = precision === 'float32' ? 2 ** -126 : 2 ** -1022;
  const r = sigma1 / sigma2;
  const d = mu1 / sigma2 - mu2 / sigma2;
  const s2 = sigma2 * sigma2;
  const perS2 = s2 > 0 ? eta / s2 : Infinity; // σ2² may underflow to 0: then the textbook formula divides by 0
  const q = 0.5 * r * r + 0.5 * d * d;
  return s2 < minNormal ? (q + 1) * perS2 : perS2;
}

/**
 * KL(N(μ1,σ1²)‖N(μ2,σ2²)), textbook log(σ2/σ1) + (σ1² + (μ1−μ2)²)/(2σ2²) − ½:
 *   B = c·u·(|ln σ1| + |ln σ2| + σ1²/2σ2² + (μ1−μ2)²/2σ2² + ½) + underflow (see normalUnderflow).
 */
export function klNormalBound(mu1: number, sigma1: number, mu2: number, sigma2: number, precision: Precision = 'float64'): number {
  const { u, eta } = PRECISION[precision];
  return STANDARD_C.klNormal! * u * normalMagnitude(mu1, sigma1, mu2, sigma2, precision) + normalUnderflow(mu1, sigma1, mu2, sigma2, precision) + 2 * eta;
}

/** Diagonal Gaussians: Σ_i (per-coordinate bound) + γ_d·Σ_i (per-coordinate magnitude). */
export function klNormalDiagBound(mu1: Vec, sigma1: Vec, mu2: Vec, sigma2: Vec, precision: Precision = 'float64'): number {
  const { u, eta } = PRECISION[precision];
  let mag = 0;
  let under = 0;
  for (let i = 0; i < mu1.length; i++) {
    mag += normalMagnitude(mu1[i]!, sigma1[i]!, mu2[i]!, sigma2[i]!, precision);
    under += normalUnderflow(mu1[i]!, sigma1[i]!, mu2[i]!, sigma2[i]!, precision);
  }
  return (STANDARD_C.klNormalDiag! * u + gamma(mu1.length, u)) * mag + under + 2 * mu1.length * eta;
}

/** Functions whose value is a vector; their bounds and verdicts are per component (`index`). */
export const VECTOR_VALUED: ReadonlySet<string> = new Set(CONTRACT_FUNCTIONS.filter((fn) => CONTRACT[fn].result === 'vector'));

/**
 * The standard bound of `fn` at `args` (the arguments as the kernel takes them). For vector-valued
 * functions (negEntropyGradient, posterior) `index` selects the component.
 */
export function standardBound(fn: string, args: readonly unknown[], precision: Precision = 'float64', index?: number): number {
  switch (fn) {
    case 'kl':
      return klBound(vec(args, 0, fn), vec(args, 1, fn), precision);
    case 'generalizedKl':
      return generalizedKlBound(vec(args, 0, fn), vec(args, 1, fn), precision);
    case 'entropy':
    case 'negEntropy':
      return entropyBound(vec(args, 0, fn), precision);
    case 'crossEntropy':
      return crossEntropyBound(vec(args, 0, fn), vec(args, 1, fn), precision);
    case 'negEntropyGradient':
      return negEntropyGradientBound(vec(args, 0, fn), requireIndex(fn, index), precision);
    case 'logEvidence':
      return logEvidenceBound(vec(args, 0, fn), precision);
    case 'posterior':
      return posteriorBound(vec(args, 0, fn), requireIndex(fn, index), precision);
    case 'elbo':
      return elboBound(vec(args, 0, fn), vec(args, 1, fn), precision);
    case 'klNormal':
      return klNormalBound(num(args, 0, fn), num(args, 1, fn), num(args, 2, fn), num(args, 3, fn), precision);
    case 'klNormalDiag':
      return klNormalDiagBound(vec(args, 0, fn), vec(args, 1, fn), vec(args, 2, fn), vec(args, 3, fn), precision);
    default:
      throw new RangeError(`standardBound: unknown function '${fn}'`);
  }
}

function requireIndex(fn: string, index: number | undefined): number {
  if (index === undefined || !Number.isInteger(index) || index < 0) {
    throw new RangeError(`standardBound(${fn}): a component index is required for a vector-valued function`);
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// ulps and bits
// ---------------------------------------------------------------------------------------------

/** Working context of the ulp computations (the exact values carry ≥ 10 digits; 40 is plenty). */
const W = decimalContext(50);

/** The largest finite double and the overflow threshold 2^1024 − 2^970 (values ≥ it round to ∞). */
const OVERFLOW_THRESHOLD = dyadicToDecimal((1n << 54n) - 1n, 970, W); // (2^54 − 1)·2^970 = 2^1024 − 2^970

/** 2^e in W, cached (ulp computations ask for the same few hundred exponents again and again). */
const POW2 = new Map<number, Decimal>();
function pow2(e: number): Decimal {
  let v = POW2.get(e);
  if (v === undefined) {
    v = dyadicToDecimal(1n, e, W);
    if (POW2.size < 8192) POW2.set(e, v);
  }
  return v;
}

/**
 * The binary exponent of the spacing of doubles at the exact value X: ulp(X) = 2^(⌊log2|X|⌋ − 52),
 * at least 2^-1074 (so the spacing of subnormals, and of zero). Unbounded above: beyond the double
 * range it continues the same formula (2^(⌊log2|X|⌋ − 52)).
 */
export function ulpExponent(exact: Decimal): number {
  const X = new W(exact).abs();
  if (X.isZero() || X.lt(pow2(-1022))) return -1074;
  const x = X.toNumber();
  let e: number;
  if (Number.isFinite(x)) {
    e = Math.floor(Math.log2(x));
  } else {
    // |X| ≥ ~2^1024: from the decimal exponent
    e = Math.floor((X.e + Math.log10(Number(X.d[0]!.toString()[0]))) * Math.log2(10));
  }
  // correct ⌊log2⌋ exactly against powers of two
  while (X.lt(pow2(e))) e -= 1;
  while (X.gte(pow2(e + 1))) e += 1;
  return Math.max(e - 52, -1074);
}

/** ulp(X) as a number (may be Infinity for |X| far beyond the double range). */
export function ulpOf(exact: Decimal): number {
  return 2 ** ulpExponent(exact);
}

/** Does the exact value round to ±∞ in float64 (|X| ≥ 2^1024 − 2^970)? */
export function roundsToInfinity(exact: Decimal): boolean {
  return exact.isFinite() && new W(exact).abs().gte(OVERFLOW_THRESHOLD);
}

/**
 * The error of `candidate` in ulps of the exact value: |candidate − X| / ulp(X), ulp(X) as in
 * {@link ulpExponent}. Special values:
 *  - candidate NaN → NaN (always a failure);
 *  - X = ±∞ → 0 if candidate is the same infinity, else Infinity;
 *  - candidate ±∞, X finite → 0 if X rounds to that infinity (|X| ≥ 2^1024 − 2^970), else Infinity;
 *  - X = 0 → |candidate|/2^-1074.
 */
export function ulpError(candidate: number, exact: Decimal): number {
  if (Number.isNaN(candidate) || exact.isNaN()) return NaN;
  if (!exact.isFinite()) {
    const s = exact.isNegative() ? -Infinity : Infinity;
    return candidate === s ? 0 : Infinity;
  }
  if (!Number.isFinite(candidate)) {
    return roundsToInfinity(exact) && (candidate > 0) === exact.isPositive() ? 0 : Infinity;
  }
  const e = ulpExponent(exact);
  const diff = new W(exact).minus(toDecimal(candidate, W)).abs();
  return diff.times(pow2(-e)).toNumber();
}

/** Bits of error as Herbie counts them: log2(ulps + 1) (0 for exact, ~1 for one ulp, 64 max-ish). */
export function bitsOfError(ulps: number): number {
  if (Number.isNaN(ulps)) return NaN;
  return Math.log2(ulps + 1);
}

// ---------------------------------------------------------------------------------------------
// Verdicts
// ---------------------------------------------------------------------------------------------

export interface JudgeOptions {
  mode?: Mode;
  precision?: Precision;
  /** Strict mode: allowed ulps (default STRICT_ULPS[fn], 4 if absent). */
  strictUlps?: number;
  /** Component index for vector-valued functions (negEntropyGradient, posterior). */
  index?: number;
}

export interface Verdict {
  ok: boolean;
  /** |candidate − exact| (Infinity when one is infinite and the other not; NaN for NaN). */
  absError: number;
  /** The absolute error allowed: the standard bound, or (strict) strictUlps·ulp(exact). */
  bound: number;
  ulps: number;
  bits: number;
  /** Why it failed: 'nan', 'expected +Infinity', 'expected -Infinity', 'expected a finite value',
   * 'beyond standard bound', 'beyond strict bound'. Absent when ok. */
  reason?: string;
}

/**
 * Judge a candidate result of `fn` at `args` against the exact value. Infinite exact values are
 * checked exactly; NaN always fails; otherwise the absolute error is compared with the standard
 * bound (mode 'standard', the default) or the error in ulps with strictUlps (mode 'strict').
 * In float32 precision ulps are still float64 ulps of the exact value; only the standard bound
 * changes (u = 2^-24, η = 2^-149).
 */
export function judge(fn: string, args: readonly unknown[], candidate: number, exact: Decimal, opts: JudgeOptions = {}): Verdict {
  const mode = opts.mode ?? 'standard';
  const precision = opts.precision ?? 'float64';
  const ulps = ulpError(candidate, exact);
  const bits = bitsOfError(ulps);
  if (Number.isNaN(candidate)) {
    return { ok: false, absError: NaN, bound: boundFor(), ulps: NaN, bits: NaN, reason: 'nan' };
  }
  if (!exact.isFinite()) {
    const ok = ulps === 0;
    return {
      ok,
      absError: ok ? 0 : Infinity,
      bound: 0,
      ulps,
      bits,
      ...(ok ? {} : { reason: exact.isNegative() ? 'expected -Infinity' : 'expected +Infinity' }),
    };
  }
  if (!Number.isFinite(candidate)) {
    const ok = ulps === 0; // the exact value rounds to this infinity
    return { ok, absError: ok ? 0 : Infinity, bound: boundFor(), ulps, bits, ...(ok ? {} : { reason: 'expected a finite value' }) };
  }
  const absError = new W(exact).minus(toDecimal(candidate, W)).abs().toNumber();
  const bound = boundFor();
  if (mode === 'strict') {
    const allowed = opts.strictUlps ?? STRICT_ULPS[fn] ?? 4;
    const ok = ulps <= allowed;
    return { ok, absError, bound, ulps, bits, ...(ok ? {} : { reason: 'beyond strict bound' }) };
  }
  const ok = absError <= bound;
  return { ok, absError, bound, ulps, bits, ...(ok ? {} : { reason: 'beyond standard bound' }) };

  function boundFor(): number {
    if (mode === 'strict') {
      const allowed = opts.strictUlps ?? STRICT_ULPS[fn] ?? 4;
      return exact.isFinite() ? allowed * ulpOf(exact) : 0;
    }
    if (!exact.isFinite()) return 0;
    return standardBound(fn, args, precision, opts.index);
  }
}

/** Judge every component of a vector-valued result; `worst` is the first failing (or largest-ulps) one. */
export function judgeVector(
  fn: string,
  args: readonly unknown[],
  candidate: readonly number[],
  exact: readonly Decimal[],
  opts: Omit<JudgeOptions, 'index'> = {},
): { ok: boolean; verdicts: Verdict[]; worst: number; reason?: string } {
  if (candidate.length !== exact.length) {
    return { ok: false, verdicts: [], worst: -1, reason: `expected ${exact.length} components, got ${candidate.length}` };
  }
  const verdicts = candidate.map((c, i) => judge(fn, args, c, exact[i]!, { ...opts, index: i }));
  let worst = 0;
  for (let i = 0; i < verdicts.length; i++) {
    const v = verdicts[i]!;
    const w = verdicts[worst]!;
    if ((!v.ok && w.ok) || (v.ok === w.ok && !(v.ulps <= w.ulps))) worst = i;
  }
  const ok = verdicts.every((v) => v.ok);
  return { ok, verdicts, worst, ...(ok ? {} : { reason: verdicts[worst]?.reason ?? 'failed' }) };
}

