/**
 * Stopping when asked (issue 12): SIGTERM and SIGINT end `klcheck check` within a case or two, with
 * the reports written for what ran and exit code 128 + the signal; no candidate process — the module
 * hosts of every worker thread, nor the children they started — survives a signal or a normal exit.
 * These run the real CLI (bin/klcheck.js) as a child process; timings are reported, not asserted
 * (the bound on "it stopped" is minutes: machines are loaded).
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canSeeProcesses, commandLine, eventually, markedProcesses } from './support/processes';
import { runCli } from './support/cli';
import { requestStop, resetStop } from '../src/harness/stop';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'klcheck.js');
const SLOW = path.join(__dirname, 'fixtures', 'candidates', 'slow-with-child.cjs');

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-signals-'));
}

interface Run { code: number | null; signal: NodeJS.Signals | null; stderr: string; stopMs: number }

/** Starts `klcheck args` with a marker, waits until `ready(marked pids)` holds, sends `signal`, waits for the exit. */
function runAndSignal(args: string[], marker: string, signal: NodeJS.Signals, ready: (pids: number[]) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, KLCHECK_TEST_MARKER: marker }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => { stderr += d; });
    let sentAt = 0;
    const poll = setInterval(() => {
      if (sentAt === 0 && ready(markedProcesses(marker).filter((p) => p !== child.pid))) {
        sentAt = Date.now();
        child.kill(signal);
      }
    }, 100);
    const guard = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`klcheck did not end within 5 minutes; stderr: ${stderr}`)); }, 300_000);
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ code, signal: sig, stderr, stopMs: sentAt ? Date.now() - sentAt : -1 });
    });
  });
}

test.serial('SIGTERM during check --workers 2: exit 143 within the grace period, the JSON report of what ran, no candidate process left', async (t) => {
  if (!canSeeProcesses) return t.pass('no /proc here');
  const dir = tmpdir();
  const json = path.join(dir, 'r.json');
  const marker = `klcheck-signal-term-${process.pid}`;
  // Three module hosts (the main thread's and one per worker), each with its sleep child.
  const r = await runAndSignal(['check', '--impl', SLOW, '--workers', '2', '--runs', '1000', '--json', json, '--no-progress'], marker, 'SIGTERM', (pids) => pids.length >= 6);
  t.log(`stopped ${r.stopMs} ms after SIGTERM`);
  t.is(r.code, 143, r.stderr);
  t.regex(r.stderr, /stopped by SIGTERM; the report covers what ran/);
  const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { verdict: string; results: { status: string; message: string }[] };
  t.true(report.results.some((x) => x.status === 'not-run' && /stopped by SIGTERM/.test(x.message)), 'properties not started are reported as not run');
  t.true(await eventually(() => markedProcesses(marker).length === 0), `left running: ${markedProcesses(marker).join(', ')}`);
});

test.serial('SIGTERM during check --impl-cmd --workers 2: no JSON-lines candidate (nor its shell) is left running', async (t) => {
  if (!canSeeProcesses) return t.pass('no /proc here');
  const marker = `klcheck-signal-cmd-${process.pid}`;
  // Each candidate leaves a sleep running in its group, which the end of stdin does not stop.
  const cmd = 'sleep 600 </dev/null >/dev/null 2>&1 & exec python3 examples/python/scipy_candidate.py';
  // Ready once the three candidates (the main thread's and one per worker) have each started their
  // sleep: counting processes alone would also count the short-lived helpers a python3 shim forks.
  const sleeping = (pids: number[]) => pids.filter((p) => commandLine(p) === 'sleep 600').length;
  const r = await runAndSignal(['check', '--impl-cmd', cmd, '--workers', '2', '--runs', '100000', '--no-progress'], marker, 'SIGTERM', (pids) => sleeping(pids) >= 3);
  t.log(`stopped ${r.stopMs} ms after SIGTERM`);
  t.is(r.code, 143, r.stderr);
  t.true(await eventually(() => markedProcesses(marker).length === 0), `left running: ${markedProcesses(marker).join(', ')}`);
});

test.serial('SIGTERM while the candidate is still starting (before its describe answer): exit 143 at once, its process group ended', async (t) => {
  if (!canSeeProcesses) return t.pass('no /proc here');
  const marker = `klcheck-signal-start-${process.pid}`;
  // The command leaves a sleep in its group and then takes five minutes before it would answer.
  const cmd = 'sleep 600 </dev/null >/dev/null 2>&1 & sleep 300; exec python3 examples/python/scipy_candidate.py';
  const r = await runAndSignal(['check', '--impl-cmd', cmd, '--start-timeout', '600000', '--no-progress'], marker, 'SIGTERM', (pids) => pids.some((p) => commandLine(p) === 'sleep 300'));
  t.log(`stopped ${r.stopMs} ms after SIGTERM`);
  t.is(r.code, 143, r.stderr);
  t.true(await eventually(() => markedProcesses(marker).length === 0), `left running: ${markedProcesses(marker).map((p) => `${p} ${commandLine(p)}`).join(', ')}`);
});

test.serial('SIGINT during check (one thread): exit 130, the report written; a normal exit with --workers 2 leaves nothing behind either', async (t) => {
  if (!canSeeProcesses) return t.pass('no /proc here');
  const dir = tmpdir();
  const junit = path.join(dir, 'j.xml');
  const marker = `klcheck-signal-int-${process.pid}`;
  const r = await runAndSignal(['check', '--impl', SLOW, '--runs', '1000', '--junit', junit, '--no-progress'], marker, 'SIGINT', (pids) => pids.length >= 2);
  t.log(`stopped ${r.stopMs} ms after SIGINT`);
  t.is(r.code, 130, r.stderr);
  t.regex(fs.readFileSync(junit, 'utf8'), /<testsuites/);
  t.true(await eventually(() => markedProcesses(marker).length === 0), `left running: ${markedProcesses(marker).join(', ')}`);

  const marker2 = `klcheck-normal-exit-${process.pid}`;
  const normal = await new Promise<number | null>((resolve) => {
    const c = spawn(process.execPath, [BIN, 'check', '--impl', SLOW, '--workers', '2', '--runs', '3', '--only', 'kl,gibbs', '--no-progress'], { cwd: ROOT, env: { ...process.env, KLCHECK_TEST_MARKER: marker2 }, stdio: 'ignore' });
    c.on('exit', (code) => resolve(code));
  });
  t.is(normal, 0);
  t.true(await eventually(() => markedProcesses(marker2).length === 0), `left running after a normal exit: ${markedProcesses(marker2).join(', ')}`);
});

test.serial('a stop request mid-run (in-process): properties in flight are cut short, the rest not run, and the code is 128 + the signal', async (t) => {
  const dir = tmpdir();
  const json = path.join(dir, 'r.json');
  const timer = setTimeout(() => requestStop('SIGTERM'), 1500);
  try {
    const r = await runCli(['check', '--impl', SLOW, '--runs', '1000', '--json', json, '--no-progress']);
    t.is(r.code, 143, r.err);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { results: { property: string; status: string; runs: number; cutShort?: boolean; message: string }[] };
    const cut = report.results.filter((x) => x.cutShort);
    const notRun = report.results.filter((x) => x.status === 'not-run');
    t.true(cut.length + notRun.length > 0);
    for (const x of cut) t.true(x.runs > 0 && x.runs < 1000, `${x.property}: ${x.runs} runs`);
    t.regex(r.out, /stopped by SIGTERM/);
  } finally {
    clearTimeout(timer);
    resetStop();
  }
});

test.serial('SIGTERM during a long reference computation (klcheck value --stdin, 200,000 categories at 1000 digits) ends the process at once', async (t) => {
  const n = 200_000;
  const p = Array.from({ length: n }, () => 1 / n);
  const q = Array.from({ length: n }, (_, i) => (i + 1) / (n * (n + 1) / 2));
  const line = `${JSON.stringify({ fn: 'kl', args: [p, q] })}\n`;
  const r = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>((resolve) => {
    const c = spawn(process.execPath, [BIN, 'value', '--stdin', '--digits', '1000'], { cwd: ROOT, stdio: ['pipe', 'ignore', 'ignore'] });
    c.stdin.end(line);
    let sentAt = 0;
    // Long enough for node and ts-node to start and the computation to begin (it takes minutes).
    const timer = setTimeout(() => { sentAt = Date.now(); c.kill('SIGTERM'); }, 8000);
    const guard = setTimeout(() => c.kill('SIGKILL'), 300_000);
    c.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ code, signal, afterMs: sentAt ? Date.now() - sentAt : -1 });
    });
  });
  t.log(`ended ${r.afterMs} ms after SIGTERM`);
  t.true(r.afterMs >= 0, 'it was still computing when the signal came');
  t.true(r.signal === 'SIGTERM' || r.code === 143, `code ${r.code}, signal ${r.signal}`);
  t.true(r.afterMs < 60_000, 'it did not wait for the computation to finish');
});
