/**
 * The verdict of a run is never "OK" when nothing was checked: every selected property skipped, or
 * cut by the time limit, gives a non-zero exit code and says why (report/console.ts summarize).
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { summarize, EXIT_CODE, RunVerdict } from '../src/report/console';
import type { PropertyResult } from '../src/harness/result';
import { runCli } from './support/cli';

const result = (status: PropertyResult['status'], extra: Partial<PropertyResult> = {}): PropertyResult => ({
  property: `p-${status}`, fn: 'kl', status, runs: status === 'passed' || status === 'failed' ? 10 : 0, strictRuns: 0,
  worstBits: 0, worstRatio: 0, counterexample: null, message: status === 'skipped' ? 'the candidate has no klNormal()' : '', durationMs: 1, ...extra,
});

test('summarize: the verdict and its exit code for each mix of statuses', (t) => {
  const cases: Array<[PropertyResult[], RunVerdict]> = [
    [[], 'nothing-checked'],
    [[result('skipped'), result('skipped')], 'nothing-checked'],
    [[result('not-run')], 'nothing-checked'],
    [[result('skipped'), result('not-run')], 'nothing-checked'],
    [[result('passed'), result('not-run')], 'incomplete'],
    [[result('passed', { cutShort: true })], 'incomplete'],
    [[result('passed'), result('failed'), result('not-run')], 'failed'],
    [[result('passed'), result('skipped')], 'ok'],
  ];
  for (const [rs, verdict] of cases) {
    const s = summarize(rs);
    t.is(s.verdict, verdict, rs.map((r) => r.status).join(','));
    t.is(s.exitCode, EXIT_CODE[s.verdict]);
    t.is(s.ok, verdict === 'ok');
  }
  t.deepEqual(new Set(Object.values(EXIT_CODE)).size, 4, 'each verdict has its own exit code');
  t.regex(summarize([result('skipped')]).reason, /nothing was checked: every property was skipped: the candidate has no klNormal\(\)/);
});

test('--only naming functions the candidate lacks: NOTHING CHECKED, exit 4, with the reason', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-verdict-'));
  const file = path.join(dir, 'only-kl.mjs');
  fs.writeFileSync(file, 'export function kl(p, q) { let s = 0; for (let i = 0; i < p.length; i++) if (p[i] > 0) s += p[i] * Math.log(p[i] / q[i]); return s; }\n');
  const json = path.join(dir, 'r.json');
  const r = await runCli(['check', '--impl', file, '--only', 'klNormal,gaussian', '--runs', '5', '--no-progress', '--json', json]);
  t.is(r.code, 4, r.out + r.err);
  t.regex(r.out, /NOTHING CHECKED: 0 passed, 0 failed, \d+ skipped/);
  t.regex(r.out, /nothing was checked: .*klNormal/);
  t.notRegex(r.out, /^OK/m);
  const report = JSON.parse(fs.readFileSync(json, 'utf8'));
  t.is(report.ok, false);
  t.is(report.verdict, 'nothing-checked');
  t.regex(report.summary.reason, /nothing was checked/);
});

test('--time-limit reached before the properties start: not run, never OK, non-zero exit', async (t) => {
  const r = await runCli(['check', '--time-limit', '0.001', '--runs', '50', '--no-progress']);
  t.true(r.code === 4 || r.code === 5, `exit ${r.code}`);
  t.regex(r.out, /not run/);
  t.regex(r.out, /^(NOTHING CHECKED|INCOMPLETE): /m);
  t.regex(r.err, /time limit \(0.001 s\) cut the run short/);
});
