/**
 * A JSON-lines candidate's handle: starts the program and reads its describe answer, routes each call
 * to the live process, restarts a dead one (at most maxRestarts times per property), and closes it.
 * The protocol and its table of misbehaviour: src/harness/subprocess/index.ts.
 */
import { KlcheckError } from '../../numeric/errors';
import type { CallResult, CandidateHandle, CandidateMeta } from '../candidate';
import { CONTRACT_FUNCTIONS } from '../../contract';
import { CLOSE_GRACE_MS, isDirectory, NOISE_KEEP, NOISE_LINE, Proc } from './process';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LINE_BYTES, MAX_LINE_BYTES_LIMIT, SubprocessOptions } from './options';

export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LINE_BYTES, MAX_LINE_BYTES_LIMIT } from './options';
export type { SubprocessOptions } from './options';

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

function positive(name: string, v: number | undefined, dflt: number, command: string, allowZero = false): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new CandidateStartError(command, `option ${name} must be a ${allowZero ? 'nonnegative' : 'positive'} finite number, got ${String(v)}`);
  }
  return v;
}

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
