/**
 * A check run as a list of tasks — one per property, in a canonical order — so that it can be split:
 * across CI jobs (`--shard k/n`: every n-th task, deterministically) and across worker threads
 * (`--workers N`). Each property draws its cases from the seed alone, so a task gives the same result
 * wherever and in whatever order it runs: the union of the shards' reports is the unsharded report.
 *
 * Canonical order: agreement per function (FUNCTION_CASES order), invalid input per function
 * (INVALID_TARGET_OF order), theorems (registry order). Replays of stored counterexamples are not
 * tasks: they run first, in the main thread, on the first shard only.
 */
import type { Theorem } from '../theorem';
import { FUNCTION_CASES } from './cases';
import { CandidateHandle } from './candidate';
import { PropertyResult } from './result';
import { RunOptions, runAgreement } from './agreement';
import { INVALID_TARGET_OF, runRobustness } from './robustness';
import { runTheorems } from './theorems';
import { KlcheckError } from '../numeric/errors';
import { stopSignal } from './stop';
import type { Mode } from '../numeric/accuracy';

export type TaskKind = 'agreement' | 'invalid' | 'theorem';

export interface Task {
  kind: TaskKind;
  /** The function (agreement, invalid) or the theorem id. */
  id: string;
}

export function taskProperty(t: Task): string {
  return `${t.kind}:${t.id}`;
}

/** Every task of a full run, in canonical order, restricted by `--only` ids (functions and theorem ids). */
export function allTasks(theoremIds: readonly string[], only?: readonly string[]): Task[] {
  const keep = (id: string) => !only || only.includes(id);
  return [
    ...FUNCTION_CASES.map((c) => c.fn).filter(keep).map((id) => ({ kind: 'agreement' as const, id })),
    ...Object.keys(INVALID_TARGET_OF).filter(keep).map((id) => ({ kind: 'invalid' as const, id })),
    ...theoremIds.filter(keep).map((id) => ({ kind: 'theorem' as const, id })),
  ];
}

export class ShardError extends KlcheckError {
  override name = 'ShardError';
}

/** Parses `k/n` (1 ≤ k ≤ n ≤ 1000). */
export function parseShard(s: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const k = m ? Number(m[1]) : NaN, n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || n > 1000 || k < 1 || k > n) throw new ShardError(`--shard must be k/n with 1 ≤ k ≤ n ≤ 1000, got '${s}'`);
  return { k, n };
}

/** Shard k of n: tasks k−1, k−1+n, k−1+2n, … of the canonical list (round robin balances cost). */
export function selectShard<T>(tasks: readonly T[], shard: { k: number; n: number }): T[] {
  return tasks.filter((_, i) => i % shard.n === shard.k - 1);
}

/** Everything a task needs besides the candidate (plain data: it crosses to worker threads). */
export interface TaskOptions {
  seed: number;
  runs: number;
  /** --mode, and whether the candidate is the built-in kernels (held to their strict targets). */
  mode: Mode;
  builtin: boolean;
  precision: 'float64' | 'float32';
  base: 'e' | 2 | 10;
  /** Epoch milliseconds after which no property starts and running ones stop drawing (--time-limit). */
  deadline?: number;
  /** Shrink budget per property (src/harness/shrink-budget.ts; default DEFAULT_SHRINK_BUDGET). */
  shrinkBudget?: number;
}

/** Runs one task on a candidate. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runTask(candidate: CandidateHandle, task: Task, theorems: readonly Theorem<any>[], o: TaskOptions): Promise<PropertyResult> {
  const property = taskProperty(task);
  const why = () => {
    const signal = stopSignal();
    return signal ? `stopped by ${signal}` : 'the time limit was reached';
  };
  const notRun = (detail = 'before it started'): PropertyResult => ({ property, fn: task.id, status: 'not-run', runs: 0, strictRuns: 0, worstBits: 0, worstRatio: 0, counterexample: null, message: `not run: ${why()} ${detail}`, durationMs: 0 });
  const interrupted = () => stopSignal() !== undefined || (o.deadline !== undefined && Date.now() >= o.deadline);
  if (interrupted()) return notRun();
  candidate.beginProperty?.(); // restart budgets are per property: one bad answer does not spoil the rest
  const only = [task.id];
  let results: PropertyResult[];
  if (task.kind === 'agreement') {
    const runOpts: RunOptions = { seed: o.seed, runs: o.runs, mode: o.mode, precision: o.precision, only, base: o.base, strictWhereClaimed: o.builtin, deadline: o.deadline, shrinkBudget: o.shrinkBudget };
    results = await runAgreement(candidate, runOpts);
  } else if (task.kind === 'invalid') {
    results = await runRobustness(candidate, { seed: o.seed, runs: o.runs, only, mode: o.builtin ? 'strict' : o.mode, deadline: o.deadline, shrinkBudget: o.shrinkBudget });
  } else {
    results = await runTheorems(candidate, theorems, { seed: o.seed, runs: o.runs, precision: o.precision, base: o.base, only, mode: o.builtin ? 'strict' : o.mode, deadline: o.deadline, shrinkBudget: o.shrinkBudget });
  }
  const r = results[0]!;
  if (r.status === 'passed' && r.runs < o.runs && interrupted()) {
    // Interrupted by the time limit or a stop request: before its first case it checked nothing
    // (not run); after some cases it holds on those only (cut short), and the run is incomplete.
    if (r.runs === 0) return { ...notRun('before its first case'), durationMs: r.durationMs };
    r.cutShort = true;
    r.message += ` (cut short: ${why()} after ${r.runs} of ${o.runs})`;
  }
  return r;
}
