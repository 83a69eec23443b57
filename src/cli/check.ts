/**
 * `klcheck check` (and plain `klcheck`): the built-in float64 kernels checked against the reference
 * on every function, under the accuracy model. Exit 0 when everything holds, 1 on a failure.
 */
import { Command } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { kernels } from '../kernels';
import { inProcessCandidate, CandidateHandle, CandidateMeta } from '../harness/candidate';
import { loadModuleCandidate } from '../harness/module';
import { startSubprocessCandidate } from '../harness/subprocess';
import { runAgreement, RunOptions } from '../harness/run';
import { replayTheorems, runTheorems } from '../harness/theorems';
import { INVALID_TARGET_OF, runRobustness } from '../harness/robustness';
import { THEOREMS } from '../../properties';
import { FUNCTION_CASES } from '../harness/cases';
import { formatConsole, summarize } from '../report/console';
import { buildJsonReport, serializeReport } from '../report/json';
import { toJUnit } from '../report/junit';
import { loadRegressionFile, RegressionFile, runReplay, saveFailures } from '../harness/regressions';
import type { Io } from './value';
import { KlcheckError } from '../numeric/errors';
import type { Mode } from '../numeric/accuracy';

export class UsageError extends KlcheckError {
  override name = 'UsageError';
}

export const DEFAULT_SEED = 20261123;
export const DEFAULT_RUNS = 200;

/** CLI flags override what a subprocess candidate declared about itself. */
function withMeta(c: CandidateHandle, overrides: Partial<CandidateMeta>): CandidateHandle {
  Object.assign(c.meta as CandidateMeta, overrides);
  return c;
}

function intOption(name: string, s: string, min: number, max: number): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got '${s}'`);
  return n;
}

export function checkCommand(io: Io, setCode: (c: number) => void): Command {
  const fns = FUNCTION_CASES.map((s) => s.fn);
  const theoremIds = THEOREMS.map((t) => t.id);
  return new Command('check')
    .description('check an implementation (default: the built-in float64 kernels) against the exact reference')
    .option('--impl <module>', 'a JS/TS module (ESM or CommonJS, named exports or a default object) exposing contract functions')
    .option('--impl-cmd <command>', 'a program in any language speaking the JSON-lines protocol on stdin/stdout (docs/contract.md)')
    .option('--timeout <ms>', 'per-call timeout for a candidate (module or command); a hung candidate is stopped and restarted', '10000')
    .option('--base <b>', "the candidate's log base: e, 2 or 10 (overrides its meta)")
    .option('--name <name>', "the candidate's name in reports (overrides its meta)")
    .option('--seed <n>', 'fast-check seed: same seed, same cases, same report', String(DEFAULT_SEED))
    .option('--runs <n>', 'cases per function and instances per theorem', String(DEFAULT_RUNS))
    .option('--mode <mode>', 'standard (derived error bound) or strict (ulps of the exact value)', 'standard')
    .option('--precision <p>', "the candidate's precision, float64 or float32 (sets u for the standard bound; overrides its meta)")
    .option('--only <ids>', `comma-separated functions (${fns.join(', ')}) and theorem ids (klcheck list); only those run`)
    .option('--json <file>', 'write the JSON report to this file (schema: docs/reports.md)')
    .option('--junit <file>', 'write a JUnit XML report to this file')
    .option('--save-failures <file>', 'store the shrunk counterexamples of this run in this file (merged, deduplicated)')
    .option('--replay <file>', 'replay the counterexamples stored in this file first')
    .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)')
    .addHelpText('after', `
Each function the candidate has is checked for agreement with the reference (agreement:<fn>), for
what it does with invalid input (invalid:<fn>: throws / NaN / a silent number — information, a
failure only in --mode strict), then every theorem whose functions it has is evaluated with its own
functions (theorem:<id>).

Without --impl, the built-in kernels are checked: held to the standard bound everywhere and, where
they claim it (exactly normalised inputs for the kl family, well-conditioned values elsewhere), to
their strict ulps target. A candidate is held to the standard bound (--mode strict: ulps).

Examples:
  klcheck check --impl my-kl.ts
  klcheck check --impl ./lib/entropy.mjs --only entropy,crossEntropy --runs 1000 --json report.json
  klcheck check --impl-cmd "python3 examples/python/scipy_candidate.py"
  klcheck check --impl my-kl.ts --replay ci/failures.json --save-failures ci/failures.json --junit junit.xml

Exit codes: 0 everything applicable holds; 1 at least one failure; 2 usage error, or the candidate
could not be loaded.`)
    .action(async (o: { seed: string; runs: string; mode: string; precision?: string; only?: string; json?: string; junit?: string; saveFailures?: string; replay?: string; progress: boolean; impl?: string; implCmd?: string; timeout: string; base?: string; name?: string }) => {
      if (o.impl && o.implCmd) throw new UsageError('give either --impl or --impl-cmd, not both');
      const seed = intOption('--seed', o.seed, -(2 ** 31), 2 ** 31 - 1);
      const runs = intOption('--runs', o.runs, 1, 1_000_000);
      if (o.mode !== 'standard' && o.mode !== 'strict') throw new UsageError(`--mode must be standard or strict, got '${o.mode}'`);
      if (o.precision !== undefined && o.precision !== 'float64' && o.precision !== 'float32') throw new UsageError(`--precision must be float64 or float32, got '${o.precision}'`);
      if (o.base !== undefined && !['e', '2', '10'].includes(o.base)) throw new UsageError(`--base must be e, 2 or 10, got '${o.base}'`);
      const timeoutMs = intOption('--timeout', o.timeout, 1, 3_600_000);
      const stored: RegressionFile = o.replay ? loadRegressionFile(o.replay) : { functions: [], theorems: [] };
      for (const s of stored.theorems) if (!theoremIds.includes(s.theorem)) throw new UsageError(`--replay: unknown theorem '${s.theorem}' in ${o.replay}; expected one of ${theoremIds.join(', ')}`);
      const base: CandidateMeta['base'] | undefined = o.base === undefined ? undefined : o.base === 'e' ? 'e' : (Number(o.base) as 2 | 10);
      const metaOverrides: Partial<CandidateMeta> = { ...(o.name ? { name: o.name } : {}), ...(o.precision ? { precision: o.precision as 'float64' | 'float32' } : {}), ...(base ? { base } : {}) };
      const candidate: CandidateHandle = o.impl
        ? await loadModuleCandidate(o.impl, { timeoutMs, meta: metaOverrides })
        : o.implCmd
          ? withMeta(await startSubprocessCandidate(o.implCmd, { timeoutMs }), metaOverrides)
          : inProcessCandidate(kernels, { name: 'klcheck built-in kernels', precision: 'float64', base: 'e', ...metaOverrides }, 'builtin', 'src/kernels');
      const external = Boolean(o.impl || o.implCmd);
      const only = o.only?.split(',').map((s) => s.trim()).filter(Boolean);
      for (const f of only ?? []) if (!fns.includes(f) && !theoremIds.includes(f)) throw new UsageError(`--only: unknown id '${f}'; expected functions (${fns.join(', ')}) or theorems (${theoremIds.join(', ')})`);
      const onlyFns = only?.filter((f) => fns.includes(f));
      const onlyTheorems = only?.filter((f) => theoremIds.includes(f));
      const isTty = (io.stderr as NodeJS.WriteStream).isTTY === true;
      const bar = o.progress && isTty ? new SingleBar({ format: 'checking {fn} [{bar}] {percentage}% | {value}/{total} cases and instances', stream: io.stderr as NodeJS.WriteStream, clearOnComplete: true }, Presets.shades_classic) : null;
      const precision = candidate.meta.precision;
      const runOpts: RunOptions = {
        seed, runs, mode: o.mode, precision, only: onlyFns, base: candidate.meta.base, strictWhereClaimed: !external,
        onProgress: bar ? (done, _total, fn) => bar.update(done, { fn }) : undefined,
      };
      const agreementCount = onlyFns?.length ?? fns.length;
      const invalidCount = Object.keys(INVALID_TARGET_OF).filter((f) => !onlyFns || onlyFns.includes(f)).length;
      const theoremCount = onlyTheorems?.length ?? theoremIds.length;
      bar?.start((agreementCount + invalidCount + theoremCount) * runs, 0, { fn: '' });
      const t0 = Date.now();
      let results;
      try {
        const theoremOpts = {
          seed, runs, precision, base: candidate.meta.base, only: onlyTheorems,
          // The built-in kernels are held to their strict target where it applies; a candidate to --mode.
          mode: (external ? o.mode : 'strict') as Mode,
          onProgress: bar ? (done: number, _total: number, id: string) => bar.update((agreementCount + invalidCount) * runs + done, { fn: id }) : undefined,
        };
        results = [
          ...(await runReplay(candidate, stored.functions, runOpts)),
          ...(await replayTheorems(candidate, THEOREMS, stored.theorems, theoremOpts)),
          ...(agreementCount > 0 ? await runAgreement(candidate, runOpts) : []),
        ];
        if (invalidCount > 0) {
          results.push(...await runRobustness(candidate, {
            seed, runs, only: onlyFns,
            // The built-in kernels promise typed errors on invalid input; a candidate is only reported on, unless --mode strict.
            mode: external ? o.mode : 'strict',
            onProgress: bar ? (done, _total, fn) => bar.update(agreementCount * runs + done, { fn: `invalid ${fn}` }) : undefined,
          }));
        }
        if (theoremCount > 0) results.push(...await runTheorems(candidate, THEOREMS, theoremOpts));
      } finally {
        bar?.stop();
        await candidate.close();
      }
      const replay = `klcheck check${o.impl ? ` --impl ${o.impl}` : ''}${o.implCmd ? ` --impl-cmd ${JSON.stringify(o.implCmd)}` : ''} --seed ${seed} --runs ${runs}${o.mode !== 'standard' ? ` --mode ${o.mode}` : ''}${only ? ` --only ${only.join(',')}` : ''}`;
      const who = external ? `${candidate.meta.name} (${o.impl ?? o.implCmd})` : 'built-in float64 kernels';
      io.stdout.write(formatConsole(`klcheck: ${who} against the reference (${o.mode}, ${precision}${candidate.meta.base !== 'e' ? `, base ${candidate.meta.base}` : ''})`, results, { seed, replay }));
      const summary = summarize(results);
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        fs.writeFileSync(file, text);
      };
      if (o.json) write(o.json, serializeReport(buildJsonReport(candidate, results, { seed, runs, mode: o.mode, precision, durationMs: Date.now() - t0 })));
      if (o.junit) write(o.junit, toJUnit(candidate.meta.name, results, { seed }));
      if (o.saveFailures) {
        const added = saveFailures(o.saveFailures, results);
        if (added > 0) io.stderr.write(`klcheck: stored ${added} new counterexample(s) in ${o.saveFailures}\n`);
      }
      setCode(summary.ok ? 0 : 1);
    });
}
