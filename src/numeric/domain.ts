/**
 * The domain of each contract function: is a call inside what a candidate may be called with? The
 * domains are the contract table's (src/contract.ts); the harness checks every call a theorem or a
 * diagnosis makes against them (src/harness/theorems.ts, src/harness/diagnose.ts).
 *
 * The reference (src/reference) accepts more: kl, entropy, crossEntropy … of any finite nonnegative
 * vectors, by the formula as written. A candidate promises only what the contract says —
 * `kl(p, q)` of two distributions — and a correct one may use that promise: generalised terms
 * Σ p·log(p/q) − p + q, normalising its inputs first, clamping a −1e-17 result to 0. All of these
 * agree with Σ p·log(p/q) on distributions and differ from it elsewhere (p = [1], q = [2]), so a
 * check that calls a candidate outside its domain can fail a correct implementation. Every check
 * calls inside it; a theorem that needs Σ a·log(a/b) of arbitrary nonnegative vectors builds it from
 * calls on distributions (properties/_shared/masses.ts).
 *
 * The kinds of argument (`distribution`, `nonnegative`, `logJoint`, …) and each function's
 * parameters are the contract table's (src/contract.ts); this file checks them.
 *
 * Why γ_{n+1} (docs/contract.md, "Domains"): normalising w ≥ 0 in float64 the ordinary way,
 * x_i = fl(w_i / S) with S = fl(Σ w) by recursive summation (|S − W| ≤ γ_{n−1}·W) or any more accurate
 * sum, gives Σx = (1 + Σ (w_i/W)θ_i)/(1 + σ) with |θ_i| ≤ u, |σ| ≤ γ_{n−1}, hence
 * |Σx − 1| ≤ (γ_{n−1} + u)/(1 − γ_{n−1}) = (nu − (n−1)u²)/(1 − 2(n−1)u) ≤ γ_{n+1} (for n ≤ 2^26). Exactly
 * normalised vectors (dyadic k_i/2^m) have s = 1. The generators' float-normalised vectors stay
 * within 1.5u (measured); the standard kl bound's γ_{n+2}·(Σp + Σq) slack covers the
 * |Σq − Σp| ≤ 2γ_{n+1} by which generalised terms or normalising first may move a result.
 *
 * Pure: imports only the contract table and src/numeric.
 */
import { ArgKind, CONTRACT, ContractEntry, ParamDomain } from '../contract';
import { gamma, PRECISION, sumDeviation } from './accuracy';

export type { ArgKind, ParamDomain };

export interface FunctionDomain {
  /** The parameters in order, each with its kind. */
  readonly params: readonly ParamDomain[];
  /** Vector parameters that must have equal lengths (all of them, for these functions). */
  readonly sameLength: readonly string[];
  /** A further condition on the whole argument list (null when it holds), with its text. */
  readonly extra?: ContractEntry['extra'];
  /** The domain as a sentence (docs/contract.md repeats these). */
  readonly text: string;
}

export type DomainVerdict = { ok: true } | { ok: false; reason: string };

/** The documented domain of every contract function (the contract table's, src/contract.ts). */
export const CONTRACT_DOMAINS: Readonly<Record<string, FunctionDomain>> = Object.fromEntries(
  Object.entries(CONTRACT).map(([fn, e]: [string, ContractEntry]) => [fn, { params: e.params, sameLength: e.sameLength, ...(e.extra ? { extra: e.extra } : {}), text: e.domain }]),
);

/** The slack of the `distribution` kind: |Σ − 1| ≤ γ_{n+1}(u) for a vector of length n. */
export function distributionSlack(n: number, precision: 'float64' | 'float32' = 'float64'): number {
  return gamma(n + 1, PRECISION[precision].u);
}

export { sumDeviation };

function vectorProblem(name: string, v: unknown, kind: ArgKind, precision: 'float64' | 'float32'): string | null {
  if (!Array.isArray(v)) return `'${name}' is not an array`;
  if (v.length === 0) return `'${name}' is empty`;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number') return `'${name}'[${i}] is not a number`;
    if (Number.isNaN(x)) return `'${name}'[${i}] is NaN`;
    switch (kind) {
      case 'distribution':
      case 'nonnegative':
        if (!Number.isFinite(x)) return `'${name}'[${i}] = ${x} is not finite`;
        if (x < 0) return `'${name}'[${i}] = ${x} is negative`;
        break;
      case 'logJoint':
        if (x === Infinity) return `'${name}'[${i}] is +∞`;
        break;
      case 'finiteVector':
        if (!Number.isFinite(x)) return `'${name}'[${i}] = ${x} is not finite`;
        break;
      case 'positiveVector':
        if (!Number.isFinite(x) || !(x > 0)) return `'${name}'[${i}] = ${x} is not a finite number > 0`;
        break;
      default:
        return `'${name}' should be a number`;
    }
  }
  if (kind === 'distribution') {
    const dev = sumDeviation(v as number[]);
    const slack = distributionSlack(v.length, precision);
    if (!(dev <= slack)) return `'${name}' is not a distribution: |Σ${name} − 1| = ${dev} > γ_${v.length + 1} = ${slack}`;
  }
  return null;
}

function argProblem(p: ParamDomain, v: unknown, precision: 'float64' | 'float32'): string | null {
  switch (p.kind) {
    case 'finite':
      return typeof v === 'number' && Number.isFinite(v) ? null : `'${p.name}' = ${String(v)} is not a finite number`;
    case 'positive':
      return typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : `'${p.name}' = ${String(v)} is not a finite number > 0`;
    default:
      return vectorProblem(p.name, v, p.kind, precision);
  }
}

/** Is `v` a distribution in the sense of the contract (kind `distribution`)? */
export function isDistribution(v: readonly number[], precision: 'float64' | 'float32' = 'float64'): boolean {
  return vectorProblem('v', v, 'distribution', precision) === null;
}

/**
 * Is the call fn(...args) inside the contract's domain of fn? `{ ok: false, reason }` names the
 * argument and what is wrong (the first fault found). An unknown function is outside every domain.
 */
export function inDomain(fn: string, args: readonly unknown[], precision: 'float64' | 'float32' = 'float64'): DomainVerdict {
  const dom = CONTRACT_DOMAINS[fn];
  if (!dom) return { ok: false, reason: `'${fn}' is not a contract function` };
  if (args.length !== dom.params.length) return { ok: false, reason: `${fn} takes ${dom.params.length} arguments, got ${args.length}` };
  for (let i = 0; i < dom.params.length; i++) {
    const r = argProblem(dom.params[i]!, args[i], precision);
    if (r !== null) return { ok: false, reason: r };
  }
  if (dom.sameLength.length > 1) {
    const idx = (name: string) => dom.params.findIndex((p) => p.name === name);
    const first = dom.sameLength[0]!;
    const n = (args[idx(first)] as unknown[]).length;
    for (const name of dom.sameLength.slice(1)) {
      const m = (args[idx(name)] as unknown[]).length;
      if (m !== n) return { ok: false, reason: `'${name}' has length ${m}, '${first}' has length ${n}` };
    }
  }
  if (dom.extra) {
    const r = dom.extra.check(args);
    if (r !== null) return { ok: false, reason: r };
  }
  return { ok: true };
}
