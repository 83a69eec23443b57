/**
 * A failure is confirmed before it is reported or stored. fast-check's counterexample is the last
 * input that failed while shrinking; if the candidate died meanwhile (its restart budget spent, so
 * every later call "crashed"), that input may fail only because nothing answered — stored, it then
 * passes on replay, and the original failure is lost. So, with a fresh restart budget:
 *
 * | the shrunk input, run again | the input that failed first, run again | reported |
 * |-----------------------------|-----------------------------------------|----------|
 * | fails                       | —                                       | the shrunk input, with the message of this run |
 * | passes                      | fails                                   | the first failing input (shrinking went astray), with the message of this run |
 * | passes                      | passes                                  | flaky: the first failing input with its original message, marked `flaky` — still a failure, and stored |
 */
import type { CandidateHandle } from './candidate';

export type Confirmation = 'reproduced' | 'first-input' | 'flaky';

export interface Confirmed<T, R> {
  input: T;
  outcome: R;
  how: Confirmation;
}

export async function confirmFailure<T, R extends { ok: boolean }>(
  candidate: CandidateHandle,
  shrunk: T,
  first: { input: T; outcome: R } | undefined,
  evaluate: (input: T) => Promise<R>,
): Promise<Confirmed<T, R>> {
  candidate.beginProperty?.();
  const again = await evaluate(shrunk);
  if (!again.ok || first === undefined) return { input: shrunk, outcome: again, how: again.ok ? 'flaky' : 'reproduced' };
  const firstAgain = await evaluate(first.input);
  if (!firstAgain.ok) return { input: first.input, outcome: firstAgain, how: 'first-input' };
  return { input: first.input, outcome: first.outcome, how: 'flaky' };
}

/** What the report adds to the failure message (prefix, suffix). */
export function confirmationWords(how: Confirmation): { prefix: string; suffix: string } {
  if (how === 'flaky') return { prefix: 'flaky: ', suffix: ' — the same input passed when run again (a nondeterministic candidate, or a timeout or crash under load)' };
  if (how === 'first-input') return { prefix: '', suffix: ' (the shrunk input passed when run again; this is the input that failed first, and it fails again)' };
  return { prefix: '', suffix: '' };
}
