/** The check run: verdicts on correct and wrong candidates, shrinking, skips, robustness, determinism. */
import test from 'ava';
import { judge } from '../src/numeric/accuracy';
import { PassThrough, Readable } from 'node:stream';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAgreement, RunOptions } from '../src/harness/agreement';
import { describeFailure } from '../src/harness/result';
import { kernels } from '../src/kernels';
import * as ref from '../src/reference';
import { main } from '../src/cli/main';
import { formatConsole } from '../src/report/console';
import { runCli } from './support/cli';

const base: RunOptions = { seed: 42, runs: 60, mode: 'standard', precision: 'float64', strictWhereClaimed: true };

test('the built-in kernels pass on the kl family', async (t) => {
  const results = await runAgreement(kernels, { ...base, only: ['kl', 'entropy', 'crossEntropy'] });
  t.deepEqual(results.map((r) => r.status), ['passed', 'passed', 'passed']);
  t.true(results.every((r) => r.worstRatio < 1 && r.runs === 60));
  t.true(results[0]!.strictRuns > 0, 'some draws are exactly normalised and held to 4 ulps');
});

test('a kl that gives NaN at p_i = 0 is caught, shrunk, and the counterexample is real', async (t) => {
  const nanAtZero = { kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]!), 0) };
  // Under the standard bound the only defect of this kl is the NaN (0·log 0).
  const [r] = await runAgreement(nanAtZero, { ...base, only: ['kl'], strictWhereClaimed: false });
  t.is(r!.status, 'failed');
  const cx = r!.counterexample!;
  t.true(cx.args.length === 2);
  const [p, q] = cx.args as [number[], number[]];
  t.true(p.length <= 3, `shrunk to ${p.length} categories`);
  t.true(p.some((pi) => pi === 0), 'the shrunk input has a zero mass');
  // Re-check in the reference: the candidate's answer really is wrong for this input.
  const exact = ref.kl(p, q);
  t.false(judge('kl', [p, q], cx.candidate as number, exact).ok);
  t.regex(r!.message, /nan/);
  // Where strict bounds are claimed (exactly normalised inputs), its naive summation is caught first; that
  // counterexample is real under the strict bound it was judged by.
  const [s] = await runAgreement(nanAtZero, { ...base, only: ['kl'] });
  t.is(s!.status, 'failed');
  const sx = s!.counterexample!;
  const mode = sx.verdict!.reason === 'beyond strict bound' ? 'strict' : 'standard';
  t.false(judge('kl', sx.args, sx.candidate as number, ref.kl(...(sx.args as [number[], number[]])), { mode }).ok);
});

test('a kl that clips q at 1e-12 is caught (finite where the reference says +Infinity, or too far off)', async (t) => {
  const clipped = { kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi > 0 ? s + pi * Math.log(pi / Math.max(q[i]!, 1e-12)) : s), 0) };
  const [r] = await runAgreement(clipped, { ...base, only: ['kl'] });
  t.is(r!.status, 'failed');
});

test('missing functions are skipped with the reason; a throwing or non-number function fails clearly', async (t) => {
  const results = await runAgreement({ kl: () => { throw new Error('boom'); }, entropy: () => 'x' as unknown as number }, { ...base, runs: 5, only: ['kl', 'entropy', 'elbo'] });
  const byFn = Object.fromEntries(results.map((r) => [r.fn, r]));
  t.is(byFn.kl!.status, 'failed');
  t.regex(byFn.kl!.message, /threw Error: boom/);
  t.is(byFn.entropy!.status, 'failed');
  t.regex(byFn.entropy!.message, /expected a number/);
  t.is(byFn.elbo!.status, 'skipped');
  t.regex(byFn.elbo!.message, /no elbo\(\)/);
  const vec = await runAgreement({ posterior: () => 1 as unknown as number[] }, { ...base, runs: 3, only: ['posterior'] });
  t.regex(vec[0]!.message, /expected an array of numbers/);
});

test('strict mode holds the kernels to ulps where the standard bound would pass a float32-level answer', async (t) => {
  const f32 = { kl: (p: number[], q: number[]) => Math.fround(kernels.kl(p, q)) };
  const [std] = await runAgreement(f32, { ...base, only: ['kl'], strictWhereClaimed: false });
  t.is(std!.status, 'failed', 'float32 rounding is beyond the standard bound too');
  // The textbook formula is a correct implementation (standard passes) but not an accurate one.
  const textbook = { kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi > 0 ? s + pi * (Math.log(pi) - Math.log(q[i]!)) : s), 0) };
  const [plain] = await runAgreement(textbook, { ...base, only: ['kl'], strictWhereClaimed: false });
  t.is(plain!.status, 'passed');
  const [strict] = await runAgreement(textbook, { ...base, only: ['kl'], mode: 'strict' });
  t.is(strict!.status, 'failed');
  t.regex(strict!.message, /ulps/);
});

test('determinism: same seed, same results (apart from timing)', async (t) => {
  const strip = (rs: Awaited<ReturnType<typeof runAgreement>>) => rs.map(({ durationMs: _d, ...r }) => r);
  const a = await runAgreement(kernels, { ...base, runs: 20, only: ['logEvidence', 'klNormal'] });
  const b = await runAgreement(kernels, { ...base, runs: 20, only: ['logEvidence', 'klNormal'] });
  t.deepEqual(strip(a), strip(b));
});

test('failure messages and the console report', async (t) => {
  t.regex(describeFailure('kl', undefined), /disagrees/);
  t.regex(describeFailure('kl', { args: [], label: '', reference: '1', candidate: 2 }), /disagrees/);
  const text = formatConsole('title', [{ property: 'agreement:kl', fn: 'kl', status: 'failed', runs: 3, strictRuns: 0, worstBits: 0, worstRatio: 0, counterexample: { args: [[1], [0]], label: 'support-mismatch', reference: 'Infinity', candidate: 3, verdict: { ok: false, absError: Infinity, bound: 0, ulps: Infinity, bits: Infinity, reason: 'expected +Infinity' } }, message: 'kl: expected +Infinity', durationMs: 1 }], { seed: 1, replay: 'klcheck check --seed 1' });
  t.regex(text, /FAILED: 0 passed, 1 failed/);
  t.regex(text, /replay: klcheck check --seed 1/);
  t.regex(text, /input \(support-mismatch\): \[\[1\],\[0\]\]/);
});

const run = runCli;

test('CLI: klcheck check runs, writes JSON, and rejects bad options with exit 2', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-'));
  const file = path.join(dir, 'r.json');
  const r = await run(['check', '--only', 'kl,entropy', '--runs', '15', '--json', file]);
  t.is(r.code, 0, r.out + r.err);
  t.regex(r.out, /OK: 4 passed/);
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  t.is(report.ok, true);
  t.is(report.seed, 20261123);
  t.deepEqual(report.results.map((x: { property: string }) => x.property), ['agreement:kl', 'agreement:entropy', 'invalid:entropy', 'invalid:kl']);
  // --only mixes functions and theorem ids.
  const mixed = await run(['check', '--only', 'kl,gibbs,bregman', '--runs', '15']);
  t.is(mixed.code, 0, mixed.out + mixed.err);
  t.regex(mixed.out, /agreement:kl\s+pass[\s\S]*theorem:gibbs\s+pass[\s\S]*theorem:bregman\s+pass/);
  t.notRegex(mixed.out, /agreement:entropy|theorem:pinsker/);
  for (const [argv, pattern] of [
    [['check', '--runs', '0'], /--runs must be an integer/],
    [['check', '--seed', 'x'], /--seed must be an integer/],
    [['check', '--mode', 'loose'], /--mode must be standard or strict/],
    [['check', '--precision', 'float16'], /--precision must be float64 or float32/],
    [['check', '--only', 'klx'], /unknown id 'klx'; expected functions .* or theorems \(gibbs, /],
  ] as Array<[string[], RegExp]>) {
    const e = await run(argv);
    t.is(e.code, 2);
    t.regex(e.err, pattern);
  }
  const help = await run(['check', '--help']);
  t.is(help.code, 0);
  t.regex(help.out, /Exit codes/);
});

test('vector-valued functions: a wrong component is reported with its index; strict applies per component', async (t) => {
  const offByOne = { posterior: (l: number[]) => kernels.posterior(l).map((x, i) => (i === l.length - 1 && l.length > 1 ? x * (1 + 1e-9) : x)) };
  const [r] = await runAgreement(offByOne, { ...base, only: ['posterior'] });
  t.is(r!.status, 'failed');
  t.is(typeof r!.counterexample!.index, 'number');
  t.regex(r!.message, /posterior/);
  // 2^-50 relative: inside the standard bound for many draws, never inside 1 ulp of strict mode.
  const tiny = { negEntropyGradient: (q: number[]) => kernels.negEntropyGradient(q).map((x) => (Number.isFinite(x) && x !== 0 ? x * (1 + 2 ** -50) : x)) };
  const [s] = await runAgreement(tiny, { ...base, only: ['negEntropyGradient'], mode: 'strict' });
  t.is(s!.status, 'failed');
  t.regex(s!.message, /strict|bound/);
  const wrongLength = { posterior: (l: number[]) => l.slice(1) };
  const [w] = await runAgreement(wrongLength, { ...base, runs: 5, only: ['posterior'] });
  t.is(w!.status, 'failed');
  t.regex(w!.message, /components/);
});

test('the console report lists passed, failed and skipped properties', async (t) => {
  const results = await runAgreement({ kl: kernels.kl }, { ...base, runs: 5, only: ['kl', 'elbo'] });
  const text = formatConsole('t', results, { seed: 42, replay: 'r' });
  t.regex(text, /agreement:kl\s+pass/);
  t.regex(text, /agreement:elbo\s+skip/);
  t.regex(text, /OK: 1 passed, 0 failed, 1 skipped/);
  t.notRegex(text, /replay:/);
});

test('CLI: a progress bar on a terminal, strict mode, and float32', async (t) => {
  const stdout = new PassThrough(), stderr = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number; cursorTo?: () => boolean; clearLine?: () => boolean; moveCursor?: () => boolean };
  stderr.isTTY = true;
  stderr.columns = 100;
  stderr.cursorTo = () => true;
  stderr.clearLine = () => true;
  stderr.moveCursor = () => true;
  let err = '', out = '';
  stderr.on('data', (d) => { err += d; });
  stdout.on('data', (d) => { out += d; });
  const code = await main(['check', '--only', 'klNormal', '--runs', '10', '--mode', 'strict'], { stdout, stderr, stdin: Readable.from(['']) });
  t.is(code, 0, out);
  t.regex(out, /\(strict, float64\)/);
  t.regex(err, /checking/);
  const f32 = await run(['check', '--only', 'entropy', '--runs', '10', '--precision', 'float32', '--no-progress']);
  t.is(f32.code, 0);
  t.regex(f32.out, /float32/);
});

test('the public index exports the layers', async (t) => {
  const api = await import('../src/index');
  t.is(typeof api.reference.kl, 'function');
  t.is(typeof api.kernels.kl, 'function');
  t.is(typeof api.generators.anyPair, 'function');
  t.is(typeof api.accuracy.judge, 'function');
  t.is(api.reference.kl([0.5, 0.5], [0.25, 1]).toString(), '0');
});
