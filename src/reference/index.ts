/**
 * The reference: each quantity of the KL family evaluated exactly for the float64 inputs as given
 * (their exact binary values), in natural logarithms, correctly rounded (round-half-even) to
 * `digits` significant digits (default 40), as a Decimal of the isolated context
 * `decimalContext(digits)`. ±∞ are decimal.js's ±Infinity. Nothing is clamped: a kl of two
 * float-normalised near-equal vectors can be −1e-16, and that is what is returned.
 *
 * Conventions of the extended reals (written once; every table below follows from them):
 *   0·log 0 = 0;  0·log(0/q) = 0 for every q ≥ 0;  p·log(p/0) = +∞ for p > 0;  log 0 = −∞;
 *   an ELBO term with q(z) = 0 is 0 even where log p(x, z) = −∞;
 *   q(z) > 0 with log p(x, z) = −∞ makes the ELBO −∞.
 *
 * Invalid input (NaN; ±∞ where a probability is expected; +∞ in a log joint; a negative entry;
 * length mismatch; an empty vector; σ ≤ 0; digits outside 10..1000) throws InvalidInputError.
 * Support mismatch is not invalid: it is +∞.
 */
import Decimal from 'decimal.js';
import { decimalContext, DEFAULT_DIGITS, checkDigits } from '../numeric/context';
import { Dy, dyAdd, dyMul, dyOf, dySub, ratDivDy, Rat } from '../numeric/dyadic';
import { LogForm } from '../numeric/logform';
import { diagGaussianArgs, finiteNumber, logJointVector, positiveNumber, probabilityVector, sameLength, Vector } from '../numeric/validate';
import { logEvidenceRounded, posteriorValues } from './latent';
import type { ReferenceOf } from '../contract';

/** Options of every reference function. */
export interface ReferenceOptions {
  /** Significant digits of the result, 10..1000. Default 40. */
  digits?: number;
}

function ctx(fn: string, opts?: ReferenceOptions): { digits: number; D: Decimal.Constructor } {
  const digits = opts?.digits ?? DEFAULT_DIGITS;
  checkDigits(digits, fn);
  return { digits, D: decimalContext(digits) };
}

function posInf(D: Decimal.Constructor): Decimal {
  return new D(Infinity);
}

function negInf(D: Decimal.Constructor): Decimal {
  return new D(-Infinity);
}

/**
 * Shannon entropy H(p) = −Σ p_i log p_i.
 *
 * | input            | result                    |
 * |------------------|---------------------------|
 * | p_i = 0          | term 0 (0·log 0 = 0)      |
 * | p = one-hot      | 0 exactly                 |
 * | p_i > 1 (unnormalised) | the formula as given (can be negative) |
 * Never infinite for finite inputs.
 */
export function entropy(p: Vector, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('entropy', opts);
  p = probabilityVector('entropy', 'p', p);
  const f = new LogForm();
  for (const pi of p) if (pi > 0) f.addLog(neg(dyOf(pi)), pi);
  return f.evaluate(digits, D);
}

/**
 * Cross-entropy H(p, q) = −Σ p_i log q_i.
 *
 * | input                 | result                 |
 * |-----------------------|------------------------|
 * | p_i = 0 (any q_i)     | term 0                 |
 * | p_i > 0, q_i = 0      | +∞ (support mismatch)  |
 */
export function crossEntropy(p: Vector, q: Vector, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('crossEntropy', opts);
  p = probabilityVector('crossEntropy', 'p', p);
  q = probabilityVector('crossEntropy', 'q', q);
  sameLength('crossEntropy', 'p', p, 'q', q);
  const f = new LogForm();
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (pi === 0) continue;
    const qi = q[i]!;
    if (qi === 0) return posInf(D);
    f.addLog(neg(dyOf(pi)), qi);
  }
  return f.evaluate(digits, D);
}

/**
 * KL(p‖q) = Σ p_i log(p_i/q_i) — Definition 22.1 exactly, for the inputs as given.
 *
 * | input                 | result                                        |
 * |-----------------------|-----------------------------------------------|
 * | p_i = 0 (any q_i ≥ 0) | term 0                                        |
 * | p_i > 0, q_i = 0      | +∞ (support mismatch; not an error)           |
 * | p = q                 | 0 exactly                                     |
 * | Σp ≠ Σq               | may be negative (e.g. −1e-16 for float-normalised near-equal vectors); never clamped |
 */
export function kl(p: Vector, q: Vector, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('kl', opts);
  p = probabilityVector('kl', 'p', p);
  q = probabilityVector('kl', 'q', q);
  sameLength('kl', 'p', p, 'q', q);
  const f = new LogForm();
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (pi === 0) continue;
    const qi = q[i]!;
    if (qi === 0) return posInf(D);
    f.addLogRatio(dyOf(pi), pi, qi);
  }
  return f.evaluate(digits, D);
}

/**
 * Generalised KL Σ [p_i log(p_i/q_i) − p_i + q_i] (mathlib's klDiv, scipy.special.kl_div summed).
 * ≥ 0 for all nonnegative vectors; equals kl when Σp = Σq.
 *
 * | input                 | term             |
 * |-----------------------|------------------|
 * | p_i = 0, q_i ≥ 0      | q_i              |
 * | p_i > 0, q_i = 0      | +∞               |
 */
export function generalizedKl(p: Vector, q: Vector, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('generalizedKl', opts);
  p = probabilityVector('generalizedKl', 'p', p);
  q = probabilityVector('generalizedKl', 'q', q);
  sameLength('generalizedKl', 'p', p, 'q', q);
  const f = new LogForm();
  let rational: Dy = { m: 0n, e: 0 };
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    rational = dyAdd(rational, dySub(dyOf(qi), dyOf(pi)));
    if (pi === 0) continue;
    if (qi === 0) return posInf(D);
    f.addLogRatio(dyOf(pi), pi, qi);
  }
  f.addDyadic(rational);
  return f.evaluate(digits, D);
}

/**
 * Negative entropy F(p) = Σ p_i log p_i (the Bregman generator of KL).
 *
 * | input   | term |
 * |---------|------|
 * | p_i = 0 | 0    |
 */
export function negEntropy(p: Vector, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('negEntropy', opts);
  p = probabilityVector('negEntropy', 'p', p);
  const f = new LogForm();
  for (const pi of p) if (pi > 0) f.addLog(dyOf(pi), pi);
  return f.evaluate(digits, D);
}

/**
 * ∇F(q) = (1 + log q_i)_i, each entry correctly rounded.
 *
 * | input   | entry |
 * |---------|-------|
 * | q_i = 0 | −∞    |
 * | q_i = 1 | 1     |
 */
export function negEntropyGradient(q: Vector, opts?: ReferenceOptions): Decimal[] {
  const { digits, D } = ctx('negEntropyGradient', opts);
  q = probabilityVector('negEntropyGradient', 'q', q);
  return q.map((qi) => {
    if (qi === 0) return negInf(D);
    return new LogForm().addDyadic({ m: 1n, e: 0 }).addLog({ m: 1n, e: 0 }, qi).evaluate(digits, D);
  });
}

/**
 * The Bregman divergence of F = negative entropy, evaluated literally as
 * D_F(p, q) = F(p) − F(q) − ⟨∇F(q), p − q⟩, exactly (the terms are merged exactly, so the result is
 * correctly rounded however much they cancel). Equals KL(p‖q) + Σq − Σp.
 *
 * | input                 | term of ⟨∇F(q), p − q⟩                      |
 * |-----------------------|---------------------------------------------|
 * | q_i = 0, p_i = 0      | (1 + log 0)·0 = 0 (convention)              |
 * | q_i = 0, p_i > 0      | −∞, so D_F = +∞                             |
 */
export function bregmanNegEntropy(p: Vector, q: Vector, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('bregmanNegEntropy', opts);
  p = probabilityVector('bregmanNegEntropy', 'p', p);
  q = probabilityVector('bregmanNegEntropy', 'q', q);
  sameLength('bregmanNegEntropy', 'p', p, 'q', q);
  const f = new LogForm();
  let rational: Dy = { m: 0n, e: 0 };
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (qi === 0) {
      if (pi > 0) return posInf(D);
      continue;
    }
    const dp = dyOf(pi);
    const dq = dyOf(qi);
    if (pi > 0) f.addLog(dp, pi); //             + p log p
    f.addLog(neg(dq), qi); //                    − q log q
    const diff = dySub(dp, dq); //               − (1 + log q)(p − q)
    rational = dyAdd(rational, neg(diff));
    f.addLog(neg(diff), qi);
  }
  f.addDyadic(rational);
  return f.evaluate(digits, D);
}

/**
 * A general Bregman divergence D_F(p, q) = F(p) − F(q) − ⟨∇F(q), p − q⟩ for user-supplied F and ∇F
 * returning Decimals. Evaluated in Decimal arithmetic with `digits + guardDigits` digits and rounded
 * to `digits`; NOT correctly rounded in general (its accuracy is that of F and ∇F, reduced by the
 * cancellation F(p) − F(q) − …). Extended reals: a gradient entry −∞ times p_i − q_i = 0 is 0.
 */
export function bregman(
  F: (x: Vector, opts: ReferenceOptions) => Decimal,
  gradF: (x: Vector, opts: ReferenceOptions) => Decimal[],
  p: Vector,
  q: Vector,
  opts?: ReferenceOptions & { guardDigits?: number },
): Decimal {
  const { digits, D } = ctx('bregman', opts);
  p = probabilityVector('bregman', 'p', p);
  q = probabilityVector('bregman', 'q', q);
  sameLength('bregman', 'p', p, 'q', q);
  const wide = Math.min(digits + (opts?.guardDigits ?? 20), 1000);
  const W = decimalContext(wide);
  const inner = { digits: wide };
  const g = gradF(q, inner);
  let acc = new W(F(p, inner)).minus(new W(F(q, inner)));
  for (let i = 0; i < p.length; i++) {
    if (p[i] === q[i]) continue; // ∇F(q)_i · 0 = 0, even for ∇F(q)_i = ±∞
    const diff = dyadicDecimal(dySub(dyOf(p[i]!), dyOf(q[i]!)), W);
    acc = acc.minus(new W(g[i]!).times(diff));
  }
  return new D(acc).toSignificantDigits(digits, Decimal.ROUND_HALF_EVEN);
}

function dyadicDecimal(d: Dy, W: Decimal.Constructor): Decimal {
  if (d.e >= 0) return new W((d.m << BigInt(d.e)).toString());
  return new W(`${(d.m * 5n ** BigInt(-d.e)).toString()}e${d.e}`);
}

/**
 * log p(x) = log Σ_z exp(logJoint[z]).
 *
 * | input                              | result                 |
 * |------------------------------------|------------------------|
 * | every entry −∞                     | −∞ (the evidence is 0) |
 * | exactly one finite entry ℓ         | ℓ exactly              |
 * | entries near −1000 or −5000        | exact (no underflow: the sum is shifted by the max) |
 */
export function logEvidence(logJoint: Vector, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('logEvidence', opts);
  logJoint = logJointVector('logEvidence', 'logJoint', logJoint);
  return logEvidenceRounded(logJoint, digits, D);
}

/**
 * ELBO(q) = Σ_z q(z)·(logJoint[z] − log q(z)).
 *
 * | input                              | term                   |
 * |------------------------------------|------------------------|
 * | q(z) = 0 (even logJoint[z] = −∞)   | 0                      |
 * | q(z) > 0, logJoint[z] = −∞         | −∞, so the ELBO is −∞  |
 */
export function elbo(logJoint: Vector, q: Vector, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('elbo', opts);
  logJoint = logJointVector('elbo', 'logJoint', logJoint);
  q = probabilityVector('elbo', 'q', q);
  sameLength('elbo', 'logJoint', logJoint, 'q', q);
  const f = new LogForm();
  let rational: Dy = { m: 0n, e: 0 };
  for (let z = 0; z < q.length; z++) {
    const qz = q[z]!;
    if (qz === 0) continue;
    const l = logJoint[z]!;
    if (l === -Infinity) return negInf(D);
    const dq = dyOf(qz);
    rational = dyAdd(rational, dyMul(dq, dyOf(l)));
    f.addLog(neg(dq), qz);
  }
  f.addDyadic(rational);
  return f.evaluate(digits, D);
}

/**
 * The exact posterior p(z | x) = exp(logJoint[z] − log p(x)), each entry correctly rounded.
 *
 * | input                          | result                                            |
 * |--------------------------------|---------------------------------------------------|
 * | logJoint[z] = −∞               | 0                                                 |
 * | every entry −∞                 | InvalidInputError (reason 'all-impossible')       |
 * | k entries tied at the maximum, the rest −∞ | 1/k exactly for those            |
 * | logJoint[z] − max < −2^20      | 0 (below 10^-455000; documented underflow)        |
 */
export function posterior(logJoint: Vector, opts?: ReferenceOptions): Decimal[] {
  const { digits, D } = ctx('posterior', opts);
  logJoint = logJointVector('posterior', 'logJoint', logJoint);
  return posteriorValues(logJoint, digits, D);
}

/**
 * KL(N(μ1, σ1²) ‖ N(μ2, σ2²)) = log(σ2/σ1) + (σ1² + (μ1 − μ2)²)/(2σ2²) − ½, exactly.
 *
 * | input                     | result                     |
 * |---------------------------|----------------------------|
 * | μ1 = μ2, σ1 = σ2          | 0 exactly                  |
 * | σ1 = σ2                   | (μ1 − μ2)²/(2σ2²) exactly  |
 * | σ ≤ 0, non-finite μ or σ  | InvalidInputError          |
 * Always finite (it may exceed the double range: 1e400 is returned as 1e400).
 */
export function klNormal(mu1: number, sigma1: number, mu2: number, sigma2: number, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('klNormal', opts);
  finiteNumber('klNormal', 'mu1', mu1);
  positiveNumber('klNormal', 'sigma1', sigma1);
  finiteNumber('klNormal', 'mu2', mu2);
  positiveNumber('klNormal', 'sigma2', sigma2);
  const f = new LogForm();
  addNormalTerms(f, mu1, sigma1, mu2, sigma2);
  return f.evaluate(digits, D);
}

/**
 * KL between diagonal Gaussians N(μ1, diag σ1²) ‖ N(μ2, diag σ2²): the sum of the univariate KLs.
 * Same table as {@link klNormal}, per coordinate.
 */
export function klNormalDiag(mu1: Vector, sigma1: Vector, mu2: Vector, sigma2: Vector, opts?: ReferenceOptions): Decimal {
  const { digits, D } = ctx('klNormalDiag', opts);
  [mu1, sigma1, mu2, sigma2] = diagGaussianArgs('klNormalDiag', mu1, sigma1, mu2, sigma2);
  const f = new LogForm();
  for (let i = 0; i < mu1.length; i++) addNormalTerms(f, mu1[i]!, sigma1[i]!, mu2[i]!, sigma2[i]!);
  return f.evaluate(digits, D);
}

function addNormalTerms(f: LogForm, mu1: number, sigma1: number, mu2: number, sigma2: number): void {
  const s1 = dyOf(sigma1);
  const s2 = dyOf(sigma2);
  const dm = dySub(dyOf(mu1), dyOf(mu2));
  // (σ1² + Δμ²)/(2σ2²) − ½
  const num = dyAdd(dyMul(s1, s1), dyMul(dm, dm));
  const den = dyMul({ m: 2n, e: 0 }, dyMul(s2, s2));
  f.addRational(ratDivDy(num, den));
  f.addDyadic({ m: -1n, e: -1 });
  f.addLog({ m: 1n, e: 0 }, sigma2).addLog({ m: -1n, e: 0 }, sigma1);
}

function neg(d: Dy): Dy {
  return { m: -d.m, e: d.e };
}

/**
 * Convenience: the reference as an object (for harness code that looks functions up by name): every
 * contract function with the contract table's signature (src/contract.ts, ReferenceOf), and
 * bregmanNegEntropy, which is the reference's own.
 */
export const reference = {
  entropy, crossEntropy, kl, generalizedKl, negEntropy, negEntropyGradient, bregmanNegEntropy,
  logEvidence, elbo, posterior, klNormal, klNormalDiag,
} satisfies ReferenceOf & { bregmanNegEntropy: typeof bregmanNegEntropy };

export type { Rat };
