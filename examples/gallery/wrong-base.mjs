// Bits instead of nats, without saying so (meta.base would make it correct).
export const meta = { name: 'gallery: log base 2' };
export function kl(p, q) { let s = 0; for (let i = 0; i < p.length; i++) if (p[i] > 0) s += p[i] * (Math.log2(p[i]) - Math.log2(q[i])); return s; }
export function entropy(p) { let s = 0; for (const x of p) if (x > 0) s -= x * Math.log2(x); return s; }
