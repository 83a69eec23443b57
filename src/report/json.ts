/**
 * The JSON report (schema in docs/reports.md). Stable: the same seed gives the same JSON apart from
 * the timing fields (`durationMs`, `generatedAt`). Non-finite numbers are the strings "Infinity",
 * "-Infinity", "NaN".
 */
import type { PropertyResult } from '../harness/result';
import type { CandidateHandle } from '../harness/candidate';
import { summarize, Summary, RunVerdict } from './console';
import { encodeNonFinite } from '../numeric/wire';

export const REPORT_SCHEMA_VERSION = 1;

export interface JsonReport {
  schema: number;
  /** verdict === 'ok': something was checked, nothing failed, nothing was cut by the time limit. */
  ok: boolean;
  /** ok | failed | nothing-checked | incomplete (the exit code follows it: 0, 1, 4, 5). */
  verdict: RunVerdict;
  seed: number;
  runs: number;
  mode: string;
  precision: string;
  candidate: { name: string; kind: string; source: string; precision: string; base: string | number; functions: readonly string[] };
  /**
   * The selection (`--only`): the ids it named, sorted and deduplicated, or null when every property
   * was selected. Absent in reports of older versions ("no selection recorded"). `klcheck merge`
   * refuses shards whose selections differ.
   */
  only?: readonly string[] | null;
  /** `--shrink-budget` of the run (absent in reports of older versions); part of what makes shards one run. */
  shrinkBudget?: number;
  summary: ReportSummary;
  /** Present when the run was one shard of several (`--shard k/n`); `klcheck merge` combines them. */
  shard?: { k: number; n: number };
  results: PropertyResult[];
  durationMs: number;
  generatedAt: string;
}

/** The report's summary block: the counts and the one-sentence reason for the verdict. */
export interface ReportSummary { passed: number; failed: number; skipped: number; notRun: number; cutShort: number; reason: string }

export function reportSummary(s: Summary): ReportSummary {
  return { passed: s.passed, failed: s.failed, skipped: s.skipped, notRun: s.notRun, cutShort: s.cutShort, reason: s.reason };
}

export function buildJsonReport(candidate: CandidateHandle, results: PropertyResult[], o: { seed: number; runs: number; mode: string; precision: string; durationMs: number; shard?: { k: number; n: number }; only?: readonly string[]; shrinkBudget?: number }): JsonReport {
  const s = summarize(results);
  return {
    schema: REPORT_SCHEMA_VERSION,
    ok: s.ok,
    verdict: s.verdict,
    seed: o.seed,
    runs: o.runs,
    mode: o.mode,
    precision: o.precision,
    candidate: { name: candidate.meta.name, kind: candidate.kind, source: candidate.source, precision: candidate.meta.precision, base: candidate.meta.base, functions: candidate.functions },
    only: o.only === undefined ? null : [...new Set(o.only)].sort(),
    ...(o.shrinkBudget === undefined ? {} : { shrinkBudget: o.shrinkBudget }),
    summary: reportSummary(s),
    ...(o.shard ? { shard: o.shard } : {}),
    results,
    durationMs: o.durationMs,
    generatedAt: new Date().toISOString(),
  };
}

export function serializeReport(r: JsonReport): string {
  return `${JSON.stringify(encodeNonFinite(r), null, 2)}\n`;
}
