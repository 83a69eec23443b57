/**
 * Issue 12, inputs to klcheck itself: deeply nested arguments to `klcheck value`, alone and through
 * --stdin. Before, decodeNonFinite recursed once per level and a value nested 100,000 levels deep
 * ended the command (and the whole --stdin stream) with a RangeError: exit 3, a stack trace.
 */
import test from 'ava';
import { decodeNonFinite, JsonDepthError, MAX_JSON_DEPTH } from '../src/numeric/wire';
import { runCli } from './support/cli';

/** `depth` nested arrays around nothing: "[[[…]]]". */
const nested = (depth: number, inner = '') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

test.serial('value: an argument nested 100,000 levels deep is invalid input naming the argument (exit 2), not a stack overflow', async (t) => {
  const r = await runCli(['value', 'kl', `[[0.5,0.5],${nested(100_000)}]`]);
  t.is(r.code, 2, r.err.slice(0, 300));
  t.regex(r.err, /kl: argument 'q' is nested more than \d+ levels deep/);
  t.notRegex(r.err, /RangeError|at .*\.ts:\d+/);
  const first = await runCli(['value', 'entropy', `[${nested(100_000)}]`]);
  t.is(first.code, 2);
  t.regex(first.err, /entropy: argument 'p' is nested more than/);
});

test.serial('value --stdin: a too-deep line is an in-band error naming its line, and the stream goes on', async (t) => {
  const input = [
    '{"fn":"entropy","args":[[0.5,0.5]]}',
    `{"fn":"kl","args":[${nested(100_000)},[1]]}`,
    '',
    `{"fn":"entropy","args":${nested(200_000)}}`,
    '{"fn":"kl","args":[[1],[0]]}',
  ].join('\n');
  const r = await runCli(['value', '--stdin', '--digits', '20'], input);
  t.is(r.code, 0, r.err.slice(0, 300));
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
  t.is(lines.length, 4);
  t.deepEqual(lines[0], { value: '0.69314718055994530942' });
  t.is(lines[1].line, 2);
  t.regex(lines[1].error, /^line 2: kl: argument 'p' is nested more than \d+ levels deep/);
  t.is(lines[2].line, 4); // line numbers count the blank line too
  t.regex(lines[2].error, /^line 4: entropy: argument 'p' is nested more than/);
  t.deepEqual(lines[3], { value: 'Infinity' });
});

test.serial('value --stdin: an error that is not a KlcheckError still answers in-band and the stream goes on (exit 3, stack on stderr)', async (t) => {
  // A genuine bug is simulated by an args array whose getter throws a TypeError; the only way to
  // hand evaluateRequest such a value is in-process, so this drives the stream through a reference
  // function patched for the test.
  const value = await import('../src/cli/value');
  const saved = value.VALUE_FUNCTIONS.entropy!.call;
  value.VALUE_FUNCTIONS.entropy!.call = () => { throw new TypeError('simulated bug'); };
  try {
    const r = await runCli(['value', '--stdin'], '{"fn":"entropy","args":[[1]]}\n{"fn":"kl","args":[[1],[1]]}\n');
    t.is(r.code, 3);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    t.deepEqual(lines[0], { error: 'line 1: internal error: TypeError: simulated bug', line: 1 });
    t.deepEqual(lines[1], { value: '0' });
    t.regex(r.err, /internal error on line 1: TypeError: simulated bug/);
  } finally {
    value.VALUE_FUNCTIONS.entropy!.call = saved;
  }
});

test.serial('decodeNonFinite: exactly MAX_JSON_DEPTH levels decode, one more is a JsonDepthError naming the value', (t) => {
  const build = (d: number): unknown => (d === 0 ? 'Infinity' : [build(d - 1)]);
  let v = decodeNonFinite(build(MAX_JSON_DEPTH), 'x');
  for (let i = 0; i < MAX_JSON_DEPTH; i++) v = (v as unknown[])[0];
  t.is(v, Infinity);
  const e = t.throws(() => decodeNonFinite(build(MAX_JSON_DEPTH + 1), "argument 'p'"), { instanceOf: JsonDepthError });
  t.regex(e!.message, /^argument 'p' is nested more than 16 levels deep/);
  t.throws(() => decodeNonFinite({ a: build(MAX_JSON_DEPTH) }, 'failures[0].instance'), { message: /^failures\[0\]\.instance is nested/ });
  t.throws(() => decodeNonFinite(JSON.parse(nested(1_000_000)), 'deep'), { instanceOf: JsonDepthError });
});
