import { lowestPosition } from './event-store.port';

describe('lowestPosition', () => {
  it('is the lowest of positions in log order', () => {
    expect(lowestPosition(['0000000000000042', '0000000000000007', '0000000000000100'])).toBe('0000000000000007');
  });

  it('is null while any of them has not been reached, and for none', () => {
    expect(lowestPosition(['0000000000000042', null])).toBeNull();
    expect(lowestPosition([])).toBeNull();
  });
});
