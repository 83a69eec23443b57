/**
 * The JSON-lines protocol's framing: a request as one line, answer lines split from the byte stream
 * under a length cap, and the one-pass scan of an answer line (its depth, its id, a number beyond the
 * float64 range) that runs before any parse. The value codec is src/numeric/wire.ts.
 */
import { encodeWire } from '../../numeric/wire';

/** One request line (without the newline). Throws on unencodable arguments (BigInt, cycles). */
export function encodeRequest(id: number, fn: string, args?: readonly unknown[]): string {
  return encodeWire(args === undefined ? { id, fn } : { id, fn, args });
}

/** What {@link scanAnswerLine} finds in one line, without parsing it. */
export interface LineScan {
  /** The deepest nesting of `[` and `{` outside strings (an answer object alone is 1). */
  depth: number;
  /** The value of a top-level `"id"` key when it is a number token (found even when the line is too deep to parse). */
  id: number | undefined;
  /** The first number token whose float64 reading is ±Infinity (e.g. `1e400`), or undefined. */
  outOfRange: string | undefined;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * One linear pass over a line (strings and their escapes skipped): its nesting depth, its top-level
 * id, and the first number token beyond the float64 range. Never recurses, never allocates more
 * than the tokens it reports.
 *
 * Out of range means: the token's correctly rounded float64 reading (round to nearest, ties to
 * even — what JSON.parse and Number do) is ±∞, i.e. |x| ≥ 2^1024 − 2^970 (the midpoint between
 * the largest finite double and 2^1024; the tie rounds to the even 2^1024). IEEE 754 calls that an
 * overflow, and for a wire format of float64 values it is not a reading of anything a program meant:
 * no float64 value is written that way (the shortest round-trip form of a finite value is at most
 * 1.7976931348623157e308, and the contract writes the infinities as "Infinity" / "-Infinity"), so a
 * token such as 1e400 is a finite number the program holds in some wider type, and reading it as +∞
 * would turn a finite answer into an infinite one (which the harness reads as support mismatch).
 * Tokens that round to the largest finite double (1.7976931348623158e308) are accepted.
 * Underflow is different and accepted: 1e-400 reads as 0 and 1e-320 as a subnormal, the nearest
 * float64 values, with an absolute error below 2^-1075 — the same correctly rounded reading every
 * decimal literal gets; the value stays finite and is judged like any other.
 */
export function scanAnswerLine(line: string): LineScan {
  let depth = 0;
  let maxDepth = 0;
  let id: number | undefined;
  let outOfRange: string | undefined;
  let keyIsId = false; // the last string closed at depth 1 was "id"
  let expectId = false; // …and a ':' followed it
  const n = line.length;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) { // a string: skip it, escapes included
      const start = i;
      for (i++; i < n; i++) {
        const d = line.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      keyIsId = depth === 1 && i - start === 3 && line.charCodeAt(start + 1) === 105 && line.charCodeAt(start + 2) === 100;
      expectId = false;
      continue;
    }
    if (c === 91 || c === 123) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === 93 || c === 125) {
      depth--;
    } else if (c === 58) {
      expectId = keyIsId && depth === 1;
      keyIsId = false;
    } else if (c === 44) {
      keyIsId = expectId = false;
    } else if (c === 45 || isDigit(c)) {
      let j = i + 1;
      let exponent = false;
      for (; j < n; j++) {
        const d = line.charCodeAt(j);
        if (d === 101 || d === 69) exponent = true;
        else if (!(isDigit(d) || d === 46 || d === 43 || d === 45)) break;
      }
      // Without an exponent, a token of at most 308 characters is below 10^308 and cannot overflow.
      if (expectId || exponent || j - i > 308) {
        const tok = line.slice(i, j);
        const v = Number(tok);
        if (expectId && depth === 1 && id === undefined) id = v;
        if ((v === Infinity || v === -Infinity) && outOfRange === undefined) outOfRange = tok;
      }
      keyIsId = expectId = false;
      i = j - 1;
    }
  }
  return { depth: maxDepth, id, outOfRange };
}

/**
 * Splits a byte stream into `\n`-terminated lines of at most `max` bytes (decoded as UTF-8 once
 * whole). A longer line is not accumulated: `onOverlong` is called as soon as it passes the cap,
 * and the rest of it, up to its newline, is discarded.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(
    private readonly max: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      if (!this.discarding) {
        if (this.size + (end - start) > this.max) {
          this.parts = [];
          this.size = 0;
          this.discarding = true;
          this.onOverlong();
        } else if (end > start) {
          this.parts.push(chunk.subarray(start, end));
          this.size += end - start;
        }
      }
      if (nl === -1) return;
      if (this.discarding) this.discarding = false;
      else this.emit();
      start = nl + 1;
    }
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    if (!this.discarding && this.size > 0) this.emit();
  }

  private emit(): void {
    const line = this.parts.length === 1 ? this.parts[0]!.toString('utf8') : Buffer.concat(this.parts, this.size).toString('utf8');
    this.parts = [];
    this.size = 0;
    this.onLine(line);
  }
}
