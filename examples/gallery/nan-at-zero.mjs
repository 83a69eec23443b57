// Missing 0·log 0 = 0: NaN as soon as some p_i is 0 (mathjs and ml-distance style).
export const meta = { name: 'gallery: NaN at zero mass' };
export function kl(p, q) { let s = 0; for (let i = 0; i < p.length; i++) s += p[i] * Math.log(p[i] / q[i]); return s; }
