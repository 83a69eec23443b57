/**
 * The JSON-lines candidate at the limits of the protocol (src/harness/subprocess/): over-long
 * answer lines, answers nested too deep, number tokens beyond the float64 range, a describe that
 * lists nothing klcheck checks, and the restart budget per property. The misbehaving program is
 * test/fixtures/jsonl-limits.cjs. Every process started here carries a marker in its environment;
 * the last check is that none of them is left running.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CandidateStartError, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LINE_BYTES, decodeResult, parseJsonLine, scanAnswerLine, startSubprocessCandidate,
  SubprocessCandidateHandle, SubprocessOptions,
} from '../src/harness/subprocess';
import { runCli } from './support/cli';

const ROOT = path.resolve(__dirname, '..');
const LIMITS = (...args: string[]) => ['node', 'test/fixtures/jsonl-limits.cjs', ...args.map((a) => `'${a}'`)].join(' ');
const MARKER = `klcheck-subprocess-limits-test-${process.pid}`;
const ENV = { ...process.env, KLCHECK_TEST_MARKER: MARKER };

function start(command: string, opts: SubprocessOptions = {}): Promise<SubprocessCandidateHandle> {
  return startSubprocessCandidate(command, { cwd: ROOT, env: ENV, startTimeoutMs: 20_000, timeoutMs: 60_000, ...opts });
}

async function withHandle<T>(command: string, opts: SubprocessOptions, f: (h: SubprocessCandidateHandle) => Promise<T>): Promise<T> {
  const h = await start(command, opts);
  try {
    return await f(h);
  } finally {
    await h.close();
  }
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
async function eventually(cond: () => boolean, ms = 60_000): Promise<boolean> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) return false;
    await sleep(20);
  }
  return true;
}

const message = (r: unknown) => (r as { message?: string }).message ?? '';

// ------------------------------------------------------------------------------------------
// line length

test('line cap: a line of exactly maxLineBytes bytes is an answer; one byte more is a protocol failure, the process is killed and restarted', async (t) => {
  await withHandle(LIMITS('line', '1000'), { maxLineBytes: 1000 }, async (h) => {
    t.deepEqual(await h.call('kl', [[1], [1]]), { ok: true, value: 0.5 });
    t.is(h.restarts, 0);
  });
  await withHandle(LIMITS('line', '1001'), { maxLineBytes: 1000 }, async (h) => {
    const pid = h.pid;
    const r = await h.call('kl', [[1], [1]]);
    t.like(r, { ok: false, kind: 'protocol' });
    t.regex(message(r), /^answer line longer than 1000 bytes \(--max-line-bytes\) while kl \(request 1\) was waiting; the process was killed$/);
    t.true(await eventually(() => !isAlive(pid)), 'the process was killed');
    t.deepEqual(await h.call('entropy', [[1]]), { ok: true, value: 0.5 }, 'restarted for the next call');
    t.is(h.restarts, 1);
    t.not(h.pid, pid);
    t.deepEqual(h.noise(), [], 'the over-long line is not kept as noise');
  });
});

test('line cap: lines are split on bytes and decoded whole (a character split between two writes arrives intact); the cap counts bytes, not characters', async (t) => {
  // {"id":1,"result":"…"} is 20 bytes around the é's: 490 é's make exactly 1000 bytes (510 characters), 491 make 1002.
  await withHandle(LIMITS('utf8', '490'), { maxLineBytes: 1000 }, async (h) => {
    t.deepEqual(await h.call('kl', [[1], [1]]), { ok: true, value: 'é'.repeat(490) });
  });
  await withHandle(LIMITS('utf8', '491'), { maxLineBytes: 1000 }, async (h) => {
    const r = await h.call('kl', [[1], [1]]);
    t.like(r, { ok: false, kind: 'protocol' }, '511 characters, 1002 bytes');
    t.regex(message(r), /longer than 1000 bytes/);
  });
});

test(`line cap: a 600 MB line (beyond V8's string limit) against the default cap of ${DEFAULT_MAX_LINE_BYTES} bytes is a protocol failure, read without holding it`, async (t) => {
  const before = process.memoryUsage().rss;
  await withHandle(LIMITS('stream', '600'), {}, async (h) => {
    const r = await h.call('kl', [[1], [1]]);
    t.like(r, { ok: false, kind: 'protocol' });
    t.regex(message(r), new RegExp(`^answer line longer than ${DEFAULT_MAX_LINE_BYTES} bytes \\(--max-line-bytes\\)`));
    const grown = process.memoryUsage().rss - before;
    // Holding the line (as a string: 1.2 GB in UTF-16) is what used to happen; the cap holds at most 64 MiB of it.
    t.true(grown < 512 * 2 ** 20, `rss grew by ${(grown / 2 ** 20).toFixed(0)} MB`);
    t.deepEqual(await h.call('entropy', [[1]]), { ok: true, value: 0.5 });
  });
});

test('line cap: the option is validated', async (t) => {
  await t.throwsAsync(start(LIMITS('ok'), { maxLineBytes: 0 }), { instanceOf: CandidateStartError, message: /maxLineBytes/ });
  await t.throwsAsync(start(LIMITS('ok'), { maxLineBytes: 2 ** 40 }), { instanceOf: CandidateStartError, message: /maxLineBytes must be at most \d+/ });
  await t.throwsAsync(start(LIMITS('ok'), { maxDepth: -1 }), { instanceOf: CandidateStartError, message: /maxDepth/ });
});

// ------------------------------------------------------------------------------------------
// nesting depth

test('scanAnswerLine: depth, top-level id and out-of-range tokens, strings and escapes skipped', (t) => {
  t.deepEqual(scanAnswerLine('{"id":3,"result":[[0.5,1],[2,3]]}'), { depth: 3, id: 3, outOfRange: undefined });
  t.deepEqual(scanAnswerLine('{"result":"[[[\\"[[{{","id": 17 }'), { depth: 1, id: 17, outOfRange: undefined });
  t.deepEqual(scanAnswerLine('{"x":{"id":5},"id":6}'), { depth: 2, id: 6, outOfRange: undefined }, 'only the top-level id');
  t.deepEqual(scanAnswerLine('{"id":1,"result":"1e400"}'), { depth: 1, id: 1, outOfRange: undefined }, 'a string is not a number');
  t.deepEqual(scanAnswerLine('{"id":1,"result":[1, -Infinity, NaN, -1e400, 1e999]}'), { depth: 2, id: 1, outOfRange: '-1e400' });
  t.deepEqual(scanAnswerLine(''), { depth: 0, id: undefined, outOfRange: undefined });
});

test('decodeResult is iterative: 100,000 levels decode without a stack overflow, the structure kept', (t) => {
  const n = 100_000;
  const v = parseJsonLine('['.repeat(n) + '"Infinity"' + ']'.repeat(n));
  let d = decodeResult(v);
  let depth = 0;
  while (Array.isArray(d)) {
    t.is(d.length, 1);
    d = d[0];
    depth++;
  }
  t.is(depth, n);
  t.is(d, Infinity);
  t.deepEqual(decodeResult([1, ['NaN', ['-Infinity', 'x']], []]), [1, [NaN, [-Infinity, 'x']], []]);
});

test(`depth cap: the default (${DEFAULT_MAX_DEPTH}) accepts an answer line ${DEFAULT_MAX_DEPTH} deep and rejects one level more; the process keeps serving`, async (t) => {
  const deep = (k: number) => { let v: unknown = 0.5; for (let i = 0; i < k; i++) v = [v]; return v; };
  await withHandle(LIMITS('deep', String(DEFAULT_MAX_DEPTH - 1)), {}, async (h) => {
    t.deepEqual(await h.call('kl', [[1], [1]]), { ok: true, value: deep(DEFAULT_MAX_DEPTH - 1) });
  });
  await withHandle(LIMITS('deep', String(DEFAULT_MAX_DEPTH)), {}, async (h) => {
    const r = await h.call('kl', [[1], [1]]);
    t.like(r, { ok: false, kind: 'protocol' });
    t.is(message(r), `the answer to kl (request 1) is nested ${DEFAULT_MAX_DEPTH + 1} levels deep, more than ${DEFAULT_MAX_DEPTH} (--max-depth)`);
    t.deepEqual(await h.call('entropy', [[1]]), { ok: true, value: 0.5 });
    t.is(h.restarts, 0);
  });
});

test('depth cap: a result 100,000 levels deep is a protocol failure (id before or after it); maxDepth is an option', async (t) => {
  for (const where of ['first', 'last']) {
    await withHandle(LIMITS('deep', '100000', where), {}, async (h) => {
      const r = await h.call('kl', [[1], [1]]);
      t.like(r, { ok: false, kind: 'protocol' }, where);
      t.regex(message(r), /is nested 100001 levels deep, more than 64 \(--max-depth\)$/);
      t.deepEqual(await h.call('entropy', [[1]]), { ok: true, value: 0.5 });
    });
  }
  await withHandle(LIMITS('deep', '3'), { maxDepth: 4 }, async (h) => {
    t.deepEqual(await h.call('kl', [[1], [1]]), { ok: true, value: [[[0.5]]] });
  });
  await withHandle(LIMITS('deep', '4'), { maxDepth: 4 }, async (h) => {
    t.regex(message(await h.call('kl', [[1], [1]])), /nested 5 levels deep, more than 4 \(--max-depth\)/);
  });
});

// ------------------------------------------------------------------------------------------
// numbers beyond float64

const MAX = Number.MAX_VALUE;
/** 2^1024 − 2^970: the midpoint between the largest double and 2^1024, written out as an integer (309 digits). */
const MIDPOINT = (2n ** 1024n - 2n ** 970n).toString();
const BELOW_MIDPOINT = (2n ** 1024n - 2n ** 970n - 1n).toString();

test('out of range: the boundary is 2^1024 − 2^970 (ties to even round up), both sides, with and without exponent', (t) => {
  // Below the midpoint: the literal rounds to the largest finite double and is accepted.
  for (const tok of ['1.7976931348623157e308', '1.7976931348623158e308', BELOW_MIDPOINT, `-${BELOW_MIDPOINT}`]) {
    t.is(scanAnswerLine(`{"id":1,"result":${tok}}`).outOfRange, undefined, tok);
    t.is(Math.abs(JSON.parse(tok) as number), MAX, tok);
  }
  // At and above it: JSON.parse reads ±Infinity, and the scan names the token.
  for (const tok of ['1.7976931348623159e308', MIDPOINT, `-${MIDPOINT}`, '1e400', '-1e400', '1E+309', `${'9'.repeat(400)}`]) {
    t.is(scanAnswerLine(`{"id":1,"result":[0.5,${tok}]}`).outOfRange, tok, tok);
    t.is(Math.abs(JSON.parse(tok) as number), Infinity, tok);
  }
  // Underflow is a correctly rounded finite reading: accepted.
  for (const tok of ['1e-400', '-1e-400', '1e-320', '4.9e-324', '2.4703282292062328e-324']) {
    t.is(scanAnswerLine(`{"id":1,"result":${tok}}`).outOfRange, undefined, tok);
  }
});

test('out of range: 1e400 in an answer is a protocol failure naming the token; underflow reads as the nearest double', async (t) => {
  const cases: [string, RegExp][] = [
    ['1e400', /^the answer to kl \(request 1\) has the number 1e400: 1e400 is outside the float64 range; write Infinity as "Infinity"$/],
    ['-1e400', /-1e400 is outside the float64 range; write -Infinity as "-Infinity"$/],
    ['[0.5,1e309]', /1e309 is outside the float64 range/],
    [MIDPOINT, /has the number 1797693134862315807937289714053034150799…: .* is outside the float64 range/],
  ];
  for (const [tok, re] of cases) {
    await withHandle(LIMITS('token', tok), {}, async (h) => {
      const r = await h.call('kl', [[1], [1]]);
      t.like(r, { ok: false, kind: 'protocol' }, tok);
      t.regex(message(r), re);
      t.is(h.restarts, 0);
    });
  }
  const accepted: [string, number][] = [['1.7976931348623158e308', MAX], [BELOW_MIDPOINT, MAX], ['1e-400', 0], ['-1e-400', -0], ['1e-320', 1e-320], ['"Infinity"', Infinity], ['-Infinity', -Infinity]];
  for (const [tok, v] of accepted) {
    await withHandle(LIMITS('token', tok), {}, async (h) => {
      const r = await h.call('kl', [[1], [1]]);
      t.true(r.ok && Object.is(r.value, v), `${tok}: ${JSON.stringify(r)}`);
    });
  }
});

// ------------------------------------------------------------------------------------------
// describe

test('describe: a list with no function klcheck checks is rejected, naming what it listed; an extra checked function is enough', async (t) => {
  const e1 = await t.throwsAsync(start(LIMITS('describe', '{"functions":[]}')), { instanceOf: CandidateStartError });
  t.regex(e1!.message, /its describe answer lists no function klcheck checks \(it listed: none\); expected at least one of kl, crossEntropy, generalizedKl, entropy, .*posterior.*klNormalDiag/);
  const e2 = await t.throwsAsync(start(LIMITS('describe', '{"functions":["foo","KL"]}')), { instanceOf: CandidateStartError });
  t.regex(e2!.message, /\(it listed: "foo", "KL"\)/);
  for (const fns of [['klNormalDiag'], ['posterior', 'foo'], ['generalizedKl']]) {
    await withHandle(LIMITS('describe', JSON.stringify({ functions: fns })), {}, async (h) => {
      t.deepEqual(h.functions, fns);
    });
  }
});

// ------------------------------------------------------------------------------------------
// restart budget

test('restart budget per property: spent by crashes in one property, full again after beginProperty', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-limits-'));
  const counter = path.join(dir, 'count');
  try {
    await withHandle(LIMITS('crash-first', '3', counter), { maxRestarts: 2 }, async (h) => {
      t.is(typeof h.beginProperty, 'function');
      h.beginProperty!();
      const first = [];
      for (let i = 0; i < 3; i++) first.push(await h.call('kl', [[1], [1]]));
      t.true(first.every((r) => !r.ok && r.kind === 'crashed' && /exited with code 9/.test(r.message)), JSON.stringify(first));
      const spent = await h.call('kl', [[1], [1]]);
      t.regex(message(spent), /^gave up after 2 restarts; last failure: exited with code 9/);
      t.regex(message(await h.call('entropy', [[1]])), /^gave up after 2 restarts/, 'spent for the rest of the property');
      h.beginProperty!();
      t.deepEqual(await h.call('kl', [[1], [1]]), { ok: true, value: 0.5 }, 'the next property restarts it');
      t.is(h.restarts, 3, 'restarts counts over the handle\'s life');
      t.is(fs.readFileSync(counter, 'utf8'), '4');
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ------------------------------------------------------------------------------------------
// the CLI

test('klcheck check: --max-line-bytes and --max-depth reach the candidate; bad values and an empty describe are usage errors (exit 2)', async (t) => {
  const cmd = LIMITS('ok');
  const short = await runCli(['check', '--impl-cmd', cmd, '--max-line-bytes', '30', '--no-progress']);
  t.is(short.code, 2, short.out + short.err);
  t.regex(short.err, /describe failed: answer line longer than 30 bytes \(--max-line-bytes\)/);
  const shallow = await runCli(['check', '--impl-cmd', cmd, '--max-depth', '1', '--no-progress']);
  t.is(shallow.code, 2, shallow.out + shallow.err);
  t.regex(shallow.err, /nested 3 levels deep, more than 1 \(--max-depth\)/);
  for (const bad of [['--max-line-bytes', '0'], ['--max-line-bytes', '1e12'], ['--max-depth', 'x'], ['--max-depth', '2.5']]) {
    const r = await runCli(['check', '--impl-cmd', cmd, ...bad, '--no-progress']);
    t.is(r.code, 2, bad.join(' '));
    t.regex(r.err, new RegExp(`${bad[0]} must be an integer`));
  }
  const empty = await runCli(['check', '--impl-cmd', LIMITS('describe', '{"functions":["foo"]}'), '--no-progress']);
  t.is(empty.code, 2, empty.out + empty.err);
  t.regex(empty.err, /lists no function klcheck checks \(it listed: "foo"\)/);
  const help = await runCli(['check', '--help']);
  t.regex(help.out, /--max-line-bytes <n>[\s\S]*default: "67108864"/);
});

test.after.always('no process started by these tests is left running', async (t) => {
  const marked = (): number[] => {
    if (!fs.existsSync('/proc/self/environ')) return [];
    const out: number[] = [];
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        if (fs.readFileSync(`/proc/${d}/environ`, 'latin1').includes(`KLCHECK_TEST_MARKER=${MARKER}`)) out.push(Number(d));
      } catch {
        /* gone */
      }
    }
    return out;
  };
  t.true(await eventually(() => marked().length === 0, 5000), `left running: ${marked().join(', ')}`);
});
