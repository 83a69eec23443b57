/**
 * A candidate in any language: a program speaking JSON lines on stdin/stdout (docs/contract.md,
 * "Any language: JSON lines over stdin/stdout").
 *
 *     harness → program   {"id": 0, "fn": "describe"}
 *     program → harness   {"id": 0, "result": {"name": "…", "functions": ["kl", …], "precision"?: "float64" | "float32", "base"?: "e" | 2 | 10}}
 *     harness → program   {"id": 7, "fn": "kl", "args": [[0.5, 0.5], [0.25, 0.75]]}
 *     program → harness   {"id": 7, "result": 0.14384103622589045}   or   {"id": 7, "error": "…"}
 *
 * Non-finite numbers travel as the strings "Infinity", "-Infinity", "NaN" (both directions, inside
 * arrays too; a program may also write them as the bare tokens Infinity, -Infinity, NaN, as Python's
 * json.dumps does); finite numbers in shortest round-trip form (JSON.stringify), so float64 values cross
 * exactly; −0 is written `-0.0` (JSON.stringify would write `0`). Requests are pipelined: several
 * may be outstanding, answers are matched by id, in any order.
 *
 * The program is untrusted. What each misbehaviour becomes (the harness never hangs or crashes):
 *
 * | the program …                                   | CallResult / effect                                              |
 * |-------------------------------------------------|------------------------------------------------------------------|
 * | answers {"id", "result": v}                     | {ok: true, value: v decoded} — even if v is not a number (judged by the harness) |
 * | answers {"id", "error": m}                      | {ok: false, kind: 'threw', message: m}                           |
 * | answers {"id"} with neither                     | {ok: false, kind: 'protocol'}                                    |
 * | prints a non-JSON line, JSON that is not an answer, or an answer to an id nobody is waiting for | ignored, recorded in `noise()`; the first such line is quoted in timeout and crash messages |
 * | does not answer within timeoutMs                | {ok: false, kind: 'timeout'}; the process group is SIGKILLed, other outstanding calls on it resolve {kind: 'crashed'} |
 * | exits or crashes                                | outstanding calls resolve {kind: 'crashed', message: 'exited with code 3 (stderr tail: …)'} |
 * | writes a line longer than maxLineBytes (default 64 MiB) | every outstanding call resolves {kind: 'protocol', message: 'answer line longer than N bytes (--max-line-bytes) …'}; the line is discarded unread (never held in memory), the process group is SIGKILLed, the next call restarts it (as after a crash) |
 * | answers with a line nested deeper than maxDepth (default 64; the answer object is level 1) | {kind: 'protocol', message: 'the answer to kl (request 7) is nested N levels deep, more than 64 (--max-depth)'}; the line is not parsed; the process keeps serving (a too-deep line with no waiting id is noise) |
 * | answers with a number token beyond the float64 range (`1e400`, `-1e400`, a 309-digit integer ≥ 2^1024 − 2^970) | {kind: 'protocol', message: '… 1e400 is outside the float64 range; write Infinity as "Infinity"'} (JSON.parse would read +∞); underflow (`1e-400` → 0) is accepted ({@link scanAnswerLine}) |
 * | is dead when a call comes                       | restarted (and re-described) for that call, at most maxRestarts times per property (the count starts again at each beginProperty()); then every call of that property resolves {kind: 'crashed', message: 'gave up after N restarts; …'} |
 * | never answers describe within startTimeoutMs, cannot be started, answers describe wrongly, or lists no function klcheck checks (the contract's, or an extra one the check run draws: generalizedKl, posterior, klNormalDiag) | startSubprocessCandidate rejects with {@link CandidateStartError} (a describe that never came says the output may be buffered, and how to flush) |
 * | writes to stderr                                | captured (the last 2 KB kept, quoted in crash messages), never forwarded |
 *
 * The command line runs through a shell (`/bin/sh -c`), detached into its own process group, so a
 * kill reaches the shell and everything it started. `close()` ends stdin, waits up to 500 ms for the
 * program to exit, then SIGKILLs the group; live groups are also killed when the harness process
 * exits, whichever thread started them (src/harness/process-groups.ts). Callers must `close()` the handle (in a `finally`): the open pipes keep Node's event loop
 * alive.
 *
 * Lines are split on `\n` only (a `\r` before it is whitespace) and decoded as UTF-8 once whole; a
 * last line without a newline still counts when stdout ends.
 *
 * Extras beyond CandidateHandle ({@link SubprocessCandidateHandle}): `noise()` (the stray stdout
 * lines, most recent 1000, each cut at 1000 characters), `noiseCount()`, `stderrTail()`, `restarts`,
 * `pid`.

 *
 * By concern: the wire codec is src/numeric/wire.ts (non-finite numbers, −0, bare tokens); framing.ts
 * writes requests and splits and scans answer lines; process.ts is one running program (its calls,
 * timeouts, process group, stderr and noise); candidate.ts is the handle (describe, the restart
 * policy, closing).
 */
export { CandidateStartError, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LINE_BYTES, MAX_LINE_BYTES_LIMIT, startSubprocessCandidate } from './candidate';
export type { SubprocessCandidateHandle, SubprocessOptions } from './candidate';
export { encodeRequest, scanAnswerLine } from './framing';
export type { LineScan } from './framing';
export { decodeResult, parseJsonLine } from '../../numeric/wire';
