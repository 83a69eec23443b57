/**
 * Which recipe produced a vector (internal). The arbitraries output plain arrays (so users can
 * deepEqual them, JSON them, pass them anywhere); the recipe's name is kept on the side, in a
 * WeakMap keyed by the array object itself. `shapeOf` (classify.ts) reads it.
 */
const shapes = new WeakMap<object, string>();

export function tag<T extends object>(value: T, shape: string): T {
  shapes.set(value, shape);
  return value;
}

export function tagOf(value: object): string | undefined {
  return shapes.get(value);
}
