'use strict';
/**
 * Worker-thread host of a JS/TS module candidate (plain JS so it needs no compilation to start).
 * Messages in:  {type: 'load', path, tsconfig}  |  {type: 'call', id, fn, args}
 * Messages out: {type: 'loaded', functions, meta} | {type: 'load-error', message}
 *               {type: 'result', id, ok: true, value, mutated} | {type: 'result', id, ok: false, message, mutated}
 * The host never trusts the module: exceptions are caught, results that cannot be cloned are
 * reported, and inputs are compared before/after each call (purity).
 */
const { parentPort } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');

let fns = {};

function sameArgs(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let j = 0; j < x.length; j++) if (!Object.is(x[j], y[j])) return false;
    } else if (!Object.is(x, y)) return false;
  }
  return true;
}

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

parentPort.on('message', async (msg) => {
  if (msg.type === 'load') {
    try {
      const { fns: f, meta } = await load(msg.path, msg.tsconfig);
      fns = f;
      parentPort.postMessage({ type: 'loaded', functions: Object.keys(fns), meta });
    } catch (e) {
      parentPort.postMessage({ type: 'load-error', message: `${(e && e.name) || 'Error'}: ${(e && e.message) || String(e)}` });
    }
    return;
  }
  if (msg.type === 'call') {
    const f = fns[msg.fn];
    const before = msg.args.map((a) => (Array.isArray(a) ? a.slice() : a));
    if (typeof f !== 'function') {
      parentPort.postMessage({ type: 'result', id: msg.id, ok: false, kind: 'protocol', message: `no function ${msg.fn}()`, mutated: false });
      return;
    }
    let reply;
    try {
      const value = await f(...msg.args);
      reply = { type: 'result', id: msg.id, ok: true, value, mutated: !sameArgs(before, msg.args) };
    } catch (e) {
      reply = { type: 'result', id: msg.id, ok: false, kind: 'threw', message: `${(e && e.name) || 'Error'}: ${(e && e.message) || String(e)}`, mutated: !sameArgs(before, msg.args) };
    }
    try {
      parentPort.postMessage(reply);
    } catch (e) {
      parentPort.postMessage({ type: 'result', id: msg.id, ok: false, kind: 'protocol', message: `the result cannot be transferred: ${e && e.message}`, mutated: reply.mutated });
    }
  }
});
