// p·log(p/q): the ratio overflows to +∞ at subnormal q although the exact KL is finite.
export const meta = { name: 'gallery: p/q overflow' };
export function kl(p, q) { let s = 0; for (let i = 0; i < p.length; i++) if (p[i] > 0) s += p[i] * Math.log(p[i] / q[i]); return s; }
export function entropy(p) { let s = 0; for (const x of p) if (x > 0) s += x * Math.log(1 / x); return s; }
