/** The console summary: one line per property, then each failure with its counterexample. */
import type { PropertyResult } from '../harness/result';

/**
 * The verdict of a run, and its exit code:
 *   ok               0  something was checked, nothing failed, and every applicable property ran to the end
 *   failed           1  at least one property failed (whatever else happened)
 *   nothing-checked  4  no property ran a single case: all skipped (the candidate lacks what was
 *                       selected) or not run (the time limit came first)
 *   incomplete       5  nothing failed, but the time limit left properties not run or cut short
 * (2 is a usage error or a candidate that cannot be loaded; 3 an internal error.)
 */
export type RunVerdict = 'ok' | 'failed' | 'nothing-checked' | 'incomplete';

export const EXIT_CODE: Readonly<Record<RunVerdict, number>> = { ok: 0, failed: 1, 'nothing-checked': 4, incomplete: 5 };

export interface Summary {
  /** The verdict is 'ok' (exit code 0). */
  ok: boolean;
  verdict: RunVerdict;
  exitCode: number;
  /** Why the verdict is what it is, one sentence. */
  reason: string;
  passed: number;
  failed: number;
  skipped: number;
  /** Applicable, but the time limit was reached (or a signal stopped the run) before they started. */
  notRun: number;
  /** Passed on the cases that ran, stopped early by the time limit or a signal (counted in `passed` too). */
  cutShort: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "the candidate has no klNormal() (agreement:klNormal, invalid:klNormal); …": skip reasons grouped. */
function skipReasons(results: readonly PropertyResult[]): string {
  const by = new Map<string, string[]>();
  for (const r of results) {
    if (r.status !== 'skipped') continue;
    const list = by.get(r.message) ?? [];
    list.push(r.property);
    by.set(r.message, list);
  }
  const parts = [...by].map(([m, ps]) => `${m} (${ps.length > 4 ? `${ps.slice(0, 4).join(', ')} and ${ps.length - 4} more` : ps.join(', ')})`);
  return parts.length > 5 ? `${parts.slice(0, 5).join('; ')}; …` : parts.join('; ');
}

export function summarize(results: readonly PropertyResult[]): Summary {
  const passed = results.filter((r) => r.status === 'passed').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const notRun = results.filter((r) => r.status === 'not-run').length;
  const cutShort = results.filter((r) => r.status === 'passed' && r.cutShort === true).length;
  // What cut the run short: a signal (the results say "stopped by SIGTERM") or the time limit.
  const cause = results.map((r) => /stopped by SIG[A-Z0-9]+/.exec(r.message)?.[0]).find((m) => m !== undefined) ?? 'the time limit was reached';
  const limit = notRun + cutShort > 0
    ? `${cause}: ${[notRun > 0 ? `${plural(notRun, 'property', 'properties')} not run` : '', cutShort > 0 ? `${cutShort} cut short` : ''].filter(Boolean).join(', ')}`
    : '';
  let verdict: RunVerdict;
  let reason: string;
  if (failed > 0) {
    verdict = 'failed';
    reason = `${plural(failed, 'property', 'properties')} failed${limit ? `; the run is incomplete (${limit})` : ''}`;
  } else if (passed === 0) {
    verdict = 'nothing-checked';
    const why = [
      results.length === 0 ? 'no property was selected' : '',
      skipped > 0 ? `${skipped === results.length ? 'every property was skipped' : `${plural(skipped, 'property', 'properties')} skipped`}: ${skipReasons(results)}` : '',
      notRun > 0 ? `${notRun === results.length ? `${cause} before any property started` : `${notRun} not run: ${cause}`}` : '',
    ].filter(Boolean).join('; ');
    reason = `nothing was checked: ${why}`;
  } else if (limit) {
    verdict = 'incomplete';
    reason = `the run is incomplete: ${limit}; what ran holds`;
  } else {
    verdict = 'ok';
    reason = 'everything applicable holds';
  }
  return { ok: verdict === 'ok', verdict, exitCode: EXIT_CODE[verdict], reason, passed, failed, skipped, notRun, cutShort };
}

/** The summary line: "OK: 3 passed, 0 failed, 2 skipped", "INCOMPLETE: 3 passed (1 cut short), 0 failed, 2 skipped, 26 not run", … */
export function summaryLine(s: Summary): string {
  const head = s.verdict === 'ok' ? 'OK' : s.verdict === 'failed' ? 'FAILED' : s.verdict === 'incomplete' ? 'INCOMPLETE' : 'NOTHING CHECKED';
  return `${head}: ${s.passed} passed${s.cutShort > 0 ? ` (${s.cutShort} cut short)` : ''}, ${s.failed} failed, ${s.skipped} skipped${s.notRun > 0 ? `, ${s.notRun} not run` : ''}`;
}

/**
 * Does the result measure the error of one value (agreement, replayed agreement)? Theorem and
 * invalid-input results are verdicts on relations or behaviours: they have no bits or err/bound.
 */
export function measuresError(r: PropertyResult): boolean {
  return !r.property.includes('theorem:') && !r.property.startsWith('invalid:');
}

/** Checked cases (or instances) per second; durations under 1 ms count as 1 ms. */
export function throughput(runs: number, durationMs: number): string {
  const r = runs / (Math.max(durationMs, 1) / 1000);
  return r >= 100 ? r.toFixed(0) : r.toPrecision(2);
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export function formatConsole(title: string, results: readonly PropertyResult[], opts: { seed: number; replay: string }): string {
  const lines: string[] = [title, ''];
  const width = Math.max(...results.map((r) => r.property.length), 8);
  lines.push(`  ${'property'.padEnd(width)}  status   runs  strict  worst bits  worst err/bound  cases/s`);
  for (const r of results) {
    const mark = r.status === 'passed' ? (r.cutShort ? 'pass*' : 'pass') : r.status === 'failed' ? 'FAIL' : r.status === 'skipped' ? 'skip' : 'not run';
    const noBits = !measuresError(r);
    const idle = r.status === 'skipped' || r.status === 'not-run';
    const bits = idle ? '' : noBits ? '–' : r.worstBits.toFixed(2);
    const ratio = idle ? '' : noBits ? '–' : r.worstRatio.toExponential(1);
    const rate = idle || r.runs === 0 ? '' : throughput(r.runs, r.durationMs);
    lines.push(`  ${r.property.padEnd(width)}  ${mark.padEnd(7)}  ${String(r.runs).padStart(4)}  ${String(r.strictRuns).padStart(6)}  ${bits.padStart(10)}  ${ratio.padStart(15)}  ${rate.padStart(7)}`);
  }
  if (results.some((r) => r.cutShort)) lines.push('  * cut short (time limit or signal): passed on the cases that ran (the runs column), not on all of them');
  const answered = results.filter((r) => r.status === 'passed' && r.invalid && r.invalid.silent + r.invalid.other > 0);
  if (answered.length > 0) {
    lines.push('', 'ℹ invalid input answered with a number instead of an error or NaN (information; --mode strict fails it):');
    for (const r of answered) lines.push(`    ${r.fn}: ${truncate(r.message, 300)}`);
  }
  const noted = results.filter((r) => r.notes && r.notes.count > 0);
  for (const r of noted) {
    const n = r.notes!;
    lines.push('', `ℹ ${r.property}: ${n.count} of ${r.runs} instances carry a note on what float64 does to the exact statement (a report, not a failure), e.g.`);
    for (const x of n.first.slice(0, 1)) lines.push(`    ${truncate(x.description, 300)}`, `    ${truncate(x.note, 300)}`);
  }
  const failures = results.filter((r) => r.status === 'failed');
  for (const r of failures) {
    lines.push('', `✗ ${r.property}: ${r.message}`);
    if (r.diagnosis) lines.push(`    diagnosis (${r.diagnosis.id}): ${r.diagnosis.explanation}`);
    const cx = r.counterexample;
    if (cx) {
      lines.push(`    input (${cx.label}): ${truncate(JSON.stringify(cx.args, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)), 400)}`);
      if (cx.reference === '' && cx.candidate === null) continue; // a theorem instance: the message says what failed
      lines.push(`    reference: ${truncate(JSON.stringify(cx.reference), 200)}`);
      lines.push(`    candidate: ${truncate(JSON.stringify(cx.candidate, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)), 200)}${cx.index !== undefined ? ` (component ${cx.index})` : ''}`);
      if (cx.verdict) lines.push(`    error: ${cx.verdict.absError.toExponential(3)} (${cx.verdict.ulps.toPrecision(3)} ulps, ${cx.verdict.bits.toFixed(2)} bits); bound ${cx.verdict.bound.toExponential(3)}`);
    }
  }
  const s = summarize(results);
  lines.push('', `${summaryLine(s)} (seed ${opts.seed})`);
  if (s.verdict !== 'ok') lines.push(s.reason);
  if (s.verdict === 'failed' && opts.replay) lines.push(`replay: ${opts.replay}`);
  return `${lines.join('\n')}\n`;
}
