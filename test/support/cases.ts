/**
 * Input classes per quantity (built from ./arbitraries), the reference lookup with a cache, and
 * the kernel/variant evaluation shared by the tests and by ./measure.ts (which produced the
 * numbers in docs/accuracy.md).
 */
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import * as ref from '../../src/reference';
import * as K from '../../src/kernels';
import {
  dyadicDistribution,
  dyadicNearPair,
  dyadicPair,
  floatDistribution,
  floatPair,
  gaussianDiag,
  gaussianParams,
  latentModel,
  unnormalisedPair,
} from './arbitraries';
import type { FnName } from './variants';

export interface CaseSet {
  fn: FnName;
  /** short name of the input class */
  name: string;
  arb: fc.Arbitrary<unknown[]>;
  /** exactly normalised inputs (Σ = 1 exactly): where the strict kl/entropy targets are promised */
  exact: boolean;
}

const pairArgs = (a: fc.Arbitrary<{ p: number[]; q: number[] }>): fc.Arbitrary<unknown[]> => a.map(({ p, q }) => [p, q]);
const oneArg = (a: fc.Arbitrary<number[]>): fc.Arbitrary<unknown[]> => a.map((p) => [p]);

/** The pair classes used for kl, crossEntropy and generalizedKl. */
function pairSets(fn: FnName): CaseSet[] {
  return [
    { fn, name: 'dyadic', arb: pairArgs(dyadicPair()), exact: true },
    { fn, name: 'dyadicNear', arb: pairArgs(dyadicNearPair()), exact: true },
    { fn, name: 'dyadicMismatch', arb: pairArgs(dyadicPair({ mismatch: true, zeroFreq: 0.3 })), exact: true },
    { fn, name: 'float', arb: pairArgs(floatPair()), exact: false },
    { fn, name: 'floatNear', arb: pairArgs(floatPair({ relation: 'near' })), exact: false },
    { fn, name: 'floatMismatch', arb: pairArgs(floatPair({ relation: 'mismatch' })), exact: false },
    { fn, name: 'floatNearMismatch', arb: pairArgs(floatPair({ relation: 'nearMismatch' })), exact: false },
    { fn, name: 'unnormalised', arb: pairArgs(unnormalisedPair()), exact: false },
  ];
}

function distSets(fn: FnName): CaseSet[] {
  return [
    { fn, name: 'dyadic', arb: oneArg(dyadicDistribution()), exact: true },
    { fn, name: 'float', arb: oneArg(floatDistribution()), exact: false },
    { fn, name: 'unnormalised', arb: unnormalisedPair().map(({ p }) => [p]), exact: false },
  ];
}

export const CASE_SETS: readonly CaseSet[] = [
  ...pairSets('kl'),
  ...pairSets('crossEntropy'),
  ...pairSets('generalizedKl'),
  ...distSets('entropy'),
  ...distSets('negEntropy'),
  ...distSets('negEntropyGradient'),
  { fn: 'logEvidence', name: 'latent', arb: latentModel().map((m) => [m.logJoint]), exact: false },
  { fn: 'posterior', name: 'latent', arb: latentModel().map((m) => [m.logJoint]), exact: false },
  { fn: 'elbo', name: 'latent', arb: latentModel().map((m) => [m.logJoint, m.q]), exact: false },
  { fn: 'elbo', name: 'latentImpossible', arb: latentModel({ qOnImpossible: true }).map((m) => [m.logJoint, m.q]), exact: false },
  { fn: 'klNormal', name: 'gaussian', arb: gaussianParams(), exact: false },
  { fn: 'klNormal', name: 'gaussianExtreme', arb: gaussianParams({ extreme: true, sigmaExp: 300, muExp: 300 }), exact: false },
  { fn: 'klNormalDiag', name: 'gaussianDiag', arb: gaussianDiag(), exact: false },
];

export function caseSets(fn: FnName): CaseSet[] {
  return CASE_SETS.filter((c) => c.fn === fn);
}

export const VECTOR_FNS = new Set<FnName>(['negEntropyGradient', 'posterior']);

// ------------------------------------------------------------------------------------------
// reference with a cache (the same inputs are judged for many variants)
// ------------------------------------------------------------------------------------------

const cache = new Map<string, Decimal | Decimal[]>();

function key(fn: string, args: unknown[]): string {
  return fn + JSON.stringify(args, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/** The exact value (40 digits) of fn at args; vectors for the vector-valued functions. */
export function exactOf(fn: FnName, args: unknown[]): Decimal | Decimal[] {
  const k = key(fn, args);
  let v = cache.get(k);
  if (v === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    v = (ref as any)[fn](...args) as Decimal | Decimal[];
    if (cache.size > 20000) cache.clear();
    cache.set(k, v);
  }
  return v;
}

/** Our kernel's value. */
export function kernelOf(fn: FnName, args: unknown[]): number | number[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (K as any)[fn](...args) as number | number[];
}
