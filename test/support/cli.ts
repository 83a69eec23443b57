/** Runs the klcheck CLI in-process with captured stdout / stderr and the given stdin; resolves to the exit code and the output. */
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main';

export async function runCli(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (d) => { out += d; });
  stderr.on('data', (d) => { err += d; });
  const code = await main(argv, { stdout, stderr, stdin: Readable.from([stdin]) });
  return { code, out, err };
}
