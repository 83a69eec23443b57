/** The console summary: one line per property, then each failure with its counterexample. */
import type { PropertyResult } from '../harness/run';

export interface Summary {
  ok: boolean;
  passed: number;
  failed: number;
  skipped: number;
}

export function summarize(results: readonly PropertyResult[]): Summary {
  const passed = results.filter((r) => r.status === 'passed').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  return { ok: failed === 0, passed, failed, skipped };
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
    const mark = r.status === 'passed' ? 'pass' : r.status === 'failed' ? 'FAIL' : 'skip';
    const noBits = !measuresError(r);
    const bits = r.status === 'skipped' ? '' : noBits ? '–' : r.worstBits.toFixed(2);
    const ratio = r.status === 'skipped' ? '' : noBits ? '–' : r.worstRatio.toExponential(1);
    const rate = r.status === 'skipped' || r.runs === 0 ? '' : throughput(r.runs, r.durationMs);
    lines.push(`  ${r.property.padEnd(width)}  ${mark.padEnd(7)}  ${String(r.runs).padStart(4)}  ${String(r.strictRuns).padStart(6)}  ${bits.padStart(10)}  ${ratio.padStart(15)}  ${rate.padStart(7)}`);
  }
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
  lines.push('', `${s.ok ? 'OK' : 'FAILED'}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped (seed ${opts.seed})`);
  if (!s.ok && opts.replay) lines.push(`replay: ${opts.replay}`);
  return `${lines.join('\n')}\n`;
}
