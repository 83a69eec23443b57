/**
 * The reference against independent high-precision fixtures.
 *
 * fixtures/reference.json is written by fixtures/make_reference_fixtures.py (mpmath, from the float64
 * inputs exactly as given; it shares no code with src/). Regenerate with
 * `python3 fixtures/make_reference_fixtures.py`.
 *
 * The reference claims correct rounding (round-half-even) at every precision, so the test is exact
 * equality: at {digits: d} for d = 40 (the default), 20 and 45, the result must equal the fixture
 * value rounded half-even to d significant digits. The fixture values carry 50 significant digits
 * (more where a case records "digits"); the generator checks that rounding its written string to
 * 20, 40 and 45 digits agrees with rounding its high-precision value, so the double rounding done
 * here cannot manufacture a false failure. No tolerance.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Decimal from 'decimal.js';
import * as ref from '../src/reference';

type Arg = number | string | Array<number | string>;
type Value = string | string[];

interface FixtureCase {
  name: string;
  fn: string;
  args: Arg[];
  value: Value;
  /** Significant digits written, when not the file's default. */
  digits?: number;
}

interface FixtureFile {
  generator: string;
  mpmath: string;
  digits: number;
  cases: FixtureCase[];
}

const FILE = path.join(__dirname, '..', 'fixtures', 'reference.json');
const fixtures = JSON.parse(fs.readFileSync(FILE, 'utf8')) as FixtureFile;

/** An isolated context for reading and rounding the fixture strings (never Decimal.set). */
const D60 = Decimal.clone({
  precision: 60,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -7,
  toExpPos: 21,
  minE: -9e15,
  maxE: 9e15,
});

const PRECISIONS = [40, 20, 45] as const;

/** "Infinity" / "-Infinity" inside args go back to numbers; everything else must be a finite number. */
function num(x: number | string): number {
  if (x === 'Infinity') return Infinity;
  if (x === '-Infinity') return -Infinity;
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`bad fixture number ${String(x)}`);
  return x;
}

function vec(a: Arg): number[] {
  if (!Array.isArray(a)) throw new Error(`expected an array argument, got ${String(a)}`);
  return a.map(num);
}

function scalar(a: Arg): number {
  if (Array.isArray(a)) throw new Error('expected a number argument, got an array');
  return num(a);
}

/** Calls the reference function named by the case, typed per signature. */
function call(c: FixtureCase, digits: number): Decimal | Decimal[] {
  const o = { digits };
  const a = c.args;
  const arity = (n: number) => {
    if (a.length !== n) throw new Error(`${c.fn} expects ${n} arguments, fixture has ${a.length}`);
  };
  switch (c.fn) {
    case 'entropy': arity(1); return ref.entropy(vec(a[0]!), o);
    case 'negEntropy': arity(1); return ref.negEntropy(vec(a[0]!), o);
    case 'negEntropyGradient': arity(1); return ref.negEntropyGradient(vec(a[0]!), o);
    case 'logEvidence': arity(1); return ref.logEvidence(vec(a[0]!), o);
    case 'posterior': arity(1); return ref.posterior(vec(a[0]!), o);
    case 'crossEntropy': arity(2); return ref.crossEntropy(vec(a[0]!), vec(a[1]!), o);
    case 'kl': arity(2); return ref.kl(vec(a[0]!), vec(a[1]!), o);
    case 'generalizedKl': arity(2); return ref.generalizedKl(vec(a[0]!), vec(a[1]!), o);
    case 'bregmanNegEntropy': arity(2); return ref.bregmanNegEntropy(vec(a[0]!), vec(a[1]!), o);
    case 'elbo': arity(2); return ref.elbo(vec(a[0]!), vec(a[1]!), o);
    case 'klNormal':
      arity(4);
      return ref.klNormal(scalar(a[0]!), scalar(a[1]!), scalar(a[2]!), scalar(a[3]!), o);
    case 'klNormalDiag':
      arity(4);
      return ref.klNormalDiag(vec(a[0]!), vec(a[1]!), vec(a[2]!), vec(a[3]!), o);
    default:
      throw new Error(`unknown fixture function ${c.fn}`);
  }
}

/** The fixture value rounded half-even to `digits` significant digits, as a canonical string. */
function expected(value: string, digits: number): string {
  const x = new D60(value);
  if (!x.isFinite()) return x.toString(); // 'Infinity' / '-Infinity'
  return x.toSignificantDigits(digits, Decimal.ROUND_HALF_EVEN).toString();
}

/** The reference result as a canonical string in the same context (no rounding: D60 copies digits). */
function got(x: unknown): string {
  if (!Decimal.isDecimal(x)) return `<not a Decimal: ${String(x)}>`;
  return new D60(x as Decimal).toString();
}

test('fixture file is well-formed', (t) => {
  t.is(fixtures.generator, 'fixtures/make_reference_fixtures.py');
  t.is(fixtures.digits, 50);
  t.true(fixtures.cases.length >= 60);
  const keys = new Set(fixtures.cases.map((c) => `${c.fn}: ${c.name}`));
  t.is(keys.size, fixtures.cases.length, 'case names are unique per function');
});

for (const c of fixtures.cases) {
  test(`${c.fn}: ${c.name}`, (t) => {
    for (const digits of PRECISIONS) {
      const r = call(c, digits);
      if (Array.isArray(c.value)) {
        t.true(Array.isArray(r), `digits=${digits}: expected a vector result`);
        const rv = r as Decimal[];
        t.is(rv.length, c.value.length, `digits=${digits}: length`);
        c.value.forEach((v, i) => {
          t.is(got(rv[i]), expected(v, digits), `digits=${digits}, component ${i}`);
        });
      } else {
        t.false(Array.isArray(r), `digits=${digits}: expected a scalar result`);
        t.is(got(r), expected(c.value, digits), `digits=${digits}`);
      }
    }
  });
}
