// Two classic ELBO mistakes: no log-sum-exp in the evidence, and a forgotten entropy term.
export const meta = { name: 'gallery: ELBO without entropy, evidence without log-sum-exp' };
export function logEvidence(l) { return Math.log(l.reduce((s, x) => s + Math.exp(x), 0)); }
export function elbo(l, q) { let s = 0; for (let z = 0; z < q.length; z++) if (q[z] > 0) s += q[z] * l[z]; return s; }
