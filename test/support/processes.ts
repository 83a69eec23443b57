/** Process markers for tests that prove no candidate process outlives its run. */
import * as fs from 'node:fs';

/** Pids of live processes whose environment carries `KLCHECK_TEST_MARKER=<marker>` (Linux /proc; [] elsewhere); zombies count, as negative pids. */
export function markedProcesses(marker: string): number[] {
  if (!fs.existsSync('/proc/self/environ')) return [];
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = fs.readFileSync(`/proc/${d}/environ`, 'latin1');
      if (!env.includes(`KLCHECK_TEST_MARKER=${marker}\0`) && !env.endsWith(`KLCHECK_TEST_MARKER=${marker}`)) continue;
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      out.push(state === 'Z' ? -Number(d) : Number(d));
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}

/** Polls `cond` until it holds or `ms` have passed (default two minutes: these prove "it ended", not how fast). */
export async function eventually(cond: () => boolean, ms = 120_000): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

/** Whether /proc lets us see processes' environments (the marker tests are skipped elsewhere). */
export const canSeeProcesses = fs.existsSync('/proc/self/environ');

/** The command line of a live process (arguments joined by spaces; '' when it is gone or unreadable). */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${Math.abs(pid)}/cmdline`, 'latin1').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}
