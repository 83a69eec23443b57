// KL(q‖p) where KL(p‖q) was asked: the argument order of the definition is easy to flip.
export const meta = { name: 'gallery: swapped arguments' };
export function kl(p, q) { let s = 0; for (let i = 0; i < p.length; i++) if (q[i] > 0) s += q[i] * (Math.log(q[i]) - (p[i] > 0 ? Math.log(p[i]) : -Infinity)); return s; }
