/**
 * JS/TS module candidates (ESM or CommonJS; named exports or a default-exported object; .ts through
 * ts-node), run in a worker thread: a call that hangs is stopped by terminating the worker, which is
 * then restarted for the next call; a module that throws or calls process.exit cannot take the
 * harness down; mutation of the inputs is detected in the worker.
 *
 * An optional `meta` export `{name, precision: 'float64' | 'float32', base: 'e' | 2 | 10}` declares
 * what the module is; CLI flags override it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { KlcheckError } from '../numeric/errors';
import { CallResult, CandidateHandle, CandidateMeta, CONTRACT_FUNCTIONS } from './candidate';

/** The module could not be found, loaded, or exports nothing of the contract (CLI exit code 2). */
export class CandidateLoadError extends KlcheckError {
  override name = 'CandidateLoadError';
}

export interface ModuleOptions {
  /** Per-call timeout in milliseconds (default 10000). */
  timeoutMs?: number;
  /** Meta overrides (CLI flags). */
  meta?: Partial<CandidateMeta>;
  /** How many times a hung or crashed worker is restarted before calls give up (default 3). */
  maxRestarts?: number;
}

const WORKER = path.join(__dirname, 'module-worker.js');
const TSCONFIG = path.join(__dirname, '..', '..', 'tsconfig.json');

interface Pending {
  resolve: (r: CallResult & { mutated?: boolean }) => void;
  timer: NodeJS.Timeout;
}

/** A candidate call result, plus whether the call mutated its inputs. */
export type ModuleCallResult = CallResult & { mutated?: boolean };

export interface ModuleCandidate extends CandidateHandle {
  call(fn: string, args: unknown[]): Promise<ModuleCallResult>;
  /** How many times the worker was restarted (after a hang or a crash). */
  restarts(): number;
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

export async function loadModuleCandidate(spec: string, opts: ModuleOptions = {}): Promise<ModuleCandidate> {
  const file = path.resolve(spec);
  if (!fs.existsSync(file)) throw new CandidateLoadError(`cannot find module '${spec}' (resolved to ${file})`);
  if (fs.statSync(file).isDirectory()) throw new CandidateLoadError(`'${spec}' is a directory; give the module file (resolved to ${file})`);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxRestarts = opts.maxRestarts ?? 3;
  let worker: Worker | null = null;
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

  function start(): Promise<void> {
    const w = new Worker(WORKER, { stdout: true, stderr: true });
    worker = w;
    // The module's console output must not reach klcheck's stdout.
    w.stdout.resume();
    w.stderr.resume();
    ready = new Promise<void>((resolve, reject) => {
      const onMessage = (msg: { type: string; [k: string]: unknown }) => {
        if (msg.type === 'loaded') {
          loaded = { functions: msg.functions as string[], meta: msg.meta };
          resolve();
        } else if (msg.type === 'load-error') {
          reject(new CandidateLoadError(`cannot load '${spec}': ${String(msg.message)}`));
          if (worker === w) worker = null;
          void w.terminate();
        } else if (msg.type === 'result') {
          const p = pending.get(msg.id as number);
          if (!p) return;
          clearTimeout(p.timer);
          pending.delete(msg.id as number);
          p.resolve(msg.ok
            ? { ok: true, value: msg.value, mutated: msg.mutated as boolean }
            : { ok: false, kind: (msg.kind as 'threw' | 'protocol') ?? 'threw', message: String(msg.message), mutated: msg.mutated as boolean });
        }
      };
      w.on('message', onMessage);
      w.on('error', (e) => {
        reject(new CandidateLoadError(`cannot load '${spec}': ${e.message}`));
        failAll('crashed', `the module crashed: ${e.message}`);
        if (worker === w) worker = null;
      });
      w.on('exit', (code) => {
        reject(new CandidateLoadError(`cannot load '${spec}': the worker exited with code ${code}`));
        failAll('crashed', `the module ended its thread (exit code ${code})`);
        if (worker === w) worker = null;
      });
      w.postMessage({ type: 'load', path: file, tsconfig: TSCONFIG });
    });
    return ready;
  }

  await start();
  const functions = loaded!.functions;
  let declared: Partial<CandidateMeta>;
  try {
    declared = validMeta(loaded!.meta, spec);
    if (!functions.some((f) => f in CONTRACT_FUNCTIONS)) {
      throw new CandidateLoadError(`'${spec}' exports none of the contract functions (${Object.keys(CONTRACT_FUNCTIONS).join(', ')}); found: ${functions.join(', ') || 'nothing'}`);
    }
  } catch (e) {
    await (worker as Worker | null)?.terminate();
    throw e;
  }
  const meta: CandidateMeta = {
    name: opts.meta?.name ?? declared.name ?? path.basename(spec),
    precision: opts.meta?.precision ?? declared.precision ?? 'float64',
    base: opts.meta?.base ?? declared.base ?? 'e',
  };

  async function ensureWorker(): Promise<boolean> {
    if (worker) {
      await ready;
      return true;
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
    async call(fn, args) {
      if (!(await ensureWorker())) return { ok: false, kind: 'crashed', message: `gave up after ${restarts} restart${restarts === 1 ? '' : 's'}` };
      const w = worker!;
      const id = nextId++;
      return new Promise<ModuleCallResult>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, kind: 'timeout', message: `${fn}() did not answer within ${timeoutMs} ms; the module was stopped` });
          if (worker === w) worker = null;
          void w.terminate();
        }, timeoutMs);
        pending.set(id, { resolve, timer });
        try {
          w.postMessage({ type: 'call', id, fn, args });
        } catch (e) {
          clearTimeout(timer);
          pending.delete(id);
          resolve({ ok: false, kind: 'protocol', message: `the arguments cannot be sent: ${(e as Error).message}` });
        }
      });
    },
    async close() {
      const w = worker;
      worker = null;
      failAll('crashed', 'closed');
      if (w) await w.terminate();
    },
  };
}
