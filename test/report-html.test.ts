/** The HTML report (src/report/html.ts) and the per-class statistics it plots (PropertyResult.classes). */
import test from 'ava';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runAgreement, RunOptions } from '../src/harness/agreement';
import { PropertyResult } from '../src/harness/result';
import { FUNCTION_CASES, stratifiedCases } from '../src/harness/cases';
import { inProcessCandidate } from '../src/harness/candidate';
import { buildJsonReport, serializeReport, JsonReport } from '../src/report/json';
import { toHtml, writeHtmlReport, twoModeExample, bitsPlot, showValue, escapeHtml } from '../src/report/html';
import { kernels } from '../src/kernels';
import * as ref from '../src/reference';
import { main } from '../src/cli/main';

const opts: RunOptions = { seed: 11, runs: 25, mode: 'standard', precision: 'float64', strictWhereClaimed: true };
const REPLAY = 'klcheck check --impl bad.mjs --seed 11 --runs 25';

/** A wrong candidate: NaN at zero mass (kl), an answer smuggling markup on larger inputs (entropy). */
const SCRIPT = '<script>alert("x & \'y\'")</script>';
const bad = {
  kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]!), 0),
  entropy: (p: number[]) => (p.length > 4 ? SCRIPT : kernels.entropy(p)),
  crossEntropy: kernels.crossEntropy,
};

async function report(fns: Record<string, unknown>, name: string): Promise<JsonReport> {
  const c = inProcessCandidate(fns, { name, precision: 'float64', base: 'e' }, 'module', 'inline <test>');
  const results = await runAgreement(c, { ...opts, strictWhereClaimed: fns === kernels });
  return buildJsonReport(c, results, { seed: opts.seed, runs: opts.runs, mode: opts.mode, precision: opts.precision, durationMs: 1 });
}
let kernelsReport: Promise<JsonReport> | undefined, badReport: Promise<JsonReport> | undefined;
const kernelsRep = () => (kernelsReport ??= report(kernels, 'klcheck built-in kernels'));
const badRep = () => (badReport ??= report(bad, 'bad <b>"kl"</b> & co'));

const isChecked = (r: PropertyResult) => r.property.startsWith('agreement:') && r.status !== 'skipped';

test('per-class statistics: one entry per generator class drawn, consistent with the run, deterministic, in the JSON report', async (t) => {
  const rep = await kernelsRep();
  for (const r of rep.results.filter(isChecked)) {
    const cls = r.classes!;
    t.truthy(cls, r.property);
    // Exactly the labels fast-check draws with this seed, with their counts (the same stream as the run).
    const spec = FUNCTION_CASES.find((s) => s.fn === r.fn)!;
    const counts: Record<string, number> = {};
    for (const { label } of fc.sample(stratifiedCases(spec, r.runs), { seed: opts.seed, numRuns: r.runs })) counts[label] = (counts[label] ?? 0) + 1;
    t.deepEqual(Object.fromEntries(Object.entries(cls).map(([k, v]) => [k, v.runs])), counts, r.property);
    t.deepEqual(Object.keys(cls), Object.keys(cls).sort());
    t.is(Math.max(...Object.values(cls).map((s) => s.worstBits)), r.worstBits);
    for (const s of Object.values(cls)) {
      t.true(s.meanBits >= 0 && s.meanBits <= s.worstBits + 1e-12);
      t.is(s.failures, 0);
    }
  }
  // Same seed, same numbers.
  const again = await runAgreement(kernels, { ...opts, only: ['kl', 'elbo', 'klNormalDiag'] });
  for (const r of again) t.deepEqual(r.classes, rep.results.find((x) => x.property === r.property)!.classes);
  // A failing run: statistics up to and including the first failure, none from shrink steps.
  const b = await badRep();
  const kl = b.results.find((r) => r.fn === 'kl')!;
  t.is(kl.status, 'failed');
  t.true((kl.shrinks ?? 0) > 0);
  const klStats = Object.values(kl.classes!);
  t.is(klStats.reduce((s, x) => s + x.runs, 0), kl.runs);
  t.is(klStats.reduce((s, x) => s + x.failures, 0), 1);
  t.true(b.results.filter((r) => r.status === 'skipped').every((r) => r.classes === undefined));
  // The JSON report carries them (schema 1, an optional field).
  const parsed = JSON.parse(serializeReport(rep));
  t.deepEqual(parsed.results.map((r: PropertyResult) => r.classes), rep.results.map((r) => r.classes));
});

test('the page is well-formed, self-contained, with one plot per checked function and the two-mode plot', async (t) => {
  const rep = await kernelsRep();
  const html = toHtml(rep);
  t.true(html.startsWith('<!DOCTYPE html>'));
  t.is(XMLValidator.validate(html), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(html);
  t.regex(doc.html.head.title, /klcheck built-in kernels — OK/);
  t.notRegex(html, /http|<script|\ssrc=|url\(|@import/i);
  for (const m of html.matchAll(/href="([^"]*)"/g)) t.true(m[1]!.startsWith('#'));
  const checked = rep.results.filter(isChecked).map((r) => r.fn);
  t.is(checked.length, 11);
  const plotted = [...html.matchAll(/<svg class="bits-plot" data-fn="([^"]+)"/g)].map((m) => m[1]);
  t.deepEqual(plotted, checked);
  t.is((html.match(/<svg class="two-mode-plot"/g) ?? []).length, 1);
  t.is((html.match(/<svg\b/g) ?? []).length, (html.match(/<\/svg>/g) ?? []).length);
  t.is((html.match(/<polyline /g) ?? []).length, 3);
  for (const m of html.matchAll(/<polyline points="([^"]+)"/g)) t.is(m[1]!.split(' ').length, 41);
  // Every class of every function has a row; no red marks on a passing run; no failure section.
  for (const r of rep.results.filter(isChecked)) {
    const svg = html.slice(html.indexOf(`data-fn="${r.fn}"`), html.indexOf('</svg>', html.indexOf(`data-fn="${r.fn}"`)));
    for (const label of Object.keys(r.classes!)) t.true(svg.includes(`>${escapeHtml(label)}</text>`), `${r.fn}: ${label}`);
  }
  t.false(html.includes('class="fail-row"'));
  t.false(html.includes('id="failures"'));
  t.regex(html, /seed <code>11<\/code>/);
});

test('failures: message, diagnosis, escaped counterexample, replay command; a parsed JSON report renders the same', async (t) => {
  const rep = await badRep();
  const html = toHtml(rep, { replay: REPLAY });
  t.is(XMLValidator.validate(html), true);
  t.notRegex(html, /<script|<b>/i);
  t.true(html.includes('bad &lt;b&gt;&quot;kl&quot;&lt;/b&gt; &amp; co'));
  t.true(html.includes('&lt;script&gt;alert(\\&quot;x &amp; &#39;y&#39;\\&quot;)&lt;/script&gt;'));
  t.true(html.includes('<span class="verdict failed">FAILED</span>'));
  const kl = rep.results.find((r) => r.fn === 'kl')!;
  t.is(kl.diagnosis?.id, 'nan-at-zero');
  const cx = kl.counterexample!;
  t.true(html.includes(`Diagnosis <code>nan-at-zero</code>: ${escapeHtml(kl.diagnosis!.explanation)}`));
  t.true(html.includes(escapeHtml(`p = ${showValue(cx.args[0])}\nq = ${showValue(cx.args[1])}`)));
  t.true(html.includes(`<pre>${String(cx.reference)}</pre>`));
  t.true(html.includes('<tr><th>candidate</th><td><pre>NaN</pre></td></tr>'));
  t.true(html.includes('NaN (NaN ulps, NaN bits)'));
  t.true(html.includes(`<p>Replay: <code>${escapeHtml(REPLAY)}</code></p>`));
  t.true(html.includes('<a href="#failure-1">agreement:kl</a>'));
  // The class the first failure was drawn from is marked in red in its function's plot.
  const failedClass = Object.entries(kl.classes!).find(([, s]) => s.failures > 0)![0];
  t.true(html.includes(`>✗ ${escapeHtml(failedClass)}</text>`));
  t.true(html.includes('class="fail-row"'));
  // Without the replay option there is no replay line; from the JSON file, the same page.
  t.false(toHtml(rep).includes('Replay:'));
  t.is(toHtml(JSON.parse(serializeReport(rep)) as JsonReport, { replay: REPLAY }), html);
});

test('two modes: the forward-KL-optimal q covers both modes, the reverse-KL-optimal q locks onto one', (t) => {
  const ex = twoModeExample();
  t.is(ex.x.length, 41);
  t.true(Math.abs(ex.p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  // p is bimodal: local maxima at the two modes, a trough between them.
  const at = (v: number) => ex.p[ex.x.indexOf(v)]!;
  for (const m of ex.modes) t.true(at(m.mean) > at(m.mean - 1) && at(m.mean) > at(m.mean + 1));
  t.true(at(0) < at(-4) / 100 && at(0) < at(4) / 100);
  const { forward: f, reverse: r } = ex;
  // Mode covering vs mode seeking.
  t.true(f.std > 2 * r.std, `std ${f.std} vs ${r.std}`);
  t.true(f.mean > -4 && f.mean < 4, 'between the modes');
  t.true(Math.abs(r.mean - -4) <= 0.5, `q_rev's mean ${r.mean} is at the heavier mode`);
  t.true(Math.abs(r.std - 1.2) <= 0.2);
  // Each is optimal for its own direction and poor for the other; locked on a mode of weight w, KL(q‖p) ≈ −log w.
  t.true(f.forwardKl < r.forwardKl && r.reverseKl < f.reverseKl);
  t.true(Math.abs(r.reverseKl - -Math.log(0.6)) < 0.02);
  // The kernel values agree with the exact reference.
  for (const [a, b, v] of [[ex.p, f.q, f.forwardKl], [r.q, ex.p, r.reverseKl], [ex.p, r.q, r.forwardKl], [f.q, ex.p, f.reverseKl]] as const) {
    t.true(Math.abs(ref.kl(a, b).toNumber() - v) <= 1e-15 * Math.max(1, v));
  }
  // Argmin over the search grid (checked at a few neighbours of each optimum).
  const gauss = (mean: number, std: number) => {
    const w = ex.x.map((x) => Math.exp(-((x - mean) ** 2) / (2 * std * std)));
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / s);
  };
  for (const [dm, ds] of [[0.5, 0], [-0.5, 0], [0, 0.2], [0, -0.2]]) {
    t.true(kernels.kl(ex.p, gauss(f.mean + dm!, f.std + ds!)) >= f.forwardKl);
    t.true(kernels.kl(gauss(r.mean + dm!, r.std + ds!), ex.p) >= r.reverseKl);
  }
  // A fresh copy each time, the same numbers.
  ex.p[0] = 42;
  t.deepEqual(twoModeExample().forward, f);
  t.not(twoModeExample().p[0], 42);
});

test('edge cases: no per-class statistics, no counterexample, vector results, odd values; writeHtmlReport makes directories', async (t) => {
  const rep = await badRep();
  const base = rep.results.find((r) => r.fn === 'kl')!;
  const results: PropertyResult[] = [
    { ...base, classes: undefined },
    { ...base, property: 'agreement:entropy', fn: 'entropy', diagnosis: undefined, counterexample: null, message: 'Error: reference threw', shrinks: undefined },
    {
      ...base, property: 'replay:posterior#0', fn: 'posterior', diagnosis: undefined, classes: undefined, shrinks: undefined,
      counterexample: { args: [[0, -Infinity], 'extra'], label: 'tied', reference: ['1', '0'], candidate: [0.5, NaN], index: 1, verdict: { ok: false, absError: NaN, bound: null as unknown as number, ulps: NaN, bits: NaN } },
    },
    { ...base, property: 'agreement:custom', fn: 'custom', counterexample: { ...base.counterexample!, args: 'not-an-array' as unknown as unknown[], verdict: undefined, error: 'threw Error: <boom>' } },
    // A theorem instance: no single value to compare; notes are information, not failures.
    {
      ...base, property: 'theorem:gibbs', fn: 'gibbs', classes: undefined, shrinks: 3, message: 'gibbs fails: kl returned NaN',
      counterexample: { args: [{ p: [0.5, 0.5], q: [1, 0] }], label: 'instance', reference: '', candidate: null, error: 'kl returned NaN' },
    },
    { ...base, property: 'theorem:support', fn: 'support', status: 'passed', runs: 1, classes: undefined, counterexample: null, notes: { count: 2, first: [{ description: 'p = [1e-300] <', note: 'overflow & co' }] } },
    { ...base, property: 'theorem:pinsker', fn: 'pinsker', status: 'passed', runs: 1, classes: undefined, counterexample: null, notes: { count: 1, first: [] } },
    { ...base, property: 'invalid:kl', fn: 'kl', status: 'passed', classes: undefined, counterexample: null, message: 'on 10 invalid inputs: silent number 4', invalid: { throws: 0, nan: 6, silent: 4, other: 0, examples: {} } },
    { ...base, property: 'invalid:entropy', fn: 'entropy', status: 'passed', classes: undefined, counterexample: null, message: 'all thrown', invalid: { throws: 10, nan: 0, silent: 0, other: 0, examples: {} } },
  ];
  const html = toHtml({ ...rep, results, shard: { k: 2, n: 3 } });
  t.is(XMLValidator.validate(html), true);
  t.true(html.includes('No per-class statistics in this report.'));
  t.true(html.includes('No counterexample was recorded.'));
  t.true(html.includes('arg0 = [0, -Infinity]\narg1 = &quot;extra&quot;'));
  t.true(html.includes('<pre>[1, 0]</pre>'));
  t.true(html.includes('[0.5, NaN] (component 1 fails)'));
  t.true(html.includes('<tr><th>bound</th><td><pre>—</pre></td></tr>'), 'a missing number');
  t.true(html.includes('<tr><th>what failed</th><td><pre>threw Error: &lt;boom&gt;</pre></td></tr>'));
  const gibbs = html.slice(html.indexOf('<h3>✗ theorem:gibbs</h3>'), html.indexOf('</article>', html.indexOf('<h3>✗ theorem:gibbs</h3>')));
  t.true(gibbs.includes('<pre>{&quot;p&quot;: [0.5, 0.5], &quot;q&quot;: [1, 0]}</pre>'));
  t.false(gibbs.includes('reference (exact)') || gibbs.includes('<th>candidate</th>'));
  t.regex(html, /<td>theorem:support<\/td><td class="status-passed">passed<\/td><td class="n">1<\/td><td class="n">0<\/td><td class="n">–<\/td><td class="n">–<\/td>/);
  t.true(html.includes('<strong>theorem:support</strong>: 2 of 1 instances carry a note'));
  t.true(html.includes('<pre>p = [1e-300] &lt;\noverflow &amp; co</pre>'));
  t.true(html.includes('<strong>theorem:pinsker</strong>: 1 of 1 instances carry a note on what float64 does to the exact statement (a report, not a failure).</li>'));
  t.true(html.includes('<strong>invalid:kl</strong>: invalid input answered with a number instead of an error or NaN: on 10 invalid inputs: silent number 4'));
  t.false(html.includes('<strong>invalid:entropy</strong>'));
  t.true(html.includes(' · shard 2/3 · '));
  t.false(toHtml(rep).includes('id="information"'));
  t.is((html.match(/<th>reason<\/th>/g) ?? []).length, 1, 'only where the verdict gives one');
  t.deepEqual([...html.matchAll(/class="bits-plot" data-fn="([^"]+)"/g)].map((m) => m[1]), ['entropy', 'custom'], 'only agreement results with statistics are plotted');

  t.is(showValue([-0, Infinity, -Infinity, NaN, 'NaN', '-Infinity', 'a"b', null, undefined, true, { k: [1] }]),
    '[-0, Infinity, -Infinity, NaN, NaN, -Infinity, "a\\"b", null, undefined, true, {"k": [1]}]');
  let deep: unknown = 1;
  for (let i = 0; i < 30; i++) deep = [deep];
  t.regex(showValue(deep), /^\[{17}…\]{17}$/);
  const long = showValue(new Array(5000).fill(0.1));
  t.true(long.endsWith('… (25000 characters in all; the full value is in the JSON report)'));
  t.is(escapeHtml('a<b>&"\'\u0001'), 'a&lt;b&gt;&amp;&quot;&#39;\uFFFD');

  // Scales: ticks of 1, 2 or 5 × 10^k; class statistics parsed from JSON; a class with only a failure.
  const svg = bitsPlot('kl', { a: { runs: 3, worstBits: 3.5, meanBits: 2, failures: 0 }, b: { runs: 1, worstBits: 0, meanBits: 0, failures: 1 } });
  t.is(XMLValidator.validate(svg), true);
  t.true(svg.includes('>4</text>') && !svg.includes('>5</text>'));
  t.true(svg.includes('3.50 / 2.00 · 3 runs'));
  t.true(svg.includes('1 run, 1 failed'));
  const svg2 = bitsPlot('kl', { a: { runs: 2, worstBits: '9' as unknown as number, meanBits: 'NaN' as unknown as number, failures: 0 } });
  t.true(svg2.includes('>10</text>') && svg2.includes('9 / NaN · 2 runs'));

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-html-')), 'a', 'b', 'report.html');
  writeHtmlReport(file, rep, { replay: REPLAY });
  t.is(fs.readFileSync(file, 'utf8'), toHtml(rep, { replay: REPLAY }));
  writeHtmlReport(file.replace('report', 'plain'), rep);
  t.false(fs.readFileSync(file.replace('report', 'plain'), 'utf8').includes('Replay:'));
});

test('a report file written by klcheck check (agreement, invalid input, theorems) renders, from the file, to a well-formed page', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-html-'));
  const json = path.join(dir, 'r.json');
  const stdout = new PassThrough(), stderr = new PassThrough();
  stdout.resume();
  stderr.resume();
  const code = await main(['check', '--impl', path.join(__dirname, '..', 'examples', 'gallery', 'nan-at-zero.mjs'), '--runs', '8', '--json', json, '--no-progress'], { stdout, stderr, stdin: Readable.from(['']) });
  t.is(code, 1);
  const rep = JSON.parse(fs.readFileSync(json, 'utf8')) as JsonReport;
  t.true(rep.results.some((r) => r.property.startsWith('theorem:')), 'the main job includes theorems');
  const html = toHtml(rep, { replay: 'klcheck check --impl nan-at-zero.mjs --runs 8' });
  t.is(XMLValidator.validate(html), true);
  t.notRegex(html, /http|<script/i);
  t.deepEqual([...html.matchAll(/class="bits-plot" data-fn="([^"]+)"/g)].map((m) => m[1]), ['kl']);
  const failed = rep.results.filter((r) => r.status === 'failed');
  t.is((html.match(/<article class="failure"/g) ?? []).length, failed.length);
  for (const r of failed) t.true(html.includes(`<h3>✗ ${escapeHtml(r.property)}</h3>`));
});
