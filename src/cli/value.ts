/**
 * `klcheck value`: the reference value of a quantity for the inputs exactly as given.
 *
 *   klcheck value kl '[[0.5,0.5],[0.1,0.9]]' --digits 40
 *   klcheck value --stdin [--digits N]     # JSON lines {"fn": "kl", "args": [...]} → {"value": "..."} | {"error": "line N: ...", "line": N}
 */
import { Command, CommanderError } from 'commander';
import * as readline from 'node:readline';
import type Decimal from 'decimal.js';
import { DEFAULT_DIGITS, MAX_DIGITS, MIN_DIGITS } from '../numeric/context';
import { KlcheckError } from '../numeric/errors';
import * as ref from '../reference';
import type { Io } from './common';
import { decodeNonFinite, MAX_JSON_DEPTH } from '../numeric/wire';

/** Reference functions by name, with their parameter names (the JSON args array follows this order). */
export const VALUE_FUNCTIONS: Record<string, { params: string[]; call: (args: unknown[], digits: number) => Decimal | Decimal[] }> = {
  entropy: { params: ['p'], call: (a, d) => ref.entropy(a[0] as number[], { digits: d }) },
  crossEntropy: { params: ['p', 'q'], call: (a, d) => ref.crossEntropy(a[0] as number[], a[1] as number[], { digits: d }) },
  kl: { params: ['p', 'q'], call: (a, d) => ref.kl(a[0] as number[], a[1] as number[], { digits: d }) },
  generalizedKl: { params: ['p', 'q'], call: (a, d) => ref.generalizedKl(a[0] as number[], a[1] as number[], { digits: d }) },
  negEntropy: { params: ['p'], call: (a, d) => ref.negEntropy(a[0] as number[], { digits: d }) },
  negEntropyGradient: { params: ['q'], call: (a, d) => ref.negEntropyGradient(a[0] as number[], { digits: d }) },
  bregmanNegEntropy: { params: ['p', 'q'], call: (a, d) => ref.bregmanNegEntropy(a[0] as number[], a[1] as number[], { digits: d }) },
  logEvidence: { params: ['logJoint'], call: (a, d) => ref.logEvidence(a[0] as number[], { digits: d }) },
  elbo: { params: ['logJoint', 'q'], call: (a, d) => ref.elbo(a[0] as number[], a[1] as number[], { digits: d }) },
  posterior: { params: ['logJoint'], call: (a, d) => ref.posterior(a[0] as number[], { digits: d }) },
  klNormal: { params: ['mu1', 'sigma1', 'mu2', 'sigma2'], call: (a, d) => ref.klNormal(a[0] as number, a[1] as number, a[2] as number, a[3] as number, { digits: d }) },
  klNormalDiag: { params: ['mu1', 'sigma1', 'mu2', 'sigma2'], call: (a, d) => ref.klNormalDiag(a[0] as number[], a[1] as number[], a[2] as number[], a[3] as number[], { digits: d }) },
};

/** A request that cannot be evaluated (unknown function, wrong arity, malformed JSON, invalid input). */
export class ValueRequestError extends KlcheckError {
  override name = 'ValueRequestError';
}

/** Evaluates one request. Values are decimal strings, or "Infinity" / "-Infinity"; vectors are arrays of them. */
export function evaluateRequest(fn: unknown, args: unknown, digits: number): string | string[] {
  if (typeof fn !== 'string' || !Object.prototype.hasOwnProperty.call(VALUE_FUNCTIONS, fn)) {
    throw new ValueRequestError(`unknown function ${JSON.stringify(fn)}; expected one of: ${Object.keys(VALUE_FUNCTIONS).join(', ')}`);
  }
  const spec = VALUE_FUNCTIONS[fn]!;
  if (!Array.isArray(args)) throw new ValueRequestError(`${fn}: args must be a JSON array [${spec.params.join(', ')}]`);
  if (args.length !== spec.params.length) {
    throw new ValueRequestError(`${fn} takes ${spec.params.length} argument(s) (${spec.params.join(', ')}), got ${args.length}`);
  }
  // Each argument is decoded on its own, so that a too-deep one is named (a vector is 1 level deep).
  const decoded = args.map((a, i) => decodeNonFinite(a, `${fn}: argument '${spec.params[i]}'`));
  const v = spec.call(decoded, digits);
  return Array.isArray(v) ? v.map((x) => x.toString()) : v.toString();
}

function parseDigits(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < MIN_DIGITS || n > MAX_DIGITS) {
    throw new ValueRequestError(`--digits must be an integer from ${MIN_DIGITS} to ${MAX_DIGITS}, got '${s}'`);
  }
  return n;
}

export function valueCommand(io: Io, setCode: (c: number) => void): Command {
  return new Command('value')
    .description('print the reference value of a quantity for the float64 inputs exactly as given')
    .argument('[fn]', `function: ${Object.keys(VALUE_FUNCTIONS).join(', ')}`)
    .argument('[args]', 'JSON array of the arguments, e.g. \'[[0.5,0.5],[0.1,0.9]]\'; "Infinity", "-Infinity", "NaN" as strings')
    .option('--digits <n>', `significant digits (${MIN_DIGITS}..${MAX_DIGITS})`, String(DEFAULT_DIGITS))
    .option('--stdin', 'read JSON lines {"fn": ..., "args": [...]} from stdin; write one JSON line {"value"} or {"error"} per input, in order')
    .addHelpText('after', `
Examples:
  klcheck value kl '[[0.5,0.5],[0.1,0.9]]' --digits 40
  klcheck value kl '[[0.5,0.5],[1,0]]'            # Infinity (support mismatch)
  klcheck value klNormal '[0,1,0,2]'
  echo '{"fn":"entropy","args":[[0.5,0.5]]}' | klcheck value --stdin

Exit codes: 0 success; 2 usage error or invalid input (an argument nested more than ${MAX_JSON_DEPTH} levels deep
included). With --stdin, a bad line is answered in-band by {"error": "line N: ...", "line": N} and the
next line is read; the exit code is 0 (3 if a line hit a klcheck bug, whose stack goes to stderr).`)
    .action(async (fn: string | undefined, args: string | undefined, opts: { digits: string; stdin?: boolean }) => {
      const digits = parseDigits(opts.digits);
      if (opts.stdin) {
        if (fn !== undefined) throw new ValueRequestError('--stdin takes no positional arguments');
        setCode(await streamValues(io, digits) ? 0 : 3);
        return;
      }
      if (fn === undefined || args === undefined) throw new ValueRequestError('usage: klcheck value <fn> <json args> [--digits N], or klcheck value --stdin');
      let parsed: unknown;
      try {
        parsed = JSON.parse(args);
      } catch (e) {
        throw new ValueRequestError(`args is not valid JSON: ${(e as Error).message}`);
      }
      const v = evaluateRequest(fn, parsed, digits);
      io.stdout.write(`${Array.isArray(v) ? JSON.stringify(v) : v}\n`);
      setCode(0);
    });
}

/**
 * One JSON line out per non-blank line in, in order. No input ends the stream: an error while
 * evaluating a line — a KlcheckError (invalid input, unknown function, malformed JSON) or anything
 * else a bad input might provoke — is the line {"error": "line N: …", "line": N} (N counts every
 * line read, from 1), and the next line is read. An error that is not a KlcheckError is a klcheck
 * bug: its stack goes to stderr and the exit code is 3 at the end, but the stream still goes on.
 */
async function streamValues(io: Io, digits: number): Promise<boolean> {
  const rl = readline.createInterface({ input: io.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  let internal = false;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let out: unknown;
    try {
      let req: unknown;
      try {
        req = JSON.parse(line);
      } catch (e) {
        throw new ValueRequestError(`not valid JSON: ${(e as Error).message}`);
      }
      if (req === null || typeof req !== 'object' || Array.isArray(req)) throw new ValueRequestError('expected an object {"fn": ..., "args": [...]}');
      const r = req as { fn?: unknown; args?: unknown };
      out = { value: evaluateRequest(r.fn, r.args, digits) };
    } catch (e) {
      if (e instanceof KlcheckError) {
        out = { error: `line ${lineNo}: ${e.message}`, line: lineNo };
      } else {
        internal = true;
        const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        io.stderr.write(`klcheck: internal error on line ${lineNo}: ${e instanceof Error ? e.stack ?? what : what}\n`);
        out = { error: `line ${lineNo}: internal error: ${what}`, line: lineNo };
      }
    }
    io.stdout.write(`${JSON.stringify(out)}\n`);
  }
  return !internal;
}

export { CommanderError };
