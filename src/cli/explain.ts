/**
 * `klcheck explain <theorem> [--seed N] [--digits N] [--drop <hypothesis>] [--runs N] [--json <file>]`
 *
 * Without --drop: the theorem's statements, hypotheses and proof, then one small instance (chosen
 * deterministically from the seed) with every statement and every proof step evaluated in arbitrary
 * precision. With --drop: instances violating that hypothesis (and only it) are searched, the first
 * counterexample is shrunk, and the statement's values and the FIRST proof step that fails on it are
 * printed — or the reason no counterexample exists. Exit 0; 2 for an unknown theorem / hypothesis or a
 * bad option (with the list of valid names).
 */
import { writeFileAtomic } from '../harness/atomic-write';
import { Command } from 'commander';
import { theoremById, THEOREMS } from '../../properties';
import { decimalContext, DEFAULT_DIGITS, MAX_DIGITS, MIN_DIGITS } from '../numeric/context';
import {
  ablate, AblationReport, explainTheorem, ExplainReport, findAblation, HypothesisReport, RelationReport, relationSymbol, Theorem,
} from '../theorem';
import { encodeNonFinite } from '../numeric/wire';
import { DEFAULT_SEED, intOption, Io, UsageError } from './common';

/** Instances searched by --drop (default). */
export const DEFAULT_ABLATION_RUNS = 100;
/** Significant digits shown on the console (the JSON has all `digits`). */
export const SHOWN_DIGITS = 20;

/** A value string shortened to SHOWN_DIGITS significant digits ("Infinity" stays). */
export function shown(value: string): string {
  if (!/^-?[0-9.]+(e[-+]?[0-9]+)?$/i.test(value)) return value;
  const D = decimalContext(SHOWN_DIGITS);
  return new D(value).toSignificantDigits(SHOWN_DIGITS).toString();
}

const mark = (ok: boolean) => (ok ? '✓' : '✗');

function hypothesesLine(hs: readonly HypothesisReport[]): string {
  return hs.map((h) => `${mark(h.holds)} ${h.id}`).join('  ');
}

function relationLines(r: RelationReport, indent: string): string[] {
  const head = r.kind === 'step' ? `${mark(r.holds)} ${r.index} ${r.id}: ${r.text}` : `${mark(r.holds)} ${r.index}. ${r.text}`;
  const lines = [`${indent}${head}`];
  lines.push(`${indent}    ${shown(r.lhs.value)} ${relationSymbol(r.relation)} ${shown(r.rhs.value)}`
    + (r.holds ? '' : `   ← false${r.difference !== null ? ` (lhs − rhs = ${shown(r.difference)}, tolerance ${r.tolerance})` : ''}`));
  if (r.kind === 'step' && r.justification) {
    lines.push(`${indent}    why: ${r.justification}${r.uses && r.uses.length > 0 ? ` [uses ${r.uses.join(', ')}]` : ''}`);
  }
  return lines;
}

function header(th: Theorem<unknown>): string[] {
  const lines = [`${th.id} — ${th.title}`, `source: ${th.source}${th.kind === 'false-in-general' ? ' (false in general: witnesses)' : ''}`, '', 'Statement'];
  th.statements.forEach((s, i) => lines.push(`  ${i + 1}. ${s.text}`));
  lines.push('', 'Hypotheses');
  const w = Math.max(...th.hypotheses.map((h) => h.id.length), 4);
  for (const h of th.hypotheses) lines.push(`  ${h.id.padEnd(w)}  ${h.text}`);
  if (th.hypotheses.length === 0) lines.push('  (none)');
  lines.push('', `Contract functions: ${th.functions.join(', ')}`);
  return lines;
}

/** The console form of `klcheck explain <theorem>`. */
export function formatExplain(th: Theorem<unknown>, r: ExplainReport): string {
  const lines = header(th);
  lines.push('', 'Proof');
  th.proof.forEach((s, i) => lines.push(`  ${i + 1} ${s.id}: ${s.lhs.text} ${relationSymbol(s.relation)} ${s.rhs.text}`));
  lines.push(
    '',
    `One instance (seed ${r.seed}, ${r.digits} digits; values shown to ${SHOWN_DIGITS} digits, --json has all):`,
    `  ${r.description}`,
    `  hypotheses: ${hypothesesLine(r.hypotheses)}`,
    '',
    'Statements on this instance',
  );
  for (const s of r.statements) lines.push(...relationLines(s, '  '));
  lines.push('', 'Proof steps on this instance');
  for (const s of r.steps) lines.push(...relationLines(s, '  '));
  lines.push('', `Drop a hypothesis to see why it is needed: klcheck explain ${th.id} --drop <${th.hypotheses.map((h) => h.id).join('|')}>`);
  return `${lines.join('\n')}\n`;
}

/** The console form of `klcheck explain <theorem> --drop <hypothesis>`. */
export function formatAblation(th: Theorem<unknown>, r: AblationReport): string {
  const others = th.hypotheses.filter((h) => h.id !== r.dropped).map((h) => h.id);
  const lines = [`${th.id} without ${r.dropped}: ${r.hypothesis}`, `statement: ${th.statements.map((s) => s.text).join('; ')}`, ''];
  if (!r.searched) {
    lines.push(`No counterexample — ${r.reason}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`Searched ${r.runs} instances (seed ${r.seed}, ${r.digits} digits) that violate ${r.dropped}${others.length > 0 ? ` and satisfy ${others.join(', ')}` : ''}.`);
  if (r.counterexample === null) {
    lines.push('', `No counterexample found — ${r.reason}`);
    return `${lines.join('\n')}\n`;
  }
  const cx = r.counterexample;
  lines.push(
    '',
    `Shrunk counterexample (${r.shrinks} shrink steps): ${cx.description}`,
    `  hypotheses: ${hypothesesLine(cx.hypotheses)}`,
    '',
    'The statement fails:',
    ...relationLines(r.statement!, '  '),
    '',
  );
  if (r.failingStep) {
    lines.push(`The proof breaks at step ${r.failingStep.index} '${r.failingStep.id}':`, ...relationLines(r.failingStep, '  '));
  } else {
    lines.push('Every proof step still holds on it: the failing statement is not the conclusion of the proof chain.');
  }
  lines.push('', 'All proof steps on the counterexample (in order):');
  for (const s of cx.steps) lines.push(...relationLines(s, '  '));
  return `${lines.join('\n')}\n`;
}

function writeJson(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(encodeNonFinite(value), null, 2)}\n`);
}

export function explainCommand(io: Io, setCode: (c: number) => void): Command {
  const ids = THEOREMS.map((t) => t.id);
  return new Command('explain')
    .description('a theorem on one instance: statement, hypotheses and each proof step with its values; with --drop, why a hypothesis is needed (a shrunk counterexample and the first proof step that fails, or why none exists)')
    .argument('<theorem>', `theorem id: ${ids.join(', ')}`)
    .option('--seed <n>', 'fast-check seed: same seed, same instance and same counterexample', String(DEFAULT_SEED))
    .option('--digits <n>', `significant digits of the reference values (${MIN_DIGITS}..${MAX_DIGITS})`, String(DEFAULT_DIGITS))
    .option('--drop <hypothesis>', 'search instances that violate this hypothesis (and satisfy the others) for a counterexample')
    .option('--runs <n>', 'instances searched with --drop', String(DEFAULT_ABLATION_RUNS))
    .option('--json <file>', 'also write the report as JSON to this file')
    .addHelpText('after', `
Examples:
  klcheck explain gibbs                              # the Jensen proof, step by step, on one instance
  klcheck explain gibbs --drop q-sums-to-one         # p = [1], q = [2]: KL = −log 2 < 0; the step "−log Σ q = −log 1" breaks
  klcheck explain bregman --drop equal-mass --json reports/bregman-equal-mass.json
  klcheck explain elbo-bound --seed 7 --digits 60
  klcheck list                                       # the theorems, their hypotheses and contract functions

JSON (--json): without --drop {theorem, title, source, kind, seed, digits, instance, description,
hypotheses: [{id, text, holds}], statements: [...], steps: [{id, text, lhs: {text, value}, relation,
rhs: {text, value}, holds, difference, tolerance, justification, uses}]}; with --drop {theorem,
dropped, hypothesis, searched, counterexample (null when none exists), statement, failingStep,
reason, seed, runs, digits, shrinks}. Values are decimal strings at --digits ("Infinity" for ±∞).

Exit codes: 0 explained (a counterexample is an explanation, not a failure); 2 unknown theorem or
hypothesis (the valid names are listed), or a bad option.`)
    .action((id: string, o: { seed: string; digits: string; drop?: string; runs: string; json?: string }) => {
      const th = theoremById(id) as Theorem<unknown>;
      const seed = intOption('--seed', o.seed, -(2 ** 31), 2 ** 31 - 1);
      const digits = intOption('--digits', o.digits, MIN_DIGITS, MAX_DIGITS);
      const runs = intOption('--runs', o.runs, 1, 100000);
      if (o.drop !== undefined) {
        findAblation(th, o.drop); // unknown hypothesis → UnknownNameError (exit 2)
        const r = ablate(th, o.drop, { seed, runs, digits });
        io.stdout.write(formatAblation(th, r));
        if (o.json) writeJson(o.json, { title: th.title, ...r });
      } else {
        const r = explainTheorem(th, { seed, digits });
        io.stdout.write(formatExplain(th, r));
        if (o.json) writeJson(o.json, r);
      }
      setCode(0);
    });
}
