import fc from 'fast-check';
import { badOption, insertAt, lengthRange, rawWeight, vectorOf, weightValue, RawWeight } from './_internal/building';
import { floatNormalize } from './_internal/exact';
import { roundedPosterior } from './_internal/posterior';

/**
 * How the log joints `logJoint[z] = log p(x, z)` of {@link latentModel} are spread (all ≤ 0;
 * −∞ marks an impossible z):
 *
 * | shape       | values                                                                                      |
 * |-------------|---------------------------------------------------------------------------------------------|
 * | `tied`      | −B − δ_z·2^-s, B ∈ [0, 20] or [0, 10^4] per model, δ_z ∈ [0, 16], s ∈ [30, 52]: nearly or exactly tied |
 * | `spread`    | −(a_z + f_z), a_z ∈ [0, 10^4] (skewed toward 0), f_z a multiple of 2^-20: from 0 down to −10^4 |
 * | `near-1000` | −1000 − (a_z + f_z), a_z ∈ [0, 60]: exp underflows to 0 for every z                          |
 * | `near-5000` | −5000 − (a_z + f_z), a_z ∈ [0, 60]                                                          |
 * | `positive`  | 800 − (a_z + f_z), a_z ∈ [0, 60]: positive log joints (densities), exp overflows for every z |
 * | `huge-gap`  | −(a_z + f_z) for a_z ≡ 0 (mod 3), else −10^(4 + a_z mod 12)·(1 + (a_z mod 7)/8): gaps 10^4 … 1.75·10^15 below the top (real data sets: 10^4–10^6), evidence terms down to e^-10^15 |
 */
export const LATENT_SHAPES = ['tied', 'spread', 'near-1000', 'near-5000', 'positive', 'huge-gap'] as const;
export type LatentShape = (typeof LATENT_SHAPES)[number];

/**
 * How the variational q of {@link latentModel} relates to the exact posterior π(z) = p(z | x):
 *
 * | kind          | q                                                                                         | ELBO                  |
 * |---------------|-------------------------------------------------------------------------------------------|-----------------------|
 * | `posterior`   | π correctly rounded to float64 (q = 0 where logJoint = −∞)                                  | = log evidence (±ulps) |
 * | `zeros`       | the posterior restricted to a smaller set: q = 0 at ≥ 1 z where π(z) > 0                     | finite, < log evidence |
 * | `extra-mass`  | q > 0 at ≥ 1 z where logJoint = −∞ (π(z) = 0)                                               | −∞                    |
 * | `independent` | integer weights over the possible z, float-normalised; q = 0 where logJoint = −∞             | finite                |
 */
export const LATENT_KINDS = ['posterior', 'zeros', 'extra-mass', 'independent'] as const;
export type LatentKind = (typeof LATENT_KINDS)[number];

export const LATENT_SHAPE_WEIGHTS: Readonly<Record<LatentShape, number>> = {
  tied: 20,
  spread: 20,
  'near-1000': 20,
  'near-5000': 15,
  positive: 10,
  'huge-gap': 15,
};
export const LATENT_KIND_WEIGHTS: Readonly<Record<LatentKind, number>> = {
  posterior: 35,
  zeros: 20,
  'extra-mass': 20,
  independent: 25,
};

/** A discrete latent-variable model for one observation x, with a variational distribution q. */
export interface LatentModel {
  /** log p(x, z) for each z: finite (≤ 0, or ≤ 800 for shape `positive`), or −∞ (impossible z); at least one finite. */
  logJoint: number[];
  /** A distribution over z (finite, ≥ 0, sums to 1 within 2 ulps), same length as logJoint. */
  q: number[];
  shape: LatentShape;
  kind: LatentKind;
}

/**
 * Constraints to be applied on {@link latentModel}.
 */
export interface LatentModelConstraints {
  /**
   * Lower bound of the number of latent values z (raised to 2 for the kinds that need it).
   * @defaultValue 1
   */
  minLength?: number;
  /**
   * Upper bound of the number of latent values z.
   * @defaultValue 64
   */
  maxLength?: number;
  /**
   * The shapes of the log joints.
   * @defaultValue all of {@link LATENT_SHAPES}
   */
  shapes?: readonly LatentShape[];
  /**
   * The kinds of q.
   * @defaultValue all of {@link LATENT_KINDS}
   */
  kinds?: readonly LatentKind[];
}

type SlotKind = 'feasible' | 'impossible' | 'zeroed' | 'mass';

interface Slot {
  kind: SlotKind;
  a: number; // 0..10000
  f: number; // 0..2^20-1
  d: number; // 0..16
  w: RawWeight;
}

/**
 * Required slots are always present (whatever shrinking does). Optional slots are feasible unless
 * their two draws x, y ∈ [0, 15] cross the model's rates: x ≥ 16 − τ makes z impossible (τ ∈ {0, 2,
 * 6}: a third of the models have no impossible z), y ≥ 16 − τ2 makes it the kind's second slot
 * kind (τ2 ∈ {0, 4, 8}). x and y shrink to 0, i.e. to feasible slots.
 */
const RECIPES: Record<LatentKind, { required: SlotKind[]; second: SlotKind | null }> = {
  posterior: { required: ['feasible'], second: null },
  zeros: { required: ['feasible', 'zeroed'], second: 'zeroed' },
  'extra-mass': { required: ['feasible', 'mass'], second: 'mass' },
  independent: { required: ['feasible'], second: null },
};

const slotFields = fc.tuple(
  fc.integer({ min: 0, max: 10000 }),
  fc.integer({ min: 0, max: 2 ** 20 - 1 }),
  fc.integer({ min: 0, max: 16 }),
  rawWeight,
);

interface RawSlot {
  x: number;
  y: number;
  a: number;
  f: number;
  d: number;
  w: RawWeight;
}

const rawSlot: fc.Arbitrary<RawSlot> = fc
  .tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), slotFields)
  .map(([x, y, [a, f, d, w]]) => ({ x, y, a, f, d, w }));

function requiredSlot(kind: SlotKind): fc.Arbitrary<Slot> {
  return slotFields.map(([a, f, d, w]) => ({ kind, a, f, d, w }));
}

/**
 * Discrete latent-variable models for one observation: `logJoint[z] = log p(x, z)` from 0 down
 * to −10^4 — nearly tied, widely spread, clustered near −1000 and −5000 where exp underflows,
 * positive (near 800, where exp overflows), with gaps of 10^4 … 10^15 below the top, with
 * −∞ for impossible z — and a variational q: the exact posterior (correctly rounded, computed by
 * log-sum-exp in double-double), the posterior with zeros, q with mass where the posterior has
 * none, or an unrelated q. The corners of logEvidence, posterior and the ELBO.
 *
 * The output is `{ logJoint, q, shape, kind }` (see {@link LATENT_SHAPES}, {@link LATENT_KINDS}).
 * Shrinking keeps shape and kind and goes to one or two z with round values, e.g.
 * `{ logJoint: [-1000], q: [1] }` or `{ logJoint: [0, -Infinity], q: [0.5, 0.5] }`.
 *
 * @param constraints - Constraints to apply when building instances
 */
export function latentModel(constraints: LatentModelConstraints = {}): fc.Arbitrary<LatentModel> {
  const fn = 'latentModel';
  const [min, max] = lengthRange(fn, constraints.minLength, constraints.maxLength, 64);
  const shapes = constraints.shapes ?? LATENT_SHAPES;
  const kinds = constraints.kinds ?? LATENT_KINDS;
  for (const s of shapes) if (!LATENT_SHAPES.includes(s)) badOption(fn, 'shapes', `unknown shape '${String(s)}'`);
  for (const k of kinds) if (!LATENT_KINDS.includes(k)) badOption(fn, 'kinds', `unknown kind '${String(k)}'`);
  if (shapes.length === 0) badOption(fn, 'shapes', 'at least one shape is needed');
  const usableKinds = kinds.filter((k) => RECIPES[k].required.length <= max);
  if (usableKinds.length === 0) badOption(fn, 'kinds', `no kind in [${kinds.join(', ')}] fits maxLength ${max}`);
  const shapeArb = fc.oneof(...shapes.map((s) => ({ arbitrary: fc.constant(s), weight: LATENT_SHAPE_WEIGHTS[s] })));
  const perKind = usableKinds.map((kind) => {
    const recipe = RECIPES[kind];
    const R = recipe.required.length;
    const arb = fc
      .tuple(
        shapeArb,
        fc.tuple(
          fc.oneof({ withCrossShrink: true }, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 10000 })),
          fc.integer({ min: 30, max: 52 }),
          fc.constantFrom(0, 2, 6),
          fc.constantFrom(0, 4, 8),
        ),
        fc.tuple(...recipe.required.map((k) => fc.tuple(requiredSlot(k), fc.nat({ max })))),
        vectorOf(rawSlot, Math.max(0, min - R), max - R),
      )
      .map(([shape, [B, s, tau, tau2], req, opt]) => {
        const optional = opt.map((o): Slot => {
          const k: SlotKind = o.x >= 16 - tau ? 'impossible' : recipe.second !== null && o.y >= 16 - tau2 ? recipe.second : 'feasible';
          return { kind: k, a: o.a, f: o.f, d: o.d, w: o.w };
        });
        const slots = insertAt(
          optional,
          req.map(([x]) => x),
          req.map(([, pos]) => pos),
        );
        return build(shape, kind, slots, B, s);
      });
    return { arbitrary: arb, weight: LATENT_KIND_WEIGHTS[kind] };
  });
  return perKind.length === 1 ? perKind[0]!.arbitrary : fc.oneof(...perKind);
}

function logJointValue(shape: LatentShape, s: Slot, B: number, sBits: number): number {
  const frac = s.f * 2 ** -20;
  switch (shape) {
    case 'tied':
      return 0 - B - s.d * 2 ** -sBits; // 0 − …: never −0
    case 'spread': {
      // a·(a/10^4)^3: skewed toward 0 (half the values above −745) but reaching −10^4.
      const a = Math.floor(s.a * (s.a / 10000) ** 3);
      return 0 - (a + frac);
    }
    case 'near-1000':
      return -1000 - ((s.a % 61) + frac);
    case 'near-5000':
      return -5000 - ((s.a % 61) + frac);
    case 'positive':
      return 800 - ((s.a % 61) + frac);
    case 'huge-gap':
      // a ≡ 0 (mod 3), and a = 0 where shrinking goes: near the top; else 10^4 … 1.75·10^15 below it
      return s.a % 3 === 0 ? 0 - ((s.a % 61) + frac) : -(10 ** (4 + (s.a % 12)) * (1 + (s.a % 7) / 8) + frac);
  }
}

function build(shape: LatentShape, kind: LatentKind, slots: Slot[], B: number, sBits: number): LatentModel {
  const logJoint = slots.map((s) =>
    s.kind === 'impossible' || s.kind === 'mass' ? -Infinity : logJointValue(shape, s, B, sBits),
  );
  let q: number[];
  switch (kind) {
    case 'posterior':
      q = roundedPosterior(logJoint);
      break;
    case 'zeros':
      // The posterior of the model with the zeroed z made impossible.
      q = roundedPosterior(slots.map((s, i) => (s.kind === 'zeroed' ? -Infinity : logJoint[i]!)));
      break;
    case 'extra-mass':
    case 'independent': {
      const w = slots.map((s) => (s.kind === 'feasible' || s.kind === 'mass' ? weightValue(s.w, 0) : 0));
      const positive = floatNormalize(w.filter((x) => x > 0));
      let j = 0;
      q = w.map((x) => (x > 0 ? positive[j++]! : 0));
      break;
    }
  }
  return { logJoint, q, shape, kind };
}
