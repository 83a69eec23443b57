/**
 * A budget on shrinking. fast-check shrinks a failure until no smaller input fails, with no bound:
 * a failure found at case 34 of a 45-category pair was still shrinking after 22 minutes, and a strict
 * run of a naive crossEntropy spent 170 CPU seconds in 889 accepted steps (tens of thousands of tried
 * ones). The budget counts property evaluations after the first failure (every tried shrink, accepted
 * or not); once it is spent, further evaluations answer "pass" without calling the candidate, so
 * fast-check stops descending and reports the smallest failing input found so far, which the result
 * marks as not fully shrunk.
 *
 * Why a step count and not fast-check's `interruptAfterTimeLimit`: a count is deterministic (the
 * same seed gives the same counterexample on any machine, under any load), and time limits already
 * have their own meaning here (--time-limit: stop drawing cases).
 */

/** Property evaluations allowed after the first failure (each tried shrink is one). */
export const DEFAULT_SHRINK_BUDGET = 2000;

export interface ShrinkBudget {
  /** At the start of an evaluation: true when it must not run (budget spent; answer "pass"). */
  skip(): boolean;
  /** After an evaluation that failed. */
  failed(): void;
  /** The budget ran out before shrinking ended. */
  readonly spent: boolean;
  /** Evaluations made after the first failure. */
  readonly steps: number;
  readonly limit: number;
}

export function shrinkBudget(limit: number = DEFAULT_SHRINK_BUDGET): ShrinkBudget {
  if (!(Number.isInteger(limit) && limit >= 0)) throw new RangeError(`shrink budget must be an integer ≥ 0, got ${limit}`);
  let failing = false;
  let steps = 0;
  let spent = false;
  return {
    skip() {
      if (!failing) return false;
      if (steps >= limit) {
        spent = true;
        return true;
      }
      steps++;
      return false;
    },
    failed() {
      failing = true;
    },
    get spent() {
      return spent;
    },
    get steps() {
      return steps;
    },
    limit,
  };
}

/** The sentence a report adds when the budget ran out. */
export function notFullyShrunk(b: ShrinkBudget): string {
  return `not fully shrunk: the shrink budget (${b.limit} evaluations after the first failure) ran out; this is the smallest failing input found`;
}
