// Treats masses below 1e-9 as noise: drops them and renormalises.
export const meta = { name: 'gallery: drops masses below 1e-9' };
function clean(v) { const w = v.map((x) => (x < 1e-9 ? 0 : x)); const s = w.reduce((a, b) => a + b, 0); return w.map((x) => x / s); }
export function kl(p, q) { const a = clean(p), b = clean(q); let s = 0; for (let i = 0; i < a.length; i++) if (a[i] > 0) s += a[i] * (Math.log(a[i]) - Math.log(b[i] > 0 ? b[i] : q[i])); return s; }
