/**
 * SIGINT and SIGTERM for the command line (installed by bin/klcheck.js only: in-process callers of
 * `main`, such as the tests, keep their own handlers).
 *
 * A command with something to save (`check`) registers a graceful stop with {@link whileRunning}:
 * the first signal asks the run to stop (src/harness/stop.ts) — it ends within a case or two and
 * writes its reports for what ran — and the process exits within {@link GRACE_MS} whatever happens.
 * A second signal, or a signal to any other command, exits at once. Exit code 128 + the signal's
 * number (130 for SIGINT, 143 for SIGTERM). Exiting runs the 'exit' hooks, which kill every
 * candidate process group (src/harness/process-groups.ts).
 */
import { signalExitCode } from '../harness/stop';

/** The longest a graceful stop may take before the process exits anyway. */
export const GRACE_MS = 2000;

let graceful: ((signal: NodeJS.Signals) => void) | null = null;
let received = 0;

function handle(signal: NodeJS.Signals): void {
  received++;
  if (graceful && received === 1) {
    graceful(signal);
    setTimeout(() => process.exit(signalExitCode(signal)), GRACE_MS).unref();
    return;
  }
  process.exit(signalExitCode(signal));
}

export function installSignalHandlers(): void {
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => handle(s));
}

/** Registers `onSignal` as the graceful stop until the returned function is called. */
export function whileRunning(onSignal: (signal: NodeJS.Signals) => void): () => void {
  graceful = onSignal;
  return () => {
    if (graceful === onSignal) graceful = null;
  };
}
