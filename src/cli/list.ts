/**
 * `klcheck list [--json]`: the theorems klcheck checks, each with its kind, statements, hypotheses
 * (and what dropping each does: a counterexample search, or the reason none exists) and the contract
 * functions a candidate needs for it.
 */
import { Command } from 'commander';
import { THEOREMS } from '../../properties';
import type { Theorem } from '../theorem';
import type { Io } from './common';

export interface TheoremListing {
  id: string;
  title: string;
  kind: Theorem['kind'];
  source: string;
  statements: string[];
  hypotheses: { id: string; text: string; ablation: 'counterexample search' | 'no counterexample' | 'none' }[];
  functions: string[];
  float64Functions: string[];
}

export function listTheorems(theorems: readonly Theorem<unknown>[] = THEOREMS as Theorem<unknown>[]): TheoremListing[] {
  return theorems.map((th) => ({
    id: th.id,
    title: th.title,
    kind: th.kind,
    source: th.source,
    statements: th.statements.map((s) => s.text),
    hypotheses: th.hypotheses.map((h) => {
      const a = th.ablations.find((x) => x.hypothesis === h.id);
      return { id: h.id, text: h.text, ablation: a?.arbitrary ? 'counterexample search' : a?.noCounterexample ? 'no counterexample' : 'none' };
    }),
    functions: [...th.functions],
    float64Functions: th.float64 ? [...th.float64.functions] : [],
  }));
}

export function formatList(listing: readonly TheoremListing[]): string {
  const lines = [`klcheck theorems (${listing.length})`, ''];
  for (const t of listing) {
    lines.push(`${t.id}${t.kind === 'false-in-general' ? '  [false in general: witnesses]' : ''}`);
    lines.push(`  ${t.title}`);
    lines.push(`  source: ${t.source}`);
    for (const s of t.statements) lines.push(`  statement: ${s}`);
    if (t.hypotheses.length === 0) lines.push('  hypotheses: (none)');
    const w = Math.max(0, ...t.hypotheses.map((h) => h.id.length));
    for (const h of t.hypotheses) {
      const drop = h.ablation === 'counterexample search' ? 'drop → counterexample' : h.ablation === 'no counterexample' ? 'drop → no counterexample (reason)' : '';
      lines.push(`  hypothesis ${h.id.padEnd(w)}  ${h.text}${drop ? `   [${drop}]` : ''}`);
    }
    lines.push(`  functions: ${t.functions.join(', ')}${t.float64Functions.length > 0 && t.float64Functions.join() !== t.functions.join() ? ` (float64 check: ${t.float64Functions.join(', ')})` : ''}`);
    lines.push('');
  }
  lines.push('klcheck explain <theorem> shows a proof on one instance; --drop <hypothesis> shows why the hypothesis is needed.');
  return `${lines.join('\n')}\n`;
}

export function listCommand(io: Io, setCode: (c: number) => void): Command {
  return new Command('list')
    .description('the theorems, their hypotheses, and the contract functions each one needs')
    .option('--json', 'print the list as JSON')
    .addHelpText('after', `
Examples:
  klcheck list
  klcheck list --json
  klcheck explain gibbs --drop q-sums-to-one       # then look at one of them closely

Exit codes: 0.`)
    .action((o: { json?: boolean }) => {
      const listing = listTheorems();
      io.stdout.write(o.json ? `${JSON.stringify(listing, null, 2)}\n` : formatList(listing));
      setCode(0);
    });
}
