/**
 * The parts of `npm run bench` beyond single functions: the mpmath baseline (same inputs, same run),
 * the peak memory of checking 10^5-category distributions, the suite's throughput per theorem, and
 * the wall time of the main job (`npm run klcheck`) with one and two workers, and the reference's
 * slowest input classes against ordinary inputs.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Figure } from './measure';
import { kernels } from '../src/kernels';
import * as ref from '../src/reference';
import { runTheorems } from '../src/harness/theorems';
import { THEOREMS } from '../properties';

const ROOT = path.join(__dirname, '..');

function summarise(name: string, unit: string, xs: number[], note?: string): Figure {
  const s = [...xs].sort((a, b) => a - b);
  return { name, unit, median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]!, repeats: s.length, ...(note ? { note } : {}) };
}

/** mpmath's exact-input kl at `digits` on the same p, q (bench/mpmath_kl.py); null when python3/mpmath is missing. */
export function mpmathFigure(p: number[], q: number[], digits: number, repeats: number): Figure | null {
  const r = spawnSync('python3', [path.join(__dirname, 'mpmath_kl.py')], { input: JSON.stringify({ p, q, digits, repeats }), encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return null;
  const out = JSON.parse(r.stdout) as { us_per_category: number[] };
  return summarise(`mpmath kl (exact inputs), n=${p.length}, ${digits} digits`, 'µs/category', out.us_per_category, 'python3 mpmath, same inputs');
}

/** Peak RSS of one agreement check of kl and entropy at n categories, in a fresh process (bench/memory-probe.ts). */
export function memoryFigure(n: number, repeats: number): Figure {
  const xs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'memory-probe.ts'), String(n)], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`memory probe failed: ${r.stderr}`);
    const o = JSON.parse(r.stdout) as { maxRssMB: number; ok: boolean };
    if (!o.ok) throw new Error('memory probe: the kernels disagree with the reference');
    xs.push(o.maxRssMB);
  }
  return summarise(`peak memory, checking kl and entropy at n=${n}`, 'MB', xs, 'target < 500 MB (issue 6)');
}

/** Checked instances per second of each theorem's float64 check on the built-in kernels (median over repeats). */
export async function theoremThroughput(runs: number, repeats: number): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const th of THEOREMS) {
    const xs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = process.hrtime.bigint();
      const [r] = await runTheorems(kernels, [th], { seed: 20261123 + i, runs, mode: 'strict' });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r!.status !== 'passed') throw new Error(`${th.id}: ${r!.message}`);
      xs.push(r!.runs / s);
    }
    out.push(summarise(`theorem ${th.id} on the kernels`, 'instances/s', xs));
  }
  return out;
}

/** Wall time of the main job (`node bin/klcheck.js`, default runs) in a fresh process. */
export function mainJobFigure(workers: number, repeats: number): Figure {
  const xs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'klcheck.js'), '--no-progress', '--workers', String(workers)], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`main job failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
    xs.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return summarise(`main job (npm run klcheck), ${workers} worker${workers > 1 ? 's' : ''}`, 's', xs, 'target ≤ 30 s (issue 6)');
}

/**
 * The slowest input classes of the reference, each against an ordinary input of the same function
 * in the same run (issue 11: no valid input may take minutes). `measure` is bench.ts's timer.
 */
export function slowClassFigures(
  measure: (name: string, unit: string, units: number, repeats: number, fn: () => void) => Figure,
  repeats: number,
): Figure[] {
  const out: Figure[] = [];
  const pairUp = (fn: string, ordinary: () => unknown, cases: [string, () => unknown][]) => {
    const base = measure(`reference ${fn}, ordinary input`, 'µs/call', 1, repeats, () => { ordinary(); });
    out.push(base);
    for (const [label, f] of cases) {
      const fig = measure(`reference ${fn}, ${label}`, 'µs/call', 1, repeats, () => { f(); });
      fig.ratio = { to: 'the ordinary input', value: fig.median / base.median };
      fig.note = 'slow input class';
      out.push(fig);
    }
  };
  const ordinaryLj = [-3.2, -1.5, -7.25, -0.5];
  for (const fn of ['logEvidence', 'posterior'] as const) {
    const f = ref[fn] as (l: number[]) => unknown;
    pairUp(fn, () => f(ordinaryLj), [
      ['gap 1e5', () => f([0, -1e5])],
      ['gaps 1e6 and 1e6 + 0.5', () => f([0, -1e6, -1e6 - 0.5])],
      ['gap 4.9e15, positive top', () => f([800, 800 - 4.9e15, 799])],
    ]);
  }
  pairUp('elbo', () => ref.elbo(ordinaryLj, [0.25, 0.25, 0.25, 0.25]), [
    ['log joints 0 and −1e15', () => ref.elbo([0, -1e15], [0.5, 0.5])],
  ]);
  pairUp('klNormal', () => ref.klNormal(0.1, 1.5, -0.3, 0.75), [
    ['σ 1e-300 vs 1e300, mean gap 1e300', () => ref.klNormal(0, 1e-300, 1e300, 1e300)],
    ['σ 1e300 vs 1e-300', () => ref.klNormal(1e300, 1e300, -1e300, 1e-300)],
  ]);
  pairUp('crossEntropy', () => ref.crossEntropy([0.25, 0.75], [0.5, 0.5]), [
    ['subnormal q (H ≈ 744)', () => ref.crossEntropy([0.5, 0.5], [5e-324, 1 - 5e-324])],
    ['masses 1e300 against 1e-300', () => ref.crossEntropy([1e300, 1e300], [1e-300, 1e-300])],
  ]);
  return out;
}

/**
 * CPU seconds (user + system, via /usr/bin/time) of `klcheck value` as a whole process, on the slowest
 * input class against an ordinary input: what a user waits for. Null where /usr/bin/time is missing.
 */
export function valueProcessFigures(repeats: number): Figure[] | null {
  const cpu = (args: string[]): number | null => {
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, path.join(ROOT, 'bin', 'klcheck.js'), 'value', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) return null;
    const m = /([\d.]+) ([\d.]+)\s*$/.exec(r.stderr.trim());
    return m ? Number(m[1]) + Number(m[2]) : null;
  };
  const runs = (args: string[]): number[] | null => {
    const xs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const c = cpu(args);
      if (c === null) return null;
      xs.push(c);
    }
    return xs;
  };
  const base = runs(['kl', '[[0.5,0.5],[0.1,0.9]]']);
  const slow = runs(['logEvidence', '[[0,-1e5]]']);
  if (!base || !slow) return null;
  const b = summarise("process: klcheck value kl '[[0.5,0.5],[0.1,0.9]]'", 'CPU s', base);
  const s = summarise("process: klcheck value logEvidence '[[0,-1e5]]'", 'CPU s', slow, 'was ~150 CPU s before issue 11');
  s.ratio = { to: 'the ordinary value', value: s.median / b.median };
  return [b, s];
}
