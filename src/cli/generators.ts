/**
 * `klcheck generators`: samples of every arbitrary, or (--stats) the measured class-frequency table.
 *
 *   klcheck generators [--seed N] [--count N]      # N samples of each arbitrary (default 5)
 *   klcheck generators --stats [--seed N] [--count N]   # coverage table over N draws (default 10000)
 *
 * Exit codes: 0 success; 1 (--stats) some class is below its stated minimum frequency; 2 usage error.
 */
import { Command, CommanderError } from 'commander';
import fc from 'fast-check';
import { KlcheckError } from '../numeric/errors';
import {
  DEFAULT_STATS_COUNT,
  DEFAULT_STATS_SEED,
  anyPair,
  distribution,
  formatStats,
  gaussianPair,
  generatorStats,
  invalidInput,
  latentModel,
  shapeOf,
  unnormalized,
} from '../generators';

export interface GeneratorsIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const DEFAULT_SAMPLES = 5;

function parseInteger(name: string, s: string, min: number, max: number): number {
  const n = Number(s);
  if (!/^-?\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got '${s}'`);
  }
  return n;
}

/** A bad option value (a KlcheckError, so `main` reports it with exit code 2 too). */
class UsageError extends KlcheckError {
  override name = 'UsageError';
}

/** A number as JSON would need it, but readable: shortest round-trip form, ±Infinity, NaN. */
function num(x: number): string {
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

function vec(v: readonly number[], max = 8): string {
  const shown = v.slice(0, max).map(num).join(', ');
  return v.length > max ? `[${shown}, … (n = ${v.length})]` : `[${shown}]`;
}

function show(value: unknown): string {
  return Array.isArray(value) ? vec(value as number[]) : typeof value === 'number' ? num(value) : String(value);
}

function samples(seed: number, count: number): string {
  const sections: [string, fc.Arbitrary<unknown>, (v: unknown) => string][] = [
    ['distribution()', distribution(), (v) => `${(shapeOf(v as number[]) ?? '').padEnd(13)} ${vec(v as number[])}`],
    ['anyPair()', anyPair(), (v) => {
      const x = v as { p: number[]; q: number[]; relation: string };
      return `${x.relation.padEnd(13)} p = ${vec(x.p)}\n${' '.repeat(16)}q = ${vec(x.q)}`;
    }],
    ['unnormalized()', unnormalized(), (v) => `${(shapeOf(v as number[]) ?? '').padEnd(13)} ${vec(v as number[])}`],
    ['latentModel()', latentModel(), (v) => {
      const m = v as { logJoint: number[]; q: number[]; shape: string; kind: string };
      return `${`${m.shape}/${m.kind}`.padEnd(22)} logJoint = ${vec(m.logJoint)}\n${' '.repeat(25)}q = ${vec(m.q)}`;
    }],
    ['gaussianPair()', gaussianPair(), (v) => {
      const g = v as { mu1: number; sigma1: number; mu2: number; sigma2: number; relation: string };
      return `${g.relation.padEnd(13)} mu1 = ${num(g.mu1)}, sigma1 = ${num(g.sigma1)}, mu2 = ${num(g.mu2)}, sigma2 = ${num(g.sigma2)}`;
    }],
    ['invalidInput()', invalidInput(), (v) => {
      const c = v as { target: string; args: unknown[]; reason: string; description: string };
      return `${c.target.padEnd(9)} ${c.reason.padEnd(17)} ${c.description.padEnd(30)} args = ${c.args.map(show).join(', ')}`;
    }],
  ];
  const out: string[] = [];
  for (const [name, arb, fmt] of sections) {
    out.push(`${name}  (seed ${seed})`);
    for (const v of fc.sample(arb, { seed, numRuns: count })) out.push(`  ${fmt(v)}`);
    out.push('');
  }
  return out.join('\n');
}

/** The `generators` command, writing to `io`; `setCode` receives the exit code. */
export function generatorsCommand(io: GeneratorsIo, setCode: (c: number) => void): Command {
  return new Command('generators')
    .description('print samples of every klcheck arbitrary, or (--stats) the measured class frequencies')
    .option('--seed <n>', 'seed of the draws (integer)', String(DEFAULT_STATS_SEED))
    .option('--count <n>', `samples per arbitrary (default ${DEFAULT_SAMPLES}); with --stats, draws per arbitrary (default ${DEFAULT_STATS_COUNT})`)
    .option('--stats', 'classify the draws and print the coverage table with the required minimum frequencies')
    .addHelpText('after', `
Arbitraries: distribution(), anyPair(), unnormalized(), latentModel(), gaussianPair(), invalidInput()
(src/generators; docs/generators.md). The same seed gives the same draws.

Examples:
  klcheck generators --count 3
  klcheck generators --stats                 # the table in docs/generators.md (seed ${DEFAULT_STATS_SEED}, ${DEFAULT_STATS_COUNT} draws)
  klcheck generators --stats --seed 7 --count 2000

Exit codes: 0 success; 1 with --stats, some class is below its required frequency; 2 usage error.`)
    .action((opts: { seed: string; count?: string; stats?: boolean }) => {
      const seed = parseInteger('--seed', opts.seed, -(2 ** 31), 2 ** 31 - 1);
      if (opts.stats) {
        const count = opts.count === undefined ? DEFAULT_STATS_COUNT : parseInteger('--count', opts.count, 1, 1000000);
        const stats = generatorStats({ seed, count });
        io.stdout.write(`${formatStats(stats, seed)}\n`);
        const below = stats.flatMap((a) => a.dimensions.flatMap((d) => d.rows.filter((r) => !r.ok).map((r) => `${a.name} ${d.name} = ${r.cls}`)));
        if (below.length > 0) {
          io.stderr.write(`klcheck generators: below the required frequency: ${below.join('; ')}\n`);
          setCode(1);
        } else setCode(0);
        return;
      }
      const count = opts.count === undefined ? DEFAULT_SAMPLES : parseInteger('--count', opts.count, 1, 10000);
      io.stdout.write(samples(seed, count));
      setCode(0);
    });
}

/**
 * Runs `klcheck generators <args>` and resolves to the exit code (0, 1, or 2 for usage errors;
 * `--help` prints usage and gives 0).
 */
export async function runGenerators(args: string[], io: GeneratorsIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let code = 0;
  const cmd = generatorsCommand(io, (c) => {
    code = c;
  })
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      io.stderr.write(`klcheck generators: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
