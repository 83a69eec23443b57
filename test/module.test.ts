/** JS/TS module candidates: loading (ESM, CJS, default export, TS), meta, robustness, purity. */
import test from 'ava';
import * as path from 'node:path';
import { loadModuleCandidate, CandidateLoadError } from '../src/harness/module';

const dir = path.join(__dirname, 'fixtures', 'candidates');
const at = (f: string) => path.join(dir, f);

test('loads ESM named exports with meta', async (t) => {
  const c = await loadModuleCandidate(at('esm-named.mjs'));
  t.deepEqual(c.functions, ['kl']);
  t.deepEqual(c.meta, { name: 'esm-named', precision: 'float64', base: 'e' });
  const r = await c.call('kl', [[0.5, 0.5], [0.25, 0.75]]);
  t.true(r.ok);
  t.is(typeof (r as { value: number }).value, 'number');
  await c.close();
});

test('loads CommonJS objects, ESM default exports and TypeScript', async (t) => {
  const cjs = await loadModuleCandidate(at('cjs-default.cjs'));
  t.deepEqual(cjs.functions, ['entropy']);
  t.is(cjs.meta.name, 'cjs-default.cjs');
  const def = await loadModuleCandidate(at('esm-default.mjs'));
  t.deepEqual(def.functions, ['entropy']);
  t.is(def.meta.name, 'esm-default');
  const ts = await loadModuleCandidate(at('typescript.ts'));
  t.deepEqual(ts.functions, ['crossEntropy']);
  const r = await ts.call('crossEntropy', [[1], [0.5]]);
  t.deepEqual(r, { ok: true, value: Math.log(2), mutated: false });
  const over = await loadModuleCandidate(at('cjs-default.cjs'), { meta: { precision: 'float32', base: 2, name: 'x' } });
  t.deepEqual(over.meta, { name: 'x', precision: 'float32', base: 2 });
  await Promise.all([cjs.close(), def.close(), ts.close(), over.close()]);
});

test('load failures are typed errors naming the module and the reason', async (t) => {
  await t.throwsAsync(loadModuleCandidate(at('missing.cjs')), { instanceOf: CandidateLoadError, message: /cannot find module/ });
  await t.throwsAsync(loadModuleCandidate(at('nothing.cjs')), { instanceOf: CandidateLoadError, message: /none of the contract functions.*found: notKl/ });
  await t.throwsAsync(loadModuleCandidate(at('bad-meta.cjs')), { instanceOf: CandidateLoadError, message: /meta.precision/ });
  await t.throwsAsync(loadModuleCandidate(at('syntax-error.cjs')), { instanceOf: CandidateLoadError, message: /cannot load.*SyntaxError/ });
});

test('a misbehaving module: hang → timeout and restart, throw, exit, mutation, untransferable result, noise', async (t) => {
  const c = await loadModuleCandidate(at('misbehaving.cjs'), { timeoutMs: 500, maxRestarts: 5 });
  t.deepEqual(await c.call('kl', [[1, 0], [1, 0]]), { ok: true, value: 0.25, mutated: false }); // stdout noise is swallowed
  const hung = await c.call('kl', [[1, 0, 0], [1, 0, 0]]);
  t.like(hung, { ok: false, kind: 'timeout' });
  t.deepEqual(await c.call('kl', [[1], [1]]), { ok: true, value: 0.25, mutated: false }); // restarted
  t.is(c.restarts(), 1);
  t.like(await c.call('kl', [[1, 0, 0, 0], [1, 0, 0, 0]]), { ok: false, kind: 'threw', message: 'TypeError: four is too many' });
  t.like(await c.call('kl', [[1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]]), { ok: true, mutated: true });
  t.like(await c.call('kl', [[1, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0]]), { ok: false, kind: 'protocol' });
  t.like(await c.call('kl', [[1, 0, 0, 0, 0], [1, 0, 0, 0, 0]]), { ok: false, kind: 'crashed' });
  t.deepEqual(await c.call('kl', [[1], [1]]), { ok: true, value: 0.25, mutated: false });
  t.like(await c.call('nope', []), { ok: false, kind: 'protocol' });
  await c.close();
});

test('after too many restarts, calls give up instead of looping', async (t) => {
  const c = await loadModuleCandidate(at('misbehaving.cjs'), { timeoutMs: 300, maxRestarts: 1 });
  t.like(await c.call('kl', [[1, 0, 0], [1, 0, 0]]), { kind: 'timeout' });
  t.like(await c.call('kl', [[1, 0, 0], [1, 0, 0]]), { kind: 'timeout' });
  const r = await c.call('kl', [[1], [1]]);
  t.like(r, { ok: false, kind: 'crashed' });
  t.regex((r as { message: string }).message, /gave up after 1 restart\b/);
  await c.close();
});

import { runAgreement } from '../src/harness/agreement';
import { runCli } from './support/cli';

const cli = runCli;

test('klcheck check --impl: a correct module passes, its absent functions are skipped', async (t) => {
  const r = await cli(['check', '--impl', at('esm-named.mjs'), '--runs', '40', '--no-progress']);
  t.is(r.code, 0, r.out);
  t.regex(r.out, /esm-named/);
  t.regex(r.out, /agreement:kl\s+pass/);
  t.regex(r.out, /agreement:entropy\s+skip/);
});

test('klcheck check --impl: declared base 2 is honoured; --base overrides; a wrong base fails', async (t) => {
  t.is((await cli(['check', '--impl', at('bits.cjs'), '--runs', '40', '--only', 'entropy'])).code, 0);
  const wrong = await cli(['check', '--impl', at('bits.cjs'), '--runs', '40', '--only', 'entropy', '--base', 'e']);
  t.is(wrong.code, 1);
  t.regex(wrong.out, /exceeds the standard bound/);
});

test('klcheck check --impl: mutation of the inputs is a failure', async (t) => {
  const c = await loadModuleCandidate(at('mutates.cjs'));
  const [r] = await runAgreement(c, { seed: 1, runs: 50, mode: 'standard', precision: 'float64', only: ['entropy'] });
  await c.close();
  t.is(r!.status, 'failed');
  t.regex(r!.message, /mutates its input/);
});

test('klcheck check --impl: load failures and bad flags exit 2', async (t) => {
  for (const argv of [
    ['check', '--impl', at('nothing.cjs')],
    ['check', '--impl', at('missing.mjs')],
    ['check', '--impl', at('esm-named.mjs'), '--base', '3'],
    ['check', '--impl', at('esm-named.mjs'), '--timeout', '0'],
  ]) {
    const r = await cli(argv);
    t.is(r.code, 2, argv.join(' '));
    t.truthy(r.err.length);
  }
});

test('klcheck check --impl-cmd: a JSON-lines program is checked; both flags together is a usage error', async (t) => {
  const cmd = `python3 ${path.join(__dirname, '..', 'examples', 'python', 'scipy_candidate.py')}`;
  const r = await cli(['check', '--impl-cmd', cmd, '--runs', '30', '--only', 'kl,entropy', '--no-progress', '--name', 'scipy']);
  t.is(r.code, 0, r.out + r.err);
  t.regex(r.out, /scipy \(python3/);
  t.regex(r.out, /OK: 4 passed/);
  t.regex(r.out, /invalid:kl\s+pass/);
  const both = await cli(['check', '--impl', at('esm-named.mjs'), '--impl-cmd', cmd]);
  t.is(both.code, 2);
  t.regex(both.err, /either --impl or --impl-cmd/);
  const missing = await cli(['check', '--impl-cmd', 'nonexistent-command-for-klcheck']);
  t.is(missing.code, 2);
  t.regex(missing.err, /could not start the candidate command/);
});
