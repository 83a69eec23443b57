/**
 * Stopping a run when asked (SIGINT, SIGTERM): a flag shared by every thread of the run, read by the
 * property runners between cases, so that a run stops within a case or two of the signal and
 * reports what it checked.
 *
 * The flag is a SharedArrayBuffer (the signal arrives in the main thread; `--workers N` threads see
 * it at once, with no message to wait for). It holds 0, or the number of the signal that asked for
 * the stop. fast-check is told through a plugin ({@link stopPlugin}): once the flag is set, each
 * further case — or tried shrink — is answered "interrupted" without running, so a passing property
 * ends with the cases it ran and a failing one keeps the smallest counterexample found so far.
 *
 * Signals are delivered to JavaScript only between tasks of the event loop. Property runs whose
 * candidate calls complete without I/O (the built-in kernels) would never give it a turn, so the
 * plugin yields to the event loop at most every {@link YIELD_MS} ms after an asynchronous case.
 */
import fc from 'fast-check';
import { constants } from 'node:os';

let flag = new Int32Array(new SharedArrayBuffer(4));
const wake: (() => void)[] = [];

/** Longest stretch of asynchronous cases without a turn of the event loop. */
export const YIELD_MS = 25;
let lastYield = Date.now();

/** The shared flag, to pass to worker threads (`adoptStop` there). */
export function stopTable(): SharedArrayBuffer {
  return flag.buffer as SharedArrayBuffer;
}

/** In a worker thread: read the main thread's flag instead of a private one. */
export function adoptStop(buffer: SharedArrayBuffer): void {
  flag = new Int32Array(buffer);
}

/** Asks every thread to stop; `signal` names why (its number is stored). */
export function requestStop(signal: NodeJS.Signals): void {
  Atomics.store(flag, 0, constants.signals[signal] ?? 15);
  for (const w of wake.splice(0)) w();
}

/** Clears the flag (the start of a run, in the main thread). */
export function resetStop(): void {
  Atomics.store(flag, 0, 0);
}

/** The signal that asked for a stop, or undefined. */
export function stopSignal(): NodeJS.Signals | undefined {
  const n = Atomics.load(flag, 0);
  if (n === 0) return undefined;
  const name = Object.entries(constants.signals).find(([, v]) => v === n)?.[0];
  return (name ?? 'SIGTERM') as NodeJS.Signals;
}

/** The conventional exit code of a process ended by this signal (128 + its number). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 15);
}

/**
 * A promise that resolves when a stop is requested in this thread (worker threads learn of it at
 * their next case), and `cancel` to drop it once it is not needed — so that waiting cases do not
 * accumulate listeners over a long run.
 */
export function stopped(): { promise: Promise<void>; cancel: () => void } {
  if (stopSignal() !== undefined) return { promise: Promise.resolve(), cancel: () => {} };
  let w: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    w = resolve;
    wake.push(resolve);
  });
  return { promise, cancel: () => { const i = wake.indexOf(w); if (i >= 0) wake.splice(i, 1); } };
}

/**
 * The fast-check plugin: cases after a stop request are not run (interrupted); an asynchronous case
 * in flight when it comes is abandoned; and asynchronous runs give the event loop a turn every
 * YIELD_MS so that the signal can be heard.
 */
export function stopPlugin(): fc.Plugin<unknown> {
  return () => ({
    decorateRun: (nestedRun) => (value) => {
      if (stopSignal() !== undefined) return new fc.PreconditionFailure(true);
      const out = nestedRun(value);
      if (out === null || typeof (out as { then?: unknown }).then !== 'function') return out;
      const stop = stopped();
      return Promise.race([
        (out as Promise<fc.PreconditionFailure | fc.PropertyFailure | null>).then(async (r) => {
          stop.cancel();
          if (Date.now() - lastYield >= YIELD_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            lastYield = Date.now();
          }
          return r;
        }),
        stop.promise.then(() => new fc.PreconditionFailure(true)),
      ]);
    },
  });
}

/** fast-check parameters that stop drawing cases at the deadline or on a stop request (src/harness/stop.ts); the cases run so far are kept. */
export function interruptParams(deadline: number | undefined): { plugins: fc.Plugin<unknown>[] } {
  return { plugins: [stopPlugin(), ...(deadline === undefined ? [] : [fc.interruptAfterTimeLimit(Math.max(1, deadline - Date.now()))])] };
}
