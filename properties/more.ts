/** The theorems beyond the core five (support, asymmetry, …). Filled in by properties/*.ts modules. */
import type { Theorem } from '../src/theorem';

export const MORE_THEOREMS: Theorem<any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
