/**
 * A budget for shrinking. fast-check shrinks a failing input for as long as some smaller input still
 * fails; with a slow candidate and a large input that can take hours (a failure found at case 34 was
 * still shrinking after 22 minutes). The budget bounds it: after the first failure, every property
 * evaluation is a shrink step; once `steps` of them have run (or `seconds` of shrinking have passed),
 * further evaluations answer "pass" without calling the candidate, so fast-check ends its shrink loop
 * at once and keeps the smallest failing input found so far. The result then says the counterexample
 * is not fully shrunk (PropertyResult.shrinkBudgetSpent).
 *
 * Why not fast-check's own options: `interruptAfterTimeLimit` (plugin or parameter) and
 * `skipAllAfterTimeLimit` count wall time of the whole run — drawing included — so they cannot bound
 * shrinking alone, and a wall-clock bound gives different counterexamples on a loaded machine (the
 * same seed must give the same report); `markInterruptAsFailure` only decides how an interrupted run
 * counts; `fc.limitShrink` is per arbitrary and must be applied at every generator. A step count is
 * deterministic; the seconds bound is only a safety net for a candidate whose calls are slow.
 *
 * Defaults: 2,000 steps or 60 s of shrinking, whichever comes first (RunOptions / TheoremRunOptions /
 * RobustnessOptions `shrinkBudget`; no CLI option yet).
 */

export interface ShrinkBudget {
  /** Property evaluations allowed after the first failure (default 2,000). */
  steps: number;
  /** Wall-clock seconds of shrinking allowed (default 60): a safety net for slow candidates. */
  seconds: number;
}

export const DEFAULT_SHRINK_BUDGET: Readonly<ShrinkBudget> = { steps: 2000, seconds: 60 };

export interface ShrinkGuard {
  /** Wraps an (async) predicate: unchanged until the first failure, then counts and bounds shrink steps. */
  wrap<A extends unknown[]>(pred: (...a: A) => boolean | Promise<boolean>): (...a: A) => Promise<boolean>;
  /** True when an evaluation was refused: shrinking was stopped before it ended by itself. */
  readonly spent: boolean;
  /** Shrink steps evaluated (calls of the predicate after the first failure). */
  readonly steps: number;
}

/** A fresh guard for one fc.check run. */
export function shrinkGuard(budget: Partial<ShrinkBudget> = {}): ShrinkGuard {
  const b = { ...DEFAULT_SHRINK_BUDGET, ...budget };
  let failed = false;
  let steps = 0;
  let spent = false;
  let t0 = 0;
  return {
    wrap(pred) {
      return async (...a) => {
        if (!failed) {
          let ok: boolean;
          try {
            ok = await pred(...a);
          } catch (e) {
            failed = true;
            t0 = Date.now();
            throw e;
          }
          if (!ok) {
            failed = true;
            t0 = Date.now();
          }
          return ok;
        }
        if (spent || steps >= b.steps || Date.now() - t0 > b.seconds * 1000) {
          spent = true;
          return true; // not called: fast-check keeps the smallest failure found so far
        }
        steps++;
        return pred(...a);
      };
    },
    get spent() { return spent; },
    get steps() { return steps; },
  };
}
