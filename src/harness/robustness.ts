/**
 * Invalid inputs: what a candidate does with NaN, ±∞ where a probability is expected, negative
 * entries, length mismatch, empty vectors, sigma ≤ 0 (src/generators/invalidInput.ts). Each call
 * has exactly one fault.
 *
 * Outcomes, per call:
 *   throws  — the function raised an error (what klcheck's kernels do: a typed InvalidInputError);
 *   nan     — it returned NaN (or a vector containing NaN): a signal, if a quiet one;
 *   silent  — it returned a number (finite or ±∞) or a vector of numbers: an answer to a question
 *             that has none, indistinguishable from a real result downstream;
 *   other   — a non-number, a timeout or a crash.
 *
 * Standard mode reports the tally as information (status passed, with the counts in `invalid`).
 * Strict mode fails on the first `silent` or `other` outcome and shrinks it: a candidate must refuse
 * invalid input, by throwing or with NaN.
 */
import { confirmFailure, confirmationWords } from './confirm';
import { notFullyShrunk, shrinkBudget } from './shrink-budget';
import fc from 'fast-check';
import type { Mode } from '../numeric/accuracy';
import { InvalidCase, InvalidTarget, invalidInput } from '../generators';
import { CandidateHandle } from './candidate';
import { CONTRACT, CONTRACT_FUNCTIONS, INVALID_TARGETS } from '../contract';
import { asHandle, Candidate } from './candidate';
import { interruptParams } from './stop';
import { PropertyResult } from './result';

/**
 * The invalidInput target of each contract function (the contract table's; klNormalDiag has none:
 * its vectors are parameters), grouped by target in INVALID_TARGETS order — the order the
 * `invalid:<fn>` properties run and are reported in.
 */
export const INVALID_TARGET_OF: Readonly<Record<string, InvalidTarget>> = Object.fromEntries(
  CONTRACT_FUNCTIONS.flatMap((fn) => { const t: InvalidTarget | null = CONTRACT[fn].invalidTarget; return t === null ? [] : [[fn, t] as const]; })
    .sort((a, b) => INVALID_TARGETS.indexOf(a[1]) - INVALID_TARGETS.indexOf(b[1])),
);

export type InvalidOutcome = 'throws' | 'nan' | 'silent' | 'other';

export interface InvalidTally {
  throws: number;
  nan: number;
  silent: number;
  other: number;
  /** The first call of each outcome: what was wrong with the input, and what the candidate did. */
  examples: Partial<Record<InvalidOutcome, { input: string; did: string }>>;
}

export interface RobustnessOptions {
  seed: number;
  /** Invalid calls per function. */
  runs: number;
  mode: Mode;
  only?: readonly string[];
  onProgress?: (done: number, total: number, fn: string) => void;
  /** Epoch milliseconds after which no more calls are drawn (--time-limit). */
  deadline?: number;
  /** Property evaluations allowed for shrinking after the first failure (src/harness/shrink-budget.ts). */
  shrinkBudget?: number;
}

function show(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.slice(0, 6).map(show).join(', ')}${v.length > 6 ? ', …' : ''}]`;
  return typeof v;
}

/** Calls the candidate with one invalid input and classifies what it did. */
export async function classifyInvalid(candidate: CandidateHandle, fn: string, c: InvalidCase): Promise<{ outcome: InvalidOutcome; did: string; crashed?: true }> {
  const r = await candidate.call(fn, c.args.map((a) => (Array.isArray(a) ? a.slice() : a)));
  if (!r.ok) return r.kind === 'threw' ? { outcome: 'throws', did: `threw ${r.message}` } : { outcome: 'other', did: `${r.kind}: ${r.message}`, crashed: true };
  const v = r.value;
  const values = typeof v === 'number' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;
  if (values === null) return { outcome: 'other', did: `returned ${show(v)}` };
  if (values.some((x) => Number.isNaN(x))) return { outcome: 'nan', did: `returned ${show(v)}` };
  return { outcome: 'silent', did: `returned ${show(v)}` };
}

/** One property `invalid:<fn>` per contract function the candidate has (module comment). */
export async function runRobustness(candidateIn: Candidate, opts: RobustnessOptions): Promise<PropertyResult[]> {
  const candidate = asHandle(candidateIn);
  const fns = Object.keys(INVALID_TARGET_OF).filter((f) => !opts.only || opts.only.includes(f));
  const results: PropertyResult[] = [];
  let done = 0;
  for (const fn of fns) {
    const property = `invalid:${fn}`;
    const base = { property, fn, runs: 0, strictRuns: 0, worstBits: 0, worstRatio: 0, counterexample: null, durationMs: 0 };
    if (!candidate.functions.includes(fn)) {
      results.push({ ...base, status: 'skipped', message: `the candidate has no ${fn}()` });
      done += opts.runs;
      opts.onProgress?.(done, fns.length * opts.runs, fn);
      continue;
    }
    const t0 = Date.now();
    const tally: InvalidTally = { throws: 0, nan: 0, silent: 0, other: 0, examples: {} };
    let failedOnce = false;
    const strict = opts.mode === 'strict';
    const budget = shrinkBudget(opts.shrinkBudget);
    const judged = async (c: InvalidCase) => {
      const r = await classifyInvalid(candidate, fn, c);
      // A crash, a timeout or a protocol failure is never a pass, in either mode: refusing invalid
      // input means throwing (or NaN), not taking the process down.
      return { ...r, ok: !r.crashed && (!strict || r.outcome === 'throws' || r.outcome === 'nan') };
    };
    let first: { input: InvalidCase; outcome: Awaited<ReturnType<typeof judged>> } | undefined;
    const details = await fc.check(
      fc.asyncProperty(invalidInput({ targets: [INVALID_TARGET_OF[fn]!] }), async (c) => {
        if (budget.skip()) return true;
        const j = await judged(c);
        const { outcome, did, ok } = j;
        if (!failedOnce) {
          tally[outcome]++;
          tally.examples[outcome] ??= { input: c.description, did };
        }
        if (!ok) {
          failedOnce = true;
          budget.failed();
          first ??= { input: c, outcome: j };
        }
        return ok;
      }),
      { seed: opts.seed, numRuns: opts.runs, ...interruptParams(opts.deadline) } as fc.Parameters<[InvalidCase]>,
    );
    done += opts.runs;
    opts.onProgress?.(done, fns.length * opts.runs, fn);
    const counts = `throws ${tally.throws}, NaN ${tally.nan}, silent number ${tally.silent}${tally.other ? `, other ${tally.other}` : ''}`;
    if (details.failed && details.counterexample) {
      const confirmed = await confirmFailure(candidate, details.counterexample[0], first, judged);
      const c = confirmed.input;
      const { did, crashed } = confirmed.outcome;
      const words = confirmationWords(confirmed.how);
      const what = words.prefix + (crashed
        ? `${fn} did not answer invalid input (a crash, a timeout or a protocol failure is never a pass): ${c.description} → ${did} (so far ${counts})`
        : `${fn} answers invalid input instead of refusing it: ${c.description} → ${did} (strict mode; so far ${counts})`) + words.suffix;
      results.push({
        ...base, status: 'failed', runs: details.numRuns, invalid: tally,
        counterexample: { args: c.args, label: `invalid: ${c.reason}`, reference: `invalid input (${c.description})`, candidate: null, error: did },
        message: `${what}${budget.spent ? ` (${notFullyShrunk(budget)})` : ''}`,
        shrinks: details.numShrinks,
        ...(budget.spent ? { notFullyShrunk: true } : {}),
        ...(confirmed.how === 'flaky' ? { flaky: true } : {}),
        durationMs: Date.now() - t0,
      });
    } else if (details.failed) {
      results.push({ ...base, status: 'failed', runs: details.numRuns, message: `${fn}: ${String(details.errorInstance)}`, durationMs: Date.now() - t0 });
    } else {
      const silentEg = tally.examples.silent;
      results.push({
        ...base, status: 'passed', runs: details.numRuns, invalid: tally,
        message: `on ${details.numRuns} invalid inputs: ${counts}${silentEg && !strict ? ` (information; e.g. ${silentEg.input} → ${silentEg.did}; --mode strict fails this)` : ''}`,
        durationMs: Date.now() - t0,
      });
    }
  }
  return results;
}
