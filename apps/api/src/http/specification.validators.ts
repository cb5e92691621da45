import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isSpecificationValue } from '@pc/domain';

export const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;
export const MAX_SPECIFICATION_FIELDS = 200;
export const MAX_SPECIFICATION_TEXT = 2000;

const isBoundedValue = (value: unknown) => isSpecificationValue(value) && (typeof value !== 'string' || value.length <= MAX_SPECIFICATION_TEXT);

/** A string (≤ 2000 characters), a finite number or a boolean. */
export function IsSpecificationValue(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSpecificationValue',
      target: target.constructor,
      propertyName,
      options: { message: `$property must be a string of at most ${MAX_SPECIFICATION_TEXT} characters, a finite number or a boolean`, ...options },
      validator: { validate: isBoundedValue },
    });
}

/** An object of at most 200 fields, named like `weight_kg`, whose values are specification values. */
export function IsSpecification(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSpecification',
      target: target.constructor,
      propertyName,
      options: {
        message: `$property must be an object of at most ${MAX_SPECIFICATION_FIELDS} fields named by letters, digits, _ . - (starting with a letter, at most 100 characters), each a string of at most ${MAX_SPECIFICATION_TEXT} characters, a finite number or a boolean`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= MAX_SPECIFICATION_FIELDS && entries.every(([field, fieldValue]) => FIELD_NAME_PATTERN.test(field) && isBoundedValue(fieldValue));
        },
      },
    });
}
