/**
 * What the check run draws for each function of the contract: an arbitrary of argument lists built
 * from the public generators, and a label (the generator class of the draw, for per-class verdicts).
 * Where the kernels' strict (ulps) target applies is decided by accuracy.strictApplies.
 */
import fc from 'fast-check';
import { anyPair, distribution, gaussianPair, latentModel, shapeOf, unnormalized } from '../generators';

export interface FunctionCases {
  /** Contract function name. */
  readonly fn: string;
  /** Parameter names, in order. */
  readonly params: readonly string[];
  /** Arbitrary of { args, label }. */
  readonly arbitrary: fc.Arbitrary<Case>;
}

export interface Case {
  args: unknown[];
  /** The generator class of the draw: a pair relation, a distribution shape, a latent shape … */
  label: string;
}

const pairCases = anyPair().map(({ p, q, relation }) => ({ args: [p, q], label: relation }));
/**
 * generalizedKl is defined on all nonnegative vectors, and its −Σp + Σq terms vanish only when the
 * masses are equal: besides normalised pairs it draws pairs of unnormalized() vectors (cut to a
 * common length), labelled `unnormalized/<shape of p>`, so that dropping those terms is caught.
 */
const unnormalizedPairCases = fc.tuple(unnormalized({ maxLength: 64 }), unnormalized({ maxLength: 64 })).map(([a, b]) => {
  const n = Math.min(a.length, b.length);
  return { args: [a.slice(0, n), b.slice(0, n)], label: `unnormalized/${shapeOf(a) ?? '?'}` };
});
const generalizedKlCases = fc.oneof({ arbitrary: pairCases, weight: 1 }, { arbitrary: unnormalizedPairCases, weight: 1 });
const distCases = distribution().map((p) => ({ args: [p], label: `n=${p.length <= 4 ? p.length : p.length <= 64 ? '5-64' : '65+'}` }));
const latentCases = latentModel();

export const FUNCTION_CASES: readonly FunctionCases[] = [
  { fn: 'kl', params: ['p', 'q'], arbitrary: pairCases },
  { fn: 'crossEntropy', params: ['p', 'q'], arbitrary: pairCases },
  { fn: 'generalizedKl', params: ['p', 'q'], arbitrary: generalizedKlCases },
  { fn: 'entropy', params: ['p'], arbitrary: distCases },
  { fn: 'negEntropy', params: ['p'], arbitrary: distCases },
  { fn: 'negEntropyGradient', params: ['q'], arbitrary: distCases },
  { fn: 'logEvidence', params: ['logJoint'], arbitrary: latentCases.map((m) => ({ args: [m.logJoint], label: m.shape })) },
  { fn: 'posterior', params: ['logJoint'], arbitrary: latentCases.map((m) => ({ args: [m.logJoint], label: m.shape })) },
  { fn: 'elbo', params: ['logJoint', 'q'], arbitrary: latentCases.map((m) => ({ args: [m.logJoint, m.q], label: `${m.shape}/${m.kind}` })) },
  { fn: 'klNormal', params: ['mu1', 'sigma1', 'mu2', 'sigma2'], arbitrary: gaussianPair().map((g) => ({ args: [g.mu1, g.sigma1, g.mu2, g.sigma2], label: g.relation })) },
  {
    fn: 'klNormalDiag',
    params: ['mu1', 'sigma1', 'mu2', 'sigma2'],
    arbitrary: fc.array(gaussianPair(), { minLength: 1, maxLength: 8 }).map((gs) => ({
      args: [gs.map((g) => g.mu1), gs.map((g) => g.sigma1), gs.map((g) => g.mu2), gs.map((g) => g.sigma2)],
      label: `d=${gs.length}`,
    })),
  },
];
