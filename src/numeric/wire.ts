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

// ------------------------------------------------------------------------------------------------
// The JSON-lines protocol's side (src/harness/subprocess/): one line per message, −0 kept, any depth.

const NEG_ZERO = '\u0000klcheck:-0\u0000';
const NEG_ZERO_JSON = JSON.stringify(NEG_ZERO);

function wireReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    if (Object.is(v, -0)) return NEG_ZERO;
    return v;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>);
  return v;
}

/**
 * `value` as one JSON line: non-finite numbers as the strings "Infinity", "-Infinity", "NaN", −0 as
 * the token -0.0 (JSON.stringify would write 0), typed arrays as arrays. Throws on unencodable values
 * (BigInt, cycles).
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, wireReplacer).split(NEG_ZERO_JSON).join('-0.0');
}

/**
 * JSON.parse, also accepting the bare tokens `NaN`, `Infinity` and `-Infinity` where a value may
 * stand (what Python's json.dumps writes by default, and other languages' writers too): they are
 * unambiguous, so they are read as the strings "NaN", "Infinity", "-Infinity" that decodeResult turns
 * into numbers. Text inside strings is never touched. Throws SyntaxError like JSON.parse otherwise.
 */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (e) {
    if (!/NaN|Infinity/.test(line)) throw e;
  }
  let out = '';
  let inString = false;
  let prev = ''; // the last non-blank character outside strings
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += line[++i] ?? '';
      else if (c === '"') { inString = false; prev = '"'; }
      continue;
    }
    if (c === '"') { inString = true; out += c; continue; }
    if (prev === '' || prev === '[' || prev === ',' || prev === ':') {
      const token = /^(-?Infinity|NaN)(?![A-Za-z0-9_$])/.exec(line.slice(i, i + 9))?.[1];
      if (token !== undefined) {
        out += `"${token}"`;
        i += token.length - 1;
        prev = '"';
        continue;
      }
    }
    out += c;
    if (c !== ' ' && c !== '\t' && c !== '\r') prev = c;
  }
  return JSON.parse(out);
}

function decodeScalar(v: unknown): unknown {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return v;
}

/**
 * A result from the wire: "Infinity", "-Infinity", "NaN" become numbers, at any depth inside arrays
 * (objects are left as they are). Iterative: any nesting depth is safe (no stack overflow).
 */
export function decodeResult(v: unknown): unknown {
  if (!Array.isArray(v)) return decodeScalar(v);
  const root: unknown[] = new Array(v.length);
  const stack: [unknown[], unknown[]][] = [[v, root]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    for (let i = 0; i < src.length; i++) {
      const x = src[i];
      if (Array.isArray(x)) {
        const y: unknown[] = new Array(x.length);
        dst[i] = y;
        stack.push([x, y]);
      } else {
        dst[i] = decodeScalar(x);
      }
    }
  }
  return root;
}
