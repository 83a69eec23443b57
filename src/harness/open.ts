/**
 * Opening a candidate from a plain description (so that worker threads can open their own copy).
 */
import { kernels } from '../kernels';
import { CandidateHandle, CandidateMeta, inProcessCandidate } from './candidate';
import { loadModuleCandidate } from './module';
import { startSubprocessCandidate } from './subprocess';

export type CandidateSpec =
  | { kind: 'builtin'; meta: Partial<CandidateMeta> }
  | { kind: 'module'; path: string; timeoutMs: number; startTimeoutMs?: number; meta: Partial<CandidateMeta> }
  | { kind: 'subprocess'; command: string; timeoutMs: number; startTimeoutMs?: number; maxLineBytes?: number; maxDepth?: number; meta: Partial<CandidateMeta> };

/** Opens the candidate: the built-in kernels, a JS/TS module in a worker, or a JSON-lines subprocess. CLI flags (meta) override what it declares. */
export async function openCandidate(spec: CandidateSpec): Promise<CandidateHandle> {
  if (spec.kind === 'module') return loadModuleCandidate(spec.path, { timeoutMs: spec.timeoutMs, startTimeoutMs: spec.startTimeoutMs, meta: spec.meta });
  if (spec.kind === 'subprocess') {
    const c = await startSubprocessCandidate(spec.command, { timeoutMs: spec.timeoutMs, startTimeoutMs: spec.startTimeoutMs, maxLineBytes: spec.maxLineBytes, maxDepth: spec.maxDepth });
    Object.assign(c.meta as CandidateMeta, spec.meta);
    return c;
  }
  return inProcessCandidate(kernels, { name: 'klcheck built-in kernels', precision: 'float64', base: 'e', ...spec.meta }, 'builtin', 'src/kernels');
}
