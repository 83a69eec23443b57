/**
 * Small fast-check arbitraries local to the kernel and accuracy tests (the project's real
 * generators live in src/generators; these are deliberately independent of them).
 *
 * Two kinds of distribution, and the tests say which one a property uses:
 *  - **exactly normalised** ("dyadic"): every entry is a double, and the entries sum to exactly 1
 *    in exact arithmetic (Σ k_i·2^-M = 1). Built from a body k_i/2^m, optional tiny masses
 *    c·2^-e (e up to 1074: subnormals), and closing pieces that absorb the exact remainder
 *    1 − Σ (greedy 53-bit truncations of the remainder, so each piece is a double).
 *  - **float-normalised**: p = w/Σw in float64; Σp differs from 1 by a few ulps.
 */
import fc from 'fast-check';

export type Vec = number[];
export interface Pair {
  p: Vec;
  q: Vec;
}

// ------------------------------------------------------------------------------------------
// exact (BigInt) helpers
// ------------------------------------------------------------------------------------------

/** Exact value of k·2^-M as a double; k must have ≤ 53 significant bits and the value be ≥ 2^-1074 granular. */
function scaled(k: bigint, M: number): number {
  if (k === 0n) return 0;
  let e = -M;
  while ((k & 0xffffn) === 0n) {
    k >>= 16n;
    e += 16;
  }
  while ((k & 1n) === 0n) {
    k >>= 1n;
    e += 1;
  }
  const x = Number(k);
  if (BigInt(x) !== k) throw new Error(`scaled: ${k} is not exact in 53 bits`);
  // x·2^e in two steps (2^e itself may not be a double); the first keeps the value normal
  const a = Math.max(e, -1000);
  return x * 2 ** a * 2 ** (e - a);
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Greedy decomposition of a positive integer R (at scale 2^-M) into positive doubles, largest first. */
function pieces(R: bigint, M: number): number[] {
  const out: number[] = [];
  while (R > 0n) {
    const b = bitLength(R);
    const drop = Math.max(0, b - 53);
    const k = (R >> BigInt(drop)) << BigInt(drop);
    // granularity of doubles at this scale: entries below 2^-1022 are multiples of 2^-1074
    out.push(scaled(k, M));
    R -= k;
  }
  return out;
}

/** Split the largest entry of xs into two exact halves (x = fl(x/2) + (x − fl(x/2))). */
function splitLargest(xs: number[]): void {
  let k = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[k]!) k = i;
  const x = xs[k]!;
  const a = x / 2;
  xs[k] = a;
  xs.push(x - a);
}

export interface DyadicSpec {
  /** body weights (≥ 0) */
  w: number[];
  /** closing weight (> 0): the share taken by the closing pieces */
  w0: number;
  /** body scale: entries are k/2^m */
  m: number;
  /** tiny masses c·2^-e (c ≥ 1), appended as extra categories; c = 0 gives a zero entry */
  tiny: Array<{ c: number; e: number }>;
}

/** Build an exactly normalised vector from a spec: body, tiny entries, closing pieces. */
export function buildDyadic(spec: DyadicSpec): { body: number[]; tiny: number[]; closing: number[] } {
  const { w, w0, m } = spec;
  const tinyE = spec.tiny.map((t) => t.e);
  const M = Math.max(m, ...tinyE, 0);
  let W = w0;
  for (const x of w) W += x;
  const shiftBody = BigInt(M - m);
  // room for the tiny masses: τ rounded up to body units, plus one
  let tau = 0n;
  for (const { c, e } of spec.tiny) tau += BigInt(c) << BigInt(M - e);
  const tinyUnits = Number((tau >> shiftBody) + 2n);
  const scaleM = Math.max(0, 2 ** m - tinyUnits);
  const ks = w.map((x) => BigInt(Math.floor((x / W) * scaleM)));
  let R = (1n << BigInt(M)) - tau;
  for (const k of ks) R -= k << shiftBody;
  const tiny = spec.tiny.map(({ c, e }) => scaled(BigInt(c), e));
  if (R <= 0n) {
    // take the deficit (plus one body unit) from the largest body entry
    let j = 0;
    for (let i = 1; i < ks.length; i++) if (ks[i]! > ks[j]!) j = i;
    const unit = 1n << shiftBody;
    const need = (-R) / unit + 2n;
    if (ks.length === 0 || ks[j]! < need) throw new Error('buildDyadic: cannot close the distribution');
    ks[j] = ks[j]! - need;
    R += need * unit;
  }
  return { body: ks.map((k) => scaled(k, m)), tiny, closing: pieces(R, M) };
}

// ------------------------------------------------------------------------------------------
// arbitraries
// ------------------------------------------------------------------------------------------

/** A weight in [0, 1000], zero with probability about `zeroFreq`. */
function weight(zeroFreq = 0.15): fc.Arbitrary<number> {
  const z = Math.max(1, Math.round(zeroFreq * 100));
  return fc.oneof(
    { weight: z, arbitrary: fc.constant(0) },
    { weight: 100 - z, arbitrary: fc.integer({ min: 1, max: 1000 }) },
  );
}

export interface TinyConstraints {
  /** smallest exponent e of a tiny mass c·2^-e (default 20) */
  minExp?: number;
  /** largest exponent (default 1074: subnormals) */
  maxExp?: number;
  /** max number of tiny categories (default 3) */
  maxCount?: number;
}

function tinyMass(c: TinyConstraints = {}): fc.Arbitrary<{ c: number; e: number }> {
  const minExp = c.minExp ?? 20;
  const maxExp = c.maxExp ?? 1074;
  const e = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: minExp, max: Math.min(maxExp, 70) }) },
    { weight: 1, arbitrary: fc.integer({ min: minExp, max: maxExp }) },
  );
  return fc.record({ c: fc.integer({ min: 0, max: 4096 }), e }).map(({ c, e }) => ({ c, e: Math.max(e, 13) }));
}

export interface DistributionConstraints {
  /** number of body categories (defaults 1..40) */
  minLength?: number;
  maxLength?: number;
  /** include tiny masses (default true) */
  tiny?: boolean | TinyConstraints;
  /** frequency of zero weights (default 0.15) */
  zeroFreq?: number;
}

/** The spec of one exactly normalised distribution with a fixed number of body categories. */
function dyadicSpec(n: number, c: DistributionConstraints): fc.Arbitrary<DyadicSpec> {
  const tinyC = typeof c.tiny === 'object' ? c.tiny : {};
  const tinyOn = c.tiny !== false;
  return fc.record({
    w: fc.array(weight(c.zeroFreq), { minLength: n, maxLength: n }),
    w0: fc.integer({ min: 1, max: 1000 }),
    m: fc.integer({ min: 6, max: 52 }),
    tiny: tinyOn ? fc.array(tinyMass(tinyC), { maxLength: tinyC.maxCount ?? 3 }) : fc.constant([]),
  });
}

function assemble(b: { body: number[]; tiny: number[]; closing: number[] }): number[] {
  return [...b.body, ...b.tiny, ...b.closing];
}

/**
 * An exactly normalised distribution (Σ = 1 exactly): body k_i/2^m (m = 6..52, zeros), optional
 * tiny masses down to 2^-1074, and the closing pieces.
 */
export function dyadicDistribution(c: DistributionConstraints = {}): fc.Arbitrary<Vec> {
  return fc
    .integer({ min: c.minLength ?? 1, max: c.maxLength ?? 40 })
    .chain((n) => dyadicSpec(n, c))
    .map((s) => assemble(buildDyadic(s)));
}

/** Pad two assembled parts so that the tiny and closing blocks have equal lengths. */
function alignPair(a: { body: number[]; tiny: number[]; closing: number[] }, b: { body: number[]; tiny: number[]; closing: number[] }): Pair {
  const ta = [...a.tiny];
  const tb = [...b.tiny];
  while (ta.length < tb.length) ta.push(0);
  while (tb.length < ta.length) tb.push(0);
  const ca = [...a.closing];
  const cb = [...b.closing];
  while (ca.length < cb.length) splitLargest(ca);
  while (cb.length < ca.length) splitLargest(cb);
  return { p: [...a.body, ...ta, ...ca], q: [...b.body, ...tb, ...cb] };
}

/** Make q positive wherever p is (so no support mismatch), by giving q the smallest body unit. */
function coverSupport(ps: DyadicSpec, qs: DyadicSpec): DyadicSpec {
  const w = qs.w.map((x, i) => (x === 0 && ps.w[i]! > 0 ? 1 : x));
  const tiny = qs.tiny.map((t, i) => (t.c === 0 && (ps.tiny[i]?.c ?? 0) > 0 ? { c: 1, e: t.e } : t));
  while (tiny.length < ps.tiny.length) tiny.push({ c: 1, e: ps.tiny[tiny.length]!.e });
  return { ...qs, w, tiny, m: Math.max(qs.m, 12) };
}

export interface PairConstraints extends DistributionConstraints {
  /** allow support mismatch (p_i > 0 = q_i); default false */
  mismatch?: boolean;
}

/** Two independent exactly normalised distributions over the same categories. */
export function dyadicPair(c: PairConstraints = {}): fc.Arbitrary<Pair> {
  return fc
    .integer({ min: c.minLength ?? 1, max: c.maxLength ?? 40 })
    .chain((n) => fc.tuple(dyadicSpec(n, c), dyadicSpec(n, c)))
    .map(([ps, qs]) => {
      const qq = c.mismatch ? qs : coverSupport(ps, qs);
      return alignPair(buildDyadic(ps), buildDyadic(qq));
    });
}

/**
 * Exactly normalised near-equal pair: q = p with body mass moved between categories by a relative
 * amount r ∈ [1e-15, 1e-2] (log-uniform), keeping Σ = 1 exactly (m = 52 so tiny moves are exact).
 */
export function dyadicNearPair(c: DistributionConstraints = {}): fc.Arbitrary<Pair> {
  return fc
    .integer({ min: Math.max(2, c.minLength ?? 2), max: Math.max(2, c.maxLength ?? 40) })
    .chain((n) =>
      fc.record({
        spec: dyadicSpec(n, { ...c, zeroFreq: c.zeroFreq ?? 0.05 }),
        logR: fc.double({ min: -15, max: -2, noNaN: true }),
        signs: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      }),
    )
    .map(({ spec, logR, signs }) => {
      const s = { ...spec, m: 52 };
      const b = buildDyadic(s);
      const p = assemble(b);
      const q = [...p];
      const r = 10 ** logR;
      // move mass between consecutive body entries in units of 2^-52 (exact: entries are k·2^-52, k < 2^52)
      for (let i = 0; i + 1 < b.body.length; i += 2) {
        const a = b.body[i]!;
        const c2 = b.body[i + 1]!;
        if (a === 0 || c2 === 0) continue;
        const k = Math.floor(Math.min(a, c2) * r * 2 ** 52);
        const d = (signs[i] ? 1 : -1) * k * 2 ** -52;
        q[i] = a + d;
        q[i + 1] = c2 - d;
      }
      return { p, q };
    });
}

/** Float-normalised weights: log-uniform magnitudes 1e-minExp..1, with zeros. */
function floatWeights(n: number, minExp: number, zeroFreq: number): fc.Arbitrary<number[]> {
  const z = Math.max(1, Math.round(zeroFreq * 100));
  const w = fc.oneof(
    { weight: z, arbitrary: fc.constant(0) },
    { weight: 70, arbitrary: fc.double({ min: 1e-3, max: 1, noNaN: true }) },
    { weight: 30 - z, arbitrary: fc.double({ min: -minExp, max: 0, noNaN: true }).map((e) => 10 ** e) },
  );
  return fc.array(w, { minLength: n, maxLength: n }).map((ws) => (ws.some((x) => x > 0) ? ws : [1, ...ws.slice(1)]));
}

function normalise(w: number[]): number[] {
  let s = 0;
  for (const x of w) s += x;
  return w.map((x) => x / s);
}

export interface FloatConstraints extends DistributionConstraints {
  /** smallest magnitude exponent of a weight (default 300: weights down to 1e-300) */
  minExp?: number;
}

/** A float-normalised distribution p = w/Σw. */
export function floatDistribution(c: FloatConstraints = {}): fc.Arbitrary<Vec> {
  return fc
    .integer({ min: c.minLength ?? 1, max: c.maxLength ?? 40 })
    .chain((n) => floatWeights(n, c.minExp ?? 300, c.zeroFreq ?? 0.15))
    .map(normalise);
}

export interface FloatPairConstraints extends FloatConstraints {
  /** 'independent' (default), 'near' (relative perturbation 1e-15..1e-2), 'mismatch' (q_i = 0 where p_i > 0), 'nearMismatch' (q_i tiny: subnormal or 1e-300) */
  relation?: 'independent' | 'near' | 'mismatch' | 'nearMismatch';
}

/** A pair of float-normalised distributions. */
export function floatPair(c: FloatPairConstraints = {}): fc.Arbitrary<Pair> {
  const rel = c.relation ?? 'independent';
  return fc
    .integer({ min: Math.max(c.minLength ?? 1, rel === 'independent' ? 1 : 2), max: Math.max(2, c.maxLength ?? 40) })
    .chain((n) =>
      fc.record({
        wp: floatWeights(n, c.minExp ?? 300, c.zeroFreq ?? 0.15),
        wq: floatWeights(n, c.minExp ?? 300, c.zeroFreq ?? 0.15),
        logR: fc.double({ min: -15, max: -2, noNaN: true }),
        xi: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
        k: fc.nat(),
        tinyQ: fc.constantFrom(5e-324, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-200),
      }),
    )
    .map(({ wp, wq, logR, xi, k, tinyQ }) => {
      const p = normalise(wp);
      if (rel === 'independent') {
        const qw = wq.map((x, i) => (x === 0 && p[i]! > 0 ? 1e-3 : x));
        return { p, q: normalise(qw) };
      }
      if (rel === 'near') {
        const r = 10 ** logR;
        return { p, q: normalise(p.map((x, i) => x * (1 + r * xi[i]!))) };
      }
      const pos = p.map((x, i) => (x > 0 ? i : -1)).filter((i) => i >= 0);
      const j = pos[k % pos.length]!;
      const q0 = normalise(wq.map((x, i) => (x === 0 && p[i]! > 0 ? 1e-3 : x)));
      if (rel === 'mismatch') {
        q0[j] = 0;
        return { p, q: q0 };
      }
      q0[j] = tinyQ;
      return { p, q: q0 };
    });
}

/** Unnormalised nonnegative masses (sums anywhere in 1e-3..1e3), pairs with q > 0 where p > 0. */
export function unnormalisedPair(c: FloatConstraints = {}): fc.Arbitrary<Pair> {
  return fc
    .integer({ min: c.minLength ?? 1, max: c.maxLength ?? 40 })
    .chain((n) =>
      fc.record({
        wp: floatWeights(n, c.minExp ?? 100, c.zeroFreq ?? 0.15),
        wq: floatWeights(n, c.minExp ?? 100, c.zeroFreq ?? 0.15),
        sp: fc.double({ min: -3, max: 3, noNaN: true }),
        sq: fc.double({ min: -3, max: 3, noNaN: true }),
      }),
    )
    .map(({ wp, wq, sp, sq }) => {
      const p = wp.map((x) => x * 10 ** sp);
      const q = wq.map((x, i) => (x === 0 && wp[i]! > 0 ? 1e-3 : x) * 10 ** sq);
      return { p, q };
    });
}

// ------------------------------------------------------------------------------------------
// latent models
// ------------------------------------------------------------------------------------------

export interface Latent {
  logJoint: Vec;
  q: Vec;
}

export interface LatentConstraints {
  minLength?: number;
  maxLength?: number;
  /** allow −∞ entries in the log joint (default true) */
  impossible?: boolean;
  /** allow q(z) > 0 where logJoint[z] = −∞ (ELBO −∞; default false) */
  qOnImpossible?: boolean;
}

/**
 * Log joints log p(x, z) in one of several regimes — uniform in [−1e4, 0], near −1000 (±10),
 * near −5000 (±1e-3..±50), moderate [−30, 0], the underflow edge [−760, −690] (posterior entries
 * around e^-745, where exp underflows gradually) — with optional −∞ entries, and a variational q:
 * float-normalised with zeros (always 0 where the log joint is −∞ unless qOnImpossible), or
 * close to the exact posterior (the ELBO ≈ log evidence regime).
 */
export function latentModel(c: LatentConstraints = {}): fc.Arbitrary<Latent> {
  const impossible = c.impossible ?? true;
  return fc
    .integer({ min: c.minLength ?? 1, max: c.maxLength ?? 40 })
    .chain((n) =>
      fc.record({
        regime: fc.constantFrom('uniform', 'near1000', 'near5000', 'moderate', 'underflowEdge'),
        u: fc.array(fc.oneof(fc.noBias(fc.double({ min: 0, max: 1, noNaN: true })), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: n, maxLength: n }),
        spread: fc.double({ min: -3, max: 1.7, noNaN: true }),
        inf: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }),
        wq: floatWeights(n, 30, 0.1),
        qMode: fc.constantFrom('free', 'posterior', 'posterior'),
        noise: fc.double({ min: -12, max: -1, noNaN: true }),
      }),
    )
    .map(({ regime, u, spread, inf, wq, qMode, noise }) => {
      const s = 10 ** spread;
      let l = u.map((x, i) => {
        switch (regime) {
          case 'uniform':
            return -1e4 * x;
          case 'near1000':
            return -1000 + 20 * (x - 0.5);
          case 'near5000':
            return -5000 + s * (x - 0.5);
          case 'underflowEdge':
            return i === 0 ? -3 * x : -690 - 70 * x;
          default:
            return -30 * x;
        }
      });
      if (impossible) l = l.map((x, i) => (inf[i] === 0 && i > 0 ? -Infinity : x));
      let q: number[];
      if (qMode === 'posterior') {
        let m = -Infinity;
        for (const x of l) if (x > m) m = x;
        const r = 10 ** noise;
        q = normalise(l.map((x, i) => (x === -Infinity ? 0 : Math.exp(x - m) * (1 + r * (u[(i + 1) % u.length]! - 0.5)))));
      } else {
        q = normalise(wq.map((x, i) => (l[i] === -Infinity ? 0 : x) || (l[i] === -Infinity ? 0 : 1e-3)));
      }
      if (c.qOnImpossible) {
        const j = l.findIndex((x) => x === -Infinity);
        if (j >= 0) {
          q = [...q];
          q[j] = 1e-3;
        }
      }
      return { logJoint: l, q };
    });
}

// ------------------------------------------------------------------------------------------
// Gaussians
// ------------------------------------------------------------------------------------------

export type Gaussian4 = [mu1: number, sigma1: number, mu2: number, sigma2: number];

export interface GaussianConstraints {
  /** log10 range of σ (default 8: σ ∈ [1e-8, 1e8]) */
  sigmaExp?: number;
  /** log10 range of |μ| scale (default 5) */
  muExp?: number;
  /** include extreme ratios σ1/σ2 up to 10^±300 and |Δμ/σ2| beyond the double range (default false) */
  extreme?: boolean;
}

/**
 * (μ1, σ1, μ2, σ2): independent, near-equal σ (σ2 = σ1(1 + r), r = ±1e-15..±1e-1) with near or
 * equal means, or (extreme) ratios 10^±300.
 */
export function gaussianParams(c: GaussianConstraints = {}): fc.Arbitrary<Gaussian4> {
  const se = c.sigmaExp ?? 8;
  const me = c.muExp ?? 5;
  const logSigma = fc.double({ min: -se, max: se, noNaN: true });
  const mu = fc.record({ x: fc.double({ min: -1, max: 1, noNaN: true }), e: fc.double({ min: -me, max: me, noNaN: true }) }).map(({ x, e }) => x * 10 ** e);
  const independent = fc.tuple(mu, logSigma, mu, logSigma).map(([a, s1, b, s2]): Gaussian4 => [a, 10 ** s1, b, 10 ** s2]);
  const near = fc
    .record({ m: mu, s: logSigma, r: fc.double({ min: -15, max: -1, noNaN: true }), neg: fc.boolean(), dm: fc.double({ min: -16, max: 0, noNaN: true }), same: fc.boolean() })
    .map(({ m, s, r, neg, dm, same }): Gaussian4 => {
      const s1 = 10 ** s;
      const s2 = s1 * (1 + (neg ? -1 : 1) * 10 ** r);
      const m2 = same ? m : m + s1 * 10 ** dm;
      return [m, s1, m2, s2];
    });
  const arbs: Array<fc.Arbitrary<Gaussian4>> = [independent, near];
  if (c.extreme) {
    arbs.push(
      fc
        .record({ a: fc.double({ min: -300, max: 300, noNaN: true }), b: fc.double({ min: -300, max: 300, noNaN: true }), m: fc.double({ min: -300, max: 300, noNaN: true }) })
        .map(({ a, b, m }): Gaussian4 => [10 ** m, 10 ** a, -(10 ** m), 10 ** b]),
    );
  }
  return fc.oneof(...arbs);
}

/** Diagonal Gaussians with d = 1..maxDim coordinates. */
export function gaussianDiag(c: GaussianConstraints & { maxDim?: number } = {}): fc.Arbitrary<[Vec, Vec, Vec, Vec]> {
  return fc.array(gaussianParams(c), { minLength: 1, maxLength: c.maxDim ?? 20 }).map((rows) => [
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    rows.map((r) => r[2]),
    rows.map((r) => r[3]),
  ]);
}
