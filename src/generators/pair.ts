import fc from 'fast-check';
import {
  DEFAULT_MAX_LENGTH,
  RawTiny,
  RawWeight,
  badOption,
  extraBitsArb,
  insertAt,
  lengthRange,
  rawTiny,
  rawWeight,
  spreadArb,
  tinyValue,
  vectorOf,
  weightValue,
} from './_internal/building';
import { accurateSum, chunksOf, dyadicNormalize, floatNormalize, nextUp, toScaled } from './_internal/exact';
import { distribution } from './distribution';

/**
 * The relations of {@link pair}: each is a recipe with a guarantee on the supports
 * (S(v) = {i : v_i > 0}), checked by `pairRelationHolds` in `./classify`.
 *
 * | relation        | guarantee                                                                                   | min n | kl(p‖q) | kl(q‖p) |
 * |-----------------|---------------------------------------------------------------------------------------------|-------|---------|---------|
 * | `independent`   | p and q drawn independently, both strictly positive everywhere                              | 1     | finite  | finite  |
 * | `equal`         | q has the same values as p (a distinct array); p any {@link distribution} shape              | 1     | 0       | 0       |
 * | `near-equal`    | S(p) = S(q), q ≠ p, q_i = p_i(1 + ε_i) renormalised, \|ε_i\| from 8·2^-10 (~1e-2) to 2^-50 (~1e-15) | 2 | finite ≈ ε² | finite |
 * | `p-ll-q`        | p ≪ q strictly: S(p) ⊊ S(q) (q has extra support)                                             | 2     | finite  | +∞      |
 * | `q-ll-p`        | q ≪ p strictly: S(q) ⊊ S(p)                                                                   | 2     | +∞      | finite  |
 * | `common-zeros`  | S(p) = S(q) ≠ all: some p_i = q_i = 0                                                          | 2     | finite  | finite  |
 * | `mismatch`      | some p_i > 0 where q_i = 0, and S(p) ∩ S(q) ≠ ∅ (q may have extra support too)                  | 2     | +∞      | any     |
 * | `near-mismatch` | S(p) = S(q); for some i, q_i is subnormal (≤ 2^20·5e-324) while p_i is a largest entry of p (≥ 1/2n), so p_i / q_i overflows to +∞ | 2 | finite | finite |
 * | `disjoint`      | S(p) ∩ S(q) = ∅                                                                             | 2     | +∞      | +∞      |
 */
export const PAIR_RELATIONS = [
  'independent',
  'equal',
  'near-equal',
  'p-ll-q',
  'q-ll-p',
  'common-zeros',
  'mismatch',
  'near-mismatch',
  'disjoint',
] as const;
export type PairRelation = (typeof PAIR_RELATIONS)[number];

/** Smallest number of categories each relation needs. */
export const PAIR_RELATION_MIN_LENGTH: Readonly<Record<PairRelation, number>> = {
  independent: 1,
  equal: 1,
  'near-equal': 2,
  'p-ll-q': 2,
  'q-ll-p': 2,
  'common-zeros': 2,
  mismatch: 2,
  'near-mismatch': 2,
  disjoint: 2,
};

/** A pair of distributions on one support, with the relation that was built into it. */
export interface DistributionPair {
  p: number[];
  q: number[];
  relation: PairRelation;
}

/**
 * Constraints to be applied on {@link pair}.
 */
export interface PairConstraints {
  /**
   * The relation between p and q (see {@link PAIR_RELATIONS}).
   * @defaultValue 'independent'
   */
  relation?: PairRelation;
  /**
   * Lower bound of the number of categories (raised to the relation's minimum, 1 or 2).
   * @defaultValue the relation's minimum
   */
  minLength?: number;
  /**
   * Upper bound of the number of categories; small lengths are common (as in `distribution`).
   * @defaultValue 300
   */
  maxLength?: number;
  /**
   * Both p and q sum to EXACTLY 1 (dyadic entries; for `near-mismatch` the subnormal q masses are
   * compensated by up to 20 extra categories, so it needs maxLength ≥ 24). When false, each pair
   * is exact or float-normalised at random (about half each; `near-mismatch` pairs are then always
   * float-normalised, so that they shrink to two categories).
   * @defaultValue false
   */
  exact?: boolean;
}

/**
 * Pairs (p, q) of probability vectors of the same length with a chosen support relation
 * ({@link PAIR_RELATIONS}): the corners where implementations of kl, cross-entropy and their
 * relatives break — zeros in p, zeros in q, common zeros, support mismatch (+∞), ratios p/q that
 * overflow, near-equal pairs (cancellation), disjoint supports.
 *
 * The output is `{ p, q, relation }` with plain `number[]` vectors. Every p and q is a valid
 * distribution: finite, ≥ 0, summing to 1 exactly or within 2 ulps.
 *
 * Shrinking keeps the relation and goes to two or three categories with values 0, ½, ¼, 1 (and
 * 5e-324 for `near-mismatch`): e.g. mismatch → `p = [½, ½], q = [1, 0]`.
 *
 * @param constraints - Constraints to apply when building instances
 *
 * @example
 * ```ts
 * fc.assert(fc.property(pair({ relation: 'mismatch' }), ({ p, q }) => kl(p, q) === Infinity));
 * ```
 */
export function pair(constraints: PairConstraints = {}): fc.Arbitrary<DistributionPair> {
  const fn = 'pair';
  const relation = constraints.relation ?? 'independent';
  if (!PAIR_RELATIONS.includes(relation)) badOption(fn, 'relation', `unknown relation '${String(relation)}'`);
  const floor = PAIR_RELATION_MIN_LENGTH[relation];
  const [min0, max] = lengthRange(fn, constraints.minLength, constraints.maxLength, DEFAULT_MAX_LENGTH, floor);
  const min = Math.max(min0, floor);
  if (max < min) badOption(fn, 'maxLength', `relation '${relation}' needs maxLength ≥ ${min}, got ${max}`);
  const exact = constraints.exact === true;
  if (exact && relation === 'near-mismatch' && max < 24) {
    badOption(fn, 'maxLength', `exact near-mismatch pairs need maxLength ≥ 24 (complement chunks), got ${max}`);
  }
  if (relation === 'equal') {
    return distribution({ minLength: min, maxLength: max, exact }).map((p) => ({ p, q: p.slice(), relation }));
  }
  return slotPair(relation, min, max, exact);
}

// ---------------------------------------------------------------------------------------------
// Slot-based construction. A pair is a list of slots, each of a kind:
//   both   (p > 0, q > 0)    p-only (p > 0, q = 0)    q-only (p = 0, q > 0)
//   none   (p = q = 0)       near   (p ≥ 1/n, q subnormal)
// The relation fixes REQUIRED slots (always present, whatever shrinking does) and the kinds
// allowed for the OPTIONAL slots (the first kind is the one optional slots shrink to).

type SlotKind = 'both' | 'p-only' | 'q-only' | 'none' | 'near';

interface Slot {
  kind: SlotKind;
  a: RawWeight; // p weight
  b: RawWeight; // q weight
  t: RawTiny; // tiny mass (near slots' q; tiny-style sides)
  flag: number; // 0..7: a 'both' slot carries a tiny mass on the tiny-style side when flag ≥ 5
  d: number; // -8..8: relative perturbation (near-equal)
}

const RECIPES: Record<Exclude<PairRelation, 'equal'>, { required: SlotKind[]; optional: SlotKind[] }> = {
  independent: { required: ['both'], optional: ['both'] },
  'near-equal': { required: ['both', 'both'], optional: ['both', 'none'] },
  'p-ll-q': { required: ['both', 'q-only'], optional: ['both', 'q-only', 'none'] },
  'q-ll-p': { required: ['both', 'p-only'], optional: ['both', 'p-only', 'none'] },
  'common-zeros': { required: ['both', 'none'], optional: ['both', 'none'] },
  mismatch: { required: ['both', 'p-only'], optional: ['both', 'p-only', 'q-only', 'none'] },
  'near-mismatch': { required: ['both', 'near'], optional: ['both', 'near', 'none'] },
  disjoint: { required: ['p-only', 'q-only'], optional: ['p-only', 'q-only', 'none'] },
};

const slotFields = fc.tuple(
  rawWeight,
  rawWeight,
  rawTiny,
  fc.integer({ min: 0, max: 7 }),
  fc.integer({ min: -8, max: 8 }),
);

function slotArb(kinds: readonly SlotKind[]): fc.Arbitrary<Slot> {
  const kind = kinds.length === 1 ? fc.constant(kinds[0]!) : fc.constantFrom(...kinds);
  return fc.tuple(kind, slotFields).map(([k, [a, b, t, flag, d]]) => ({ kind: k, a, b, t, flag, d }));
}

interface PairParams {
  mode: 'exact' | 'float';
  tinySide: 'none' | 'p' | 'q';
  spreadP: number;
  spreadQ: number;
  extraP: number;
  extraQ: number;
  s: number; // near-equal: perturbation 2^-s
}

function slotPair(relation: Exclude<PairRelation, 'equal'>, min: number, max: number, exact: boolean): fc.Arbitrary<DistributionPair> {
  const recipe = RECIPES[relation];
  const R = recipe.required.length;
  const params = fc
    .tuple(
      exact
        ? fc.constant<'exact'>('exact')
        : relation === 'near-mismatch'
          ? fc.constant<'float'>('float') // exact near-mismatch pairs are long (chunks): only on request
          : fc.constantFrom<'exact' | 'float'>('exact', 'float'),
      fc.oneof(
        { withCrossShrink: true },
        { arbitrary: fc.constant<'none'>('none'), weight: 4 },
        { arbitrary: fc.constantFrom<'p' | 'q'>('p', 'q'), weight: 1 },
      ),
      spreadArb,
      spreadArb,
      extraBitsArb,
      extraBitsArb,
      fc.integer({ min: 10, max: 50 }),
    )
    .map(([mode, tinySide, spreadP, spreadQ, extraP, extraQ, s]): PairParams => ({
      mode,
      tinySide,
      spreadP,
      spreadQ,
      extraP,
      extraQ,
      s,
    }));
  const required = fc.tuple(...recipe.required.map((k) => fc.tuple(slotArb([k]), fc.nat({ max }))));
  const optional = vectorOf(slotArb(recipe.optional), Math.max(0, min - R), max - R);
  return fc.tuple(params, required, optional).map(([pp, req, opt]) => {
    let extras = opt;
    for (;;) {
      const slots = insertAt(
        extras,
        req.map(([s]) => s),
        req.map(([, pos]) => pos),
      );
      const built = buildPair(relation, slots, pp);
      if (built.p.length <= max || extras.length === 0) return { p: built.p, q: built.q, relation };
      extras = extras.slice(0, Math.max(0, extras.length - (built.p.length - max)));
    }
  });
}

function buildPair(relation: PairRelation, slots: Slot[], pp: PairParams): { p: number[]; q: number[] } {
  const exact = pp.mode === 'exact';
  const tinySide = exact ? 'none' : pp.tinySide;
  // p side: bulk weights on both / p-only; near slots get the largest p weight (so p_i ≥ 1/n).
  let maxA = 1;
  for (const s of slots) if (s.kind === 'both' || s.kind === 'p-only') maxA = Math.max(maxA, weightValue(s.a, pp.spreadP));
  const pSide: Entry[] = slots.map((s) => {
    switch (s.kind) {
      case 'both':
        return tinySide === 'p' && s.flag >= 5 ? { tiny: tinyValue(s.t) } : { w: weightValue(s.a, pp.spreadP) };
      case 'p-only':
        return { w: weightValue(s.a, pp.spreadP) };
      case 'near':
        return { w: maxA };
      default:
        return null;
    }
  });
  let firstNear = true;
  const qSide: Entry[] = slots.map((s) => {
    switch (s.kind) {
      case 'both':
        return tinySide === 'q' && s.flag >= 5 ? { tiny: tinyValue(s.t) } : { w: weightValue(s.b, pp.spreadQ) };
      case 'q-only':
        return { w: weightValue(s.b, pp.spreadQ) };
      case 'near':
        if (firstNear) {
          // The required near slot: q = c·2^-1074, c ≤ 2^20, so p_i / q_i ≥ 2^-9 / 2^-1054 overflows.
          firstNear = false;
          return { tiny: (1 + (((s.t.c - 1) * 1035 + s.t.g) % 2 ** 20)) * 5e-324 };
        }
        return { tiny: tinyValue(s.t) };
      default:
        return null;
    }
  });
  ensureBulk(pSide, slots);
  ensureBulk(qSide, slots);
  const q = assemble(qSide, exact, pp.extraQ);
  // Complement chunks of an exact q are new categories where p is positive too (weight 1).
  for (let i = pSide.length; i < q.length; i++) pSide.push({ w: 1 });
  const p = assemble(pSide, exact, pp.extraP);
  if (relation === 'near-equal') return { p, q: perturb(p, slots, pp, exact) };
  return { p, q };
}

type Entry = { w: number } | { tiny: number } | null;

/**
 * A side needs at least one bulk entry to carry the mass: turn its first tiny entry on a 'both'
 * slot (never the near slot, whose tiny q is the point of the relation) into bulk.
 */
function ensureBulk(side: Entry[], slots: readonly Slot[]): void {
  if (side.some((e) => e !== null && 'w' in e)) return;
  let i = side.findIndex((e, j) => e !== null && slots[j]!.kind === 'both');
  if (i < 0) i = side.findIndex((e) => e !== null);
  if (i >= 0) side[i] = { w: 1 };
}

/**
 * Bulk entries normalised to 1 − Σtiny. Float: float division. Exact: dyadic, and when there are
 * tiny masses the largest bulk entry B becomes the doubles summing exactly to B − Σtiny (the first
 * in place, the others appended).
 */
function assemble(side: Entry[], exact: boolean, extra: number): number[] {
  const bulkIdx: number[] = [];
  const tinyIdx: number[] = [];
  side.forEach((e, i) => {
    if (e === null) return;
    if ('w' in e) bulkIdx.push(i);
    else tinyIdx.push(i);
  });
  const out = side.map(() => 0);
  const tiny = tinyIdx.map((i) => (side[i] as { tiny: number }).tiny);
  tinyIdx.forEach((i, j) => (out[i] = tiny[j]!));
  const weights = bulkIdx.map((i) => (side[i] as { w: number }).w);
  if (!exact) {
    const b = floatNormalize(weights, 1 - accurateSum(tiny));
    bulkIdx.forEach((i, j) => (out[i] = b[j]!));
    return out;
  }
  const b = dyadicNormalize(weights.map(BigInt), extra);
  bulkIdx.forEach((i, j) => (out[i] = b[j]!));
  if (tiny.length === 0) return out;
  let jMax = bulkIdx[0]!;
  for (const i of bulkIdx) if (out[i]! > out[jMax]!) jMax = i;
  let T = 0n;
  for (const t of tiny) T += toScaled(t);
  const chunks = chunksOf(toScaled(out[jMax]!) - T);
  out[jMax] = chunks[0]!;
  return out.concat(chunks.slice(1));
}

/** near-equal: q_i = p_i (1 + d_i 2^-s), renormalised; same support; q ≠ p guaranteed. */
function perturb(p: number[], slots: Slot[], pp: PairParams, exact: boolean): number[] {
  const d = slots.map((s) => (s.kind === 'both' ? s.d : 0));
  if (!d.some((x) => x !== 0)) d[p.findIndex((x) => x > 0)] = 1;
  let q: number[];
  if (exact) {
    // p = k/2^m (m ≤ 53): on the 2^-53 grid, perturb the integers, renormalise dyadically.
    const K = p.map((x) => BigInt(x * 2 ** 53));
    const Q = K.map((k, i) => {
      if (k === 0n) return 0n;
      const v = k + (k * BigInt(d[i]!)) / (1n << BigInt(pp.s));
      return v < 1n ? 1n : v;
    });
    const pos = Q.filter((x) => x > 0n);
    const normalized = dyadicNormalize(pos, 53);
    let j = 0;
    q = Q.map((x) => (x > 0n ? normalized[j++]! : 0));
  } else {
    const w = p.map((x, i) => x * (1 + d[i]! * 2 ** -pp.s));
    q = floatNormalize(w);
  }
  if (q.every((x, i) => x === p[i])) {
    // The perturbation rounded away: move one unit of the grid between the two largest entries.
    const order = q.map((_, i) => i).filter((i) => q[i]! > 0).sort((a, b) => q[b]! - q[a]!);
    const i = order[0]!;
    const k = order[1]!;
    if (exact) {
      q[i] = q[i]! - 2 ** -53;
      q[k] = q[k]! + 2 ** -53;
    } else {
      q[i] = nextUp(q[i]!);
    }
  }
  return q;
}
