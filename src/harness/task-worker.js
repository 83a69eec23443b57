'use strict';
/**
 * Worker-thread entry of `klcheck check --workers N` (plain JS so it starts without compilation):
 * registers ts-node, then runs src/harness/task-worker-main.ts.
 */
const path = require('node:path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', '..', 'tsconfig.json') });
require('./task-worker-main.ts');
