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
 * Layering note: the non-finite encoding is the same as src/cli/json.ts, written here again so that
 * harness/ does not import cli/ (and extended with −0 and typed arrays).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { constants as bufferConstants } from 'node:buffer';
import { statSync } from 'node:fs';
import { KlcheckError } from '../numeric/errors';
import type { CallResult, CandidateHandle, CandidateMeta } from './candidate';
import { killGroupOf, registerGroup, unregisterGroup } from './process-groups';
import { CONTRACT_FUNCTIONS } from '../contract';

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

/** The command could not be started, or did not answer describe (correctly, in time). The CLI maps it to exit code 2. */
export class CandidateStartError extends KlcheckError {
  override name = 'CandidateStartError';
  constructor(
    readonly command: string,
    readonly reason: string,
    readonly stderrTail: string = '',
  ) {
    super(`could not start the candidate command "${command}": ${reason}`);
  }
}

export interface SubprocessCandidateHandle extends CandidateHandle {
  readonly kind: 'subprocess';
  /** Lines seen on stdout that were not answers (non-JSON, not an answer object, unknown id): the most recent 1000, each cut at 1000 characters. Blank lines are not recorded. */
  noise(): string[];
  /** How many noise lines were seen in all (including those no longer kept). */
  noiseCount(): number;
  /** The last ~2 KB the current (or last) process wrote to stderr. */
  stderrTail(): string;
  /** Restarts over the handle's life (the maxRestarts budget counts per property, see beginProperty). */
  readonly restarts: number;
  /** The pid of the running process (the shell), or undefined. */
  readonly pid: number | undefined;
}

const STDERR_TAIL = 2048;
const NOISE_KEEP = 1000;
const NOISE_LINE = 1000;
const DRAIN_MS = 300; // after exit, how long stdout / stderr may take to deliver their last bytes
const CLOSE_GRACE_MS = 500;

// ----------------------------------------------------------------------------------------------
// encoding

const NEG_ZERO = '\u0000klcheck:-0\u0000';
const NEG_ZERO_JSON = JSON.stringify(NEG_ZERO);

function replacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    if (Object.is(v, -0)) return NEG_ZERO;
    return v;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>);
  return v;
}

/** One request line (without the newline). Throws on unencodable arguments (BigInt, cycles). */
export function encodeRequest(id: number, fn: string, args?: readonly unknown[]): string {
  const msg = args === undefined ? { id, fn } : { id, fn, args };
  return JSON.stringify(msg, replacer).split(NEG_ZERO_JSON).join('-0.0');
}

/**
 * JSON.parse, also accepting the bare tokens `NaN`, `Infinity` and `-Infinity` where a value may
 * stand (what Python's json.dumps writes by default, and other languages' writers too): they are
 * unambiguous, so they are read as the strings "NaN", "Infinity", "-Infinity" that decodeResult turns
 * into numbers. Text inside strings is never touched. Throws SyntaxError like JSON.parse otherwise.
 */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (e) {
    if (!/NaN|Infinity/.test(line)) throw e;
  }
  let out = '';
  let inString = false;
  let prev = ''; // the last non-blank character outside strings
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += line[++i] ?? '';
      else if (c === '"') { inString = false; prev = '"'; }
      continue;
    }
    if (c === '"') { inString = true; out += c; continue; }
    if (prev === '' || prev === '[' || prev === ',' || prev === ':') {
      const token = /^(-?Infinity|NaN)(?![A-Za-z0-9_$])/.exec(line.slice(i, i + 9))?.[1];
      if (token !== undefined) {
        out += `"${token}"`;
        i += token.length - 1;
        prev = '"';
        continue;
      }
    }
    out += c;
    if (c !== ' ' && c !== '\t' && c !== '\r') prev = c;
  }
  return JSON.parse(out);
}

function decodeScalar(v: unknown): unknown {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return v;
}

/**
 * A result from the wire: "Infinity", "-Infinity", "NaN" become numbers, at any depth inside arrays
 * (objects are left as they are). Iterative: any nesting depth is safe (no stack overflow).
 */
export function decodeResult(v: unknown): unknown {
  if (!Array.isArray(v)) return decodeScalar(v);
  const root: unknown[] = new Array(v.length);
  const stack: [unknown[], unknown[]][] = [[v, root]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    for (let i = 0; i < src.length; i++) {
      const x = src[i];
      if (Array.isArray(x)) {
        const y: unknown[] = new Array(x.length);
        dst[i] = y;
        stack.push([x, y]);
      } else {
        dst[i] = decodeScalar(x);
      }
    }
  }
  return root;
}

/** What {@link scanAnswerLine} finds in one line, without parsing it. */
export interface LineScan {
  /** The deepest nesting of `[` and `{` outside strings (an answer object alone is 1). */
  depth: number;
  /** The value of a top-level `"id"` key when it is a number token (found even when the line is too deep to parse). */
  id: number | undefined;
  /** The first number token whose float64 reading is ±Infinity (e.g. `1e400`), or undefined. */
  outOfRange: string | undefined;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * One linear pass over a line (strings and their escapes skipped): its nesting depth, its top-level
 * id, and the first number token beyond the float64 range. Never recurses, never allocates more
 * than the tokens it reports.
 *
 * Out of range means: the token's correctly rounded float64 reading (round to nearest, ties to
 * even — what JSON.parse and Number do) is ±∞, i.e. |x| ≥ 2^1024 − 2^970 (the midpoint between
 * the largest finite double and 2^1024; the tie rounds to the even 2^1024). IEEE 754 calls that an
 * overflow, and for a wire format of float64 values it is not a reading of anything a program meant:
 * no float64 value is written that way (the shortest round-trip form of a finite value is at most
 * 1.7976931348623157e308, and the contract writes the infinities as "Infinity" / "-Infinity"), so a
 * token such as 1e400 is a finite number the program holds in some wider type, and reading it as +∞
 * would turn a finite answer into an infinite one (which the harness reads as support mismatch).
 * Tokens that round to the largest finite double (1.7976931348623158e308) are accepted.
 * Underflow is different and accepted: 1e-400 reads as 0 and 1e-320 as a subnormal, the nearest
 * float64 values, with an absolute error below 2^-1075 — the same correctly rounded reading every
 * decimal literal gets; the value stays finite and is judged like any other.
 */
export function scanAnswerLine(line: string): LineScan {
  let depth = 0;
  let maxDepth = 0;
  let id: number | undefined;
  let outOfRange: string | undefined;
  let keyIsId = false; // the last string closed at depth 1 was "id"
  let expectId = false; // …and a ':' followed it
  const n = line.length;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) { // a string: skip it, escapes included
      const start = i;
      for (i++; i < n; i++) {
        const d = line.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      keyIsId = depth === 1 && i - start === 3 && line.charCodeAt(start + 1) === 105 && line.charCodeAt(start + 2) === 100;
      expectId = false;
      continue;
    }
    if (c === 91 || c === 123) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === 93 || c === 125) {
      depth--;
    } else if (c === 58) {
      expectId = keyIsId && depth === 1;
      keyIsId = false;
    } else if (c === 44) {
      keyIsId = expectId = false;
    } else if (c === 45 || isDigit(c)) {
      let j = i + 1;
      let exponent = false;
      for (; j < n; j++) {
        const d = line.charCodeAt(j);
        if (d === 101 || d === 69) exponent = true;
        else if (!(isDigit(d) || d === 46 || d === 43 || d === 45)) break;
      }
      // Without an exponent, a token of at most 308 characters is below 10^308 and cannot overflow.
      if (expectId || exponent || j - i > 308) {
        const tok = line.slice(i, j);
        const v = Number(tok);
        if (expectId && depth === 1 && id === undefined) id = v;
        if ((v === Infinity || v === -Infinity) && outOfRange === undefined) outOfRange = tok;
      }
      keyIsId = expectId = false;
      i = j - 1;
    }
  }
  return { depth: maxDepth, id, outOfRange };
}

/**
 * Splits a byte stream into `\n`-terminated lines of at most `max` bytes (decoded as UTF-8 once
 * whole). A longer line is not accumulated: `onOverlong` is called as soon as it passes the cap,
 * and the rest of it, up to its newline, is discarded.
 */
class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(
    private readonly max: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      if (!this.discarding) {
        if (this.size + (end - start) > this.max) {
          this.parts = [];
          this.size = 0;
          this.discarding = true;
          this.onOverlong();
        } else if (end > start) {
          this.parts.push(chunk.subarray(start, end));
          this.size += end - start;
        }
      }
      if (nl === -1) return;
      if (this.discarding) this.discarding = false;
      else this.emit();
      start = nl + 1;
    }
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    if (!this.discarding && this.size > 0) this.emit();
  }

  private emit(): void {
    const line = this.parts.length === 1 ? this.parts[0]!.toString('utf8') : Buffer.concat(this.parts, this.size).toString('utf8');
    this.parts = [];
    this.size = 0;
    this.onLine(line);
  }
}

// ----------------------------------------------------------------------------------------------
// process-group bookkeeping

function killGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  killGroupOf(pid);
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+$/u, '').replace(/^\s+/u, '');
}

// ----------------------------------------------------------------------------------------------
// one process

interface Pending {
  fn: string;
  resolve: (r: CallResult) => void;
  timer: NodeJS.Timeout | undefined;
}

class Proc {
  readonly child: ChildProcess;
  readonly pending = new Map<number, Pending>();
  alive = true;
  stderr = '';
  /** Why we killed it, if we did. */
  private killReason: string | undefined;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private spawnError: Error | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private reaped = false;
  private readonly reapWaiters: (() => void)[] = [];
  private readonly deathWaiters: (() => void)[] = [];

  constructor(
    command: string,
    opts: SubprocessOptions,
    private readonly onNoise: (line: string) => void,
    private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
    private readonly maxDepth: number = DEFAULT_MAX_DEPTH,
  ) {
    this.child = spawn(command, {
      shell: true,
      detached: process.platform !== 'win32',
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    if (this.child.pid !== undefined) registerGroup(this.child.pid);
    this.child.stdin?.on('error', () => {
      /* EPIPE when the program is gone: its exit resolves the outstanding calls */
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-STDERR_TAIL);
    });
    this.child.stderr?.on('error', () => {});
    this.child.stdout?.on('error', () => {});
    if (this.child.stdout) {
      const lines = new LineSplitter(this.maxLineBytes, (line) => this.onLine(line), () => this.onOverlong());
      this.child.stdout.on('data', (d: Buffer) => lines.push(d));
      this.child.stdout.on('end', () => lines.end());
    }
    this.child.on('error', (err) => {
      this.spawnError = err;
      this.finish();
      this.markReaped();
    });
    this.child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
      this.markReaped();
      // Normally 'close' follows once stdout and stderr have delivered everything. The timer only
      // matters when something the program started still holds the pipes; it defers to the poll
      // phase once more (setImmediate) so that data already in the pipes is read first even when
      // the event loop was late.
      if (this.alive) this.drainTimer = setTimeout(() => setImmediate(() => this.finish()), DRAIN_MS);
    });
    this.child.on('close', () => {
      this.finish();
      this.markReaped();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private markReaped(): void {
    if (this.reaped) return;
    this.reaped = true;
    for (const w of this.reapWaiters.splice(0)) w();
  }

  /** Resolves once the process has exited (and been reaped), or after `ms`. */
  waitExit(ms: number): Promise<void> {
    if (this.reaped) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.reapWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Resolves when the process is dead (pending calls resolved), or after `ms`. */
  waitDeath(ms: number): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.deathWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** A line longer than maxLineBytes: every outstanding call fails (we cannot tell whose answer it was), the group is killed. */
  private onOverlong(): void {
    if (!this.alive) return;
    const what = `answer line longer than ${this.maxLineBytes} bytes (--max-line-bytes)`;
    for (const [id, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve({ ok: false, kind: 'protocol', message: `${what} while ${p.fn} (request ${id}) was waiting; the process was killed` });
    }
    this.kill(`the process was killed after it wrote an ${what}`);
  }

  private onLine(raw: string): void {
    if (!this.alive) return;
    const line = raw.trim();
    if (line === '') return;
    const scan = scanAnswerLine(line);
    if (scan.depth > this.maxDepth) {
      // Not parsed at all; the id, when the scan found one, says whose answer it was.
      const p = scan.id !== undefined ? this.pending.get(scan.id) : undefined;
      if (p === undefined) return this.onNoise(raw);
      this.pending.delete(scan.id!);
      if (p.timer) clearTimeout(p.timer);
      p.resolve({ ok: false, kind: 'protocol', message: `the answer to ${p.fn} (request ${scan.id}) is nested ${scan.depth} levels deep, more than ${this.maxDepth} (--max-depth)` });
      return;
    }
    let msg: unknown;
    try {
      msg = parseJsonLine(line);
    } catch {
      this.onNoise(raw);
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return this.onNoise(raw);
    const m = msg as Record<string, unknown>;
    const id = m.id;
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (p === undefined) return this.onNoise(raw);
    this.pending.delete(id as number);
    if (p.timer) clearTimeout(p.timer);
    if ('error' in m) {
      const e = m.error;
      p.resolve({ ok: false, kind: 'threw', message: typeof e === 'string' ? e : JSON.stringify(e) ?? String(e) });
    } else if ('result' in m) {
      if (scan.outOfRange !== undefined) {
        const tok = scan.outOfRange.length > 40 ? `${scan.outOfRange.slice(0, 40)}…` : scan.outOfRange;
        const inf = scan.outOfRange.startsWith('-') ? '-Infinity' : 'Infinity';
        p.resolve({ ok: false, kind: 'protocol', message: `the answer to ${p.fn} (request ${id}) has the number ${tok}: ${tok} is outside the float64 range; write ${inf} as "${inf}"` });
      } else {
        p.resolve({ ok: true, value: decodeResult(m.result) });
      }
    } else {
      p.resolve({ ok: false, kind: 'protocol', message: `the answer to ${p.fn} (request ${id}) has neither "result" nor "error": ${line.slice(0, 200)}` });
    }
  }

  /** What happened to it ("exited with code 3", "was killed by signal SIGSEGV", …), without the stderr tail. */
  deathWhat(): string {
    if (this.killReason !== undefined) return this.killReason;
    if (this.spawnError) return `could not be run: ${this.spawnError.message}`;
    if (this.exitSignal) return `was killed by signal ${this.exitSignal}`;
    if (this.exitCode !== null) return `exited with code ${this.exitCode}`;
    return 'closed its stdout';
  }

  /** " (stderr tail: …)", or "" when it wrote nothing to stderr. */
  tailSuffix(): string {
    const tail = oneLine(this.stderr);
    return tail === '' ? '' : ` (stderr tail: ${tail})`;
  }

  /** Why it died, for messages: "exited with code 3 (stderr tail: …)". Our own kills are not decorated. */
  deathMessage(): string {
    return this.killReason !== undefined ? this.killReason : this.deathWhat() + this.tailSuffix();
  }

  /** Marks the process dead (idempotent) and resolves every outstanding call as crashed. */
  private finish(): void {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    if (!this.alive) return;
    this.alive = false;
    killGroup(this.child); // the program if it still runs, and whatever it started and left behind
    if (this.child.pid !== undefined) unregisterGroup(this.child.pid);
    const message = this.deathMessage();
    for (const [id, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve({ ok: false, kind: 'crashed', message });
    }
    this.child.stdin?.destroy();
    for (const w of this.deathWaiters.splice(0)) w();
  }

  /** SIGKILLs the process group; outstanding calls resolve crashed with `reason`. */
  kill(reason: string): void {
    if (!this.alive) return;
    this.killReason = reason;
    this.finish();
  }

  /** Sends one request; resolves with its answer, a timeout, or the process's death. */
  request(id: number, fn: string, args: readonly unknown[] | undefined, timeoutMs: number, onTimeout: (fn: string, id: number) => void): Promise<CallResult> {
    return new Promise<CallResult>((resolve) => {
      if (!this.alive) {
        resolve({ ok: false, kind: 'crashed', message: this.deathMessage() });
        return;
      }
      let line: string;
      try {
        line = encodeRequest(id, fn, args);
      } catch (e) {
        resolve({ ok: false, kind: 'protocol', message: `the arguments of ${fn} cannot be encoded as JSON: ${(e as Error).message}` });
        return;
      }
      // When the timer fires, the answer may already be in the pipe, unread because the event loop
      // was busy (timers run before I/O in a loop iteration): setImmediate lets the poll phase read
      // it first, so a timeout is declared only on what the program really has not written.
      const timer = setTimeout(() => {
        setImmediate(() => {
          if (!this.pending.delete(id)) return;
          resolve({ ok: false, kind: 'timeout', message: `no answer to ${fn} (request ${id}) within ${timeoutMs} ms; the process was killed` });
          onTimeout(fn, id);
        });
      }, timeoutMs);
      this.pending.set(id, { fn, resolve, timer });
      this.child.stdin?.write(line + '\n');
    });
  }

  endInput(): void {
    this.child.stdin?.end();
  }
}

// ----------------------------------------------------------------------------------------------
// the handle

function positive(name: string, v: number | undefined, dflt: number, command: string, allowZero = false): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new CandidateStartError(command, `option ${name} must be a ${allowZero ? 'nonnegative' : 'positive'} finite number, got ${String(v)}`);
  }
  return v;
}

/** The functions klcheck checks: the contract's, and the extra ones the check run draws cases for (generalizedKl, posterior, klNormalDiag, …). */


function parseDescribe(command: string, value: unknown): { meta: CandidateMeta; functions: string[] } {
  const bad = (why: string) => new CandidateStartError(command, `its describe answer ${why}: ${JSON.stringify(value)?.slice(0, 300)}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('is not an object');
  const d = value as Record<string, unknown>;
  if (!Array.isArray(d.functions) || d.functions.some((f) => typeof f !== 'string')) throw bad('has no "functions" array of strings');
  const name = d.name === undefined ? command : typeof d.name === 'string' ? d.name : undefined;
  if (name === undefined) throw bad('has a "name" that is not a string');
  const precision = d.precision === undefined ? 'float64' : d.precision;
  if (precision !== 'float64' && precision !== 'float32') throw bad('has a "precision" other than "float64" or "float32"');
  const base = d.base === undefined || d.base === 'e' ? 'e' : d.base === 2 || d.base === '2' ? 2 : d.base === 10 || d.base === '10' ? 10 : undefined;
  if (base === undefined) throw bad('has a "base" other than "e", 2 or 10');
  const functions = [...new Set(d.functions as string[])];
  if (!functions.some((f) => (CONTRACT_FUNCTIONS as readonly string[]).includes(f))) {
    const listed = functions.length === 0 ? 'none' : functions.slice(0, 20).map((f) => JSON.stringify(f.length > 60 ? `${f.slice(0, 60)}…` : f)).join(', ') + (functions.length > 20 ? `, … (${functions.length} in all)` : '');
    throw new CandidateStartError(command, `its describe answer lists no function klcheck checks (it listed: ${listed}); expected at least one of ${CONTRACT_FUNCTIONS.join(', ')}`);
  }
  return { meta: { name, precision, base }, functions };
}

class SubprocessCandidate implements SubprocessCandidateHandle {
  readonly kind = 'subprocess' as const;
  meta!: CandidateMeta;
  functions: readonly string[] = [];
  private proc: Proc | undefined;
  private starting: Promise<Proc> | undefined;
  private nextId = 1;
  /** Restarts in the current property (reset by beginProperty); the budget applies to it. */
  private restartCount = 0;
  /** Restarts over the handle's life. */
  private restartTotal = 0;
  private closed = false;
  private readonly noiseLines: string[] = [];
  private noiseTotal = 0;
  private firstNoise: string | undefined;
  private readonly timeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly maxRestarts: number;
  private readonly maxLineBytes: number;
  private readonly maxDepth: number;

  constructor(
    readonly source: string,
    private readonly opts: SubprocessOptions,
  ) {
    this.timeoutMs = positive('timeoutMs', opts.timeoutMs, 10000, source);
    this.startTimeoutMs = positive('startTimeoutMs', opts.startTimeoutMs, 15000, source);
    this.maxRestarts = Math.floor(positive('maxRestarts', opts.maxRestarts, 3, source, true));
    this.maxLineBytes = Math.max(1, Math.floor(positive('maxLineBytes', opts.maxLineBytes, DEFAULT_MAX_LINE_BYTES, source)));
    if (this.maxLineBytes > MAX_LINE_BYTES_LIMIT) throw new CandidateStartError(source, `option maxLineBytes must be at most ${MAX_LINE_BYTES_LIMIT} (the longest string Node can hold), got ${opts.maxLineBytes}`);
    this.maxDepth = Math.max(1, Math.floor(positive('maxDepth', opts.maxDepth, DEFAULT_MAX_DEPTH, source)));
  }

  get restarts(): number {
    return this.restartTotal;
  }

  /** A new property: its restart budget starts full. A dead process stays dead until the next call restarts it. */
  beginProperty(): void {
    this.restartCount = 0;
  }

  get pid(): number | undefined {
    return this.proc?.alive ? this.proc.pid : undefined;
  }

  noise(): string[] {
    return this.noiseLines.slice();
  }

  noiseCount(): number {
    return this.noiseTotal;
  }

  stderrTail(): string {
    return this.proc?.stderr ?? '';
  }

  /**
   * " (it also wrote 3 lines that are not answers; the first: «…»)", or "" when it wrote none: a
   * program whose answers are all rejected shows why, instead of only timing out.
   */
  noiseSuffix(): string {
    if (this.firstNoise === undefined) return '';
    const first = this.firstNoise.length > 200 ? `${this.firstNoise.slice(0, 200)}…` : this.firstNoise;
    return ` (it wrote ${this.noiseTotal === 1 ? '1 line that is not an answer' : `${this.noiseTotal} lines that are not answers`}; the first: «${first}»)`;
  }

  private recordNoise = (line: string): void => {
    this.noiseTotal++;
    if (this.firstNoise === undefined) this.firstNoise = line.length > NOISE_LINE ? line.slice(0, NOISE_LINE) : line;
    this.noiseLines.push(line.length > NOISE_LINE ? `${line.slice(0, NOISE_LINE)}…` : line);
    if (this.noiseLines.length > NOISE_KEEP) this.noiseLines.shift();
  };

  /** Spawns a process and waits for its describe answer. Rejects with CandidateStartError. */
  async launch(): Promise<{ proc: Proc; meta: CandidateMeta; functions: string[] }> {
    const command = this.source;
    let proc: Proc;
    try {
      proc = new Proc(command, this.opts, this.recordNoise, this.maxLineBytes, this.maxDepth);
    } catch (e) {
      throw new CandidateStartError(command, `spawn failed: ${(e as Error).message}`);
    }
    this.proc = proc;
    const r = await proc.request(0, 'describe', undefined, this.startTimeoutMs, () => {
      proc.kill(`did not answer describe within ${this.startTimeoutMs} ms`);
    });
    if (!r.ok) {
      const stderr = proc.stderr;
      if (r.kind === 'timeout') {
        const hint = this.noiseTotal > 0 ? this.noiseSuffix()
          : '; if it is running, its output may be buffered: flush stdout after each line (Python: print(..., flush=True) or python3 -u; C: fflush(stdout))';
        throw new CandidateStartError(command, `it did not answer describe within ${this.startTimeoutMs} ms${hint}${proc.tailSuffix()}`, stderr);
      }
      if (r.kind === 'crashed') {
        const what = proc.deathWhat();
        const reason = what.startsWith('could not') ? `it ${what}` : `it ${what} before answering describe`;
        throw new CandidateStartError(command, reason + proc.tailSuffix(), stderr);
      }
      proc.kill('its describe answer was rejected');
      if (r.kind === 'threw') throw new CandidateStartError(command, `describe answered an error: ${r.message}`, stderr);
      throw new CandidateStartError(command, `describe failed: ${r.message}`, stderr);
    }
    try {
      const d = parseDescribe(command, r.value);
      return { proc, ...d };
    } catch (e) {
      proc.kill('its describe answer was rejected');
      throw e;
    }
  }

  /** The running process, restarting a dead one if the budget allows. Rejects with a message for a 'crashed' result. */
  private ensureRunning(): Promise<Proc> {
    if (this.proc?.alive) return Promise.resolve(this.proc);
    if (this.starting) return this.starting;
    if (this.restartCount >= this.maxRestarts) {
      const last = this.proc ? `; last failure: ${this.proc.deathMessage()}${this.noiseSuffix()}` : this.noiseSuffix();
      return Promise.reject(new Error(`gave up after ${this.restartCount} restarts${last}`));
    }
    this.restartCount++;
    this.restartTotal++;
    const n = this.restartCount;
    this.starting = this.launch()
      .then(({ proc }) => {
        if (this.closed) {
          proc.kill('the candidate was closed');
          throw new Error('the candidate was closed');
        }
        return proc;
      })
      .catch((e: unknown) => {
        const msg = e instanceof CandidateStartError ? e.reason : (e as Error).message;
        throw new Error(`restart ${n} of ${this.maxRestarts} failed: ${msg}`);
      })
      .finally(() => {
        this.starting = undefined;
      });
    return this.starting;
  }

  private onTimeout = (proc: Proc) => (fn: string, id: number): void => {
    proc.kill(`the process was killed after ${fn} (request ${id}) timed out (${this.timeoutMs} ms)${this.noiseSuffix()}${proc.tailSuffix()}`);
  };

  async call(fn: string, args: unknown[]): Promise<CallResult> {
    if (this.closed) return { ok: false, kind: 'crashed', message: 'the candidate was closed' };
    if (!this.functions.includes(fn)) return { ok: false, kind: 'protocol', message: `no function ${fn}()` };
    let proc: Proc;
    try {
      proc = await this.ensureRunning();
    } catch (e) {
      return { ok: false, kind: 'crashed', message: (e as Error).message };
    }
    const id = this.nextId++;
    return proc.request(id, fn, args, this.timeoutMs, this.onTimeout(proc));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.starting) await this.starting.catch(() => undefined);
    const proc = this.proc;
    if (!proc) return;
    if (proc.alive) {
      proc.endInput();
      await proc.waitDeath(CLOSE_GRACE_MS);
      proc.kill('the candidate was closed');
    }
    await proc.waitExit(2000);
  }

  async start(): Promise<void> {
    const { meta, functions } = await this.launch();
    this.meta = meta;
    this.functions = functions;
  }
}

/**
 * Starts `command` (a shell command line) as a JSON-lines candidate and asks it to describe itself.
 * Rejects with {@link CandidateStartError} if it cannot be started, dies, or does not answer
 * describe correctly within `startTimeoutMs`. The handle must be closed.
 */
export async function startSubprocessCandidate(command: string, opts: SubprocessOptions = {}): Promise<SubprocessCandidateHandle> {
  if (typeof command !== 'string' || command.trim() === '') throw new CandidateStartError(String(command), 'the command line is empty');
  if (opts.cwd !== undefined && !isDirectory(opts.cwd)) throw new CandidateStartError(command, `the working directory ${opts.cwd} does not exist`);
  const h = new SubprocessCandidate(command, opts);
  await h.start();
  return h;
}
