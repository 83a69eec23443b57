/**
 * The domain of each contract function: what a candidate may be called with. One table, read by the
 * harness (src/harness/theorems.ts checks every call a theorem makes against it) and stated in
 * docs/contract.md.
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
 * | kind           | a valid argument                                                                   |
 * |----------------|------------------------------------------------------------------------------------|
 * | `distribution` | a nonempty array of finite numbers ≥ 0 (−0 counts as 0) whose exact sum s has     |
 * |                | \|s − 1\| ≤ γ_{n+1} = (n+1)u/(1 − (n+1)u), u = 2^-53, n its length                 |
 * | `nonnegative`  | a nonempty array of finite numbers ≥ 0, any sum (0 included)                        |
 * | `logJoint`     | a nonempty array of numbers, each finite or −∞ (no NaN, no +∞)                      |
 * | `finite`       | a finite number                                                                    |
 * | `positive`     | a finite number > 0                                                                |
 * | `finiteVector` | a nonempty array of finite numbers                                                 |
 * | `positiveVector` | a nonempty array of finite numbers > 0                                           |
 *
 * Why γ_{n+1} (docs/contract.md, "Domains"): normalising w ≥ 0 in float64 the ordinary way,
 * x_i = fl(w_i / S) with S = fl(Σ w) by recursive summation (|S − W| ≤ γ_{n−1}·W) or any more accurate
 * sum, gives Σx = (1 + Σ (w_i/W)θ_i)/(1 + σ) with |θ_i| ≤ u, |σ| ≤ γ_{n−1}, hence
 * |Σx − 1| ≤ (γ_{n−1} + u)/(1 − γ_{n−1}) = (nu − (n−1)u²)/(1 − 2(n−1)u) ≤ γ_{n+1} (for n ≤ 2^26). Exactly
 * normalised vectors (dyadic k_i/2^m) have s = 1. The generators' float-normalised vectors stay
 * within 1.5u (measured); the standard kl bound's γ_{n+2}·(Σp + Σq) slack covers the
 * |Σq − Σp| ≤ 2γ_{n+1} by which generalised terms or normalising first may move a result.
 *
 * Pure: imports only from src/numeric.
 */
import { gamma, PRECISION, sumDeviation } from './numeric/accuracy';

export type ArgKind = 'distribution' | 'nonnegative' | 'logJoint' | 'finite' | 'positive' | 'finiteVector' | 'positiveVector';

export interface ParamDomain {
  readonly name: string;
  readonly kind: ArgKind;
}

export interface FunctionDomain {
  /** The parameters in order, each with its kind. */
  readonly params: readonly ParamDomain[];
  /** Vector parameters that must have equal lengths (all of them, for these functions). */
  readonly sameLength: readonly string[];
  /** A further condition on the whole argument list (null when it holds), with its text. */
  readonly extra?: { readonly text: string; readonly check: (args: readonly unknown[]) => string | null };
  /** The domain as a sentence (docs/contract.md repeats these). */
  readonly text: string;
}

export type DomainVerdict = { ok: true } | { ok: false; reason: string };

const D = (name: string): ParamDomain => ({ name, kind: 'distribution' });

/** The documented domain of every contract function. */
export const CONTRACT_DOMAINS: Readonly<Record<string, FunctionDomain>> = {
  entropy: { params: [D('p')], sameLength: [], text: 'p a distribution' },
  negEntropy: { params: [D('p')], sameLength: [], text: 'p a distribution' },
  negEntropyGradient: { params: [D('q')], sameLength: [], text: 'q a distribution (a component is −∞ where q_i = 0)' },
  kl: { params: [D('p'), D('q')], sameLength: ['p', 'q'], text: 'p, q distributions of the same length (any supports: a mismatch is +∞)' },
  crossEntropy: { params: [D('p'), D('q')], sameLength: ['p', 'q'], text: 'p, q distributions of the same length (any supports: a mismatch is +∞)' },
  generalizedKl: {
    params: [{ name: 'p', kind: 'nonnegative' }, { name: 'q', kind: 'nonnegative' }],
    sameLength: ['p', 'q'],
    text: 'p, q nonnegative vectors of the same length, any sums (0 included)',
  },
  logEvidence: { params: [{ name: 'logJoint', kind: 'logJoint' }], sameLength: [], text: 'logJoint: entries finite or −∞ (all −∞ gives −∞)' },
  posterior: {
    params: [{ name: 'logJoint', kind: 'logJoint' }],
    sameLength: [],
    extra: {
      text: 'at least one entry > −∞',
      check: (args) => ((args[0] as readonly number[]).some((x) => x > -Infinity) ? null : "every entry of 'logJoint' is −∞ (the posterior is 0/0)"),
    },
    text: 'logJoint: entries finite or −∞, at least one finite',
  },
  elbo: {
    params: [{ name: 'logJoint', kind: 'logJoint' }, D('q')],
    sameLength: ['logJoint', 'q'],
    text: 'logJoint: entries finite or −∞; q a distribution of the same length',
  },
  klNormal: {
    params: [{ name: 'mu1', kind: 'finite' }, { name: 'sigma1', kind: 'positive' }, { name: 'mu2', kind: 'finite' }, { name: 'sigma2', kind: 'positive' }],
    sameLength: [],
    text: 'mu1, mu2 finite; sigma1, sigma2 finite and > 0',
  },
  klNormalDiag: {
    params: [
      { name: 'mu1', kind: 'finiteVector' }, { name: 'sigma1', kind: 'positiveVector' },
      { name: 'mu2', kind: 'finiteVector' }, { name: 'sigma2', kind: 'positiveVector' },
    ],
    sameLength: ['mu1', 'sigma1', 'mu2', 'sigma2'],
    text: 'mu1, mu2 vectors of finite numbers; sigma1, sigma2 vectors of finite numbers > 0; all of the same length',
  },
};

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
