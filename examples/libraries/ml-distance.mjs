// ml-distance `distance.kullbackLeibler` (npm `ml-distance`, ESM-only, devDependency) as a klcheck
// candidate: kl only.
//
// What the library computes (node_modules/ml-distance/lib/distances/kullbackLeibler.js):
//
//     kullbackLeibler(a, b) { let ans = 0; for (i …) ans += a[i] * Math.log(a[i] / b[i]); return ans; }
//
// That is Σ a log(a/b) = KL(a ‖ b), so our kl(p, q) is kullbackLeibler(p, q), same argument order. No
// normalisation, no guard: a zero a_i gives 0·log(0/b_i) = 0·(−∞) = NaN (the 0·log 0 = 0 convention is
// missing), a_i > 0 with b_i = 0 gives +Infinity (correct), and the ratio a_i/b_i can overflow to
// +Infinity at a subnormal b_i where the exact value is finite.
//
// The wrapper passes the arrays through unchanged and returns what the library returns.
import { distance } from 'ml-distance';

export const meta = { name: 'ml-distance kullbackLeibler', precision: 'float64', base: 'e' };

export function kl(p, q) {
  return distance.kullbackLeibler(p, q);
}
