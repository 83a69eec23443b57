/**
 * The generators: every drawn value is valid input with the guarantee its recipe claims
 * (checked on thousands of draws with exact arithmetic), constraints are honoured and checked,
 * draws are deterministic, the latent posterior is the exact posterior correctly rounded, and the
 * exact-arithmetic helpers are exact. Shrinking: generators-shrink.test.ts; coverage:
 * generators-coverage.test.ts.
 */
import test from 'ava';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import {
  DISTRIBUTION_SHAPES,
  GAUSSIAN_RELATIONS,
  INVALID_TARGETS,
  PAIR_RELATIONS,
  anyPair,
  distribution,
  gaussianPair,
  invalidInput,
  isValidVector,
  latentModel,
  pair,
  pairRelationHolds,
  shapeOf,
  sumsExactlyToOne,
  unnormalized,
} from '../src/generators';
import { MIN_NORMAL, klFinite, lengthBucket, minPositiveBucket, ratioOverflows } from '../src/generators/classify';
import {
  ONE_SCALED,
  accurateSum,
  chunksOf,
  dyadicNormalize,
  exactScaledSum,
  nextUp,
  scaledToNumber,
  toIntegerWeights,
  toScaled,
} from '../src/generators/_internal/exact';
import { roundedPosterior } from '../src/generators/_internal/posterior';
import { InvalidInputError } from '../src/numeric/errors';
import { toDecimal } from '../src/numeric/exact';
import * as ref from '../src/reference';

const SEED = 20240917;

/** |Σv − 1| in units of 2^-52 (ulp(1)), exactly. */
function sumErrorUlps(v: readonly number[]): number {
  return Math.abs(Number(exactScaledSum(v) - ONE_SCALED)) / 2 ** (1074 - 52);
}

/** Normalised within 2 ulps of 1 (|Σ − 1| ≤ 2^-51), the promise of every float-normalised vector. */
const TWO_ULPS = 2;

// ---------------------------------------------------------------------------------------------
// Exact helpers

test('toScaled / scaledToNumber round-trip every class of nonnegative double', (t) => {
  for (const x of [0, 5e-324, 2 ** -1073 * 3, MIN_NORMAL, 0.1, 0.5, 1 - 2 ** -53, 1, 3, 2 ** 1023 * 1.5, Number.MAX_VALUE]) {
    t.is(scaledToNumber(toScaled(x)), x);
  }
  fc.assert(
    fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (x) => scaledToNumber(toScaled(x)) === Math.abs(x)),
  );
  t.throws(() => scaledToNumber((1n << 60n) + 1n), { instanceOf: RangeError });
  t.throws(() => toScaled(-1), { instanceOf: RangeError });
});

test('chunksOf splits a scaled value into doubles whose exact sum is the value, at most ⌈bits/53⌉ of them', (t) => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: ONE_SCALED }), (R) => {
      const c = chunksOf(R);
      const L = R.toString(2).length;
      return exactScaledSum(c) === R && c.length <= Math.ceil(L / 53) && c.every((x, i) => i === 0 || x < c[i - 1]!);
    }),
  );
  t.deepEqual(chunksOf(ONE_SCALED), [1]);
  t.is(chunksOf(ONE_SCALED - 1n).length, 21);
});

test('dyadicNormalize: integers k_i ≥ 1 summing to exactly 2^m, simple for small weights', (t) => {
  t.deepEqual(dyadicNormalize([1n]), [1]);
  t.deepEqual(dyadicNormalize([1n, 1n]), [0.5, 0.5]);
  t.deepEqual(dyadicNormalize([1n, 1n, 1n]), [0.5, 0.25, 0.25]);
  t.deepEqual(dyadicNormalize([1n, 3n]), [0.25, 0.75]);
  t.deepEqual(dyadicNormalize([]), []);
  t.throws(() => dyadicNormalize([0n, 1n]), { instanceOf: RangeError });
  fc.assert(
    fc.property(
      fc.array(fc.bigInt({ min: 1n, max: 1n << 62n }), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 0, max: 60 }),
      (w, extra) => {
        const p = dyadicNormalize(w, extra);
        return sumsExactlyToOne(p) && p.every((x) => x > 0 && x * 2 ** 53 === Math.round(x * 2 ** 53));
      },
    ),
  );
  // Weights that round down everywhere and weights that round up everywhere both balance.
  t.true(sumsExactlyToOne(dyadicNormalize(Array.from({ length: 5 }, () => 1n))));
  t.true(sumsExactlyToOne(dyadicNormalize([1n, 1n, 1n, 1n, 1n, 1n, 1n, 9n])));
});

test('toIntegerWeights keeps small integers and scales the rest to ≥ 1', (t) => {
  t.deepEqual(toIntegerWeights([1, 2, 3]), [1n, 2n, 3n]);
  const w = toIntegerWeights([1e300, 1e-300, 0.5]);
  t.is(w[0], 1n << 52n);
  t.is(w[1], 1n);
  t.true(w.every((x) => x >= 1n));
});

test('nextUp is the next double', (t) => {
  t.is(nextUp(0), 5e-324);
  t.is(nextUp(1), 1 + 2 ** -52);
  t.is(nextUp(0.5), 0.5 + 2 ** -53);
  t.is(nextUp(5e-324), 1e-323);
  t.is(nextUp(1 - 2 ** -53), 1);
});

test('accurateSum is compensated', (t) => {
  t.is(accurateSum([1, 2 ** -53, 2 ** -53]), 1 + 2 ** -52);
  t.is(accurateSum([2 ** -53, 1, -1]), 2 ** -53);
});

// ---------------------------------------------------------------------------------------------
// Invariants of the drawn values

test('distribution(): valid, within length bounds, normalised as its shape promises (3000 draws)', (t) => {
  const seen = new Set<string>();
  for (const p of fc.sample(distribution(), { seed: SEED, numRuns: 3000 })) {
    const shape = shapeOf(p)!;
    seen.add(shape);
    t.true(isValidVector(p) && p.length <= 300 && p.some((x) => x > 0), JSON.stringify(p));
    const exact = sumsExactlyToOne(p);
    if (shape === 'dyadic' || shape === 'one-hot') t.true(exact, shape);
    if (shape === 'float') t.false(exact, JSON.stringify(p));
    if (shape === 'sparse' || shape === 'tiny') t.true(p.length >= 2);
    if (shape === 'sparse') t.true(p.includes(0));
    if (shape === 'one-hot') t.is(p.filter((x) => x !== 0).length, 1);
    if (shape === 'tiny') t.true(p.some((x) => x > 0 && x <= 2 ** -30), JSON.stringify(p));
    t.true(sumErrorUlps(p) <= TWO_ULPS, `${shape}: ${sumErrorUlps(p)} ulps`);
  }
  t.deepEqual([...seen].sort(), [...DISTRIBUTION_SHAPES].sort());
});

test('distribution({ exact: true }) sums to exactly 1 in every shape, including subnormal ones', (t) => {
  let subnormal = 0;
  for (const p of fc.sample(distribution({ exact: true }), { seed: SEED, numRuns: 1500 })) {
    t.true(isValidVector(p) && sumsExactlyToOne(p), `${shapeOf(p)}: ${JSON.stringify(p)}`);
    t.not(shapeOf(p), 'float');
    if (p.some((x) => x > 0 && x < MIN_NORMAL)) subnormal++;
  }
  t.true(subnormal > 50, `${subnormal} exactly normalised vectors with subnormal entries`);
});

test('distribution honours minLength / maxLength / shapes, for every shape', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom(...DISTRIBUTION_SHAPES),
      fc.boolean(),
      fc.integer(),
      (min, extra, shape, exact, seed) => {
        const max = min + extra;
        const possible = !(['sparse', 'tiny', 'float'].includes(shape) && max < 2) && !(exact && shape === 'float') && !(exact && shape === 'tiny' && max < 22);
        if (!possible) {
          t.throws(() => distribution({ minLength: min, maxLength: max, shapes: [shape], exact }), { instanceOf: InvalidInputError });
          return true;
        }
        return fc
          .sample(distribution({ minLength: min, maxLength: max, shapes: [shape], exact }), { seed, numRuns: 5 })
          .every((p) => p.length >= min && p.length <= max && shapeOf(p) === shape && isValidVector(p) && (!exact || sumsExactlyToOne(p)));
      },
    ),
    { numRuns: 150 },
  );
});

test('pair: every relation holds on every draw (9 × 300 draws)', (t) => {
  for (const relation of PAIR_RELATIONS) {
    let exact = 0;
    for (const x of fc.sample(pair({ relation }), { seed: SEED, numRuns: 300 })) {
      t.is(x.relation, relation);
      t.is(x.p.length, x.q.length);
      t.not(x.p, x.q);
      t.true(pairRelationHolds(relation, x.p, x.q), `${relation}: ${JSON.stringify(x)}`);
      t.true(x.p.length <= 300 && x.p.length >= (relation === 'independent' || relation === 'equal' ? 1 : 2));
      t.true(sumErrorUlps(x.p) <= TWO_ULPS && sumErrorUlps(x.q) <= TWO_ULPS, `${relation}: sums`);
      if (sumsExactlyToOne(x.p) && sumsExactlyToOne(x.q)) exact++;
      // What each relation means for kl.
      const finite = klFinite(x.p, x.q);
      if (['independent', 'equal', 'near-equal', 'p-ll-q', 'common-zeros', 'near-mismatch'].includes(relation)) t.true(finite);
      if (['q-ll-p', 'mismatch', 'disjoint'].includes(relation)) t.false(finite);
      if (relation === 'near-mismatch') t.true(ratioOverflows(x.p, x.q));
    }
    // Exactly and float-normalised pairs both occur (near-mismatch: float only, unless exact: true).
    if (relation === 'near-mismatch') t.is(exact, 0);
    else t.true(exact > 30 && exact < 270, `${relation}: ${exact} exactly normalised pairs`);
  }
});

test('pair({ exact: true }) gives exactly normalised p and q for every relation, near-mismatch included', (t) => {
  for (const relation of PAIR_RELATIONS) {
    for (const x of fc.sample(pair({ relation, exact: true }), { seed: SEED, numRuns: 60 })) {
      t.true(sumsExactlyToOne(x.p) && sumsExactlyToOne(x.q), `${relation}: ${JSON.stringify(x)}`);
      t.true(pairRelationHolds(relation, x.p, x.q), relation);
      t.true(x.p.length <= 300);
    }
  }
  for (const x of fc.sample(pair({ relation: 'near-mismatch', exact: true, maxLength: 24 }), { seed: SEED, numRuns: 100 })) {
    t.true(x.p.length <= 24 && sumsExactlyToOne(x.q) && pairRelationHolds('near-mismatch', x.p, x.q));
  }
});

test('pair and anyPair honour their constraints and reject impossible ones', (t) => {
  for (const x of fc.sample(pair({ relation: 'mismatch', minLength: 5, maxLength: 7 }), { seed: SEED, numRuns: 200 })) {
    t.true(x.p.length >= 5 && x.p.length <= 7);
  }
  for (const x of fc.sample(anyPair({ maxLength: 1 }), { seed: SEED, numRuns: 100 })) {
    t.true(x.relation === 'independent' || x.relation === 'equal');
    t.is(x.p.length, 1);
  }
  for (const x of fc.sample(anyPair({ relations: ['disjoint', 'near-mismatch'], exact: true, maxLength: 10 }), { seed: SEED, numRuns: 50 })) {
    t.is(x.relation, 'disjoint');
  }
  const bad = [
    () => pair({ relation: 'mismatch', maxLength: 1 }),
    () => pair({ relation: 'nope' as never }),
    () => pair({ relation: 'near-mismatch', exact: true, maxLength: 10 }),
    () => pair({ minLength: 0 }),
    () => pair({ minLength: 3, maxLength: 2 }),
    () => anyPair({ relations: ['disjoint'], maxLength: 1 }),
    () => anyPair({ relations: ['bogus' as never] }),
    () => distribution({ shapes: ['bogus' as never] }),
    () => distribution({ maxLength: 1.5 }),
    () => distribution({ maxLength: 1e6 }),
    () => unnormalized({ allowZero: 'yes' as never }),
    () => latentModel({ shapes: [] }),
    () => latentModel({ shapes: ['x' as never] }),
    () => latentModel({ kinds: ['x' as never] }),
    () => latentModel({ kinds: ['zeros'], maxLength: 1 }),
    () => gaussianPair({ relations: [] }),
    () => gaussianPair({ relations: ['x' as never] }),
    () => invalidInput({ targets: [] }),
    () => invalidInput({ targets: ['x' as never] }),
    () => invalidInput({ maxLength: 0 }),
  ];
  for (const f of bad) {
    const e = t.throws(f, { instanceOf: InvalidInputError });
    t.is(e?.reason, 'bad-option');
  }
});

test('anyPair(): every draw has the relation it names (3000 draws)', (t) => {
  const seen = new Set<string>();
  for (const x of fc.sample(anyPair(), { seed: SEED, numRuns: 3000 })) {
    seen.add(x.relation);
    t.true(pairRelationHolds(x.relation, x.p, x.q), JSON.stringify(x));
  }
  t.is(seen.size, PAIR_RELATIONS.length);
});

test('pairRelationHolds rejects what a relation excludes', (t) => {
  t.false(pairRelationHolds('independent', [1, 0], [0.5, 0.5]));
  t.false(pairRelationHolds('equal', [0.5, 0.5], [0.5, 0.5 + 2 ** -53]));
  const same = [1];
  t.false(pairRelationHolds('equal', same, same));
  t.false(pairRelationHolds('near-equal', [0.5, 0.5], [0.5, 0.5]));
  t.false(pairRelationHolds('near-equal', [0.5, 0.5], [0.9, 0.1]));
  t.false(pairRelationHolds('p-ll-q', [0.5, 0.5], [0.5, 0.5]));
  t.false(pairRelationHolds('q-ll-p', [0.5, 0.5], [0.5, 0.5]));
  t.false(pairRelationHolds('common-zeros', [1, 0], [0.5, 0.5]));
  t.false(pairRelationHolds('mismatch', [0, 1], [1, 0]));
  t.false(pairRelationHolds('near-mismatch', [0.5, 0.5], [1e-300, 1]));
  t.false(pairRelationHolds('disjoint', [0.5, 0.5], [0, 1]));
  t.false(pairRelationHolds('independent', [1], [1, 0]));
  t.false(pairRelationHolds('independent', [NaN], [1]));
});

test('unnormalized(): nonnegative, finite, sums far from 1', (t) => {
  const seen = new Set<string>();
  for (const v of fc.sample(unnormalized(), { seed: SEED, numRuns: 2000 })) {
    seen.add(shapeOf(v)!);
    t.true(v.length >= 1 && v.every((x) => Number.isFinite(x) && x >= 0));
    const s = Number(exactScaledSum(v)) / 2 ** 1074 || accurateSum(v);
    t.true(s === 0 || s <= 0.5 * (1 + 2 ** -50) || s >= 2 * (1 - 2 ** -50), `${shapeOf(v)}: sum ${s}`);
  }
  t.deepEqual([...seen].sort(), ['counts', 'scaled', 'zero']);
  for (const v of fc.sample(unnormalized({ allowZero: false, maxLength: 3 }), { seed: SEED, numRuns: 300 })) {
    t.not(shapeOf(v), 'zero');
    t.true(v.length <= 3 && v.some((x) => x > 0));
  }
});

test('latentModel(): log joints ≤ 0 (≤ 800 for positive) or −∞ with one finite, q a distribution with its kind\'s guarantee', (t) => {
  for (const m of fc.sample(latentModel(), { seed: SEED, numRuns: 2000 })) {
    const { logJoint: l, q, kind, shape } = m;
    t.is(l.length, q.length);
    t.true(l.length >= 1 && l.length <= 64);
    const top = shape === 'positive' ? 800 : 0;
    t.true(l.every((x) => x === -Infinity || (Number.isFinite(x) && x <= top && !Object.is(x, -0))));
    if (shape === 'positive') t.true(l.every((x) => x === -Infinity || x > 709), 'exp overflows at every z');
    t.true(l.some((x) => x > -Infinity));
    const floor = shape === 'huge-gap' ? -1.75e15 - 1 : -1e4 - 61;
    t.true(l.every((x) => x === -Infinity || x >= floor));
    t.true(isValidVector(q));
    t.true(sumErrorUlps(q) <= TWO_ULPS, `${kind}: ${sumErrorUlps(q)}`);
    const impossibleMass = l.some((x, i) => x === -Infinity && q[i]! > 0);
    t.is(impossibleMass, kind === 'extra-mass', kind);
    if (kind === 'posterior') t.deepEqual(q, roundedPosterior(l));
    if (kind === 'zeros') t.true(l.some((x, i) => x > -Infinity && q[i] === 0));
    if (m.shape === 'near-1000') t.true(l.every((x) => x === -Infinity || (x <= -1000 && x > -1062)));
    if (m.shape === 'near-5000') t.true(l.every((x) => x === -Infinity || (x <= -5000 && x > -5062)));
  }
  for (const m of fc.sample(latentModel({ kinds: ['zeros'], shapes: ['tied'], minLength: 3, maxLength: 4 }), { seed: SEED, numRuns: 100 })) {
    t.true(m.logJoint.length >= 3 && m.logJoint.length <= 4 && m.kind === 'zeros' && m.shape === 'tied');
  }
  for (const m of fc.sample(latentModel({ maxLength: 1 }), { seed: SEED, numRuns: 50 })) {
    t.true(m.kind === 'posterior' || m.kind === 'independent');
  }
});

test('the latent posterior is the exact posterior correctly rounded (decimal.js oracle at 60 digits)', (t) => {
  const O = Decimal.clone({ precision: 60, minE: -9e15, maxE: 9e15 });
  const models = fc
    .sample(latentModel({ kinds: ['posterior'], maxLength: 6 }), { seed: SEED, numRuns: 150 })
    .concat([{ logJoint: [-1000, -1740, -1000.25], q: [], shape: 'near-1000', kind: 'posterior' }]);
  let subnormal = 0;
  for (const m of models) {
    const l = m.logJoint;
    const M = Math.max(...l);
    const e = l.map((x) => (x === -Infinity ? new O(0) : O.exp(toDecimal(x, O).minus(toDecimal(M, O)))));
    const S = e.reduce((a, b) => a.plus(b), new O(0));
    const exact = e.map((x) => Number(x.div(S).toString()));
    const got = roundedPosterior(l);
    t.deepEqual(got, exact, JSON.stringify(l));
    subnormal += got.filter((x) => x > 0 && x < MIN_NORMAL).length;
  }
  t.true(subnormal >= 1);
  t.throws(() => roundedPosterior([-Infinity]), { instanceOf: RangeError });
  t.deepEqual(roundedPosterior([0, -2000]), [1, 0]);
});

test('gaussianPair(): finite parameters, sigma > 0, each relation as documented, KL fits a double', (t) => {
  const seen = new Set<string>();
  for (const g of fc.sample(gaussianPair(), { seed: SEED, numRuns: 3000 })) {
    seen.add(g.relation);
    const { mu1, sigma1, mu2, sigma2 } = g;
    t.true([mu1, sigma1, mu2, sigma2].every(Number.isFinite) && sigma1 > 0 && sigma2 > 0);
    const r = sigma2 / sigma1;
    if (g.relation === 'equal') t.true(mu1 === mu2 && sigma1 === sigma2);
    if (g.relation === 'near-equal') t.true(r !== 1 && Math.abs(r - 1) <= 2 ** -15, `${r}`);
    if (g.relation === 'extreme-scale') t.true(r >= 0.99e20 || r <= 1.01e-20, `${r}`);
    // KL = log(σ2/σ1) + (σ1² + (μ1−μ2)²)/(2σ2²) − ½ stays below 1e302 (computed in scaled form).
    const a = sigma1 / sigma2;
    const b = (mu1 - mu2) / sigma2;
    const kl = Math.log(r) + (a * a + b * b) / 2 - 0.5;
    t.true(Number.isFinite(kl) && kl < 1e302, JSON.stringify(g));
  }
  t.deepEqual([...seen].sort(), [...GAUSSIAN_RELATIONS].sort());
  for (const g of fc.sample(gaussianPair({ relations: ['equal'] }), { seed: SEED, numRuns: 20 })) t.is(g.relation, 'equal');
});

test('invalidInput(): each case has one fault, and the reference throws the typed error it describes', (t) => {
  const call: Record<string, (args: unknown[]) => unknown[]> = {
    vector: (a) => [() => ref.entropy(a[0] as number[])],
    pair: (a) => [() => ref.kl(a[0] as number[], a[1] as number[])],
    logJoint: (a) => [() => ref.logEvidence(a[0] as number[]), () => ref.posterior(a[0] as number[])],
    posterior: (a) => [() => ref.posterior(a[0] as number[])],
    latent: (a) => [() => ref.elbo(a[0] as number[], a[1] as number[])],
    gaussian: (a) => [() => ref.klNormal(a[0] as number, a[1] as number, a[2] as number, a[3] as number)],
  };
  const seen = new Set<string>();
  for (const c of fc.sample(invalidInput(), { seed: SEED, numRuns: 1500 })) {
    seen.add(`${c.target}:${c.reason}`);
    t.true(c.description.includes(c.argument), c.description);
    for (const f of call[c.target]!(c.args) as (() => unknown)[]) {
      const e = t.throws(f, { instanceOf: InvalidInputError }, c.description);
      t.is(e?.argument, c.argument, c.description);
      t.is(e?.index, c.index, c.description);
      t.is(e?.reason, c.reason, c.description);
    }
  }
  for (const target of INVALID_TARGETS) t.true([...seen].some((s) => s.startsWith(`${target}:`)), target);
  for (const reason of ['nan', 'infinite', 'negative', 'positive-infinity', 'nonpositive', 'length-mismatch', 'empty', 'all-impossible']) {
    t.true([...seen].some((s) => s.endsWith(`:${reason}`)), reason);
  }
  for (const c of fc.sample(invalidInput({ targets: ['gaussian'], maxLength: 2 }), { seed: SEED, numRuns: 30 })) t.is(c.target, 'gaussian');
});

// ---------------------------------------------------------------------------------------------
// Determinism

test('same seed, same draws; another seed, other draws', (t) => {
  const arbs: fc.Arbitrary<unknown>[] = [distribution(), anyPair(), unnormalized(), latentModel(), gaussianPair(), invalidInput()];
  for (const arb of arbs) {
    const a = fc.sample(arb, { seed: 7, numRuns: 200 });
    const b = fc.sample(arb, { seed: 7, numRuns: 200 });
    const c = fc.sample(arb, { seed: 8, numRuns: 200 });
    t.deepEqual(a, b);
    t.notDeepEqual(a, c);
  }
  // Fresh arbitrary instances too (no hidden state between constructions).
  t.deepEqual(fc.sample(anyPair(), { seed: 3, numRuns: 50 }), fc.sample(anyPair(), { seed: 3, numRuns: 50 }));
});

// ---------------------------------------------------------------------------------------------
// Classification helpers

test('buckets', (t) => {
  t.deepEqual([1, 2, 3, 4, 5, 16, 17, 64, 65, 256, 257].map(lengthBucket), ['1', '2', '3-4', '3-4', '5-16', '5-16', '17-64', '17-64', '65-256', '65-256', '257+']);
  t.is(minPositiveBucket([0, 0.5]), '>=1e-3');
  t.is(minPositiveBucket([1e-5, 1]), '1e-16..1e-3');
  t.is(minPositiveBucket([1e-300, 1]), '2^-1022..1e-16');
  t.is(minPositiveBucket([1], [5e-324, 1]), 'subnormal');
  t.is(minPositiveBucket([0]), 'none');
  t.is(shapeOf([0.5, 0.5]), undefined);
});
