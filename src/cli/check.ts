/**
 * `klcheck check` (and plain `klcheck`): the built-in float64 kernels checked against the reference
 * on every function, under the accuracy model. Exit 0 when everything holds, 1 on a failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cannotWrite, writeFileAtomic } from '../harness/atomic-write';
import { requestStop, resetStop, signalExitCode, stopSignal } from '../harness/stop';
import { whileRunning } from './signals';
import { DEFAULT_SHRINK_BUDGET } from '../harness/shrink-budget';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { CandidateHandle, CandidateMeta } from '../harness/candidate';
import { PropertyResult } from '../harness/result';
import { RunOptions } from '../harness/agreement';
import { CandidateSpec, openCandidate } from '../harness/open';
import { allTasks, parseShard, runTask, selectShard, TaskOptions } from '../harness/tasks';
import { runTasksInWorkers } from '../harness/pool';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LINE_BYTES, MAX_LINE_BYTES_LIMIT } from '../harness/subprocess';
import { replayTheorems } from '../harness/theorems';
import { THEOREMS } from '../../properties';
import { FUNCTION_CASES } from '../harness/cases';
import { formatConsole, summarize } from '../report/console';
import { buildJsonReport, serializeReport } from '../report/json';
import { toJUnit } from '../report/junit';
import { writeHtmlReport } from '../report/html';
import { loadRegressionFile, RegressionFile, runReplay, saveFailures } from '../harness/regressions';
import { DEFAULT_RUNS, DEFAULT_SEED, intOption, Io, numberOption, UsageError } from './common';
import { KlcheckError } from '../numeric/errors';
import type { Mode } from '../numeric/accuracy';

/** The script each worker thread of --workers N runs. */
const WORKER_ENTRY = path.join(__dirname, 'worker.js');

export function checkCommand(io: Io, setCode: (c: number) => void): Command {
  const fns = FUNCTION_CASES.map((s) => s.fn);
  const theoremIds = THEOREMS.map((t) => t.id);
  return new Command('check')
    .description('check an implementation (default: the built-in float64 kernels) against the exact reference')
    .option('--impl <module>', 'a JS/TS module (ESM or CommonJS, named exports or a default object) exposing contract functions')
    .option('--impl-cmd <command>', 'a program in any language speaking the JSON-lines protocol on stdin/stdout (docs/contract.md)')
    .option('--timeout <ms>', 'per-call timeout for a candidate (module or command); a hung candidate is stopped and restarted', '10000')
    .option('--start-timeout <ms>', 'how long a candidate may take to start: a module to load (default 30000), a command to answer describe (default 15000)')
    .option('--max-line-bytes <n>', '--impl-cmd: the longest answer line accepted (bytes); a longer one fails the waiting calls as a protocol error and the program is killed and restarted', String(DEFAULT_MAX_LINE_BYTES))
    .option('--max-depth <n>', '--impl-cmd: the deepest nesting of arrays/objects accepted in an answer line (the answer object is level 1); deeper is a protocol error', String(DEFAULT_MAX_DEPTH))
    .option('--base <b>', "the candidate's log base: e, 2 or 10 (overrides its meta)")
    .option('--name <name>', "the candidate's name in reports (overrides its meta)")
    .option('--seed <n>', 'fast-check seed: same seed, same cases, same report', String(DEFAULT_SEED))
    .option('--runs <n>', 'cases per function and instances per theorem', String(DEFAULT_RUNS))
    .option('--mode <mode>', 'standard (derived error bound) or strict (ulps of the exact value)', 'standard')
    .option('--precision <p>', "the candidate's precision, float64 or float32 (sets u for the standard bound; overrides its meta)")
    .option('--only <ids>', `comma-separated functions (${fns.join(', ')}) and theorem ids (klcheck list); only those run`)
    .option('--json <file>', 'write the JSON report to this file (schema: docs/reports.md)')
    .option('--junit <file>', 'write a JUnit XML report to this file')
    .option('--html <file>', 'write a self-contained HTML report (summary, counterexamples, error-in-bits plots per generator class, forward vs reverse KL) to this file')
    .option('--save-failures <file>', 'store the shrunk counterexamples of this run in this file (merged, deduplicated)')
    .option('--replay <file>', 'replay the counterexamples stored in this file first')
    .option('--time-limit <s>', 'stop drawing cases after this many seconds; what ran is reported (properties not started are skipped)')
    .option('--shrink-budget <n>', 'property evaluations allowed for shrinking each failure; when spent, the smallest failing input so far is reported as not fully shrunk', String(DEFAULT_SHRINK_BUDGET))
    .option('--workers <n>', 'worker threads to spread the properties over (each opens its own copy of the candidate)', '1')
    .option('--shard <k/n>', 'run only shard k of n (every n-th property, deterministically); combine the JSON reports with klcheck merge')
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
could not be loaded; 3 internal error; 4 nothing was checked (every selected property skipped, e.g.
--only names functions the candidate lacks); 5 incomplete (--time-limit left properties not run or
cut short; what ran holds); 130 / 143 stopped by SIGINT / SIGTERM (the reports cover what ran). An
output that cannot be written is named on stderr, the others are still written, and the exit code is
2; output paths and an existing --save-failures store are checked before the run starts.`)
    .action(async (o: { workers: string; shard?: string; timeLimit?: string; seed: string; runs: string; mode: string; precision?: string; only?: string; json?: string; junit?: string; html?: string; saveFailures?: string; replay?: string; shrinkBudget: string; progress: boolean; impl?: string; implCmd?: string; timeout: string; startTimeout?: string; maxLineBytes: string; maxDepth: string; base?: string; name?: string }) => {
      if (o.impl !== undefined && o.impl.trim() === '') throw new UsageError('--impl needs a module path, got an empty string');
      if (o.implCmd !== undefined && o.implCmd.trim() === '') throw new UsageError('--impl-cmd needs a command, got an empty string');
      if (o.impl && o.implCmd) throw new UsageError('give either --impl or --impl-cmd, not both');
      const seed = intOption('--seed', o.seed, -(2 ** 31), 2 ** 31 - 1);
      const runs = intOption('--runs', o.runs, 1, 1_000_000);
      if (o.mode !== 'standard' && o.mode !== 'strict') throw new UsageError(`--mode must be standard or strict, got '${o.mode}'`);
      if (o.precision !== undefined && o.precision !== 'float64' && o.precision !== 'float32') throw new UsageError(`--precision must be float64 or float32, got '${o.precision}'`);
      if (o.base !== undefined && !['e', '2', '10'].includes(o.base)) throw new UsageError(`--base must be e, 2 or 10, got '${o.base}'`);
      const timeoutMs = intOption('--timeout', o.timeout, 1, 3_600_000);
      const startTimeoutMs = o.startTimeout === undefined ? undefined : intOption('--start-timeout', o.startTimeout, 1, 3_600_000);
      const maxLineBytes = intOption('--max-line-bytes', o.maxLineBytes, 1, MAX_LINE_BYTES_LIMIT);
      const maxDepth = intOption('--max-depth', o.maxDepth, 1, 1_000_000);
      const workers = intOption('--workers', o.workers, 1, 64);
      const shard = o.shard === undefined ? undefined : parseShard(o.shard);
      const shrinkBudget = intOption('--shrink-budget', o.shrinkBudget, 0, 100_000_000);
      const timeLimit = o.timeLimit === undefined ? undefined : numberOption('--time-limit', o.timeLimit, 0.001, 1e7);
      // Every output and the store are checked before the run: a bad path is a usage error now, not
      // a lost report after the run.
      for (const [flag, file] of [['--json', o.json], ['--junit', o.junit], ['--html', o.html], ['--save-failures', o.saveFailures]] as const) {
        if (file === undefined) continue;
        if (file.trim() === '') throw new UsageError(`${flag} needs a file name`);
        const why = cannotWrite(file);
        if (why) throw new UsageError(`${flag}: cannot write '${file}': ${why}`);
      }
      if (o.saveFailures && fs.existsSync(o.saveFailures)) loadRegressionFile(o.saveFailures, THEOREMS); // a corrupt store is refused before the run
      const stored: RegressionFile = o.replay ? loadRegressionFile(o.replay, THEOREMS) : { functions: [], theorems: [] };
      for (const s of stored.theorems) if (!theoremIds.includes(s.theorem)) throw new UsageError(`--replay: unknown theorem '${s.theorem}' in ${o.replay}; expected one of ${theoremIds.join(', ')}`);
      const only = o.only?.split(',').map((s) => s.trim()).filter(Boolean);
      if (only !== undefined && only.length === 0) throw new UsageError(`--only names no property (got '${o.only}'); give comma-separated function or theorem ids`);
      for (const f of only ?? []) if (!fns.includes(f) && !theoremIds.includes(f)) throw new UsageError(`--only: unknown id '${f}'; expected functions (${fns.join(', ')}) or theorems (${theoremIds.join(', ')})`);
      const base: CandidateMeta['base'] | undefined = o.base === undefined ? undefined : o.base === 'e' ? 'e' : (Number(o.base) as 2 | 10);
      const metaOverrides: Partial<CandidateMeta> = { ...(o.name ? { name: o.name } : {}), ...(o.precision ? { precision: o.precision as 'float64' | 'float32' } : {}), ...(base ? { base } : {}) };
      const spec: CandidateSpec = o.impl
        ? { kind: 'module', path: o.impl, timeoutMs, startTimeoutMs, meta: metaOverrides }
        : o.implCmd ? { kind: 'subprocess', command: o.implCmd, timeoutMs, startTimeoutMs, maxLineBytes, maxDepth, meta: metaOverrides } : { kind: 'builtin', meta: metaOverrides };
      const t0 = Date.now();
      const deadline = timeLimit === undefined ? undefined : t0 + timeLimit * 1000;
      // SIGINT / SIGTERM (src/cli/signals.ts) are taken over before the candidate starts: during
      // start-up a signal exits at once (ending the candidate's process group); once the run has
      // begun it stops within a case or two, then reports what ran.
      resetStop();
      let running = false;
      const release = whileRunning((signal) => {
        if (!running) return false;
        requestStop(signal);
        io.stderr.write(`\nklcheck: ${signal}: stopping; the report will cover what ran (a second signal quits at once)\n`);
        return true;
      });
      let candidate: CandidateHandle;
      try {
        candidate = await openCandidate(spec);
      } catch (e) {
        release();
        throw e;
      }
      const external = spec.kind !== 'builtin';
      const precision = candidate.meta.precision;
      const tasks = allTasks(theoremIds, only);
      const mine = shard ? selectShard(tasks, shard) : tasks;
      const isTty = (io.stderr as NodeJS.WriteStream).isTTY === true;
      const bar = o.progress && isTty ? new SingleBar({ format: 'checking {fn} [{bar}] {percentage}% | {value}/{total} properties', stream: io.stderr as NodeJS.WriteStream, clearOnComplete: true }, Presets.shades_classic) : null;
      const taskOpts: TaskOptions = { seed, runs, mode: o.mode, builtin: !external, precision, base: candidate.meta.base, deadline, shrinkBudget };
      const runOpts: RunOptions = { seed, runs, mode: o.mode, precision, only: only?.filter((f) => fns.includes(f)), base: candidate.meta.base, strictWhereClaimed: !external, shrinkBudget };
      const theoremOpts = { seed, runs, precision, base: candidate.meta.base, only: only?.filter((f) => theoremIds.includes(f)), mode: (external ? o.mode : 'strict') as Mode, shrinkBudget };
      // Replays run first, in this thread, on the first shard only.
      const replaying = !shard || shard.k === 1;
      bar?.start(mine.length, 0, { fn: '' });
      const results: PropertyResult[] = [];
      running = true;
      try {
        if (replaying) {
          results.push(...await runReplay(candidate, stored.functions, runOpts), ...await replayTheorems(candidate, THEOREMS, stored.theorems, theoremOpts));
        }
        let done = 0;
        const progress = (r: PropertyResult) => bar?.update(++done, { fn: r.property });
        if (workers > 1 && mine.length > 1) {
          results.push(...await runTasksInWorkers(WORKER_ENTRY, mine, spec, taskOpts, workers, progress));
        } else {
          for (const task of mine) {
            bar?.update(done, { fn: `${task.kind}:${task.id}` });
            await new Promise((resolve) => setImmediate(resolve)); // a turn for signals between properties
            const r = await runTask(candidate, task, THEOREMS, taskOpts);
            results.push(r);
            progress(r);
          }
        }
      } finally {
        release();
        bar?.stop();
        await candidate.close();
      }
      const signal = stopSignal();
      const replay = `klcheck check${o.impl ? ` --impl ${o.impl}` : ''}${o.implCmd ? ` --impl-cmd ${JSON.stringify(o.implCmd)}` : ''} --seed ${seed} --runs ${runs}${o.mode !== 'standard' ? ` --mode ${o.mode}` : ''}${only ? ` --only ${only.join(',')}` : ''}${shard ? ` --shard ${shard.k}/${shard.n}` : ''}`;
      const who = external ? `${candidate.meta.name} (${o.impl ?? o.implCmd})` : 'built-in float64 kernels';
      io.stdout.write(formatConsole(`klcheck: ${who} against the reference (${o.mode}, ${precision}${candidate.meta.base !== 'e' ? `, base ${candidate.meta.base}` : ''})`, results, { seed, replay }));
      const summary = summarize(results);
      // Each output is written on its own: one that fails is named, and the others are still written.
      const unwritten: string[] = [];
      const output = (flag: string, file: string, write: () => void) => {
        try {
          write();
        } catch (e) {
          unwritten.push(flag);
          io.stderr.write(`klcheck: could not write ${flag} ${file}: ${(e as Error).message}\n`);
        }
      };
      if (signal) io.stderr.write(`klcheck: stopped by ${signal}; the report covers what ran\n`);
      else if (deadline !== undefined && Date.now() >= deadline) io.stderr.write(`klcheck: the time limit (${timeLimit} s) cut the run short; the report covers what ran\n`);
      const report = buildJsonReport(candidate, results, { seed, runs, mode: o.mode, precision, durationMs: Date.now() - t0, ...(shard ? { shard } : {}), ...(only ? { only } : {}), shrinkBudget });
      if (o.json) output('--json', o.json, () => writeFileAtomic(o.json!, serializeReport(report)));
      if (o.html) output('--html', o.html, () => writeHtmlReport(o.html!, report, { replay }));
      if (o.junit) output('--junit', o.junit, () => writeFileAtomic(o.junit!, toJUnit(candidate.meta.name, results, { seed })));
      if (o.saveFailures) {
        output('--save-failures', o.saveFailures, () => {
          const added = saveFailures(o.saveFailures!, results);
          if (added > 0) io.stderr.write(`klcheck: stored ${added} new counterexample(s) in ${o.saveFailures}\n`);
        });
      }
      setCode(signal ? signalExitCode(signal) : unwritten.length > 0 ? 2 : summary.exitCode);
    });
}
