/**
 * One running program of a JSON-lines candidate: spawned in its own process group (ended whole, on
 * a timeout, a crash, close or klcheck's exit — src/harness/process-groups.ts), its pending calls and
 * their timeouts, its stderr tail and the stray stdout lines ("noise"). The restart policy is the
 * handle's (candidate.ts).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { CallResult } from '../candidate';
import { killGroupOf, registerGroup, unregisterGroup } from '../process-groups';
import { decodeResult, parseJsonLine } from '../../numeric/wire';
import { encodeRequest, LineSplitter, scanAnswerLine } from './framing';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LINE_BYTES, SubprocessOptions } from './options';

export const STDERR_TAIL = 2048;
export const NOISE_KEEP = 1000;
export const NOISE_LINE = 1000;
export const DRAIN_MS = 300; // after exit, how long stdout / stderr may take to deliver their last bytes
export const CLOSE_GRACE_MS = 500;

export function killGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  killGroupOf(pid);
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function oneLine(s: string): string {
  return s.replace(/\s+$/u, '').replace(/^\s+/u, '');
}

export interface Pending {
  fn: string;
  resolve: (r: CallResult) => void;
  timer: NodeJS.Timeout | undefined;
}

export class Proc {
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
