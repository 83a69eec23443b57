/**
 * `klcheck check` (and plain `klcheck`): the built-in float64 kernels checked against the reference
 * on every function, under the accuracy model. Exit 0 when everything holds, 1 on a failure.
 */
import { Command } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { kernels } from '../kernels';
import { runAgreement, RunOptions } from '../harness/run';
import { FUNCTION_CASES } from '../harness/cases';
import { formatConsole, summarize } from '../report/console';
import { encodeNonFinite } from './json';
import type { Io } from './value';
import { KlcheckError } from '../numeric/errors';

export class UsageError extends KlcheckError {
  override name = 'UsageError';
}

export const DEFAULT_SEED = 20261123;
export const DEFAULT_RUNS = 200;

function intOption(name: string, s: string, min: number, max: number): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got '${s}'`);
  return n;
}

export function checkCommand(io: Io, setCode: (c: number) => void): Command {
  const fns = FUNCTION_CASES.map((s) => s.fn);
  return new Command('check')
    .description('check the built-in float64 kernels against the exact reference (the main job)')
    .option('--seed <n>', 'fast-check seed: same seed, same cases, same report', String(DEFAULT_SEED))
    .option('--runs <n>', 'cases per function', String(DEFAULT_RUNS))
    .option('--mode <mode>', 'standard (derived error bound) or strict (ulps of the exact value)', 'standard')
    .option('--precision <p>', 'float64 or float32 (sets u for the standard bound)', 'float64')
    .option('--only <fns>', `comma-separated functions (${fns.join(', ')})`)
    .option('--json <file>', 'write the JSON report to this file')
    .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)')
    .addHelpText('after', `
The built-in kernels are held to the standard bound everywhere and, where they claim it (kl, entropy,
cross-entropy, negative entropy, generalised KL on exactly normalised inputs), to 4 ulps.

Exit codes: 0 everything holds; 1 at least one failure; 2 usage error.`)
    .action(async (o: { seed: string; runs: string; mode: string; precision: string; only?: string; json?: string; progress: boolean }) => {
      const seed = intOption('--seed', o.seed, -(2 ** 31), 2 ** 31 - 1);
      const runs = intOption('--runs', o.runs, 1, 1_000_000);
      if (o.mode !== 'standard' && o.mode !== 'strict') throw new UsageError(`--mode must be standard or strict, got '${o.mode}'`);
      if (o.precision !== 'float64' && o.precision !== 'float32') throw new UsageError(`--precision must be float64 or float32, got '${o.precision}'`);
      const only = o.only?.split(',').map((s) => s.trim()).filter(Boolean);
      for (const f of only ?? []) if (!fns.includes(f)) throw new UsageError(`--only: unknown function '${f}'; expected some of ${fns.join(', ')}`);
      const isTty = (io.stderr as NodeJS.WriteStream).isTTY === true;
      const bar = o.progress && isTty ? new SingleBar({ format: 'checking {fn} [{bar}] {percentage}% | {value}/{total} cases', stream: io.stderr as NodeJS.WriteStream, clearOnComplete: true }, Presets.shades_classic) : null;
      const runOpts: RunOptions = {
        seed, runs, mode: o.mode, precision: o.precision, only, strictWhereClaimed: true,
        onProgress: bar ? (done, _total, fn) => bar.update(done, { fn }) : undefined,
      };
      bar?.start((only?.length ?? fns.length) * runs, 0, { fn: '' });
      const t0 = Date.now();
      const results = await runAgreement(kernels, runOpts);
      bar?.stop();
      const replay = `klcheck check --seed ${seed} --runs ${runs}${o.mode !== 'standard' ? ` --mode ${o.mode}` : ''}${only ? ` --only ${only.join(',')}` : ''}`;
      io.stdout.write(formatConsole(`klcheck: built-in float64 kernels against the reference (${o.mode}, ${o.precision})`, results, { seed, replay }));
      const summary = summarize(results);
      if (o.json) {
        const report = { ok: summary.ok, seed, runs, mode: o.mode, precision: o.precision, candidate: { name: 'klcheck built-in kernels', kind: 'builtin' }, summary, results, durationMs: Date.now() - t0 };
        fs.mkdirSync(path.dirname(path.resolve(o.json)), { recursive: true });
        fs.writeFileSync(o.json, `${JSON.stringify(encodeNonFinite(report), null, 2)}\n`);
      }
      setCode(summary.ok ? 0 : 1);
    });
}
