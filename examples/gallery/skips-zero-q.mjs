// "Guards" against log(0) by skipping q_i = 0 terms: finite KL under support mismatch.
export const meta = { name: 'gallery: skips q_i = 0' };
export function kl(p, q) { let s = 0; for (let i = 0; i < p.length; i++) if (p[i] > 0 && q[i] > 0) s += p[i] * Math.log(p[i] / q[i]); return s; }
