/**
 * Coverage, measured: draw N values of each default arbitrary with a fixed seed, classify each
 * along several dimensions, and compare every class's frequency with the minimum stated here.
 * The test suite asserts the minima (test/generators.test.ts); `klcheck generators --stats`
 * prints the same table; docs/generators.md quotes it.
 */
import fc from 'fast-check';
import { anyPair } from './anyPair';
import {
  LENGTH_BUCKETS,
  MIN_POSITIVE_BUCKETS,
  hasSubnormal,
  hasZero,
  klFinite,
  lengthBucket,
  minPositiveBucket,
  ratioOverflows,
  shapeOf,
  sumsExactlyToOne,
} from './classify';
import { DISTRIBUTION_SHAPES, distribution } from './distribution';
import { GAUSSIAN_RELATIONS, gaussianPair } from './gaussianPair';
import { INVALID_TARGETS, invalidInput } from './invalidInput';
import { LATENT_KINDS, LATENT_SHAPES, latentModel } from './latentModel';
import { PAIR_RELATIONS } from './pair';
import { UNNORMALIZED_SHAPES, unnormalized } from './unnormalized';
import { accurateSum } from './_internal/exact';

/** Seed of the published coverage table. */
export const DEFAULT_STATS_SEED = 42;
/** Draws per arbitrary of the published coverage table. */
export const DEFAULT_STATS_COUNT = 10000;

/** A dimension: its ordered classes, each with the minimum frequency (0..1) it must reach. */
export interface Dimension<T> {
  name: string;
  classify: (value: T) => string;
  /** Class → minimum frequency over the default draws. Classes not listed have no minimum. */
  min: Readonly<Record<string, number>>;
}

export interface CoverageSpec<T> {
  /** How the arbitrary is called, e.g. `distribution()`. */
  name: string;
  arbitrary: () => fc.Arbitrary<T>;
  dimensions: Dimension<T>[];
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');
const all = (classes: readonly string[], f: number): Record<string, number> =>
  Object.fromEntries(classes.map((c) => [c, f]));

/** Sum buckets of unnormalized vectors. */
function sumBucket(v: readonly number[]): string {
  const s = accurateSum(v);
  if (s === 0) return '0';
  if (s < 1e-100) return '(0, 1e-100)';
  if (s < 1) return '[1e-100, 1)';
  if (s <= 1e100) return '(1, 1e100]';
  return '> 1e100';
}

function sigmaRatioBucket(r: number): string {
  if (r === 1) return '= 1';
  if (Math.abs(r - 1) < 1e-6) return '1 ± 1e-6';
  if (r >= 1e20 || r <= 1e-20) return '≥ 1e20 or ≤ 1e-20';
  return 'other';
}

/**
 * The coverage specification: the default arbitraries, their dimensions, and the minimum
 * frequency of each class (set at roughly 60% of the measured frequency with the default seed,
 * so that a regression in a recipe shows, but not a change of seed).
 */
export const COVERAGE: readonly CoverageSpec<any>[] = [
  {
    name: 'distribution()',
    arbitrary: () => distribution(),
    dimensions: [
      {
        name: 'shape',
        classify: (p: number[]) => shapeOf(p) ?? '?',
        min: { dirichlet: 0.1, sparse: 0.08, 'one-hot': 0.025, 'near-uniform': 0.05, 'heavy-tailed': 0.07, tiny: 0.09, dyadic: 0.08, float: 0.06 },
      },
      {
        name: 'n',
        classify: (p: number[]) => lengthBucket(p.length),
        min: { '1': 0.03, '2': 0.06, '3-4': 0.12, '5-16': 0.16, '17-64': 0.1, '65-256': 0.05, '257+': 0.01 },
      },
      {
        name: 'smallest positive entry',
        classify: (p: number[]) => minPositiveBucket(p),
        min: { '>=1e-3': 0.3, '1e-16..1e-3': 0.18, '2^-1022..1e-16': 0.02, subnormal: 0.07 },
      },
      { name: 'has zero', classify: (p: number[]) => yesNo(hasZero(p)), min: { yes: 0.12, no: 0.5 } },
      { name: 'has subnormal', classify: (p: number[]) => yesNo(hasSubnormal(p)), min: { yes: 0.05, no: 0.5 } },
      { name: 'sums exactly to 1', classify: (p: number[]) => yesNo(sumsExactlyToOne(p)), min: { yes: 0.3, no: 0.3 } },
    ],
  },
  {
    name: 'anyPair()',
    arbitrary: () => anyPair(),
    dimensions: [
      {
        name: 'relation',
        classify: (x: { relation: string }) => x.relation,
        min: { ...all(PAIR_RELATIONS, 0.05), 'near-mismatch': 0.1 },
      },
      {
        name: 'n',
        classify: (x: { p: number[] }) => lengthBucket(x.p.length),
        min: { '1': 0.01, '2': 0.05, '3-4': 0.1, '5-16': 0.2, '17-64': 0.12, '65-256': 0.05, '257+': 0.01 },
      },
      {
        name: 'smallest positive entry',
        classify: (x: { p: number[]; q: number[] }) => minPositiveBucket(x.p, x.q),
        min: { '>=1e-3': 0.15, '1e-16..1e-3': 0.3, '2^-1022..1e-16': 0.008, subnormal: 0.12 },
      },
      {
        name: 'has subnormal',
        classify: (x: { p: number[]; q: number[] }) => yesNo(hasSubnormal(x.p) || hasSubnormal(x.q)),
        min: { yes: 0.12, no: 0.5 },
      },
      {
        name: 'both sum exactly to 1',
        classify: (x: { p: number[]; q: number[] }) => yesNo(sumsExactlyToOne(x.p) && sumsExactlyToOne(x.q)),
        min: { yes: 0.3, no: 0.3 },
      },
      {
        name: 'some p_i/q_i overflows',
        classify: (x: { p: number[]; q: number[] }) => yesNo(ratioOverflows(x.p, x.q)),
        min: { yes: 0.1, no: 0.5 },
      },
      {
        name: 'kl(p‖q) finite',
        classify: (x: { p: number[]; q: number[] }) => yesNo(klFinite(x.p, x.q)),
        min: { yes: 0.4, no: 0.2 },
      },
    ],
  },
  {
    name: 'unnormalized()',
    arbitrary: () => unnormalized(),
    dimensions: [
      { name: 'shape', classify: (v: number[]) => shapeOf(v) ?? '?', min: { counts: 0.25, scaled: 0.3, zero: 0.05 } },
      {
        name: 'sum',
        classify: sumBucket,
        min: { '0': 0.05, '(0, 1e-100)': 0.1, '[1e-100, 1)': 0.01, '(1, 1e100]': 0.3, '> 1e100': 0.1 },
      },
      { name: 'n', classify: (v: number[]) => lengthBucket(v.length), min: { '1': 0.03, '3-4': 0.1, '17-64': 0.1, '257+': 0.005 } },
    ],
  },
  {
    name: 'latentModel()',
    arbitrary: () => latentModel(),
    dimensions: [
      { name: 'shape', classify: (m: { shape: string }) => m.shape, min: { ...all(LATENT_SHAPES, 0.15), 'near-5000': 0.11, positive: 0.07, 'huge-gap': 0.11 } },
      { name: 'kind', classify: (m: { kind: string }) => m.kind, min: { posterior: 0.2, zeros: 0.12, 'extra-mass': 0.12, independent: 0.15 } },
      {
        name: 'n',
        classify: (m: { logJoint: number[] }) => lengthBucket(m.logJoint.length),
        min: { '1': 0.01, '2': 0.05, '3-4': 0.1, '5-16': 0.2, '17-64': 0.1 },
      },
      {
        name: 'has −∞',
        classify: (m: { logJoint: number[] }) => yesNo(m.logJoint.includes(-Infinity)),
        min: { yes: 0.3, no: 0.25 },
      },
      {
        name: 'every exp(logJoint) underflows',
        classify: (m: { logJoint: number[] }) => yesNo(Math.max(...m.logJoint) < -745.2),
        min: { yes: 0.35, no: 0.2 },
      },
      { name: 'q has zeros', classify: (m: { q: number[] }) => yesNo(hasZero(m.q)), min: { yes: 0.35, no: 0.25 } },
    ],
  },
  {
    name: 'gaussianPair()',
    arbitrary: () => gaussianPair(),
    dimensions: [
      { name: 'relation', classify: (g: { relation: string }) => g.relation, min: { ...all(GAUSSIAN_RELATIONS, 0.1), 'far-means': 0.05, 'huge-scale': 0.05, 'tiny-scale': 0.04 } },
      {
        name: 'sigma2 / sigma1',
        classify: (g: { sigma1: number; sigma2: number }) => sigmaRatioBucket(g.sigma2 / g.sigma1),
        min: { '= 1': 0.1, '1 ± 1e-6': 0.12, '≥ 1e20 or ≤ 1e-20': 0.12, other: 0.15 },
      },
      { name: 'mu1 = mu2', classify: (g: { mu1: number; mu2: number }) => yesNo(g.mu1 === g.mu2), min: { yes: 0.15, no: 0.4 } },
    ],
  },
  {
    name: 'invalidInput()',
    arbitrary: () => invalidInput(),
    dimensions: [
      { name: 'target', classify: (c: { target: string }) => c.target, min: all(INVALID_TARGETS, 0.1) },
      {
        name: 'reason',
        classify: (c: { reason: string }) => c.reason,
        min: {
          nan: 0.15,
          infinite: 0.1,
          negative: 0.04,
          'positive-infinity': 0.05,
          nonpositive: 0.015,
          'length-mismatch': 0.03,
          empty: 0.06,
          'all-impossible': 0.02,
        },
      },
    ],
  },
];

export interface ClassRow {
  cls: string;
  count: number;
  fraction: number;
  /** Stated minimum frequency (0 when none). */
  min: number;
  ok: boolean;
}

export interface DimensionStats {
  name: string;
  rows: ClassRow[];
}

export interface ArbitraryStats {
  name: string;
  draws: number;
  dimensions: DimensionStats[];
}

/** Ordered classes of a dimension: the stated ones first (in a natural order), then any others. */
function classOrder(dimName: string, min: Readonly<Record<string, number>>, seen: Iterable<string>): string[] {
  const known: Record<string, readonly string[]> = {
    n: LENGTH_BUCKETS,
    'smallest positive entry': [...MIN_POSITIVE_BUCKETS, 'none'],
    shape: [...DISTRIBUTION_SHAPES, ...UNNORMALIZED_SHAPES, ...LATENT_SHAPES],
    kind: LATENT_KINDS,
    relation: [...PAIR_RELATIONS, ...GAUSSIAN_RELATIONS],
  };
  const order = [...(known[dimName] ?? []), ...Object.keys(min)];
  const all = new Set<string>([...Object.keys(min), ...seen]);
  const out: string[] = [];
  for (const c of order) if (all.has(c) && !out.includes(c)) out.push(c);
  for (const c of all) if (!out.includes(c)) out.push(c);
  return out;
}

/**
 * Draws `count` values of each arbitrary in {@link COVERAGE} with `seed` (as `fc.assert` would,
 * bias included) and counts the classes.
 */
export function generatorStats(options: { seed?: number; count?: number; only?: readonly string[] } = {}): ArbitraryStats[] {
  const seed = options.seed ?? DEFAULT_STATS_SEED;
  const count = options.count ?? DEFAULT_STATS_COUNT;
  return COVERAGE.filter((spec) => !options.only || options.only.includes(spec.name)).map((spec) => {
    const values = fc.sample(spec.arbitrary(), { seed, numRuns: count });
    const dimensions = spec.dimensions.map((dim) => {
      const counts = new Map<string, number>();
      for (const v of values) {
        const c = dim.classify(v);
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      const rows = classOrder(dim.name, dim.min, counts.keys()).map((cls) => {
        const n = counts.get(cls) ?? 0;
        const fraction = n / values.length;
        const min = dim.min[cls] ?? 0;
        return { cls, count: n, fraction, min, ok: fraction >= min };
      });
      return { name: dim.name, rows };
    });
    return { name: spec.name, draws: values.length, dimensions };
  });
}

/** The table as Markdown (also readable in a terminal). */
export function formatStats(stats: readonly ArbitraryStats[], seed: number): string {
  const lines: string[] = [];
  for (const a of stats) {
    lines.push(`### ${a.name} — ${a.draws} draws, seed ${seed}`, '');
    lines.push('| dimension | class | count | frequency | required ≥ | |', '|---|---|---:|---:|---:|---|');
    for (const d of a.dimensions) {
      d.rows.forEach((r, i) => {
        lines.push(
          `| ${i === 0 ? d.name : ''} | ${r.cls} | ${r.count} | ${(100 * r.fraction).toFixed(1)}% | ${r.min > 0 ? `${(100 * r.min).toFixed(1)}%` : '–'} | ${r.ok ? '' : '**BELOW**'} |`,
        );
      });
    }
    lines.push('');
  }
  return lines.join('\n');
}
