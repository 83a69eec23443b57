/**
 * Shrinking yields what a person can read: few categories, simple values (½, ¼, 0, 1, ⅓, 5e-324),
 * and the relation / shape / kind that made the case interesting survives (a shrunk mismatch pair
 * is still a mismatch pair). For each recipe we run fc.check with properties that fail on every
 * case ("false") or on every case with n ≥ 3, and with properties that catch real bugs, and
 * inspect the shrunk counterexample.
 */
import test from 'ava';
import fc from 'fast-check';
import {
  DISTRIBUTION_SHAPES,
  GAUSSIAN_RELATIONS,
  INVALID_TARGETS,
  LATENT_KINDS,
  LATENT_SHAPES,
  PAIR_RELATIONS,
  DistributionPair,
  anyPair,
  distribution,
  gaussianPair,
  invalidInput,
  latentModel,
  pair,
  pairRelationHolds,
  shapeOf,
  unnormalized,
} from '../src/generators';

const SEEDS = [1, 2, 3];

/** Values a person reads at a glance. */
const SIMPLE = new Set([0, 1, 0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875, 1 / 3, 2 / 3, 5e-324]);
const simple = (v: readonly number[]) => v.every((x) => SIMPLE.has(x));

function shrunk<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => boolean, seed: number): T {
  const r = fc.check(fc.property(arb, predicate), { seed });
  if (!r.failed || r.counterexample === null) throw new Error('expected a counterexample');
  return r.counterexample[0];
}

for (const relation of PAIR_RELATIONS) {
  test(`pair({ relation: '${relation}' }) shrinks to ≤ 3 categories with simple values and keeps the relation`, (t) => {
    const minN = relation === 'independent' || relation === 'equal' ? 1 : 2;
    for (const seed of SEEDS) {
      for (const [name, prop, n] of [
        ['false', () => false, 2],
        ['n < 3', (x: DistributionPair) => x.p.length < 3, 3],
      ] as const) {
        const x = shrunk(pair({ relation }), prop, seed);
        const show = `${name}, seed ${seed}: ${JSON.stringify(x)}`;
        t.is(x.relation, relation, show);
        t.true(pairRelationHolds(relation, x.p, x.q), show);
        if (name === 'false') t.true(x.p.length >= minN && x.p.length <= n, show);
        else t.is(x.p.length, n, show);
        t.true(simple(x.p), show);
        if (relation === 'near-equal') t.true(x.q.every((v, i) => Math.abs(v - x.p[i]!) <= 0.01 * x.p[i]!), show);
        else t.true(simple(x.q), show);
      }
    }
    t.log(`false → ${JSON.stringify(shrunk(pair({ relation }), () => false, 1))}`);
  });
}

test('anyPair() never shrinks across relations: each failing relation shrinks within itself', (t) => {
  for (const relation of PAIR_RELATIONS) {
    const x = shrunk(anyPair(), (v) => v.relation !== relation, 11);
    t.is(x.relation, relation);
    t.true(pairRelationHolds(relation, x.p, x.q));
    t.true(x.p.length <= 2, JSON.stringify(x));
  }
});

// A few real bugs: the shrunk counterexample is the corner that exposes each.
const klSkippingZeroQ = (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi > 0 && q[i]! > 0 ? s + pi * Math.log(pi / q[i]!) : s), 0);
const klRatio = (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi > 0 ? s + pi * Math.log(pi / q[i]!) : s), 0);
const klNaNAtZero = (p: number[], q: number[]) => p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]!), 0);
const mismatch = (p: number[], q: number[]) => p.some((x, i) => x > 0 && q[i] === 0);

test('real bugs shrink to the readable corner that exposes them', (t) => {
  // Finite under support mismatch: shrinks to a 2-category pair whose relation has kl = +∞.
  const a = shrunk(anyPair(), ({ p, q }) => (klSkippingZeroQ(p, q) === Infinity) === mismatch(p, q), 5);
  t.true(['mismatch', 'q-ll-p', 'disjoint'].includes(a.relation), JSON.stringify(a));
  t.is(a.p.length, 2);
  t.true(simple(a.p) && simple(a.q));
  t.log('skips q_i = 0:', JSON.stringify(a));
  // p·log(p/q) overflows at subnormal q where kl is finite: shrinks to a near-mismatch pair with 5e-324.
  const b = shrunk(anyPair(), ({ p, q }) => mismatch(p, q) || Number.isFinite(klRatio(p, q)), 5);
  t.is(b.relation, 'near-mismatch', JSON.stringify(b));
  t.is(b.p.length, 2);
  t.true(b.q.includes(5e-324), JSON.stringify(b));
  t.log('log(p/q) overflow:', JSON.stringify(b));
  // NaN at p_i = 0: shrinks to two or three categories with a zero in p.
  const c = shrunk(anyPair(), ({ p, q }) => !Number.isNaN(klNaNAtZero(p, q)), 5);
  t.true(c.p.length <= 3);
  t.true(c.p.includes(0) && simple(c.p) && simple(c.q), JSON.stringify(c));
  t.log('NaN at p_i = 0:', JSON.stringify(c));
});

for (const shape of DISTRIBUTION_SHAPES) {
  test(`distribution({ shapes: ['${shape}'] }) shrinks within the shape to simple vectors`, (t) => {
    const minN = ['sparse', 'tiny', 'float'].includes(shape) ? 2 : 1;
    for (const seed of SEEDS) {
      for (const [prop, n] of [
        [() => false, minN],
        [(p: number[]) => p.length < 3, 3],
      ] as const) {
        const p = shrunk(distribution({ shapes: [shape] }), prop, seed);
        t.is(shapeOf(p), shape);
        t.is(p.length, n, JSON.stringify(p));
        t.true(simple(p), `${shape}: ${JSON.stringify(p)}`);
      }
    }
    t.log(JSON.stringify(shrunk(distribution({ shapes: [shape] }), () => false, 1)));
  });
}

test('distribution() shrinks a subnormal-only failure to [5e-324, 1]', (t) => {
  const p = shrunk(distribution(), (v) => !v.some((x) => x > 0 && x < 2.2250738585072014e-308), 4);
  t.is(shapeOf(p), 'tiny');
  t.true(p.length === 2 && p.includes(5e-324) && p.includes(1), JSON.stringify(p));
});

test('unnormalized() shrinks to one entry and keeps its shape', (t) => {
  for (const seed of SEEDS) {
    const v = shrunk(unnormalized(), () => false, seed);
    t.true(v.length === 1 && (v[0] === 2 || v[0] === 0), JSON.stringify(v));
  }
  const z = shrunk(unnormalized(), (v) => v.some((x) => x > 0), 1);
  t.deepEqual(z, [0]);
  t.is(shapeOf(z), 'zero');
});

for (const kind of LATENT_KINDS) {
  test(`latentModel({ kinds: ['${kind}'] }) shrinks to ≤ 2 round log joints and keeps shape and kind`, (t) => {
    for (const shape of LATENT_SHAPES) {
      const m = shrunk(latentModel({ kinds: [kind], shapes: [shape] }), () => false, 1);
      const show = JSON.stringify(m);
      t.is(m.kind, kind);
      t.is(m.shape, shape);
      t.true(m.logJoint.length <= 2, show);
      const base = { tied: 0, spread: 0, 'near-1000': -1000, 'near-5000': -5000, positive: 800, 'huge-gap': 0 }[shape];
      t.true(m.logJoint.every((x) => x === -Infinity || x === base), show);
      t.true(simple(m.q), show);
      if (kind === 'extra-mass') t.true(m.logJoint.some((x, i) => x === -Infinity && m.q[i]! > 0), show);
      if (kind === 'zeros') t.true(m.logJoint.some((x, i) => x > -Infinity && m.q[i] === 0), show);
    }
    t.log(JSON.stringify(shrunk(latentModel({ kinds: [kind], shapes: ['near-1000'] }), () => false, 1)));
  });
}

test('latentModel() shrinks an underflow-only failure to a single log joint near −1000 or −5000', (t) => {
  const m = shrunk(latentModel(), (v) => Math.max(...v.logJoint) > -745, 2);
  t.true(m.logJoint.length === 1 && (m.logJoint[0] === -1000 || m.logJoint[0] === -5000), JSON.stringify(m));
});

for (const relation of GAUSSIAN_RELATIONS) {
  test(`gaussianPair({ relations: ['${relation}'] }) shrinks to mu1 = 0, sigma1 = 1 (1e±155 for huge/tiny scales) and keeps the relation`, (t) => {
    for (const seed of SEEDS) {
      const g = shrunk(gaussianPair({ relations: [relation] }), () => false, seed);
      const show = JSON.stringify(g);
      t.is(g.relation, relation);
      const scale = relation === 'huge-scale' ? 1e155 : relation === 'tiny-scale' ? 1e-155 : 1;
      t.true(g.mu1 === 0 && g.sigma1 === scale, show);
      const r = g.sigma2 / g.sigma1;
      if (scale !== 1) t.true(g.mu2 === 0 && g.sigma2 === scale, show);
      if (relation === 'equal') t.true(g.mu2 === 0 && g.sigma2 === 1, show);
      if (relation === 'near-equal') t.true(g.mu2 === 0 && g.sigma2 === 1 + 2 ** -52, show);
      if (relation === 'extreme-scale') t.true(g.mu2 === 0 && (r === 1e-20 || r === 1e20), show);
      if (relation === 'far-means') t.true(g.sigma2 === 1 && Math.abs(g.mu2) === 1e5, show);
      if (relation === 'independent') t.true(g.mu2 === 0 && g.sigma2 === 1, show);
    }
  });
}

for (const target of INVALID_TARGETS) {
  test(`invalidInput({ targets: ['${target}'] }) shrinks to a one-entry call and keeps the fault`, (t) => {
    for (const reason of ['nan', 'infinite', 'negative', 'positive-infinity', 'nonpositive', 'length-mismatch', 'empty', 'all-impossible']) {
      const arb = invalidInput({ targets: [target] });
      const r = fc.check(fc.property(arb, (c) => c.reason !== reason), { seed: 1 });
      if (!r.failed) continue; // this target has no such fault
      const c = r.counterexample![0];
      const show = JSON.stringify(c.args);
      t.is(c.reason as string, reason);
      for (const a of c.args) if (Array.isArray(a)) t.true(a.length <= 2, show);
    }
  });
}
