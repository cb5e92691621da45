import { ALL_PROJECTIONS } from '@pc/projections';

/** The projection with one document per stored event: about half of a catch-up's work on its own (docs/performance.md, d). */
const AUDIT_INDEX = 'audit-entries';

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
