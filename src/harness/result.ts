/**
 * The result model every runner produces and every report reads: one {@link PropertyResult} per
 * property (`agreement:<fn>`, `invalid:<fn>`, `theorem:<id>`, replays), with its counterexample.
 * Data only (and the one-line description of an agreement failure): no runner, no rendering.
 */
import type { Verdict } from '../numeric/accuracy';
import type { Diagnosis } from './diagnose';

export interface Counterexample {
  args: unknown[];
  label: string;
  reference: string | string[];
  candidate: unknown;
  verdict?: Verdict;
  /** Component index for vector-valued functions. */
  index?: number;
  error?: string;
}

export interface PropertyResult {
  property: string;
  fn: string;
  /**
   * 'skipped': not applicable, with the reason (a missing function, a float32 candidate for a
   * theorem); 'not-run': applicable, but the time limit (--time-limit) was reached before its first case.
   */
  status: 'passed' | 'failed' | 'skipped' | 'not-run';
  /** Passed on the cases that ran, but the time limit stopped it before all of them (`runs` says how many ran). */
  cutShort?: boolean;
  runs: number;
  /** How many of the runs were also held to the strict (ulps) target. */
  strictRuns: number;
  /** Largest error seen, in bits (Herbie's log2(ulps + 1)), over passing finite cases. */
  worstBits: number;
  /** Largest absError / bound ratio seen under the standard bound. */
  worstRatio: number;
  counterexample: Counterexample | null;
  /** The bug class, where the evidence allows (src/harness/diagnose.ts). */
  diagnosis?: Diagnosis;
  message: string;
  /** Shrink steps fast-check took. */
  shrinks?: number;
  /** The shrink budget ran out: the counterexample is the smallest found, not fully shrunk. */
  notFullyShrunk?: boolean;
  /** The failure did not reproduce: its input passed when run again (src/harness/confirm.ts). Still a failure. */
  flaky?: boolean;
  /**
   * Agreement results: statistics per generator class (the case label of src/harness/cases.ts, e.g.
   * 'mismatch', 'n=5-64', 'd=3'), keys sorted. Collected by the same rule as worstBits — from the
   * drawn cases up to and including the first failure, never from shrink steps — so the same seed
   * gives the same numbers, and Σ runs over the classes is `runs`. Per class: `runs` cases drawn,
   * `failures` of them failing (at most one in all: the run stops at the first failure and shrinks),
   * `worstBits` / `meanBits` the largest / mean error in bits over its passing cases (0 when none
   * passed); the largest `worstBits` over the classes is the result's worstBits.
   */
  classes?: Record<string, ClassStats>;
  /**
   * Theorem results: how many drawn instances produced a note — what float64 inputs do to the exact
   * statement (e.g. a float-normalised near-equal pair whose exact KL is −1e-16) — and the first few.
   * Notes are reports, never failures.
   */
  notes?: { count: number; first: { description: string; note: string }[] };
  /** Invalid-input results (`invalid:<fn>`): what the candidate did with each kind of invalid call (src/harness/robustness.ts). */
  invalid?: { throws: number; nan: number; silent: number; other: number; examples: Partial<Record<'throws' | 'nan' | 'silent' | 'other', { input: string; did: string }>> };
  durationMs: number;
}

/** Statistics of one generator class (see PropertyResult.classes). */
export interface ClassStats {
  runs: number;
  worstBits: number;
  meanBits: number;
  failures: number;
}

/** The one-line message of an agreement failure: what disagreed, by how much, under which bound. */
export function describeFailure(fn: string, cx: Counterexample | undefined): string {
  if (!cx) return `${fn} disagrees with the reference`;
  if (cx.error) return `${fn}: ${cx.error}`;
  const v = cx.verdict;
  if (!v) return `${fn} disagrees with the reference`;
  if (v.reason === 'beyond standard bound') return `${fn}: error ${v.absError.toExponential(3)} exceeds the standard bound ${v.bound.toExponential(3)} (${v.ulps.toPrecision(3)} ulps, ${v.bits.toFixed(1)} bits)`;
  if (v.reason === 'beyond strict bound') return `${fn}: ${v.ulps.toPrecision(3)} ulps (${v.bits.toFixed(1)} bits) beyond the strict bound`;
  return `${fn}: ${v.reason}`;
}
