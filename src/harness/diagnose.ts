/**
 * Diagnosis, not just "failed": from a (shrunk) failing case — the input, the candidate's value and
 * the exact value — name the bug where the evidence allows. Each class is recognised by recomputing
 * what the buggy formula would give on the same input (with our float64 kernels or the reference)
 * and comparing, so a diagnosis is evidence, not a guess; when nothing matches, no class is claimed.
 */
import type Decimal from 'decimal.js';
import * as kernels from '../kernels';
import * as ref from '../reference';

export interface Diagnosis {
  /** Stable class id. */
  id:
    | 'nan-at-zero'
    | 'finite-under-mismatch'
    | 'epsilon-clipping'
    | 'skips-zero-q'
    | 'overflow-at-tiny-mass'
    | 'wrong-base'
    | 'swapped-arguments'
    | 'float32-level'
    | 'dropped-small-masses'
    | 'mutates-input'
    | 'elbo-missing-entropy'
    | 'elbo-wrong-sign'
    | 'logsumexp-missing'
    | 'nan'
    | 'threw';
  /** One sentence a person can act on. */
  explanation: string;
}

type V = readonly number[];

/** Relative agreement within `tol` (both finite), or the same infinity. */
function near(a: number, b: number, tol = 1e-9): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

const hasZero = (v: V) => v.some((x) => x === 0);
const mismatch = (p: V, q: V) => p.some((x, i) => x > 0 && q[i] === 0);

function klTerms(p: V, q: V, qOf: (qi: number) => number, keep: (pi: number, qi: number) => boolean): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0 && keep(p[i]!, q[i]!)) s += p[i]! * Math.log(p[i]! / qOf(q[i]!));
  return s;
}

/** −Σ p log qOf(q) over p_i > 0: the cross-entropy with q transformed (clipped, shifted). */
function crossTerms(p: V, q: V, qOf: (qi: number) => number): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) s -= p[i]! * Math.log(qOf(q[i]!));
  return s;
}

function dropBelow(v: V, t: number): number[] {
  const kept = v.map((x) => (x < t ? 0 : x));
  const s = kept.reduce((a, b) => a + b, 0);
  return s > 0 ? kept.map((x) => x / s) : kept;
}

/** A diagnosis of a candidate's wrong value of `fn` at `args`, or undefined when no class fits. */
export function diagnose(fn: string, args: readonly unknown[], candidate: unknown, exact: Decimal | Decimal[] | undefined, error?: string): Diagnosis | undefined {
  if (error === 'mutates its input') return { id: 'mutates-input', explanation: 'the function modifies its input arrays (e.g. sorts or normalises them in place)' };
  if (error?.startsWith('threw')) {
    if ((fn === 'kl' || fn === 'crossEntropy') && mismatch(args[0] as V, args[1] as V)) {
      return { id: 'threw', explanation: 'it throws on support mismatch, a valid input whose value is +Infinity' };
    }
    return undefined;
  }
  if (typeof candidate !== 'number' || exact === undefined || Array.isArray(exact)) return undefined;
  const exactN = exact.toNumber();

  if (Number.isNaN(candidate)) {
    const zeroArg = fn === 'elbo' ? hasZero(args[1] as V) : (args as unknown[]).some((a) => Array.isArray(a) && hasZero(a as V));
    if (zeroArg) {
      return fn === 'elbo'
        ? { id: 'nan-at-zero', explanation: 'NaN where q(z) = 0: a term 0·(log p(x,z) − log 0) must be 0 (0·log 0 = 0, even where log p(x,z) = −∞)' }
        : { id: 'nan-at-zero', explanation: 'NaN at a zero mass: the convention 0·log 0 = 0 (and 0·log(0/q) = 0) is missing' };
    }
    return { id: 'nan', explanation: 'NaN on a valid input' };
  }

  if (fn === 'kl' || fn === 'crossEntropy') {
    const p = args[0] as V, q = args[1] as V;
    if (!exact.isFinite() && Number.isFinite(candidate) && mismatch(p, q)) {
      if (fn === 'kl' && near(candidate, ref.kl(q, p).toNumber(), 1e-9)) {
        return { id: 'swapped-arguments', explanation: 'it computes KL(q‖p): the arguments are swapped (finite here, where KL(p‖q) = +Infinity)' };
      }
      if (fn === 'kl') {
        if (near(candidate, klTerms(p, q, (x) => x, (_pi, qi) => qi > 0))) {
          return { id: 'skips-zero-q', explanation: 'finite under support mismatch: terms with q_i = 0 are skipped instead of giving +Infinity' };
        }
        for (const eps of [1e-15, 1e-12, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6]) {
          if (near(candidate, klTerms(p, q, (x) => Math.max(x, eps), () => true), 1e-6) || near(candidate, klTerms(p, q, (x) => x + eps, () => true), 1e-6)) {
            return { id: 'epsilon-clipping', explanation: `finite under support mismatch: q is clipped (or shifted) by ε = ${eps}, so p·log(p/ε) replaces +Infinity` };
          }
        }
      }
      return { id: 'finite-under-mismatch', explanation: 'finite where the exact value is +Infinity (support mismatch): ε-clipping or skipped q_i = 0 terms' };
    }
    if (candidate === Infinity && exact.isFinite()) {
      if (p.some((x, i) => x > 0 && q[i]! > 0 && x / q[i]! === Infinity)) {
        return { id: 'overflow-at-tiny-mass', explanation: 'p/q overflows to +Infinity at a tiny (subnormal) q_i where the exact value is finite: use log p − log q' };
      }
    }
    if (Number.isFinite(candidate) && exact.isFinite()) {
      // ε-clipping where the exact value is finite: a q_i below ε (p_i > 0) counted as ε. Claimed only
      // when the clipped formula reproduces the candidate (10⁻⁶ relative) and explains it at least 10×
      // better than the exact value does (a float32 candidate clipping at 1e-7 is 2.5e-6 off).
      const clipped = (qOf: (qi: number) => number) => (fn === 'kl' ? klTerms(p, q, qOf, () => true) : crossTerms(p, q, qOf));
      for (const eps of [1e-15, 1e-12, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6]) {
        if (!p.some((x, i) => x > 0 && q[i]! < eps)) continue;
        for (const v of [clipped((x) => Math.max(x, eps)), clipped((x) => x + eps)]) {
          if (near(candidate, v, 1e-6) && 10 * Math.abs(candidate - v) < Math.abs(candidate - exactN)) {
            return { id: 'epsilon-clipping', explanation: `q is clipped (or shifted) by ε = ${eps}: wrong wherever some q_i < ε (p_i > 0), and finite under support mismatch` };
          }
        }
      }
    }
  }
  if (fn === 'entropy' && candidate === Infinity && exact.isFinite()) {
    return { id: 'overflow-at-tiny-mass', explanation: '1/p overflows at a subnormal p_i: write −p·log p, not p·log(1/p)' };
  }
  if (fn === 'logEvidence' && exact.isFinite()) {
    // Evidence specific to a missing max shift: the value is ±∞, or it is exactly what log Σ exp(ℓ)
    // gives while some exp(ℓ_z) leaves the normal range (subnormal: digits lost; ∞: overflow).
    const l = args[0] as V;
    const noShift = Math.log(l.reduce((acc, x) => acc + Math.exp(x), 0));
    const outOfRange = l.some((x) => x > -Infinity && (Math.exp(x) < 2 ** -1022 || Math.exp(x) === Infinity));
    if (!Number.isFinite(candidate) || (Object.is(candidate, noShift) && outOfRange)) {
      return { id: 'logsumexp-missing', explanation: 'log Σ exp(ℓ) without the max shift: exp underflows for log joints near −1000, loses digits among the subnormals below −708, or overflows above 709; use log-sum-exp' };
    }
  }
  if (fn === 'elbo' && Number.isFinite(candidate) && exact.isFinite()) {
    const l = args[0] as V, q = args[1] as V;
    let cross = 0, ent = 0;
    for (let z = 0; z < q.length; z++) if (q[z]! > 0) { cross += q[z]! * l[z]!; ent -= q[z]! * Math.log(q[z]!); }
    if (ent !== 0 && near(candidate, cross, 1e-9)) return { id: 'elbo-missing-entropy', explanation: 'the ELBO is missing its entropy term −Σ q log q (it equals E_q[log p(x, z)])' };
    if (ent !== 0 && (near(candidate, cross - ent, 1e-9) || near(candidate, -(cross + ent), 1e-9))) {
      return { id: 'elbo-wrong-sign', explanation: 'the ELBO has a wrong sign: it should be Σ q (log p(x, z) − log q)' };
    }
  }
  if (Number.isFinite(candidate) && exact.isFinite() && exactN !== 0) {
    if (near(candidate * Math.LN2, exactN, 1e-9)) return { id: 'wrong-base', explanation: 'off by a factor ln 2: the result is in bits (log base 2); declare base 2 or use natural logarithms' };
    if (near(candidate * Math.LN10, exactN, 1e-9)) return { id: 'wrong-base', explanation: 'off by a factor ln 10: the result uses log base 10; declare base 10 or use natural logarithms' };
  }
  if (fn === 'kl' && Number.isFinite(candidate)) {
    const p = args[0] as V, q = args[1] as V;
    const swapped = ref.kl(q, p).toNumber();
    if (near(candidate, swapped, 1e-9) && !near(candidate, exactN, 1e-9)) {
      return { id: 'swapped-arguments', explanation: 'it computes KL(q‖p): the arguments are swapped' };
    }
    for (const t of [1e-12, 1e-9, 1e-6]) {
      // Only when a positive mass below t exists: dropBelow also renormalises, and renormalising an
      // unnormalised input on its own (mathjs kldivergence does) is not dropping masses.
      if (!p.some((x) => x > 0 && x < t) && !q.some((x) => x > 0 && x < t)) continue;
      const pd = dropBelow(p, t), qd = dropBelow(q, t);
      if (pd.some((x, i) => x !== p[i]) || qd.some((x, i) => x !== q[i])) {
        const v = kernels.kl(pd, qd.map((x, i) => (pd[i]! > 0 && x === 0 ? q[i]! : x)));
        if (near(candidate, v, 1e-6)) return { id: 'dropped-small-masses', explanation: `masses below ${t} are dropped (and the rest renormalised)` };
      }
    }
  }
  if (Number.isFinite(candidate) && exact.isFinite() && exactN !== 0) {
    const rel = Math.abs(candidate - exactN) / Math.abs(exactN);
    if (rel > 2 ** -30 && rel < 2 ** -18) {
      return { id: 'float32-level', explanation: `relative error ${rel.toExponential(2)}: float32-level (u = 2^-24); accumulate in float64 or declare precision float32` };
    }
  }
  return undefined;
}
