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
import { FIXED_ERROR_UNITS, bitLengthPositive, expFixed, lnFixed } from '../numeric/fixed';
import { LogForm, quantize } from '../numeric/logform';
import { roundRational, roundScaled, roundedToDecimal, sameRounded, Rounded } from '../numeric/rounding';
import type { Vector } from '../numeric/validate';

const LOG2_10 = Math.log2(10);
/** Posterior entries with d_z below this are returned as 0 (they are below 10^-455000). */
const POSTERIOR_UNDERFLOW = -(2 ** 20);

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
  let pending = s.d.filter((t) => t.approx >= POSTERIOR_UNDERFLOW);
  let W = quantize(Math.ceil(digits * LOG2_10) + 16);
  while (pending.length > 0) {
    const F = W + 8;
    const { S, E } = sumExp(s, F);
    const next: typeof pending = [];
    for (const t of pending) {
      const r = posteriorEntry(t.d, S, E, F, digits);
      if (r === undefined) next.push(t);
      else out[t.z] = roundedToDecimal(r, D);
    }
    pending = next;
    W = quantize(W + Math.max(32, Math.ceil(W / 2)));
  }
  return out;
}

/** exp(d)/S rounded, or undefined when the interval does not decide the rounding at this scale. */
function posteriorEntry(d: Dy, S: bigint, E: bigint, F: number, digits: number): Rounded | null | undefined {
  const { mant, k } = d.m === 0n ? { mant: 1n << BigInt(F), k: 0 } : expFixed(d.m, d.e, F);
  // exp(d)/S = mant·2^k/S;  Q = ⌊mant·2^(F+8)/S⌋ stands for Q·2^(k − F − 8).
  const Q = (mant << BigInt(F + 8)) / S;
  // Relative error ≤ (16 (exp) + E + 1 (S) ) / 2^F, + 1 unit of truncation.
  const relUnits = FIXED_ERROR_UNITS + E + 2n;
  const err = ((Q * relUnits) >> BigInt(F)) + 2n;
  const A = k - F - 8;
  if (Q <= err) return undefined;
  const lo = roundScaled(Q - err, A, digits);
  const hi = roundScaled(Q + err, A, digits);
  return sameRounded(lo, hi) ? lo : undefined;
}

function roundDy(d: Dy, digits: number): Rounded | null {
  if (d.m === 0n) return null;
  return d.e >= 0 ? roundRational(d.m << BigInt(d.e), 1n, digits) : roundRational(d.m, 1n << BigInt(-d.e), digits);
}

export { bitLengthPositive };
