/**
 * The JSON-lines subprocess candidate (src/harness/subprocess/): the scipy adapter against the
 * reference, exact float64 / non-finite round trips, pipelining, and every misbehaviour of
 * examples/python/misbehaving.py — crash, hang, noise, never-answers, wrong id, slow, out-of-order —
 * plus commands that cannot start. Every process started here carries a marker in its environment;
 * the last check is that none of them is left running. The two CPU-heavy tests (the reference in
 * Decimal arithmetic blocks the event loop) are serial, so that they cannot delay the timers of
 * the timing tests (ava runs serial tests first).
 */
import test from 'ava';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CandidateStartError, encodeRequest, decodeResult, parseJsonLine, startSubprocessCandidate, SubprocessCandidateHandle, SubprocessOptions } from '../src/harness/subprocess';
import { runAgreement } from '../src/harness/agreement';
import { KlcheckError } from '../src/numeric/errors';
import { judge, standardBound } from '../src/numeric/accuracy';
import * as ref from '../src/reference';
import { kernels } from '../src/kernels';
import { anyPair, distribution, gaussianPair, latentModel } from '../src/generators';

const ROOT = path.resolve(__dirname, '..');
const PY = 'python3';
const SCIPY = `${PY} examples/python/scipy_candidate.py`;
const MIS = (mode: string, ...rest: string[]) => [PY, 'examples/python/misbehaving.py', mode, ...rest].join(' ');
const MARKER = `klcheck-subprocess-test-${process.pid}`;
const ENV = { ...process.env, KLCHECK_TEST_MARKER: MARKER };

function start(command: string, opts: SubprocessOptions = {}): Promise<SubprocessCandidateHandle> {
  return startSubprocessCandidate(command, { cwd: ROOT, env: ENV, startTimeoutMs: 15000, timeoutMs: 10000, ...opts });
}

/** Runs `f` with a started handle and always closes it. */
async function withHandle<T>(command: string, opts: SubprocessOptions, f: (h: SubprocessCandidateHandle) => Promise<T>): Promise<T> {
  const h = await start(command, opts);
  try {
    return await f(h);
  } finally {
    await h.close();
  }
}

/** Pids of live processes whose environment carries our marker (Linux /proc; [] elsewhere). */
function markedProcesses(): number[] {
  if (!fs.existsSync('/proc/self/environ')) return [];
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = fs.readFileSync(`/proc/${d}/environ`, 'latin1');
      if (!env.includes(`KLCHECK_TEST_MARKER=${MARKER}`)) continue;
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      out.push(Number(d));
      if (state === 'Z') out.push(-Number(d)); // a zombie: reported as well (negative)
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `cond` until it holds or `ms` have passed (a SIGKILLed process disappears once reaped). The
 * default is a minute: these prove "it ended", not how fast (timing belongs in npm run bench), and
 * CI machines are loaded.
 */
const NO_HANG_MS = 120_000;
async function eventually(cond: () => boolean, ms = 60_000): Promise<boolean> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) return false;
    await sleep(20);
  }
  return true;
}

// ------------------------------------------------------------------------------------------
// the wire encoding (pure)

test('requests: non-finite numbers as strings, −0 as -0.0, typed arrays as arrays, shortest round-trip numbers', (t) => {
  const line = encodeRequest(5, 'kl', [[NaN, Infinity, -Infinity, -0, 0.1, 5e-324], new Float64Array([1 / 3, 2 ** 60])]);
  t.is(line, '{"id":5,"fn":"kl","args":[["NaN","Infinity","-Infinity",-0.0,0.1,5e-324],[0.3333333333333333,1152921504606847000]]}');
  const back = JSON.parse(line) as { args: unknown[] };
  const decoded = decodeResult(back.args) as number[][];
  t.true(Object.is(decoded[0]![3], -0));
  t.true(Number.isNaN(decoded[0]![0]!));
  t.deepEqual(decoded[1], [1 / 3, 2 ** 60]);
  t.is(encodeRequest(0, 'describe'), '{"id":0,"fn":"describe"}');
  t.throws(() => encodeRequest(1, 'kl', [[1n]]));
});

// ------------------------------------------------------------------------------------------
// the scipy candidate

test('scipy candidate: describe, and values within the standard bound of the reference on hand-picked inputs', async (t) => {
  await withHandle(SCIPY, {}, async (h) => {
    t.is(h.kind, 'subprocess');
    t.is(h.source, SCIPY);
    t.regex(h.meta.name, /scipy/);
    t.is(h.meta.precision, 'float64');
    t.is(h.meta.base, 'e');
    t.deepEqual([...h.functions].sort(), ['crossEntropy', 'elbo', 'entropy', 'kl', 'klNormal', 'logEvidence', 'negEntropy', 'negEntropyGradient']);

    const pairs: [number[], number[]][] = [
      [[0.5, 0.5], [0.25, 0.75]],
      [[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]],
      [[0, 0.25, 0.75], [0.5, 0.25, 0.25]], // 0·log 0 = 0
      [[1e-300, 1 - 1e-300], [0.5, 0.5]],
      [[0.999, 0.001], [0.001, 0.999]],
    ];
    for (const [p, q] of pairs) {
      for (const fn of ['kl', 'crossEntropy'] as const) {
        const r = await h.call(fn, [p, q]);
        t.true(r.ok, `${fn}(${p}, ${q})`);
        const got = (r as { value: number }).value;
        const exact = ref[fn](p, q).toNumber();
        const bound = standardBound(fn, [p, q]);
        t.true(Math.abs(got - exact) <= bound, `${fn}(${p}, ${q}) = ${got}, exact ${exact}, bound ${bound}`);
        t.true(Math.abs(got - kernels[fn](p, q)) <= 2 * bound, `${fn} agrees with our kernel`);
      }
      const r = await h.call('entropy', [p]);
      const got = (r as { value: number }).value;
      t.true(Math.abs(got - ref.entropy(p).toNumber()) <= standardBound('entropy', [p]), `entropy(${p})`);
      t.true(Math.abs(got - kernels.entropy(p)) <= 2 * standardBound('entropy', [p]));
    }
  });
});

test('scipy candidate: support mismatch is +Infinity, conventions hold, a throw is reported as threw', async (t) => {
  await withHandle(SCIPY, {}, async (h) => {
    t.deepEqual(await h.call('kl', [[0.5, 0.5], [0, 1]]), { ok: true, value: Infinity });
    t.deepEqual(await h.call('crossEntropy', [[0.5, 0.5], [1, 0]]), { ok: true, value: Infinity });
    t.deepEqual(await h.call('kl', [[0, 1], [0, 1]]), { ok: true, value: 0 });
    t.deepEqual(await h.call('negEntropyGradient', [[0, 1]]), { ok: true, value: [-Infinity, 1] });
    t.deepEqual(await h.call('logEvidence', [[-Infinity, -Infinity]]), { ok: true, value: -Infinity });
    t.deepEqual(await h.call('elbo', [[-Infinity, -1], [0, 1]]), { ok: true, value: -1 }, 'q = 0 term is 0 even where logJoint = −∞');
    t.deepEqual(await h.call('elbo', [[-Infinity, -1], [0.5, 0.5]]), { ok: true, value: -Infinity });
    const bad = await h.call('kl', [[1], [0.5, 0.5]]);
    t.like(bad, { ok: false, kind: 'threw' });
    t.regex((bad as { message: string }).message, /ValueError: length mismatch/);
    t.like(await h.call('generalizedKl', [[1], [1]]), { ok: false, kind: 'protocol', message: 'no function generalizedKl()' });
  });
});

test.serial('scipy candidate: drawn inputs of every generator class agree with the reference (pipelined calls)', async (t) => {
  const seed = 20240611;
  const pairs = fc.sample(anyPair(), { seed, numRuns: 40 });
  const dists = fc.sample(distribution(), { seed, numRuns: 40 });
  const models = fc.sample(latentModel(), { seed, numRuns: 40 });
  const gauss = fc.sample(gaussianPair(), { seed, numRuns: 40 });
  const cases: [string, unknown[]][] = [
    ...pairs.flatMap(({ p, q }) => [['kl', [p, q]], ['crossEntropy', [p, q]]] as [string, unknown[]][]),
    ...dists.flatMap((p) => [['entropy', [p]], ['negEntropy', [p]]] as [string, unknown[]][]),
    ...models.flatMap((m) => [['logEvidence', [m.logJoint]], ['elbo', [m.logJoint, m.q]]] as [string, unknown[]][]),
    ...gauss.map((g) => ['klNormal', [g.mu1, g.sigma1, g.mu2, g.sigma2]] as [string, unknown[]]),
  ];
  await withHandle(SCIPY, { timeoutMs: 10000 }, async (h) => {
    const results = await Promise.all(cases.map(([fn, args]) => h.call(fn, args)));
    results.forEach((r, i) => {
      const [fn, args] = cases[i]!;
      if (!r.ok) return t.fail(`${fn}: ${r.kind} ${r.message}`);
      const exact = (ref as unknown as Record<string, (...a: unknown[]) => import('decimal.js').default>)[fn]!(...args);
      const v = judge(fn, args, r.value as number, exact);
      if (!v.ok) t.fail(`${fn}(${JSON.stringify(args).slice(0, 200)}) = ${r.value as number}, exact ${exact.toString()}: ${v.reason}`);
    });
    t.pass(`${cases.length} calls`);
    t.deepEqual(h.noise(), []);
  });
});

test.serial('scipy candidate: the check run passes every function it has, in standard mode', async (t) => {
  await withHandle(SCIPY, {}, async (h) => {
    const results = await runAgreement(h, { seed: 3, runs: 40, mode: 'standard', precision: 'float64' });
    for (const r of results) {
      if (h.functions.includes(r.fn)) t.is(r.status, 'passed', `${r.fn}: ${r.message}`);
      else t.is(r.status, 'skipped');
    }
  });
});

// ------------------------------------------------------------------------------------------
// exactness and pipelining

test('float64 values and NaN / ±Infinity / −0 cross the wire exactly, both ways (echo)', async (t) => {
  const values = [NaN, Infinity, -Infinity, -0, 0, 0.1, 1 / 3, 5e-324, -2.2250738585072014e-308, 1.7976931348623157e308, 2 ** 53 + 2, 1e21, 123456789.98765432, -1e-310];
  await withHandle(MIS('ok'), {}, async (h) => {
    const r = await h.call('echo', [values]);
    t.true(r.ok);
    const got = (r as { value: number[] }).value;
    t.is(got.length, values.length);
    values.forEach((x, i) => t.true(Object.is(got[i], x), `${x} came back as ${got[i]}`));
    t.deepEqual(await h.call('echo', [[[Infinity, 1], ['NaN'], []]]), { ok: true, value: [[Infinity, 1], [NaN], []] });
    t.deepEqual(await h.call('echo', [-Infinity]), { ok: true, value: -Infinity });
    // Non-numbers come back as they are: the harness judges them, the client does not.
    t.deepEqual(await h.call('echo', ['hello']), { ok: true, value: 'hello' });
    t.deepEqual(await h.call('echo', [null]), { ok: true, value: null });
    // Random doubles: bit-exact.
    const doubles = fc.sample(fc.double({ noNaN: false }), { seed: 9, numRuns: 300 });
    const back = (await h.call('echo', [doubles])) as { ok: true; value: number[] };
    doubles.forEach((x, i) => {
      if (!Object.is(back.value[i], x)) t.fail(`${x} came back as ${back.value[i]}`);
    });
  });
});

test('a throw in the program is {kind: threw} with its message; the process keeps serving', async (t) => {
  await withHandle(MIS('ok'), {}, async (h) => {
    t.deepEqual(await h.call('fail', []), { ok: false, kind: 'threw', message: 'ValueError: this function always fails' });
    t.deepEqual(await h.call('kl', [[1, 0], [0.5, 0.5]]), { ok: true, value: Math.log(2) });
    t.is(h.restarts, 0);
  });
});

test('pipelining: 300 concurrent calls resolve with their own answers', async (t) => {
  await withHandle(MIS('ok'), {}, async (h) => {
    const n = 300;
    const rs = await Promise.all(Array.from({ length: n }, (_, i) => h.call('echo', [[i, i / 7]])));
    rs.forEach((r, i) => t.deepEqual(r, { ok: true, value: [i, i / 7] }));
  });
});

test('pipelining: answers out of order are matched by id', async (t) => {
  await withHandle(MIS('pipelined'), {}, async (h) => {
    const n = 100;
    const rs = await Promise.all(Array.from({ length: n }, (_, i) => h.call('echo', [i + 0.5])));
    rs.forEach((r, i) => t.deepEqual(r, { ok: true, value: i + 0.5 }));
    // and one at a time still works (the program flushes when its input is idle)
    t.deepEqual(await h.call('entropy', [[0.5, 0.5]]), { ok: true, value: Math.log(2) });
    t.deepEqual(h.noise(), []);
  });
});

// ------------------------------------------------------------------------------------------
// misbehaviour

test('crash: the call resolves crashed with the exit code and stderr tail; restarts are bounded', async (t) => {
  await withHandle(MIS('crash'), { maxRestarts: 2 }, async (h) => {
    const first = await h.call('kl', [[1], [1]]);
    t.like(first, { ok: false, kind: 'crashed' });
    t.regex((first as { message: string }).message, /^exited with code 3 \(stderr tail: misbehaving: crashing after describe\)$/);
    const later = [];
    for (let i = 0; i < 4; i++) later.push(await h.call('kl', [[1], [1]]));
    t.true(later.every((r) => !r.ok && r.kind === 'crashed'));
    const last = later[later.length - 1] as { message: string };
    t.regex(last.message, /^gave up after 2 restarts; last failure: exited with code 3/);
    t.is(h.restarts, 2);
  });
});

test('crash in a call: outstanding calls resolve crashed; the next call restarts the program and works', async (t) => {
  await withHandle(MIS('crash-on-kl'), {}, async (h) => {
    const [a, b] = await Promise.all([h.call('kl', [[0.5, 0.5], [0.5, 0.5]]), h.call('entropy', [[1]])]);
    t.like(a, { ok: false, kind: 'crashed' });
    t.regex((a as { message: string }).message, /exited with code 5 \(stderr tail: misbehaving: segfault in kl \(simulated\)\)/);
    // The entropy request was queued behind kl in the same process: it dies with it.
    t.like(b, { ok: false, kind: 'crashed' });
    t.deepEqual(await h.call('entropy', [[0.5, 0.5]]), { ok: true, value: Math.log(2) });
    t.is(h.restarts, 1);
  });
});

test('hang: the call times out, the process group is killed, the next call restarts it and works', async (t) => {
  await withHandle(MIS('hang'), { timeoutMs: 400 }, async (h) => {
    const pid = h.pid;
    t.true(isAlive(pid));
    const t0 = Date.now();
    const r = await h.call('kl', [[0.5, 0.5], [0.5, 0.5]]);
    const dt = Date.now() - t0;
    t.like(r, { ok: false, kind: 'timeout' });
    t.regex((r as { message: string }).message, /no answer to kl \(request \d+\) within 400 ms/);
    t.true(dt >= 390 && dt < NO_HANG_MS, `timed out after ${dt} ms`);
    t.true(await eventually(() => !isAlive(pid)), 'the hung process was killed');
    t.deepEqual(await h.call('entropy', [[0.25, 0.75]]), { ok: true, value: -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)) });
    t.is(h.restarts, 1);
    t.not(h.pid, pid);
  });
});

test('hang with other calls outstanding: answered ones succeed, the hung one times out, calls queued on the killed process resolve crashed', async (t) => {
  await withHandle(MIS('hang'), { timeoutMs: 400, maxRestarts: 0 }, async (h) => {
    const [a, b, c] = await Promise.all([h.call('kl', [[1], [1]]), h.call('entropy', [[1]]), h.call('kl', [[1], [1]])]);
    t.like(a, { ok: false, kind: 'timeout' });
    t.deepEqual(b, { ok: true, value: -0 }, 'the program answers entropy at once');
    t.like(c, { ok: false, kind: 'crashed' });
    t.regex((c as { message: string }).message, /^the process was killed after kl \(request \d+\) timed out \(400 ms\)$/);
    const d = await h.call('entropy', [[1]]);
    t.like(d, { ok: false, kind: 'crashed' });
    t.regex((d as { message: string }).message, /^gave up after 0 restarts; last failure: the process was killed after kl/);
  });
});

test('noise: non-JSON lines, non-answers and unknown ids on stdout are recorded, calls still answered', async (t) => {
  await withHandle(MIS('noise'), {}, async (h) => {
    t.deepEqual(await h.call('kl', [[1, 0], [0.5, 0.5]]), { ok: true, value: Math.log(2) });
    t.deepEqual(await h.call('echo', [[1, 'Infinity']]), { ok: true, value: [1, Infinity] });
    const noise = h.noise();
    t.true(noise.includes('Loading the library... done'));
    t.true(noise.includes('[1, 2, 3]'));
    t.true(noise.includes('WARNING: computing kl'));
    t.true(noise.includes('{"log": "not an answer"}'));
    t.true(noise.includes('{"id": 987654, "result": 1}'));
    t.false(noise.includes(''), 'blank lines are not noise');
    t.is(h.noiseCount(), noise.length);
    t.is(h.restarts, 0);
  });
});

test('never-answers: start rejects with CandidateStartError naming the command, and the process is killed', async (t) => {
  const cmd = MIS('never-answers');
  const t0 = Date.now();
  const e = await t.throwsAsync(start(cmd, { startTimeoutMs: 500 }), { instanceOf: CandidateStartError });
  t.true(Date.now() - t0 < NO_HANG_MS, 'start gives up (the start timeout), it does not hang');
  t.true(e instanceof KlcheckError);
  t.is(e!.name, 'CandidateStartError');
  t.is((e as CandidateStartError).command, cmd);
  t.is(e!.message, `could not start the candidate command "${cmd}": it did not answer describe within 500 ms; `
    + 'if it is running, its output may be buffered: flush stdout after each line (Python: print(..., flush=True) or python3 -u; C: fflush(stdout))');
});

test('wrong-id: the call times out and the stray answer is recorded as noise', async (t) => {
  await withHandle(MIS('wrong-id'), { timeoutMs: 400 }, async (h) => {
    const r = await h.call('kl', [[1], [1]]);
    t.like(r, { ok: false, kind: 'timeout' });
    t.true(h.noise().some((l) => /"id":\s*100\d/.test(l)), h.noise().join('\n'));
    t.deepEqual(await h.call('entropy', [[1]]), { ok: true, value: -0 });
  });
});

test('slow: answers within the timeout succeed', async (t) => {
  await withHandle(MIS('slow', '200'), { timeoutMs: 10_000 }, async (h) => {
    const [a, b] = await Promise.all([h.call('echo', [1.5]), h.call('echo', [2.5])]);
    t.deepEqual(a, { ok: true, value: 1.5 });
    t.deepEqual(b, { ok: true, value: 2.5 }, '400 ms after the request: still within the timeout');
    t.is(h.restarts, 0);
  });
});

test('stderr is captured, bounded to the last 2 KB, and never mixed into stdout', async (t) => {
  await withHandle(MIS('flood'), {}, async (h) => {
    t.deepEqual(await h.call('echo', [1]), { ok: true, value: 1 });
    const tail = h.stderrTail();
    t.true(tail.length <= 2048);
    t.true(tail.endsWith('END-OF-FLOOD\n'));
    t.deepEqual(h.noise(), []);
  });
});

test('a command that is not found, or exits before describe, is rejected with its exit code and stderr', async (t) => {
  const e1 = await t.throwsAsync(start('klcheck-no-such-command-xyz --flag'), { instanceOf: CandidateStartError });
  t.regex(e1!.message, /^could not start the candidate command "klcheck-no-such-command-xyz --flag": it exited with code 127 before answering describe \(stderr tail: .*not found\)$/);
  const e2 = await t.throwsAsync(start(MIS('exit-early')), { instanceOf: CandidateStartError });
  t.regex(e2!.message, /it exited with code 7 before answering describe \(stderr tail: misbehaving: refusing to start\)/);
  const e3 = await t.throwsAsync(start(MIS('ok'), { cwd: '/nonexistent-klcheck-dir' }), { instanceOf: CandidateStartError });
  t.regex(e3!.message, /the working directory \/nonexistent-klcheck-dir does not exist/);
  await t.throwsAsync(start('   '), { instanceOf: CandidateStartError, message: /empty/ });
  await t.throwsAsync(start(MIS('ok'), { timeoutMs: -1 }), { instanceOf: CandidateStartError, message: /timeoutMs/ });
});

test('describe: optional precision and base become meta; a malformed describe answer or an error is rejected', async (t) => {
  const answer = (json: string) => `read line; echo '${json}'; cat > /dev/null`;
  await withHandle(answer('{"id":0,"result":{"name":"f32 thing","functions":["kl","kl"],"precision":"float32","base":2}}'), {}, async (h) => {
    t.deepEqual(h.meta, { name: 'f32 thing', precision: 'float32', base: 2 });
    t.deepEqual(h.functions, ['kl']);
  });
  await withHandle(answer('{"id":0,"result":{"functions":["kl"]}}'), {}, async (h) => {
    t.deepEqual(h.meta, { name: answer('{"id":0,"result":{"functions":["kl"]}}'), precision: 'float64', base: 'e' });
  });
  await t.throwsAsync(start(answer('{"id":0,"result":{"functions":[]}}')), { instanceOf: CandidateStartError, message: /lists no function klcheck checks/ });
  await t.throwsAsync(start(answer('{"id":0,"result":42}')), { instanceOf: CandidateStartError, message: /describe answer is not an object/ });
  await t.throwsAsync(start(answer('{"id":0,"result":{"functions":"kl"}}')), { instanceOf: CandidateStartError, message: /"functions" array/ });
  await t.throwsAsync(start(answer('{"id":0,"result":{"functions":["kl"],"base":3}}')), { instanceOf: CandidateStartError, message: /"base"/ });
  await t.throwsAsync(start(answer('{"id":0,"error":"no scipy"}')), { instanceOf: CandidateStartError, message: /describe answered an error: no scipy/ });
});

test('an answer with neither result nor error is a protocol failure', async (t) => {
  const cmd = `read line; echo '{"id":0,"result":{"functions":["kl"]}}'; read line; echo '{"id":1}'; cat > /dev/null`;
  await withHandle(cmd, {}, async (h) => {
    const r = await h.call('kl', [[1], [1]]);
    t.like(r, { ok: false, kind: 'protocol' });
    t.regex((r as { message: string }).message, /neither "result" nor "error"/);
  });
});

test('close(): ends the program (pending calls resolve crashed), later calls are refused, no process remains', async (t) => {
  // A per-call timeout far longer than the margin, so that "close did not wait for it" is what is shown.
  const h = await start(MIS('hang'), { timeoutMs: 10 * NO_HANG_MS });
  const pid = h.pid;
  const pending = h.call('kl', [[1], [1]]);
  await sleep(50);
  const t0 = Date.now();
  await h.close();
  t.true(Date.now() - t0 < NO_HANG_MS, 'close does not wait for the per-call timeout');
  t.like(await pending, { ok: false, kind: 'crashed' });
  t.true(await eventually(() => !isAlive(pid)));
  t.deepEqual(await h.call('kl', [[1], [1]]), { ok: false, kind: 'crashed', message: 'the candidate was closed' });
  await h.close(); // idempotent
});

test.after.always('no process started by these tests is left running (nor a zombie)', async (t) => {
  let left = markedProcesses();
  for (let i = 0; i < 20 && left.length > 0; i++) {
    await sleep(50);
    left = markedProcesses();
  }
  t.deepEqual(left, []);
});

// ------------------------------------------------------------------------------------------
// Languages as they are: bare non-finite tokens, and rejected lines shown in the failure

/** A JSON writer in the style of Python's json.dumps: bare NaN, Infinity, -Infinity. */
function pythonStyle(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pythonStyle).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonStyle(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

test('parseJsonLine reads bare NaN/Infinity/-Infinity as the protocol strings, never inside strings, and rejects what JSON rejects', (t) => {
  const tricky = fc.constantFrom('NaN', 'Infinity', '-Infinity', 'x: NaN', '[NaN, Infinity]', '\\"NaN', '", NaN', 'NaNa');
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' },
      fc.double(), fc.constantFrom(NaN, Infinity, -Infinity), fc.oneof(fc.string(), tricky), fc.boolean(), fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string(), tricky), tie('value'), { maxKeys: 3 })),
  }));
  const asProtocol = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)));
  fc.assert(fc.property(value, (v) => {
    t.deepEqual(parseJsonLine(pythonStyle(v)), asProtocol(v));
  }), { numRuns: 500 });
  for (const bad of ['{"id": 1, "result": Nan}', '{"id": 1, "result": Infinityx}', '{"id": 1 "result": NaN}', 'NaN NaN', '{"id": 1, "result": +Infinity}']) {
    t.throws(() => parseJsonLine(bad), { instanceOf: SyntaxError }, bad);
  }
});

test("bare-nonfinite: a program answering with Python's default json.dumps (bare Infinity, NaN) is understood", async (t) => {
  await withHandle(MIS('bare-nonfinite'), {}, async (h) => {
    t.deepEqual(await h.call('kl', [[1, 0], [0, 1]]), { ok: true, value: Infinity });
    t.deepEqual(await h.call('echo', [[NaN, -Infinity, Infinity, 1.5]]), { ok: true, value: [NaN, -Infinity, Infinity, 1.5] });
    t.is(h.noiseCount(), 0);
  });
});

test('prefixed: when every line is rejected as noise, the failure quotes the first of them', async (t) => {
  const cmd = MIS('prefixed');
  // The timeout is generous: on a loaded machine python3 may take seconds to print its first line.
  const e = await t.throwsAsync(start(cmd, { startTimeoutMs: 20_000 }), { instanceOf: CandidateStartError });
  t.regex(e!.message, /did not answer describe within 20000 ms \(it wrote 1 line that is not an answer; the first: «DEBUG \{"id":0,"result":\{"name":"misbehaving \(prefixed\)"/);
  t.notRegex(e!.message, /buffered/, 'it is not buffering: it answers, in the wrong form');
});
