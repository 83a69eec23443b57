/**
 * `npm run bench`: figures with medians and spreads over repeated runs, and ratios to baselines
 * measured in the same run (the machines are noisy: quote medians and ratios, not single timings).
 *
 * Baselines: decimal.js's own `ln` (one per category is what a naive reference would cost), and
 * the naive float64 loop Σ p·log(p/q). Writes reports/bench.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Decimal from 'decimal.js';
import * as ref from '../src/reference';
import * as kernels from '../src/kernels';
import { Figure, measure, printTable, randomDistribution, rng } from './measure';
import { mainJobFigure, memoryFigure, mpmathFigure, slowClassFigures, theoremThroughput, valueProcessFigures } from './suite';

export { rng, randomDistribution, measure, printTable } from './measure';
export type { Figure } from './measure';

export async function runBench(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write('usage: npm run bench [-- --quick]\n  Measures the reference and the kernels against same-run baselines; writes reports/bench.json.\n');
    return 0;
  }
  const quick = argv.includes('--quick');
  const R = quick ? 5 : 21;
  const r = rng(20261123);
  const figures: Figure[] = [];
  const n = 1000;
  const p = randomDistribution(n, r), q = randomDistribution(n, r);
  // Warm the JIT and the lazily built tables of every precision measured below.
  for (let i = 0; i < 3; i++) for (const digits of [20, 40, 100, 200]) ref.kl(p, q, { digits });

  // Baseline: decimal.js ln at 40 digits, one call per category (on the exact inputs).
  const D40 = Decimal.clone({ precision: 40 });
  const sample = p.slice(0, quick ? 50 : 200).map((x) => new D40(x));
  const lnBase = measure('decimal.js ln, 40 digits', 'µs/call', sample.length, R, () => { for (const x of sample) x.ln(); });
  figures.push(lnBase);

  // Baseline: mpmath at 40 digits on the same inputs (python3), when available.
  const mp = mpmathFigure(p, q, 40, quick ? 3 : 7);
  if (mp) figures.push(mp);

  for (const digits of [20, 40, 100, 200]) {
    const f = measure(`reference kl, n=${n}, ${digits} digits`, 'µs/category', n, R, () => { ref.kl(p, q, { digits }); });
    if (digits === 40) {
      f.ratio = { to: 'faster than decimal.js ln per category', value: lnBase.median / f.median };
      f.note = `target ≤ 5 µs/category (issue 6)${mp ? `; ${(mp.median / f.median).toFixed(1)}× faster than mpmath` : ''}`;
    }
    figures.push(f);
  }
  for (const size of quick ? [10, 100, 10000] : [10, 100, 10000, 100000]) {
    const a = randomDistribution(size, r), b = randomDistribution(size, r);
    figures.push(measure(`reference kl, n=${size}, 40 digits`, 'µs/category', size, size >= 10000 ? Math.min(R, 3) : R, () => { ref.kl(a, b); }));
  }
  const ent = measure(`reference entropy, n=${n}, 40 digits`, 'µs/category', n, R, () => { ref.entropy(p); });
  ent.note = 'target ≤ 5 µs/category (issue 6)';
  figures.push(ent);
  const ce = measure(`reference crossEntropy, n=${n}, 40 digits`, 'µs/category', n, R, () => { ref.crossEntropy(p, q); });
  ce.note = 'target ≤ 5 µs/category (issue 6)';
  figures.push(ce);
  // Near-equal pair: exact kl ~1e-30 of O(1) terms; the evaluator refines precision.
  const near = p.map((x, i) => x * (1 + ((i % 7) - 3) * 1e-15));
  figures.push(measure(`reference kl, near-equal pair, n=${n}`, 'µs/category', n, R, () => { ref.kl(p, near); }));
  const lj = Array.from({ length: n }, () => -1000 - 50 * r());
  for (const [name, fn] of [['logEvidence', () => ref.logEvidence(lj)], ['elbo', () => ref.elbo(lj, q)]] as const) {
    const f = measure(`reference ${name}, n=${n}, 40 digits`, 'µs/latent', n, R, () => { fn(); });
    f.note = 'target ≤ 10 µs/latent value (issue 6)';
    figures.push(f);
  }

  // Float64 kernels against the naive loops Σ p·log(p/q) and −Σ p·log p, same inputs, same run. The
  // naive loop and the kernel alternate repeat by repeat (a busy machine slows both alike), and
  // each repeat runs the function `inner` times. Target (issue 6): kernel ≤ 2× the naive loop.
  const naiveKl = (a: number[], b: number[]): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) if (a[i]! > 0) s += a[i]! * Math.log(a[i]! / b[i]!);
    return s;
  };
  const naiveEntropy = (a: number[]): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) if (a[i]! > 0) s -= a[i]! * Math.log(a[i]!);
    return s;
  };
  const alternate = (names: [string, string], units: number, reps: number, fs: [() => void, () => void]): [Figure, Figure] => {
    for (let i = 0; i < 2; i++) for (const f of fs) f(); // warm-up
    const xs: [number[], number[]] = [[], []];
    for (let i = 0; i < reps; i++) {
      for (let j = 0; j < 2; j++) {
        const t0 = process.hrtime.bigint();
        fs[j]!();
        xs[j]!.push(Number(process.hrtime.bigint() - t0) / 1000 / units);
      }
    }
    return [0, 1].map((j) => {
      const v = [...xs[j]!].sort((x, y) => x - y);
      return { name: names[j]!, unit: 'ns/category', median: v[Math.floor(v.length / 2)]!, min: v[0]!, max: v[v.length - 1]!, repeats: reps };
    }) as [Figure, Figure];
  };
  for (const size of [1000, 1_000_000]) {
    const a = randomDistribution(size, r), b = randomDistribution(size, r);
    const big = size >= 1_000_000;
    const reps = big ? (quick ? 3 : 7) : (quick ? 7 : 21);
    const inner = big ? 1 : 200;
    const units = size * inner / 1000;
    let sink = 0;
    const [naive, ours] = alternate([`naive float64 kl loop, n=${size}`, `kernel kl, n=${size}`], units, reps, [
      () => { for (let k = 0; k < inner; k++) sink += naiveKl(a, b); },
      () => { for (let k = 0; k < inner; k++) sink += kernels.kl(a, b); },
    ]);
    ours.ratio = { to: 'the naive loop', value: ours.median / naive.median };
    ours.note = 'target ≤ 2× (issue 6)';
    const [naiveH, oursH] = alternate([`naive float64 entropy loop, n=${size}`, `kernel entropy, n=${size}`], units, reps, [
      () => { for (let k = 0; k < inner; k++) sink += naiveEntropy(a); },
      () => { for (let k = 0; k < inner; k++) sink += kernels.entropy(a); },
    ]);
    oursH.ratio = { to: 'the naive loop', value: oursH.median / naiveH.median };
    if (!Number.isFinite(sink)) process.stdout.write('');
    figures.push(naive, ours, naiveH, oursH);
  }

  // The slowest input classes of the reference, against ordinary inputs of the same functions.
  figures.push(...slowClassFigures(measure, R));
  figures.push(...(valueProcessFigures(quick ? 1 : 3) ?? []));

  // The suite: throughput per theorem, the main job's wall time, memory at 10^5 categories.
  figures.push(...await theoremThroughput(200, quick ? 1 : 3));
  figures.push(memoryFigure(100000, quick ? 1 : 3));
  figures.push(mainJobFigure(1, quick ? 1 : 3));
  if (!quick) figures.push(mainJobFigure(2, 3));

  printTable(figures, process.stdout);
  const file = path.join(__dirname, '..', 'reports', 'bench.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ node: process.version, date: new Date().toISOString(), quick, figures }, null, 2)}\n`);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), file)}\n`);
  return 0;
}
