/** Our float64 kernels (see ./float64.ts and docs/accuracy.md). */
export {
  entropy,
  crossEntropy,
  kl,
  generalizedKl,
  negEntropy,
  negEntropyGradient,
  logEvidence,
  elbo,
  posterior,
  klNormal,
  klNormalDiag,
} from './float64';

import * as float64 from './float64';
/** The kernels as an object (for harness code that looks functions up by name). */
export const kernels = {
  entropy: float64.entropy,
  crossEntropy: float64.crossEntropy,
  kl: float64.kl,
  generalizedKl: float64.generalizedKl,
  negEntropy: float64.negEntropy,
  negEntropyGradient: float64.negEntropyGradient,
  logEvidence: float64.logEvidence,
  elbo: float64.elbo,
  posterior: float64.posterior,
  klNormal: float64.klNormal,
  klNormalDiag: float64.klNormalDiag,
};
