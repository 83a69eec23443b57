/**
 * What every command shares: the streams it writes to ({@link Io}), the usage error (exit 2), the
 * default seed and run count, and the parsing of numeric options. Commands import this, never each
 * other.
 */
import { KlcheckError } from '../numeric/errors';

/** The streams of a command (process.stdout/stderr/stdin, or the tests' buffers). */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/** A command line klcheck cannot act on (exit code 2, the message printed). */
export class UsageError extends KlcheckError {
  override name = 'UsageError';
}

export const DEFAULT_SEED = 20261123;
export const DEFAULT_RUNS = 200;

/** `s` as a number in [min, max], or a UsageError naming the option. */
export function numberOption(name: string, s: string, min: number, max: number): number {
  const n = Number(s);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${name} must be a number from ${min} to ${max}, got '${s}'`);
  return n;
}

/** `s` as an integer in [min, max], or a UsageError naming the option. */
export function intOption(name: string, s: string, min: number, max: number): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got '${s}'`);
  return n;
}
