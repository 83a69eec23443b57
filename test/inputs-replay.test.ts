/**
 * Issue 12, inputs to klcheck itself: a malformed theorem instance in a --replay file. Before, it
 * reached the theorem's float64 check during the run and ended it with a TheoremDomainError or a
 * TypeError (exit 3, stack trace). Now it is refused when the file is loaded, before the run: exit 2,
 * naming the file, the failures[i] index and what is wrong.
 */
import test from 'ava';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { THEOREMS } from '../properties';
import { encodeNonFinite } from '../src/numeric/wire';
import { FailureFileError, loadRegressionFile } from '../src/harness/regressions';
import { storedInstanceProblem } from '../src/harness/theorems';
import { runCli } from './support/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-inputs-replay-'));
let n = 0;
/** A regression file with a valid function entry first, then the given entries. */
function store(...entries: unknown[]): string {
  const file = path.join(dir, `r${n++}.json`);
  fs.writeFileSync(file, JSON.stringify({ klcheck: 'failures', version: 1, failures: [{ fn: 'kl', args: [[1], [1]] }, ...entries] }));
  return file;
}
const byId = (id: string) => THEOREMS.find((t) => t.id === id)!;

const MALFORMED: Array<[string, unknown, RegExp]> = [
  ['gibbs', { p: 'x' }, /'p' must be number\[\], got string "x"/],
  ['gibbs', { p: [0.5] }, /the instance has no 'q'/],
  ['gibbs', { p: [0.5, 0.5], q: [1, 'a'] }, /'q'\[1\] must be a number, got string "a"/],
  ['gibbs', { p: [0.5, 0.5], q: [1] }, /outside the contract's domain \('q' has length 1, 'p' has length 2\)/],
  ['gibbs', { p: [0.5], q: [0.5] }, /'p' is not a distribution/],
  ['gibbs', [0.5, 0.5], /the instance must be an object/],
  ['pinsker', { p: [0.5, 0.5], q: [0.5, 0.5], c: [1] }, /'c' must be number, got number\[\]/],
  ['gaussian', { mu1: 0, sigma1: -1, mu2: 0, sigma2: 1 }, /klNormal\(.*outside the contract's domain/],
  ['data-processing', { p: [0.5, 0.5], q: [0.5, 0.5], K: [0.5, 0.5] }, /'K' must be number\[\]\[\], got number\[\]/],
  ['elbo-identity', { logJoint: [0], q: 'x' }, /'q' must be number\[\]/],
];

for (const [theorem, instance, pattern] of MALFORMED) {
  test(`--replay with a malformed ${theorem} instance ${JSON.stringify(instance)} is exit 2 naming file, index and fault, before the run`, async (t) => {
    const file = store({ theorem, instance });
    const r = await runCli(['check', '--only', theorem, '--runs', '1', '--no-progress', '--replay', file]);
    t.is(r.code, 2, r.out);
    t.true(r.err.startsWith(`klcheck: '${file}': failures[1] (theorem ${theorem}): `), r.err);
    t.regex(r.err, pattern);
    t.is(r.out, '', 'nothing ran');
    t.notRegex(r.err, /internal error|\n {4}at /);
  });
}

test('an unknown theorem id and an instance nested 100,000 levels deep are FailureFileErrors naming the index', (t) => {
  t.throws(() => loadRegressionFile(store({ theorem: 'nope', instance: {} }), THEOREMS), { instanceOf: FailureFileError, message: /failures\[1\]: unknown theorem 'nope'/ });
  const deep = path.join(dir, 'deep.json');
  fs.writeFileSync(deep, `{"klcheck":"failures","version":1,"failures":[{"theorem":"gibbs","instance":{"p":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`);
  t.throws(() => loadRegressionFile(deep, THEOREMS), { instanceOf: FailureFileError, message: /failures\[0\]\.instance is nested more than 16 levels deep/ });
  const deepArgs = path.join(dir, 'deep-args.json');
  fs.writeFileSync(deepArgs, `{"klcheck":"failures","version":1,"failures":[{"fn":"kl","args":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`);
  t.throws(() => loadRegressionFile(deepArgs), { instanceOf: FailureFileError, message: /failures\[0\]\.args is nested/ });
});

test('no valid instance is refused: instances of every theorem, stored as saveFailures stores them, with or without labels, load', (t) => {
  // Other seeds than the shape's own sample (seed 1), so the shape is tested on instances it did not see.
  for (const th of THEOREMS) {
    const drawn = fc.sample(th.float64?.instances ?? th.instances, { seed: 4242, numRuns: 100 }).map((i) => th.toJSON(i) as Record<string, unknown>);
    const unlabelled = drawn.map((x) => Object.fromEntries(Object.entries(x).filter(([, v]) => typeof v !== 'string')));
    const file = path.join(dir, `valid-${th.id}.json`);
    fs.writeFileSync(file, JSON.stringify({ klcheck: 'failures', version: 1, failures: encodeNonFinite([...drawn, ...unlabelled].map((instance) => ({ theorem: th.id, instance }))) }));
    const loaded = t.notThrows(() => loadRegressionFile(file, THEOREMS), th.id);
    void loaded;
    t.is(loadRegressionFile(file, THEOREMS).theorems.length, 200, th.id);
  }
});

test('storedInstanceProblem: the valid instance of the docs passes, each malformed one has a reason', (t) => {
  t.is(storedInstanceProblem(byId('gibbs'), { p: [0.5, 0.5], q: [0, 1] }), null);
  t.is(storedInstanceProblem(byId('gibbs'), { p: [0.5, 0.5], q: [0, 1], relation: 'q-ll-p', extra: 1 }), null);
  for (const [theorem, instance, pattern] of MALFORMED) t.regex(storedInstanceProblem(byId(theorem), instance) ?? 'null', pattern, `${theorem} ${JSON.stringify(instance)}`);
});

test('a function entry with the wrong arity or a non-numeric argument is refused at load, naming file, index and argument', (t) => {
  for (const [entry, pattern] of [
    [{ fn: 'kl', args: [[1]] }, /failures\[1\] \(kl\): takes 2 argument\(s\) \(p, q\), got 1/],
    [{ fn: 'kl', args: [[0.5, 0.5], [1, 0], [3]] }, /takes 2 argument\(s\) \(p, q\), got 3/],
    [{ fn: 'klNormal', args: [[1], 1, 0, 1] }, /\(klNormal\): argument 'mu1' must be a number, got \[1\]/],
    [{ fn: 'entropy', args: [[0.5, 'x']] }, /\(entropy\): argument 'p' must be an array of numbers, got \[0.5,"x"\]/],
  ] as Array<[unknown, RegExp]>) {
    const file = store(entry);
    t.throws(() => loadRegressionFile(file), { instanceOf: FailureFileError, message: pattern }, JSON.stringify(entry));
  }
});

test('every case the agreement check draws, stored and read back, loads (non-finite entries included)', async (t) => {
  const { FUNCTION_CASES } = await import('../src/harness/cases');
  for (const spec of FUNCTION_CASES) {
    const drawn = fc.sample(spec.arbitrary, { seed: 99, numRuns: 100 }).map((c) => ({ fn: spec.fn, args: c.args, label: c.label }));
    const file = path.join(dir, `valid-fn-${spec.fn}.json`);
    fs.writeFileSync(file, JSON.stringify({ klcheck: 'failures', version: 1, failures: encodeNonFinite(drawn) }));
    t.is(loadRegressionFile(file).functions.length, 100, spec.fn);
  }
});
