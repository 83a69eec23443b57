/**
 * Invalid inputs (src/harness/robustness.ts): throws / NaN / silent number, reported in standard mode,
 * a failure in strict mode with a shrunk invalid call; the built-in kernels refuse every invalid call.
 */
import test from 'ava';
import { kernels } from '../src/kernels';
import { classifyInvalid, INVALID_TARGET_OF, runRobustness } from '../src/harness/robustness';
import { CandidateHandle, inProcessCandidate } from '../src/harness/candidate';

const SEED = 20261123;

/** The plain loop: no validation at all. */
const naive = {
  kl: (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi === 0 ? s : s + pi * Math.log(pi / q[i]!)), 0),
  entropy: (p: number[]) => -p.reduce((s, pi) => (pi === 0 ? s : s + pi * Math.log(pi)), 0),
};

test('the built-in kernels throw on every invalid call, in strict mode too', async (t) => {
  const rs = await runRobustness(kernels, { seed: SEED, runs: 100, mode: 'strict' });
  t.is(rs.length, Object.keys(INVALID_TARGET_OF).length);
  for (const r of rs) {
    t.is(r.status, 'passed', r.message);
    t.is(r.invalid!.throws, 100, r.message);
    t.regex(r.invalid!.examples.throws!.did, /InvalidInputError/);
  }
});

test('standard mode reports what an unvalidated loop does (NaN, silent numbers) without failing', async (t) => {
  const rs = await runRobustness(naive, { seed: SEED, runs: 100, mode: 'standard', only: ['kl', 'entropy', 'elbo'] });
  const kl = rs.find((r) => r.fn === 'kl')!;
  t.is(kl.status, 'passed');
  t.is(kl.invalid!.throws + kl.invalid!.nan + kl.invalid!.silent + kl.invalid!.other, 100);
  t.true(kl.invalid!.silent > 0, 'some invalid pairs get a number (empty vectors: 0)');
  t.true(kl.invalid!.nan > 0, 'NaN entries propagate');
  t.regex(kl.message, /--mode strict fails this/);
  t.is(rs.find((r) => r.fn === 'elbo')!.status, 'skipped');
});

test('strict mode fails on a silent number and shrinks the invalid call', async (t) => {
  const [r] = await runRobustness(naive, { seed: SEED, runs: 100, mode: 'strict', only: ['kl'] });
  t.is(r!.status, 'failed');
  t.regex(r!.message, /answers invalid input instead of refusing it/);
  const [p, q] = r!.counterexample!.args as number[][];
  t.true(p!.length + q!.length <= 3, JSON.stringify(r!.counterexample!.args));
  t.regex(r!.counterexample!.error!, /^returned /);
});

test('classification: threw, NaN (scalar and vector), silent, non-number, missing function', async (t) => {
  const c = { target: 'pair' as const, args: [[0.5, 0.5], [-1, 2]], argument: 'q', index: 0, reason: 'negative' as const, description: 'q[0] is negative' };
  const h = inProcessCandidate({
    kl: () => { throw new Error('no'); },
    entropy: () => NaN,
    posterior: () => [0.5, NaN],
    crossEntropy: () => 0.3,
    negEntropy: () => 'x',
    negEntropyGradient: () => [1, 2, 3, 4, 5, 6, 7, 8],
  }, { name: 't', precision: 'float64', base: 'e' }, 'module', 'test');
  t.is((await classifyInvalid(h, 'kl', c)).outcome, 'throws');
  t.is((await classifyInvalid(h, 'entropy', c)).outcome, 'nan');
  t.is((await classifyInvalid(h, 'posterior', c)).outcome, 'nan');
  t.is((await classifyInvalid(h, 'crossEntropy', c)).outcome, 'silent');
  t.deepEqual(await classifyInvalid(h, 'negEntropy', c), { outcome: 'other', did: 'returned string' });
  t.is((await classifyInvalid(h, 'negEntropyGradient', c)).did, 'returned [1, 2, 3, 4, 5, 6, …]');
  t.is((await classifyInvalid(h, 'nothing', c)).outcome, 'other');
});

test('a crash, a timeout or a protocol failure on invalid input is never a pass, in either mode', async (t) => {
  for (const kind of ['crashed', 'timeout', 'protocol'] as const) {
    let calls = 0;
    const dying: CandidateHandle = {
      meta: { name: `always ${kind}`, precision: 'float64', base: 'e' }, kind: 'module', source: 'test', functions: ['kl'],
      call: async () => {
        calls++;
        return { ok: false, kind, message: kind === 'crashed' ? 'the process exited with code 1' : `${kind} on the call` };
      },
      close: async () => {},
    };
    for (const mode of ['standard', 'strict'] as const) {
      const [r] = await runRobustness(dying, { seed: 1, runs: 50, mode, only: ['kl'] });
      t.is(r!.status, 'failed', `${kind}, ${mode}: ${r!.message}`);
      t.regex(r!.message, /never a pass/);
      t.regex(r!.counterexample!.error!, new RegExp(`^${kind}:`));
    }
    t.true(calls > 0);
  }
  // a candidate that throws on invalid input still passes (that is refusing it)
  const [ok] = await runRobustness(kernels, { seed: 1, runs: 50, mode: 'standard', only: ['kl'] });
  t.is(ok!.status, 'passed');
});
