/**
 * A candidate: an implementation under test, however it is reached (the built-in kernels, a JS/TS
 * module, a subprocess speaking JSON lines). The harness sees only this interface: every call is
 * asynchronous and never throws — a candidate that throws, hangs, crashes or answers garbage gives
 * a CallResult describing that, so the run goes on and the report is written.
 */

export interface CandidateMeta {
  name: string;
  precision: 'float64' | 'float32';
  base: 'e' | 2 | 10;
}

export type CallResult =
  | { ok: true; value: unknown }
  | { ok: false; kind: 'threw' | 'timeout' | 'crashed' | 'protocol'; message: string };

export interface CandidateHandle {
  readonly meta: CandidateMeta;
  /** 'builtin' | 'module' | 'subprocess' */
  readonly kind: string;
  /** Where it came from (module path, command line). */
  readonly source: string;
  /** The contract functions (or extra ones) it provides. */
  readonly functions: readonly string[];
  call(fn: string, args: unknown[]): Promise<CallResult>;
  /**
   * In-process candidates only: the same call, answered synchronously; undefined when the function
   * returned a promise (the caller then uses `call`). Lets synchronous code (the theorems' float64
   * checks) call the candidate directly instead of by memoised re-execution.
   */
  callSync?(fn: string, args: unknown[]): CallResult | undefined;
  /** Resets per-property budgets (the restarts a crashing candidate is allowed); the harness calls it before each property. */
  beginProperty?(): void;
  close(): Promise<void>;
  /** Resets per-property budgets (restarts); the harness calls it before each property. */
  beginProperty?(): void;
}

/** What a candidate threw, in words: "TypeError: …" for an Error, else what kind of value it was ("a number 42 (not an Error)"). */
export function threwMessage(e: unknown): string {
  if (e !== null && typeof e === 'object' && typeof (e as Error).message === 'string') {
    const name = (e as Error).name;
    return `${typeof name === 'string' ? name : 'Error'}: ${(e as Error).message}`;
  }
  const type = e === null ? 'null' : e === undefined ? 'undefined' : Array.isArray(e) ? 'an array' : typeof e === 'object' ? 'an object' : `a ${typeof e}`;
  let shown: string;
  try {
    shown = typeof e === 'string' || (typeof e === 'object' && e !== null) ? JSON.stringify(e) : String(e);
  } catch {
    shown = '(unprintable)';
  }
  return `${type}${e === null || e === undefined ? '' : ` ${String(shown).slice(0, 200)}`} (not an Error)`;
}

/** Wraps a map of plain synchronous functions (in-process: the built-in kernels, a loaded module). */
export function inProcessCandidate(
  fns: Readonly<Record<string, unknown>>,
  meta: CandidateMeta,
  kind: string,
  source: string,
): CandidateHandle {
  const functions = Object.keys(fns).filter((k) => typeof fns[k] === 'function');
  return {
    meta,
    kind,
    source,
    functions,
    async call(fn, args) {
      const f = fns[fn];
      if (typeof f !== 'function') return { ok: false, kind: 'protocol', message: `no function ${fn}()` };
      try {
        return { ok: true, value: await (f as (...a: unknown[]) => unknown)(...args) };
      } catch (e) {
        return { ok: false, kind: 'threw', message: threwMessage(e) };
      }
    },
    callSync(fn, args) {
      const f = fns[fn];
      if (typeof f !== 'function') return { ok: false, kind: 'protocol', message: `no function ${fn}()` };
      try {
        const value = (f as (...a: unknown[]) => unknown)(...args);
        return typeof (value as { then?: unknown } | null)?.then === 'function' ? undefined : { ok: true, value };
      } catch (e) {
        return { ok: false, kind: 'threw', message: threwMessage(e) };
      }
    },
    async close() {},
  };
}

export type CandidateFn = (...args: never[]) => unknown;
/** A plain map of functions (wrapped in-process), or a candidate handle. */
export type Candidate = Readonly<Record<string, CandidateFn | undefined>> | CandidateHandle;

function isHandle(c: Candidate): c is CandidateHandle {
  return typeof (c as CandidateHandle).call === 'function' && Array.isArray((c as CandidateHandle).functions);
}

/** A candidate as a handle (plain maps are wrapped in-process, float64, natural logs). */
export function asHandle(c: Candidate): CandidateHandle {
  if (isHandle(c)) return c;
  return inProcessCandidate(c as Record<string, unknown>, { name: 'in-process functions', precision: 'float64', base: 'e' }, 'module', 'in-process');
}
