import { ALL_PROJECTIONS, auditEntriesProjection } from '@pc/projections';
import { projectorThreadGroups } from './projector-thread-groups';

describe('projectorThreadGroups', () => {
  const names = ALL_PROJECTIONS.map(({ name }) => name);

  it.each([1, 2] as const)('gives every projection to exactly one of %i threads', (threads) => {
    const groups = projectorThreadGroups(threads);
    expect(groups).toHaveLength(threads);
    for (const group of groups) expect(group.length).toBeGreaterThan(0);
    expect(groups.flat().sort()).toEqual([...names].sort());
  });

  it('puts the audit index, one document per event, on a thread of its own', () => {
    expect(projectorThreadGroups(2)[0]).toEqual([auditEntriesProjection.name]);
  });
});
