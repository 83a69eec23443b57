/**
 * Writes a file so that a reader sees the old content or the new, never a part: the text goes to a
 * temporary file in the same directory (same file system), is flushed to disk (fsync), and is renamed
 * over the target (atomic on POSIX). A write that fails partway — a full disk, a file-size limit,
 * a crash — leaves the old file as it was; the temporary file is removed when the failure is an error.
 *
 * Concurrent writers are not serialised here: the last rename wins, whole. Files that several
 * processes update (the failure store) are read, merged and written under a lock
 * (src/harness/file-lock.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Why `file` cannot be written, or undefined when it can: checked before a run starts, so that a
 * bad output path is a usage error up front, not a failure after minutes of work. The file itself
 * may not exist yet (nor its directory: writeFileAtomic creates it); the nearest existing ancestor
 * must be a directory this process can write, and the file must not be a directory.
 */
export function cannotWrite(file: string): string | undefined {
  const target = path.resolve(file);
  try {
    if (fs.statSync(target).isDirectory()) return `'${file}' is a directory`;
  } catch {
    /* does not exist yet: fine */
  }
  let dir = path.dirname(target);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(dir);
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return `no directory of '${file}' exists`;
      dir = up;
      continue;
    }
    if (!st.isDirectory()) return `'${dir}' is not a directory`;
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      return `the directory '${dir}' is not writable`;
    }
    return undefined;
  }
}

export function writeFileAtomic(file: string, text: string): void {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing: keep the first error
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw e;
  }
  try {
    // make the rename itself durable (best effort: not every platform can fsync a directory)
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // ignore
  }
}
