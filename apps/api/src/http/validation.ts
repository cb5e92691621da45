import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { RequestValidationError, type FieldError } from './problem-details.filter';

function flatten(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Undeclared fields are dropped before anything sees the body: an `actor` or `requesterId` in it changes nothing. */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
