/**
 * Wrong implementations whose counterexample alone suggests the wrong cause (issue 11): each was
 * labelled with a cause it does not have when diagnoses were made from the counterexample alone.
 * Plain in-process candidates (name → function); test/diagnose-probes.test.ts runs them.
 */
type V = readonly number[];

/** The correct kl (0·log 0 = 0, +∞ under mismatch), written term by term as log p − log q. */
function klRight(p: V, q: V): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! === 0) continue;
    if (q[i]! === 0) return Infinity;
    s += p[i]! * (Math.log(p[i]!) - Math.log(q[i]!));
  }
  return s;
}

const MIN_NORMAL = 2.2250738585072014e-308;
const ftz = (v: V) => v.map((x) => (x < MIN_NORMAL ? 0 : x));

export const variants = {
  /** Flushes subnormal inputs to zero (FTZ/DAZ), then correct: +∞ wherever a subnormal q_i has p_i > 0. Was `overflow-at-tiny-mass`. */
  flushToZero: { kl: (p: V, q: V) => klRight(ftz(p), ftz(q)) },
  /** A cross-call state bug: every third call on an input with a zero mass answers NaN. Was `nan-at-zero`. */
  stateful: (() => {
    let n = 0;
    return { kl: (p: V, q: V) => (p.includes(0) && ++n % 3 === 0 ? NaN : klRight(p, q)) };
  })(),
  /** numpy-style `allclose(p, q)` early return of 0 (atol 1e-8, rtol 1e-5). Was `dropped-small-masses`. */
  allclose: { kl: (p: V, q: V) => (p.every((x, i) => Math.abs(x - q[i]!) <= 1e-8 + 1e-5 * Math.abs(q[i]!)) ? 0 : klRight(p, q)) },
  /** Checks the support only at the first and last entries; elsewhere it skips q_i = 0 terms. Was `finite-under-mismatch` with a guessed cause. */
  endsOnly: {
    kl: (p: V, q: V) => {
      const n = p.length;
      if ((p[0]! > 0 && q[0] === 0) || (p[n - 1]! > 0 && q[n - 1] === 0)) return Infinity;
      let s = 0;
      for (let i = 0; i < n; i++) if (p[i]! > 0 && q[i]! > 0) s += p[i]! * Math.log(p[i]! / q[i]!);
      return s;
    },
  },
  /** q clipped at ε = 1e-12 in kl and in crossEntropy. Was `epsilon-clipping` from one and `finite-under-mismatch` from the other. */
  epsilonBoth: {
    kl: (p: V, q: V) => { let s = 0; for (let i = 0; i < p.length; i++) if (p[i]! > 0) s += p[i]! * Math.log(p[i]! / Math.max(q[i]!, 1e-12)); return s; },
    crossEntropy: (p: V, q: V) => { let s = 0; for (let i = 0; i < p.length; i++) if (p[i]! > 0) s -= p[i]! * Math.log(Math.max(q[i]!, 1e-12)); return s; },
  },
  /** numpy: `np.sum(p[q > 0] * np.log(p[q > 0] / q[q > 0]))` — q > 0 masked. Was `skips-zero-q` and, once, `swapped-arguments`. */
  masksQ: { kl: (p: V, q: V) => { let s = 0; for (let i = 0; i < p.length; i++) if (q[i]! > 0 && p[i]! > 0) s += p[i]! * Math.log(p[i]! / q[i]!); return s; } },
  /** A long-vector path with a bug of relative size 2e-7 (n ≥ 8), exact on short vectors. Was `float32-level`. */
  longPath: { kl: (p: V, q: V) => (p.length >= 8 ? klRight(p, q) * (1 + 2e-7) : klRight(p, q)) },
};
