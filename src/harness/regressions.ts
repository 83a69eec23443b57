/**
 * Regression files: shrunk counterexamples stored as plain JSON values (not seeds, so they survive
 * upgrades of klcheck and of fast-check), replayed before the random run.
 *
 *   { "klcheck": "failures", "version": 1,
 *     "failures": [ { "fn": "kl", "args": [[0.5, 0.5], [0, 1]], "label": "mismatch", "property": "agreement:kl" },
 *                   { "theorem": "gibbs", "instance": {"p": [0.5, 0.5], "q": [0, 1]}, "property": "theorem:gibbs" } ] }
 *
 * A function entry is replayed by the agreement check of that function; a theorem entry by the
 * theorem's float64 check with the candidate's functions (src/harness/theorems.ts).
 * Non-finite numbers inside args and instances are the strings "Infinity", "-Infinity", "NaN".
 */
import { writeFileAtomic } from './atomic-write';
import { withFileLock } from './file-lock';
import * as fs from 'node:fs';
import { KlcheckError } from '../numeric/errors';
import { decodeNonFinite, encodeNonFinite, JsonDepthError } from '../numeric/wire';
import type { Theorem } from '../theorem';
import { storedInstanceProblem } from './theorems';
import { CONTRACT_DOMAINS } from '../numeric/domain';
import { FUNCTION_CASES } from './cases';
import { asHandle, Candidate } from './candidate';
import { evaluateCase, RunOptions } from './agreement';
import { PropertyResult, describeFailure } from './result';
import { diagnose } from './diagnose';
import { reference } from '../reference';
import type Decimal from 'decimal.js';
import type { RegressionFile, StoredFailure, StoredTheoremFailure } from './store-format';

export type { RegressionFile, StoredFailure, StoredTheoremFailure } from './store-format';

/** A regression file that cannot be read or does not follow the format (CLI exit code 2). */
export class FailureFileError extends KlcheckError {
  override name = 'FailureFileError';
}

/** The function entries of a regression file (theorem entries: loadRegressionFile). */
export function loadFailures(file: string): StoredFailure[] {
  return loadRegressionFile(file).functions;
}

/**
 * Reads and validates a regression file. With `theorems` (the CLI passes properties/ THEOREMS), each
 * theorem entry is checked before anything runs: a known theorem id, and an instance replay can use
 * ({@link storedInstanceProblem}: the keys and kinds of the theorem's instances, and a dry run of its
 * float64 check inside the contract's domain). Every fault is a {@link FailureFileError} naming the
 * file, the failures[i] index and what is wrong (CLI exit code 2).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadRegressionFile(file: string, theorems?: readonly Theorem<any>[]): RegressionFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FailureFileError(`cannot read regression file '${file}': ${(e as Error).message}`);
  }
  const f = raw as { klcheck?: unknown; version?: unknown; failures?: unknown };
  if (f?.klcheck !== 'failures' || f.version !== 1 || !Array.isArray(f.failures)) {
    throw new FailureFileError(`'${file}' is not a klcheck failures file (expected {"klcheck": "failures", "version": 1, "failures": [...]})`);
  }
  const decode = (v: unknown, what: string): unknown => {
    try {
      return decodeNonFinite(v, `'${file}': ${what}`);
    } catch (e) {
      if (e instanceof JsonDepthError) throw new FailureFileError(e.message);
      throw e;
    }
  };
  const out: RegressionFile = { functions: [], theorems: [] };
  f.failures.forEach((x, i) => {
    const t = x as StoredTheoremFailure;
    if (typeof t?.theorem === 'string') {
      if (typeof t.instance !== 'object' || t.instance === null) throw new FailureFileError(`'${file}': failures[${i}] (theorem ${t.theorem}) needs an "instance" object`);
      const instance = decode(t.instance, `failures[${i}].instance`);
      if (theorems) {
        const th = theorems.find((y) => y.id === t.theorem);
        if (!th) throw new FailureFileError(`'${file}': failures[${i}]: unknown theorem '${t.theorem}'; expected one of ${theorems.map((y) => y.id).join(', ')}`);
        const problem = storedInstanceProblem(th, instance);
        if (problem !== null) throw new FailureFileError(`'${file}': failures[${i}] (theorem ${t.theorem}): ${problem}`);
      }
      out.theorems.push({ ...t, instance });
      return;
    }
    const s = x as StoredFailure;
    if (typeof s?.fn !== 'string' || !FUNCTION_CASES.some((c) => c.fn === s.fn) || !Array.isArray(s.args)) {
      throw new FailureFileError(`'${file}': failures[${i}] needs a known "fn" and an "args" array, or a "theorem" and an "instance"`);
    }
    const args = decode(s.args, `failures[${i}].args`) as unknown[];
    const problem = storedArgsProblem(s.fn, args);
    if (problem !== null) throw new FailureFileError(`'${file}': failures[${i}] (${s.fn}): ${problem}`);
    out.functions.push({ ...s, args });
  });
  return out;
}

/**
 * The shape of a stored function entry's args against the contract table (src/contract.ts): the
 * function's arity, a number for a scalar parameter, an array of numbers for a vector one. Values
 * (sums, signs) are the replay's to judge, as for any case.
 */
function storedArgsProblem(fn: string, args: readonly unknown[]): string | null {
  const dom = CONTRACT_DOMAINS[fn];
  if (!dom) return null;
  if (args.length !== dom.params.length) return `takes ${dom.params.length} argument(s) (${dom.params.map((p) => p.name).join(', ')}), got ${args.length}`;
  for (let j = 0; j < args.length; j++) {
    const { name, kind } = dom.params[j]!;
    const a = args[j];
    const scalar = kind === 'finite' || kind === 'positive';
    if (scalar ? typeof a !== 'number' : !Array.isArray(a) || a.some((x) => typeof x !== 'number')) {
      return `argument '${name}' must be ${scalar ? 'a number' : 'an array of numbers'}, got ${JSON.stringify(encodeNonFinite(a))?.slice(0, 80) ?? String(a)}`;
    }
  }
  return null;
}

/**
 * Merges the counterexamples of failed results into `file` (deduplicated by fn and args). Safe with
 * concurrent writers: it holds the file's lock (src/harness/file-lock.ts) while it re-reads the
 * store, merges and writes it atomically, so entries saved by other processes meanwhile are kept.
 */
export function saveFailures(file: string, results: readonly PropertyResult[]): number {
  return withFileLock(file, () => mergeInto(file, results));
}

function mergeInto(file: string, results: readonly PropertyResult[]): number {
  const existing: (StoredFailure | StoredTheoremFailure)[] = [];
  if (fs.existsSync(file)) {
    const f = loadRegressionFile(file);
    existing.push(...f.functions, ...f.theorems);
  }
  const key = (s: StoredFailure | StoredTheoremFailure) => ('theorem' in s
    ? `theorem ${s.theorem} ${JSON.stringify(encodeNonFinite(s.instance))}`
    : `${s.fn} ${JSON.stringify(encodeNonFinite(s.args))}`);
  const seen = new Set(existing.map(key));
  let added = 0;
  for (const r of results) {
    if (r.status !== 'failed' || !r.counterexample) continue;
    const isTheorem = r.property.startsWith('theorem:') || r.property.startsWith('replay:theorem:');
    const s: StoredFailure | StoredTheoremFailure = isTheorem
      ? { theorem: r.fn, instance: r.counterexample.args[0], property: `theorem:${r.fn}` }
      : { fn: r.fn, args: r.counterexample.args, label: r.counterexample.label, property: r.property };
    if (seen.has(key(s))) continue;
    seen.add(key(s));
    existing.push(s);
    added++;
  }
  writeFileAtomic(file, `${JSON.stringify({ klcheck: 'failures', version: 1, failures: encodeNonFinite(existing) }, null, 2)}\n`);
  return added;
}

/** Replays stored failures: one result per stored case (`replay:<fn>#<i>`), skipped if the candidate lacks the function. */
export async function runReplay(candidateIn: Candidate, failures: readonly StoredFailure[], opts: RunOptions): Promise<PropertyResult[]> {
  const candidate = asHandle(candidateIn);
  const out: PropertyResult[] = [];
  for (let i = 0; i < failures.length; i++) {
    const s = failures[i]!;
    const property = `replay:${s.fn}#${i}`;
    const spec = FUNCTION_CASES.find((c) => c.fn === s.fn)!;
    if (!candidate.functions.includes(s.fn) || (opts.only && !opts.only.includes(s.fn))) {
      out.push({ property, fn: s.fn, status: 'skipped', runs: 0, strictRuns: 0, worstBits: 0, worstRatio: 0, counterexample: null, message: `the candidate has no ${s.fn}()`, durationMs: 0 });
      continue;
    }
    const t0 = Date.now();
    const o = await evaluateCase(spec, candidate, s.args, s.label ?? 'stored', opts);
    if (o.ok) {
      out.push({ property, fn: s.fn, status: 'passed', runs: 1, strictRuns: o.strict ? 1 : 0, worstBits: o.bits, worstRatio: o.ratio, counterexample: null, message: 'the stored counterexample now agrees with the reference', durationMs: Date.now() - t0 });
    } else {
      const refFn = (reference as unknown as Record<string, (...a: unknown[]) => Decimal | Decimal[]>)[s.fn]!;
      const diagnosis = o.cx ? diagnose(s.fn, o.cx.args, o.cx.candidate, refFn(...o.cx.args), o.cx.error) : undefined;
      out.push({ property, fn: s.fn, status: 'failed', runs: 1, strictRuns: 0, worstBits: o.bits, worstRatio: o.ratio, counterexample: o.cx ?? null, ...(diagnosis ? { diagnosis } : {}), message: describeFailure(s.fn, o.cx), durationMs: Date.now() - t0 });
    }
  }
  return out;
}
