/**
 * The wire codec: the JSON conventions of the CLI, the reports, the failure store and the JSON-lines
 * protocol. Non-finite numbers travel as the strings "Infinity", "-Infinity" and "NaN"; finite
 * numbers are written by JSON.stringify, whose shortest round-trip form crosses float64 values
 * exactly.
 *
 * Depth. Every value klcheck reads has a small fixed depth: a number is depth 0, a vector depth 1, an
 * args array of vectors depth 2, a stored theorem instance {"p": [...]} depth 2. JSON.parse accepts
 * any nesting, and a recursive walk of a value nested 100,000 levels deep overflows the stack, so
 * {@link decodeNonFinite} refuses anything deeper than {@link MAX_JSON_DEPTH} levels with a
 * {@link JsonDepthError} naming what was being read — before recursing that far.
 */
import { KlcheckError } from './errors';

/**
 * Deepest nesting of arrays and objects klcheck decodes (a vector is 1, an args array 2). Generous
 * on purpose — deeper but still shallow values reach the argument checks, whose messages are more
 * precise ("expected a number, got an array") — and small enough that the walk cannot overflow.
 */
export const MAX_JSON_DEPTH = 16;

/** A JSON value nested deeper than the limit (an invalid input: CLI exit code 2). */
export class JsonDepthError extends KlcheckError {
  override name = 'JsonDepthError';
  constructor(readonly what: string, readonly maxDepth: number) {
    super(`${what} is nested more than ${maxDepth} levels deep (a vector is 1 level, an args array 2)`);
  }
}

/**
 * Replaces the strings "Infinity", "-Infinity", "NaN" by numbers, recursively inside arrays and
 * plain objects. `what` names the value in the error ("argument 'p'", "failures[3].instance");
 * nesting deeper than `maxDepth` throws {@link JsonDepthError}.
 */
export function decodeNonFinite(v: unknown, what = 'the JSON value', maxDepth = MAX_JSON_DEPTH): unknown {
  const walk = (x: unknown, depth: number): unknown => {
    const nested = Array.isArray(x) || (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype);
    if (nested && depth >= maxDepth) throw new JsonDepthError(what, maxDepth);
    if (Array.isArray(x)) return x.map((y) => walk(y, depth + 1));
    if (nested) {
      const out: Record<string, unknown> = {};
      for (const [k, y] of Object.entries(x as object)) out[k] = walk(y, depth + 1);
      return out;
    }
    if (x === 'Infinity') return Infinity;
    if (x === '-Infinity') return -Infinity;
    if (x === 'NaN') return NaN;
    return x;
  };
  return walk(v, 0);
}

/** Replaces non-finite numbers by their strings, recursively inside arrays and plain objects. */
export function encodeNonFinite(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map(encodeNonFinite);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encodeNonFinite(x);
    return out;
  }
  return v;
}
