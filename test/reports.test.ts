/** JSON and JUnit reports, regression files (save, merge, replay). */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { toJUnit, xmlSafe } from '../src/report/junit';
import { loadFailures, loadRegressionFile, saveFailures, runReplay, FailureFileError } from '../src/harness/regressions';
import { kernels } from '../src/kernels';
import { runCli } from './support/cli';

const gallery = (f: string) => path.join(__dirname, '..', 'examples', 'gallery', f);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-reports-'));

const cli = runCli;

test('JUnit XML is well-formed and carries failures, diagnoses and skips', async (t) => {
  const dir = tmp();
  const junit = path.join(dir, 'j.xml');
  const r = await cli(['check', '--impl', gallery('wrong-base.mjs'), '--runs', '50', '--junit', junit, '--no-progress']);
  t.is(r.code, 1);
  const xml = fs.readFileSync(junit, 'utf8');
  t.is(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const suite = doc.testsuites.testsuite;
  // One testcase per agreement property (11) and per theorem; kl and entropy disagree, and the
  // theorems evaluated with the base-2 kl / entropy fail wherever they compare with exact values.
  t.is(Number(suite.tests), suite.testcase.length);
  const failed = suite.testcase.filter((c: { failure?: unknown }) => c.failure);
  t.is(Number(suite.failures), failed.length);
  t.deepEqual(failed.filter((c: { name: string }) => c.name.startsWith('agreement:')).map((c: { name: string }) => c.name), ['agreement:kl', 'agreement:entropy']);
  t.true(failed.some((c: { name: string }) => c.name.startsWith('theorem:')));
  // Every failure, theorem failures included, carries the diagnosis of the evidence: the wrong base.
  t.true(failed.every((c: { failure: { type: string } }) => c.failure.type === 'wrong-base'));
  t.true(suite.testcase.some((c: { skipped?: unknown }) => c.skipped));
});

test('xmlSafe removes characters XML 1.0 forbids', (t) => {
  t.is(xmlSafe('a\u0001b\tc\n'), 'a\uFFFDb\tc\n');
  const xml = toJUnit('bad\u0002name', [{ property: 'p', fn: 'kl', status: 'failed', runs: 1, strictRuns: 0, worstBits: 0, worstRatio: 0, counterexample: null, message: 'oops\u0007', durationMs: 0 }], { seed: 1, timestamp: '2026-01-01T00:00:00' });
  t.is(XMLValidator.validate(xml), true);
});

test('the JSON report follows the schema and is the same for the same seed (apart from timing)', async (t) => {
  const dir = tmp();
  const a = path.join(dir, 'a.json'), b = path.join(dir, 'b.json');
  await cli(['check', '--impl', gallery('nan-at-zero.mjs'), '--runs', '60', '--json', a, '--no-progress']);
  await cli(['check', '--impl', gallery('nan-at-zero.mjs'), '--runs', '60', '--json', b, '--no-progress']);
  const strip = (f: string) => {
    const j = JSON.parse(fs.readFileSync(f, 'utf8'));
    delete j.durationMs;
    delete j.generatedAt;
    for (const r of j.results) delete r.durationMs;
    return j;
  };
  const ja = strip(a);
  t.deepEqual(ja, strip(b));
  t.is(ja.schema, 1);
  t.false(ja.ok);
  t.deepEqual(Object.keys(ja).sort(), ['candidate', 'mode', 'ok', 'only', 'precision', 'results', 'runs', 'schema', 'seed', 'shrinkBudget', 'summary', 'verdict']);
  t.is(ja.verdict, 'failed');
  const kl = ja.results.find((r: { property: string }) => r.property === 'agreement:kl');
  t.is(kl.status, 'failed');
  t.is(kl.diagnosis.id, 'nan-at-zero');
  t.is(kl.counterexample.candidate, 'NaN'); // non-finite numbers are strings
  for (const r of ja.results) t.true(['passed', 'failed', 'skipped', 'not-run'].includes(r.status));
});

test('failures are saved as values, merged without duplicates, replayed first, and survive as regressions', async (t) => {
  const dir = tmp();
  const file = path.join(dir, 'failures.json');
  const r1 = await cli(['check', '--impl', gallery('skips-zero-q.mjs'), '--runs', '50', '--save-failures', file, '--no-progress']);
  t.is(r1.code, 1);
  const added = Number(/stored (\d+) new counterexample/.exec(r1.err)?.[1]);
  await cli(['check', '--impl', gallery('skips-zero-q.mjs'), '--runs', '50', '--save-failures', file, '--no-progress']);
  const stored = loadFailures(file);
  t.is(stored.length, 1, 'deduplicated');
  t.is(stored[0]!.fn, 'kl');
  // The theorems evaluated with the candidate's kl fail too (gibbs: KL = +∞ under mismatch), and are stored as instances.
  const all = loadRegressionFile(file);
  t.true(all.theorems.some((s) => s.theorem === 'gibbs'));
  t.is(all.functions.length + all.theorems.length, added, 'the second run added nothing');
  // The stored case fails the buggy implementation again, and passes a correct one.
  const again = await cli(['check', '--impl', gallery('skips-zero-q.mjs'), '--runs', '5', '--replay', file, '--no-progress']);
  t.regex(again.out, /replay:kl#0\s+FAIL/);
  t.regex(again.out, /replay:theorem:gibbs#\d+\s+FAIL/);
  const fixed = await cli(['check', '--impl', gallery('correct.mjs'), '--runs', '5', '--replay', file, '--no-progress']);
  t.regex(fixed.out, /replay:kl#0\s+pass/);
  t.regex(fixed.out, /replay:theorem:gibbs#\d+\s+pass/);
  t.is(fixed.code, 0);
  const skipped = await runReplay({ entropy: kernels.entropy }, stored, { seed: 1, runs: 1, mode: 'standard', precision: 'float64' });
  t.is(skipped[0]!.status, 'skipped');
  t.is(saveFailures(file, []), 0);
});

test('malformed regression files are a usage error (exit 2)', async (t) => {
  const dir = tmp();
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"klcheck": "failures", "version": 1, "failures": [{"fn": "nope", "args": []}]}');
  t.throws(() => loadFailures(bad), { instanceOf: FailureFileError, message: /failures\[0\]/ });
  fs.writeFileSync(bad, '[1,2]');
  t.throws(() => loadFailures(bad), { instanceOf: FailureFileError, message: /not a klcheck failures file/ });
  t.throws(() => loadFailures(path.join(dir, 'missing.json')), { instanceOf: FailureFileError, message: /cannot read/ });
  const r = await cli(['check', '--replay', bad]);
  t.is(r.code, 2);
});

test('--html writes one self-contained page from klcheck check and from klcheck merge', async (t) => {
  const dir = tmp();
  const html = path.join(dir, 'r.html'), json = path.join(dir, 'r.json');
  const r = await cli(['check', '--impl', gallery('nan-at-zero.mjs'), '--runs', '30', '--html', html, '--json', json, '--no-progress']);
  t.is(r.code, 1);
  const page = fs.readFileSync(html, 'utf8');
  t.regex(page, /^<!DOCTYPE html>/i);
  t.regex(page, /nan-at-zero/);
  t.regex(page, /klcheck check --impl/, 'the replay command');
  t.notRegex(page, /https?:\/\/|<script/);
  const merged = path.join(dir, 'm.html');
  const m = await cli(['merge', json, '--html', merged]);
  t.is(m.code, 1);
  t.regex(fs.readFileSync(merged, 'utf8'), /nan-at-zero/);
});
