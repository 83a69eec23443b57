/**
 * Issue 12, inputs to klcheck itself: empty candidate options, an --only that names nothing, a
 * directory as --impl. Before: `--impl ""` and `--impl-cmd ""` silently checked the built-in
 * kernels (exit 0), `--only ,` ended in "OK: 0 passed", and a directory leaked Node's require stack.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './support/cli';

// --runs 1 --only kl keeps the old behaviour (checking the built-in kernels) quick when it recurs.
const quick = ['--runs', '1', '--only', 'kl', '--no-progress'];

for (const [flag, pattern] of [['--impl', /--impl needs a module path/], ['--impl-cmd', /--impl-cmd needs a command/]] as const) {
  for (const value of ['', '  ']) {
    test(`check ${flag} ${JSON.stringify(value)} is a usage error (exit 2), not a check of the built-in kernels`, async (t) => {
      const r = await runCli(['check', flag, value, ...quick]);
      t.is(r.code, 2, r.out);
      t.regex(r.err, pattern);
      t.notRegex(r.out, /built-in float64 kernels/);
    });
  }
}

for (const only of [',', '', ' , ', ',,,']) {
  test(`check --only ${JSON.stringify(only)} is a usage error naming no property (exit 2), not "OK: 0 passed"`, async (t) => {
    const r = await runCli(['check', '--only', only, '--runs', '1', '--no-progress']);
    t.is(r.code, 2, r.out);
    t.regex(r.err, /--only names no property/);
    t.notRegex(r.out, /0 passed/);
  });
}

test('check --impl <directory> is a clean CandidateLoadError (exit 2) without a require stack', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klcheck-impl-dir-'));
  try {
    // Even a directory Node could require (it has an index.js) is refused: the module is a file.
    fs.writeFileSync(path.join(dir, 'index.js'), 'exports.kl = () => 0;\n');
    for (const spec of [dir, `${dir}/`]) {
      const r = await runCli(['check', '--impl', spec, ...quick]);
      t.is(r.code, 2, r.out);
      t.regex(r.err, /is a directory; give the module file/);
      t.notRegex(r.err, /Require stack|module-worker/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
