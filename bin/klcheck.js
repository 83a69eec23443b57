#!/usr/bin/env node
'use strict';
// Runs the TypeScript sources directly (transpile-only: type-checking is `npm run typecheck`).
// A closed pipe (e.g. `klcheck --help | head`) is not an error.
for (const s of [process.stdout, process.stderr]) s.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode || 0); throw e; });
// Until the handlers below are installed, a signal ends the process the default way (nothing runs yet).
require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, '..', 'tsconfig.json') });
// SIGINT / SIGTERM: a running `check` stops gracefully and writes its reports; everything else keeps
// the default action and ends at once. src/cli/signals.ts.
require('../src/cli/signals.ts').installSignalHandlers();
require('../src/cli/main.ts').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`klcheck: internal error: ${err && err.stack || err}\n`); process.exitCode = 3; },
);
