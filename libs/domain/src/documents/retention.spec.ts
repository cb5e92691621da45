import { formatRetentionPeriod, parseRetentionPeriod, retentionEnd } from './retention';

describe('Retention periods', () => {
  it.each([
    ['P10Y', { years: 10, months: 0, days: 0 }],
    ['p6m', { years: 0, months: 6, days: 0 }],
    ['P1Y2M3D', { years: 1, months: 2, days: 3 }],
    ['P0D', { years: 0, months: 0, days: 0 }],
  ])('reads %s', (text, period) => {
    expect(parseRetentionPeriod(text)).toEqual(period);
    expect(parseRetentionPeriod(formatRetentionPeriod(period))).toEqual(period);
  });

  it.each(['', 'P', '10Y', 'P1.5Y', 'P-1Y', 'PT1H', 'forever'])('refuses %j', (text) => {
    expect(parseRetentionPeriod(text)).toBeNull();
  });

  it('counts the end in UTC calendar units', () => {
    expect(retentionEnd('2024-02-29T10:00:00.000Z', { years: 1, months: 0, days: 0 })).toBe('2025-03-01T10:00:00.000Z');
    expect(retentionEnd('2025-01-15T10:00:00.000Z', { years: 0, months: 1, days: 20 })).toBe('2025-03-07T10:00:00.000Z');
    expect(retentionEnd('2025-01-15T10:00:00.000Z', { years: 0, months: 0, days: 0 })).toBe('2025-01-15T10:00:00.000Z');
  });
});
