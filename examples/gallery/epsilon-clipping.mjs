// Clips q at ε = 1e-12 "for numerical stability": finite where KL is +∞, and wrong at tiny q.
export const meta = { name: 'gallery: ε-clipping' };
export function kl(p, q) { let s = 0; for (let i = 0; i < p.length; i++) if (p[i] > 0) s += p[i] * Math.log(p[i] / Math.max(q[i], 1e-12)); return s; }
