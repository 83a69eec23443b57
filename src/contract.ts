/**
 * The contract: the one table of the functions a candidate may provide. Every list klcheck keeps
 * about them is derived from {@link CONTRACT} — the names a module or a `describe` answer is accepted
 * with, the parameters and domains the checks respect (src/numeric/domain.ts), the generator
 * classes' parameter names (src/harness/cases.ts), the invalid-input target of each function
 * (src/harness/robustness.ts), the accuracy model's constants (src/numeric/accuracy.ts: STANDARD_C,
 * STRICT_ULPS, where the strict target applies, which results are vectors), the types the kernels and
 * the reference must satisfy ({@link KernelsOf}, {@link ReferenceOf}), the function list of
 * docs/contract.md (written by scripts/docs.ts, checked by `npm test`) and the CLI's help.
 *
 * This file is the bottom of the house: it imports nothing from src/ (only a type), so every layer
 * may read it.
 *
 * | kind             | a valid argument                                                                |
 * |------------------|---------------------------------------------------------------------------------|
 * | `distribution`   | a nonempty array of finite numbers ≥ 0 (−0 counts as 0) whose exact sum s has   |
 * |                  | \|s − 1\| ≤ γ_{n+1} = (n+1)u/(1 − (n+1)u), u = 2^-53, n its length              |
 * | `nonnegative`    | a nonempty array of finite numbers ≥ 0, any sum (0 included)                     |
 * | `logJoint`       | a nonempty array of numbers, each finite or −∞ (no NaN, no +∞)                   |
 * | `finite`         | a finite number                                                                 |
 * | `positive`       | a finite number > 0                                                             |
 * | `finiteVector`   | a nonempty array of finite numbers                                              |
 * | `positiveVector` | a nonempty array of finite numbers > 0                                          |
 *
 * Why γ_{n+1}, and how the domains are checked: src/numeric/domain.ts and docs/contract.md, "Domains".
 */
import type Decimal from 'decimal.js';

export type ArgKind = 'distribution' | 'nonnegative' | 'logJoint' | 'finite' | 'positive' | 'finiteVector' | 'positiveVector';

export interface ParamDomain {
  readonly name: string;
  readonly kind: ArgKind;
}

/**
 * The call signatures invalid inputs are drawn for (src/generators/invalidInput.ts): `vector` [p],
 * `pair` [p, q], `logJoint` [logJoint], `posterior` [logJoint] (adds 'all-impossible'), `latent`
 * [logJoint, q], `gaussian` [mu1, sigma1, mu2, sigma2].
 */
export const INVALID_TARGETS = ['vector', 'pair', 'logJoint', 'posterior', 'latent', 'gaussian'] as const;
export type InvalidTarget = (typeof INVALID_TARGETS)[number];

/**
 * Where the strict target (ulps of the exact value) of our kernels is claimed:
 * `normalised` — on exactly normalised inputs (Σ = 1 exactly, e.g. k_i/2^m) with n ≤ 10^4;
 * `conditioned` — where the condition number of the final sum is ≤ 2^40 (or the value is an exact 0);
 * `everywhere` — on the whole domain.
 */
export type StrictWhere = 'normalised' | 'conditioned' | 'everywhere';

export interface ContractEntry {
  /** What it computes, in one line (docs and help). */
  readonly summary: string;
  /** The parameters in order, each with its kind. */
  readonly params: readonly ParamDomain[];
  /** Vector parameters that must have equal lengths. */
  readonly sameLength: readonly string[];
  /** A further condition on the whole argument list (null when it holds), with its text. */
  readonly extra?: { readonly text: string; readonly check: (args: readonly unknown[]) => string | null };
  /** The domain as a sentence. */
  readonly domain: string;
  /** A number, or a vector of numbers (one per category), judged per component. */
  readonly result: 'number' | 'vector';
  /** The invalid-input call signature drawn for `invalid:<fn>`; null: not checked for invalid input. */
  readonly invalidTarget: InvalidTarget | null;
  /**
   * The constant c of the standard bound: roundings (in units of u, a library log/exp counting 2u)
   * one term of the worst accepted formula suffers (docs/accuracy.md §2).
   */
  readonly standardC: number;
  /** The strict target of our kernels, in ulps of the exact value (docs/accuracy.md §3, §5; measured in §6.1), and where it applies. */
  readonly strict: { readonly ulps: number; readonly where: StrictWhere };
}

const D = <N extends string>(name: N) => ({ name, kind: 'distribution' }) as const;
const L = { name: 'logJoint', kind: 'logJoint' } as const;
const PAIR = { params: [D('p'), D('q')], sameLength: ['p', 'q'], domain: 'p, q distributions of the same length (any supports: a mismatch is +∞)' } as const;

/**
 * Every contract function, in the order the check runs them. Strict ulps: measured ≤ 0.50 for all of
 * them (analysis: kl & co ≤ 0.5 + 2^-5; logEvidence ≤ 0.5 + 2^-41·κ; elbo ≤ 0.5 + 2^-46·κ, κ ≤ 2^40).
 */
export const CONTRACT = {
  kl: {
    summary: 'KL(p‖q) = Σ p_i·log(p_i/q_i)', ...PAIR, result: 'number', invalidTarget: 'pair',
    standardC: 4, // log p − log q: 2u|ln p| + 2u|ln q| + u|L| (subtraction) + u|pL| (product)
    strict: { ulps: 4, where: 'normalised' },
  },
  crossEntropy: {
    summary: 'H(p, q) = −Σ p_i·log q_i', ...PAIR, result: 'number', invalidTarget: 'pair',
    standardC: 4, strict: { ulps: 4, where: 'normalised' },
  },
  generalizedKl: {
    summary: 'Σ p_i·log(p_i/q_i) − p_i + q_i (scipy kl_div), of unnormalised masses',
    params: [{ name: 'p', kind: 'nonnegative' }, { name: 'q', kind: 'nonnegative' }], sameLength: ['p', 'q'],
    domain: 'p, q nonnegative vectors of the same length, any sums (0 included)', result: 'number', invalidTarget: 'pair',
    standardC: 4, strict: { ulps: 4, where: 'normalised' },
  },
  entropy: {
    summary: 'H(p) = −Σ p_i·log p_i', params: [D('p')], sameLength: [], domain: 'p a distribution', result: 'number', invalidTarget: 'vector',
    standardC: 4, // p·log p: 2u|ln p| (log) + u (product), +1 for normalising first
    strict: { ulps: 4, where: 'normalised' },
  },
  negEntropy: {
    summary: 'Σ p_i·log p_i (the Bregman generator)', params: [D('p')], sameLength: [], domain: 'p a distribution', result: 'number', invalidTarget: 'vector',
    standardC: 4, strict: { ulps: 4, where: 'normalised' },
  },
  negEntropyGradient: {
    summary: 'the gradient of negEntropy at q: 1 + log q_i', params: [D('q')], sameLength: [],
    domain: 'q a distribution (a component is −∞ where q_i = 0)', result: 'vector', invalidTarget: 'vector',
    standardC: 4, // 2u|ln q| + u|1 + ln q|
    strict: { ulps: 1, where: 'everywhere' }, // including the doubles nearest 1/e
  },
  logEvidence: {
    summary: 'log Σ_z exp(logJoint_z), the log evidence', params: [L], sameLength: [],
    domain: 'logJoint: entries finite or −∞ (all −∞ gives −∞)', result: 'number', invalidTarget: 'logJoint',
    standardC: 4, strict: { ulps: 2, where: 'conditioned' },
  },
  posterior: {
    summary: 'exp(logJoint_z − logEvidence), the posterior', params: [L], sameLength: [],
    extra: {
      text: 'at least one entry > −∞',
      check: (args: readonly unknown[]) => ((args[0] as readonly number[]).some((x) => x > -Infinity) ? null : "every entry of 'logJoint' is −∞ (the posterior is 0/0)"),
    },
    domain: 'logJoint: entries finite or −∞, at least one finite', result: 'vector', invalidTarget: 'posterior',
    standardC: 4, strict: { ulps: 1, where: 'everywhere' },
  },
  elbo: {
    summary: 'Σ_z q_z·(logJoint_z − log q_z), the evidence lower bound', params: [L, D('q')], sameLength: ['logJoint', 'q'],
    domain: 'logJoint: entries finite or −∞; q a distribution of the same length', result: 'number', invalidTarget: 'latent',
    standardC: 4, strict: { ulps: 1, where: 'conditioned' },
  },
  klNormal: {
    summary: 'KL(N(mu1, sigma1²)‖N(mu2, sigma2²))',
    params: [{ name: 'mu1', kind: 'finite' }, { name: 'sigma1', kind: 'positive' }, { name: 'mu2', kind: 'finite' }, { name: 'sigma2', kind: 'positive' }],
    sameLength: [], domain: 'mu1, mu2 finite; sigma1, sigma2 finite and > 0', result: 'number', invalidTarget: 'gaussian',
    standardC: 8, // ≤ 5u on the quadratic part, 4u on the logs, 2 final additions
    strict: { ulps: 1, where: 'everywhere' },
  },
  klNormalDiag: {
    summary: 'KL between diagonal Gaussians: the sum of klNormal over coordinates',
    params: [
      { name: 'mu1', kind: 'finiteVector' }, { name: 'sigma1', kind: 'positiveVector' },
      { name: 'mu2', kind: 'finiteVector' }, { name: 'sigma2', kind: 'positiveVector' },
    ],
    sameLength: ['mu1', 'sigma1', 'mu2', 'sigma2'],
    domain: 'mu1, mu2 vectors of finite numbers; sigma1, sigma2 vectors of finite numbers > 0; all of the same length',
    result: 'number', invalidTarget: null, // its vectors are parameters, not masses
    standardC: 8, strict: { ulps: 1, where: 'everywhere' },
  },
} as const satisfies Readonly<Record<string, ContractEntry>>;

export type ContractFunction = keyof typeof CONTRACT;

/** The contract's function names, in the table's order (the order the check runs them). */
export const CONTRACT_FUNCTIONS: readonly ContractFunction[] = Object.keys(CONTRACT) as ContractFunction[];

/** Is `fn` a contract function? */
export function isContractFunction(fn: string): fn is ContractFunction {
  return Object.prototype.hasOwnProperty.call(CONTRACT, fn);
}

/** The entry of `fn` as the general {@link ContractEntry} type. */
export function contractEntry(fn: ContractFunction): ContractEntry {
  return CONTRACT[fn];
}

// ------------------------------------------------------------------------------------------------
// Types derived from the table: what a float64 implementation and the reference must look like.

type Vector = readonly number[];
type ArgType<K extends ArgKind> = K extends 'finite' | 'positive' ? number : Vector;
type ArgsOf<P extends readonly ParamDomain[]> = { -readonly [I in keyof P]: P[I] extends { kind: infer K extends ArgKind } ? ArgType<K> : never };
type Entry<F extends ContractFunction> = (typeof CONTRACT)[F];

/** A float64 implementation of every contract function (our kernels satisfy it). */
export type KernelsOf = { readonly [F in ContractFunction]: (...args: ArgsOf<Entry<F>['params']>) => Entry<F>['result'] extends 'vector' ? number[] : number };

/** The reference's signature of every contract function: exact values as Decimals, at `digits` digits. */
export type ReferenceOf = {
  readonly [F in ContractFunction]: (...args: [...ArgsOf<Entry<F>['params']>, { digits?: number }?]) => Entry<F>['result'] extends 'vector' ? Decimal[] : Decimal
};

/** The signature of `fn` as text: `kl(p, q)`, `posterior(logJoint) → number[]`. */
export function signature(fn: ContractFunction): string {
  const e: ContractEntry = CONTRACT[fn];
  return `${fn}(${e.params.map((p) => p.name).join(', ')})${e.result === 'vector' ? ' → number[]' : ''}`;
}
