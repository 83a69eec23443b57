/**
 * Input checks shared by the reference and the kernels. Each throws an InvalidInputError naming the
 * function, the argument, the index and the reason. They never reject support mismatch.
 */
import { InvalidInputError } from './errors';

export type Vector = readonly number[];

function asVector(fn: string, name: string, v: unknown): Vector {
  if (Array.isArray(v)) return v as Vector;
  if (v instanceof Float64Array || v instanceof Float32Array) return Array.from(v);
  throw new InvalidInputError(fn, name, null, 'not-an-array', `expected an array of numbers, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/**
 * A vector of probabilities (or nonnegative masses): length ≥ 1, every entry a finite number ≥ 0
 * (−0 counts as 0). Sums are not checked: the quantities are defined for the inputs as given.
 */
export function probabilityVector(fn: string, name: string, v: unknown): Vector {
  const a = asVector(fn, name, v);
  if (a.length === 0) throw new InvalidInputError(fn, name, null, 'empty', 'the vector is empty');
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number') throw new InvalidInputError(fn, name, i, 'not-a-number', `expected a number, got ${describe(x)}`);
    if (Number.isNaN(x)) throw new InvalidInputError(fn, name, i, 'nan', 'NaN is not a probability');
    if (!Number.isFinite(x)) throw new InvalidInputError(fn, name, i, 'infinite', `${x} is not a probability`);
    if (x < 0) throw new InvalidInputError(fn, name, i, 'negative', `negative entry ${x}`);
  }
  return a;
}

/** Log joint probabilities log p(x, z): length ≥ 1, entries finite or −∞ (impossible z); no NaN, no +∞. */
export function logJointVector(fn: string, name: string, v: unknown): Vector {
  const a = asVector(fn, name, v);
  if (a.length === 0) throw new InvalidInputError(fn, name, null, 'empty', 'the vector is empty');
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number') throw new InvalidInputError(fn, name, i, 'not-a-number', `expected a number, got ${describe(x)}`);
    if (Number.isNaN(x)) throw new InvalidInputError(fn, name, i, 'nan', 'NaN is not a log probability');
    if (x === Infinity) throw new InvalidInputError(fn, name, i, 'positive-infinity', '+Infinity is not a log probability');
  }
  return a;
}

/** Vectors of equal length. */
export function sameLength(fn: string, nameA: string, a: Vector, nameB: string, b: Vector): void {
  if (a.length !== b.length) {
    throw new InvalidInputError(fn, nameB, null, 'length-mismatch',
      `length ${b.length} differs from the length ${a.length} of '${nameA}'`);
  }
}

/** A finite real (e.g. a mean). */
export function finiteNumber(fn: string, name: string, x: unknown, index: number | null = null): number {
  if (typeof x !== 'number') throw new InvalidInputError(fn, name, index, 'not-a-number', `expected a number, got ${describe(x)}`);
  if (Number.isNaN(x)) throw new InvalidInputError(fn, name, index, 'nan', 'NaN is not a real number');
  if (!Number.isFinite(x)) throw new InvalidInputError(fn, name, index, 'infinite', `${x} is not finite`);
  return x;
}

/** A finite real > 0 (e.g. a standard deviation). */
export function positiveNumber(fn: string, name: string, x: unknown, index: number | null = null): number {
  const v = finiteNumber(fn, name, x, index);
  if (!(v > 0)) throw new InvalidInputError(fn, name, index, 'nonpositive', `must be > 0, got ${v}`);
  return v;
}

/** A vector of finite reals. */
export function finiteVector(fn: string, name: string, v: unknown): Vector {
  const a = asVector(fn, name, v);
  if (a.length === 0) throw new InvalidInputError(fn, name, null, 'empty', 'the vector is empty');
  a.forEach((x, i) => finiteNumber(fn, name, x, i));
  return a;
}

/** A vector of finite reals > 0. */
export function positiveVector(fn: string, name: string, v: unknown): Vector {
  const a = asVector(fn, name, v);
  if (a.length === 0) throw new InvalidInputError(fn, name, null, 'empty', 'the vector is empty');
  a.forEach((x, i) => positiveNumber(fn, name, x, i));
  return a;
}

/** The four vectors of a diagonal-Gaussian KL: finite means, positive σ's, all of the same length. */
export function diagGaussianArgs(fn: string, mu1: unknown, sigma1: unknown, mu2: unknown, sigma2: unknown): [Vector, Vector, Vector, Vector] {
  const m1 = finiteVector(fn, 'mu1', mu1);
  const s1 = positiveVector(fn, 'sigma1', sigma1);
  const m2 = finiteVector(fn, 'mu2', mu2);
  const s2 = positiveVector(fn, 'sigma2', sigma2);
  sameLength(fn, 'mu1', m1, 'sigma1', s1);
  sameLength(fn, 'mu1', m1, 'mu2', m2);
  sameLength(fn, 'mu1', m1, 'sigma2', s2);
  return [m1, s1, m2, s2];
}
