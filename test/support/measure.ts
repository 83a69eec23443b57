/**
 * Measures what docs/accuracy.md reports: the kernels' error in ulps against the reference, and
 * the err/bound ratio of every correct and wrong variant under the standard bound.
 *
 *   npx ts-node -T test/support/measure.ts [runsPerClass=2000] [seed=20240601]
 *
 * Prints markdown tables. Deterministic for a given seed.
 */
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import { judge, standardBound, strictApplies, ulpError } from '../../src/numeric/accuracy';
import { toDecimal } from '../../src/numeric/exact';
import { decimalContext } from '../../src/numeric/context';
import { CASE_SETS, exactOf, kernelOf, VECTOR_FNS } from './cases';
import { VARIANTS } from './variants';

const runs = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 20240601);
const W = decimalContext(50);

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fmt(x: number, d = 3): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-2) return x.toExponential(d - 1);
  return x.toPrecision(d);
}

/** err/bound, with ∞ for a wrong infinity or NaN, 0 for a matching infinity. */
function ratio(fn: string, args: unknown[], cand: number, exact: Decimal, index?: number): number {
  const v = judge(fn, args, cand, exact, { index });
  if (!exact.isFinite() || !Number.isFinite(cand) || Number.isNaN(cand)) return v.ok ? 0 : Infinity;
  const b = standardBound(fn, args, 'float64', index);
  if (b === 0) return v.absError === 0 ? 0 : Infinity;
  return new W(exact).minus(toDecimal(cand, W)).abs().toNumber() / b;
}

const samples = new Map<string, unknown[][]>();
for (const set of CASE_SETS) {
  samples.set(`${set.fn}/${set.name}`, fc.sample(set.arb, { seed, numRuns: runs }));
}

console.log(`## kernels (runs per class: ${runs}, seed ${seed})\n`);
console.log('| fn | inputs | cases | max ulps | median ulps | max bits | strict applies | max ulps there | max err/standard bound |');
console.log('|---|---|---|---|---|---|---|---|---|');
const t0 = Date.now();
for (const set of CASE_SETS) {
  const ulps: number[] = [];
  let strictCases = 0;
  let cases = 0;
  let maxStrict = 0;
  let maxR = 0;
  let worst: unknown[] | undefined;
  let worstU = -1;
  for (const args of samples.get(`${set.fn}/${set.name}`)!) {
    let exact: Decimal | Decimal[];
    try {
      exact = exactOf(set.fn, args);
    } catch {
      continue;
    }
    const got = kernelOf(set.fn, args);
    cases++;
    const strict = strictApplies(set.fn, args, Array.isArray(exact) ? undefined : exact);
    if (strict) strictCases++;
    const pairs: Array<[number, Decimal, number | undefined]> = VECTOR_FNS.has(set.fn)
      ? (got as number[]).map((g, i) => [g, (exact as Decimal[])[i]!, i])
      : [[got as number, exact as Decimal, undefined]];
    for (const [g, e, i] of pairs) {
      const u = ulpError(g, e);
      ulps.push(u);
      if (strict) maxStrict = Math.max(maxStrict, u);
      if (!(u <= worstU)) {
        worstU = u;
        worst = args;
      }
      maxR = Math.max(maxR, ratio(set.fn, args, g, e, i));
    }
  }
  const mx = Math.max(...ulps);
  console.log(`| ${set.fn} | ${set.name}${set.exact ? ' (exact Σ=1)' : ''} | ${cases} | ${fmt(mx)} | ${fmt(median(ulps))} | ${fmt(Math.log2(mx + 1))} | ${strictCases} | ${strictCases ? fmt(maxStrict) : '–'} | ${fmt(maxR)} |`);
  if (process.env.SHOW_WORST && worstU > 2) console.log('   worst:', JSON.stringify(worst));
}
console.error(`kernels: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

console.log('\n## variants under the standard bound\n');
console.log('| fn | variant | kind | cases | failing | max err/bound | max finite err/bound | worst class |');
console.log('|---|---|---|---|---|---|---|---|');
for (const v of VARIANTS) {
  let cases = 0;
  let failing = 0;
  let maxR = 0;
  let maxFinite = 0;
  let worstSet = '';
  let worstArgs: unknown[] | undefined;
  for (const set of CASE_SETS.filter((s) => s.fn === v.fn)) {
    for (const args of samples.get(`${set.fn}/${set.name}`)!) {
      if (v.kind === 'correct' && v.domain && !v.domain(args)) continue;
      let exact: Decimal | Decimal[];
      try {
        exact = exactOf(v.fn, args);
      } catch {
        continue;
      }
      cases++;
      const got = v.impl(...args);
      let r = 0;
      if (VECTOR_FNS.has(v.fn)) {
        (got as number[]).forEach((g, i) => {
          r = Math.max(r, ratio(v.fn, args, g, (exact as Decimal[])[i]!, i));
        });
      } else {
        r = ratio(v.fn, args, got as number, exact as Decimal);
      }
      if (r > 1 || Number.isNaN(r)) failing++;
      if (Number.isFinite(r)) maxFinite = Math.max(maxFinite, r);
      if (r > maxR || Number.isNaN(r)) {
        maxR = r;
        worstSet = set.name;
        worstArgs = args;
      }
    }
  }
  console.log(`| ${v.fn} | ${v.name} | ${v.kind} | ${cases} | ${failing} (${((100 * failing) / Math.max(1, cases)).toFixed(1)}%) | ${fmt(maxR)} | ${fmt(maxFinite)} | ${worstSet} |`);
  if (process.env.SHOW_WORST && v.kind === 'correct' && maxR > 0.5) console.log('   worst:', JSON.stringify(worstArgs));
}
console.error(`total: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
