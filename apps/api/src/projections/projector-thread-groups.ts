import { ALL_PROJECTIONS, auditEntriesProjection } from '@pc/projections';

/**
 * A small young generation per thread: a thread's garbage is short-lived page data, and full-size young generations
 * beside the main thread's would add ~40 MB each to the process's resident memory (docs/performance.md, f).
 */
export const PROJECTOR_THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** The projection with one document per stored event: about half of a catch-up's work on its own (docs/performance.md, d). */
const AUDIT_INDEX = auditEntriesProjection.name;

/**
 * The projections of the embedded default, split among `threads` projector threads: the audit index on one, the rest
 * on the other. Each thread reads the log for itself and commits its own projections with their checkpoints; SQLite
 * takes their commits one at a time, but reading, parsing, evolving and serializing run on both cores at once.
 */
export function projectorThreadGroups(threads: 1 | 2): string[][] {
  const names = ALL_PROJECTIONS.map(({ name }) => name);
  if (threads === 1) return [names];
  return [[AUDIT_INDEX], names.filter((name) => name !== AUDIT_INDEX)];
}
