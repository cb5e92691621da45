import type { DocumentClass } from './document';

/**
 * How long a class of document must be kept, as an ISO 8601 duration in years, months and days
 * (`P10Y`, `P6M`, `P30D`, `P0D`). Records law speaks in years; the finer units serve policies
 * and tests.
 */
export interface RetentionPeriod {
  readonly years: number;
  readonly months: number;
  readonly days: number;
}

const DURATION = /^P(?:(\d{1,3})Y)?(?:(\d{1,4})M)?(?:(\d{1,5})D)?$/;

/** `P10Y` → { years: 10, months: 0, days: 0 }; null when the text is not such a duration. */
export function parseRetentionPeriod(text: string): RetentionPeriod | null {
  const match = DURATION.exec(text.trim().toUpperCase());
  if (!match || text.trim().toUpperCase() === 'P') return null;
  return { years: Number(match[1] ?? 0), months: Number(match[2] ?? 0), days: Number(match[3] ?? 0) };
}

export const formatRetentionPeriod = ({ years, months, days }: RetentionPeriod): string =>
  years === 0 && months === 0 && days === 0 ? 'P0D' : `P${years ? `${years}Y` : ''}${months ? `${months}M` : ''}${days ? `${days}D` : ''}`;

/** Defaults that follow common records schedules; each can be overridden by configuration. */
export const DEFAULT_RETENTION_PERIODS: Readonly<Record<DocumentClass, RetentionPeriod>> = {
  contract: { years: 10, months: 0, days: 0 },
  specification: { years: 10, months: 0, days: 0 },
  test_report: { years: 10, months: 0, days: 0 },
  correspondence: { years: 6, months: 0, days: 0 },
  change_request_record: { years: 10, months: 0, days: 0 },
  other: { years: 3, months: 0, days: 0 },
};

/** The moment a period starting at `from` ends, in UTC calendar arithmetic (31 Jan + 1 month is 3 March, as in JavaScript). */
export function retentionEnd(from: string, { years, months, days }: RetentionPeriod): string {
  const end = new Date(from);
  end.setUTCFullYear(end.getUTCFullYear() + years, end.getUTCMonth() + months, end.getUTCDate() + days);
  return end.toISOString();
}
