// TensorFlow.js categorical cross-entropy as a klcheck candidate: crossEntropy(p, q) with p the target
// (y_true) and q the prediction (y_pred), as `tf.metrics.categoricalCrossentropy(yTrue, yPred)`.
//
// Packages (devDependencies, all 4.22.0), chosen deliberately:
//  - @tensorflow/tfjs-layers — categorical cross-entropy on probabilities exists only here
//    (`metrics.categoricalCrossentropy`, the same function as the 'categoricalCrossentropy' loss of
//    model.compile). @tensorflow/tfjs-core's `tf.losses` has softmaxCrossEntropy (on logits) and
//    logLoss (binary), not a categorical cross-entropy of probability vectors.
//  - @tensorflow/tfjs-core — the ops; a peer dependency of the other two.
//  - @tensorflow/tfjs-backend-cpu — the pure-JS backend (tfjs-core has none of its own).
//  Together ≈ 79 MB unpacked (core 37.1 MB, layers 31.1 MB, cpu 10.6 MB), against ≈ 276 MB for the
//  @tensorflow/tfjs umbrella (which adds webgl, converter and data). @tensorflow/tfjs-node is not an
//  option: native bindings and a libtensorflow download from outside the npm registry.
//
// What the library computes (node_modules/@tensorflow/tfjs-layers/dist/losses.js):
//
//     output = output / sum(output)                       // y_pred renormalised
//     output = clipByValue(output, ε, 1 − ε)              // ε = backend().epsilon() = 1e-7 (float32)
//     return −sum(cast(target, 'float32') * log(output))
//
// in float32 throughout: the float64 inputs are rounded to float32 when the tensors are made (a
// subnormal-in-float32 mass becomes 0 or a float32 subnormal, masses below ~1.4e-45 become 0), and
// every op rounds to float32. Hence meta.precision = 'float32' (the standard bound uses u = 2^-24).
// The ε-clipping makes q_i = 0 count as 1e-7: under support mismatch (p_i > 0 = q_i), where the exact
// cross-entropy is +Infinity, it returns a finite p_i·ln(1e7) ≈ 16.1·p_i contribution. The upper clip
// 1 − ε also moves q_i = 1 to 1 − 1e-7 (float32: 0.99999988…), i.e. an error ≈ 1.2e-7·p_i.
// The result (a float32 scalar tensor) is returned as a JS number via dataSync()[0]; tensors are
// released with tf.tidy.
//
// The banner: the CPU backend prints "Hi, looks like you are running TensorFlow.js in Node.js. To speed
// things up dramatically, install our node backend …" through console.warn (stderr) on its first tensor
// write. In klcheck it is harmless (a module candidate runs in a worker thread whose stdout/stderr are
// discarded, src/harness/module.ts), but this module may also be imported directly, so it selects the
// 'cpu' backend explicitly and makes its first (throw-away) tensor while console.warn is muted; the
// warn is restored immediately after. Nothing else is silenced.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { metrics } from '@tensorflow/tfjs-layers';

export const meta = { name: 'TensorFlow.js categoricalCrossentropy', precision: 'float32', base: 'e' };

await tf.setBackend('cpu');
{
  const warn = console.warn;
  console.warn = () => {};
  try {
    tf.tidy(() => tf.scalar(0).dataSync());
  } finally {
    console.warn = warn;
  }
}

export function crossEntropy(p, q) {
  return tf.tidy(() => metrics.categoricalCrossentropy(tf.tensor1d(p, 'float32'), tf.tensor1d(q, 'float32')).dataSync()[0]);
}
