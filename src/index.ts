/**
 * klcheck's public API.
 *
 *   import { reference, kernels, generators, accuracy } from 'klcheck';
 */
export * as reference from './reference';
export * as kernels from './kernels';
export * as generators from './generators';
export * as accuracy from './numeric/accuracy';
export { InvalidInputError, KlcheckError } from './numeric/errors';
export type { InvalidReason } from './numeric/errors';
export { toDecimal, toDyadic, exactDecimalString } from './numeric/exact';
export { decimalContext, DEFAULT_DIGITS } from './numeric/context';
