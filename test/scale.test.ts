/**
 * Splitting a run: --shard k/n and klcheck merge (the merged report is the unsharded report),
 * --workers N (the same report as one thread), --time-limit (what ran is reported).
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allTasks, parseShard, selectShard, ShardError } from '../src/harness/tasks';
import { runTasksInWorkers, WorkerPoolError } from '../src/harness/pool';
const WORKER_ENTRY = path.join(__dirname, '..', 'src', 'cli', 'worker.js');
import { THEOREMS } from '../properties';
import { runCli } from './support/cli';

const cli = runCli;

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-scale-'));
const gallery = (f: string) => path.join(__dirname, '..', 'examples', 'gallery', f);

/** The report without its timing fields. */
function stripped(file: string): unknown {
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete j.durationMs;
  delete j.generatedAt;
  for (const r of j.results) delete r.durationMs;
  return j;
}

test('shards partition the tasks, round robin, deterministically', (t) => {
  const tasks = allTasks(THEOREMS.map((th) => th.id));
  for (const n of [1, 2, 3, 7]) {
    const parts = Array.from({ length: n }, (_, i) => selectShard(tasks, { k: i + 1, n }));
    t.is(parts.reduce((s, p) => s + p.length, 0), tasks.length);
    const key = (x: { kind: string; id: string }) => `${x.kind}:${x.id}`;
    t.deepEqual(parts.flat().map(key).sort(), tasks.map(key).sort());
  }
  t.deepEqual(parseShard('2/5'), { k: 2, n: 5 });
  for (const bad of ['0/3', '4/3', 'x', '1/0', '1/1001']) t.throws(() => parseShard(bad), { instanceOf: ShardError });
  t.deepEqual(allTasks(['gibbs'], ['kl', 'gibbs']).map((x) => `${x.kind}:${x.id}`), ['agreement:kl', 'invalid:kl', 'theorem:gibbs']);
});

test('klcheck merge of the shard reports is the unsharded report (failing candidate, replays on shard 1)', async (t) => {
  const dir = tmp();
  const failures = path.join(dir, 'f.json');
  fs.writeFileSync(failures, JSON.stringify({ klcheck: 'failures', version: 1, failures: [{ fn: 'kl', args: [[0.5, 0.5], [0, 1]] }] }));
  const common = ['check', '--impl', gallery('nan-at-zero.mjs'), '--runs', '25', '--replay', failures, '--no-progress'];
  const whole = await cli([...common, '--json', path.join(dir, 'all.json')]);
  t.is(whole.code, 1);
  for (const k of [1, 2, 3]) {
    const r = await cli([...common, '--shard', `${k}/3`, '--json', path.join(dir, `s${k}.json`)]);
    t.is(r.code, 1, `shard ${k}`);
  }
  const s2 = JSON.parse(fs.readFileSync(path.join(dir, 's2.json'), 'utf8'));
  t.deepEqual(s2.shard, { k: 2, n: 3 });
  t.false(s2.results.some((r: { property: string }) => r.property.startsWith('replay:')), 'replays run on shard 1 only');
  const m = await cli(['merge', path.join(dir, 's3.json'), path.join(dir, 's1.json'), path.join(dir, 's2.json'), '--json', path.join(dir, 'm.json'), '--junit', path.join(dir, 'm.xml')]);
  t.is(m.code, 1);
  t.regex(m.out, /FAILED: /);
  t.deepEqual(stripped(path.join(dir, 'm.json')), stripped(path.join(dir, 'all.json')));
  t.regex(fs.readFileSync(path.join(dir, 'm.xml'), 'utf8'), /<testsuite /);
});

test('klcheck merge rejects reports that do not belong together (exit 2)', async (t) => {
  const dir = tmp();
  const base = ['check', '--only', 'kl,gibbs', '--runs', '10', '--no-progress'];
  await cli([...base, '--shard', '1/2', '--json', path.join(dir, 'a1.json')]);
  await cli([...base, '--shard', '2/2', '--json', path.join(dir, 'a2.json')]);
  await cli([...base, '--shard', '2/2', '--seed', '7', '--json', path.join(dir, 'b2.json')]);
  await cli([...base, '--shard', '1/3', '--json', path.join(dir, 'c1.json')]);
  fs.writeFileSync(path.join(dir, 'junk.json'), '{"x": 1}');
  const ok = await cli(['merge', path.join(dir, 'a1.json'), path.join(dir, 'a2.json')]);
  t.is(ok.code, 0, ok.out + ok.err);
  t.regex(ok.out, /OK: 3 passed/);
  for (const [files, pattern] of [
    [['a1.json'], /shard\(s\) 2\/2 missing/],
    [['a1.json', 'a1.json', 'a2.json'], /given twice/],
    [['a1.json', 'b2.json'], /different run/],
    [['a1.json', 'c1.json'], /is one of 2/],
    [['junk.json'], /not a klcheck JSON report/],
    [['nope.json'], /cannot read report/],
  ] as Array<[string[], RegExp]>) {
    const r = await cli(['merge', ...files.map((f) => path.join(dir, f))]);
    t.is(r.code, 2, files.join(' '));
    t.regex(r.err, pattern);
  }
});

test('--workers 2 gives the same report as one thread (built-in kernels and a module candidate)', async (t) => {
  const dir = tmp();
  for (const extra of [[], ['--impl', gallery('skips-zero-q.mjs')]]) {
    const argv = ['check', ...extra, '--only', 'kl,entropy,elbo,gibbs,pinsker,support', '--runs', '20', '--no-progress'];
    const one = await cli([...argv, '--json', path.join(dir, 'one.json')]);
    const two = await cli([...argv, '--workers', '2', '--json', path.join(dir, 'two.json')]);
    t.is(one.code, two.code);
    t.deepEqual(stripped(path.join(dir, 'two.json')), stripped(path.join(dir, 'one.json')));
  }
  const bad = await cli(['check', '--workers', '0']);
  t.is(bad.code, 2);
  t.regex(bad.err, /--workers must be an integer/);
});

test('a worker that cannot open the candidate is an error, not a hang', async (t) => {
  const tasks = allTasks(['gibbs'], ['kl', 'gibbs']);
  await t.throwsAsync(
    runTasksInWorkers(WORKER_ENTRY, tasks, { kind: 'module', path: '/nonexistent/candidate.mjs', timeoutMs: 1000, meta: {} }, { seed: 1, runs: 5, mode: 'standard', builtin: false, precision: 'float64', base: 'e' }, 2),
    { instanceOf: WorkerPoolError, message: /could not open the candidate/ },
  );
});

test('--time-limit: what ran is reported, and bad values are usage errors (verdicts.test.ts: a cut run is never OK)', async (t) => {
  const some = await cli(['check', '--only', 'kl', '--time-limit', '60', '--runs', '30', '--no-progress']);
  t.is(some.code, 0);
  t.regex(some.out, /agreement:kl\s+pass\s+30/);
  const bad = await cli(['check', '--time-limit', '-1']);
  t.is(bad.code, 2);
  t.regex(bad.err, /--time-limit must be a number/);
});
