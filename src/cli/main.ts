/**
 * The klcheck command line. `main(argv)` resolves to the exit code:
 *   0 everything checked holds; 1 at least one failure; 2 usage error or invalid input;
 *   4 nothing was checked; 5 incomplete (the time limit cut the run). bin/klcheck.js adds 3 for an
 *   internal error.
 */
import { Command, CommanderError } from 'commander';
import { KlcheckError } from '../numeric/errors';
import type { Io } from './common';
import { valueCommand } from './value';
import { checkCommand } from './check';
import { generatorsCommand } from './generators';
import { explainCommand } from './explain';
import { listCommand } from './list';
import { mergeCommand } from './merge';

export function buildProgram(io: Io, setCode: (c: number) => void): Command {
  const program = new Command('klcheck')
    .description('Property-based verification of KL divergence, entropy, cross-entropy, the Bregman divergence of negative entropy and the ELBO, against an exact arbitrary-precision reference.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(checkCommand(io, setCode), { isDefault: true });
  program.addCommand(valueCommand(io, setCode));
  program.addCommand(generatorsCommand(io, setCode));
  program.addCommand(explainCommand(io, setCode)).addCommand(listCommand(io, setCode)).addCommand(mergeCommand(io, setCode));
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return program;
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => { code = c; });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit with code 0; everything else commander rejects is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof KlcheckError) {
      io.stderr.write(`klcheck: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
