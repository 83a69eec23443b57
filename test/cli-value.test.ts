/** `klcheck value` in-process: outputs, JSON lines, exit codes. */
import test from 'ava';
import { decodeNonFinite, encodeNonFinite } from '../src/numeric/wire';
import { runCli } from './support/cli';

const run = runCli;

test('value prints the reference value', async (t) => {
  const r = await run(['value', 'kl', '[[0.5,0.5],[0.1,0.9]]', '--digits', '40']);
  t.is(r.code, 0);
  t.is(r.out, '0.510825623765990643114127095950787786569\n');
});

test('value prints Infinity under support mismatch and vectors as JSON arrays', async (t) => {
  t.is((await run(['value', 'kl', '[[0.5,0.5],[1,0]]'])).out, 'Infinity\n');
  t.is((await run(['value', 'posterior', '[[0,0,"-Infinity"]]'])).out, '["0.5","0.5","0"]\n');
  t.is((await run(['value', 'logEvidence', '[["-Infinity"]]'])).out, '-Infinity\n');
});

test('value: bad input is a clear error with exit code 2', async (t) => {
  for (const [argv, pattern] of [
    [['value', 'kl', '[[0.5,-0.5],[1,0]]'], /argument 'p' at index 1: negative entry/],
    [['value', 'nope', '[]'], /unknown function "nope"/],
    [['value', 'kl', '[[1]]'], /kl takes 2 argument/],
    [['value', 'kl', '{not json'], /not valid JSON/],
    [['value', 'kl', '{}'], /args must be a JSON array/],
    [['value', 'kl', '[[1],[1]]', '--digits', '3'], /--digits must be an integer/],
    [['value', 'kl'], /usage: klcheck value/],
    [['value', 'kl', '[[1],[1]]', '--stdin'], /--stdin takes no positional/],
  ] as Array<[string[], RegExp]>) {
    const r = await run(argv);
    t.is(r.code, 2, argv.join(' '));
    t.regex(r.err, pattern);
  }
  const unknownOption = await run(['value', '--bogus']);
  t.is(unknownOption.code, 2);
  t.regex(unknownOption.err, /unknown option/);
});

test('value --stdin answers one JSON line per input, in order, errors in-band', async (t) => {
  const input = [
    '{"fn":"entropy","args":[[0.5,0.5]]}',
    'not json',
    '',
    '{"fn":"kl","args":[[1],[0]]}',
    '{"fn":"kl","args":[[1],["NaN"]]}',
    '[1,2]',
    '{"fn":"negEntropyGradient","args":[[1,0]]}',
  ].join('\n');
  const r = await run(['value', '--stdin', '--digits', '20'], input);
  t.is(r.code, 0);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
  t.deepEqual(lines[0], { value: '0.69314718055994530942' });
  t.regex(lines[1].error, /not valid JSON/);
  t.deepEqual(lines[2], { value: 'Infinity' });
  t.regex(lines[3].error, /argument 'q' at index 0: NaN/);
  t.regex(lines[4].error, /expected an object/);
  t.deepEqual(lines[5], { value: ['1', '-Infinity'] });
  t.is(lines.length, 6);
});

test('help on every command', async (t) => {
  const top = await run(['--help']);
  t.is(top.code, 0);
  t.regex(top.out, /value/);
  const v = await run(['value', '--help']);
  t.is(v.code, 0);
  t.regex(v.out, /--stdin/);
  t.regex(v.out, /Exit codes/);
});

test('JSON non-finite encoding round-trips', (t) => {
  const v = [1, Infinity, [-Infinity, NaN], { a: -Infinity }];
  const enc = encodeNonFinite(v);
  t.deepEqual(enc, [1, 'Infinity', ['-Infinity', 'NaN'], { a: '-Infinity' }]);
  t.deepEqual(decodeNonFinite(['Infinity', ['-Infinity', 'NaN', 2]]), [Infinity, [-Infinity, NaN, 2]]);
});
