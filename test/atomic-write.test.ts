/**
 * Stored counterexamples and reports are written atomically (src/harness/atomic-write.ts): a write
 * that fails partway leaves the old file whole. Reproduced as the issue did, with a file-size limit
 * (`ulimit -f`) in a child process, against the old way (fs.writeFileSync in place) from both sides.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { writeFileAtomic } from '../src/harness/atomic-write';
import { loadRegressionFile, saveFailures } from '../src/harness/regressions';

const ROOT = path.join(__dirname, '..');
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-atomic-'));

test('writeFileAtomic writes the text exactly, replaces an existing file, creates directories, leaves no temporary file', (t) => {
  const dir = tmpDir();
  const file = path.join(dir, 'sub', 'deeper', 'x.json');
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
    writeFileAtomic(file, s);
    return fs.readFileSync(file, 'utf8') === s;
  }), { numRuns: 50 });
  t.deepEqual(fs.readdirSync(path.dirname(file)), ['x.json']);
});

test('an error while writing leaves the old file and no temporary file (the target is a directory)', (t) => {
  const dir = tmpDir();
  const target = path.join(dir, 'store.json');
  fs.mkdirSync(target);
  t.throws(() => writeFileAtomic(target, 'new'));
  t.deepEqual(fs.readdirSync(dir), ['store.json']);
});

/** Overwrites a 1,500-entry store with a 3,000-entry one in a child limited to 100 blocks of file size. */
function cutWrite(mode: 'atomic' | 'in-place', limit = true): { before: string; after: string; big: string; leftovers: string[] } {
  const dir = tmpDir();
  const file = path.join(dir, 'failures.json');
  const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ fn: 'kl', args: [[0.5, 0.5], [i / n, 1 - i / n]], label: 'independent', property: 'agreement:kl' }));
  const before = `${JSON.stringify({ klcheck: 'failures', version: 1, failures: entries(1500) }, null, 2)}\n`;
  fs.writeFileSync(file, before);
  const big = `${JSON.stringify({ klcheck: 'failures', version: 1, failures: entries(3000) }, null, 2)}\n`;
  const bigFile = path.join(dir, 'big.txt');
  fs.writeFileSync(bigFile, big);
  const js = mode === 'atomic'
    ? `require('./src/harness/atomic-write').writeFileAtomic(${JSON.stringify(file)}, require('fs').readFileSync(${JSON.stringify(bigFile)}, 'utf8'))`
    : `require('fs').writeFileSync(${JSON.stringify(file)}, require('fs').readFileSync(${JSON.stringify(bigFile)}, 'utf8'))`;
  // 100 blocks of 512 bytes: far below the new store's size
  spawnSync('bash', ['-c', `${limit ? 'ulimit -f 100; ' : ''}exec "${process.execPath}" -r ts-node/register/transpile-only -e "$0"`, js], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  fs.unlinkSync(bigFile);
  return { before, big, after: fs.readFileSync(file, 'utf8'), leftovers: fs.readdirSync(dir).filter((f) => f !== 'failures.json') };
}

test('a write cut by a file-size limit: in place it corrupts the store; atomically the old store stays whole and readable', (t) => {
  const old = cutWrite('in-place');
  t.not(old.after, old.before, 'writing in place truncates the store (the defect)');
  t.throws(() => JSON.parse(old.after));
  const control = cutWrite('atomic', false);
  t.is(control.after, control.big, 'without the limit the same child writes the new store (the test is not vacuous)');
  const atomic = cutWrite('atomic');
  t.is(atomic.after, atomic.before, 'the old store is untouched');
  t.is(JSON.parse(atomic.after).failures.length, 1500);
  t.true(atomic.leftovers.every((f) => f.endsWith('.tmp')), `only a temporary file may remain: ${atomic.leftovers.join(', ')}`);
});

test('saveFailures goes through the atomic write: the store it writes loads back', (t) => {
  const dir = tmpDir();
  const file = path.join(dir, 'store.json');
  const added = saveFailures(file, [{
    property: 'agreement:kl', fn: 'kl', status: 'failed', runs: 1, strictRuns: 0, worstBits: 0, worstRatio: 0, message: 'kl: nan', durationMs: 1,
    counterexample: { args: [[1, 0], [0.5, 0.5]], label: 'q-ll-p', reference: '0.69', candidate: NaN },
  }]);
  t.is(added, 1);
  t.is(loadRegressionFile(file).functions.length, 1);
  t.deepEqual(fs.readdirSync(dir), ['store.json']);
});
