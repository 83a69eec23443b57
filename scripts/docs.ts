/**
 * The parts of the docs that state what the code does, written from the code: `npm run docs`
 * rewrites them, `npm run docs -- --check` (run by `npm test`, test/docs.test.ts) fails when a doc no
 * longer matches. Each part sits between `<!-- generated:<name> (scripts/docs.ts) -->` and
 * `<!-- /generated:<name> -->` markers; the text between them is replaced whole.
 *
 * | file             | part               | from                                                        |
 * |------------------|--------------------|-------------------------------------------------------------|
 * | docs/contract.md | `functions`        | the contract table (src/contract.ts): every function's signature and summary |
 * | docs/contract.md | `domains`          | the contract table: every function's domain                 |
 * | README.md        | `main-job`         | the console output of `npm run klcheck` (the main job, default seed), run in-process |
 *
 * The main job's throughput column (`cases/s`) is timing: --check compares everything else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTRACT, CONTRACT_FUNCTIONS, ContractEntry, signature } from '../src/contract';
import { main } from '../src/cli/main';

const ROOT = path.resolve(__dirname, '..');

export interface Part {
  file: string;
  name: string;
  render: () => Promise<string>;
  /** What --check compares (default: the text itself). */
  normalise?: (text: string) => string;
}

function contractFunctions(): string {
  const rows = CONTRACT_FUNCTIONS.map((fn) => `| \`${signature(fn)}\` | ${(CONTRACT[fn] as ContractEntry).summary} |`);
  return ['| function | computes |', '|---|---|', ...rows].join('\n');
}

function contractDomains(): string {
  const rows = CONTRACT_FUNCTIONS.map((fn) => {
    const e: ContractEntry = CONTRACT[fn];
    return `| \`${fn}(${e.params.map((p) => p.name).join(', ')})\` | ${e.domain} |`;
  });
  return ['| function | domain |', '|---|---|', ...rows].join('\n');
}

/** The main job's console output, as `npm run klcheck` prints it. */
async function mainJob(): Promise<string> {
  let out = '';
  const sink = { write: (s: string | Uint8Array) => { out += String(s); return true; } } as unknown as NodeJS.WritableStream;
  const code = await main(['check', '--no-progress'], { stdout: sink, stderr: { write: () => true } as unknown as NodeJS.WritableStream, stdin: process.stdin });
  if (code !== 0) throw new Error(`the main job exited ${code}:\n${out}`);
  return ['```', '$ npm run klcheck', out.trimEnd(), '```'].join('\n');
}

/** The cases/s column (the last of each property row) is timing: blanked for the comparison. */
function withoutThroughput(text: string): string {
  return text.replace(/^(\s+(?:agreement|invalid|theorem|replay)\S*\s.*?)\s+\d+$/gm, '$1 <cases/s>');
}

export const PARTS: readonly Part[] = [
  { file: 'docs/contract.md', name: 'functions', render: async () => contractFunctions() },
  { file: 'docs/contract.md', name: 'domains', render: async () => contractDomains() },
  { file: 'README.md', name: 'main-job', render: mainJob, normalise: withoutThroughput },
];

const open = (name: string) => `<!-- generated:${name} (scripts/docs.ts) -->`;
const close = (name: string) => `<!-- /generated:${name} -->`;

/** The text of `doc` with part `name` replaced by `body`; throws when the markers are missing. */
export function replacePart(doc: string, name: string, body: string): string {
  const a = doc.indexOf(open(name));
  const b = doc.indexOf(close(name));
  if (a < 0 || b < a) throw new Error(`no ${open(name)} … ${close(name)} markers`);
  return `${doc.slice(0, a + open(name).length)}\n${body}\n${doc.slice(b)}`;
}

/** The current text of part `name` in `doc`. */
export function currentPart(doc: string, name: string): string {
  const a = doc.indexOf(open(name));
  const b = doc.indexOf(close(name));
  if (a < 0 || b < a) throw new Error(`no ${open(name)} … ${close(name)} markers`);
  return doc.slice(a + open(name).length, b).replace(/^\n/, '').replace(/\n$/, '');
}

/** The parts whose committed text differs from what the code gives now, with both texts. */
export async function staleParts(parts: readonly Part[] = PARTS, read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8')): Promise<{ part: Part; committed: string; fresh: string }[]> {
  const out: { part: Part; committed: string; fresh: string }[] = [];
  for (const part of parts) {
    const committed = currentPart(read(part.file), part.name);
    const fresh = await part.render();
    const norm = part.normalise ?? ((s: string) => s);
    if (norm(committed) !== norm(fresh)) out.push({ part, committed, fresh });
  }
  return out;
}

async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write('usage: npm run docs [-- --check]\n  Rewrites the generated parts of README.md and docs/ from the code; --check only reports stale ones (exit 1).\n');
    return 0;
  }
  if (argv.includes('--check')) {
    const stale = await staleParts();
    for (const s of stale) process.stderr.write(`docs: ${s.part.file} part '${s.part.name}' is stale (npm run docs rewrites it)\n--- committed\n${s.committed}\n+++ from the code\n${s.fresh}\n`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const part of PARTS) {
    const file = path.join(ROOT, part.file);
    fs.writeFileSync(file, replacePart(fs.readFileSync(file, 'utf8'), part.name, await part.render()));
    process.stdout.write(`docs: wrote ${part.file} (${part.name})\n`);
  }
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { process.stderr.write(`docs: ${(e as Error).stack}\n`); process.exitCode = 3; });
}
