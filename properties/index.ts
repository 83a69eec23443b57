/**
 * The theorem registry: every theorem klcheck knows, by its stable CLI id. The core five are defined
 * here (gibbs, bregman, cross-entropy-decomposition, elbo-identity, elbo-bound); the others come
 * from ./more. `klcheck list` and `klcheck explain` read this list.
 */
import { Theorem, UnknownNameError } from '../src/theorem';
import { bregman } from './bregman';
import { crossEntropyDecomposition } from './cross-entropy-decomposition';
import { elboBound, elboIdentity } from './elbo';
import { gibbs } from './gibbs';
import { MORE_THEOREMS } from './more';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const CORE: Theorem<any>[] = [gibbs, bregman, crossEntropyDecomposition, elboIdentity, elboBound];

export const THEOREMS: Theorem<any>[] = [...CORE, ...MORE_THEOREMS];

/** The theorem with this id; UnknownNameError (exit 2 in the CLI) listing the valid ids otherwise. */
export function theoremById(id: string): Theorem<any> {
  const th = THEOREMS.find((t) => t.id === id);
  if (!th) throw new UnknownNameError('theorem', id, THEOREMS.map((t) => t.id));
  return th;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export { gibbs, bregman, crossEntropyDecomposition, elboIdentity, elboBound };
