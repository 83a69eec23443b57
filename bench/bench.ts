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

export interface Figure {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  repeats: number;
  ratio?: { to: string; value: number };
  note?: string;
}

/** Seeded uniform generator (mulberry32), so every run benches the same inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Dirichlet(1)-like float-normalised distribution of n categories. */
export function randomDistribution(n: number, r: () => number): number[] {
  const w = Array.from({ length: n }, () => -Math.log(1 - r()));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}

/** Median of per-repeat timings (in µs per unit of work) of `fn`, after one warm-up call. */
export function measure(name: string, unit: string, units: number, repeats: number, fn: () => void): Figure {
  fn();
  const xs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    xs.push(Number(process.hrtime.bigint() - t0) / 1000 / units);
  }
  xs.sort((a, b) => a - b);
  return { name, unit, median: xs[Math.floor(xs.length / 2)]!, min: xs[0]!, max: xs[xs.length - 1]!, repeats };
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

export function printTable(figures: Figure[], out: NodeJS.WritableStream): void {
  const rows = figures.map((f) => [f.name, `${fmt(f.median)} ${f.unit}`, `${fmt(f.min)}–${fmt(f.max)}`, f.ratio ? `${fmt(f.ratio.value)}× ${f.ratio.to}` : '', f.note ?? '']);
  const head = ['figure', 'median', 'spread (min–max)', 'ratio', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  out.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows) out.write(`${line(r)}\n`);
}

export async function runBench(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write('usage: npm run bench [-- --quick]\n  Measures the reference and the kernels against same-run baselines; writes reports/bench.json.\n');
    return 0;
  }
  const quick = argv.includes('--quick');
  const R = quick ? 3 : 9;
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

  for (const digits of [20, 40, 100, 200]) {
    const f = measure(`reference kl, n=${n}, ${digits} digits`, 'µs/category', n, R, () => { ref.kl(p, q, { digits }); });
    if (digits === 40) f.ratio = { to: 'faster than decimal.js ln per category', value: lnBase.median / f.median };
    if (digits === 40) f.note = 'target ≤ 25 µs/category (issue 2)';
    figures.push(f);
  }
  for (const size of [10, 100, 10000]) {
    const a = randomDistribution(size, r), b = randomDistribution(size, r);
    figures.push(measure(`reference kl, n=${size}, 40 digits`, 'µs/category', size, size >= 10000 ? Math.min(R, 3) : R, () => { ref.kl(a, b); }));
  }
  figures.push(measure(`reference entropy, n=${n}, 40 digits`, 'µs/category', n, R, () => { ref.entropy(p); }));
  // Near-equal pair: exact kl ~1e-30 of O(1) terms; the evaluator refines precision.
  const near = p.map((x, i) => x * (1 + ((i % 7) - 3) * 1e-15));
  figures.push(measure(`reference kl, near-equal pair, n=${n}`, 'µs/category', n, R, () => { ref.kl(p, near); }));
  const lj = Array.from({ length: n }, () => -1000 - 50 * r());
  figures.push(measure(`reference logEvidence, n=${n}, 40 digits`, 'µs/latent', n, R, () => { ref.logEvidence(lj); }));
  figures.push(measure(`reference elbo, n=${n}, 40 digits`, 'µs/latent', n, R, () => { ref.elbo(lj, q); }));

  // Float64 kernels against the naive loop Σ p·log(p/q), same inputs, same run.
  const naiveKl = (a: number[], b: number[]): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) if (a[i]! > 0) s += a[i]! * Math.log(a[i]! / b[i]!);
    return s;
  };
  for (const size of quick ? [1000] : [1000, 1_000_000]) {
    const a = randomDistribution(size, r), b = randomDistribution(size, r);
    const reps = size >= 1_000_000 ? Math.min(R, 5) : R;
    const inner = size >= 1_000_000 ? 1 : 200;
    let sink = 0;
    const naive = measure(`naive float64 kl loop, n=${size}`, 'ns/category', size * inner / 1000, reps, () => { for (let k = 0; k < inner; k++) sink += naiveKl(a, b); });
    const ours = measure(`kernel kl (≤ 0.5 ulp), n=${size}`, 'ns/category', size * inner / 1000, reps, () => { for (let k = 0; k < inner; k++) sink += kernels.kl(a, b); });
    ours.ratio = { to: 'the naive loop', value: ours.median / naive.median };
    if (!Number.isFinite(sink)) process.stdout.write('');
    figures.push(naive, ours);
  }

  printTable(figures, process.stdout);
  const file = path.join(__dirname, '..', 'reports', 'bench.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ node: process.version, date: new Date().toISOString(), quick, figures }, null, 2)}\n`);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), file)}\n`);
  return 0;
}
