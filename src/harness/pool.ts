/**
 * `--workers N`: the tasks of a check run spread over N worker threads, each with its own copy of
 * the candidate (the kernels, the module in its own worker, or its own subprocess). Workers take the
 * next task when free; results are returned in task order, so the report does not depend on N or
 * on timing.
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import type { PropertyResult } from './run';
import type { CandidateSpec } from './open';
import { Task, TaskOptions, taskProperty } from './tasks';
import { KlcheckError } from '../numeric/errors';
import { processGroupTable } from './process-groups';

const ENTRY = path.join(__dirname, 'task-worker.js');

export class WorkerPoolError extends KlcheckError {
  override name = 'WorkerPoolError';
}

function crashed(task: Task, message: string): PropertyResult {
  return {
    property: taskProperty(task), fn: task.id, status: 'failed', runs: 0, strictRuns: 0, worstBits: 0, worstRatio: 0,
    counterexample: null, message: `the worker running this property stopped: ${message}`, durationMs: 0,
  };
}

/** Runs `tasks` on `workers` threads; `onResult` is called as each task completes (for progress). */
export async function runTasksInWorkers(
  tasks: readonly Task[], spec: CandidateSpec, options: TaskOptions, workers: number,
  onResult?: (result: PropertyResult, index: number) => void,
): Promise<PropertyResult[]> {
  const results: (PropertyResult | undefined)[] = new Array(tasks.length);
  let next = 0;
  const n = Math.max(1, Math.min(workers, tasks.length));
  const runOne = () => new Promise<void>((resolve, reject) => {
    const w = new Worker(ENTRY, { workerData: { spec, options, processGroups: processGroupTable() }, stdout: true, stderr: true });
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
      if (next >= tasks.length) {
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
  await Promise.all(Array.from({ length: n }, runOne));
  return results.map((r, i) => r ?? crashed(tasks[i]!, 'no result'));
}
