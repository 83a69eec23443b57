/**
 * The parts of `npm run bench` beyond single functions: the mpmath baseline (same inputs, same run),
 * the peak memory of checking 10^5-category distributions, the suite's throughput per theorem, and
 * the wall time of the main job (`npm run klcheck`) with one and two workers.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Figure } from './bench';
import { kernels } from '../src/kernels';
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
