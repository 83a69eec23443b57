// mathjs `kldivergence` (npm `mathjs`, devDependency) as a klcheck candidate: kl only — mathjs has no
// entropy or cross-entropy.
//
// What the library computes (node_modules/mathjs/lib/esm/function/probability/kldivergence.js):
//
//     kldivergence(q, p):  qn = q / sum(q);  pn = p / sum(p);  return multiply(qn, map(qn ./ pn, log))
//
// Its parameters are *named* (q, p), but the formula is Σ first·log(first / second) — KL(first ‖ second)
// — so our kl(p, q) = Σ p log(p/q) is `kldivergence(p, q)`, arguments in the same order. (Mapping it to
// kldivergence(q, p) because of the parameter names would make it compute KL(q‖p).)
//
// It normalises both inputs by their float sums before the sum (one extra rounding per entry; the
// standard bound accepts "normalising first"), checks only that each sum is non-zero, and has no
// 0·log 0 = 0 convention: a zero p_i gives 0·log(0/q_i) = 0·(−∞) = NaN, a common zero 0·log(0/0) = NaN.
// `multiply` of two vectors is mathjs's dot product (recursive summation), and a non-numeric result
// (e.g. a Complex) is turned into NaN by the library itself.
//
// The wrapper passes the arrays through unchanged and returns whatever mathjs returns: it must expose
// what the library computes, not fix it.
import { kldivergence } from 'mathjs';

export const meta = { name: 'mathjs kldivergence', precision: 'float64', base: 'e' };

export function kl(p, q) {
  return kldivergence(p, q);
}
