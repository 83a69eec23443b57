/**
 * Theorems evaluated with a candidate's own functions: the float64 check of each theorem
 * (properties/*.ts, `Theorem.float64`) run against any candidate handle — the built-in kernels, a
 * JS/TS module in a worker, a subprocess speaking JSON lines.
 *
 * The theorems' float64 checks are written as synchronous code calling candidate functions directly
 * (`candidate.kl(p, q)`), while a candidate handle answers asynchronously. The bridge is
 * memoised re-execution: the check runs against a proxy whose functions answer from a memo of
 * (function, arguments) → result; a call that is not in the memo yet is recorded and answered with a
 * placeholder (NaN, or a vector of NaN), and the pass is discarded. The recorded calls are then made
 * on the handle — concurrently, so a subprocess sees them pipelined — and the check runs again. A
 * check whose calls do not depend on earlier answers (all of ours) needs two passes; one whose
 * arguments depend on answers needs one more pass per level of dependence (bounded by MAX_PASSES).
 * A failed call (threw, timeout, crashed, protocol) makes the proxy throw, which fails the check with
 * the call's message, exactly as a throwing in-process function does. An in-process candidate
 * (`callSync`: the built-in kernels, plain function maps) is called directly from the proxy, so its
 * checks run once, without re-execution.
 *
 * Domain. Every call a check makes goes through the proxy, which first checks it against the
 * contract's domain of the function (src/contract.ts `inDomain`): `kl(p, q)` of distributions, and
 * so on. A call outside it is a bug of the theorem's check, not of the candidate — a correct
 * candidate may compute anything there (generalised terms, normalising first, clamping at 0) — so
 * it is never sent: the run stops with a {@link TheoremDomainError} naming the theorem and the call.
 * The only exception is a pass of memoised re-execution that has already handed out placeholders:
 * its arguments may be built from a placeholder, and the pass is discarded anyway (the final pass,
 * with every answer known, is checked in full).
 *
 * Layering: like agreement.ts, this module never imports properties/; the CLI passes the theorems in.
 */
import { confirmFailure, confirmationWords } from './confirm';
import fc from 'fast-check';
import type { Theorem } from '../theorem';
import type { Mode } from '../numeric/accuracy';
import { CallResult, CandidateHandle } from './candidate';
import { Candidate, asHandle } from './candidate';
import { interruptParams } from './stop';
import { PropertyResult } from './result';
import { toNats } from './agreement';
import type { StoredTheoremFailure } from './store-format';
import type Decimal from 'decimal.js';
import { judge } from '../numeric/accuracy';
import { reference } from '../reference';
import { candidateProbe, diagnose, diagnoseWithProbes, Diagnosis, Probe } from './diagnose';
import { inDomain } from '../numeric/domain';
import { kernels } from '../kernels';
import { notFullyShrunk, shrinkBudget } from './shrink-budget';

/**
 * Internal error: a theorem's float64 check called a candidate function outside the contract's
 * domain (src/contract.ts). A bug of klcheck (of the theorem module), never reported as a verdict
 * on the candidate.
 */
export class TheoremDomainError extends Error {
  override name = 'TheoremDomainError';
  constructor(readonly theorem: string, readonly fn: string, readonly args: readonly unknown[], readonly reason: string) {
    super(`internal error: the float64 check of theorem '${theorem}' called ${shortCall(fn, args)} outside the contract's domain `
      + `(${reason}); this is a bug of the theorem, not of the candidate (domains: src/contract.ts)`);
  }
}

function shortCall(fn: string, args: readonly unknown[]): string {
  const one = (a: unknown): string => {
    if (!Array.isArray(a)) return String(a);
    const shown = a.slice(0, 6).map((x) => String(x)).join(', ');
    return `[${shown}${a.length > 6 ? `, … (${a.length} entries)` : ''}]`;
  };
  return `${fn}(${args.map(one).join(', ')})`;
}

/** Most check passes per instance (calls whose arguments depend on earlier answers need one each). */
export const MAX_PASSES = 16;
/** Notes kept per theorem result (all are counted). */
export const MAX_THEOREM_NOTES = 3;

export interface TheoremRunOptions {
  seed: number;
  /** Instances per theorem. */
  runs: number;
  /** standard: the standard bound everywhere; strict: the kernels' ulps target where it applies. */
  mode: Mode;
  /** The candidate's precision; theorem checks are judged at float64 bounds, so float32 candidates are skipped. */
  precision?: 'float64' | 'float32';
  /** The candidate's log base: its results are converted to nats before the check sees them. */
  base?: 'e' | 2 | 10;
  /** Restrict to these theorem ids. */
  only?: readonly string[];
  onProgress?: (done: number, total: number, theorem: string) => void;
  /** Epoch milliseconds after which no more instances are drawn (--time-limit). */
  deadline?: number;
  /** Property evaluations allowed for shrinking after the first failure (src/harness/shrink-budget.ts). */
  shrinkBudget?: number;
}

type CheckResult = { ok: boolean; message?: string; note?: string };

/** One call the check made on the candidate, and its answer (in nats). */
export interface TheoremCall {
  fn: string;
  args: unknown[];
  result: { ok: true; value: unknown } | { ok: false; message: string };
}

function argKey(fn: string, args: readonly unknown[]): string {
  const one = (a: unknown): string =>
    Array.isArray(a) ? `[${a.map(one).join(',')}]` : typeof a === 'number' ? (Object.is(a, -0) ? '-0' : String(a)) : JSON.stringify(a) ?? 'undefined';
  return `${fn}(${args.map(one).join(';')})`;
}

function copyArgs(args: readonly unknown[]): unknown[] {
  return args.map((a) => (Array.isArray(a) ? a.slice() : a));
}

/** Placeholder answer for a call not made yet: the check's pass is discarded anyway. */
function placeholder(fn: string, args: readonly unknown[]): unknown {
  if (fn === 'negEntropyGradient' || fn === 'posterior') return Array.isArray(args[0]) ? args[0].map(() => NaN) : [];
  return NaN;
}

/**
 * Runs one float64 check on one instance with the candidate's functions (memoised re-execution,
 * module comment). A check that throws or a failed call is `ok: false` with a message; the only
 * error thrown is {@link TheoremDomainError}, when the check calls outside the contract's domain
 * (even if the check itself caught it).
 */
export async function evaluateTheoremCheck<I>(
  th: Theorem<I>, instance: I, candidate: CandidateHandle, opts: { mode: Mode; base?: 'e' | 2 | 10 },
): Promise<CheckResult & { calls: TheoremCall[] }> {
  const check = th.float64!;
  const calls: TheoremCall[] = [];
  const memo = new Map<string, TheoremCall['result']>();
  const record = (key: string, fn: string, args: unknown[], r: CallResult): TheoremCall['result'] => {
    const entry = r.ok
      ? { ok: true as const, value: toNats(r.value, fn, opts.base ?? 'e') }
      : { ok: false as const, message: r.kind === 'threw' ? `threw ${r.message}` : `${r.kind}: ${r.message}` };
    memo.set(key, entry);
    calls.push({ fn, args, result: entry });
    return entry;
  };
  let violation: TheoremDomainError | undefined;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const pending = new Map<string, { fn: string; args: unknown[] }>();
    const proxy: Record<string, (...a: unknown[]) => unknown> = {};
    for (const fn of candidate.functions) {
      proxy[fn] = (...args: unknown[]) => {
        const dom = inDomain(fn, args);
        if (!dom.ok) {
          // Arguments may come from a placeholder handed out in this pass: the pass is discarded.
          if (pending.size > 0) return placeholder(fn, args);
          violation ??= new TheoremDomainError(th.id, fn, copyArgs(args), dom.reason);
          throw violation;
        }
        const key = argKey(fn, args);
        let hit = memo.get(key);
        if (hit === undefined) {
          // An in-process candidate answers at once: one pass, no re-execution.
          const now = candidate.callSync?.(fn, copyArgs(args));
          if (now !== undefined) hit = record(key, fn, copyArgs(args), now);
        }
        if (hit === undefined) {
          if (!pending.has(key)) pending.set(key, { fn, args: copyArgs(args) });
          return placeholder(fn, args);
        }
        if (!hit.ok) throw new Error(`${fn} ${hit.message}`);
        return Array.isArray(hit.value) ? hit.value.slice() : hit.value;
      };
    }
    let result: CheckResult;
    try {
      result = check.check(instance, proxy as never, { mode: opts.mode });
    } catch (e) {
      if (violation) throw violation;
      if (pending.size > 0) result = { ok: false };
      else return { ok: false, message: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, calls };
    }
    if (violation) throw violation; // caught and swallowed by the check: still a bug of the theorem
    if (pending.size === 0) return { ...result, calls };
    await Promise.all([...pending].map(async ([key, { fn, args }]) => {
      record(key, fn, args, await candidate.call(fn, copyArgs(args)));
    }));
  }
  return { calls, ok: false, message: `the check needed more than ${MAX_PASSES} rounds of calls (its arguments depend on earlier answers too deeply)` };
}

/**
 * The bug class behind a theorem failure, where the evidence allows: the first call of the failing
 * instance whose answer disagrees with the reference under the standard bound and that the agreement
 * diagnoses recognise (NaN at zero mass, finite under mismatch, wrong base, …).
 */
export function diagnoseCalls(calls: readonly TheoremCall[], precision: 'float64' | 'float32' = 'float64'): Diagnosis | undefined {
  return firstDisagreeing(calls, precision, diagnose);
}

/**
 * diagnoseCalls with the causes confirmed on probe inputs (src/harness/diagnose.ts `diagnose`): what
 * the runs use. The first disagreeing call gives the diagnosis, a cause only where the probes confirm it.
 */
export async function diagnoseCallsProbed(calls: readonly TheoremCall[], probe: Probe, precision: 'float64' | 'float32' = 'float64'): Promise<Diagnosis | undefined> {
  const d: Array<() => Promise<Diagnosis | undefined>> = [];
  firstDisagreeing(calls, precision, (fn, args, v, exact, error) => {
    if (diagnose(fn, args, v, exact, error)) d.push(() => diagnoseWithProbes(fn, args, v, exact, error, probe));
    return undefined;
  });
  for (const x of d) {
    const r = await x(); // one at a time: a probe calls the candidate
    if (r) return r;
  }
  return undefined;
}

function firstDisagreeing(
  calls: readonly TheoremCall[],
  precision: 'float64' | 'float32',
  hypothesis: (fn: string, args: unknown[], v: unknown, exact: Decimal | Decimal[], error?: string) => Diagnosis | undefined,
): Diagnosis | undefined {
  for (const c of calls) {
    const refFn = (reference as unknown as Record<string, ((...a: unknown[]) => Decimal | Decimal[]) | undefined>)[c.fn];
    if (!refFn) continue;
    let exact: Decimal | Decimal[];
    try {
      exact = refFn(...c.args);
    } catch {
      continue; // not a valid input of the function (a theorem's ablation instance): nothing to compare
    }
    if (!c.result.ok) {
      const d = hypothesis(c.fn, c.args, null, exact, c.result.message);
      if (d) return d;
      continue;
    }
    const v = c.result.value;
    if (Array.isArray(exact) || typeof v !== 'number') continue;
    if (judge(c.fn, c.args, v, exact, { mode: 'standard', precision }).ok) continue;
    const d = hypothesis(c.fn, c.args, v, exact);
    if (d) return d;
  }
  return undefined;
}

/**
 * Runs the float64 check of every theorem (that has one) with the candidate's functions: one
 * property `theorem:<id>` per theorem, failing with the shrunk instance, skipped with the reason when
 * the candidate lacks a function the check needs. Notes (what float64 inputs do to the exact
 * statement) are reported, never failures.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runTheorems(candidateIn: Candidate, theorems: readonly Theorem<any>[], opts: TheoremRunOptions): Promise<PropertyResult[]> {
  const candidate = asHandle(candidateIn);
  const selected = theorems.filter((t) => !opts.only || opts.only.includes(t.id));
  const results: PropertyResult[] = [];
  const total = selected.length * opts.runs;
  let done = 0;
  for (const th of selected) {
    const property = `theorem:${th.id}`;
    const base = { property, fn: th.id, runs: 0, strictRuns: 0, worstBits: 0, worstRatio: 0, counterexample: null, durationMs: 0 };
    const check = th.float64;
    const missing = check ? check.functions.filter((f) => !candidate.functions.includes(f)) : [];
    const skip = !check ? `${th.id} has no float64 check`
      : missing.length > 0 ? `the candidate has no ${missing.map((f) => `${f}()`).join(', ')}`
        : opts.precision === 'float32' ? 'theorem checks are judged at float64 bounds; a float32 candidate is checked for agreement only'
          : undefined;
    if (skip !== undefined) {
      results.push({ ...base, status: 'skipped', message: skip });
      done += opts.runs;
      opts.onProgress?.(done, total, th.id);
      continue;
    }
    const t0 = Date.now();
    let failedOnce = false;
    let noteCount = 0;
    const notes: { description: string; note: string }[] = [];
    let internal: TheoremDomainError | undefined;
    const budget = shrinkBudget(opts.shrinkBudget);
    let first: { input: unknown; outcome: Awaited<ReturnType<typeof evaluateTheoremCheck>> } | undefined;
    const details = await fc.check(
      fc.asyncProperty(check!.instances ?? th.instances, async (inst) => {
        if (budget.skip()) return true;
        let r: Awaited<ReturnType<typeof evaluateTheoremCheck>>;
        try {
          r = await evaluateTheoremCheck(th, inst, candidate, opts);
        } catch (e) {
          if (e instanceof TheoremDomainError) internal ??= e;
          throw e;
        }
        if (!r.ok) {
          failedOnce = true;
          budget.failed();
          first ??= { input: inst, outcome: r };
        } else if (!failedOnce && r.note !== undefined) {
          noteCount++;
          if (notes.length < MAX_THEOREM_NOTES) notes.push({ description: th.describe(inst), note: r.note });
        }
        return r.ok;
      }),
      { seed: opts.seed, numRuns: opts.runs, ...interruptParams(opts.deadline) } as fc.Parameters<[unknown]>,
    );
    if (internal) throw internal; // never a verdict on the candidate
    done += opts.runs;
    opts.onProgress?.(done, total, th.id);
    const runs = details.numRuns;
    const noteFields = noteCount > 0 ? { notes: { count: noteCount, first: notes } } : {};
    if (details.failed && details.counterexample) {
      const confirmed = await confirmFailure(candidate, details.counterexample[0], first, (x) => evaluateTheoremCheck(th, x, candidate, opts));
      const inst = confirmed.input, r = confirmed.outcome;
      const words = confirmationWords(confirmed.how);
      const diagnosis = await diagnoseCallsProbed(r.calls, candidateProbe(candidate, { precision: 'float64', base: opts.base ?? 'e' }));
      results.push({
        ...base, runs, status: 'failed', ...noteFields, ...(diagnosis ? { diagnosis } : {}),
        counterexample: { args: [th.toJSON(inst)], label: 'instance', reference: '', candidate: null, error: r.message ?? 'the statement fails' },
        message: `${words.prefix}${th.id} fails with the candidate's functions on ${th.describe(inst)}: ${r.message ?? 'the statement fails'}${words.suffix}${budget.spent ? ` (${notFullyShrunk(budget)})` : ''}`,
        shrinks: details.numShrinks,
        ...(budget.spent ? { notFullyShrunk: true } : {}),
        ...(confirmed.how === 'flaky' ? { flaky: true } : {}),
        durationMs: Date.now() - t0,
      });
    } else if (details.failed) {
      results.push({ ...base, runs, status: 'failed', message: `${th.id}: ${String(details.errorInstance ?? 'failed')}`, durationMs: Date.now() - t0 });
    } else {
      results.push({
        ...base, runs, status: 'passed', ...noteFields,
        message: `${th.id} holds with the candidate's functions on ${runs} instances${noteCount > 0 ? `; ${noteCount} note(s) on what float64 inputs do to the exact statement` : ''}`,
        durationMs: Date.now() - t0,
      });
    }
  }
  return results;
}

/**
 * Replays stored theorem counterexamples (regression files, src/harness/regressions.ts) with the
 * candidate's functions: one result `replay:theorem:<id>#<i>` per entry, run before the random
 * instances. Unknown theorem ids are the caller's to reject.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function replayTheorems(candidateIn: Candidate, theorems: readonly Theorem<any>[], stored: readonly StoredTheoremFailure[], opts: TheoremRunOptions): Promise<PropertyResult[]> {
  const candidate = asHandle(candidateIn);
  const out: PropertyResult[] = [];
  for (let i = 0; i < stored.length; i++) {
    const s = stored[i]!;
    const th = theorems.find((t) => t.id === s.theorem)!;
    const property = `replay:theorem:${s.theorem}#${i}`;
    const base = { property, fn: s.theorem, runs: 0, strictRuns: 0, worstBits: 0, worstRatio: 0, counterexample: null, durationMs: 0 };
    const missing = th.float64 ? th.float64.functions.filter((f) => !candidate.functions.includes(f)) : ['a float64 check'];
    if (missing.length > 0 || (opts.only && !opts.only.includes(th.id)) || opts.precision === 'float32') {
      out.push({ ...base, status: 'skipped', message: missing.length > 0 ? `the candidate has no ${missing.join(', ')}` : 'not selected' });
      continue;
    }
    const t0 = Date.now();
    const r = await evaluateTheoremCheck(th, s.instance, candidate, opts);
    const diagnosis = r.ok ? undefined : await diagnoseCallsProbed(r.calls, candidateProbe(candidate, { precision: 'float64', base: opts.base ?? 'e' }));
    out.push(r.ok
      ? { ...base, runs: 1, status: 'passed', message: `the stored ${th.id} instance now holds with the candidate's functions`, durationMs: Date.now() - t0 }
      : {
        ...base, runs: 1, status: 'failed', ...(diagnosis ? { diagnosis } : {}),
        counterexample: { args: [s.instance], label: 'stored instance', reference: '', candidate: null, error: r.message ?? 'the statement fails' },
        message: `${th.id} fails with the candidate's functions on ${th.describe(s.instance)}: ${r.message ?? 'the statement fails'}`,
        durationMs: Date.now() - t0,
      });
  }
  return out;
}

// -------------------------------------------------------------------------------------------------
// Validating a stored instance (regression files) before the run

/** Kind of one value of an instance's JSON form, as far as replay needs to know it. */
function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  if (!Array.isArray(v)) return 'object';
  if (v.length === 0) return 'empty array';
  if (v.every((x) => typeof x === 'number')) return 'number[]';
  if (v.every((x) => Array.isArray(x) && x.every((y) => typeof y === 'number'))) return 'number[][]';
  return 'array';
}

/** Instances drawn to learn a theorem's instance shape (fixed seed: the same shape every time). */
const SHAPE_SAMPLES = 50;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const shapes = new WeakMap<Theorem<any>, Map<string, { kinds: Set<string>; required: boolean }>>();

/**
 * The shape of a theorem's instances, derived from what exists rather than written per theorem: the
 * keys of `toJSON` of instances drawn from the arbitrary its float64 check uses, with the kinds of
 * their values. A key holding numbers or arrays is required (the check computes with it); a string
 * key is a label (`relation`, `label`), optional — stored instances may omit it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function instanceShape(th: Theorem<any>): Map<string, { kinds: Set<string>; required: boolean }> {
  let shape = shapes.get(th);
  if (shape) return shape;
  shape = new Map();
  const drawn = fc.sample(th.float64?.instances ?? th.instances, { seed: 1, numRuns: SHAPE_SAMPLES }).map((i) => th.toJSON(i) as Record<string, unknown>);
  for (const x of drawn) {
    for (const [k, v] of Object.entries(x)) {
      const e = shape.get(k) ?? { kinds: new Set<string>(), required: true };
      e.kinds.add(jsonKind(v));
      shape.set(k, e);
    }
  }
  for (const [k, e] of shape) e.required = drawn.every((x) => k in x) && ![...e.kinds].every((kind) => kind === 'string');
  shapes.set(th, shape);
  return shape;
}

/** Thrown by the dry run's kernels when a call cannot be made in-process: the dry run proves nothing. */
class Inconclusive extends Error {}

/**
 * What is wrong with a stored instance of theorem `th` for replay, or null when nothing is. Two
 * checks, neither written per theorem: (1) the shape — a plain object with every required key of
 * {@link instanceShape}, each key's value of a kind the theorem's instances have (numbers, arrays of
 * numbers, …); (2) a dry run of the theorem's float64 check with the built-in kernels, every call
 * checked against the contract's domain exactly as in a candidate's replay: an instance that makes
 * the check call outside the domain (`p` not a distribution, vectors of different lengths) or makes
 * the check throw is malformed. The dry run's verdict is not used: only whether it could run.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function storedInstanceProblem(th: Theorem<any>, instance: unknown): string | null {
  const shape = instanceShape(th);
  const expected = [...shape].map(([k, e]) => `${k}${e.required ? '' : '?'}: ${[...e.kinds].join(' | ')}`).join(', ');
  if (instance === null || typeof instance !== 'object' || Array.isArray(instance)) {
    return `the instance must be an object {${expected}}, got ${jsonKind(instance)}`;
  }
  const obj = instance as Record<string, unknown>;
  for (const [k, e] of shape) {
    if (!(k in obj)) {
      if (e.required) return `the instance has no '${k}' (${th.id} instances are {${expected}})`;
      continue;
    }
    const kind = jsonKind(obj[k]);
    const arrays = [...e.kinds].some((x) => x.endsWith('[]') || x === 'array' || x === 'empty array');
    if (!e.kinds.has(kind) && !(arrays && (kind === 'empty array' || e.kinds.has('empty array') && kind.endsWith('[]')))) {
      const bad = e.kinds.has('number[]') && Array.isArray(obj[k]) ? (obj[k] as unknown[]).findIndex((y) => typeof y !== 'number') : -1;
      if (bad >= 0) return `'${k}'[${bad}] must be a number, got ${jsonKind((obj[k] as unknown[])[bad])} ${JSON.stringify((obj[k] as unknown[])[bad])} (${th.id} instances are {${expected}})`;
      return `'${k}' must be ${[...e.kinds].join(' or ')}, got ${kind === 'string' || kind === 'number' ? `${kind} ${JSON.stringify(obj[k])}` : kind} (${th.id} instances are {${expected}})`;
    }
  }
  // The dry run needs every function the check calls in-process (the built-in kernels).
  if (!th.float64 || th.float64.functions.some((f) => !Object.prototype.hasOwnProperty.call(kernels, f))) return null;
  const kernelMap = kernels as unknown as Record<string, (...a: unknown[]) => unknown>;
  const proxy: Record<string, (...a: unknown[]) => unknown> = {};
  let violation: string | undefined;
  for (const fn of Object.keys(kernelMap)) {
    proxy[fn] = (...args: unknown[]) => {
      const dom = inDomain(fn, args);
      if (!dom.ok) {
        violation ??= `it makes the check call ${shortCall(fn, args)} outside the contract's domain (${dom.reason})`;
        throw new Inconclusive(violation);
      }
      try {
        return kernelMap[fn]!(...copyArgs(args));
      } catch (e) {
        throw new Inconclusive(String(e));
      }
    };
  }
  try {
    th.float64.check(instance, proxy as never, { mode: 'standard' });
  } catch (e) {
    if (violation) return violation;
    if (e instanceof Inconclusive) return null;
    return `the check cannot run on it: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  return violation ?? null;
}
