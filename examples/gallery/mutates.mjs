// Normalises its argument in place: callers' arrays change under their feet.
export const meta = { name: 'gallery: mutates its input' };
export function entropy(p) { const s0 = p.reduce((a, b) => a + b, 0); for (let i = 0; i < p.length; i++) p[i] /= s0; let s = 0; for (const x of p) if (x > 0) s -= x * Math.log(x); return s; }
