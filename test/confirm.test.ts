/**
 * Failures are confirmed before they are reported or stored (src/harness/confirm.ts): a candidate
 * that dies while its failure is shrunk is reported with an input that fails on its own (not the
 * last input a dead candidate "failed"), and a failure that does not reproduce is reported as flaky,
 * with the input that failed, and stored.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModuleCandidate } from '../src/harness/module';
import { runAgreement } from '../src/harness/agreement';
import { loadRegressionFile } from '../src/harness/regressions';
import { runCli } from './support/cli';

const at = (f: string) => path.join(__dirname, 'fixtures', 'candidates', f);

test('a candidate that dies while shrinking: the reported input fails on its own, with its own message, and replays as a failure', async (t) => {
  const c = await loadModuleCandidate(at('dies-on-five.cjs'), { maxRestarts: 2 });
  try {
    const [r] = await runAgreement(c, { seed: 7, runs: 200, mode: 'standard', precision: 'float64', only: ['kl'] });
    t.is(r!.status, 'failed');
    const p = r!.counterexample!.args[0] as number[];
    t.true(p.length >= 5, `the counterexample has ${p.length} categories`);
    t.notRegex(r!.message, /gave up/);
    t.regex(r!.message, /exited with code 1/);
    t.falsy(r!.flaky);
    // Replayed on a fresh candidate, it fails again.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-confirm-'));
    const store = path.join(dir, 'f.json');
    fs.writeFileSync(store, JSON.stringify({ klcheck: 'failures', version: 1, failures: [{ fn: 'kl', args: r!.counterexample!.args }] }));
    const replay = await runCli(['check', '--impl', at('dies-on-five.cjs'), '--only', 'kl', '--runs', '1', '--replay', store, '--no-progress']);
    t.regex(replay.out, /replay:kl#0\s+FAIL/);
  } finally {
    await c.close();
  }
});

test('a failure that does not reproduce is reported as flaky, with the input that failed, and stored', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-confirm-'));
  const store = path.join(dir, 'f.json');
  const json = path.join(dir, 'r.json');
  const r = await runCli(['check', '--impl', at('wrong-once.cjs'), '--only', 'kl', '--runs', '200', '--save-failures', store, '--json', json, '--no-progress']);
  t.is(r.code, 1, r.err);
  const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { results: { property: string; status: string; flaky?: boolean; message: string; counterexample: { args: number[][]; candidate: unknown } }[] };
  const kl = report.results.find((x) => x.property === 'agreement:kl')!;
  t.is(kl.status, 'failed');
  t.true(kl.flaky);
  t.regex(kl.message, /^flaky: kl: .*the same input passed when run again/);
  t.true(kl.counterexample.args[0]!.length >= 4, 'the input that failed, not a shrunk one that never did');
  t.is(kl.counterexample.candidate, 42);
  t.deepEqual(loadRegressionFile(store).functions.map((f) => f.args), [kl.counterexample.args]);
});
