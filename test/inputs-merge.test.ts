/**
 * Issue 12, inputs to klcheck itself: `klcheck merge` of shards that are not one run. Before, shards
 * run with different --only were merged and presented as the whole run (the report did not record
 * the selection), and a different --shrink-budget went unnoticed.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './support/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-inputs-merge-'));
const file = (f: string) => path.join(dir, f);
const base = ['check', '--runs', '5', '--no-progress'];
const read = (f: string) => JSON.parse(fs.readFileSync(file(f), 'utf8'));
const write = (f: string, j: unknown) => fs.writeFileSync(file(f), JSON.stringify(j));

test.before(async () => {
  // One run in two shards (s1, s2); shard 2 of a run with a different --only (o2) and of a run with
  // no --only at all (all2); shard 2 of a run with another shrink budget (b2).
  const only = ['--only', 'kl,entropy,gibbs'];
  for (const [name, extra] of [
    ['s1', [...only, '--shard', '1/2']], ['s2', [...only, '--shard', '2/2']],
    ['o2', ['--only', 'kl,gibbs', '--shard', '2/2']], ['all2', ['--only', 'kl,entropy,gibbs,pinsker', '--shard', '2/2']],
    ['b2', [...only, '--shard', '2/2', '--shrink-budget', '7']],
    ['r2', ['--only', 'gibbs,kl,entropy,kl', '--shard', '2/2']],
  ] as Array<[string, string[]]>) {
    const r = await runCli([...base, ...extra, '--json', file(`${name}.json`)]);
    if (r.code !== 0) throw new Error(`${name}: exit ${r.code}: ${r.err}`);
  }
});

test('the JSON report records the selection (sorted --only ids, or null) and the shrink budget', async (t) => {
  t.deepEqual(read('s1.json').only, ['entropy', 'gibbs', 'kl']);
  t.is(read('s1.json').shrinkBudget, 2000);
  t.is(read('b2.json').shrinkBudget, 7);
  // No --only: null. (Shard 1 of 60 keeps it to one property.)
  const r = await runCli(['check', '--runs', '1', '--no-progress', '--shard', '1/60', '--json', file('none.json')]);
  t.is(r.code, 0, r.err);
  t.is(read('none.json').only, null);
  t.is(read('none.json').results.length, 1);
});

test('merge of the shards of one run still works, and keeps the selection', async (t) => {
  const r = await runCli(['merge', file('s1.json'), file('s2.json'), '--json', file('m.json')]);
  t.is(r.code, 0, r.err);
  t.deepEqual(read('m.json').only, ['entropy', 'gibbs', 'kl']);
  // The same selection written in another order, with a repeat, is the same run (tasks run in canonical order).
  const r2 = await runCli(['merge', file('s1.json'), file('r2.json'), '--json', file('m2.json')]);
  t.is(r2.code, 0, r2.err);
  const strip = (f: string) => { const { durationMs: _d, generatedAt: _g, results, ...rest } = read(f); return { ...rest, results: results.map(({ durationMs: _x, ...r }: Record<string, unknown>) => r) }; };
  t.deepEqual(strip('m2.json'), strip('m.json'));
});

test('merge refuses shards with different selections, naming both files and the field (exit 2)', async (t) => {
  for (const other of ['o2.json', 'all2.json']) {
    const r = await runCli(['merge', file('s1.json'), file(other)]);
    t.is(r.code, 2, `${other}: ${r.out}`);
    t.regex(r.err, /the selection \(--only\) differs/);
    t.true(r.err.includes(file('s1.json')) && r.err.includes(file(other)), r.err);
  }
});

test('merge refuses shards that differ in seed, runs, mode, precision, shrink budget or candidate (exit 2, field named)', async (t) => {
  const s2 = read('s2.json');
  const variants: Array<[string, Record<string, unknown>, RegExp]> = [
    ['seed', { seed: 7 }, /seed differs \(7 in/],
    ['runs', { runs: 6 }, /runs differs/],
    ['mode', { mode: 'strict' }, /mode differs/],
    ['precision', { precision: 'float32' }, /precision differs/],
    ['source', { candidate: { ...s2.candidate, source: 'elsewhere.mjs' } }, /candidate\.source differs/],
    ['functions', { candidate: { ...s2.candidate, functions: ['kl'] } }, /candidate\.functions differs/],
  ];
  for (const [name, patch, pattern] of variants) {
    write(`v-${name}.json`, { ...s2, ...patch });
    const r = await runCli(['merge', file('s1.json'), file(`v-${name}.json`)]);
    t.is(r.code, 2, name);
    t.regex(r.err, pattern, name);
    t.regex(r.err, /is from a different run than/);
  }
  const b = await runCli(['merge', file('s1.json'), file('b2.json')]);
  t.is(b.code, 2);
  t.regex(b.err, /shrinkBudget differs \(7 in .*, 2000 in/);
});

test('reports of older versions (no selection or shrink budget recorded) merge with each other, not with ones that record them', async (t) => {
  const old = (f: string) => {
    const { only: _o, shrinkBudget: _b, ...rest } = read(f);
    write(`old-${f}`, rest);
  };
  old('s1.json');
  old('s2.json');
  const ok = await runCli(['merge', file('old-s1.json'), file('old-s2.json')]);
  t.is(ok.code, 0, ok.err);
  const mixed = await runCli(['merge', file('old-s1.json'), file('s2.json')]);
  t.is(mixed.code, 2);
  t.regex(mixed.err, /differs \(.* in .*, not recorded in /);
});
