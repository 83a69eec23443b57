/**
 * The HTML report: one self-contained page (inline CSS and inline SVG; no scripts, no external URLs)
 * with the summary of a check run, each failure with its counterexample, one plot per function of
 * the error in bits across generator classes (PropertyResult.classes), and a plot of forward versus
 * reverse KL on a two-mode example.
 *
 * Input is the JSON report object (src/report/json.ts), either as built in memory (non-finite numbers
 * are numbers) or parsed back from a report file (non-finite numbers are the strings "Infinity",
 * "-Infinity", "NaN"): both render the same. Every piece of text is escaped (counterexample values
 * and messages come from untrusted candidates); non-finite numbers are shown as Infinity, -Infinity
 * and NaN. The page is well-formed XML as well as HTML5, so it can be checked with an XML parser.
 */
import { writeFileAtomic } from '../harness/atomic-write';
import type { JsonReport } from './json';
import type { ClassStats, PropertyResult } from '../harness/result';
import { FUNCTION_CASES } from '../harness/cases';
import { kernels } from '../kernels';
import { xmlSafe } from './junit';
import { measuresError } from './console';

export interface HtmlOptions {
  /** The command that reproduces this run (not part of the JSON report); shown with the failures. */
  replay?: string;
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/** Escapes text for HTML element content and quoted attribute values (& < > " '), and replaces the
 * control characters XML 1.0 forbids by U+FFFD. */
export function escapeHtml(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const esc = escapeHtml;

const NON_FINITE = new Set(['Infinity', '-Infinity', 'NaN']);
const MAX_VALUE_CHARS = 4000;

/**
 * A value as text: numbers in their shortest round-trip form (non-finite ones as Infinity, -Infinity,
 * NaN; −0 as -0), the strings "Infinity" / "-Infinity" / "NaN" of a parsed JSON report likewise,
 * other strings JSON-quoted, arrays and plain objects recursively. Long values are truncated.
 */
export function showValue(v: unknown): string {
  const s = show(v, 0);
  return s.length <= MAX_VALUE_CHARS ? s : `${s.slice(0, MAX_VALUE_CHARS)}… (${s.length} characters in all; the full value is in the JSON report)`;
}

function show(v: unknown, depth: number): string {
  if (depth > 16) return '…';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return NON_FINITE.has(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => show(x, depth + 1)).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${show(x, depth + 1)}`).join(', ')}}`;
  return String(v);
}

/** A number of the report (a number, or a non-finite one's string) formatted by `f` when finite. */
function num(v: unknown, f: (x: number) => string): string {
  if (typeof v === 'number') return Number.isFinite(v) ? f(v) : String(v);
  if (typeof v === 'string') return v;
  return '—';
}
/** A number of the report, or its string ("NaN", "Infinity", …, from a parsed JSON report), as a number. */
const toNumber = (v: unknown): number => Number(v);
const exp3 = (x: number) => x.toExponential(3);
const fix2 = (x: number) => x.toFixed(2);
/** Coordinates in SVG: two decimals are plenty. */
const c = (x: number) => String(Math.round(x * 100) / 100);

// ---------------------------------------------------------------------------------------------
// Plot 1: error in bits across generator classes
// ---------------------------------------------------------------------------------------------

/** A tick step of 1, 2 or 5 × 10^k giving at most `max` intervals over [0, hi]. */
function tickStep(hi: number, max: number): number {
  const raw = hi / max;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/**
 * One SVG for one function: a row per generator class with a bar of the worst and a bar of the mean
 * error in bits over its passing cases; a class with a failure is marked in red.
 */
export function bitsPlot(fn: string, classes: Readonly<Record<string, ClassStats>>): string {
  const labels = Object.keys(classes);
  const W = 760, left = 190, right = 560, top = 34, row = 24;
  const H = top + row * labels.length + 42;
  const worstAll = Math.max(0, ...labels.map((l) => toNumber(classes[l]!.worstBits)).filter(Number.isFinite));
  const step = tickStep(Math.max(worstAll, 1), 6);
  const hi = Math.ceil(Math.max(worstAll, 1) / step - 1e-9) * step;
  const X = (b: number) => left + (right - left) * Math.min(Math.max(b, 0), hi) / hi;
  const out: string[] = [];
  out.push(`<svg class="bits-plot" data-fn="${esc(fn)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`${fn}: error in bits per generator class`)}">`);
  out.push(`<title>${esc(`${fn}: worst and mean error in bits per generator class`)}</title>`);
  // Legend.
  out.push(`<rect x="${left}" y="8" width="14" height="10" class="bar-worst"/><text x="${left + 20}" y="17">worst bits</text>`);
  out.push(`<rect x="${left + 110}" y="10" width="14" height="6" class="bar-mean"/><text x="${left + 130}" y="17">mean bits</text>`);
  out.push(`<circle cx="${left + 227}" cy="13" r="5" class="fail-mark"/><text x="${left + 237}" y="17">failure in this class</text>`);
  // Grid and axis.
  const yAxis = top + row * labels.length;
  for (let k = 0; k * step <= hi + 1e-9; k++) {
    const b = k * step, x = X(b);
    out.push(`<line x1="${c(x)}" y1="${top - 4}" x2="${c(x)}" y2="${yAxis}" class="grid"/>`);
    out.push(`<text x="${c(x)}" y="${yAxis + 14}" text-anchor="middle" class="tick">${esc(Number(b.toPrecision(6)).toString())}</text>`);
  }
  out.push(`<line x1="${left}" y1="${yAxis}" x2="${right}" y2="${yAxis}" class="axis"/>`);
  out.push(`<text x="${(left + right) / 2}" y="${yAxis + 32}" text-anchor="middle" class="axis-title">error in bits, log2(ulps + 1)</text>`);
  labels.forEach((label, i) => {
    const s = classes[label]!;
    const y = top + row * i;
    const failed = toNumber(s.failures) > 0;
    if (failed) out.push(`<rect x="0" y="${y}" width="${W}" height="${row}" class="fail-row"/>`);
    out.push(`<text x="${left - 8}" y="${y + 16}" text-anchor="end" class="${failed ? 'label fail-text' : 'label'}">${esc(failed ? `✗ ${label}` : label)}</text>`);
    const worst = toNumber(s.worstBits), mean = toNumber(s.meanBits);
    out.push(`<rect x="${left}" y="${y + 5}" width="${c(X(worst) - left)}" height="14" class="bar-worst"><title>${esc(`${label}: worst ${num(s.worstBits, fix2)} bits`)}</title></rect>`);
    out.push(`<rect x="${left}" y="${y + 9}" width="${c(X(mean) - left)}" height="6" class="bar-mean"><title>${esc(`${label}: mean ${num(s.meanBits, fix2)} bits`)}</title></rect>`);
    const runs = toNumber(s.runs), failures = toNumber(s.failures);
    const bits = runs > failures ? `${num(s.worstBits, fix2)} / ${num(s.meanBits, fix2)} · ` : '';
    const text = `${bits}${runs} run${runs === 1 ? '' : 's'}`;
    if (failed) {
      out.push(`<circle cx="${right + 10}" cy="${y + 12}" r="5" class="fail-mark"/>`);
      out.push(`<text x="${right + 20}" y="${y + 16}" class="fail-text">${esc(`${text}, ${failures} failed`)}</text>`);
    } else {
      out.push(`<text x="${right + 8}" y="${y + 16}" class="value">${esc(text)}</text>`);
    }
  });
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Plot 2: forward vs reverse KL on a two-mode example
// ---------------------------------------------------------------------------------------------

export interface GaussianFit {
  mean: number;
  std: number;
  /** The discretised Gaussian on the grid. */
  q: number[];
  /** KL(p‖q), nats. */
  forwardKl: number;
  /** KL(q‖p), nats. */
  reverseKl: number;
}

export interface TwoModeExample {
  /** The grid: 41 points from −10 to 10. */
  x: number[];
  /** The two modes of p: mixture weight, mean and std of each discretised Gaussian. */
  modes: { weight: number; mean: number; std: number }[];
  /** The bimodal distribution. */
  p: number[];
  /** argmin over the search grid of KL(p‖q): mode-covering. */
  forward: GaussianFit;
  /** argmin over the search grid of KL(q‖p): mode-seeking. */
  reverse: GaussianFit;
  /** The search grid of q: means and stds tried. */
  search: { means: number[]; stds: number[] };
}

/** N(mean, std²) discretised on the grid: exp(−(x−mean)²/2std²), normalised (tails may underflow to 0). */
function discreteGaussian(x: readonly number[], mean: number, std: number): number[] {
  const w = x.map((xi) => Math.exp(-((xi - mean) ** 2) / (2 * std * std)));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

let twoModeMemo: TwoModeExample | undefined;

/**
 * The two-mode example, computed with the built-in float64 kernels (deterministic): p is a mixture
 * 0.6·N(−4, 1.2²) + 0.4·N(4, 1.2²) discretised on 41 points of [−10, 10]; q ranges over the
 * discretised Gaussians with mean in {−6, −5.5, …, 6} and std in {0.6, 0.8, …, 6}. The q minimising
 * the forward KL(p‖q) must put mass wherever p has it, so it is wide and centred between the modes;
 * the q minimising the reverse KL(q‖p) must avoid mass where p has little, so it locks onto one mode
 * (the heavier one). Ties keep the first minimum in search order. Returns a fresh copy.
 */
export function twoModeExample(): TwoModeExample {
  twoModeMemo ??= computeTwoMode();
  return structuredClone(twoModeMemo);
}

function computeTwoMode(): TwoModeExample {
  const x = Array.from({ length: 41 }, (_, i) => -10 + i / 2);
  const modes = [{ weight: 0.6, mean: -4, std: 1.2 }, { weight: 0.4, mean: 4, std: 1.2 }];
  const parts = modes.map((m) => discreteGaussian(x, m.mean, m.std));
  const p = x.map((_, i) => modes.reduce((s, m, k) => s + m.weight * parts[k]![i]!, 0));
  const means = Array.from({ length: 25 }, (_, i) => -6 + i / 2);
  const stds = Array.from({ length: 28 }, (_, i) => (3 + i) / 5);
  let forward: GaussianFit | undefined, reverse: GaussianFit | undefined;
  for (const mean of means) {
    for (const std of stds) {
      const q = discreteGaussian(x, mean, std);
      const fit = { mean, std, q, forwardKl: kernels.kl(p, q), reverseKl: kernels.kl(q, p) };
      if (!forward || fit.forwardKl < forward.forwardKl) forward = fit;
      if (!reverse || fit.reverseKl < reverse.reverseKl) reverse = fit;
    }
  }
  return { x, modes, p, forward: forward!, reverse: reverse!, search: { means, stds } };
}

/** The SVG of the two-mode example: p, q_fwd and q_rev as polylines, with a legend. */
export function twoModePlot(ex: TwoModeExample): string {
  const W = 720, H = 330, left = 56, right = 700, top = 70, bottom = 290;
  const x0 = ex.x[0]!, x1 = ex.x[ex.x.length - 1]!;
  const yMaxRaw = Math.max(...ex.p, ...ex.forward.q, ...ex.reverse.q);
  const yStep = tickStep(yMaxRaw, 5);
  const yMax = Math.ceil(yMaxRaw / yStep - 1e-9) * yStep;
  const X = (v: number) => left + (right - left) * (v - x0) / (x1 - x0);
  const Y = (v: number) => bottom - (bottom - top) * v / yMax;
  const line = (ys: readonly number[]) => ex.x.map((xi, i) => `${c(X(xi))},${c(Y(ys[i]!))}`).join(' ');
  const g = (v: number) => v.toPrecision(4);
  const out: string[] = [];
  out.push(`<svg class="two-mode-plot" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="forward versus reverse KL on a two-mode distribution">`);
  out.push('<title>Forward KL(p‖q) is mode-covering, reverse KL(q‖p) is mode-seeking</title>');
  for (let v = 0; v <= yMax + 1e-12; v += yStep) {
    out.push(`<line x1="${left}" y1="${c(Y(v))}" x2="${right}" y2="${c(Y(v))}" class="grid"/>`);
    out.push(`<text x="${left - 6}" y="${c(Y(v) + 4)}" text-anchor="end" class="tick">${esc(Number(v.toPrecision(6)).toString())}</text>`);
  }
  for (let v = Math.ceil(x0); v <= x1; v += 2) {
    out.push(`<line x1="${c(X(v))}" y1="${bottom}" x2="${c(X(v))}" y2="${bottom + 4}" class="axis"/>`);
    out.push(`<text x="${c(X(v))}" y="${bottom + 17}" text-anchor="middle" class="tick">${v}</text>`);
  }
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" class="axis"/>`);
  out.push(`<text x="${(left + right) / 2}" y="${bottom + 34}" text-anchor="middle" class="axis-title">x (41 grid points); probability of each point</text>`);
  out.push(`<polyline points="${line(ex.p)}" class="curve-p"/>`);
  out.push(`<polyline points="${line(ex.forward.q)}" class="curve-fwd"/>`);
  out.push(`<polyline points="${line(ex.reverse.q)}" class="curve-rev"/>`);
  const legend = [
    ['curve-p', 'p: bimodal, 0.6·N(−4, 1.2²) + 0.4·N(4, 1.2²)'],
    ['curve-fwd', `q_fwd = N(${ex.forward.mean}, ${ex.forward.std}²): min KL(p‖q) = ${g(ex.forward.forwardKl)} nats (mode-covering)`],
    ['curve-rev', `q_rev = N(${ex.reverse.mean}, ${ex.reverse.std}²): min KL(q‖p) = ${g(ex.reverse.reverseKl)} nats (mode-seeking)`],
  ];
  legend.forEach(([cls, text], i) => {
    const y = 14 + 18 * i;
    out.push(`<line x1="${left}" y1="${y}" x2="${left + 28}" y2="${y}" class="${cls}"/><text x="${left + 36}" y="${y + 4}">${esc(text!)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------

const CSS = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; max-width: 1000px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { margin-bottom: 0.3em; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.meta { color: #555; margin-top: 0; }
.verdict { display: inline-block; padding: 0.05em 0.5em; border-radius: 4px; color: #fff; font-size: 0.8em; vertical-align: middle; }
.verdict.ok { background: #1a7f37; }
.verdict.failed { background: #cf222e; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { text-align: left; padding: 0.25em 0.7em; border-bottom: 1px solid #eee; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { background: #fff0f0; }
.status-passed { color: #1a7f37; }
.status-failed { color: #cf222e; font-weight: bold; }
.status-skipped { color: #888; }
.failure { border-left: 4px solid #cf222e; padding: 0.2em 1em; margin: 1em 0; background: #fffafa; }
.cx th { white-space: nowrap; color: #555; font-weight: normal; }
.muted { color: #777; }
figure { margin: 1em 0 1.5em; }
figcaption { font-weight: bold; margin-bottom: 0.3em; }
svg { font: 12px system-ui, sans-serif; max-width: 100%; height: auto; }
svg text { fill: #333; }
svg .tick { fill: #666; font-size: 11px; }
svg .axis-title { fill: #555; }
svg .grid { stroke: #e6e6e6; }
svg .axis { stroke: #888; }
svg .bar-worst { fill: #9ecae1; }
svg .bar-mean { fill: #08519c; }
svg .fail-row { fill: #ffe8e8; }
svg .fail-mark { fill: #cf222e; }
svg .fail-text { fill: #cf222e; font-weight: bold; }
svg .curve-p { fill: none; stroke: #333; stroke-width: 3; }
svg .curve-fwd { fill: none; stroke: #d95f02; stroke-width: 2.5; stroke-dasharray: 7 4; }
svg .curve-rev { fill: none; stroke: #1b9e77; stroke-width: 2.5; }
`;

function paramsOf(fn: string): readonly string[] {
  return FUNCTION_CASES.find((s) => s.fn === fn)?.params ?? [];
}

function summaryTable(results: readonly PropertyResult[], failureIds: Map<PropertyResult, string>): string {
  const rows = results.map((r) => {
    const skipped = r.status === 'skipped' || r.status === 'not-run';
    const noBits = !measuresError(r);
    const id = failureIds.get(r);
    const prop = id ? `<a href="#${id}">${esc(r.property)}</a>` : esc(r.property);
    const note = r.diagnosis ? `<code>${esc(r.diagnosis.id)}</code>` : r.status === 'passed' ? '' : `<span class="muted">${esc(r.message)}</span>`;
    return `<tr class="${esc(r.status)}"><td>${prop}</td><td class="status-${esc(r.status)}">${esc(r.status)}</td>`
      + `<td class="n">${skipped ? '' : esc(String(r.runs))}</td><td class="n">${skipped ? '' : esc(String(r.strictRuns))}</td>`
      + `<td class="n">${skipped ? '' : noBits ? '–' : esc(num(r.worstBits, fix2))}</td><td class="n">${skipped ? '' : noBits ? '–' : esc(num(r.worstRatio, (x) => x.toExponential(1)))}</td>`
      + `<td>${note}</td></tr>`;
  });
  return `<table class="summary">
<thead><tr><th>property</th><th>status</th><th>runs</th><th>strict</th><th>worst bits</th><th>worst err/bound</th><th>diagnosis</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** Information that is not a failure: invalid input answered with a number, theorem notes. */
function information(results: readonly PropertyResult[]): string {
  const items: string[] = [];
  for (const r of results) {
    const inv = r.invalid;
    if (r.status === 'passed' && inv && inv.silent + inv.other > 0) {
      items.push(`<li><strong>${esc(r.property)}</strong>: invalid input answered with a number instead of an error or NaN: ${esc(r.message)}</li>`);
    }
    const n = r.notes;
    if (n && n.count > 0) {
      const ex = n.first[0];
      items.push(`<li><strong>${esc(r.property)}</strong>: ${esc(String(n.count))} of ${esc(String(r.runs))} instances carry a note on what float64 does to the exact statement (a report, not a failure)${ex ? `, e.g. <pre>${esc(`${ex.description}\n${ex.note}`)}</pre>` : '.'}</li>`);
    }
  }
  return items.length === 0 ? '' : `<section id="information">\n<h2>Information</h2>\n<ul>\n${items.join('\n')}\n</ul>\n</section>`;
}

function failureArticle(r: PropertyResult, id: string): string {
  const out: string[] = [`<article class="failure" id="${id}">`, `<h3>✗ ${esc(r.property)}</h3>`, `<p class="message">${esc(r.message)}</p>`];
  if (r.diagnosis) out.push(`<p class="diagnosis">Diagnosis <code>${esc(r.diagnosis.id)}</code>: ${esc(r.diagnosis.explanation)}</p>`);
  const cx = r.counterexample;
  if (!cx) {
    out.push('<p class="muted">No counterexample was recorded.</p>', '</article>');
    return out.join('\n');
  }
  const params = paramsOf(r.fn);
  const args = Array.isArray(cx.args) ? cx.args : [];
  const input = params.length !== args.length && args.length === 1
    ? showValue(args[0]) // e.g. a theorem instance: one object naming its parts
    : args.map((a, i) => `${params.length === args.length ? params[i] : `arg${i}`} = ${showValue(a)}`).join('\n');
  const rows: [string, string][] = [[`input (class ${cx.label})`, input]];
  // A theorem instance has no single value to compare: the message says which relation failed.
  if (cx.reference !== '' || cx.candidate !== null) {
    rows.push(['reference (exact)', Array.isArray(cx.reference) ? `[${cx.reference.map(String).join(', ')}]` : String(cx.reference)]);
    rows.push(['candidate', `${showValue(cx.candidate)}${cx.index !== undefined ? ` (component ${cx.index} fails)` : ''}`]);
  }
  const v = cx.verdict;
  if (v) {
    rows.push(['error', `${num(v.absError, exp3)} (${num(v.ulps, (x) => x.toPrecision(3))} ulps, ${num(v.bits, fix2)} bits)`]);
    rows.push(['bound', num(v.bound, exp3)]);
    if (v.reason) rows.push(['reason', v.reason]);
  }
  if (cx.error) rows.push(['what failed', cx.error]);
  if (r.shrinks !== undefined) rows.push(['shrink steps', String(r.shrinks)]);
  out.push('<table class="cx">', ...rows.map(([k, val]) => `<tr><th>${esc(k)}</th><td><pre>${esc(val)}</pre></td></tr>`), '</table>', '</article>');
  return out.join('\n');
}

/** The HTML page for a JSON report (see the module comment). */
export function toHtml(report: JsonReport, opts: HtmlOptions = {}): string {
  const results = report.results;
  const failed = results.filter((r) => r.status === 'failed');
  const failureIds = new Map(failed.map((r, i) => [r, `failure-${i + 1}`] as const));
  const verdict = report.ok ? 'OK' : 'FAILED';
  const cand = report.candidate;
  const s = report.summary;
  const body: string[] = [];
  body.push(`<header>
<h1>klcheck: ${esc(cand.name)} <span class="verdict ${report.ok ? 'ok' : 'failed'}">${verdict}</span></h1>
<p class="meta">seed <code>${esc(String(report.seed))}</code> · ${esc(String(report.runs))} cases per function · mode ${esc(report.mode)} · precision ${esc(report.precision)} · base ${esc(String(cand.base))}<br/>
candidate: ${esc(cand.kind)} <code>${esc(cand.source)}</code> with ${esc(cand.functions.join(', '))}<br/>
${esc(String(s.passed))} passed, ${esc(String(s.failed))} failed, ${esc(String(s.skipped))} skipped${report.shard ? ` · shard ${esc(`${report.shard.k}/${report.shard.n}`)}` : ''} · generated ${esc(String(report.generatedAt))} in ${esc(String(report.durationMs))} ms</p>
</header>`);
  body.push(`<section id="summary">\n<h2>Summary</h2>\n${summaryTable(results, failureIds)}\n<p class="muted">worst bits: the largest error seen on passing cases, log2(ulps + 1); worst err/bound: the largest error relative to the standard bound (docs/accuracy.md).</p>\n</section>`);
  if (failed.length > 0) {
    const replay = opts.replay ? `<p>Replay: <code>${esc(opts.replay)}</code></p>\n` : '';
    body.push(`<section id="failures">\n<h2>Failures</h2>\n${replay}${failed.map((r) => failureArticle(r, failureIds.get(r)!)).join('\n')}\n</section>`);
  }
  const info = information(results);
  if (info) body.push(info);
  const plotted = results.filter((r) => r.property.startsWith('agreement:') && r.status !== 'skipped' && r.status !== 'not-run');
  const figures = plotted.map((r) => {
    const cls = r.classes;
    const inner = cls && Object.keys(cls).length > 0 ? bitsPlot(r.fn, cls) : '<p class="muted">No per-class statistics in this report.</p>';
    return `<figure id="bits-${esc(r.fn)}">\n<figcaption>${esc(r.fn)} <span class="status-${esc(r.status)}">(${esc(r.status)})</span></figcaption>\n${inner}\n</figure>`;
  });
  if (figures.length > 0) {
    body.push(`<section id="bits">
<h2>Error in bits by generator class</h2>
<p>For each function, each generator class the cases were drawn from (a relation between p and q, a size, a latent shape…): the worst and the mean error in bits, log2(ulps + 1), over its passing cases before the first failure. 0 bits is the exact value; about 0.58 bits is half an ulp, the best a float64 result can be. A class marked in red is where the first failure was drawn.</p>
${figures.join('\n')}
</section>`);
  }
  const ex = twoModeExample();
  const g = (v: number) => v.toPrecision(4);
  body.push(`<section id="two-mode">
<h2>Forward vs reverse KL on a two-mode example</h2>
<p>p is bimodal; q is the best single discretised Gaussian (${ex.search.means.length} means from ${ex.search.means[0]} to ${ex.search.means[ex.search.means.length - 1]}, ${ex.search.stds.length} stds from ${ex.search.stds[0]} to ${ex.search.stds[ex.search.stds.length - 1]}), computed with klcheck's float64 kl. Forward KL(p‖q) = Σ p·log(p/q) is infinite wherever q misses mass p has, so its best q is <em>mode-covering</em>: wide, centred between the modes. Reverse KL(q‖p) punishes q for mass where p has little, so its best q is <em>mode-seeking</em>: it locks onto the heavier mode and ignores the other.</p>
<figure>
${twoModePlot(ex)}
</figure>
<table class="kl-values">
<thead><tr><th></th><th>mean</th><th>std</th><th>KL(p‖q)</th><th>KL(q‖p)</th></tr></thead>
<tbody>
<tr><td>q_fwd (argmin KL(p‖q))</td><td class="n">${ex.forward.mean}</td><td class="n">${ex.forward.std}</td><td class="n"><strong>${g(ex.forward.forwardKl)}</strong></td><td class="n">${g(ex.forward.reverseKl)}</td></tr>
<tr><td>q_rev (argmin KL(q‖p))</td><td class="n">${ex.reverse.mean}</td><td class="n">${ex.reverse.std}</td><td class="n">${g(ex.reverse.forwardKl)}</td><td class="n"><strong>${g(ex.reverse.reverseKl)}</strong></td></tr>
</tbody>
</table>
<p class="muted">Values in nats. Each q is the best for its own direction and poor for the other: KL is not symmetric.</p>
</section>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>${esc(`klcheck: ${cand.name} — ${verdict}`)}</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
<footer><p class="muted">klcheck JSON report schema ${esc(String(report.schema))}; this page is self-contained (no scripts, no external resources).</p></footer>
</body>
</html>
`;
}

/** Writes the HTML page for `report` to `file`, creating its directory. */
export function writeHtmlReport(file: string, report: JsonReport, opts: HtmlOptions = {}): void {
  writeFileAtomic(file, toHtml(report, opts));
}
