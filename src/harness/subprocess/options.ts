/** The options of a JSON-lines candidate, with their defaults and limits (documented in docs/contract.md). */
import { constants as bufferConstants } from 'node:buffer';

export interface SubprocessOptions {
  /** Per-call timeout in ms, counted from when the request is written (default 10000). */
  timeoutMs?: number;
  /** How long the program may take to answer describe, at start and at each restart (default 15000). */
  startTimeoutMs?: number;
  /** Working directory of the command (default: the current one). */
  cwd?: string;
  /** Environment of the command (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * How many times a dead or killed program is restarted per property: the count starts again at
   * each {@link CandidateHandle.beginProperty} call (over the handle's life if it is never called).
   * Default 3.
   */
  maxRestarts?: number;
  /**
   * The longest line accepted on stdout, in bytes before the `\n` (default {@link DEFAULT_MAX_LINE_BYTES}
   * = 64 MiB; at most {@link MAX_LINE_BYTES_LIMIT}, the longest string Node can hold). A longer line
   * is never held in memory: the outstanding calls resolve {kind: 'protocol'}, the process group is
   * killed, and the next call restarts it, as after a crash.
   */
  maxLineBytes?: number;
  /**
   * The deepest nesting of arrays and objects accepted in an answer line, the answer object itself
   * being level 1 (default {@link DEFAULT_MAX_DEPTH} = 64). Checked by a linear scan before the line is
   * parsed; a deeper answer is {kind: 'protocol'} for its call (the process keeps serving).
   */
  maxDepth?: number;
}

/**
 * Default of {@link SubprocessOptions.maxLineBytes}: 64 MiB. The largest legitimate answer is a
 * vector of a few hundred thousand numbers (negEntropyGradient, posterior on the largest inputs a
 * user may give); a float64 in shortest round-trip form takes at most 24 bytes
 * (`-2.2250738585072014e-308`), 26 with Python's `", "` separator, so 500,000 numbers take 13 MB and
 * 64 MiB holds 2.5 million — five times the room — while a runaway line (V8 cannot hold a string
 * of 2^29 characters, ~512 MB) is stopped long before it costs memory.
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** The largest {@link SubprocessOptions.maxLineBytes} allowed: the longest string V8 can hold (2^29 − 24 characters on 64-bit Node). */
export const MAX_LINE_BYTES_LIMIT = bufferConstants.MAX_STRING_LENGTH;
/**
 * Default of {@link SubprocessOptions.maxDepth}: 64. The contract needs depth ≤ 4 even for a batched
 * matrix of vectors (the answer object, the batch, the rows, the vectors); 64 leaves room for any
 * reasonable extension and is far from anything that could exhaust a stack.
 */
export const DEFAULT_MAX_DEPTH = 64;
