/**
 * What a theorem is: data, not only a test. A theorem has a stable id (the CLI's name), a statement,
 * named hypotheses, a proof as a chain of steps, and properties. The same object serves three uses:
 *   1. in arbitrary precision on the reference (checks the mathematics and the reference),
 *   2. in float64 on our kernels, under the accuracy model,
 *   3. against a candidate implementation (issue 5).
 * plus teaching: `klcheck explain <id>` prints one instance of the proof, and
 * `klcheck explain <id> --drop <hypothesis>` searches a counterexample without that hypothesis.
 *
 * Types only in this section; the engine (checkProof, explain, ablate, checkFloat64) follows.
 */
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { checkDigits, decimalContext, MAX_DIGITS } from './numeric/context';
import { dyadicToDecimal, toDecimal } from './numeric/exact';
import { Dy, dyAdd, dyOf, DY_ZERO, Rat } from './numeric/dyadic';
import { lnDoubleFixed, lnFixed } from './numeric/fixed';
import { KlcheckError } from './numeric/errors';
import { Mode, standardBound, STRICT_ULPS, strictApplies, ulpOf } from './numeric/accuracy';

/** Relation of a step or a statement. Strict '<' / '>' are allowed for statements like KL > … */
export type Relation = '=' | '<=' | '>=' | '<' | '>';

/** Arbitrary-precision evaluation context: reference values at `digits` significant digits. */
export interface Ctx {
  readonly digits: number;
  /** Decimal constructor for intermediate arithmetic (more digits than `digits`). */
  readonly D: Decimal.Constructor;
}

/** An expression of the instance, with its text as a person reads it (`KL(p‖q)`, `−log Σ_{supp p} q`). */
export interface Expr<I> {
  readonly text: string;
  /** Exact (reference) value in the extended reals; may be ±Infinity. */
  value(instance: I, ctx: Ctx): Decimal;
}

/** A named hypothesis, decidable exactly on an instance (use exact arithmetic for sums). */
export interface Hypothesis<I> {
  readonly id: string;
  readonly text: string;
  holds(instance: I): boolean;
}

/** One step of a proof chain: lhs rel rhs, with why it holds and which hypotheses it uses. */
export interface Step<I> {
  readonly id: string;
  readonly lhs: Expr<I>;
  readonly relation: Relation;
  readonly rhs: Expr<I>;
  /** Why the step holds: "Jensen's inequality for the strictly convex −log", "q-sums-to-one". */
  readonly justification: string;
  /** Hypothesis ids this step relies on (the ablation reports the first failing step). */
  readonly uses: readonly string[];
}

/** The conclusion: one or more relations that must hold on every instance satisfying the hypotheses. */
export interface Statement<I> {
  readonly text: string;
  readonly lhs: Expr<I>;
  readonly relation: Relation;
  readonly rhs: Expr<I>;
}

/** What dropping one hypothesis does. Exactly one of `arbitrary` / `noCounterexample`. */
export interface Ablation<I> {
  readonly hypothesis: string;
  /** Instances that violate this hypothesis and satisfy all the others (shrinking-friendly). */
  readonly arbitrary?: fc.Arbitrary<I>;
  /** Why no counterexample can exist (e.g. "the decomposition is algebra: it holds for any nonnegative vectors"). */
  readonly noCounterexample?: string;
}

/** A float64 check of the statement with a candidate's functions, judged under the accuracy model. */
export interface Float64Check<I> {
  /** Contract functions it calls. */
  readonly functions: readonly string[];
  /**
   * Evaluates the statement with the candidate's float64 functions. `ok: false` is a failure of the
   * candidate; `note` reports (not fails) what float64 inputs do to the exact statement.
   */
  check(
    instance: I,
    candidate: Readonly<Record<string, (...a: never[]) => unknown>>,
    /** (added) The accuracy level to judge at; absent means 'standard'. */
    opts?: { readonly mode: 'standard' | 'strict' },
  ): { ok: boolean; message?: string; note?: string };
  /**
   * (added) Instances for the float64 check, when they differ from the theorem's: float64 inputs
   * satisfy "sums to one" only up to rounding (float-normalised vectors), and that is where the
   * notes come from. Defaults to the theorem's `instances`.
   */
  readonly instances?: fc.Arbitrary<I>;
}

export interface Theorem<I = unknown> {
  /** Stable CLI name: gibbs, bregman, cross-entropy-decomposition, elbo-identity, … */
  readonly id: string;
  readonly title: string;
  /** Where the proof comes from (seed text, section). */
  readonly source: string;
  /** 'theorem': holds under the hypotheses. 'false-in-general': the harness finds witnesses (asymmetry, no-triangle). */
  readonly kind: 'theorem' | 'false-in-general';
  readonly statements: readonly Statement<I>[];
  readonly hypotheses: readonly Hypothesis<I>[];
  /** Instances satisfying every hypothesis (for 'false-in-general': candidate witnesses). */
  readonly instances: fc.Arbitrary<I>;
  readonly proof: readonly Step<I>[];
  readonly ablations: readonly Ablation<I>[];
  /** Contract functions the theorem needs (for `klcheck list` and candidate checks). */
  readonly functions: readonly string[];
  readonly float64?: Float64Check<I>;
  /** Human-readable instance (used by explain and reports). */
  describe(instance: I): string;
  /** JSON-serialisable form of an instance (plain numbers/arrays; ±Infinity as numbers). */
  toJSON(instance: I): unknown;
}

// =================================================================================================
// The engine: proof checking, explanation, hypothesis ablation, float64 checks.
// =================================================================================================

/**
 * A fault of a theorem definition, not of the mathematics: an expression that is NaN or cannot be
 * evaluated (∞ − ∞, a logarithm of a negative number, the reference rejecting its input), or an
 * instance generator that does not produce what it promises (instances violating a hypothesis; an
 * ablation arbitrary drawing an instance that satisfies the dropped hypothesis).
 */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** An unknown theorem id or hypothesis id (a usage error: the CLI exits 2 and lists the valid names). */
export class UnknownNameError extends KlcheckError {
  override name = 'UnknownNameError';
  constructor(readonly what: 'theorem' | 'hypothesis', readonly given: string, readonly valid: readonly string[], context = '') {
    super(`unknown ${what} '${given}'${context}; valid ${what === 'theorem' ? 'theorems' : 'hypotheses'}: ${valid.join(', ')}`);
  }
}

// -------------------------------------------------------------------------------------------------
// Contexts and the tolerance policy

/** Guard digits of the intermediate context ctx.D beyond the reference's `digits`. */
export const GUARD_DIGITS = 10;
/** The slack exponent: tolerances are 10^(SLACK − digits)·(1 + |lhs| + |rhs|). */
export const TOLERANCE_SLACK_DIGITS = 3;

/** The evaluation context at `digits`: reference values at `digits`, intermediate arithmetic with GUARD_DIGITS more. */
export function engineContext(digits: number): Ctx {
  checkDigits(digits, 'theorem engine');
  return { digits, D: decimalContext(Math.min(digits + GUARD_DIGITS, MAX_DIGITS)) };
}

/**
 * Magnitudes of combined values: {@link xsum} records, for the Decimal it returns, the largest |v_j| it
 * combined (recursively), so that a relation between sums that cancel (ELBO + KL ≈ 0 from ±1000) gets
 * the tolerance its rounding errors need. A value that is not a recorded sum is its own magnitude.
 */
const MAGNITUDE = new WeakMap<Decimal, Decimal>();

/** The largest magnitude an expression's value was combined from (≥ |value|; 0 for ±∞). */
export function magnitudeOf(v: Decimal): Decimal {
  if (!v.isFinite()) return new Decimal(0);
  const m = MAGNITUDE.get(v);
  return m !== undefined && m.gt(v.abs()) ? m : v.abs();
}

/**
 * The tolerance of a relation between two expressions of reference values, at `digits`.
 *
 * Derivation (docs/theorems.md, "How a relation is decided"). Every reference value v is correctly
 * rounded to `digits` significant digits: |ṽ − v| ≤ ½·10^(1−digits)·|v|. An expression that
 * combines k reference values v_1 … v_k by sums and differences (our own arithmetic runs in ctx.D,
 * with GUARD_DIGITS more digits, and the fixed-point logarithms, error < 10^-(digits+GUARD), so it
 * adds at most ~k·10^(1−digits−GUARD)·M) is therefore off by at most
 *     e ≤ k·½·10^(1−digits)·M·(1 + 2·10^-GUARD),   M = max |v_j|   (the expression's magnitude).
 * A relation lhs ~ rhs compares two such expressions; its error is e_lhs + e_rhs. We accept
 *     tol = 10^(3−digits)·(1 + M_lhs + M_rhs),      M ≥ |value| ({@link magnitudeOf}),
 * which covers e_lhs + e_rhs for k ≤ 200 combined values of any magnitude, cancellation included
 * (M is recorded by {@link xsum}). The absolute floor 10^(3−digits) absorbs values near 0. A relation
 * false by more than the tolerance is always caught — 10^-20 at 40 digits is caught by 17 orders of
 * magnitude — and one false by less is beyond what `digits` can decide (raise --digits).
 *
 * ±∞ are compared exactly (∞ = ∞ holds, ∞ ≥ finite holds, −∞ ≤ anything holds); NaN is an EngineError.
 */
export function tolerance(lhs: Decimal, rhs: Decimal, digits: number): Decimal {
  const D = engineContext(digits).D;
  const scale = new D(1).plus(magnitudeOf(lhs)).plus(magnitudeOf(rhs));
  return scale.times(new D(10).pow(TOLERANCE_SLACK_DIGITS - digits));
}

export interface Comparison {
  holds: boolean;
  /** lhs − rhs (null when a side is infinite). */
  difference: Decimal | null;
  /** The tolerance used (null for exact comparisons with ±∞). */
  tolerance: Decimal | null;
}

/**
 * Decides `lhs relation rhs` in the extended reals, up to {@link tolerance}:
 *   =  |lhs − rhs| ≤ tol;   ≤  lhs − rhs ≤ tol;   ≥  lhs − rhs ≥ −tol;
 *   <  lhs − rhs < −tol (strictly less, beyond what rounding could explain);   >  lhs − rhs > tol.
 * With ±∞ on either side the comparison is exact.
 */
export function compare(lhs: Decimal, relation: Relation, rhs: Decimal, digits: number): Comparison {
  if (lhs.isNaN() || rhs.isNaN()) throw new EngineError(`compare: NaN (${lhs.toString()} ${relation} ${rhs.toString()})`);
  if (!lhs.isFinite() || !rhs.isFinite()) {
    const holds =
      relation === '=' ? lhs.eq(rhs)
        : relation === '<=' ? lhs.lte(rhs)
          : relation === '>=' ? lhs.gte(rhs)
            : relation === '<' ? lhs.lt(rhs)
              : lhs.gt(rhs);
    return { holds, difference: null, tolerance: null };
  }
  const D = engineContext(digits).D;
  const d = new D(lhs).minus(new D(rhs));
  const tol = tolerance(lhs, rhs, digits);
  const holds =
    relation === '=' ? d.abs().lte(tol)
      : relation === '<=' ? d.lte(tol)
        : relation === '>=' ? d.gte(tol.neg())
          : relation === '<' ? d.lt(tol.neg())
            : d.gt(tol);
  return { holds, difference: d, tolerance: tol };
}

// -------------------------------------------------------------------------------------------------
// Arithmetic helpers for theorem modules (extended reals, exact inputs)

/** Bits of the fixed-point logarithms: enough for ctx.D's precision. */
function lnBits(ctx: Ctx): number {
  return Math.ceil((ctx.D.precision + 4) * 3.3219280948873623) + 8;
}

/** The exact value of a double in ctx.D (exact, whatever the precision). */
export function dec(x: number, ctx: Ctx): Decimal {
  return toDecimal(x, ctx.D);
}

/**
 * ln x for a double x ≥ 0, exact input, at ctx.D's precision (fixed-point, error < 10^-(digits+GUARD)).
 * | x = 0 | −∞ |   | x < 0, NaN, ∞ | EngineError (no real logarithm) |
 */
export function lnOf(x: number, ctx: Ctx): Decimal {
  if (x === 0) return new ctx.D(-Infinity);
  if (!(x > 0) || !Number.isFinite(x)) throw new EngineError(`ln(${x}): no real logarithm`);
  const F = lnBits(ctx);
  return dyadicToDecimal(lnDoubleFixed(x, F), -F, ctx.D).toSignificantDigits(ctx.D.precision);
}

/** The exact sum of doubles, as a dyadic (no rounding). */
export function exactSumDy(v: readonly number[]): Dy {
  let s: Dy = DY_ZERO;
  for (const x of v) {
    if (!Number.isFinite(x)) throw new EngineError(`exact sum: ${x} is not finite`);
    if (x !== 0) s = dyAdd(s, dyOf(x));
  }
  return s;
}

/** The exact sum of doubles as a Decimal (exact). */
export function exactSum(v: readonly number[], ctx: Ctx): Decimal {
  const s = exactSumDy(v);
  return dyadicToDecimal(s.m, s.e, ctx.D);
}

/** Whether the entries sum to exactly `target` (an integer, default 1), as real numbers. */
export function sumsExactlyTo(v: readonly number[], target = 1): boolean {
  if (!v.every((x) => Number.isFinite(x))) return false;
  const s = exactSumDy(v);
  const t = BigInt(target);
  if (s.e >= 0) return s.m << BigInt(s.e) === t;
  return s.m === t << BigInt(-s.e);
}

/** ln of an exact sum of doubles (a dyadic m·2^e): −∞ for 0, EngineError below 0. */
export function lnExactSum(v: readonly number[], ctx: Ctx): Decimal {
  const s = exactSumDy(v);
  if (s.m === 0n) return new ctx.D(-Infinity);
  if (s.m < 0n) throw new EngineError(`ln of the negative sum ${dyadicToDecimal(s.m, s.e, ctx.D).toString()}`);
  const F = lnBits(ctx);
  return dyadicToDecimal(lnFixed(s.m, s.e, F), -F, ctx.D).toSignificantDigits(ctx.D.precision);
}

/** ln of a Decimal x ≥ 0 (x = c·10^k: ln c + k·ln 10, fixed-point): −∞ for 0, +∞ for +∞. */
export function lnDecimal(x: Decimal, ctx: Ctx): Decimal {
  if (x.isNaN() || x.isNegative() && !x.isZero()) throw new EngineError(`ln(${x.toString()}): no real logarithm`);
  if (x.isZero()) return new ctx.D(-Infinity);
  if (!x.isFinite()) return new ctx.D(Infinity);
  const [mant, expo] = x.toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const c = BigInt(digits);
  const k = Number(expo) - (digits.length - 1);
  const F = lnBits(ctx);
  const lnC = dyadicToDecimal(lnFixed(c, 0, F), -F, ctx.D);
  const G = F + 64;
  const ln10 = dyadicToDecimal(lnFixed(10n, 0, G), -G, ctx.D);
  return lnC.plus(ln10.times(k)).toSignificantDigits(ctx.D.precision);
}

/** ln of an exact rational num/den ≥ 0 (fixed-point ln num − ln den): −∞ for 0, EngineError below 0. */
export function lnRational(r: Rat, ctx: Ctx): Decimal {
  let { num, den } = r;
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (den === 0n) throw new EngineError('ln of a rational with denominator 0');
  if (num === 0n) return new ctx.D(-Infinity);
  if (num < 0n) throw new EngineError('ln of a negative rational: no real logarithm');
  const F = lnBits(ctx);
  return dyadicToDecimal(lnFixed(num, 0, F) - lnFixed(den, 0, F), -F, ctx.D).toSignificantDigits(ctx.D.precision);
}

/**
 * Sum of extended reals; ∞ − ∞ is an EngineError (undefined). The result remembers the largest
 * magnitude it combined ({@link magnitudeOf}), which widens the tolerance of relations on it.
 */
export function xsum(values: readonly Decimal[], ctx: Ctx): Decimal {
  let acc = new ctx.D(0);
  let mag = new ctx.D(0);
  for (const v of values) {
    acc = acc.plus(v);
    if (acc.isNaN()) throw new EngineError('∞ − ∞ in a sum: undefined');
    const m = magnitudeOf(v);
    if (m.gt(mag)) mag = new ctx.D(m);
  }
  if (acc.isFinite() && mag.gt(acc.abs())) MAGNITUDE.set(acc, mag);
  return acc;
}

/** −v, keeping v's recorded magnitude ({@link magnitudeOf}). */
export function xneg(v: Decimal): Decimal {
  const r = v.neg();
  const m = MAGNITUDE.get(v);
  if (m !== undefined && r.isFinite()) MAGNITUDE.set(r, m);
  return r;
}

/** An expression with its text. */
export function expr<I>(text: string, value: (instance: I, ctx: Ctx) => Decimal): Expr<I> {
  return { text, value };
}

/** A constant expression (`0`, `−log 1`). */
export function constant<I>(text: string, v: number | string): Expr<I> {
  return { text, value: (_i, ctx) => new ctx.D(v) };
}

/** An Iverson bracket [condition]: 1 when it holds, 0 otherwise (exact). For "iff" and "⇒" statements. */
export function indicator<I>(text: string, condition: (instance: I, ctx: Ctx) => boolean): Expr<I> {
  return { text, value: (i, ctx) => new ctx.D(condition(i, ctx) ? 1 : 0) };
}

/** A vector as a person reads it: `[0.5, 0.25, 0.25]`, ±Infinity spelled out, long vectors cut after `max` entries. */
export function formatVector(v: readonly number[], max = 8): string {
  const shown = v.slice(0, max).map((x) => (Object.is(x, -0) ? '-0' : String(x)));
  return `[${shown.join(', ')}${v.length > max ? `, … (${v.length} entries)` : ''}]`;
}

type CandidateFns = Readonly<Record<string, (...a: never[]) => unknown>>;

/** Calls a candidate's function on copies of the arguments; the result must be a number (NaN included). */
export function callNumber(candidate: CandidateFns, fn: string, ...args: unknown[]): number {
  const f = candidate[fn] as ((...a: unknown[]) => unknown) | undefined;
  if (typeof f !== 'function') throw new TypeError(`the candidate has no function '${fn}'`);
  const v = f(...args.map((a) => (Array.isArray(a) ? a.slice() : a)));
  if (typeof v !== 'number') throw new TypeError(`${fn} returned ${typeof v}, expected a number`);
  return v;
}

/** Calls a candidate's vector-valued function (posterior, negEntropyGradient); the result must be an array of numbers. */
export function callVector(candidate: CandidateFns, fn: string, ...args: unknown[]): number[] {
  const f = candidate[fn] as ((...a: unknown[]) => unknown) | undefined;
  if (typeof f !== 'function') throw new TypeError(`the candidate has no function '${fn}'`);
  const v = f(...args.map((a) => (Array.isArray(a) ? a.slice() : a)));
  const arr = ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v;
  if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'number')) throw new TypeError(`${fn} returned ${typeof v}, expected an array of numbers`);
  return arr as number[];
}

/** The allowed float64 error of one contract function value under the accuracy model (standard, or strict where it applies). */
export function allowedError(fn: string, args: readonly unknown[], exact: Decimal, mode: Mode = 'standard', index?: number): number {
  if (!exact.isFinite()) return 0;
  if (mode === 'strict' && strictApplies(fn, args, exact)) return (STRICT_ULPS[fn] ?? 4) * ulpOf(exact);
  return standardBound(fn, args, 'float64', index);
}

// -------------------------------------------------------------------------------------------------
// Evaluation of one instance

const SYMBOL: Readonly<Record<Relation, string>> = { '=': '=', '<=': '≤', '>=': '≥', '<': '<', '>': '>' };

/** The relation as a person writes it (≤, ≥). */
export function relationSymbol(r: Relation): string {
  return SYMBOL[r];
}

export interface ValueReport {
  text: string;
  /** The value rounded to `digits` significant digits ("Infinity", "-Infinity" for ±∞). */
  value: string;
}

export interface RelationReport {
  kind: 'statement' | 'step';
  /** 1-based position among the statements / steps. */
  index: number;
  /** The step id, or `statement-<index>`. */
  id: string;
  /** The statement text, or `lhs rel rhs` for a step. */
  text: string;
  lhs: ValueReport;
  relation: Relation;
  rhs: ValueReport;
  holds: boolean;
  /** lhs − rhs rounded to `digits` (null when a side is infinite). */
  difference: string | null;
  /** The tolerance used (null for exact comparisons with ±∞). */
  tolerance: string | null;
  justification?: string;
  uses?: string[];
}

export interface HypothesisReport {
  id: string;
  text: string;
  holds: boolean;
}

export interface InstanceReport {
  /** th.toJSON(instance): plain numbers (±Infinity as numbers). */
  instance: unknown;
  description: string;
  hypotheses: HypothesisReport[];
  statements: RelationReport[];
  steps: RelationReport[];
}

function show(v: Decimal, digits: number): string {
  if (!v.isFinite()) return v.toString();
  return v.toSignificantDigits(digits).toString();
}

function evaluateExpr<I>(th: Theorem<I>, e: Expr<I>, instance: I, ctx: Ctx): Decimal {
  let v: Decimal;
  try {
    v = e.value(instance, ctx);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new EngineError(`${th.id}: '${e.text}' cannot be evaluated on ${th.describe(instance)}: ${msg}`);
  }
  if (!Decimal.isDecimal(v) || v.isNaN()) {
    throw new EngineError(`${th.id}: '${e.text}' is NaN on ${th.describe(instance)}`);
  }
  return v;
}

function evaluateRelation<I>(
  th: Theorem<I>,
  kind: 'statement' | 'step',
  index: number,
  r: Statement<I> | Step<I>,
  instance: I,
  ctx: Ctx,
): RelationReport {
  const lhs = evaluateExpr(th, r.lhs, instance, ctx);
  const rhs = evaluateExpr(th, r.rhs, instance, ctx);
  const c = compare(lhs, r.relation, rhs, ctx.digits);
  const isStep = kind === 'step';
  const step = r as Step<I>;
  return {
    kind,
    index,
    id: isStep ? step.id : `statement-${index}`,
    text: isStep ? `${r.lhs.text} ${SYMBOL[r.relation]} ${r.rhs.text}` : (r as Statement<I>).text,
    lhs: { text: r.lhs.text, value: show(lhs, ctx.digits) },
    relation: r.relation,
    rhs: { text: r.rhs.text, value: show(rhs, ctx.digits) },
    holds: c.holds,
    difference: c.difference ? show(c.difference, ctx.digits) : null,
    tolerance: c.tolerance ? c.tolerance.toSignificantDigits(3).toString() : null,
    ...(isStep ? { justification: step.justification, uses: [...step.uses] } : {}),
  };
}

function hypothesisHolds<I>(th: Theorem<I>, h: Hypothesis<I>, instance: I): boolean {
  try {
    return h.holds(instance);
  } catch (err) {
    throw new EngineError(`${th.id}: hypothesis '${h.id}' cannot be decided on ${th.describe(instance)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Evaluates every hypothesis, statement and proof step of `th` on one instance (steps in order). */
export function evaluateInstance<I>(th: Theorem<I>, instance: I, digits: number): InstanceReport {
  const ctx = engineContext(digits);
  return {
    instance: th.toJSON(instance),
    description: th.describe(instance),
    hypotheses: th.hypotheses.map((h) => ({ id: h.id, text: h.text, holds: hypothesisHolds(th, h, instance) })),
    statements: th.statements.map((s, i) => evaluateRelation(th, 'statement', i + 1, s, instance, ctx)),
    steps: th.proof.map((s, i) => evaluateRelation(th, 'step', i + 1, s, instance, ctx)),
  };
}

/** Do all statements hold? (Stops at the first that fails.) */
function statementsHold<I>(th: Theorem<I>, instance: I, ctx: Ctx): boolean {
  for (let i = 0; i < th.statements.length; i++) {
    if (!evaluateRelation(th, 'statement', i + 1, th.statements[i]!, instance, ctx).holds) return false;
  }
  return true;
}

function stepsHold<I>(th: Theorem<I>, instance: I, ctx: Ctx): boolean {
  for (let i = 0; i < th.proof.length; i++) {
    if (!evaluateRelation(th, 'step', i + 1, th.proof[i]!, instance, ctx).holds) return false;
  }
  return true;
}

/**
 * Runs fc.check and rethrows engine faults: when the shrunk counterexample makes the predicate THROW
 * (rather than return false), that error is a bug of the theorem definition, not a counterexample.
 */
function runCheck<I>(arb: fc.Arbitrary<I>, predicate: (i: I) => boolean, seed: number, runs: number): fc.RunDetails<[I]> {
  const details = fc.check(fc.property(arb, predicate), { seed, numRuns: runs });
  if (details.failed) {
    if (details.counterexample === null) {
      const e: unknown = details.errorInstance;
      throw e instanceof Error ? e : new Error(String(e));
    }
    predicate(details.counterexample[0]); // throws again if it threw
  }
  return details;
}

// -------------------------------------------------------------------------------------------------
// checkTheorem

export interface CheckOptions {
  seed: number;
  /** Instances drawn. */
  runs: number;
  /** Significant digits of the reference values. */
  digits: number;
}

export interface Failure {
  /** What failed first on the shrunk instance: a hypothesis (the instances are wrong), a statement or a step. */
  kind: 'hypothesis' | 'statement' | 'step';
  /** The hypothesis id, the statement text or the step id. */
  name: string;
  /** The failing relation's values (null for a hypothesis). */
  relation: RelationReport | null;
  counterexample: InstanceReport;
  shrinks: number;
}

export interface Witness {
  statement: string;
  /** The shrunk instance on which the statement fails. */
  witness: InstanceReport | null;
  relation: RelationReport | null;
  shrinks: number;
}

export interface TheoremCheck {
  theorem: string;
  kind: Theorem['kind'];
  seed: number;
  runs: number;
  digits: number;
  ok: boolean;
  /** For 'theorem': the shrunk failing instance. For 'false-in-general': a failing hypothesis or step. */
  failure: Failure | null;
  /** For 'false-in-general': one shrunk witness per statement (null when none was found). */
  witnesses: Witness[];
  message: string;
}

function firstFailure<I>(th: Theorem<I>, instance: I, digits: number, shrinks: number, includeStatements: boolean): Failure {
  const report = evaluateInstance(th, instance, digits);
  const h = report.hypotheses.find((x) => !x.holds);
  if (h) return { kind: 'hypothesis', name: h.id, relation: null, counterexample: report, shrinks };
  const s = includeStatements ? report.statements.find((x) => !x.holds) : undefined;
  if (s) return { kind: 'statement', name: s.text, relation: s, counterexample: report, shrinks };
  const st = report.steps.find((x) => !x.holds);
  if (st) return { kind: 'step', name: st.id, relation: st, counterexample: report, shrinks };
  throw new EngineError(`${th.id}: the shrunk instance ${report.description} failed, but passes on re-evaluation`);
}

/**
 * Checks a theorem in arbitrary precision on `runs` instances: every hypothesis holds (a sanity check
 * of the instances), every statement holds and every proof step holds. A failure is shrunk by
 * fast-check and reported with the first failing hypothesis / statement / step.
 *
 * For kind 'false-in-general': hypotheses and proof steps (facts) must hold on every instance, and
 * each statement must FAIL somewhere: the shrunk witness is reported.
 */
export function checkTheorem<I>(th: Theorem<I>, opts: CheckOptions): TheoremCheck {
  const ctx = engineContext(opts.digits);
  const base = { theorem: th.id, kind: th.kind, seed: opts.seed, runs: opts.runs, digits: opts.digits };
  const withStatements = th.kind === 'theorem';
  const details = runCheck(th.instances, (inst) => {
    for (const h of th.hypotheses) if (!hypothesisHolds(th, h, inst)) return false;
    return (!withStatements || statementsHold(th, inst, ctx)) && stepsHold(th, inst, ctx);
  }, opts.seed, opts.runs);
  const failure = details.failed ? firstFailure(th, details.counterexample![0], opts.digits, details.numShrinks, withStatements) : null;
  if (th.kind === 'theorem') {
    return {
      ...base, ok: failure === null, failure, witnesses: [],
      message: failure === null
        ? `${th.id}: every statement and every proof step holds on ${opts.runs} instances (seed ${opts.seed}, ${opts.digits} digits)`
        : `${th.id}: ${failure.kind} '${failure.name}' fails on ${failure.counterexample.description}`,
    };
  }
  const witnesses: Witness[] = th.statements.map((s, i) => {
    const d = runCheck(th.instances, (inst) => evaluateRelation(th, 'statement', i + 1, s, inst, ctx).holds, opts.seed, opts.runs);
    if (!d.failed) return { statement: s.text, witness: null, relation: null, shrinks: 0 };
    const report = evaluateInstance(th, d.counterexample![0], opts.digits);
    return { statement: s.text, witness: report, relation: report.statements[i]!, shrinks: d.numShrinks };
  });
  const missing = witnesses.filter((w) => w.witness === null);
  const ok = failure === null && missing.length === 0;
  return {
    ...base, ok, failure, witnesses,
    message: failure !== null
      ? `${th.id}: ${failure.kind} '${failure.name}' fails on ${failure.counterexample.description}`
      : missing.length > 0
        ? `${th.id}: no witness found in ${opts.runs} instances for: ${missing.map((w) => w.statement).join('; ')}`
        : `${th.id}: false in general — a witness for each statement (seed ${opts.seed}, ${opts.digits} digits)`,
  };
}

// -------------------------------------------------------------------------------------------------
// explainTheorem

export interface ExplainOptions {
  seed: number;
  digits: number;
}

export interface ExplainReport extends InstanceReport {
  theorem: string;
  title: string;
  source: string;
  kind: Theorem['kind'];
  seed: number;
  digits: number;
  /** Statement texts and hypotheses of the theorem (independent of the instance). */
  statementTexts: string[];
  functions: string[];
}

/** How many draws explain looks at for a small readable instance. */
export const EXPLAIN_DRAWS = 20;
/** An instance is "small" when its JSON has at most this many characters. */
export const EXPLAIN_MAX_JSON = 160;

/**
 * A small readable instance at `seed`: among the first EXPLAIN_DRAWS draws of `arb` (as fc.sample
 * draws them at that seed), the small ones (JSON ≤ EXPLAIN_MAX_JSON characters) are preferred, and
 * among those the first where the first statement's left side is finite and nonzero and, for an
 * inequality, strict (so that the example shows something: not KL(p‖p) = 0, not +∞ ≥ 0); else the
 * first small draw; else the shortest.
 */
export function pickInstance<I>(th: Theorem<I>, arb: fc.Arbitrary<I>, seed: number, digits = 20): I {
  const draws = fc.sample(arb, { seed, numRuns: EXPLAIN_DRAWS });
  const len = (x: I) => JSON.stringify(th.toJSON(x), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)).length;
  const small = draws.filter((x) => len(x) <= EXPLAIN_MAX_JSON);
  const ctx = engineContext(digits);
  const first = th.statements[0];
  const interesting = first === undefined ? undefined : small.find((x) => {
    try {
      const v = first.lhs.value(x, ctx);
      if (!v.isFinite() || v.isZero()) return false;
      if (first.relation === '=') return true;
      const w = first.rhs.value(x, ctx);
      return !compare(v, '=', w, digits).holds; // an inequality shown strict
    } catch {
      return false;
    }
  });
  if (interesting !== undefined) return interesting;
  if (small.length > 0) return small[0]!;
  return draws.reduce((a, b) => (len(b) < len(a) ? b : a));
}

/** One instance of the theorem (small and readable, deterministic in `seed`), with every statement and step evaluated. */
export function explainTheorem<I>(th: Theorem<I>, opts: ExplainOptions): ExplainReport {
  const instance = pickInstance(th, th.instances, opts.seed, opts.digits);
  return {
    theorem: th.id, title: th.title, source: th.source, kind: th.kind, seed: opts.seed, digits: opts.digits,
    statementTexts: th.statements.map((s) => s.text), functions: [...th.functions],
    ...evaluateInstance(th, instance, opts.digits),
  };
}

// -------------------------------------------------------------------------------------------------
// ablate

export interface AblationReport {
  theorem: string;
  dropped: string;
  /** The dropped hypothesis' text. */
  hypothesis: string;
  seed: number;
  runs: number;
  digits: number;
  /** Whether instances were searched (false when the theorem states why no counterexample exists). */
  searched: boolean;
  /** The shrunk counterexample: instance, description, every hypothesis / statement / step evaluated. Null when none exists or none was found. */
  counterexample: InstanceReport | null;
  /** The first statement that fails on the counterexample, with its values. */
  statement: RelationReport | null;
  /** The first proof step (in order) that fails on the counterexample. */
  failingStep: RelationReport | null;
  /** Why the statement fails and where the proof breaks — or why no counterexample exists. */
  reason: string;
  shrinks: number;
}

export interface AblateOptions {
  seed: number;
  runs: number;
  digits: number;
}

/** The ablation of one hypothesis (UnknownNameError for an unknown id; EngineError when the theorem has none for it). */
export function findAblation<I>(th: Theorem<I>, hypothesisId: string): Ablation<I> {
  if (!th.hypotheses.some((h) => h.id === hypothesisId)) {
    throw new UnknownNameError('hypothesis', hypothesisId, th.hypotheses.map((h) => h.id), ` of theorem '${th.id}'`);
  }
  const found = th.ablations.filter((a) => a.hypothesis === hypothesisId);
  if (found.length !== 1) throw new EngineError(`${th.id}: ${found.length} ablations for hypothesis '${hypothesisId}' (expected exactly 1)`);
  const a = found[0]!;
  if ((a.arbitrary === undefined) === (a.noCounterexample === undefined)) {
    throw new EngineError(`${th.id}: the ablation of '${hypothesisId}' needs exactly one of arbitrary / noCounterexample`);
  }
  return a;
}

/**
 * Drops one hypothesis: searches instances that violate it and satisfy the others (the ablation's
 * arbitrary; every draw is checked to be such an instance, else EngineError), lets fast-check shrink
 * the first on which a statement fails, and reports the counterexample, the failing statement's
 * values and the FIRST proof step that fails on it (steps in order). Where the theorem states that no
 * counterexample exists, returns counterexample null with that reason.
 */
export function ablate<I>(th: Theorem<I>, hypothesisId: string, opts: AblateOptions): AblationReport {
  const ablation = findAblation(th, hypothesisId);
  const hyp = th.hypotheses.find((h) => h.id === hypothesisId)!;
  const base = {
    theorem: th.id, dropped: hypothesisId, hypothesis: hyp.text, seed: opts.seed, runs: opts.runs, digits: opts.digits,
  };
  if (ablation.noCounterexample !== undefined) {
    return { ...base, searched: false, counterexample: null, statement: null, failingStep: null, reason: ablation.noCounterexample, shrinks: 0 };
  }
  const ctx = engineContext(opts.digits);
  const others = th.hypotheses.filter((h) => h.id !== hypothesisId);
  const details = runCheck(ablation.arbitrary!, (inst) => {
    if (hypothesisHolds(th, hyp, inst)) {
      throw new EngineError(`${th.id}: the ablation arbitrary of '${hypothesisId}' drew ${th.describe(inst)}, which satisfies '${hypothesisId}'`);
    }
    for (const h of others) {
      if (!hypothesisHolds(th, h, inst)) {
        throw new EngineError(`${th.id}: the ablation arbitrary of '${hypothesisId}' drew ${th.describe(inst)}, which violates '${h.id}' too`);
      }
    }
    return statementsHold(th, inst, ctx);
  }, opts.seed, opts.runs);
  if (!details.failed) {
    return {
      ...base, searched: true, counterexample: null, statement: null, failingStep: null, shrinks: 0,
      reason: `no counterexample found in ${opts.runs} instances violating '${hypothesisId}' (seed ${opts.seed}, ${opts.digits} digits)`,
    };
  }
  const report = evaluateInstance(th, details.counterexample![0], opts.digits);
  const statement = report.statements.find((s) => !s.holds) ?? null;
  const failingStep = report.steps.find((s) => !s.holds) ?? null;
  if (statement === null) throw new EngineError(`${th.id}: the shrunk counterexample ${report.description} passes on re-evaluation`);
  const why = failingStep === null
    ? 'every proof step still holds on it (the failing statement is not the conclusion of the proof chain)'
    : `the proof breaks at step ${failingStep.index} '${failingStep.id}': ${failingStep.lhs.text} ${SYMBOL[failingStep.relation]} ${failingStep.rhs.text} `
      + `is ${failingStep.lhs.value} ${SYMBOL[failingStep.relation]} ${failingStep.rhs.value}, false`
      + (failingStep.uses && failingStep.uses.length > 0 ? ` (the step uses ${failingStep.uses.join(', ')})` : '');
  return {
    ...base, searched: true, counterexample: report, statement, failingStep, shrinks: details.numShrinks,
    reason: `without '${hypothesisId}', '${statement.text}' fails on ${report.description} (${statement.lhs.value} ${SYMBOL[statement.relation]} ${statement.rhs.value} is false); ${why}`,
  };
}

// -------------------------------------------------------------------------------------------------
// checkFloat64

export interface Float64Options {
  seed: number;
  runs: number;
  mode: Mode;
}

export interface Float64Note {
  instance: unknown;
  description: string;
  note: string;
}

export interface Float64Report {
  theorem: string;
  seed: number;
  runs: number;
  mode: Mode;
  functions: string[];
  status: 'passed' | 'failed' | 'skipped';
  /** The shrunk failing instance and the check's message. */
  failure: { instance: unknown; description: string; message: string; shrinks: number } | null;
  /** How many drawn instances produced a note, and the first few (notes are reports, not failures). */
  noteCount: number;
  notes: Float64Note[];
  message: string;
}

/** How many notes a float64 report keeps (all are counted). */
export const MAX_NOTES = 5;

/**
 * Evaluates the theorem's float64 check with a candidate's functions on `runs` instances (the check's
 * own instances, else the theorem's). A failure is shrunk; notes are collected from the drawn
 * instances (not from shrinking) and do not fail the check. A candidate that throws fails.
 */
export function checkFloat64<I>(
  th: Theorem<I>,
  candidate: Readonly<Record<string, ((...a: never[]) => unknown) | undefined>>,
  opts: Float64Options,
): Float64Report {
  const base = { theorem: th.id, seed: opts.seed, runs: opts.runs, mode: opts.mode };
  const check = th.float64;
  if (!check) {
    return { ...base, functions: [], status: 'skipped', failure: null, noteCount: 0, notes: [], message: `${th.id}: no float64 check` };
  }
  const functions = [...check.functions];
  const missing = functions.filter((f) => typeof candidate[f] !== 'function');
  if (missing.length > 0) {
    return { ...base, functions, status: 'skipped', failure: null, noteCount: 0, notes: [], message: `${th.id}: the candidate lacks ${missing.join(', ')}` };
  }
  const cand = candidate as Readonly<Record<string, (...a: never[]) => unknown>>;
  const notes: Float64Note[] = [];
  let noteCount = 0;
  let shrinking = false;
  const run = (inst: I) => {
    try {
      return check.check(inst, cand, { mode: opts.mode });
    } catch (e) {
      return { ok: false, message: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
    }
  };
  const details = fc.check(fc.property(check.instances ?? th.instances, (inst) => {
    const r = run(inst);
    if (!shrinking && r.note !== undefined) {
      noteCount++;
      if (notes.length < MAX_NOTES) notes.push({ instance: th.toJSON(inst), description: th.describe(inst), note: r.note });
    }
    if (!r.ok) shrinking = true;
    return r.ok;
  }), { seed: opts.seed, numRuns: opts.runs });
  if (details.failed && details.counterexample === null) {
    const e: unknown = details.errorInstance;
    throw e instanceof Error ? e : new Error(String(e));
  }
  let failure: Float64Report['failure'] = null;
  if (details.failed) {
    const inst = details.counterexample![0];
    const r = run(inst);
    failure = { instance: th.toJSON(inst), description: th.describe(inst), message: r.message ?? 'failed', shrinks: details.numShrinks };
  }
  return {
    ...base, functions, status: failure ? 'failed' : 'passed', failure, noteCount, notes,
    message: failure
      ? `${th.id} (float64, ${opts.mode}): fails on ${failure.description}: ${failure.message}`
      : `${th.id} (float64, ${opts.mode}): holds on ${opts.runs} instances${noteCount > 0 ? `; ${noteCount} note(s)` : ''}`,
  };
}
