import { Matches, registerDecorator, type ValidationOptions } from 'class-validator';

/** RFC 3339 date-time with an explicit offset: what every moment in this API looks like, unambiguous in any time zone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Date.parse rolls 2026-02-30 over into March; a calendar date that does not exist is refused instead. */
const isCalendarDate = (value: string): boolean => {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

export const isDateTime = (value: unknown): value is string =>
  typeof value === 'string' && DATE_TIME.test(value) && isCalendarDate(value) && !Number.isNaN(Date.parse(value));

export function IsDateTime(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be a date-time with a time zone, e.g. 2026-01-31T12:00:00Z', ...options },
      validator: { validate: isDateTime },
    });
}

/** Some visible character: a name, title or reason of spaces alone says nothing. */
export const IsNotBlank = (options?: ValidationOptions) => Matches(/\S/, { message: '$property must not be blank', ...options });
