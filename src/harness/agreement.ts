/**
 * The agreement runner (`agreement:<fn>`): for each function, draw cases, evaluate the candidate and the reference, and judge
 * the candidate under the accuracy model. A failing case is shrunk by fast-check to the smallest
 * input that still fails, and reported with the reference value, the candidate value, the error in
 * ulps / bits and the bound.
 *
 * Layering: this module knows candidates only as a name → function map; it never imports properties/.
 */
import { confirmFailure, confirmationWords } from './confirm';
import { interruptParams } from './stop';
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import { judge, judgeVector, Mode, Precision, strictApplies } from '../numeric/accuracy';
import { reference } from '../reference';
import { FUNCTION_CASES, FunctionCases, stratifiedCases } from './cases';
import { asHandle, Candidate, CandidateHandle } from './candidate';
import { ClassStats, Counterexample, describeFailure, PropertyResult } from './result';
import { notFullyShrunk, shrinkBudget } from './shrink-budget';
import { candidateProbe, diagnoseWithProbes } from './diagnose';

export interface RunOptions {
  seed: number;
  /** Cases per function. */
  runs: number;
  mode: Mode;
  precision: Precision;
  /** Restrict to these function names. */
  only?: readonly string[];
  /** The candidate's log base ('e' default): its log-valued results are converted to nats (×ln b) before judging. */
  base?: 'e' | 2 | 10;
  /** Apply the kernels' strict target where it is claimed (accuracy.strictApplies: exactly normalised inputs, well-conditioned values). */
  strictWhereClaimed?: boolean;
  onProgress?: (done: number, total: number, fn: string) => void;
  /** Epoch milliseconds after which no more cases are drawn (--time-limit); the cases run so far count. */
  deadline?: number;
  /** Property evaluations allowed for shrinking after the first failure (src/harness/shrink-budget.ts). */
  shrinkBudget?: number;
}

/** Accumulates per-class statistics; `result()` gives them with sorted keys and means. */
function classTally() {
  const acc = new Map<string, { runs: number; passed: number; sumBits: number; worstBits: number; failures: number }>();
  return {
    add(label: string, o: Outcome): void {
      let c = acc.get(label);
      if (!c) acc.set(label, (c = { runs: 0, passed: 0, sumBits: 0, worstBits: 0, failures: 0 }));
      c.runs++;
      if (!o.ok) c.failures++;
      else {
        c.passed++;
        c.sumBits += o.bits;
        c.worstBits = Math.max(c.worstBits, o.bits);
      }
    },
    result(): Record<string, ClassStats> {
      const out: Record<string, ClassStats> = {};
      for (const label of [...acc.keys()].sort()) {
        const c = acc.get(label)!;
        out[label] = { runs: c.runs, worstBits: c.worstBits, meanBits: c.passed > 0 ? c.sumBits / c.passed : 0, failures: c.failures };
      }
      return out;
    },
  };
}

export interface Outcome {
  ok: boolean;
  cx?: Counterexample;
  bits: number;
  ratio: number;
  strict: boolean;
}

function show(v: Decimal | Decimal[]): string | string[] {
  return Array.isArray(v) ? v.map((x) => x.toString()) : v.toString();
}

function sameContents(a: unknown[], b: unknown[]): boolean {
  return a.every((x, i) => {
    const y = b[i];
    if (!Array.isArray(x)) return Object.is(x, y);
    return Array.isArray(y) && x.length === y.length && x.every((v, j) => Object.is(v, y[j]));
  });
}

/** A candidate declaring log base 2 or 10 answers in bits or hartleys: convert to nats (one rounding). */
export function toNats(v: unknown, fn: string, base: 'e' | 2 | 10): unknown {
  if (base === 'e' || fn === 'posterior') return v;
  const k = base === 2 ? Math.LN2 : Math.LN10;
  if (typeof v === 'number') return v * k;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? x * k : x));
  return v;
}

/** Same answer: numbers by Object.is (NaN equals NaN, −0 differs from 0), arrays component-wise. */
function sameAnswer(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  return Object.is(a, b);
}

const showAnswer = (v: unknown): string => (Array.isArray(v) ? `[${v.map(String).join(', ')}]` : String(v));

/** Every DETERMINISM_EVERY-th drawn case is also called a second time, on fresh copies of its arguments. */
export const DETERMINISM_EVERY = 10;

/**
 * Evaluates one case: the candidate must agree with the reference under the accuracy model. With
 * `recall`, it is called again on fresh copies of the same arguments and must give the same answer
 * ("equal contents give equal answers", docs/contract.md).
 */
export async function evaluateCase(spec: FunctionCases, candidate: CandidateHandle, args: unknown[], label: string, opts: RunOptions, recall = false): Promise<Outcome> {
  const refFn = (reference as unknown as Record<string, (...a: unknown[]) => Decimal | Decimal[]>)[spec.fn]!;
  const exact = refFn(...args);
  const copies = args.map((a) => (Array.isArray(a) ? a.slice() : a));
  const res = await candidate.call(spec.fn, copies);
  if (!res.ok) {
    const error = res.kind === 'threw' ? `threw ${res.message}` : `${res.kind}: ${res.message}`;
    return { ok: false, bits: NaN, ratio: NaN, strict: false, cx: { args, label, reference: show(exact), candidate: null, error } };
  }
  // Purity: a worker-hosted candidate reports mutation itself; in-process ones are compared here.
  const mutated = (res as { mutated?: boolean }).mutated ?? !sameContents(args, copies);
  if (mutated) {
    return { ok: false, bits: NaN, ratio: NaN, strict: false, cx: { args, label, reference: show(exact), candidate: res.value, error: 'mutates its input' } };
  }
  if (recall) {
    const again = await candidate.call(spec.fn, args.map((a) => (Array.isArray(a) ? a.slice() : a)));
    if (!again.ok || !sameAnswer(res.value, again.value)) {
      const second = again.ok ? showAnswer(again.value) : `${again.kind}: ${again.message}`;
      return { ok: false, bits: NaN, ratio: NaN, strict: false, cx: { args, label, reference: show(exact), candidate: res.value, error: `nondeterministic: the same input gave ${showAnswer(res.value)}, then ${second}` } };
    }
  }
  const got = toNats(res.value, spec.fn, opts.base ?? 'e');
  const strict = opts.mode === 'strict' || (opts.strictWhereClaimed === true && strictApplies(spec.fn, args, Array.isArray(exact) ? undefined : exact));
  const judgeOpts = { precision: opts.precision };
  if (Array.isArray(exact)) {
    if (!Array.isArray(got) || got.some((x) => typeof x !== 'number')) {
      return { ok: false, bits: NaN, ratio: NaN, strict, cx: { args, label, reference: show(exact), candidate: got, error: 'expected an array of numbers' } };
    }
    const std = judgeVector(spec.fn, args, got as number[], exact, { ...judgeOpts, mode: 'standard' });
    const w = std.verdicts[std.worst];
    let ratio = 0;
    for (const v of std.verdicts) if (v.bound > 0 && Number.isFinite(v.absError)) ratio = Math.max(ratio, v.absError / v.bound);
    const bits = Math.max(0, ...std.verdicts.filter((v) => Number.isFinite(v.bits)).map((v) => v.bits));
    if (!std.ok) return { ok: false, bits, ratio, strict, cx: { args, label, reference: show(exact), candidate: got, verdict: w, index: std.worst, error: std.reason } };
    if (strict) {
      const st = judgeVector(spec.fn, args, got as number[], exact, { ...judgeOpts, mode: 'strict' });
      if (!st.ok) return { ok: false, bits, ratio, strict, cx: { args, label, reference: show(exact), candidate: got, verdict: st.verdicts[st.worst], index: st.worst } };
    }
    return { ok: true, bits, ratio, strict };
  }
  if (typeof got !== 'number') {
    return { ok: false, bits: NaN, ratio: NaN, strict, cx: { args, label, reference: show(exact), candidate: got, error: `expected a number, got ${typeof got}` } };
  }
  const std = judge(spec.fn, args, got, exact, { ...judgeOpts, mode: 'standard' });
  const ratio = std.bound > 0 && Number.isFinite(std.absError) ? std.absError / std.bound : 0;
  const bits = Number.isFinite(std.bits) ? std.bits : 0;
  if (!std.ok) return { ok: false, bits, ratio, strict, cx: { args, label, reference: show(exact), candidate: got, verdict: std } };
  if (strict) {
    const st = judge(spec.fn, args, got, exact, { ...judgeOpts, mode: 'strict' });
    if (!st.ok) return { ok: false, bits, ratio, strict, cx: { args, label, reference: show(exact), candidate: got, verdict: st } };
  }
  return { ok: true, bits, ratio, strict };
}

/** Runs the agreement property of every function the candidate has. */
export async function runAgreement(candidateIn: Candidate, opts: RunOptions): Promise<PropertyResult[]> {
  const candidate = asHandle(candidateIn);
  const specs = FUNCTION_CASES.filter((s) => !opts.only || opts.only.includes(s.fn));
  const results: PropertyResult[] = [];
  const total = specs.length * opts.runs;
  let done = 0;
  for (const spec of specs) {
    const property = `agreement:${spec.fn}`;
    if (!candidate.functions.includes(spec.fn)) {
      results.push({ property, fn: spec.fn, status: 'skipped', runs: 0, strictRuns: 0, worstBits: 0, worstRatio: 0, counterexample: null, message: `the candidate has no ${spec.fn}()`, durationMs: 0 });
      done += opts.runs;
      continue;
    }
    const t0 = Date.now();
    let worstBits = 0;
    let worstRatio = 0;
    let strictRuns = 0;
    let last: Outcome | undefined;
    let failedOnce = false; // after the first failure, every call is a shrink step: no statistics
    const tally = classTally();
    const budget = shrinkBudget(opts.shrinkBudget);
    let drawn = 0;
    let recallAll = false;
    let first: { input: { args: unknown[]; label: string }; outcome: Outcome } | undefined;
    const details = await fc.check(
      fc.asyncProperty(stratifiedCases(spec, opts.runs), async ({ args, label }) => {
        if (budget.skip()) return true;
        drawn++;
        const o = await evaluateCase(spec, candidate, args, label, opts, recallAll || (!failedOnce && drawn % DETERMINISM_EVERY === 0));
        if (!o.ok) budget.failed();
        if (!o.ok && first === undefined) first = { input: { args, label }, outcome: o };
        if (!failedOnce && !o.ok && o.cx?.error?.startsWith('nondeterministic')) recallAll = true; // shrink it as such
        if (o.ok && failedOnce) return true;
        last = o;
        if (!failedOnce) tally.add(label, o);
        if (!o.ok) failedOnce = true;
        else if (!failedOnce) {
          worstBits = Math.max(worstBits, o.bits);
          worstRatio = Math.max(worstRatio, o.ratio);
          if (o.strict) strictRuns++;
        }
        return o.ok;
      }),
      {
        seed: opts.seed,
        numRuns: opts.runs,
        ...interruptParams(opts.deadline),
        endOnFailure: false,
        reporter: undefined,
        asyncReporter: undefined,
      } as fc.Parameters<[{ args: unknown[]; label: string }]>,
    );
    const runs = details.numRuns;
    const classes = tally.result();
    done += opts.runs;
    opts.onProgress?.(done, total, spec.fn);
    if (details.failed && details.counterexample) {
      const [shrunk] = details.counterexample;
      const confirmed = await confirmFailure(candidate, shrunk, first, (x) => evaluateCase(spec, candidate, x.args, x.label, opts, recallAll));
      const o = confirmed.outcome;
      const words = confirmationWords(confirmed.how);
      const cx = o.cx ?? last?.cx;
      const refFn = (reference as unknown as Record<string, (...a: unknown[]) => Decimal | Decimal[]>)[spec.fn]!;
      const probe = candidateProbe(candidate, { precision: opts.precision, base: opts.base ?? 'e' });
      const diagnosis = cx ? await diagnoseWithProbes(spec.fn, cx.args, cx.candidate, refFn(...cx.args), cx.error, probe) : undefined;
      results.push({
        property, fn: spec.fn, status: 'failed', runs, strictRuns, worstBits, worstRatio,
        counterexample: cx ?? null,
        ...(diagnosis ? { diagnosis } : {}),
        message: words.prefix + describeFailure(spec.fn, cx) + words.suffix + (budget.spent ? ` (${notFullyShrunk(budget)})` : ''),
        shrinks: details.numShrinks,
        ...(budget.spent ? { notFullyShrunk: true } : {}),
        ...(confirmed.how === 'flaky' ? { flaky: true } : {}),
        classes,
        durationMs: Date.now() - t0,
      });
    } else if (details.failed) {
      results.push({ property, fn: spec.fn, status: 'failed', runs, strictRuns, worstBits, worstRatio, counterexample: null, message: String(details.errorInstance ?? 'failed'), classes, durationMs: Date.now() - t0 });
    } else {
      results.push({ property, fn: spec.fn, status: 'passed', runs, strictRuns, worstBits, worstRatio, counterexample: null, message: `${runs} cases agree with the reference`, classes, durationMs: Date.now() - t0 });
    }
  }
  return results;
}
