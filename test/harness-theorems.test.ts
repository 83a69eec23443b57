/**
 * Theorems evaluated with a candidate's own functions (src/harness/theorems.ts): in-process, through
 * a module worker and through a JSON-lines subprocess; skips with reasons; diagnoses of theorem
 * failures from the calls the check made; memoised re-execution with dependent calls; replay.
 */
import test from 'ava';
import * as path from 'node:path';
import fc from 'fast-check';
import { kernels } from '../src/kernels';
import { THEOREMS, gibbs, crossEntropyDecomposition, bregman } from '../properties';
import { diagnoseCalls, evaluateTheoremCheck, MAX_PASSES, replayTheorems, runTheorems } from '../src/harness/theorems';
import { inProcessCandidate } from '../src/harness/candidate';
import { loadModuleCandidate } from '../src/harness/module';
import { startSubprocessCandidate } from '../src/harness/subprocess';
import type { Theorem } from '../src/theorem';

const SEED = 20261123;
const opts = { seed: SEED, runs: 40, mode: 'standard' as const };
const gallery = (f: string) => path.join(__dirname, '..', 'examples', 'gallery', f);

test('the built-in kernels satisfy every theorem with their own functions (strict where it applies)', async (t) => {
  const results = await runTheorems(kernels, THEOREMS, { ...opts, mode: 'strict' });
  t.is(results.length, THEOREMS.length);
  for (const r of results) t.is(r.status, 'passed', `${r.property}: ${r.message}`);
  t.deepEqual(results.map((r) => r.property), THEOREMS.map((th) => `theorem:${th.id}`));
});

test('a candidate that skips q_i = 0 terms fails gibbs (finite under mismatch), with the diagnosis and a shrunk instance', async (t) => {
  const skips = { kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi > 0 && q[i]! > 0 ? s + pi * Math.log(pi / q[i]!) : s), 0) };
  const [r] = await runTheorems(skips, THEOREMS, { ...opts, only: ['gibbs'] });
  t.is(r!.status, 'failed');
  t.is(r!.diagnosis?.id, 'skips-zero-q');
  const inst = r!.counterexample!.args[0] as { p: number[]; q: number[] };
  t.true(inst.p.length <= 3, JSON.stringify(inst));
  t.true(inst.p.some((pi, i) => pi > 0 && inst.q[i] === 0), 'the shrunk instance is still a support mismatch');
  t.regex(r!.message, /expected \+Infinity/);
});

test('skips: missing functions are named; float32 candidates are checked for agreement only', async (t) => {
  const onlyKl = await runTheorems({ kl: kernels.kl }, [crossEntropyDecomposition, gibbs], opts);
  t.is(onlyKl[0]!.status, 'skipped');
  t.regex(onlyKl[0]!.message, /crossEntropy\(\), entropy\(\)/);
  t.is(onlyKl[1]!.status, 'passed');
  const f32 = await runTheorems(kernels, [gibbs], { ...opts, precision: 'float32' });
  t.is(f32[0]!.status, 'skipped');
  t.regex(f32[0]!.message, /float32/);
  const noCheck: Theorem<unknown> = { ...gibbs, id: 'no-check', float64: undefined } as unknown as Theorem<unknown>;
  t.regex((await runTheorems(kernels, [noCheck], opts))[0]!.message, /no float64 check/);
});

test('a throwing candidate fails with the message; throwing on a mismatch pair is diagnosed', async (t) => {
  const throwing = { kl: (p: number[], q: number[]) => { if (p.some((x, i) => x > 0 && q[i] === 0)) throw new RangeError('log(0)'); return kernels.kl(p, q); } };
  const [r] = await runTheorems(throwing, [gibbs], opts);
  t.is(r!.status, 'failed');
  t.regex(r!.message, /threw RangeError: log\(0\)/);
  t.is(r!.diagnosis?.id, 'threw');
});

test('a base-2 candidate declared as base 2 is converted to nats and passes; undeclared it is diagnosed wrong-base', async (t) => {
  const bits = { kl: (p: number[], q: number[]) => kernels.kl(p, q) / Math.LN2 };
  const declared = await runTheorems(inProcessCandidate(bits, { name: 'bits', precision: 'float64', base: 2 }, 'module', 'test'), [gibbs, THEOREMS.find((th) => th.id === 'pinsker')!], { ...opts, base: 2 });
  for (const r of declared) t.is(r.status, 'passed', r.message);
  const [undeclared] = await runTheorems(bits, [THEOREMS.find((th) => th.id === 'pinsker')!], opts);
  t.is(undeclared!.status, 'failed');
  t.is(undeclared!.diagnosis?.id, 'wrong-base');
});

test('through a module worker and through a JSON-lines subprocess the calls are bridged (pipelined) and the theorems hold', async (t) => {
  const mod = await loadModuleCandidate(gallery('correct.mjs'), { timeoutMs: 10_000 });
  try {
    const rs = await runTheorems(mod, [gibbs, crossEntropyDecomposition], { ...opts, runs: 25 });
    for (const r of rs) t.not(r.status, 'failed', r.message);
    t.true(rs.some((r) => r.status === 'passed'));
  } finally {
    await mod.close();
  }
  const py = await startSubprocessCandidate('python3 examples/python/scipy_candidate.py', { timeoutMs: 20_000 });
  try {
    const rs = await runTheorems(py, [gibbs, crossEntropyDecomposition, bregman], { ...opts, runs: 25 });
    for (const r of rs) t.is(r.status, 'passed', `${r.property}: ${r.message}`);
  } finally {
    await py.close();
  }
});

/** A toy theorem whose float64 check calls kl on arguments that depend on earlier answers. */
function chained(depth: number): Theorem<{ p: number[] }> {
  return {
    ...(gibbs as unknown as Theorem<{ p: number[] }>),
    id: `chained-${depth}`,
    instances: fc.constant({ p: [0.5, 0.5] }),
    float64: {
      functions: ['kl'],
      check({ p }, c) {
        const kl = c.kl as unknown as (a: number[], b: number[]) => number;
        let v = 0;
        for (let k = 0; k < depth; k++) v = kl(p, [0.25 + (Number.isNaN(v) ? 0 : v) * 0, 0.75]) + k;
        return { ok: Number.isFinite(v) && v >= depth - 1, message: `v = ${v}` };
      },
    },
  };
}

test('in-process candidates are called synchronously: the check runs once, each distinct call once', async (t) => {
  const h = inProcessCandidate(kernels, { name: 'k', precision: 'float64', base: 'e' }, 'builtin', 'test');
  let runs = 0;
  const counted: Theorem<{ p: number[] }> = {
    ...chained(0),
    float64: {
      functions: ['kl'],
      check({ p }, c) {
        runs++;
        const kl = c.kl as unknown as (a: number[], b: number[]) => number;
        const a = kl(p, [0.25, 0.75]), b = kl(p, [0.25, 0.75]), z = kl(p, p);
        return { ok: a === b && z === 0 };
      },
    },
  };
  const r = await evaluateTheoremCheck(counted, { p: [0.5, 0.5] }, h, { mode: 'standard' });
  t.true(r.ok);
  t.is(runs, 1);
  t.is(r.calls.length, 2);
  // A function returning a promise falls back to the asynchronous path and still works.
  const asyncKl = inProcessCandidate({ kl: async (a: number[], b: number[]) => kernels.kl(a, b) }, { name: 'a', precision: 'float64', base: 'e' }, 'module', 'test');
  runs = 0;
  t.true((await evaluateTheoremCheck(counted, { p: [0.5, 0.5] }, asyncKl, { mode: 'standard' })).ok);
  t.is(runs, 2, 'one pass to collect the calls, one with the answers');
});

test('memoised re-execution: a check with dependent calls takes one pass per level; too deep a chain is reported', async (t) => {
  // An asynchronous-only handle (as for module workers and subprocesses).
  const h = { ...inProcessCandidate(kernels, { name: 'k', precision: 'float64', base: 'e' }, 'builtin', 'test'), callSync: undefined };
  const ok = await evaluateTheoremCheck(chained(3), { p: [0.5, 0.5] }, h, { mode: 'standard' });
  t.true(ok.ok, ok.message);
  t.is(ok.calls.length, 1, 'equal arguments are one call (memoised)');
  // Arguments that truly depend on the previous answer: a new call per level.
  const deep: Theorem<{ p: number[] }> = {
    ...chained(0),
    id: 'deep',
    float64: {
      functions: ['kl'],
      check({ p }, c) {
        const kl = c.kl as unknown as (a: number[], b: number[]) => number;
        let q = [0.25, 0.75];
        for (let k = 0; k < MAX_PASSES + 2; k++) {
          const v = kl(p, q);
          q = [Math.min(0.9, 0.25 + (Number.isFinite(v) ? v : 0) / 10), 0];
          q[1] = 1 - q[0]!;
        }
        return { ok: true };
      },
    },
  };
  const r = await evaluateTheoremCheck(deep, { p: [0.5, 0.5] }, h, { mode: 'standard' });
  t.false(r.ok);
  t.regex(r.message!, /more than 16 rounds/);
});

test('replay: stored theorem instances fail the buggy candidate again, pass a correct one, and skip without the functions', async (t) => {
  const skips = { kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi > 0 && q[i]! > 0 ? s + pi * Math.log(pi / q[i]!) : s), 0) };
  const stored = [{ theorem: 'gibbs', instance: { p: [0.5, 0.5], q: [0, 1] } }, { theorem: 'cross-entropy-decomposition', instance: { p: [1], q: [1] } }];
  const bad = await replayTheorems(skips, THEOREMS, stored, opts);
  t.is(bad[0]!.status, 'failed');
  t.is(bad[0]!.property, 'replay:theorem:gibbs#0');
  t.is(bad[0]!.diagnosis?.id, 'skips-zero-q');
  t.is(bad[1]!.status, 'skipped');
  const good = await replayTheorems(kernels, THEOREMS, stored, opts);
  t.deepEqual(good.map((r) => r.status), ['passed', 'passed']);
  const notSelected = await replayTheorems(kernels, THEOREMS, stored, { ...opts, only: ['gibbs'] });
  t.is(notSelected[1]!.status, 'skipped');
});

test('diagnoseCalls ignores agreeing calls, invalid arguments and vector results', (t) => {
  t.is(diagnoseCalls([{ fn: 'kl', args: [[0.5, 0.5], [0.5, 0.5]], result: { ok: true, value: 0 } }]), undefined);
  t.is(diagnoseCalls([{ fn: 'kl', args: [[-1], [1]], result: { ok: true, value: 0 } }]), undefined);
  t.is(diagnoseCalls([{ fn: 'negEntropyGradient', args: [[0.5, 0.5]], result: { ok: true, value: [0, 0] } }]), undefined);
  t.is(diagnoseCalls([{ fn: 'notAFunction', args: [], result: { ok: true, value: 0 } }]), undefined);
  t.is(diagnoseCalls([{ fn: 'kl', args: [[0.5, 0.5], [0.25, 0.75]], result: { ok: false, message: 'timeout: 10 ms' } }]), undefined);
  t.is(diagnoseCalls([{ fn: 'kl', args: [[0, 1], [0.5, 0.5]], result: { ok: true, value: NaN } }])?.id, 'nan-at-zero');
});
