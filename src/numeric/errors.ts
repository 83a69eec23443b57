/**
 * Typed errors. Invalid input is never a silent NaN: it is an {@link InvalidInputError}
 * naming the function, the argument, the index (when the fault is one entry) and the reason.
 * Support mismatch is not invalid input: it is +∞ (see `src/numeric/extended.ts`).
 */

/** Base class of every error klcheck throws on purpose. */
export class KlcheckError extends Error {
  override name = 'KlcheckError';
}

/** Why an input was rejected. Stable strings: tests and the JSON-lines protocol match on them. */
export type InvalidReason =
  | 'not-an-array'
  | 'empty'
  | 'not-a-number'
  | 'nan'
  | 'infinite'
  | 'positive-infinity'
  | 'negative'
  | 'nonpositive'
  | 'length-mismatch'
  | 'all-impossible'
  | 'bad-option';

/**
 * Thrown for invalid input. `argument` is the parameter name as documented (`p`, `q`, `logJoint`,
 * `sigma1`, …); `index` is the offending entry, or `null` when the fault is the whole argument.
 */
export class InvalidInputError extends KlcheckError {
  override name = 'InvalidInputError';
  constructor(
    readonly fn: string,
    readonly argument: string,
    readonly index: number | null,
    readonly reason: InvalidReason,
    readonly detail: string,
  ) {
    super(`${fn}: argument '${argument}'${index === null ? '' : ` at index ${index}`}: ${detail}`);
  }
}
