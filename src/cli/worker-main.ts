/**
 * A worker of `klcheck check --workers N`: opens its own copy of the candidate, then runs the tasks
 * the pool sends, one at a time, answering each with its PropertyResult.
 *   in:  {type: 'task', index, task}  |  {type: 'close'}  |  {type: 'stop', signal} (src/harness/stop.ts)
 * The pool that starts it: src/harness/pool.ts (given this file's bootstrap, src/cli/worker.js).
 *   out: {type: 'ready'} | {type: 'open-error', message} | {type: 'result', index, result} | {type: 'closed'}
 */
import { parentPort, workerData } from 'node:worker_threads';
import { THEOREMS } from '../../properties';
import { openCandidate, CandidateSpec } from '../harness/open';
import { runTask, Task, TaskOptions } from '../harness/tasks';
import { adoptProcessGroups } from '../harness/process-groups';
import { adoptStop, requestStop } from '../harness/stop';

const port = parentPort!;
const { spec, options, processGroups, stop } = workerData as { spec: CandidateSpec; options: TaskOptions; processGroups: SharedArrayBuffer; stop: SharedArrayBuffer };
// The candidate processes this worker starts go into the main thread's table, so that the main
// thread can end them whatever happens to this worker (src/harness/process-groups.ts).
adoptProcessGroups(processGroups);
adoptStop(stop); // a stop request (a signal in the main thread) is seen here at the next case

openCandidate(spec).then(
  (candidate) => {
    port.on('message', (msg: { type: 'task'; index: number; task: Task } | { type: 'close' } | { type: 'stop'; signal: NodeJS.Signals }) => {
      if (msg.type === 'stop') {
        requestStop(msg.signal);
        return;
      }
      if (msg.type === 'close') {
        void candidate.close().then(() => port.postMessage({ type: 'closed' }));
        return;
      }
      void runTask(candidate, msg.task, THEOREMS, options).then(
        (result) => port.postMessage({ type: 'result', index: msg.index, result }),
        (e: unknown) => port.postMessage({ type: 'task-error', index: msg.index, message: e instanceof Error ? e.stack ?? e.message : String(e) }),
      );
    });
    port.postMessage({ type: 'ready' });
  },
  (e: unknown) => port.postMessage({ type: 'open-error', message: e instanceof Error ? e.message : String(e) }),
);
