/**
 * Wrong implementations that sit in corners the generators used to reach rarely or never (issue 11).
 * Each is a plausible way of writing the function; test/corner-bugs.test.ts asserts the agreement
 * run catches it at the default run count.
 */

/** generalizedKl without its −p + q terms: right only when Σp = Σq (e.g. two distributions). */
export function generalizedKlDroppingMasses(p: number[], q: number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (pi === 0) continue;
    if (qi === 0) return Infinity;
    s += pi * (Math.log(pi) - Math.log(qi));
  }
  return s;
}

/**
 * log-sum-exp shifted by min(0, max l): right for log joints ≤ 0 (the usual case, and the only one
 * the generators drew before issue 11), +∞ once some l_z > 709.78 (e.g. [800, 799]).
 */
export function logEvidenceNoShift(l: number[]): number {
  let m = -Infinity;
  for (const x of l) if (x > m) m = x;
  if (m === -Infinity) return -Infinity;
  m = Math.min(0, m);
  let s = 0;
  for (const x of l) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** −log Π q_i^{p_i}: one log of a product, which underflows to 0 (→ +∞) once H(p, q) > ~708. */
export function crossEntropyProductForm(p: number[], q: number[]): number {
  let prod = 1;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) prod *= q[i]! ** p[i]!;
  return -Math.log(prod);
}

/** The textbook Gaussian KL with σ² and (μ1 − μ2)² formed as squares: they overflow beyond ~1.3e154. */
export function klNormalSquares(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  return Math.log(sigma2 / sigma1) + (sigma1 ** 2 + (mu1 - mu2) ** 2) / (2 * sigma2 ** 2) - 0.5;
}

/** Σ p·(log p − log q) summed in a random order: three different answers for one input. */
export function klRandomOrder(p: number[], q: number[]): number {
  const idx = p.map((_, i) => i).sort(() => Math.random() - 0.5);
  let s = 0;
  for (const i of idx) {
    const pi = p[i]!;
    if (pi === 0) continue;
    if (q[i] === 0) return Infinity;
    s += pi * (Math.log(pi) - Math.log(q[i]!));
  }
  return s;
}
