/** `klcheck explain` and `klcheck list` in-process: outputs, JSON schema, --drop, errors (exit 2), help. */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { THEOREMS } from '../properties';
import * as ref from '../src/reference';
import { runCli } from './support/cli';

const run = runCli;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-explain-'));
test.after.always(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('explain gibbs: statement, hypotheses, proof, one instance with every step evaluated', async (t) => {
  const r = await run(['explain', 'gibbs', '--seed', '1']);
  t.is(r.code, 0, r.err);
  for (const s of ['gibbs — Gibbs\' inequality', 'Statement', 'KL(p‖q) ≥ 0', 'Hypotheses', 'q-sums-to-one', 'Contract functions: kl',
    'Proof', 'jensen', 'One instance (seed 1, 40 digits', 'Proof steps on this instance', '--drop']) {
    t.true(r.out.includes(s), `missing '${s}'`);
  }
  t.false(r.out.includes('✗'), 'every step holds on a theorem instance');
});

test('explain --json: the schema (values at --digits, infinities as strings)', async (t) => {
  const file = path.join(tmp, 'gibbs.json');
  const r = await run(['explain', 'gibbs', '--seed', '3', '--digits', '30', '--json', file]);
  t.is(r.code, 0, r.err);
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const k of ['theorem', 'title', 'source', 'kind', 'seed', 'digits', 'instance', 'description', 'hypotheses', 'statements', 'steps', 'functions']) t.true(k in j, k);
  t.is(j.theorem, 'gibbs');
  t.is(j.digits, 30);
  t.is(j.steps.length, 5);
  for (const s of j.steps) {
    for (const k of ['id', 'text', 'lhs', 'relation', 'rhs', 'holds', 'justification', 'uses']) t.true(k in s, `step.${k}`);
    t.true(s.holds);
    t.true(typeof s.lhs.value === 'string' && typeof s.lhs.text === 'string');
  }
  // the instance is plain numbers, and the values are the reference's
  const { p, q } = j.instance;
  t.is(j.statements[0].lhs.value, ref.kl(p, q, { digits: 30 }).toString());
});

test('explain --drop q-sums-to-one: the shrunk counterexample p = [1], q = [2] and the failing step', async (t) => {
  const file = path.join(tmp, 'drop.json');
  const r = await run(['explain', 'gibbs', '--drop', 'q-sums-to-one', '--json', file]);
  t.is(r.code, 0, r.err);
  t.true(r.out.includes('Shrunk counterexample'));
  t.true(r.out.includes('p = [1], q = [2]'));
  t.true(r.out.includes("The proof breaks at step 5 'normalised'"));
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const k of ['theorem', 'dropped', 'counterexample', 'failingStep', 'statement', 'reason']) t.true(k in j, k);
  t.is(j.dropped, 'q-sums-to-one');
  t.deepEqual(j.counterexample.instance.q, [2]);
  t.is(j.failingStep.id, 'normalised');
  t.is(j.statement.lhs.value, ref.kl([1], [2]).toString()); // −log 2
  t.false(j.statement.holds);
});

test('explain --drop with no counterexample: the reason, counterexample null in the JSON', async (t) => {
  const file = path.join(tmp, 'reason.json');
  const r = await run(['explain', 'cross-entropy-decomposition', '--drop', 'p-sums-to-one', '--json', file]);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /No counterexample — no counterexample exists: the decomposition is algebra/);
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  t.is(j.counterexample, null);
  t.is(j.failingStep, null);
  t.regex(j.reason, /algebra/);
});

test('explain: infinite values are written as "Infinity" / "-Infinity" in the JSON', async (t) => {
  const file = path.join(tmp, 'inf.json');
  // seed 24: elbo-bound's instance has an impossible z (log p(x, z) = −∞)
  const r = await run(['explain', 'elbo-bound', '--seed', '24', '--json', file]);
  t.is(r.code, 0, r.err);
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  t.true(j.instance.logJoint.includes('-Infinity'));
  t.false(JSON.stringify(j).includes('null'), 'no non-finite number became null');
  t.true(r.out.includes('-Infinity'));
});

test('explain: unknown theorem / hypothesis / bad option → exit 2 with the valid names', async (t) => {
  const a = await run(['explain', 'gibs']);
  t.is(a.code, 2);
  t.regex(a.err, /unknown theorem 'gibs'; valid theorems: gibbs, bregman, cross-entropy-decomposition, elbo-identity, elbo-bound/);
  const b = await run(['explain', 'gibbs', '--drop', 'absolute-continuity']);
  t.is(b.code, 2);
  t.regex(b.err, /unknown hypothesis 'absolute-continuity' of theorem 'gibbs'; valid hypotheses: p-nonneg, q-nonneg, p-sums-to-one, q-sums-to-one/);
  t.is((await run(['explain', 'gibbs', '--digits', '5'])).code, 2);
  t.is((await run(['explain', 'gibbs', '--seed', 'x'])).code, 2);
  t.is((await run(['explain'])).code, 2);
});

test('list: every theorem with its hypotheses and contract functions; --json', async (t) => {
  const r = await run(['list']);
  t.is(r.code, 0);
  for (const th of THEOREMS) {
    t.true(r.out.includes(`\n${th.id}`), th.id);
    for (const h of th.hypotheses) t.true(r.out.includes(h.id), `${th.id}: ${h.id}`);
    t.true(r.out.includes(`functions: ${th.functions.join(', ')}`), `${th.id} functions`);
  }
  const j = JSON.parse((await run(['list', '--json'])).out);
  t.is(j.length, THEOREMS.length);
  const g = j.find((x: { id: string }) => x.id === 'gibbs');
  t.deepEqual(g.functions, ['kl']);
  t.deepEqual(g.hypotheses.map((h: { id: string; ablation: string }) => `${h.id}:${h.ablation}`), [
    'p-nonneg:no counterexample', 'q-nonneg:counterexample search', 'p-sums-to-one:counterexample search', 'q-sums-to-one:counterexample search',
  ]);
});

test('--help on explain and list, with examples', async (t) => {
  const e = await run(['explain', '--help']);
  t.is(e.code, 0);
  t.regex(e.out, /Usage: klcheck explain \[options\] <theorem>/);
  t.regex(e.out, /Examples:\n\s+klcheck explain gibbs/);
  t.regex(e.out, /--drop <hypothesis>/);
  const l = await run(['list', '--help']);
  t.is(l.code, 0);
  t.regex(l.out, /Examples:\n\s+klcheck list/);
});
