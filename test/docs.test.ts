/**
 * The generated parts of README.md and docs/ (scripts/docs.ts) match what the code gives now — the
 * contract table's lists and the main job's console output — so they cannot drift. From both sides:
 * a doc whose part was edited by hand, or whose main-job sample has another row, is reported stale;
 * a different throughput column alone is not.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { currentPart, PARTS, replacePart, staleParts } from '../scripts/docs';

const ROOT = path.resolve(__dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

test('every generated part of the docs is current (npm run docs rewrites them)', async (t) => {
  const stale = await staleParts();
  t.deepEqual(stale.map((s) => `${s.part.file}:${s.part.name}\n--- committed\n${s.committed}\n+++ from the code\n${s.fresh}`), []);
});

test('a stale part is found: a hand-edited contract list, a missing main-job row; a timing change alone is not stale', async (t) => {
  const fnPart = PARTS.find((p) => p.name === 'functions')!;
  const edited = (f: string) => replacePart(read(f), 'functions', currentPart(read(f), 'functions').replace('| `kl(p, q)` |', '| `kl(p, q, base)` |'));
  t.is((await staleParts([fnPart], edited)).length, 1);

  const job = PARTS.find((p) => p.name === 'main-job')!;
  const committed = currentPart(read(job.file), 'main-job');
  const fakeJob = { ...job, render: async () => committed };
  const dropRow = (f: string) => replacePart(read(f), 'main-job', committed.replace(/^ {2}theorem:gibbs .*\n/m, ''));
  t.is((await staleParts([fakeJob], dropRow)).length, 1);
  const retimed = (f: string) => replacePart(read(f), 'main-job', committed.replace(/^( {2}agreement:kl .*?)\d+$/m, '$19999999'));
  t.not(retimed(job.file), read(job.file));
  t.is((await staleParts([fakeJob], retimed)).length, 0);
});
