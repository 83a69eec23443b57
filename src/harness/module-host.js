'use strict';
/**
 * Child-process host of a JS/TS module candidate (plain JS so it starts without compilation). It is
 * forked by src/harness/module.ts as the leader of its own process group, so whatever the module
 * starts can be ended with the group; it talks over the IPC channel with structured clone
 * (serialization: 'advanced': −0, NaN, ±Infinity and typed arrays cross as they are).
 *
 * Messages in:  {type: 'load', path, tsconfig}  |  {type: 'call', id, fn, args}
 * Messages out: {type: 'loaded', functions, meta} | {type: 'load-error', message}
 *               {type: 'result', id, ok: true, value, argsAfter}
 *               {type: 'result', id, ok: false, kind: 'threw' | 'protocol', message, argsAfter}
 *
 * The host never trusts the module: exceptions are caught, results that cannot be cloned are
 * reported, and the arguments are sent back after each call (`argsAfter`) so that purity is judged
 * in the harness, out of the module's reach (a module may patch Object.is or Array.prototype here).
 * What the host itself uses is captured before the module loads.
 */
const send = process.send.bind(process);
const { pathToFileURL } = require('node:url');
const exit = process.exit.bind(process);
const describeThrown = (e) => {
  if (e !== null && typeof e === 'object' && typeof e.message === 'string') return `${typeof e.name === 'string' ? e.name : 'Error'}: ${e.message}`;
  const type = e === null ? 'null' : e === undefined ? 'undefined' : Array.isArray(e) ? 'an array' : typeof e === 'object' ? 'an object' : `a ${typeof e}`;
  let shown;
  try {
    shown = typeof e === 'string' ? JSON.stringify(e) : typeof e === 'symbol' ? e.toString() : typeof e === 'object' && e !== null ? JSON.stringify(e) : String(e);
  } catch {
    shown = '(unprintable)';
  }
  return `${type}${e === null || e === undefined ? '' : ` ${String(shown).slice(0, 200)}`} (not an Error)`;
};

// The harness went away (its IPC channel closed): nothing is left to answer.
process.on('disconnect', () => exit(0));

let fns = {};

async function load(path, tsconfig) {
  if (/\.[cm]?tsx?$/.test(path)) {
    require('ts-node').register({ transpileOnly: true, project: tsconfig, compilerOptions: { module: 'commonjs' } });
  }
  let mod;
  try {
    mod = require(path);
  } catch (e) {
    if (e && (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE')) mod = await import(pathToFileURL(path).href);
    else throw e;
  }
  const out = {};
  const take = (obj) => {
    if (!obj || (typeof obj !== 'object' && typeof obj !== 'function')) return;
    for (const k of Object.keys(obj)) if (typeof obj[k] === 'function' && k !== 'default') out[k] = obj[k].bind(obj);
  };
  take(mod && mod.default);
  take(mod);
  const meta = (mod && mod.meta) || (mod && mod.default && mod.default.meta) || null;
  return { fns: out, meta: meta && typeof meta === 'object' ? { name: meta.name, precision: meta.precision, base: meta.base } : null };
}

function reply(msg) {
  try {
    send(msg);
  } catch (e) {
    send({ type: 'result', id: msg.id, ok: false, kind: 'protocol', message: `the result cannot be transferred: ${e && e.message}`, argsAfter: msg.argsAfter });
  }
}

process.on('message', async (msg) => {
  if (msg.type === 'load') {
    try {
      const { fns: f, meta } = await load(msg.path, msg.tsconfig);
      fns = f;
      send({ type: 'loaded', functions: Object.keys(fns), meta });
    } catch (e) {
      send({ type: 'load-error', message: describeThrown(e) });
    }
    return;
  }
  if (msg.type === 'call') {
    const f = fns[msg.fn];
    if (typeof f !== 'function') {
      send({ type: 'result', id: msg.id, ok: false, kind: 'protocol', message: `no function ${msg.fn}()`, argsAfter: msg.args });
      return;
    }
    let out;
    try {
      const value = await f(...msg.args);
      out = { type: 'result', id: msg.id, ok: true, value, argsAfter: msg.args };
    } catch (e) {
      out = { type: 'result', id: msg.id, ok: false, kind: 'threw', message: describeThrown(e), argsAfter: msg.args };
    }
    reply(out);
  }
});
