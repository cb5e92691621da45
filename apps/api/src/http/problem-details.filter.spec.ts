import { DomainError, type DomainErrorKind } from '@pc/domain';
import { WrongExpectedRevisionError } from '@pc/event-store';
import { InvalidCursorError } from '@pc/read-store';
import { NotCaughtUpError, RequestValidationError, toProblem } from './problem-details.filter';

describe('toProblem', () => {
  it.each<[DomainErrorKind, number]>([
    ['validation', 400],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['precondition', 412],
    ['rule', 422],
  ])('maps a %s domain error to %i with its code and details', (kind, status) => {
    const problem = toProblem(new DomainError('X.Y', kind, 'what went wrong', { field: 'f' }));
    expect(problem).toMatchObject({ status, code: 'X.Y', detail: 'what went wrong', field: 'f', type: 'urn:product-coordinator:problem:X.Y' });
  });

  it('lists each bad field of a validation failure', () => {
    const problem = toProblem(new RequestValidationError([{ field: 'title', messages: ['title must be a string'] }]));
    expect(problem).toMatchObject({ status: 400, errors: [{ field: 'title', messages: ['title must be a string'] }] });
  });

  it('answers a lost concurrent write with 409, a bad cursor with 400, an unfinished projection with 503', () => {
    expect(toProblem(new WrongExpectedRevisionError('product-1', 3, 4)).status).toBe(409);
    expect(toProblem(new InvalidCursorError()).status).toBe(400);
    expect(toProblem(new NotCaughtUpError('not yet')).status).toBe(503);
  });

  it('reports an unreachable production engine as 503, recognised by its client error name', () => {
    class MongoServerSelectionError extends Error {}
    expect(toProblem(new MongoServerSelectionError('no server')).status).toBe(503);
  });

  it('hides the details of an unexpected error behind a 500', () => {
    const problem = toProblem(new TypeError('secret internals'));
    expect(problem.status).toBe(500);
    expect(problem.detail).not.toContain('secret');
  });
});
