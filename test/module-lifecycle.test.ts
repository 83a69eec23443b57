/**
 * JS/TS module candidates against modules written to misbehave (issue 12): loading that never ends,
 * purity hidden by patched built-ins, thrown values that are not Errors, children that must not
 * outlive the candidate, and the restart budget per property. Every host started here carries a
 * marker in its environment; the last check is that none of them, nor anything they started, is
 * left running.
 */
import test from 'ava';
import * as path from 'node:path';
import { CandidateLoadError, loadModuleCandidate, ModuleOptions } from '../src/harness/module';
import { runCli } from './support/cli';
import { canSeeProcesses, eventually, markedProcesses } from './support/processes';

const dir = path.join(__dirname, 'fixtures', 'candidates');
const at = (f: string) => path.join(dir, f);
const MARKER = `klcheck-module-test-${process.pid}`;
const env = { ...process.env, KLCHECK_TEST_MARKER: MARKER };
const load = (f: string, o: ModuleOptions = {}) => loadModuleCandidate(at(f), { env, ...o });

test('a module that never finishes loading is stopped after the start timeout: an endless loop, a top-level await that never settles', async (t) => {
  for (const f of ['loops-at-load.cjs', 'never-loads.mjs']) {
    const e = await t.throwsAsync(load(f, { startTimeoutMs: 1500 }), { instanceOf: CandidateLoadError });
    t.regex(e!.message, new RegExp(`cannot load '.*${f.replace('.', '\\.')}': it did not finish loading within 1500 ms`));
  }
});

test('klcheck check --start-timeout: a module that never loads is exit 2 naming the timeout', async (t) => {
  const r = await runCli(['check', '--impl', at('loops-at-load.cjs'), '--start-timeout', '1000', '--no-progress']);
  t.is(r.code, 2);
  t.regex(r.err, /did not finish loading within 1000 ms/);
  t.is((await runCli(['check', '--impl', at('loops-at-load.cjs'), '--start-timeout', 'soon'])).code, 2);
});

test('purity is judged in the harness: a module that patches Object.is and Array.prototype.slice before mutating is still caught', async (t) => {
  const c = await load('patches-object-is.cjs');
  try {
    const p = [0.5, 0.5];
    const r = await c.call('kl', [p, [0.5, 0.5]]);
    t.like(r, { ok: true, value: 0, mutated: true });
    t.deepEqual(p, [0.5, 0.5], "the harness's own copy is untouched");
  } finally {
    await c.close();
  }
});

test('thrown values that are not Errors are reported as what they are', async (t) => {
  const c = await load('throws-values.cjs');
  try {
    t.like(await c.call('kl', [[1], [1]]), { ok: false, kind: 'threw', message: 'a number 42 (not an Error)' });
    t.like(await c.call('kl', [[1, 0], [1, 0]]), { ok: false, kind: 'threw', message: 'a string "boom" (not an Error)' });
    t.like(await c.call('kl', [[1, 0, 0], [1, 0, 0]]), { ok: false, kind: 'threw', message: 'null (not an Error)' });
    t.like(await c.call('kl', [[1, 0, 0, 0], [1, 0, 0, 0]]), { ok: false, kind: 'threw', message: 'an object {"code":7} (not an Error)' });
  } finally {
    await c.close();
  }
});

test('the restart budget is per property: beginProperty gives a fresh one', async (t) => {
  const c = await load('misbehaving.cjs', { timeoutMs: 400, maxRestarts: 1 });
  try {
    t.like(await c.call('kl', [[1, 0, 0], [1, 0, 0]]), { kind: 'timeout' });
    t.like(await c.call('kl', [[1, 0, 0], [1, 0, 0]]), { kind: 'timeout' }); // the one restart is spent
    const spent = await c.call('kl', [[1], [1]]);
    t.like(spent, { ok: false, kind: 'crashed' });
    t.regex((spent as { message: string }).message, /gave up after 1 restart in this property/);
    c.beginProperty!();
    t.deepEqual(await c.call('kl', [[1], [1]]), { ok: true, value: 0.25, mutated: false });
  } finally {
    await c.close();
  }
});

test('children a module starts die with it: after a timeout, and after close', async (t) => {
  if (!canSeeProcesses) return t.pass('no /proc here');
  const c = await load('spawns-children.cjs', { timeoutMs: 1000 });
  const host = c.pid()!;
  t.true(await eventually(() => markedProcesses(MARKER).length >= 2), 'the host and its sleep child run');
  t.like(await c.call('kl', [[1, 0, 0], [1, 0, 0]]), { kind: 'timeout' });
  t.true(await eventually(() => !markedProcesses(MARKER).some((pid) => Math.abs(pid) === host)), 'the hung host is gone');
  t.true(await eventually(() => markedProcesses(MARKER).length === 0), `nothing it started is left: ${markedProcesses(MARKER).join(', ')}`);
  t.deepEqual(await c.call('kl', [[1], [1]]), { ok: true, value: 0, mutated: false }); // restarted (and spawned again)
  t.true(await eventually(() => markedProcesses(MARKER).length >= 2));
  await c.close();
  t.true(await eventually(() => markedProcesses(MARKER).length === 0), `left after close: ${markedProcesses(MARKER).join(', ')}`);
});

test('a module exporting only a checked function outside the original contract list (posterior) is accepted', async (t) => {
  const c = await load('only-posterior.cjs');
  t.deepEqual(c.functions, ['posterior']);
  await c.close();
});

test.after.always('no process started by these tests is left running', async (t) => {
  t.true(await eventually(() => markedProcesses(MARKER).length === 0), `left running: ${markedProcesses(MARKER).join(', ')}`);
});
