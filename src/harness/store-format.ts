/**
 * The failure store's format (`--save-failures` / `--replay`; docs/reports.md): data only. Read and
 * written by src/harness/regressions.ts; the theorem replays (src/harness/theorems.ts) take its
 * theorem entries.
 */

export interface StoredFailure {
  fn: string;
  args: unknown[];
  label?: string;
  property?: string;
}

export interface StoredTheoremFailure {
  theorem: string;
  /** The instance as the theorem's toJSON gives it (plain numbers and arrays). */
  instance: unknown;
  property?: string;
}

export interface RegressionFile {
  functions: StoredFailure[];
  theorems: StoredTheoremFailure[];
}
