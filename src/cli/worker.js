'use strict';
/**
 * Worker-thread entry of `klcheck check --workers N` (plain JS so it starts without compilation):
 * registers ts-node, then runs src/cli/worker-main.ts. Beside the CLI because it is a
 * program (like bin/klcheck.js): it knows the theorems of properties/, which src/harness/ must not.
 */
const path = require('node:path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', '..', 'tsconfig.json') });
require('./worker-main.ts');
