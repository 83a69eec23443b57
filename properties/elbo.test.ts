/** elbo-identity and elbo-bound: section 8.2 in arbitrary precision, the ablations, the equality case, the float64 lesson. */
import test from 'ava';
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import { ablate, AblationReport, checkFloat64, checkTheorem, evaluateInstance } from '../src/theorem';
import { kernels } from '../src/kernels';
import * as ref from '../src/reference';
import { latentModel } from '../src/generators';
import { decimalContext } from '../src/numeric/context';
import { toDecimal } from '../src/numeric/exact';
import { sumsExactlyToOne } from '../src/numeric/accuracy';
import { elboBound, elboIdentity, LatentQ, onDyadicGrid, qIsPosterior } from './elbo';

const SEED = fc.readConfigureGlobal().seed ?? 20261123;
const DOC_SEED = 20261123;

/**
 * An independent re-check route: KL(q‖p(·|x)) = Σ q·ln(q/π) with π the reference posterior at 80
 * digits and decimal.js's own ln (not the engine's fixed-point logarithms) at 70 digits.
 */
function klToPosteriorDecimal({ logJoint, q }: LatentQ): Decimal {
  const D = decimalContext(70);
  const pi = ref.posterior(logJoint, { digits: 80 });
  let s = new D(0);
  for (let z = 0; z < q.length; z++) {
    if (q[z] === 0) continue;
    if (pi[z]!.isZero()) return new D(Infinity);
    const qz = toDecimal(q[z]!, D);
    s = s.plus(qz.times(qz.ln().minus(new D(pi[z]!).ln())));
  }
  return s;
}

test('elbo-identity: both statements and every step hold at 40 digits (100 instances, q on the dyadic grid)', (t) => {
  const r = checkTheorem(elboIdentity, { seed: SEED, runs: 100, digits: 40 });
  t.true(r.ok, r.message);
});

test('elbo-bound: every statement and every step hold at 40 digits (100 instances, extra mass included)', (t) => {
  const r = checkTheorem(elboBound, { seed: SEED, runs: 100, digits: 40 });
  t.true(r.ok, r.message);
  const draws = fc.sample(elboBound.instances, { seed: SEED, numRuns: 100 });
  t.true(draws.some(({ logJoint, q }) => !ref.elbo(logJoint, q).isFinite()), 'some instances have ELBO = −∞');
  t.true(draws.every(({ q }) => sumsExactlyToOne(q)));
});

test('onDyadicGrid: Σq = 1 exactly, zeros stay zeros, each entry moves by ≤ n·2^-54', (t) => {
  fc.assert(fc.property(latentModel({ maxLength: 16 }), ({ q }) => {
    const g = onDyadicGrid(q);
    return sumsExactlyToOne(g) && q.every((x, i) => (x === 0 ? g[i] === 0 : Math.abs(g[i]! - x) <= q.length * 2 ** -54));
  }), { seed: SEED, numRuns: 200 });
  t.pass();
});

function recheckLatent(t: import('ava').ExecutionContext, r: AblationReport, statementHolds: (m: LatentQ) => boolean): void {
  const m = r.counterexample!.instance as LatentQ;
  t.true(m.q.length <= 3);
  t.false(statementHolds(m), `${r.theorem}: the statement should fail on ${JSON.stringify(m)}`);
  t.false(sumsExactlyToOne(m.q), 'violates q-sums-to-one');
  t.true(m.q.every((x) => x >= 0), 'satisfies q-nonneg');
  t.true(m.q.every((x, z) => x === 0 || m.logJoint[z] !== -Infinity), 'satisfies q ≪ p(·|x)');
  t.true(r.failingStep!.uses!.includes('q-sums-to-one'));
}

test('elbo-identity without q-sums-to-one: a shrunk counterexample re-checked independently; the proof breaks at Σq·log p(x)', (t) => {
  const identityHolds = (m: LatentQ) => {
    const L = ref.logEvidence(m.logJoint, { digits: 60 });
    const rhs = ref.elbo(m.logJoint, m.q, { digits: 60 }).plus(klToPosteriorDecimal(m));
    return L.minus(rhs).abs().lt(1e-50);
  };
  for (const seed of [SEED, DOC_SEED]) {
    const r = ablate(elboIdentity, 'q-sums-to-one', { seed, runs: 100, digits: 40 });
    t.truthy(r.counterexample, r.reason);
    recheckLatent(t, r, identityHolds);
    t.is(r.failingStep!.id, 'normalised');
  }
  const doc = ablate(elboIdentity, 'q-sums-to-one', { seed: DOC_SEED, runs: 100, digits: 40 });
  t.deepEqual(doc.counterexample!.instance, { logJoint: [-1], q: [0.5], label: 'Σq ≠ 1' });
});

test('elbo-bound without q-sums-to-one: ELBO > log p(x), re-checked in the reference; the proof breaks at Gibbs', (t) => {
  const boundHolds = (m: LatentQ) => ref.elbo(m.logJoint, m.q, { digits: 60 }).lte(ref.logEvidence(m.logJoint, { digits: 60 }));
  for (const seed of [SEED, DOC_SEED]) {
    const r = ablate(elboBound, 'q-sums-to-one', { seed, runs: 100, digits: 40 });
    t.truthy(r.counterexample, r.reason);
    recheckLatent(t, r, boundHolds);
  }
  const doc = ablate(elboBound, 'q-sums-to-one', { seed: DOC_SEED, runs: 100, digits: 40 });
  t.deepEqual(doc.counterexample!.instance, { logJoint: [0], q: [0.5], label: 'Σq ≠ 1' });
  t.is(doc.failingStep!.id, 'gibbs');
});

test('elbo: q-nonneg and q-ll-posterior have stated reasons; the q-ll-posterior one holds (ELBO = log p(x) − KL in the extended reals)', (t) => {
  for (const [th, h] of [[elboIdentity, 'q-nonneg'], [elboIdentity, 'q-ll-posterior'], [elboBound, 'q-nonneg']] as const) {
    const r = ablate(th, h, { seed: SEED, runs: 10, digits: 40 });
    t.is(r.counterexample, null);
    t.regex(r.reason, /^no counterexample exists/);
  }
  // extra mass: ELBO = −∞, KL = +∞ — the seed's form is −∞ + ∞, the rearranged one holds (elbo-bound's step 1)
  const extra = latentModel({ maxLength: 6, kinds: ['extra-mass'] }).map((m): LatentQ => ({ logJoint: m.logJoint, q: onDyadicGrid(m.q) }));
  fc.assert(fc.property(extra, (m) => {
    const r = evaluateInstance(elboBound, m, 40);
    return r.steps[0]!.holds && r.steps[0]!.lhs.value === '-Infinity' && r.steps[0]!.rhs.value === '-Infinity'
      && !klToPosteriorDecimal(m).isFinite() && !elboIdentity.hypotheses[2]!.holds(m);
  }), { seed: SEED, numRuns: 40 });
});

test('elbo-bound: the equality case — q = p(·|x) exactly only for ties; then ELBO = log p(x); otherwise the gap is ≥ 2·TV²', (t) => {
  const tied: LatentQ = { logJoint: [-3, -3, -Infinity, -3, -3], q: [0.25, 0.25, 0, 0.25, 0.25] };
  t.true(qIsPosterior(tied));
  t.true(ref.elbo(tied.logJoint, tied.q, { digits: 60 }).eq(ref.logEvidence(tied.logJoint, { digits: 60 })));
  const r = evaluateInstance(elboBound, tied, 40);
  t.true(r.statements.every((s) => s.holds));
  t.is(r.statements[1]!.lhs.value, '1'); // [q = p(·|x)]
  // not tied: the exact posterior is irrational, q ≠ π, and the gap is positive
  const near: LatentQ = { logJoint: [-1, -2], q: onDyadicGrid(ref.posterior([-1, -2], { digits: 40 }).map((x) => x.toNumber())) };
  t.false(qIsPosterior(near));
  const gap = ref.logEvidence(near.logJoint, { digits: 80 }).minus(ref.elbo(near.logJoint, near.q, { digits: 80 }));
  // gap = KL(q‖π) ≤ χ²(q‖π) = Σ (q_z − π_z)²/π_z, and onDyadicGrid moves each q_z by ≤ n·2^-54 from
  // the double nearest π_z, itself ≤ 2^-54 away: |q_z − π_z| ≤ (n + 1)·2^-54.
  const pi = ref.posterior(near.logJoint, { digits: 80 });
  const dq = (near.q.length + 1) * 2 ** -54;
  const chi2 = pi.reduce((s, x) => s.plus(x.pow(-1).times(dq * dq)), pi[0]!.times(0));
  t.true(gap.gt(0) && gap.lte(chi2), `${gap} ≤ ${chi2}`);
  // a q with a zero where π is astronomically small: the gap e^-245 is beyond 40 digits, the statements still hold
  const far = evaluateInstance(elboBound, { logJoint: [0, -245], q: [1, 0] }, 40);
  t.true(far.statements.every((s) => s.holds));
  t.is(far.statements[1]!.lhs.value, '0');
});

test('elbo-identity: float64 — log p(x) − ELBO − KL(q‖posterior) from the kernels within the derived bound', (t) => {
  const r = checkFloat64(elboIdentity, kernels, { seed: SEED, runs: 200, mode: 'standard' });
  t.is(r.status, 'passed', r.message);
  for (const n of r.notes) t.regex(n.note, /underflows/);
  // an ELBO that forgets the −log q term fails
  const bad = { ...kernels, elbo: (l: readonly number[], q: readonly number[]) => l.reduce((a, x, z) => (q[z]! > 0 ? a + q[z]! * x : a), 0) };
  t.is(checkFloat64(elboIdentity, bad, { seed: SEED, runs: 200, mode: 'standard' }).status, 'failed');
});

test('elbo-bound: float64 lesson — float-normalised q can make the exact ELBO exceed log p(x); the dyadic grid removes it', (t) => {
  for (const mode of ['standard', 'strict'] as const) {
    const r = checkFloat64(elboBound, kernels, { seed: SEED, runs: 200, mode });
    t.is(r.status, 'passed', r.message);
    t.true(r.noteCount > 0);
    for (const n of r.notes) {
      const m = n.instance as LatentQ;
      t.true(ref.elbo(m.logJoint, m.q, { digits: 60 }).gt(ref.logEvidence(m.logJoint, { digits: 60 })));
      t.false(sumsExactlyToOne(m.q));
      // on the dyadic grid the exact statement holds
      const g = onDyadicGrid(m.q);
      t.true(ref.elbo(m.logJoint, g, { digits: 60 }).lte(ref.logEvidence(m.logJoint, { digits: 60 })));
    }
  }
});
