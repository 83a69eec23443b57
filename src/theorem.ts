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
import type Decimal from 'decimal.js';
import type fc from 'fast-check';

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
  check(instance: I, candidate: Readonly<Record<string, (...a: never[]) => unknown>>): { ok: boolean; message?: string; note?: string };
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
