/**
 * The reference API (implemented in `src/reference/index.ts`). Every function evaluates its quantity
 * for the float64 inputs exactly as given (their exact binary values), in natural logarithms, and
 * returns a Decimal of the isolated context `decimalContext(digits)` (default 40 significant
 * digits), correctly rounded (round-half-even) — or decimal.js's ±Infinity where the exact value is
 * infinite. Invalid input throws `InvalidInputError` (src/numeric/errors.ts).
 */
import type Decimal from 'decimal.js';

export interface ReferenceOptions {
  /** Significant digits of the result, 10..1000. Default 40. */
  digits?: number;
}

export type Vector = readonly number[];

export interface ReferenceApi {
  entropy(p: Vector, opts?: ReferenceOptions): Decimal;
  crossEntropy(p: Vector, q: Vector, opts?: ReferenceOptions): Decimal;
  kl(p: Vector, q: Vector, opts?: ReferenceOptions): Decimal;
  generalizedKl(p: Vector, q: Vector, opts?: ReferenceOptions): Decimal;
  negEntropy(p: Vector, opts?: ReferenceOptions): Decimal;
  negEntropyGradient(q: Vector, opts?: ReferenceOptions): Decimal[];
  bregmanNegEntropy(p: Vector, q: Vector, opts?: ReferenceOptions): Decimal;
  logEvidence(logJoint: Vector, opts?: ReferenceOptions): Decimal;
  elbo(logJoint: Vector, q: Vector, opts?: ReferenceOptions): Decimal;
  posterior(logJoint: Vector, opts?: ReferenceOptions): Decimal[];
  klNormal(mu1: number, sigma1: number, mu2: number, sigma2: number, opts?: ReferenceOptions): Decimal;
  klNormalDiag(mu1: Vector, sigma1: Vector, mu2: Vector, sigma2: Vector, opts?: ReferenceOptions): Decimal;
}
