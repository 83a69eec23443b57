/**
 * JSON conventions shared by the CLI and the JSON-lines protocols: non-finite numbers travel as the
 * strings "Infinity", "-Infinity" and "NaN"; finite numbers are written by JSON.stringify, whose
 * shortest round-trip form crosses float64 values exactly.
 */

/** Replaces the strings "Infinity", "-Infinity", "NaN" by numbers, recursively inside arrays and plain objects. */
export function decodeNonFinite(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeNonFinite);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decodeNonFinite(x);
    return out;
  }
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return v;
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
