/**
 * Loaded by ava before every test file (package.json "ava.require"). Pins fast-check's seed so that
 * CI runs are reproducible; set KLCHECK_TEST_SEED=random (or a number) to explore other draws.
 */
import fc from 'fast-check';

const env = process.env.KLCHECK_TEST_SEED;
if (env !== 'random') {
  const seed = env === undefined ? 20261123 : Number(env);
  if (!Number.isInteger(seed)) throw new Error(`KLCHECK_TEST_SEED must be an integer or 'random', got '${env}'`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
