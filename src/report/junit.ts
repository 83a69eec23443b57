/**
 * JUnit XML for CI systems: one <testsuite> per candidate, one <testcase> per property; a failure
 * carries the message, the diagnosis class as its type, and the counterexample in its body.
 */
import { create } from 'xmlbuilder2';
import type { PropertyResult } from '../harness/result';

/** XML 1.0 forbids most control characters; candidates' messages may contain anything. */
export function xmlSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

const jsonArgs = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

export function toJUnit(suiteName: string, results: readonly PropertyResult[], opts: { seed: number; timestamp?: string }): string {
  const failures = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped' || r.status === 'not-run').length;
  const time = (results.reduce((s, r) => s + r.durationMs, 0) / 1000).toFixed(3);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', { name: 'klcheck', tests: results.length, failures, skipped, time });
  const suite = root.ele('testsuite', { name: xmlSafe(suiteName), tests: results.length, failures, errors: 0, skipped, time, ...(opts.timestamp ? { timestamp: opts.timestamp } : {}) });
  suite.ele('properties').ele('property', { name: 'seed', value: String(opts.seed) });
  for (const r of results) {
    const tc = suite.ele('testcase', { classname: `klcheck.${xmlSafe(suiteName)}`, name: xmlSafe(r.property), time: (r.durationMs / 1000).toFixed(3) });
    if (r.status === 'skipped' || r.status === 'not-run') tc.ele('skipped', { message: xmlSafe(r.message) });
    if (r.status === 'failed') {
      const cx = r.counterexample;
      const body = cx
        ? [`input (${cx.label}): ${jsonArgs(cx.args)}`, `reference: ${JSON.stringify(cx.reference)}`, `candidate: ${jsonArgs(cx.candidate)}`,
          ...(r.diagnosis ? [`diagnosis: ${r.diagnosis.explanation}`] : [])].join('\n')
        : r.message;
      tc.ele('failure', { message: xmlSafe(r.message), type: r.diagnosis?.id ?? 'disagreement' }).txt(xmlSafe(body));
    }
  }
  return root.end({ prettyPrint: true });
}
