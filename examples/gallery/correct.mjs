// A plain, correct implementation: klcheck must not flag it.
export const meta = { name: 'gallery: plain correct' };
export function kl(p, q) { let s = 0; for (let i = 0; i < p.length; i++) { if (p[i] === 0) continue; if (q[i] === 0) return Infinity; s += p[i] * (Math.log(p[i]) - Math.log(q[i])); } return s; }
export function entropy(p) { let s = 0; for (const x of p) if (x > 0) s -= x * Math.log(x); return s; }
export function crossEntropy(p, q) { let s = 0; for (let i = 0; i < p.length; i++) { if (p[i] === 0) continue; if (q[i] === 0) return Infinity; s -= p[i] * Math.log(q[i]); } return s; }
export function logEvidence(l) { const m = Math.max(...l); if (m === -Infinity) return -Infinity; let s = 0; for (const x of l) s += Math.exp(x - m); return m + Math.log(s); }
export function elbo(l, q) { let s = 0; for (let z = 0; z < q.length; z++) { if (q[z] === 0) continue; if (l[z] === -Infinity) return -Infinity; s += q[z] * (l[z] - Math.log(q[z])); } return s; }
// The Gaussian KL with (μ1 − μ2)/σ2 squared rather than (μ1 − μ2)²/σ2²: the literal textbook form
// overflows once |μ1 − μ2| > 1.3e154 although the KL itself is finite (klcheck reports that as a
// real bug). Subtract first (exact for close means), scale only if the difference overflows.
export function klNormal(m1, s1, m2, s2) {
  const dm = m1 - m2;
  const d = Number.isFinite(dm) ? dm / s2 : m1 / s2 - m2 / s2;
  const r = s1 / s2;
  return Math.log(s2) - Math.log(s1) + 0.5 * (r * r + d * d) - 0.5;
}
