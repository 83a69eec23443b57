/**
 * A lock for files that several klcheck processes update (the failure store: parallel CI jobs,
 * shards, `--workers` runs of different candidates saving to one file). The lock is a file beside
 * the target, `<file>.lock`, created with O_CREAT|O_EXCL (atomic on local file systems and on NFSv3+),
 * holding the owner's pid, host and the time it was taken. Readers-modify-writers take it, re-read
 * the file under it, and write atomically (src/harness/atomic-write.ts), so that no update is lost.
 *
 * A lock left behind by a process that died (SIGKILL, power loss) is stale: it is taken over when its
 * owner is on this host and no longer runs, or when it is older than {@link STALE_MS} (an update holds
 * it for milliseconds). Taking over renames the stale lock to a unique name first, so two waiters that
 * both judge it stale cannot both remove it.
 *
 * Written here rather than taken from a package: the store is read, merged and written synchronously
 * in a few milliseconds, and proper-lockfile (the usual choice) retries only in its asynchronous API
 * and keeps the lock fresh with a timer — machinery for long-held locks that this does not need.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { KlcheckError } from '../numeric/errors';

/** A lock older than this is stale whoever holds it. */
export const STALE_MS = 60_000;
/** How long to wait for a lock before giving up (default). */
export const LOCK_WAIT_MS = 120_000;

/** The lock could not be taken in time (CLI exit code 2). */
export class FileLockError extends KlcheckError {
  override name = 'FileLockError';
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

/** The content of the lock when its holder is gone (stale), else undefined. */
function staleContent(lock: string): string | undefined {
  let text: string;
  let mtime: number;
  try {
    text = fs.readFileSync(lock, 'utf8');
    mtime = fs.statSync(lock).mtimeMs;
  } catch {
    return undefined; // released meanwhile: just retry
  }
  if (Date.now() - mtime > STALE_MS) return text;
  const [pidText, host] = text.split('\n');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH' ? text : undefined;
  }
}

/** Runs `fn` holding the lock of `file`; waits (polling) up to `waitMs` for another holder to finish. */
export function withFileLock<T>(file: string, fn: () => T, waitMs = LOCK_WAIT_MS): T {
  const lock = `${file}.lock`;
  const t0 = Date.now();
  let delay = 2;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(lock, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, `${process.pid}\n${os.hostname()}\n${new Date().toISOString()}\n`);
      } finally {
        fs.closeSync(fd);
      }
      try {
        return fn();
      } finally {
        try {
          fs.unlinkSync(lock);
        } catch {
          /* taken over as stale meanwhile: nothing to release */
        }
      }
    }
    const stale = staleContent(lock);
    if (stale !== undefined) {
      const aside = `${lock}.stale.${process.pid}.${Date.now()}`;
      try {
        fs.renameSync(lock, aside);
        // Another waiter may have taken the stale lock over and locked afresh between our reading
        // and our rename: then what we moved aside is its live lock, and it goes back.
        if (fs.readFileSync(aside, 'utf8') !== stale) fs.linkSync(aside, lock);
        fs.unlinkSync(aside);
      } catch {
        /* another waiter took it over first */
      }
      continue;
    }
    if (Date.now() - t0 > waitMs) {
      let holder = '';
      try {
        holder = fs.readFileSync(lock, 'utf8').split('\n').slice(0, 2).join(' on ');
      } catch {
        /* gone */
      }
      throw new FileLockError(`'${file}' is locked${holder ? ` by process ${holder}` : ''} (${lock}); waited ${Math.round(waitMs / 1000)} s. Remove the lock file if that process is gone.`);
    }
    sleepMs(delay + Math.floor(Math.random() * delay));
    delay = Math.min(delay * 2, 100);
  }
}
