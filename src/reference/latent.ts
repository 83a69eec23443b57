/**
 * Reference log evidence and posterior of a discrete latent-variable model, exactly.
 *
 * With M = max_z logJoint[z] and d_z = logJoint[z] − M (exact dyadics, d_z ≤ 0):
 *   log p(x) = M + log S,  S = Σ_z exp(d_z) ∈ [1, n],   p(z | x) = exp(d_z)/S.
 * Each exp(d_z) is computed in fixed point with a relative error bound (src/numeric/fixed.ts);
 * terms with d_z < −(F + log2 n + 8)·ln 2 contribute less than one unit of 2^-F and are bounded,
 * not computed. The interval is refined until the rounding is decided (Ziv).
 *
 * Exactness: with a single finite entry, log p(x) = M exactly; with k ≥ 2 entries tied at M and
 * the rest −∞, log p(x) = M + log k and p(z | x) = 1/k exactly. In every other case the value is
 * transcendental (Lindemann–Weierstrass), so it is never a rounding boundary and refinement ends.
 */
import type Decimal from 'decimal.js';
import { Dy, dyOf, dySub } from '../numeric/dyadic';
import { InvalidInputError } from '../numeric/errors';
import { FIXED_ERROR_UNITS, FixedExp, bitLengthPositive, expFixed, ln2Fixed, lnFixed } from '../numeric/fixed';
import { LogForm, quantize } from '../numeric/logform';
import { roundEnclosure, roundRational, roundScaled, roundedToDecimal, sameRounded, Rounded } from '../numeric/rounding';
import type { Vector } from '../numeric/validate';

const LOG2_10 = Math.log2(10);
/**
 * The reference's range: exp(d) for a gap d below this (5·10^15 nats) is below 10^-2.17e15, and such
 * posterior entries and log evidences are returned as 0. The limit keeps every binary exponent
 * below 2^53, so that the exponent arithmetic in doubles is exact (expWide, roundEnclosure); the
 * Decimal contexts themselves would hold values down to 10^-9e15.
 */
const DECIMAL_UNDERFLOW_D = -5e15;
/** expFixed's own range; beyond, expWide reduces by k·ln 2 first. */
const EXP_FIXED_RANGE = 2 ** 20;

interface Shifted {
  M: number;
  Mdy: Dy;
  /** d_z for the finite entries (z, d). */
  d: Array<{ z: number; d: Dy; approx: number }>;
  /** True when every finite entry equals M. */
  tied: boolean;
}

function shift(logJoint: Vector): Shifted | null {
  let M = -Infinity;
  for (const l of logJoint) if (l > M) M = l;
  if (M === -Infinity) return null;
  const Mdy = dyOf(M);
  const d: Shifted['d'] = [];
  let tied = true;
  for (let z = 0; z < logJoint.length; z++) {
    const l = logJoint[z]!;
    if (l === -Infinity) continue;
    if (l !== M) tied = false;
    d.push({ z, d: dySub(dyOf(l), Mdy), approx: l - M });
  }
  return { M, Mdy, d, tied };
}

/**
 * exp(d) = mant·2^(k − F) for any exact dyadic d with |d| ≤ 5·10^15 (so |k| < 2^53 − 2^50 and the
 * exponent sums in doubles are exact), relative error ≤ (FIXED_ERROR_UNITS + 1)·2^-F. Within
 * expFixed's range it is expFixed; beyond, d = kk·ln 2 + r with kk = round(d/ln 2) in doubles
 * (|r| < 1) and ln 2 at scale G = F + 80 (kk·ln 2 errs by ≤ 2^53·2^-G ≤ 2^-(F+27)), then expFixed(r).
 */
function expWide(d: Dy, approx: number, F: number): FixedExp {
  if (Math.abs(approx) < EXP_FIXED_RANGE) return expFixed(d.m, d.e, F);
  if (!(Math.abs(approx) <= -DECIMAL_UNDERFLOW_D)) throw new RangeError('expWide: argument out of range');
  const kk = Math.round(approx / Math.LN2);
  const G = F + 80;
  const dFix = d.e + G >= 0 ? d.m << BigInt(d.e + G) : d.m >> BigInt(-(d.e + G));
  const r = dFix - BigInt(kk) * ln2Fixed(G);
  const e = expFixed(r, -G, F);
  return { mant: e.mant, k: e.k + kk };
}

/** S = Σ exp(d_z) at scale F with its error bound E (units of 2^-F). */
function sumExp(s: Shifted, F: number): { S: bigint; E: bigint } {
  const nBits = Math.ceil(Math.log2(s.d.length + 1));
  const cutoff = -(F + nBits + 8) * Math.LN2;
  let S = 0n;
  let E = 0n;
  const one = 1n << BigInt(F);
  for (const t of s.d) {
    if (t.d.m === 0n) {
      S += one;
      continue;
    }
    if (t.approx < cutoff - 1) {
      E += 1n; // exp(d) < 2^-(F + nBits + 8): less than one unit
      continue;
    }
    const { mant, k } = expFixed(t.d.m, t.d.e, F); // exp(d) = mant·2^(k−F), k ≤ 0
    S += mant >> BigInt(-k);
    E += FIXED_ERROR_UNITS + 1n; // relative error ≤ 16 units of a value ≤ 1, plus truncation
  }
  return { S, E };
}

export function logEvidenceRounded(logJoint: Vector, digits: number, D: Decimal.Constructor): Decimal {
  const s = shift(logJoint);
  if (s === null) return new D(-Infinity);
  if (s.d.length === 1) return roundedToDecimal(roundDy(s.Mdy, digits), D);
  if (s.tied) {
    return new LogForm().addDyadic(s.Mdy).addLog({ m: 1n, e: 0 }, s.d.length).evaluate(digits, D);
  }
  let W = quantize(Math.ceil(digits * LOG2_10) + 16);
  if (s.M === 0) {
    const tiny = logOnePlusTiny(s, W, digits, D);
    if (tiny !== undefined) return tiny;
  }
  for (;;) {
    const F = W + 8;
    const { S, E } = sumExp(s, F);
    const lnS = lnFixed(S, -F, F); // ln(S·2^-F) at scale F
    // |ln(S_true) − ln(S)| ≤ E/S·2^F units ≤ 2E units since S ≥ 2^F and E ≪ 2^F.
    const err = FIXED_ERROR_UNITS + 2n * E + 2n;
    const A = -F;
    const Mfix = s.Mdy.e + F >= 0 ? s.Mdy.m << BigInt(s.Mdy.e + F) : s.Mdy.m >> BigInt(-(s.Mdy.e + F));
    const V = Mfix + lnS;
    const Etot = err + 1n;
    if ((V < 0n ? -V : V) > Etot) {
      const lo = roundScaled(V - Etot, A, digits);
      const hi = roundScaled(V + Etot, A, digits);
      if (sameRounded(lo, hi)) return roundedToDecimal(lo, D);
    }
    W = quantize(W + Math.max(32, Math.ceil(W / 2)));
  }
}

/**
 * log p(x) when M = 0 is the only maximum and every other d_z is below −(W + 16)·ln 2: then
 * log p(x) = log1p(x), x = Σ_{z ≠ argmax} exp(d_z) < n·2^-(W+16), a value of size x whatever the gap
 * (exp(−10^5) is 10^-43430). The absolute scale of the main loop would need |log2 x| + W bits
 * (minutes for a gap of 10^5); here x is summed relative to its largest term, exp(d_max) =
 * mant·2^(K−F), so the work is that of an ordinary input: x ∈ [X − E, X + E]·2^(K−F), and
 * x − x²/2 ≤ log1p(x) ≤ x encloses the value. Returns undefined when the shape does not apply.
 */
function logOnePlusTiny(s: Shifted, W0: number, digits: number, D: Decimal.Constructor): Decimal | undefined {
  const rest = s.d.filter((t) => t.d.m !== 0n);
  if (rest.length !== s.d.length - 1) return undefined; // M is tied: log p(x) ≥ log 2
  let top = rest[0]!;
  for (const t of rest) if (t.approx > top.approx) top = t;
  const nBits = Math.ceil(Math.log2(rest.length + 1));
  if (top.approx > -(W0 + 16 + nBits) * Math.LN2) return undefined; // x is not tiny: the main loop is cheap
  if (top.approx < DECIMAL_UNDERFLOW_D) return new D(0);
  for (let W = W0; ; W = quantize(W + Math.max(32, Math.ceil(W / 2)))) {
    const F = W + 8 + nBits;
    const { k: K } = expWide(top.d, top.approx, F);
    const cutoff = top.approx - (F + nBits + 8) * Math.LN2 - 2;
    let X = 0n;
    let E = 0n;
    for (const t of rest) {
      if (t.approx < cutoff) {
        E += 1n; // below 2^(K−F−nBits−8)·1.42·e²: less than one unit of 2^(K−F)
        continue;
      }
      const e = expWide(t.d, t.approx, F);
      const sh = K - e.k;
      X += sh >= 0 ? e.mant >> BigInt(sh) : e.mant << BigInt(-sh);
      // relative (16 + 1) units of a mantissa < 1.42·2^F, at most 2^1 larger after the shift; + truncation
      E += 4n * (FIXED_ERROR_UNITS + 1n) + 1n;
    }
    const Q = ((X + E) * (X + E) >> BigInt(F - K + 1)) + 1n; // x²/2 in units of 2^(K−F), rounded up
    const r = roundEnclosure(X - E - Q, X + E, K - F, digits);
    if (r !== undefined) return roundedToDecimal(r, D);
  }
}

export function posteriorValues(logJoint: Vector, digits: number, D: Decimal.Constructor): Decimal[] {
  const s = shift(logJoint);
  if (s === null) {
    throw new InvalidInputError('posterior', 'logJoint', null, 'all-impossible',
      'every entry is -Infinity: p(x) = 0 and the posterior is undefined');
  }
  const out: Decimal[] = logJoint.map(() => new D(0));
  if (s.tied) {
    const v = roundedToDecimal(roundRational(1n, BigInt(s.d.length), digits), D);
    for (const t of s.d) out[t.z] = v;
    return out;
  }
  let pending = s.d.filter((t) => t.approx >= DECIMAL_UNDERFLOW_D);
  let W = quantize(Math.ceil(digits * LOG2_10) + 16);
  while (pending.length > 0) {
    const F = W + 8;
    const { S, E } = sumExp(s, F);
    const next: typeof pending = [];
    for (const t of pending) {
      const r = posteriorEntry(t.d, t.approx, S, E, F, digits);
      if (r === undefined) next.push(t);
      else out[t.z] = roundedToDecimal(r, D);
    }
    pending = next;
    W = quantize(W + Math.max(32, Math.ceil(W / 2)));
  }
  return out;
}

/** exp(d)/S rounded, or undefined when the interval does not decide the rounding at this scale. */
function posteriorEntry(d: Dy, approx: number, S: bigint, E: bigint, F: number, digits: number): Rounded | null | undefined {
  const { mant, k } = d.m === 0n ? { mant: 1n << BigInt(F), k: 0 } : expWide(d, approx, F);
  // exp(d)/S = mant·2^k/S;  Q = ⌊mant·2^(F+8)/S⌋ stands for Q·2^(k − F − 8).
  const Q = (mant << BigInt(F + 8)) / S;
  // Relative error ≤ (17 (expWide) + E + 1 (S) ) / 2^F, + 1 unit of truncation.
  const relUnits = FIXED_ERROR_UNITS + E + 3n;
  const err = ((Q * relUnits) >> BigInt(F)) + 2n;
  const A = k - F - 8;
  if (Q <= err) return undefined;
  return roundEnclosure(Q - err, Q + err, A, digits);
}

function roundDy(d: Dy, digits: number): Rounded | null {
  if (d.m === 0n) return null;
  return d.e >= 0 ? roundRational(d.m << BigInt(d.e), 1n, digits) : roundRational(d.m, 1n << BigInt(-d.e), digits);
}

export { bitLengthPositive };
