/**
 * Coverage, measured: 10,000 draws of each default arbitrary (seed 42, as fc.assert would draw
 * them, bias included) classified along the dimensions of src/generators/stats.ts; every class must
 * reach its stated minimum frequency. The same table is `klcheck generators --stats` and is quoted
 * in docs/generators.md. Also: the CLI command.
 */
import test from 'ava';
import { COVERAGE, DEFAULT_STATS_COUNT, DEFAULT_STATS_SEED, formatStats, generatorStats } from '../src/generators';
import { runGenerators } from '../src/cli/generators';
import * as generators from '../src/generators';

test('the index re-exports every public arbitrary, constant and helper', (t) => {
  const arbitraries = ['distribution', 'pair', 'anyPair', 'unnormalized', 'latentModel', 'gaussianPair', 'invalidInput'] as const;
  for (const name of arbitraries) t.is(typeof generators[name], 'function', name);
  for (const [name, value] of Object.entries(generators)) t.not(value, undefined, name);
  const total = (w: Readonly<Record<string, number>>) => Object.values(w).reduce((a, b) => a + b, 0);
  t.is(total(generators.DISTRIBUTION_SHAPE_WEIGHTS), 100);
  t.is(total(generators.ANY_PAIR_WEIGHTS), 100);
  t.is(total(generators.UNNORMALIZED_SHAPE_WEIGHTS), 100);
  t.is(total(generators.LATENT_SHAPE_WEIGHTS), 100);
  t.is(total(generators.LATENT_KIND_WEIGHTS), 100);
  t.is(total(generators.GAUSSIAN_RELATION_WEIGHTS), 100);
  t.deepEqual(Object.keys(generators.PAIR_RELATION_MIN_LENGTH), [...generators.PAIR_RELATIONS]);
  t.deepEqual([...generators.UNNORMALIZED_SHAPES], ['counts', 'scaled', 'zero']);
});

test('every class of every default arbitrary reaches its stated frequency (10,000 draws each)', (t) => {
  const stats = generatorStats({ seed: DEFAULT_STATS_SEED, count: DEFAULT_STATS_COUNT });
  t.is(stats.length, COVERAGE.length);
  for (const a of stats) {
    t.is(a.draws, DEFAULT_STATS_COUNT);
    for (const d of a.dimensions) {
      const total = d.rows.reduce((s, r) => s + r.count, 0);
      t.is(total, a.draws, `${a.name} ${d.name}: classes partition the draws`);
      for (const r of d.rows) {
        t.true(r.ok, `${a.name} ${d.name} = ${r.cls}: ${(100 * r.fraction).toFixed(2)}% < required ${(100 * r.min).toFixed(2)}%`);
      }
      // Every class with a stated minimum is listed (and so was drawn).
      const spec = COVERAGE.find((c) => c.name === a.name)!.dimensions.find((x) => x.name === d.name)!;
      for (const cls of Object.keys(spec.min)) t.true(d.rows.some((r) => r.cls === cls && r.count > 0), `${a.name} ${d.name} = ${cls}`);
    }
  }
  t.log(`\n${formatStats(stats, DEFAULT_STATS_SEED)}`);
});

function capture() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}

test('klcheck generators prints samples of every arbitrary, deterministically', async (t) => {
  const a = capture();
  t.is(await runGenerators(['--count', '2', '--seed', '9'], a.io), 0);
  for (const name of ['distribution()', 'anyPair()', 'unnormalized()', 'latentModel()', 'gaussianPair()', 'invalidInput()']) {
    t.true(a.out.includes(`${name}  (seed 9)`), name);
  }
  const b = capture();
  await runGenerators(['--count', '2', '--seed', '9'], b.io);
  t.is(a.out, b.out);
  const c = capture();
  t.is(await runGenerators([], c.io), 0);
  t.true(c.out.includes('(seed 42)'));
});

test('klcheck generators --stats prints the table; exit 1 when a class is below its minimum', async (t) => {
  const a = capture();
  const code = await runGenerators(['--stats', '--count', '300', '--seed', '1'], a.io);
  t.true(a.out.includes('| dimension | class | count | frequency | required ≥ |'));
  t.true(a.out.includes('### anyPair() — 300 draws, seed 1'));
  t.is(code, a.out.includes('**BELOW**') ? 1 : 0);
  if (code === 1) t.regex(a.err, /below the required frequency/);
  const b = capture();
  t.is(await runGenerators(['--stats', '--count', '5'], b.io), 1); // 5 draws cannot cover every class
  t.regex(b.err, /below the required frequency/);
  const c = capture();
  t.is(await runGenerators(['--stats', '--count', '3000'], c.io), 0, c.err); // the first 3000 of the default draws
  t.false(c.out.includes('**BELOW**'));
});

test('klcheck generators --help and usage errors', async (t) => {
  const h = capture();
  t.is(await runGenerators(['--help'], h.io), 0);
  t.regex(h.out, /Usage: generators/);
  t.regex(h.out, /--stats/);
  for (const args of [['--seed', 'x'], ['--count', '0'], ['--stats', '--count', '1.5'], ['--bogus'], ['extra']]) {
    const e = capture();
    t.is(await runGenerators(args, e.io), 2, args.join(' '));
    t.true(e.err.length > 0);
  }
});
