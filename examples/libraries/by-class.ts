/**
 * Per-relation verdicts for a two-argument candidate (kl, crossEntropy): where a library is right and
 * where it is wrong. `klcheck check` stops each agreement property at its first failure; this draws
 * the same kind of pairs one support relation at a time (src/generators/pair.ts: independent, equal,
 * near-equal, p-ll-q, q-ll-p, common-zeros, mismatch, near-mismatch, disjoint), judges every case
 * under the standard bound at the candidate's declared precision, counts passes, and for a relation
 * with failures gives the shrunk counterexample and its diagnosis (src/harness/diagnose.ts).
 *
 *   node -r ts-node/register/transpile-only examples/libraries/by-class.ts <module> [--runs 100] [--seed 20261123] [--json out.json]
 *
 * Exit code 0 whatever the verdicts (it is a measurement, not a gate); 2 on a usage or load error.
 */
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import { pair, PAIR_RELATIONS, PairRelation } from '../../src/generators';
import { loadModuleCandidate } from '../../src/harness/module';
import { evaluateCase, RunOptions } from '../../src/harness/agreement';
import type { FunctionCases, Case } from '../../src/harness/cases';
import { diagnose } from '../../src/harness/diagnose';
import { reference } from '../../src/reference';
import * as fs from 'node:fs';

export interface ClassVerdict {
  fn: string;
  relation: PairRelation;
  runs: number;
  passed: number;
  /** Largest error / standard bound over the passing cases. */
  worstRatio: number;
  counterexample?: { args: unknown[]; reference: string | string[]; candidate: unknown; error?: string; diagnosis?: string };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || file.startsWith('--')) {
    process.stderr.write('usage: by-class.ts <module> [--runs N] [--seed S] [--json out.json]\n');
    process.exit(2);
  }
  const runs = Number(arg('--runs', '100'));
  const seed = Number(arg('--seed', '20261123'));
  const jsonOut = arg('--json', '');
  const c = await loadModuleCandidate(file);
  const opts: RunOptions = { seed, runs, mode: 'standard', precision: c.meta.precision, base: c.meta.base };
  const out: ClassVerdict[] = [];
  try {
    for (const fn of ['kl', 'crossEntropy'].filter((f) => c.functions.includes(f))) {
      for (const relation of PAIR_RELATIONS) {
        const arbitrary: fc.Arbitrary<Case> = pair({ relation }).map(({ p, q }) => ({ args: [p, q], label: relation }));
        const spec: FunctionCases = { fn, params: ['p', 'q'], arbitrary };
        let passed = 0;
        let worstRatio = 0;
        for (const { args, label } of fc.sample(arbitrary, { seed, numRuns: runs })) {
          const o = await evaluateCase(spec, c, args, label, opts);
          if (o.ok) {
            passed++;
            worstRatio = Math.max(worstRatio, o.ratio);
          }
        }
        const v: ClassVerdict = { fn, relation, runs, passed, worstRatio };
        if (passed < runs) {
          const d = await fc.check(fc.asyncProperty(arbitrary, async ({ args, label }) => (await evaluateCase(spec, c, args, label, opts)).ok), { seed, numRuns: runs });
          if (d.failed && d.counterexample) {
            const [{ args, label }] = d.counterexample;
            const o = await evaluateCase(spec, c, args, label, opts);
            const exact = (reference as unknown as Record<string, (...a: unknown[]) => Decimal>)[fn]!(...args);
            const cx = o.cx;
            const dg = cx ? diagnose(fn, cx.args, cx.candidate, exact, cx.error) : undefined;
            v.counterexample = { args, reference: exact.toString(), candidate: cx?.candidate, ...(cx?.error ? { error: cx.error } : {}), ...(dg ? { diagnosis: dg.id } : {}) };
          }
        }
        out.push(v);
      }
    }
  } finally {
    await c.close();
  }
  process.stdout.write(`${c.meta.name} (${file}): agreement by support relation, standard bound, ${c.meta.precision}, seed ${seed}, ${runs} cases each\n\n`);
  process.stdout.write(`  ${'fn'.padEnd(13)}${'relation'.padEnd(15)}${'passed'.padStart(9)}  ${'worst err/bound'.padStart(15)}  shrunk counterexample → candidate (reference) [diagnosis]\n`);
  for (const v of out) {
    const cx = v.counterexample;
    const tail = cx ? `${show(cx.args)} → ${cx.error ?? show(cx.candidate)} (${cx.reference}) [${cx.diagnosis ?? 'no diagnosis'}]` : '';
    process.stdout.write(`  ${v.fn.padEnd(13)}${v.relation.padEnd(15)}${`${v.passed}/${v.runs}`.padStart(9)}  ${v.worstRatio.toExponential(1).padStart(15)}  ${tail}\n`);
  }
  if (jsonOut) fs.writeFileSync(jsonOut, `${show({ candidate: c.meta, seed, runs, classes: out })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
});
