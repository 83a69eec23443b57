// Accumulates in float32 (as a Float32Array-based GPU port would).
export const meta = { name: 'gallery: float32 accumulation' };
const f = Math.fround;
export function entropy(p) { let s = 0; for (const x of p) if (x > 0) s = f(s - f(f(x) * f(Math.log(f(x))))); return s; }
export function kl(p, q) { let s = 0; for (let i = 0; i < p.length; i++) if (p[i] > 0) s = f(s + f(f(p[i]) * f(Math.log(f(p[i])) - Math.log(f(q[i]))))); return s; }
