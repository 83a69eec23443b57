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
