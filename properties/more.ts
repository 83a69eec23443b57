/** The theorems beyond the core five: support, asymmetry, no-triangle, entropy bounds, Pinsker, additivity, Gaussians, MLE, and the extras. */
import type { Theorem } from '../src/theorem';
import { support } from './support';
import { asymmetry, noTriangle } from './asymmetry';
import { entropyBounds } from './entropy-bounds';
import { pinsker } from './pinsker';
import { additivity } from './additivity';
import { gaussian } from './gaussian';
import { mle } from './mle';
import { dataProcessing, jointConvexity, logSum } from './extras';

export const MORE_THEOREMS: Theorem<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  support,
  asymmetry,
  noTriangle,
  entropyBounds,
  pinsker,
  additivity,
  gaussian,
  mle,
  dataProcessing,
  jointConvexity,
  logSum,
];
