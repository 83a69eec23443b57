/**
 * The bench's measuring tools: the figure model, a seeded generator and inputs, the timing loop
 * (medians over repeats, after warm-up) and the table printer. bench/bench.ts (the runner) and
 * bench/suite.ts (the process-level figures) both use them; neither imports the other's
 * measurements back.
 */
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

/** Median of per-repeat timings (in µs per unit of work) of `fn`, after warm-up calls (JIT, lazily built tables). */
export function measure(name: string, unit: string, units: number, repeats: number, fn: () => void): Figure {
  for (let i = 0; i < Math.min(3, repeats); i++) fn();
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
