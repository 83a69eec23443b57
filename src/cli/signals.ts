/**
 * SIGINT and SIGTERM for the command line (enabled by bin/klcheck.js only: in-process callers of
 * `main`, such as the tests, keep their own handlers).
 *
 * Every command but a running check keeps the default action: the signal ends the process at once,
 * even inside a long synchronous computation (a JavaScript handler would wait for the event loop).
 * `check` registers a graceful stop with {@link whileRunning}: the first signal asks the run to stop
 * (src/harness/stop.ts) — it ends within a case or two and writes its reports for what ran — and the
 * process exits within {@link GRACE_MS} whatever happens; a second signal exits at once. Exit code
 * 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). Exiting runs the 'exit' hooks, which
 * kill every candidate process group (src/harness/process-groups.ts).
 */
import { signalExitCode } from '../harness/stop';

/** The longest a graceful stop may take before the process exits anyway. */
export const GRACE_MS = 2000;

/** A graceful stop; returning false means "nothing to report yet": the process exits at once. */
type OnSignal = (signal: NodeJS.Signals) => boolean | void;

let graceful: OnSignal | null = null;
let received = 0;

function handle(signal: NodeJS.Signals): void {
  received++;
  if (graceful && received === 1 && graceful(signal) !== false) {
    setTimeout(() => process.exit(signalExitCode(signal)), GRACE_MS).unref();
    return;
  }
  process.exit(signalExitCode(signal));
}

let enabled = false;

/** Lets `whileRunning` take over SIGINT and SIGTERM (the CLI process only). */
export function installSignalHandlers(): void {
  enabled = true;
}

const listeners = { SIGINT: () => handle('SIGINT'), SIGTERM: () => handle('SIGTERM') } as const;

/**
 * Registers `onSignal` as the graceful stop until the returned function is called. When `onSignal`
 * returns false (a check still starting its candidate, with nothing to report) the process exits at
 * once — through process.exit, so the 'exit' hooks still end every candidate process group already
 * started (the default action would leave them running).
 */
export function whileRunning(onSignal: OnSignal): () => void {
  graceful = onSignal;
  received = 0;
  if (enabled) for (const [s, f] of Object.entries(listeners)) process.on(s, f);
  return () => {
    if (graceful !== onSignal) return;
    graceful = null;
    // Back to the default action; a stop already under way finishes (the grace timer stays).
    if (enabled && received === 0) for (const [s, f] of Object.entries(listeners)) process.removeListener(s, f);
  };
}
