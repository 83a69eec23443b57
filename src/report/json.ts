/**
 * The JSON report (schema in docs/reports.md). Stable: the same seed gives the same JSON apart from
 * the timing fields (`durationMs`, `generatedAt`). Non-finite numbers are the strings "Infinity",
 * "-Infinity", "NaN".
 */
import type { PropertyResult } from '../harness/run';
import type { CandidateHandle } from '../harness/candidate';
import { summarize } from './console';
import { encodeNonFinite } from '../cli/json';

export const REPORT_SCHEMA_VERSION = 1;

export interface JsonReport {
  schema: number;
  ok: boolean;
  seed: number;
  runs: number;
  mode: string;
  precision: string;
  candidate: { name: string; kind: string; source: string; precision: string; base: string | number; functions: readonly string[] };
  summary: { passed: number; failed: number; skipped: number };
  /** Present when the run was one shard of several (`--shard k/n`); `klcheck merge` combines them. */
  shard?: { k: number; n: number };
  results: PropertyResult[];
  durationMs: number;
  generatedAt: string;
}

export function buildJsonReport(candidate: CandidateHandle, results: PropertyResult[], o: { seed: number; runs: number; mode: string; precision: string; durationMs: number; shard?: { k: number; n: number } }): JsonReport {
  const s = summarize(results);
  return {
    schema: REPORT_SCHEMA_VERSION,
    ok: s.ok,
    seed: o.seed,
    runs: o.runs,
    mode: o.mode,
    precision: o.precision,
    candidate: { name: candidate.meta.name, kind: candidate.kind, source: candidate.source, precision: candidate.meta.precision, base: candidate.meta.base, functions: candidate.functions },
    summary: { passed: s.passed, failed: s.failed, skipped: s.skipped },
    ...(o.shard ? { shard: o.shard } : {}),
    results,
    durationMs: o.durationMs,
    generatedAt: new Date().toISOString(),
  };
}

export function serializeReport(r: JsonReport): string {
  return `${JSON.stringify(encodeNonFinite(r), null, 2)}\n`;
}
