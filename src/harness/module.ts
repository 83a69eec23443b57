/**
 * JS/TS module candidates (ESM or CommonJS; named exports or a default-exported object; .ts through
 * ts-node), run in a child process of their own (src/harness/module-host.js), the leader of its own
 * process group: a call that hangs, or a module that never finishes loading (an endless loop at top
 * level, a top-level await that never settles), is stopped by killing the group — the module and
 * everything it started — and the host is restarted for the next call; a module that throws or
 * calls process.exit cannot take the harness down. Mutation of the inputs is judged here, in the
 * harness, byte for byte, on the arguments the host sends back after each call (out of the module's
 * reach: patching Object.is in the module does not hide it). The restart budget is per property
 * (`beginProperty`).
 *
 * An optional `meta` export `{name, precision: 'float64' | 'float32', base: 'e' | 2 | 10}` declares
 * what the module is; CLI flags override it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcess, fork } from 'node:child_process';
import { KlcheckError } from '../numeric/errors';
import { CallResult, CandidateHandle, CandidateMeta } from './candidate';
import { CONTRACT_FUNCTIONS } from '../contract';
import { killGroupOf, registerGroup, unregisterGroup } from './process-groups';

/** The module could not be found, loaded, or exports nothing of the contract (CLI exit code 2). */
export class CandidateLoadError extends KlcheckError {
  override name = 'CandidateLoadError';
}

export interface ModuleOptions {
  /** Per-call timeout in milliseconds (default 10000). */
  timeoutMs?: number;
  /** Meta overrides (CLI flags). */
  meta?: Partial<CandidateMeta>;
  /** How many times a hung or crashed host is restarted within one property before calls give up (default 3). */
  maxRestarts?: number;
  /** How long loading the module may take, at start and at each restart (default 30000 ms). */
  startTimeoutMs?: number;
  /** Environment of the host process (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

const HOST = path.join(__dirname, 'module-host.js');
const STDERR_TAIL = 2048;
const TSCONFIG = path.join(__dirname, '..', '..', 'tsconfig.json');

interface Pending {
  resolve: (r: CallResult & { mutated?: boolean }) => void;
  timer: NodeJS.Timeout;
  /** The arguments as sent (purity is judged against them). */
  args: unknown[];
}

/** A candidate call result, plus whether the call mutated its inputs. */
export type ModuleCallResult = CallResult & { mutated?: boolean };

export interface ModuleCandidate extends CandidateHandle {
  call(fn: string, args: unknown[]): Promise<ModuleCallResult>;
  /** How many times the host was restarted (after a hang or a crash) in the current property. */
  restarts(): number;
  /** The pid of the host process now running (the leader of its process group), if one runs. */
  pid(): number | undefined;
}

function validMeta(raw: unknown, file: string): Partial<CandidateMeta> {
  if (!raw || typeof raw !== 'object') return {};
  const m = raw as Record<string, unknown>;
  const out: Partial<CandidateMeta> = {};
  if (typeof m.name === 'string') out.name = m.name;
  if (m.precision === 'float64' || m.precision === 'float32') out.precision = m.precision;
  else if (m.precision !== undefined) throw new CandidateLoadError(`${file}: meta.precision must be 'float64' or 'float32', got ${JSON.stringify(m.precision)}`);
  if (m.base === 'e' || m.base === 2 || m.base === 10) out.base = m.base;
  else if (m.base !== undefined) throw new CandidateLoadError(`${file}: meta.base must be 'e', 2 or 10, got ${JSON.stringify(m.base)}`);
  return out;
}

/** Same contents, bit for bit: numbers by their float64 bits (so −0 ≠ 0, NaN = NaN), arrays and typed arrays elementwise. */
export function sameBits(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  const f = new Float64Array(2);
  const u = new Uint32Array(f.buffer);
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (typeof x === 'number' || typeof y === 'number') {
      if (typeof x !== 'number' || typeof y !== 'number') return false;
      f[0] = x;
      f[1] = y;
      if (u[0] !== u[2] || u[1] !== u[3]) return false;
      continue;
    }
    const ax = Array.isArray(x) || ArrayBuffer.isView(x), ay = Array.isArray(y) || ArrayBuffer.isView(y);
    if (ax || ay) {
      if (!ax || !ay || Array.isArray(x) !== Array.isArray(y)) return false;
      const xs = x as ArrayLike<unknown>, ys = y as ArrayLike<unknown>;
      if (xs.length !== ys.length) return false;
      for (let i = 0; i < xs.length; i++) stack.push([xs[i], ys[i]]);
      continue;
    }
    if (!Object.is(x, y)) return false;
  }
  return true;
}

export async function loadModuleCandidate(spec: string, opts: ModuleOptions = {}): Promise<ModuleCandidate> {
  const file = path.resolve(spec);
  if (!fs.existsSync(file)) throw new CandidateLoadError(`cannot find module '${spec}' (resolved to ${file})`);
  if (fs.statSync(file).isDirectory()) throw new CandidateLoadError(`'${spec}' is a directory; give the module file (resolved to ${file})`);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxRestarts = opts.maxRestarts ?? 3;
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  let host: ChildProcess | null = null;
  let ready: Promise<void> | null = null;
  let restarts = 0;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let loaded: { functions: string[]; meta: unknown } | null = null;

  function failAll(kind: 'crashed' | 'timeout', message: string): void {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, kind, message });
      pending.delete(id);
    }
  }

  /** Ends a host and its whole process group. */
  function stop(h: ChildProcess): void {
    if (h.pid !== undefined) {
      killGroupOf(h.pid);
      unregisterGroup(h.pid);
    }
    if (host === h) host = null;
  }

  function start(): Promise<void> {
    const h = fork(HOST, [], {
      detached: process.platform !== 'win32',
      serialization: 'advanced',
      // The module's console output must not reach klcheck's stdout; stderr is kept for crash messages.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
      env: opts.env ?? process.env,
    });
    host = h;
    if (h.pid !== undefined) registerGroup(h.pid);
    let stderr = '';
    h.stderr?.setEncoding('utf8');
    h.stderr?.on('data', (d: string) => { stderr = (stderr + d).slice(-STDERR_TAIL); });
    h.stderr?.on('error', () => {});
    const tail = () => {
      const t = stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' | ');
      return t ? ` (stderr: ${t.slice(-400)})` : '';
    };
    ready = new Promise<void>((resolve, reject) => {
      const loadTimer = setTimeout(() => {
        reject(new CandidateLoadError(`cannot load '${spec}': it did not finish loading within ${startTimeoutMs} ms (an endless loop or a top-level await that never settles?); it was stopped`));
        stop(h);
      }, startTimeoutMs);
      h.on('message', (msg: { type: string; [k: string]: unknown }) => {
        if (msg.type === 'loaded') {
          clearTimeout(loadTimer);
          loaded = { functions: msg.functions as string[], meta: msg.meta };
          resolve();
        } else if (msg.type === 'load-error') {
          clearTimeout(loadTimer);
          reject(new CandidateLoadError(`cannot load '${spec}': ${String(msg.message)}`));
          stop(h);
        } else if (msg.type === 'result') {
          const p = pending.get(msg.id as number);
          if (!p) return;
          clearTimeout(p.timer);
          pending.delete(msg.id as number);
          const mutated = !sameBits(p.args, msg.argsAfter);
          p.resolve(msg.ok
            ? { ok: true, value: msg.value, mutated }
            : { ok: false, kind: (msg.kind as 'threw' | 'protocol') ?? 'threw', message: String(msg.message), mutated });
        }
      });
      h.on('error', (e) => {
        clearTimeout(loadTimer);
        reject(new CandidateLoadError(`cannot load '${spec}': ${e.message}`));
        failAll('crashed', `the module host failed: ${e.message}`);
        stop(h);
      });
      h.on('exit', (code, signal) => {
        clearTimeout(loadTimer);
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new CandidateLoadError(`cannot load '${spec}': its process ${how} while loading${tail()}`));
        failAll('crashed', `the module's process ${how}${tail()}`);
        stop(h); // whatever it started and left behind in its group goes too
      });
      h.send({ type: 'load', path: file, tsconfig: TSCONFIG });
    });
    return ready;
  }

  await start();
  const functions = loaded!.functions;
  let declared: Partial<CandidateMeta>;
  try {
    declared = validMeta(loaded!.meta, spec);
    if (!functions.some((f) => (CONTRACT_FUNCTIONS as readonly string[]).includes(f))) {
      throw new CandidateLoadError(`'${spec}' exports none of the contract functions (${CONTRACT_FUNCTIONS.join(', ')}); found: ${functions.join(', ') || 'nothing'}`);
    }
  } catch (e) {
    if (host) stop(host);
    throw e;
  }
  const meta: CandidateMeta = {
    name: opts.meta?.name ?? declared.name ?? path.basename(spec),
    precision: opts.meta?.precision ?? declared.precision ?? 'float64',
    base: opts.meta?.base ?? declared.base ?? 'e',
  };

  async function ensureHost(): Promise<boolean> {
    if (host) {
      try {
        await ready;
        return true;
      } catch {
        return false;
      }
    }
    if (restarts >= maxRestarts) return false;
    restarts++;
    try {
      await start();
      return true;
    } catch {
      return false;
    }
  }

  return {
    meta,
    kind: 'module',
    source: file,
    functions,
    restarts: () => restarts,
    pid: () => host?.pid,
    beginProperty() {
      restarts = 0;
    },
    async call(fn, args) {
      if (!(await ensureHost())) return { ok: false, kind: 'crashed', message: `gave up after ${restarts} restart${restarts === 1 ? '' : 's'} in this property` };
      const h = host!;
      const id = nextId++;
      return new Promise<ModuleCallResult>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, kind: 'timeout', message: `${fn}() did not answer within ${timeoutMs} ms; the module was stopped` });
          failAll('crashed', `the module was stopped after ${fn}() timed out`);
          stop(h);
        }, timeoutMs);
        pending.set(id, { resolve, timer, args });
        try {
          h.send({ type: 'call', id, fn, args }, (err) => {
            if (err && pending.has(id)) {
              clearTimeout(timer);
              pending.delete(id);
              resolve({ ok: false, kind: 'crashed', message: `the module's process is gone: ${err.message}` });
            }
          });
        } catch (e) {
          clearTimeout(timer);
          pending.delete(id);
          resolve({ ok: false, kind: 'protocol', message: `the arguments cannot be sent: ${(e as Error).message}` });
        }
      });
    },
    async close() {
      const h = host;
      failAll('crashed', 'closed');
      if (h) stop(h);
    },
  };
}
