/**
 * Memory probe for `npm run bench` (run in its own process so the peak is its own): one agreement
 * check of kl and of entropy on n-category distributions — the reference at 40 digits, the kernel,
 * the judgement under the accuracy model — then prints {"n", "maxRssMB", "ms"} as JSON.
 * Usage: node -r ts-node/register/transpile-only bench/memory-probe.ts <n>
 */
import { randomDistribution, rng } from './measure';
import * as ref from '../src/reference';
import { kernels } from '../src/kernels';
import { judge } from '../src/numeric/accuracy';

const n = Number(process.argv[2] ?? 100000);
const r = rng(7);
const p = randomDistribution(n, r), q = randomDistribution(n, r);
const t0 = Date.now();
const v1 = judge('kl', [p, q], kernels.kl(p, q), ref.kl(p, q), { mode: 'strict' });
const v2 = judge('entropy', [p], kernels.entropy(p), ref.entropy(p), { mode: 'strict' });
process.stdout.write(`${JSON.stringify({ n, ok: v1.ok && v2.ok, maxRssMB: process.resourceUsage().maxRSS / 1024, ms: Date.now() - t0 })}\n`);
