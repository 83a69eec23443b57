import fc from 'fast-check';
import type { InvalidReason } from '../numeric/errors';
import { badOption } from './_internal/building';
import { dyadicNormalize } from './_internal/exact';
import { INVALID_TARGETS, InvalidTarget } from '../contract';

/**
 * The call signatures {@link invalidInput} produces arguments for (the contract's list, src/contract.ts), with the argument names klcheck's
 * functions use (and name in their `InvalidInputError`):
 *
 * | target         | args                         | for                                             |
 * |----------------|------------------------------|-------------------------------------------------|
 * | `vector`       | [p]                          | entropy, negEntropy                             |
 * | `pair`         | [p, q]                       | kl, crossEntropy, generalizedKl, bregman…       |
 * | `logJoint`     | [logJoint]                   | logEvidence, posterior                          |
 * | `posterior`    | [logJoint]                   | posterior only (adds 'all-impossible')          |
 * | `latent`       | [logJoint, q]                | elbo                                            |
 * | `gaussian`     | [mu1, sigma1, mu2, sigma2]   | klNormal                                        |
 */
export { INVALID_TARGETS };
export type { InvalidTarget };

/**
 * One call with exactly one fault. `argument` and `index` say where it is (index `null` when the
 * fault is the whole argument), `reason` is the {@link InvalidReason} a conforming implementation
 * reports. Conventions (those of `src/numeric/validate.ts`): each entry is checked NaN first
 * ('nan'), then ±∞ ('infinite'; +∞ in a log joint is 'positive-infinity', −∞ is allowed there),
 * then sign ('negative' for probabilities, 'nonpositive' for sigma ≤ 0, including −0); a length
 * mismatch names the second vector with index null; an empty call has every vector empty and names
 * the first. −0 is a valid probability and is never the fault.
 */
export interface InvalidCase {
  target: InvalidTarget;
  args: unknown[];
  argument: string;
  index: number | null;
  reason: InvalidReason;
  /** e.g. "q[2] is NaN", "q has length 3, p has length 2". */
  description: string;
}

/**
 * Constraints to be applied on {@link invalidInput}.
 */
export interface InvalidInputConstraints {
  /**
   * The call signatures to produce arguments for.
   * @defaultValue all of {@link INVALID_TARGETS}
   */
  targets?: readonly InvalidTarget[];
  /**
   * Upper bound of vector lengths.
   * @defaultValue 8
   */
  maxLength?: number;
}

const ARG_NAMES: Record<InvalidTarget, string[]> = {
  vector: ['p'],
  pair: ['p', 'q'],
  logJoint: ['logJoint'],
  posterior: ['logJoint'],
  latent: ['logJoint', 'q'],
  gaussian: ['mu1', 'sigma1', 'mu2', 'sigma2'],
};

type Fault =
  | { kind: 'entry'; arg: number; reason: InvalidReason; value: number }
  | { kind: 'empty' }
  | { kind: 'length-mismatch'; delta: number }
  | { kind: 'all-impossible' };

const negativeValue = fc.constantFrom(-0.5, -1, -5e-324, -1e-300, -Number.MAX_VALUE, -0.25);
const infiniteValue = fc.constantFrom(Infinity, -Infinity);
const nonpositiveValue = fc.constantFrom(0, -0, -1, -5e-324, -1e300);

function probabilityFault(arg: number): fc.Arbitrary<Fault> {
  return fc.oneof(
    fc.constant<Fault>({ kind: 'entry', arg, reason: 'nan', value: NaN }),
    infiniteValue.map<Fault>((value) => ({ kind: 'entry', arg, reason: 'infinite', value })),
    negativeValue.map<Fault>((value) => ({ kind: 'entry', arg, reason: 'negative', value })),
  );
}

function logJointFault(): fc.Arbitrary<Fault> {
  return fc.constantFrom<Fault>(
    { kind: 'entry', arg: 0, reason: 'nan', value: NaN },
    { kind: 'entry', arg: 0, reason: 'positive-infinity', value: Infinity },
  );
}

const lengthMismatch = fc
  .tuple(fc.constantFrom(-1, 1), fc.integer({ min: 1, max: 3 }))
  .map<Fault>(([s, k]) => ({ kind: 'length-mismatch', delta: s * k }));

function faults(target: InvalidTarget): fc.Arbitrary<Fault> {
  const empty = fc.constant<Fault>({ kind: 'empty' });
  switch (target) {
    case 'vector':
      return fc.oneof({ arbitrary: probabilityFault(0), weight: 3 }, { arbitrary: empty, weight: 1 });
    case 'pair':
      return fc.oneof(
        { arbitrary: probabilityFault(0), weight: 3 },
        { arbitrary: probabilityFault(1), weight: 3 },
        { arbitrary: lengthMismatch, weight: 2 },
        { arbitrary: empty, weight: 1 },
      );
    case 'logJoint':
      return fc.oneof({ arbitrary: logJointFault(), weight: 3 }, { arbitrary: empty, weight: 1 });
    case 'posterior':
      return fc.oneof(
        { arbitrary: logJointFault(), weight: 3 },
        { arbitrary: fc.constant<Fault>({ kind: 'all-impossible' }), weight: 2 },
        { arbitrary: empty, weight: 1 },
      );
    case 'latent':
      return fc.oneof(
        { arbitrary: logJointFault(), weight: 3 },
        { arbitrary: probabilityFault(1), weight: 3 },
        { arbitrary: lengthMismatch, weight: 2 },
        { arbitrary: empty, weight: 1 },
      );
    case 'gaussian':
      return fc.oneof(
        ...[0, 1, 2, 3].map((arg) =>
          fc.oneof(
            fc.constant<Fault>({ kind: 'entry', arg, reason: 'nan', value: NaN }),
            infiniteValue.map<Fault>((value) => ({ kind: 'entry', arg, reason: 'infinite', value })),
            ...(arg % 2 === 1 ? [nonpositiveValue.map<Fault>((value) => ({ kind: 'entry', arg, reason: 'nonpositive', value }))] : []),
          ),
        ),
      );
  }
}

/**
 * Invalid arguments for robustness checks: NaN, ±∞ where a probability is expected, +∞ in a log
 * joint, negative entries, sigma ≤ 0, length mismatch, empty vectors, all-impossible log joints —
 * each case with exactly one fault and a description of where it is, so a test can assert that a
 * typed error names the argument, the index and the reason:
 *
 * ```ts
 * fc.assert(fc.property(invalidInput({ targets: ['pair'] }), (c) => {
 *   const e = t.throws(() => kl(...(c.args as [number[], number[]])), { instanceOf: InvalidInputError });
 *   return e.argument === c.argument && e.index === c.index && e.reason === c.reason;
 * }));
 * ```
 *
 * The valid part of each case is simple (dyadic probabilities, log joints 0 … −3, mu 0 … 3,
 * sigma 1 … 4); shrinking keeps the fault and goes to one-entry vectors.
 *
 * @param constraints - Constraints to apply when building instances
 */
export function invalidInput(constraints: InvalidInputConstraints = {}): fc.Arbitrary<InvalidCase> {
  const fn = 'invalidInput';
  const targets = constraints.targets ?? INVALID_TARGETS;
  const maxLength = constraints.maxLength ?? 8;
  if (!Number.isInteger(maxLength) || maxLength < 1) badOption(fn, 'maxLength', `maxLength must be an integer ≥ 1, got ${maxLength}`);
  if (targets.length === 0) badOption(fn, 'targets', 'at least one target is needed');
  for (const t of targets) if (!INVALID_TARGETS.includes(t)) badOption(fn, 'targets', `unknown target '${String(t)}'`);
  const cell = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 3 }));
  const arbs = targets.map((target) =>
    fc
      .tuple(faults(target), fc.array(cell, { minLength: 1, maxLength, size: 'max' }), fc.nat({ max: maxLength }))
      .map(([fault, cells, pos]) => makeCase(target, fault, cells, pos)),
  );
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

function makeCase(target: InvalidTarget, fault: Fault, cells: [number, number, number][], pos: number): InvalidCase {
  const names = ARG_NAMES[target];
  const n = cells.length;
  // Valid arguments.
  const p = dyadicNormalize(cells.map(([a]) => BigInt(a)));
  const q = dyadicNormalize(cells.map(([, b]) => BigInt(b)));
  const logJoint = cells.map(([, , c]) => 0 - c); // 0 − c: never −0
  const args: unknown[] =
    target === 'vector'
      ? [p]
      : target === 'pair'
        ? [p, q]
        : target === 'logJoint' || target === 'posterior'
          ? [logJoint]
          : target === 'latent'
            ? [logJoint, q]
            : [cells[0]![2], cells[0]![0], cells[n - 1]![2], cells[n - 1]![1]];
  const base = { target, args };
  switch (fault.kind) {
    case 'empty':
      for (let i = 0; i < args.length; i++) args[i] = [];
      return { ...base, argument: names[0]!, index: null, reason: 'empty', description: `${names.join(' and ')} ${args.length > 1 ? 'are' : 'is'} empty` };
    case 'length-mismatch': {
      // Shorter or longer by |delta|, never empty (an empty vector would be a second fault).
      let len = n + fault.delta;
      if (len < 1) len = n - fault.delta;
      const w = args[1] as number[];
      const v = Array.from({ length: len }, (_, i) => (i < n ? w[i]! : 0));
      args[1] = v;
      return {
        ...base,
        argument: names[1]!,
        index: null,
        reason: 'length-mismatch',
        description: `${names[1]} has length ${v.length}, ${names[0]} has length ${n}`,
      };
    }
    case 'all-impossible':
      args[0] = logJoint.map(() => -Infinity);
      return { ...base, argument: names[0]!, index: null, reason: 'all-impossible', description: `every entry of ${names[0]} is -Infinity` };
    case 'entry': {
      const name = names[fault.arg]!;
      if (target === 'gaussian') {
        args[fault.arg] = fault.value;
        return { ...base, argument: name, index: null, reason: fault.reason, description: `${name} is ${show(fault.value)}` };
      }
      const v = (args[fault.arg] as number[]).slice();
      const i = pos % n;
      v[i] = fault.value;
      args[fault.arg] = v;
      return { ...base, argument: name, index: i, reason: fault.reason, description: `${name}[${i}] is ${show(fault.value)}` };
    }
  }
}

function show(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}
