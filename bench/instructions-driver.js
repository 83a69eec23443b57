// Driver for bench/instructions.sh: runs one reference function `reps` times on the bench's seeded
// inputs (n = 1000, 40 digits) from the compiled sources in $KLCHECK_JS. Not for direct use.
const path = require('node:path');
const root = process.env.KLCHECK_JS;
const ref = require(path.join(root, 'src/reference'));
const { rng, randomDistribution } = require(path.join(root, 'bench/bench'));
const r = rng(20261123);
const n = 1000;
const p = randomDistribution(n, r), q = randomDistribution(n, r);
const fn = process.argv[2];
const reps = Number(process.argv[3]);
const f = fn === 'kl' ? () => ref.kl(p, q) : fn === 'entropy' ? () => ref.entropy(p) : () => ref.crossEntropy(p, q);
for (let k = 0; k < 5; k++) f(); // warm-up: tables and JIT
for (let k = 0; k < reps; k++) f();
