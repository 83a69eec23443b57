/**
 * The posterior of a discrete latent-variable model, rounded to float64 (internal).
 *
 * posterior[z] = exp(logJoint[z] − LSE) with LSE = log Σ_z exp(logJoint[z]), computed by the
 * log-sum-exp shift in double-double arithmetic (≈ 100 bits): d_z = logJoint[z] − max exactly
 * (TwoSum), exp(d_z) = 2^k · exp(r) with r reduced by k·ln 2 in double-double, the sum S and the
 * ratios exp(d_z)/S in double-double, then ONE rounding to the nearest double (on the subnormal
 * grid where the result is subnormal). The result is therefore the exact posterior correctly
 * rounded, except when the exact value lies within about 2^-95 (relative) of a rounding midpoint.
 * Entries with logJoint = −∞ get exactly 0; entries whose posterior is below 2^-1075 round to 0.
 *
 * decimal.js would do this too but costs ~160 µs per exp at 30 digits; this costs ~1 µs.
 */

type DD = [number, number]; // hi + lo, |lo| ≤ ½ ulp(hi)

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  const e = a - (s - bb) + (b - bb);
  return [s, e];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

const SPLITTER = 134217729; // 2^27 + 1

function split(a: number): DD {
  const t = SPLITTER * a;
  const hi = t - (t - a);
  return [hi, a - hi];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  return [p, e];
}

function ddAdd(a: DD, b: DD): DD {
  const [s, e0] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  let e = e0 + t;
  const [s1, e1] = quickTwoSum(s, e);
  e = e1 + f;
  return quickTwoSum(s1, e);
}

function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

function ddMulNum(a: DD, b: number): DD {
  const [p, e] = twoProd(a[0], b);
  return quickTwoSum(p, e + a[1] * b);
}

function ddDiv(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  let r = ddAdd(a, neg(ddMulNum(b, q1)));
  const q2 = r[0] / b[0];
  r = ddAdd(r, neg(ddMulNum(b, q2)));
  const q3 = r[0] / b[0];
  return ddAdd(quickTwoSum(q1, q2), [q3, 0]);
}

function neg(a: DD): DD {
  return [-a[0], -a[1]];
}

// ln 2 to ~107 bits.
const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
// 1/k! for the Taylor series of expm1.
const INV_FACT: DD[] = (() => {
  const out: DD[] = [];
  let f: DD = [1, 0];
  for (let k = 1; k <= 14; k++) {
    f = ddDiv(f, [k, 0]);
    out.push(f);
  }
  return out;
})();

/** expm1(r) in double-double for |r| ≤ 0.35 (argument divided by 2^9, series, then squared back). */
function ddExpm1Small(r: DD): DD {
  const x: DD = [r[0] / 512, r[1] / 512];
  // Horner form of Σ_{k≥1} x^k/k! = x·(c1 + x·(c2 + x·(… + x·c14))), c_k = 1/k!.
  let sum: DD = INV_FACT[INV_FACT.length - 1]!;
  for (let k = INV_FACT.length - 1; k >= 1; k--) sum = ddAdd(ddMul(sum, x), INV_FACT[k - 1]!);
  sum = ddMul(sum, x);
  let e = sum;
  for (let i = 0; i < 9; i++) {
    // expm1(2y) = expm1(y)·(2 + expm1(y))
    e = ddMul(e, ddAdd([2, 0], e));
  }
  return e;
}

/** exp(d) for a double-double d ≤ 0, as [k, m] with exp(d) = 2^k · m, m ∈ (0.7, 1.5). */
function ddExp(d: DD): { k: number; m: DD } {
  const k = Math.round(d[0] / LN2[0]);
  // r = d − k·ln2, with k·ln2 exact enough: twoProd(k, LN2_hi) is exact, k·LN2_lo error ~2^-106·k.
  const kl = twoProd(k, LN2[0]);
  let r = ddAdd(d, neg(kl));
  r = ddAdd(r, [-k * LN2[1], 0]);
  const m = ddAdd([1, 0], ddExpm1Small(r));
  return { k, m };
}

/** Round hi+lo (a normalised double-double) times 2^k to the nearest double, once. */
function roundScaled(v: DD, k: number): number {
  const approx = scale2(v[0], k);
  if (approx >= 2.2250738585072014e-308) {
    // Normal result: v[0] is already the nearest double to v (|lo| ≤ ½ ulp); scaling is exact.
    return approx;
  }
  // Subnormal result: round v·2^(k+1074) to an integer.
  const j = k + 1074;
  if (j < -2) return 0;
  const H = scale2(v[0], j);
  const L = scale2(v[1], j);
  const f = Math.floor(H);
  const frac = H - f + L;
  let n = f;
  if (frac > 0.5) n = f + 1;
  else if (frac === 0.5) n = f % 2 === 0 ? f : f + 1;
  else if (frac < -0.5) n = f - 1; // cannot happen for normalised input, kept for safety
  return n * 5e-324;
}

/** x · 2^k for k ≤ 52 (exact when the result is normal or exactly representable). */
function scale2(x: number, k: number): number {
  // 2^k underflows below k = -1074: split the power.
  while (k < -1000) {
    // Only used where the result stays exactly representable.
    x *= 2 ** -1000;
    k += 1000;
  }
  return x * 2 ** k;
}

/**
 * The posterior of a latent model, correctly rounded (see the file comment).
 * logJoint: finite values or −∞, at least one finite. Returns a new array.
 */
export function roundedPosterior(logJoint: readonly number[]): number[] {
  let M = -Infinity;
  for (const l of logJoint) if (l > M) M = l;
  if (!Number.isFinite(M)) throw new RangeError('roundedPosterior: no finite log joint');
  const parts: ({ k: number; m: DD } | null)[] = logJoint.map((l) => {
    if (l === -Infinity) return null;
    const d = twoSum(l, -M);
    if (d[0] < -1100) return null; // posterior < 2^-1580: rounds to 0
    return ddExp(d);
  });
  let S: DD = [0, 0];
  for (const p of parts) {
    if (p === null || p.k < -130) continue; // < 2^-129 relative to S ≥ 1: below double-double precision
    S = ddAdd(S, [scale2(p.m[0], p.k), scale2(p.m[1], p.k)]);
  }
  return parts.map((p) => {
    if (p === null) return 0;
    const ratio = ddDiv(p.m, S);
    return roundScaled(ratio, p.k);
  });
}
