/**
 * Plain implementations of the KL family, for two-sided tests of the accuracy model:
 *  - `correct`: the ordinary correct ways of writing each quantity in float64 (textbook formulas,
 *    log ratio or difference of logs, scipy kl_div-style generalised terms, pairwise sums,
 *    normalising first, the textbook Gaussian formula, max-shifted log-sum-exp, the naive ELBO).
 *    The standard bound must accept them.
 *  - `wrong`: the usual bugs (float32 accumulation, dropping masses below 1e-9, clipping q at
 *    ε = 1e-12, a wrong log base, swapped arguments, forgotten terms …). The standard bound must
 *    reject them on the arbitraries of test/support/arbitraries.ts.
 *
 * Every variant follows the conventions 0·log 0 = 0 and p·log(p/0) = +∞ unless the bug is
 * precisely not to. `domain`, when present, says where a *correct* formula is known to break for
 * reasons other than rounding (e.g. log(p/q) overflows to +∞ when p/q > 1.8e308): the tests
 * exclude those inputs for that variant and test the breakage separately.
 */
export type FnName =
  | 'kl'
  | 'generalizedKl'
  | 'entropy'
  | 'crossEntropy'
  | 'negEntropy'
  | 'negEntropyGradient'
  | 'logEvidence'
  | 'posterior'
  | 'elbo'
  | 'klNormal'
  | 'klNormalDiag';

type V = readonly number[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Impl = (...args: any[]) => number | number[];

export interface Variant {
  fn: FnName;
  name: string;
  kind: 'correct' | 'wrong';
  impl: Impl;
  /** Inputs on which a correct formula is expected to be accurate (default: everywhere). */
  domain?: (args: unknown[]) => boolean;
  /** One line: what the variant computes, or what the bug is. */
  doc: string;
}

const f = Math.fround;
const LOG2 = (x: number): number => Math.log2(x);
const LOG10 = (x: number): number => Math.log10(x);

// ------------------------------------------------------------------------------------------
// summation helpers
// ------------------------------------------------------------------------------------------

function naiveSum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** Pairwise (cascade) summation, as numpy's sum: error γ_{⌈log2 n⌉}. */
export function pairwiseSum(xs: readonly number[], lo = 0, hi = xs.length): number {
  const n = hi - lo;
  if (n <= 0) return 0;
  if (n === 1) return xs[lo]!;
  if (n <= 8) {
    let s = 0;
    for (let i = lo; i < hi; i++) s += xs[i]!;
    return s;
  }
  const mid = lo + (n >> 1);
  return pairwiseSum(xs, lo, mid) + pairwiseSum(xs, mid, hi);
}

// ------------------------------------------------------------------------------------------
// kl
// ------------------------------------------------------------------------------------------

function klTerms(p: V, q: V, log: (x: number) => number, form: 'ratio' | 'diff'): number[] {
  const t: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (pi === 0) continue;
    if (qi === 0) return [Infinity];
    t.push(form === 'ratio' ? pi * log(pi / qi) : pi * (log(pi) - log(qi)));
  }
  return t;
}

/** All p_i/q_i (p_i > 0) are normal doubles: log(p/q) neither overflows nor loses bits to underflow. */
export function ratiosInRange(args: unknown[]): boolean {
  const [p, q] = args as [V, V];
  for (let i = 0; i < p.length; i++) {
    if (p[i]! > 0 && q[i]! > 0) {
      const r = p[i]! / q[i]!;
      if (!(r >= 2 ** -1022 && r < Infinity)) return false;
    }
  }
  return true;
}

/** Each vector argument sums to 1 up to n·2^-52 (float-normalised or exact): where normalising first or generalised terms compute kl. */
export function normalisedInputs(args: unknown[]): boolean {
  return (args as V[]).every((v) => {
    let s = 0;
    for (const x of v) s += x;
    return Math.abs(s - 1) <= v.length * 2 ** -52;
  });
}
const both = (a: (x: unknown[]) => boolean, b: (x: unknown[]) => boolean) => (x: unknown[]): boolean => a(x) && b(x);

const klRatio = (p: V, q: V): number => naiveSum(klTerms(p, q, Math.log, 'ratio'));
const klDiff = (p: V, q: V): number => naiveSum(klTerms(p, q, Math.log, 'diff'));
const klPairwise = (p: V, q: V): number => pairwiseSum(klTerms(p, q, Math.log, 'ratio'));

/** scipy.special.kl_div elementwise: p log(p/q) − p + q; q at p = 0; +∞ at p > 0 = q. */
function klDiv(pi: number, qi: number): number {
  if (pi > 0 && qi > 0) return pi * Math.log(pi / qi) - pi + qi;
  if (pi === 0 && qi >= 0) return qi;
  return Infinity;
}
const klScipy = (p: V, q: V): number => naiveSum(p.map((pi, i) => klDiv(pi, q[i]!)));
const klNormaliseFirst = (p: V, q: V): number => {
  const sp = naiveSum(p);
  const sq = naiveSum(q);
  return klRatio(p.map((x) => x / sp), q.map((x) => x / sq));
};
const klCrossMinusEntropy = (p: V, q: V): number => crossEntropyNaive(p, q) - entropyNaive(p);

function kl32(p: V, q: V): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = f(p[i]!);
    const qi = f(q[i]!);
    if (pi === 0) continue;
    if (qi === 0) return Infinity;
    s = f(s + f(pi * f(Math.log(f(pi / qi)))));
  }
  return s;
}
const klDropTiny = (p: V, q: V): number => {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! < 1e-9) continue;
    if (q[i] === 0) return Infinity;
    s += p[i]! * Math.log(p[i]! / q[i]!);
  }
  return s;
};
const klClip = (p: V, q: V): number => klRatio(p, q.map((x) => Math.max(x, 1e-12)));
const klAddEps = (p: V, q: V): number => klRatio(p, q.map((x) => x + 1e-12));
const klLog2 = (p: V, q: V): number => naiveSum(klTerms(p, q, LOG2, 'ratio'));
const klLog10 = (p: V, q: V): number => naiveSum(klTerms(p, q, LOG10, 'ratio'));
const klSwapped = (p: V, q: V): number => klRatio(q, p);

// ------------------------------------------------------------------------------------------
// generalizedKl
// ------------------------------------------------------------------------------------------

const gklPlusMass = (p: V, q: V): number => klRatio(p, q) + naiveSum(q) - naiveSum(p);
function gkl32(p: V, q: V): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = f(p[i]!);
    const qi = f(q[i]!);
    if (pi > 0 && qi === 0) return Infinity;
    const t = pi === 0 ? qi : f(f(f(pi * f(Math.log(f(pi / qi)))) - pi) + qi);
    s = f(s + t);
  }
  return s;
}

// ------------------------------------------------------------------------------------------
// entropy, crossEntropy, negEntropy, gradient
// ------------------------------------------------------------------------------------------

function entropyTerms(p: V, log: (x: number) => number): number[] {
  return p.filter((x) => x > 0).map((x) => -x * log(x));
}
function entropyNaive(p: V): number {
  return naiveSum(entropyTerms(p, Math.log));
}
const entropyPairwise = (p: V): number => pairwiseSum(entropyTerms(p, Math.log));
const entropyNormaliseFirst = (p: V): number => {
  const s = naiveSum(p);
  return entropyNaive(p.map((x) => x / s));
};
function entropy32(p: V): number {
  let s = 0;
  for (const x of p) {
    const y = f(x);
    if (y > 0) s = f(s - f(y * f(Math.log(y))));
  }
  return s;
}
const entropyDropTiny = (p: V): number => naiveSum(entropyTerms(p.filter((x) => x >= 1e-9), Math.log));
const entropyClip = (p: V): number => naiveSum(p.filter((x) => x > 0).map((x) => -x * Math.log(Math.max(x, 1e-12))));
const entropyLog2 = (p: V): number => naiveSum(entropyTerms(p, LOG2));
/** p·log p with no zero handling: 0·log 0 = 0·(−∞) = NaN. */
const entropyNoZero = (p: V): number => naiveSum(p.map((x) => -x * Math.log(x)));

function crossEntropyNaive(p: V, q: V): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    if (q[i] === 0) return Infinity;
    s -= p[i]! * Math.log(q[i]!);
  }
  return s;
}
const crossEntropyPairwise = (p: V, q: V): number => {
  for (let i = 0; i < p.length; i++) if (p[i]! > 0 && q[i] === 0) return Infinity;
  return pairwiseSum(p.map((x, i) => (x === 0 ? 0 : -x * Math.log(q[i]!))));
};
function crossEntropy32(p: V, q: V): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = f(p[i]!);
    const qi = f(q[i]!);
    if (pi === 0) continue;
    if (qi === 0) return Infinity;
    s = f(s - f(pi * f(Math.log(qi))));
  }
  return s;
}
const crossEntropyClip = (p: V, q: V): number => crossEntropyNaive(p, q.map((x) => Math.max(x, 1e-12)));
const crossEntropyLog2 = (p: V, q: V): number => {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    if (q[i] === 0) return Infinity;
    s -= p[i]! * Math.log2(q[i]!);
  }
  return s;
};
const crossEntropySwapped = (p: V, q: V): number => crossEntropyNaive(q, p);
const crossEntropyNoZero = (p: V, q: V): number => naiveSum(p.map((x, i) => -x * Math.log(q[i]!)));

const negEntropyNaive = (p: V): number => naiveSum(p.filter((x) => x > 0).map((x) => x * Math.log(x)));
const negEntropy32 = (p: V): number => -entropy32(p);
const negEntropySignFlip = (p: V): number => entropyNaive(p);
const negEntropyLog2 = (p: V): number => -entropyLog2(p);

const gradNaive = (q: V): number[] => q.map((x) => 1 + Math.log(x));
const grad32 = (q: V): number[] => q.map((x) => f(1 + f(Math.log(f(x)))));
const gradNoOne = (q: V): number[] => q.map((x) => Math.log(x));
const gradLog2 = (q: V): number[] => q.map((x) => 1 + Math.log2(x));

// ------------------------------------------------------------------------------------------
// latent: logEvidence, posterior, elbo
// ------------------------------------------------------------------------------------------

function maxOf(l: V): number {
  let m = -Infinity;
  for (const x of l) if (x > m) m = x;
  return m;
}

function lseNaive(l: V): number {
  const m = maxOf(l);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of l) s += Math.exp(x - m);
  return m + Math.log(s);
}
function lseLog1p(l: V): number {
  const m = maxOf(l);
  if (m === -Infinity) return -Infinity;
  const k = l.indexOf(m);
  let s = 0;
  for (let i = 0; i < l.length; i++) if (i !== k) s += Math.exp(l[i]! - m);
  return m + Math.log1p(s);
}
/** Sequential np.logaddexp.reduce: logaddexp(a, b) = max + log1p(exp(−|a − b|)). */
function lseReduce(l: V): number {
  let acc = -Infinity;
  for (const x of l) {
    if (x === -Infinity) continue;
    if (acc === -Infinity) {
      acc = x;
      continue;
    }
    const m = Math.max(acc, x);
    acc = m + Math.log1p(Math.exp(-Math.abs(acc - x)));
  }
  return acc;
}
const lseNoShift = (l: V): number => Math.log(naiveSum(l.map((x) => Math.exp(x))));
function lse32(l: V): number {
  const m = f(maxOf(l));
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of l) s = f(s + f(Math.exp(f(f(x) - m))));
  return f(m + f(Math.log(s)));
}
function lseDropTiny(l: V): number {
  const m = maxOf(l);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of l) {
    const e = Math.exp(x - m);
    if (e >= 1e-9) s += e;
  }
  return m + Math.log(s);
}
const lseMaxOnly = (l: V): number => maxOf(l);
function lseLog2(l: V): number {
  const m = maxOf(l);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of l) s += 2 ** (x - m);
  return m + Math.log2(s);
}

function softmax(l: V): number[] {
  const m = maxOf(l);
  const e = l.map((x) => Math.exp(x - m));
  const s = naiveSum(e);
  return e.map((x) => x / s);
}
const postExpMinusLse = (l: V): number[] => {
  const L = lseNaive(l);
  return l.map((x) => Math.exp(x - L));
};
const postNoShift = (l: V): number[] => {
  const e = l.map((x) => Math.exp(x));
  const s = naiveSum(e);
  return e.map((x) => x / s);
};
const post32 = (l: V): number[] => {
  const m = f(maxOf(l));
  const e = l.map((x) => f(Math.exp(f(f(x) - m))));
  let s = 0;
  for (const x of e) s = f(s + x);
  return e.map((x) => f(x / s));
};
const postUnnormalised = (l: V): number[] => {
  const m = maxOf(l);
  return l.map((x) => Math.exp(x - m));
};
const postLog2 = (l: V): number[] => {
  const L = lseNaive(l);
  return l.map((x) => 2 ** (x - L));
};

function elboNaive(l: V, q: V): number {
  let s = 0;
  for (let z = 0; z < q.length; z++) {
    if (q[z] === 0) continue;
    s += q[z]! * (l[z]! - Math.log(q[z]!));
  }
  return s;
}
function elboTwoSums(l: V, q: V): number {
  let a = 0;
  let b = 0;
  for (let z = 0; z < q.length; z++) {
    if (q[z] === 0) continue;
    a += q[z]! * l[z]!;
    b += q[z]! * Math.log(q[z]!);
  }
  return a - b;
}
function elbo32(l: V, q: V): number {
  let s = 0;
  for (let z = 0; z < q.length; z++) {
    const qz = f(q[z]!);
    if (qz === 0) continue;
    s = f(s + f(qz * f(f(l[z]!) - f(Math.log(qz)))));
  }
  return s;
}
const elboNoZero = (l: V, q: V): number => naiveSum(q.map((qz, z) => qz * (l[z]! - Math.log(qz))));
function elboEntropySign(l: V, q: V): number {
  let s = 0;
  for (let z = 0; z < q.length; z++) if (q[z]! > 0) s += q[z]! * (l[z]! + Math.log(q[z]!));
  return s;
}
function elboNoEntropy(l: V, q: V): number {
  let s = 0;
  for (let z = 0; z < q.length; z++) if (q[z]! > 0) s += q[z]! * l[z]!;
  return s;
}
function elboLog2(l: V, q: V): number {
  let s = 0;
  for (let z = 0; z < q.length; z++) if (q[z]! > 0) s += q[z]! * (l[z]! - Math.log2(q[z]!));
  return s;
}

// ------------------------------------------------------------------------------------------
// Gaussians
// ------------------------------------------------------------------------------------------

/** The textbook formula: log(σ2/σ1) + (σ1² + (μ1 − μ2)²)/(2σ2²) − ½. */
const normalTextbook = (m1: number, s1: number, m2: number, s2: number): number =>
  Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2 * s2 * s2) - 0.5;
const normalLogDiff = (m1: number, s1: number, m2: number, s2: number): number =>
  Math.log(s2) - Math.log(s1) + (s1 * s1 + (m1 - m2) ** 2) / (2 * s2 * s2) - 0.5;
const normalRatio = (m1: number, s1: number, m2: number, s2: number): number => {
  const r = s1 / s2;
  const d = (m1 - m2) / s2;
  return 0.5 * (r * r - 1 - 2 * Math.log(r) + d * d);
};
const normal32 = (m1: number, s1: number, m2: number, s2: number): number => {
  const [a, b, c, d] = [f(m1), f(s1), f(m2), f(s2)];
  const dm = f(a - c);
  return f(f(f(Math.log(f(d / b))) + f(f(f(b * b) + f(dm * dm)) / f(f(2 * d) * d))) - 0.5);
};
const normalSwapped = (m1: number, s1: number, m2: number, s2: number): number => normalTextbook(m2, s2, m1, s1);
/** σ taken for the variance: ½log(v2/v1) + (v1 + Δμ²)/(2v2) − ½ with v = σ. */
const normalVarianceAsSigma = (m1: number, s1: number, m2: number, s2: number): number =>
  0.5 * Math.log(s2 / s1) + (s1 + (m1 - m2) ** 2) / (2 * s2) - 0.5;
const normalLog10 = (m1: number, s1: number, m2: number, s2: number): number =>
  Math.log10(s2 / s1) + (s1 * s1 + (m1 - m2) ** 2) / (2 * s2 * s2) - 0.5;
const normalNoHalf = (m1: number, s1: number, m2: number, s2: number): number =>
  Math.log(s2 / s1) + (s1 * s1) / (2 * s2 * s2) + (m1 - m2) ** 2 / (s2 * s2) - 0.5;

/**
 * σ1, σ2 ∈ [1e-60, 1e60] and |μ1 − μ2| ≤ 1e60 (per coordinate): σ², (μ1 − μ2)² and their quotients
 * neither overflow nor underflow in the textbook formula (outside, it returns NaN or ∞: a range
 * limitation of the formula, not rounding).
 */
export function gaussianInRange(args: unknown[]): boolean {
  const col = (a: unknown): V => (typeof a === 'number' ? [a] : (a as V));
  const [m1, s1, m2, s2] = args.map(col) as [V, V, V, V];
  const ok = (s: number): boolean => s >= 1e-60 && s <= 1e60;
  return m1.every((_, i) => ok(s1[i]!) && ok(s2[i]!) && Math.abs(m1[i]! - m2[i]!) <= 1e60);
}

function diagOf(g: (a: number, b: number, c: number, d: number) => number, sum: (xs: number[]) => number = naiveSum) {
  return (m1: V, s1: V, m2: V, s2: V): number => sum(m1.map((_, i) => g(m1[i]!, s1[i]!, m2[i]!, s2[i]!)));
}

// ------------------------------------------------------------------------------------------
// the table
// ------------------------------------------------------------------------------------------

export const VARIANTS: readonly Variant[] = [
  // kl
  { fn: 'kl', name: 'ratio', kind: 'correct', impl: klRatio, domain: ratiosInRange, doc: 'Σ p·log(p/q), left to right' },
  { fn: 'kl', name: 'logDiff', kind: 'correct', impl: klDiff, doc: 'Σ p·(log p − log q)' },
  { fn: 'kl', name: 'scipyKlDiv', kind: 'correct', impl: klScipy, domain: both(ratiosInRange, normalisedInputs), doc: 'Σ kl_div(p, q) = Σ [p log(p/q) − p + q] (generalised terms; = kl only for normalised inputs)' },
  { fn: 'kl', name: 'pairwise', kind: 'correct', impl: klPairwise, domain: ratiosInRange, doc: 'pairwise sum of p·log(p/q)' },
  { fn: 'kl', name: 'normaliseFirst', kind: 'correct', impl: klNormaliseFirst, domain: both(ratiosInRange, normalisedInputs), doc: 'p/Σp, q/Σq, then Σ p·log(p/q) (= kl only for normalised inputs)' },
  { fn: 'kl', name: 'crossMinusEntropy', kind: 'correct', impl: klCrossMinusEntropy, doc: 'H(p, q) − H(p)' },
  { fn: 'kl', name: 'float32', kind: 'wrong', impl: kl32, doc: 'every operation rounded to float32' },
  { fn: 'kl', name: 'dropTiny', kind: 'wrong', impl: klDropTiny, doc: 'terms with p < 1e-9 dropped' },
  { fn: 'kl', name: 'clipEps', kind: 'wrong', impl: klClip, doc: 'q clipped: max(q, 1e-12)' },
  { fn: 'kl', name: 'addEps', kind: 'wrong', impl: klAddEps, doc: 'q smoothed: q + 1e-12' },
  { fn: 'kl', name: 'log2', kind: 'wrong', impl: klLog2, doc: 'log base 2 (bits)' },
  { fn: 'kl', name: 'log10', kind: 'wrong', impl: klLog10, doc: 'log base 10' },
  { fn: 'kl', name: 'swapped', kind: 'wrong', impl: klSwapped, doc: 'KL(q‖p) for KL(p‖q)' },
  // generalizedKl
  { fn: 'generalizedKl', name: 'scipyKlDiv', kind: 'correct', impl: klScipy, domain: ratiosInRange, doc: 'Σ kl_div(p, q)' },
  { fn: 'generalizedKl', name: 'klPlusMass', kind: 'correct', impl: gklPlusMass, domain: ratiosInRange, doc: 'Σ p log(p/q) + Σq − Σp' },
  { fn: 'generalizedKl', name: 'plainKl', kind: 'wrong', impl: klRatio, doc: 'the −p + q terms forgotten' },
  { fn: 'generalizedKl', name: 'float32', kind: 'wrong', impl: gkl32, doc: 'float32 everywhere' },
  { fn: 'generalizedKl', name: 'swapped', kind: 'wrong', impl: (p: V, q: V) => klScipy(q, p), doc: 'arguments swapped' },
  // entropy
  { fn: 'entropy', name: 'naive', kind: 'correct', impl: entropyNaive, doc: '−Σ p·log p (xlogy)' },
  { fn: 'entropy', name: 'pairwise', kind: 'correct', impl: entropyPairwise, doc: 'pairwise sum' },
  { fn: 'entropy', name: 'normaliseFirst', kind: 'correct', impl: entropyNormaliseFirst, domain: normalisedInputs, doc: 'p/Σp first (normalised inputs)' },
  { fn: 'entropy', name: 'float32', kind: 'wrong', impl: entropy32, doc: 'float32 everywhere' },
  { fn: 'entropy', name: 'dropTiny', kind: 'wrong', impl: entropyDropTiny, doc: 'masses < 1e-9 dropped' },
  { fn: 'entropy', name: 'clipEps', kind: 'wrong', impl: entropyClip, doc: 'log(max(p, 1e-12))' },
  { fn: 'entropy', name: 'log2', kind: 'wrong', impl: entropyLog2, doc: 'bits instead of nats' },
  { fn: 'entropy', name: 'noZeroHandling', kind: 'wrong', impl: entropyNoZero, doc: '0·log 0 evaluated as NaN' },
  // crossEntropy
  { fn: 'crossEntropy', name: 'naive', kind: 'correct', impl: crossEntropyNaive, doc: '−Σ p·log q' },
  { fn: 'crossEntropy', name: 'pairwise', kind: 'correct', impl: crossEntropyPairwise, doc: 'pairwise sum' },
  { fn: 'crossEntropy', name: 'float32', kind: 'wrong', impl: crossEntropy32, doc: 'float32 everywhere' },
  { fn: 'crossEntropy', name: 'clipEps', kind: 'wrong', impl: crossEntropyClip, doc: 'log(max(q, 1e-12))' },
  { fn: 'crossEntropy', name: 'log2', kind: 'wrong', impl: crossEntropyLog2, doc: 'bits' },
  { fn: 'crossEntropy', name: 'swapped', kind: 'wrong', impl: crossEntropySwapped, doc: 'H(q, p)' },
  { fn: 'crossEntropy', name: 'noZeroHandling', kind: 'wrong', impl: crossEntropyNoZero, doc: '0·log q evaluated literally (NaN at q = 0)' },
  // negEntropy
  { fn: 'negEntropy', name: 'naive', kind: 'correct', impl: negEntropyNaive, doc: 'Σ p·log p' },
  { fn: 'negEntropy', name: 'float32', kind: 'wrong', impl: negEntropy32, doc: 'float32' },
  { fn: 'negEntropy', name: 'signFlip', kind: 'wrong', impl: negEntropySignFlip, doc: 'returns the entropy' },
  { fn: 'negEntropy', name: 'log2', kind: 'wrong', impl: negEntropyLog2, doc: 'bits' },
  // gradient
  { fn: 'negEntropyGradient', name: 'naive', kind: 'correct', impl: gradNaive, doc: '1 + log q' },
  { fn: 'negEntropyGradient', name: 'float32', kind: 'wrong', impl: grad32, doc: 'float32' },
  { fn: 'negEntropyGradient', name: 'noOne', kind: 'wrong', impl: gradNoOne, doc: 'log q (the 1 forgotten)' },
  { fn: 'negEntropyGradient', name: 'log2', kind: 'wrong', impl: gradLog2, doc: '1 + log2 q' },
  // logEvidence
  { fn: 'logEvidence', name: 'maxShift', kind: 'correct', impl: lseNaive, doc: 'm + log Σ exp(l − m)' },
  { fn: 'logEvidence', name: 'maxShiftLog1p', kind: 'correct', impl: lseLog1p, doc: 'm + log1p(Σ_{z≠argmax} exp(l − m))' },
  { fn: 'logEvidence', name: 'logaddexpReduce', kind: 'correct', impl: lseReduce, doc: 'sequential logaddexp' },
  { fn: 'logEvidence', name: 'noShift', kind: 'wrong', impl: lseNoShift, doc: 'log Σ exp(l) (underflows at −1000)' },
  { fn: 'logEvidence', name: 'float32', kind: 'wrong', impl: lse32, doc: 'float32' },
  { fn: 'logEvidence', name: 'dropTiny', kind: 'wrong', impl: lseDropTiny, doc: 'terms exp(l − m) < 1e-9 dropped' },
  { fn: 'logEvidence', name: 'maxOnly', kind: 'wrong', impl: lseMaxOnly, doc: 'max l (the Viterbi approximation)' },
  { fn: 'logEvidence', name: 'log2', kind: 'wrong', impl: lseLog2, doc: 'base-2 log-sum-exp' },
  // posterior
  { fn: 'posterior', name: 'softmax', kind: 'correct', impl: softmax, doc: 'exp(l − m)/Σ exp(l − m)' },
  { fn: 'posterior', name: 'expMinusLse', kind: 'correct', impl: postExpMinusLse, doc: 'exp(l − LSE)' },
  { fn: 'posterior', name: 'noShift', kind: 'wrong', impl: postNoShift, doc: 'exp(l)/Σ exp(l) (0/0 at −1000)' },
  { fn: 'posterior', name: 'float32', kind: 'wrong', impl: post32, doc: 'float32' },
  { fn: 'posterior', name: 'unnormalised', kind: 'wrong', impl: postUnnormalised, doc: 'exp(l − m), no division' },
  { fn: 'posterior', name: 'log2', kind: 'wrong', impl: postLog2, doc: '2^(l − LSE)' },
  // elbo
  { fn: 'elbo', name: 'naive', kind: 'correct', impl: elboNaive, doc: 'Σ q(l − log q)' },
  { fn: 'elbo', name: 'twoSums', kind: 'correct', impl: elboTwoSums, doc: 'Σ q·l − Σ q·log q' },
  { fn: 'elbo', name: 'float32', kind: 'wrong', impl: elbo32, doc: 'float32' },
  { fn: 'elbo', name: 'noZeroHandling', kind: 'wrong', impl: elboNoZero, doc: 'q = 0 terms evaluated literally (NaN)' },
  { fn: 'elbo', name: 'entropySign', kind: 'wrong', impl: elboEntropySign, doc: 'Σ q(l + log q)' },
  { fn: 'elbo', name: 'noEntropy', kind: 'wrong', impl: elboNoEntropy, doc: 'Σ q·l (the entropy forgotten)' },
  { fn: 'elbo', name: 'log2', kind: 'wrong', impl: elboLog2, doc: 'entropy in bits' },
  // klNormal
  { fn: 'klNormal', name: 'textbook', kind: 'correct', impl: normalTextbook, domain: gaussianInRange, doc: 'log(σ2/σ1) + (σ1² + (μ1−μ2)²)/(2σ2²) − ½' },
  { fn: 'klNormal', name: 'logDiff', kind: 'correct', impl: normalLogDiff, domain: gaussianInRange, doc: 'log σ2 − log σ1 + …' },
  { fn: 'klNormal', name: 'ratio', kind: 'correct', impl: normalRatio, domain: gaussianInRange, doc: '½(ρ² − 1 − 2 log ρ + Δ²)' },
  { fn: 'klNormal', name: 'float32', kind: 'wrong', impl: normal32, doc: 'float32' },
  { fn: 'klNormal', name: 'swapped', kind: 'wrong', impl: normalSwapped, doc: 'KL(N2‖N1)' },
  { fn: 'klNormal', name: 'varianceAsSigma', kind: 'wrong', impl: normalVarianceAsSigma, doc: 'σ read as the variance' },
  { fn: 'klNormal', name: 'log10', kind: 'wrong', impl: normalLog10, doc: 'log10(σ2/σ1)' },
  { fn: 'klNormal', name: 'noHalf', kind: 'wrong', impl: normalNoHalf, doc: '(μ1−μ2)²/σ2² without the ½' },
  // klNormalDiag
  { fn: 'klNormalDiag', name: 'textbookSum', kind: 'correct', impl: diagOf(normalTextbook), domain: gaussianInRange, doc: 'Σ of the textbook formula' },
  { fn: 'klNormalDiag', name: 'pairwiseSum', kind: 'correct', impl: diagOf(normalRatio, (xs) => pairwiseSum(xs)), domain: gaussianInRange, doc: 'pairwise Σ of ½(ρ² − 1 − 2 log ρ + Δ²)' },
  { fn: 'klNormalDiag', name: 'float32', kind: 'wrong', impl: diagOf(normal32, (xs) => xs.reduce((a, b) => f(a + b), 0)), doc: 'float32' },
  { fn: 'klNormalDiag', name: 'swapped', kind: 'wrong', impl: diagOf(normalSwapped), doc: 'KL(N2‖N1)' },
  { fn: 'klNormalDiag', name: 'mean', kind: 'wrong', impl: (a: V, b: V, c: V, d: V) => diagOf(normalTextbook)(a, b, c, d) / a.length, doc: 'mean over coordinates instead of sum' },
];

/** The float32 variants, for the check that they pass the float32-precision bound. */
export const FLOAT32: Partial<Record<FnName, Impl>> = {
  kl: kl32,
  generalizedKl: gkl32,
  entropy: entropy32,
  crossEntropy: crossEntropy32,
  negEntropy: negEntropy32,
  negEntropyGradient: grad32,
  logEvidence: lse32,
  posterior: post32,
  elbo: elbo32,
  klNormal: normal32,
};
