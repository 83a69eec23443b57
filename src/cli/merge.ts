/**
 * `klcheck merge`: the JSON reports of the shards of one run (`klcheck check --shard k/n`) combined
 * into the report of the whole run — results in the canonical order, summary and verdict recomputed
 * — with the console summary, and optionally JSON / JUnit files. Exit 0 when everything holds, 1 on
 * a failure, 2 when the reports do not belong together (different seed, runs, mode, precision,
 * shrink budget, selection or candidate; a shard missing or given twice).
 */
import { writeFileAtomic } from '../harness/atomic-write';
import { Command } from 'commander';
import * as fs from 'node:fs';
import { Io, UsageError } from './common';
import type { JsonReport } from '../report/json';
import { reportSummary, serializeReport } from '../report/json';
import { formatConsole, summarize } from '../report/console';
import { toJUnit } from '../report/junit';
import { writeHtmlReport } from '../report/html';
import type { PropertyResult } from '../harness/result';

function readReport(file: string): JsonReport {
  let j: JsonReport;
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonReport;
  } catch (e) {
    throw new UsageError(`cannot read report '${file}': ${(e as Error).message}`);
  }
  if (j?.schema !== 1 || !Array.isArray(j.results)) throw new UsageError(`'${file}' is not a klcheck JSON report (schema 1)`);
  return j;
}

/** The numeric fields the console and JUnit formatters read, back from their JSON strings. */
function numeric(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}
function revive(r: PropertyResult): PropertyResult {
  const cx = r.counterexample;
  const verdict = cx?.verdict;
  return {
    ...r,
    worstBits: numeric(r.worstBits),
    worstRatio: numeric(r.worstRatio),
    ...(cx ? { counterexample: { ...cx, ...(verdict ? { verdict: { ...verdict, absError: numeric(verdict.absError), bound: numeric(verdict.bound), ulps: numeric(verdict.ulps), bits: numeric(verdict.bits) } } : {}) } } : {}),
  };
}

/**
 * The first field that makes two reports different runs, or null: seed, runs, mode, precision,
 * shrink budget, selection (`only`), candidate (name, kind, source, precision, base, functions).
 * A field an older report lacks is "not recorded": equal only to "not recorded".
 */
function differingField(a: JsonReport, b: JsonReport): { name: string; a: string; b: string } | null {
  const show = (r: JsonReport, has: boolean, v: unknown) => (has ? JSON.stringify(v) : 'not recorded');
  const fields: Array<[string, (r: JsonReport) => { has: boolean; v: unknown }]> = [
    ['seed', (r) => ({ has: true, v: r.seed })],
    ['runs', (r) => ({ has: true, v: r.runs })],
    ['mode', (r) => ({ has: true, v: r.mode })],
    ['precision', (r) => ({ has: true, v: r.precision })],
    ['shrinkBudget', (r) => ({ has: 'shrinkBudget' in r, v: r.shrinkBudget })],
    ['the selection (--only)', (r) => ({ has: 'only' in r, v: r.only })],
    ...(['name', 'kind', 'source', 'precision', 'base', 'functions'] as const).map((k): [string, (r: JsonReport) => { has: boolean; v: unknown }] =>
      [`candidate.${k}`, (r) => ({ has: r.candidate != null && k in r.candidate, v: r.candidate?.[k] })]),
  ];
  for (const [name, get] of fields) {
    const x = get(a), y = get(b);
    if (x.has !== y.has || JSON.stringify(x.v) !== JSON.stringify(y.v)) return { name, a: show(a, x.has, x.v), b: show(b, y.has, y.v) };
  }
  return null;
}

/** Combines shard reports (module comment); throws UsageError when they do not belong together. */
export function mergeReports(reports: readonly { file: string; report: JsonReport }[]): JsonReport {
  if (reports.length === 0) throw new UsageError('give the JSON reports of the shards to merge');
  const first = reports[0]!.report;
  for (const { file, report } of reports.slice(1)) {
    const field = differingField(first, report);
    if (field !== null) {
      throw new UsageError(`'${file}' is from a different run than '${reports[0]!.file}': ${field.name} differs (${field.b} in '${file}', ${field.a} in '${reports[0]!.file}')`);
    }
  }
  const n = first.shard?.n ?? 1;
  const byK = new Map<number, JsonReport>();
  for (const { file, report } of reports) {
    const s = report.shard ?? { k: 1, n: 1 };
    if (s.n !== n) throw new UsageError(`'${file}' is shard ${s.k}/${s.n}, but '${reports[0]!.file}' is one of ${n}`);
    if (byK.has(s.k)) throw new UsageError(`shard ${s.k}/${n} is given twice ('${file}')`);
    byK.set(s.k, report);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !byK.has(k));
  if (missing.length > 0) throw new UsageError(`shard(s) ${missing.map((k) => `${k}/${n}`).join(', ')} missing`);
  // Shard k holds tasks k−1, k−1+n, …: interleave them back into the canonical order.
  const isReplay = (r: PropertyResult) => r.property.startsWith('replay:');
  const lists = Array.from({ length: n }, (_, i) => byK.get(i + 1)!.results.filter((r) => !isReplay(r)));
  const merged: PropertyResult[] = byK.get(1)!.results.filter(isReplay);
  for (let j = 0; lists.some((l) => l.length > Math.floor(j / n)) ; j++) {
    const r = lists[j % n]![Math.floor(j / n)];
    if (r) merged.push(r);
  }
  const s = summarize(merged);
  const { shard: _shard, ...rest } = first;
  return {
    ...rest,
    ok: s.ok,
    verdict: s.verdict,
    summary: reportSummary(s),
    results: merged,
    durationMs: Math.max(...reports.map((r) => r.report.durationMs)),
    generatedAt: new Date().toISOString(),
  };
}

export function mergeCommand(io: Io, setCode: (c: number) => void): Command {
  return new Command('merge')
    .description('combine the JSON reports of the shards of one run (klcheck check --shard k/n --json …) into one report')
    .argument('<reports...>', 'the JSON reports, one per shard, in any order')
    .option('--json <file>', 'write the combined JSON report to this file')
    .option('--junit <file>', 'write a JUnit XML report of the combined run to this file')
    .option('--html <file>', 'write a self-contained HTML report of the combined run to this file')
    .addHelpText('after', `
Example (three CI jobs, then one merge job):
  klcheck check --impl my-kl.ts --shard 1/3 --json r1.json   # and 2/3, 3/3
  klcheck merge r1.json r2.json r3.json --json report.json --junit junit.xml

The reports must come from the same run (seed, runs, mode, precision, shrink budget, selection
--only, candidate) and cover every shard exactly once. Exit codes: 0 everything holds; 1 a failure; 2 the reports do not belong
together; 4 nothing was checked; 5 incomplete (the time limit left properties not run).`)
    .action((files: string[], o: { json?: string; junit?: string; html?: string }) => {
      const merged = mergeReports(files.map((file) => ({ file, report: readReport(file) })));
      const results = merged.results.map(revive);
      io.stdout.write(formatConsole(`klcheck merge: ${files.length} report(s) of ${merged.candidate.name} (${merged.mode}, ${merged.precision})`, results, { seed: merged.seed, replay: '' }));
      const write = (file: string, text: string) => {
        writeFileAtomic(file, text);
      };
      if (o.json) write(o.json, serializeReport(merged));
      if (o.junit) write(o.junit, toJUnit(merged.candidate.name, results, { seed: merged.seed }));
      if (o.html) writeHtmlReport(o.html, merged);
      setCode(summarize(results).exitCode);
    });
}
