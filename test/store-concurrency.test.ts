/**
 * The failure store under concurrent writers and bad output paths (issue 12): eight processes saving
 * to one store at once lose no entry (against the unlocked read-merge-write, which does); a lock left
 * by a dead process is taken over; a live one is waited for, then refused by name; bad output paths
 * and a corrupt store are refused before the run; an output that cannot be written is named while
 * the others are still written.
 */
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileLockError, withFileLock } from '../src/harness/file-lock';
import { loadRegressionFile, saveFailures } from '../src/harness/regressions';
import type { PropertyResult } from '../src/harness/result';
import { runCli } from './support/cli';

const ROOT = path.join(__dirname, '..');
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-store-'));

/** A failed agreement:kl result whose counterexample is unique to (writer, i). */
function failure(writer: number, i: number): PropertyResult {
  return {
    property: 'agreement:kl', fn: 'kl', status: 'failed', runs: 1, strictRuns: 0, worstBits: 0, worstRatio: 0, durationMs: 0, message: 'x',
    counterexample: { args: [[0.5, 0.5], [writer / 16, 1 - writer / 16 + i * 2 ** -40]], label: 'independent', reference: '0', candidate: 1, error: 'x' },
  } as PropertyResult;
}

/**
 * Starts `writers` processes at once, each saving `each` entries one save at a time (the most
 * contention), `locked` through saveFailures, else with the same read-merge-write and no lock.
 */
async function race(file: string, writers: number, each: number, locked: boolean): Promise<void> {
  const script = `
    const { saveFailures, loadRegressionFile } = require('./src/harness/regressions');
    const { writeFileAtomic } = require('./src/harness/atomic-write');
    const fs = require('node:fs');
    const [file, w, each, locked] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3]), process.argv[4] === '1'];
    const result = (i) => ({ property: 'agreement:kl', fn: 'kl', status: 'failed', counterexample: { args: [[0.5, 0.5], [w / 16, 1 - w / 16 + i * 2 ** -40]], label: 'independent' } });
    // loaded: say so, then wait for the go file, so that the writers overlap however slow their start
    process.stdout.write('ready');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (!fs.existsSync(process.argv[5])) Atomics.wait(pause, 0, 0, 2);
    for (let i = 0; i < each; i++) {
      if (locked) { saveFailures(file, [result(i)]); continue; }
      const old = fs.existsSync(file) ? loadRegressionFile(file) : { functions: [], theorems: [] };
      const failures = [...old.functions, { fn: 'kl', args: result(i).counterexample.args, label: 'independent', property: 'agreement:kl' }];
      writeFileAtomic(file, JSON.stringify({ klcheck: 'failures', version: 1, failures }));
    }`;
  const go = `${file}.go`;
  let ready = 0;
  const done = Promise.all(Array.from({ length: writers }, (_, w) => new Promise<void>((resolve, reject) => {
    const c = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, file, String(w), String(each), locked ? '1' : '0', go], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    c.stdout.on('data', () => {
      if (++ready === writers) fs.writeFileSync(go, '');
    });
    c.stderr.on('data', (d) => { err += d; });
    c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${w} exited ${code}: ${err}`))));
  })));
  await done;
  fs.unlinkSync(go);
}

test.serial('8 processes saving to one store at once lose no entry; without the lock they do', async (t) => {
  const writers = 8, each = 25;
  const dir = tmpDir();
  const locked = path.join(dir, 'locked.json');
  await race(locked, writers, each, true);
  t.is(loadRegressionFile(locked).functions.length, writers * each);
  t.false(fs.existsSync(`${locked}.lock`), 'the lock is released');
  t.deepEqual(fs.readdirSync(dir), ['locked.json'], 'no temporary or lock file is left');
  // The control: the same writers without the lock lose entries (the last rename wins).
  const unlocked = path.join(dir, 'unlocked.json');
  await race(unlocked, writers, each, false);
  const kept = loadRegressionFile(unlocked).functions.length;
  t.log(`without the lock: ${kept} of ${writers * each} entries kept`);
  t.true(kept < writers * each);
});

test('a lock left by a dead process is taken over; a live holder is waited for, then named', (t) => {
  const dir = tmpDir();
  const file = path.join(dir, 'store.json');
  const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim(); // a pid that has exited
  fs.writeFileSync(`${file}.lock`, `${dead}\n${os.hostname()}\n2026-01-01T00:00:00Z\n`);
  t.is(saveFailures(file, [failure(1, 0)]), 1);
  t.false(fs.existsSync(`${file}.lock`));
  fs.writeFileSync(`${file}.lock`, `${process.pid}\n${os.hostname()}\nnow\n`);
  const e = t.throws(() => withFileLock(file, () => 0, 300), { instanceOf: FileLockError });
  t.regex(e!.message, new RegExp(`locked by process ${process.pid} on `));
  t.is(loadRegressionFile(file).functions.length, 1, 'the store is untouched');
});

test('bad output paths and a corrupt store are refused before the run (exit 2, nothing checked)', async (t) => {
  const dir = tmpDir();
  const plain = path.join(dir, 'plain.txt');
  fs.writeFileSync(plain, 'x');
  for (const [flag, file, why] of [
    ['--json', dir, /is a directory/],
    ['--junit', path.join(plain, 'j.xml'), /is not a directory/],
    ['--html', '', /needs a file name/],
  ] as const) {
    const r = await runCli(['check', '--only', 'kl', '--runs', '2', flag, file]);
    t.is(r.code, 2, `${flag} ${file}`);
    t.regex(r.err, why);
    t.is(r.out, '', 'the run did not start');
  }
  const corrupt = path.join(dir, 'store.json');
  fs.writeFileSync(corrupt, '{"klcheck": "failures", "version": 1, "failures": [');
  const r = await runCli(['check', '--only', 'kl', '--runs', '2', '--save-failures', corrupt]);
  t.is(r.code, 2);
  t.regex(r.err, /cannot read regression file .*store\.json/);
  t.is(r.out, '');
});

test('an output that cannot be written is named; the others are still written (exit 2)', (t) => {
  const dir = tmpDir();
  const json = path.join(dir, 'r.json'), junit = path.join(dir, 'j.xml');
  // 2 blocks (2 KB) of file size: the JUnit report (~0.5 KB) fits, the JSON report (~3 KB) does not.
  const r = spawnSync('bash', ['-c', `ulimit -f 2; exec "${process.execPath}" bin/klcheck.js check --only kl --runs 30 --json "${json}" --junit "${junit}" --no-progress`], { cwd: ROOT, encoding: 'utf8' });
  t.is(r.status, 2, r.stderr);
  t.regex(r.stderr, /could not write --json .*r\.json/);
  t.regex(fs.readFileSync(junit, 'utf8'), /<testsuites/);
  t.false(fs.existsSync(json));
  t.deepEqual(fs.readdirSync(dir).sort(), ['j.xml'], 'no temporary file is left');
});
