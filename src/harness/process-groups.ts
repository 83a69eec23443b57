/**
 * The process groups klcheck started — one per candidate process (a JSON-lines program, a module
 * host) — recorded in a table that every thread of the run shares, so that whichever thread ends
 * the run can end them all.
 *
 * Why a shared table: a `--workers N` run starts candidates from worker threads, and a worker
 * thread's own exit hooks do not run when the process exits (a signal, process.exit in the main
 * thread), which left those candidates running, reparented to init. The table is a
 * SharedArrayBuffer of process-group ids, created in the main thread and handed to each worker
 * (`workerData`); entries are claimed and released with Atomics, so no message needs to arrive for
 * the main thread to know every live group. On exit the main thread SIGKILLs each group (the
 * negative pid reaches the group leader and everything it started that stayed in the group).
 *
 * A candidate that moves its own children out of the group (setsid, a double fork with a new
 * session) is out of reach; that is documented in docs/contract.md.
 */
import { isMainThread } from 'node:worker_threads';

/** Concurrent candidate processes the table can hold (more are still killed by their owner; only the exit sweep misses them). */
const SLOTS = 4096;

let table = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
/** The groups this thread registered (a worker's exit hook ends only its own). */
const mine = new Set<number>();
let hookInstalled = false;

/** The shared table, to pass to worker threads (`adoptProcessGroups` there). */
export function processGroupTable(): SharedArrayBuffer {
  return table.buffer as SharedArrayBuffer;
}

/** In a worker thread: use the main thread's table instead of a private one. */
export function adoptProcessGroups(buffer: SharedArrayBuffer): void {
  table = new Int32Array(buffer);
}

/** Records a live process group (its leader's pid). */
export function registerGroup(pid: number): void {
  installExitHook();
  mine.add(pid);
  for (let i = 0; i < SLOTS; i++) {
    if (Atomics.compareExchange(table, i, 0, pid) === 0) return;
  }
}

/** Forgets a group (after it was killed, or ended). */
export function unregisterGroup(pid: number): void {
  mine.delete(pid);
  for (let i = 0; i < SLOTS; i++) {
    if (Atomics.compareExchange(table, i, pid, 0) === pid) return;
  }
}

/** The groups recorded now (for tests and diagnostics). */
export function liveGroups(): number[] {
  const out: number[] = [];
  for (let i = 0; i < SLOTS; i++) {
    const pid = Atomics.load(table, i);
    if (pid !== 0) out.push(pid);
  }
  return out;
}

/** SIGKILLs one process group (falls back to the single process where groups do not exist). */
export function killGroupOf(pid: number): void {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** SIGKILLs every recorded group and clears the table (synchronous: safe in an 'exit' hook). */
export function killAllGroups(): void {
  for (let i = 0; i < SLOTS; i++) {
    const pid = Atomics.exchange(table, i, 0);
    if (pid !== 0) killGroupOf(pid);
  }
}

/** SIGKILLs the groups this thread registered. */
function killMyGroups(): void {
  for (const pid of [...mine]) {
    unregisterGroup(pid);
    killGroupOf(pid);
  }
}

function installExitHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  // The main thread's exit ends everything (workers' candidates included); a worker's, its own.
  process.on('exit', isMainThread ? killAllGroups : killMyGroups);
}
