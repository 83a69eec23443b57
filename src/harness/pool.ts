/**
 * `--workers N`: the tasks of a check run spread over N worker threads, each with its own copy of
 * the candidate (the kernels, the module in its own worker, or its own subprocess). Workers take the
 * next task when free; results are returned in task order, so the report does not depend on N or
 * on timing.
 */
import { Worker } from 'node:worker_threads';
import type { PropertyResult } from './result';
import type { CandidateSpec } from './open';
import { Task, TaskOptions, taskProperty } from './tasks';
import { KlcheckError } from '../numeric/errors';
import { processGroupTable } from './process-groups';
import { stopped, stopSignal, stopTable } from './stop';

export class WorkerPoolError extends KlcheckError {
  override name = 'WorkerPoolError';
}

function crashed(task: Task, message: string): PropertyResult {
  return {
    property: taskProperty(task), fn: task.id, status: 'failed', runs: 0, strictRuns: 0, worstBits: 0, worstRatio: 0,
    counterexample: null, message: `the worker running this property stopped: ${message}`, durationMs: 0,
  };
}

/**
 * Runs `tasks` on `workers` threads started from the script `entry` (the CLI's, src/cli/worker.js:
 * it knows the theorems, which this layer does not); `onResult` is called as each task completes
 * (for progress).
 */
export async function runTasksInWorkers(
  entry: string, tasks: readonly Task[], spec: CandidateSpec, options: TaskOptions, workers: number,
  onResult?: (result: PropertyResult, index: number) => void,
): Promise<PropertyResult[]> {
  const results: (PropertyResult | undefined)[] = new Array(tasks.length);
  let next = 0;
  const n = Math.max(1, Math.min(workers, tasks.length));
  // A stop request (a signal, in this thread) is passed on at once, so that a worker abandons the
  // case in flight instead of waiting for its candidate's answer (src/harness/stop.ts).
  const live = new Set<Worker>();
  const stop = stopped();
  void stop.promise.then(() => {
    for (const w of live) w.postMessage({ type: 'stop', signal: stopSignal() });
  });
  const runOne = () => new Promise<void>((resolve, reject) => {
    const w = new Worker(entry, { workerData: { spec, options, processGroups: processGroupTable(), stop: stopTable() }, stdout: true, stderr: true });
    live.add(w);
    w.on('exit', () => live.delete(w));
    // A candidate's console output must not reach klcheck's stdout.
    w.stdout.resume();
    w.stderr.resume();
    let current: number | undefined;
    let closing = false;
    const finish = (result: PropertyResult, index: number) => {
      results[index] = result;
      onResult?.(result, index);
    };
    const feed = () => {
      if (next >= tasks.length || stopSignal() !== undefined) {
        closing = true;
        current = undefined;
        w.postMessage({ type: 'close' });
        return;
      }
      current = next++;
      w.postMessage({ type: 'task', index: current, task: tasks[current] });
    };
    w.on('message', (msg: { type: string; index?: number; result?: PropertyResult; message?: string }) => {
      if (msg.type === 'ready') feed();
      else if (msg.type === 'result') {
        finish(msg.result!, msg.index!);
        feed();
      } else if (msg.type === 'task-error') {
        finish(crashed(tasks[msg.index!]!, msg.message ?? 'internal error'), msg.index!);
        feed();
      } else if (msg.type === 'open-error') {
        closing = true;
        void w.terminate();
        reject(new WorkerPoolError(`a worker could not open the candidate: ${msg.message}`));
      } else if (msg.type === 'closed') {
        void w.terminate().then(() => resolve());
      }
    });
    w.on('error', (e) => {
      if (current !== undefined) finish(crashed(tasks[current]!, e.message), current);
      current = undefined;
    });
    w.on('exit', () => {
      if (current !== undefined) finish(crashed(tasks[current]!, 'the worker exited'), current);
      if (!closing) {
        // Carry on with a fresh worker for the remaining tasks.
        runOne().then(resolve, reject);
      } else resolve();
    });
  });
  try {
    await Promise.all(Array.from({ length: n }, runOne));
  } finally {
    stop.cancel();
  }
  const signal = stopSignal();
  // (Array.from, not map: map skips the holes of tasks that never got a result.)
  return Array.from(results, (r, i) => r ?? (signal
    ? { property: taskProperty(tasks[i]!), fn: tasks[i]!.id, status: 'not-run', runs: 0, strictRuns: 0, worstBits: 0, worstRatio: 0, counterexample: null, message: `not run: stopped by ${signal} before it started`, durationMs: 0 }
    : crashed(tasks[i]!, 'no result')));
}
