/**
 * Correct implementations of kl that agree with Σ p·log(p/q) on distributions — the contract's
 * domain (src/contract.ts) — and differ from it elsewhere. A check that calls kl outside the
 * domain (p = [1], q = [2]) fails them although they are right; test/domain.test.ts runs every
 * theorem and the agreement checks on them.
 *
 * Also plain summation orders of Σ p·(log p − log q) (left to right, pairwise, compensated), which must
 * pass as well. Each is built on a correct base: the built-in kernels for every other function, and for kl
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

/** Term by term, log p − log q (never forms p/q), summed left to right. */
export function termByTermKl(p: V, q: V): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (pi === 0) continue;
    if (q[i] === 0) return Infinity;
    s += pi * (Math.log(pi) - Math.log(q[i]!));
  }
  return s;
}

function terms(p: V, q: V): number[] | null {
  const t: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (pi === 0) continue;
    if (q[i] === 0) return null;
    t.push(pi * (Math.log(pi) - Math.log(q[i]!)));
  }
  return t;
}

function pairwise(t: number[], lo: number, hi: number): number {
  if (hi - lo <= 2) return hi - lo === 0 ? 0 : hi - lo === 1 ? t[lo]! : t[lo]! + t[lo + 1]!;
  const mid = (lo + hi) >> 1;
  return pairwise(t, lo, mid) + pairwise(t, mid, hi);
}

/** The same terms, summed pairwise (numpy's np.sum). */
export function pairwiseKl(p: V, q: V): number {
  const t = terms(p, q);
  return t === null ? Infinity : pairwise(t, 0, t.length);
}

/** The same terms, Kahan–Babuška (Neumaier) compensated sum. */
export function compensatedKl(p: V, q: V): number {
  const t = terms(p, q);
  if (t === null) return Infinity;
  let s = 0;
  let c = 0;
  for (const x of t) {
    const y = s + x;
    c += Math.abs(s) >= Math.abs(x) ? (s - y) + x : (x - y) + s;
    s = y;
  }
  return s + c;
}

/**
 * The kl variants, each as a full candidate: the kernels with kl replaced. `usesPromise`: it relies on
 * Σp = Σq = 1 and differs from Σ p·log(p/q) off the simplex; the others are plain summation orders.
 */
export const DOMAIN_VARIANTS: ReadonlyArray<{ name: string; kl: (p: V, q: V) => number; description: string; usesPromise?: true }> = [
  { name: 'generalised-terms', kl: generalizedTermsKl, description: 'Σ p·log(p/q) − p + q (scipy kl_div elementwise)', usesPromise: true },
  { name: 'normalise-first', kl: normaliseFirstKl, description: 'kl(p/Σp, q/Σq)', usesPromise: true },
  { name: 'clamp-negative', kl: clampNegativeKl, description: 'max(0, kl(p, q))', usesPromise: true },
  { name: 'term-by-term', kl: termByTermKl, description: 'Σ p·(log p − log q), left to right' },
  { name: 'pairwise', kl: pairwiseKl, description: 'the same terms, pairwise summation' },
  { name: 'compensated', kl: compensatedKl, description: 'the same terms, Neumaier-compensated summation' },
];

/** The kernels with kl replaced by the variant. */
export function withKl(kl: (p: V, q: V) => number): Record<string, (...a: never[]) => unknown> {
  return { ...(kernels as unknown as Record<string, (...a: never[]) => unknown>), kl: kl as unknown as (...a: never[]) => unknown };
}
