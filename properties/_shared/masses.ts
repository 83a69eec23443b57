/**
 * Σ a·log(a/b) of arbitrary nonnegative vectors from a candidate's kl, called only inside the
 * contract's domain (src/contract.ts: kl(p, q) of distributions).
 *
 * A theorem about nonnegative masses (log-sum; support with scaled vectors; KL(q‖π̂) against a
 * candidate's float posterior) cannot call kl(a, b) directly: a correct kl may use the contract's
 * promise Σp = Σq = 1 (generalised terms Σ p log(p/q) − p + q, normalising first, clamping at 0)
 * and then differs from Σ a log(a/b) off the simplex. Instead, for a, b ≥ 0 with scales s_a, s_b > 0,
 *
 *     Σ a log(a/b) = s_a·Σ (a/s_a) log((a/s_a)/(b/s_b)) + (Σa)·log(s_a/s_b)        (exact identity)
 *
 * and the candidate is asked kl(â, b̂) with â = a/s_a, b̂ = b/s_b as doubles, both distributions:
 *  - a vector already inside the domain is used as given (s = 1);
 *  - else s = 2^k (the power of two nearest Σa) when a·2^-k is exact and inside the domain: then
 *    â = a/s_a exactly and the identity involves no rounding at all;
 *  - else s = fl(Σa) and â_i = fl(a_i/s): the normalisation rounds, and the identity holds for the
 *    exact quotients, not for â. The difference is accounted exactly: with the reference values
 *    K̂ = KL(â‖b̂) and E = Σ a log(a/b) (the reference takes any nonnegative vectors),
 *        ν = |s_a·K̂ + (Σa)·log(s_a/s_b) − E|
 *    is what the normalisation moved the value, and it is added to the allowed error.
 * The value s_a·v + (Σa)·log(s_a/s_b) is formed in Decimal from the candidate's double v (no float
 * rounding), so its error is s_a·|v − K̂| + ν:
 *        allowed = s_a·B(â, b̂) + ν + 10^(3−digits)·(1 + s_a|K̂| + |(Σa)·log(s_a/s_b)| + |E|),
 * B the accuracy model's bound for kl at (â, b̂) (standard, or strict where it applies), the last
 * term the reference values' rounding at `digits` (as the engine's tolerance, src/theorem.ts).
 *
 * No call is needed (and none is made) when Σa = 0 (every term is 0·log(0/b) = 0) or when Σb = 0 < Σa
 * (some a_i > 0 = b_i: +∞). When a vector cannot be normalised inside the domain without changing
 * its support (a_i/s underflows to 0), the result says so (`outside`) and the caller skips it.
 */
import Decimal from 'decimal.js';
import { kl as refKl } from '../../src/reference';
import { judge, strictApplies } from '../../src/numeric/accuracy';
import { decimalContext } from '../../src/numeric/context';
import { Dy, DY_ZERO, dyAdd, dyOf } from '../../src/numeric/dyadic';
import { bitLength, dyadicToDecimal, toDecimal } from '../../src/numeric/exact';
import { isDistribution } from '../../src/numeric/domain';
import { lnDecimal } from '../../src/theorem';

/** Digits of the reference values used here, and the working context (guard digits). */
export const MASS_DIGITS = 40;
const W = decimalContext(MASS_DIGITS + 30);
const CTX = { digits: MASS_DIGITS, D: W };

type Kl = (p: number[], q: number[]) => number;

/** A vector brought inside the distribution domain: v = x/s (exactly when `exact`). */
export interface Normalised {
  v: number[];
  /** The divisor s as a double (1, 2^k, or fl(Σx)). */
  s: number;
  /** v_i = x_i/s exactly (s = 1 or a power of two). */
  exact: boolean;
}

function exactSum(v: readonly number[]): Dy {
  let s: Dy = DY_ZERO;
  for (const x of v) if (x !== 0) s = dyAdd(s, dyOf(x));
  return s;
}

/** x·2^-k exactly, or null when that is not a double (underflow rounds, or overflow). */
function scaleExact(x: number, k: number): number | null {
  if (x === 0) return 0;
  let { m, e } = dyOf(x);
  if (m < 0n) return null;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e += 1;
  }
  e -= k;
  const L = bitLength(m);
  if (L > 53 || e < -1074 || e + L > 1024) return null;
  return Number(m) * 2 ** e;
}

/**
 * x/s inside the contract's distribution domain, with the support of x kept (x_i > 0 ⇔ v_i > 0);
 * null when Σx = 0 or when no such normalisation exists (see the module comment for the order tried).
 */
export function normaliseInDomain(x: readonly number[]): Normalised | null {
  const S = exactSum(x);
  if (S.m <= 0n) return null;
  if (isDistribution(x)) return { v: x.slice(), s: 1, exact: true };
  const k0 = bitLength(S.m) - 1 + S.e; // 2^k0 ≤ Σx < 2^(k0+1)
  for (const k of [k0, k0 + 1]) {
    const v = x.map((xi) => scaleExact(xi, k));
    if (v.every((y): y is number => y !== null) && isDistribution(v)) return { v, s: 2 ** k, exact: true };
  }
  const s = dyadicToDecimal(S.m, S.e, W).toNumber();
  if (!(s > 0) || !Number.isFinite(s)) return null;
  const v = x.map((xi) => xi / s);
  if (v.some((y, i) => (x[i]! > 0) !== (y > 0)) || !isDistribution(v)) return null;
  return { v, s, exact: false };
}

export interface MassKlCall {
  p: number[];
  q: number[];
  /** The candidate's answer. */
  v: number;
  /** The reference KL(p‖q) of the call's arguments. */
  exact: Decimal;
  /** The accuracy model's allowed error of the call (standard, or strict where it applies). */
  bound: number;
}

export interface MassKl {
  /** Σ a·log(a/b) as built from the candidate: s_a·v + (Σa)·log(s_a/s_b), exactly (±∞ possible; NaN if v is). */
  value: Decimal;
  /** The reference Σ a·log(a/b). */
  exact: Decimal;
  /** |value − exact| allowed (0 when exact is infinite: then value must equal it). */
  allowed: Decimal;
  /** The candidate's call agreed with the reference (true when no call was needed). */
  ok: boolean;
  /** Why not ok: the call, its answer and the reference value. */
  message?: string;
  /** How the value was formed (for messages). */
  how: string;
  /** The call made, if any. */
  call?: MassKlCall;
}

/**
 * Σ a·log(a/b) for nonnegative a, b of one length from the candidate's kl, calling it only on
 * distributions (module comment). `{ outside }` when a or b cannot be brought inside the domain.
 */
export function massKl(f: Kl, a: readonly number[], b: readonly number[], mode: 'standard' | 'strict' = 'standard'): MassKl | { outside: string } {
  const exact = new W(refKl(a, b, { digits: MASS_DIGITS }));
  const A = exactSum(a);
  const B = exactSum(b);
  const zero = new W(0);
  if (A.m === 0n) return { value: zero, exact, allowed: zero, ok: true, how: 'Σa = 0: every term is 0·log(0/b) = 0 (no call)' };
  if (B.m === 0n) return { value: new W(Infinity), exact, allowed: zero, ok: true, how: 'Σb = 0 < Σa: some a_i > 0 = b_i, +∞ (no call)' };
  const na = normaliseInDomain(a);
  const nb = normaliseInDomain(b);
  if (!na || !nb) {
    return { outside: `${!na ? 'a' : 'b'} cannot be normalised inside the domain of kl without changing its support (an entry underflows)` };
  }
  const direct = na.s === 1 && nb.s === 1;
  const how = direct ? 'kl(a, b)' : `${fmtScale(na.s)}·kl(a/${fmtScale(na.s)}, b/${fmtScale(nb.s)}) + Σa·log(${fmtScale(na.s)}/${fmtScale(nb.s)})`;
  const v = f(na.v.slice(), nb.v.slice());
  const Kn = new W(refKl(na.v, nb.v, { digits: MASS_DIGITS }));
  const j = judge('kl', [na.v, nb.v], v, Kn, { mode: mode === 'strict' && strictApplies('kl', [na.v, nb.v], Kn) ? 'strict' : 'standard' });
  const call: MassKlCall = { p: na.v, q: nb.v, v, exact: Kn, bound: j.bound };
  const sa = toDecimal(na.s, W);
  const lnRatio = na.s === nb.s ? zero : lnDecimal(sa.div(toDecimal(nb.s, W)), CTX);
  const shift = dyadicToDecimal(A.m, A.e, W).times(lnRatio);
  const value = Number.isNaN(v) ? new W(NaN) : Number.isFinite(v) ? sa.times(toDecimal(v, W)).plus(shift) : new W(v);
  let allowed = zero;
  if (exact.isFinite() && Kn.isFinite()) {
    const moved = sa.times(Kn).plus(shift);
    const nu = moved.minus(exact).abs();
    const rounding = new W(10).pow(3 - MASS_DIGITS).times(new W(1).plus(sa.times(Kn).abs()).plus(shift.abs()).plus(exact.abs()));
    allowed = sa.times(j.bound).plus(nu).plus(rounding);
  }
  const shown = `kl(${fmtVec(na.v)}, ${fmtVec(nb.v)})`;
  return {
    value, exact, allowed, ok: j.ok, how, call,
    ...(j.ok ? {} : { message: `${shown} = ${v}, exact ${Kn.toSignificantDigits(12).toString()}: ${j.reason} (error ${j.absError}, allowed ${j.bound})${direct ? '' : ` [Σ a·log(a/b) = ${how}]`}` }),
  };
}

function fmtScale(s: number): string {
  if (s === 1) return '1';
  const l = Math.log2(s);
  return Number.isInteger(l) ? `2^${l}` : String(s);
}

function fmtVec(v: readonly number[]): string {
  return `[${v.slice(0, 6).join(', ')}${v.length > 6 ? `, … (${v.length} entries)` : ''}]`;
}
