/**
 * Correct implementations of kl that agree with Σ p·log(p/q) on distributions — the contract's
 * domain (src/contract.ts) — and differ from it elsewhere. A check that calls kl outside the
 * domain (p = [1], q = [2]) fails them although they are right; test/domain.test.ts runs every
 * theorem and the agreement checks on them.
 *
 * Each is built on a correct base: the built-in kernels for every other function, and for kl
 * either the kernel or the plain difference-of-logs loop (which never forms the ratio p/q, so it
 * does not overflow where q is subnormal).
 */
import { kernels } from '../../src/kernels';

type V = readonly number[];

/** scipy.special.kl_div, elementwise, with log p − log q instead of log(p/q): x log(x/y) − x + y. */
export function klDiv(x: number, y: number): number {
  if (x > 0 && y > 0) return x * (Math.log(x) - Math.log(y)) - x + y;
  if (x === 0 && y >= 0) return y;
  return Infinity;
}

/**
 * The generalised terms Σ_i [p_i log(p_i/q_i) − p_i + q_i] (np.sum(kl_div(p, q))): KL + Σq − Σp, which is
 * KL on distributions (Σp = Σq = 1, up to the rounding of float-normalised inputs) and not elsewhere:
 * at p = [1], q = [2] it is 1 − ln 2 ≈ 0.307, while Σ p log(p/q) = −ln 2.
 */
export function generalizedTermsKl(p: V, q: V): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += klDiv(p[i]!, q[i]!);
  return s;
}

/** Normalises both inputs first (p/Σp, q/Σq, plain float sums), then the kernel: KL of the normalised vectors. */
export function normaliseFirstKl(p: V, q: V): number {
  let P = 0;
  let Q = 0;
  for (const x of p) P += x;
  for (const x of q) Q += x;
  return kernels.kl(p.map((x) => x / P), q.map((x) => x / Q));
}

/** The kernel, with a negative result (≈ −1e-17 on float-normalised near-equal pairs) clamped to 0: KL ≥ 0. */
export function clampNegativeKl(p: V, q: V): number {
  return Math.max(0, kernels.kl(p as number[], q as number[]));
}

/** The three kl variants, each as a full candidate: the kernels with kl replaced. */
export const DOMAIN_VARIANTS: ReadonlyArray<{ name: string; kl: (p: V, q: V) => number; description: string }> = [
  { name: 'generalised-terms', kl: generalizedTermsKl, description: 'Σ p·log(p/q) − p + q (scipy kl_div elementwise)' },
  { name: 'normalise-first', kl: normaliseFirstKl, description: 'kl(p/Σp, q/Σq)' },
  { name: 'clamp-negative', kl: clampNegativeKl, description: 'max(0, kl(p, q))' },
];

/** The kernels with kl replaced by the variant. */
export function withKl(kl: (p: V, q: V) => number): Record<string, (...a: never[]) => unknown> {
  return { ...(kernels as unknown as Record<string, (...a: never[]) => unknown>), kl: kl as unknown as (...a: never[]) => unknown };
}
