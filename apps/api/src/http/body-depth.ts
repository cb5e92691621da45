import type { NextFunction, Request, Response } from 'express';
import { RequestValidationError } from './problem-details.filter';

/** No request body of this API nests deeper than a few levels; far deeper ones would overflow the stack of the recursive steps after parsing. */
export const MAX_BODY_DEPTH = 32;

export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  // Iterative, so that the check itself cannot overflow the stack.
  const pending: Array<[value: unknown, depth: number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(current)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}

/** Refuses, as a 400, a parsed JSON body nested deeper than MAX_BODY_DEPTH. */
export function limitBodyDepth(maxDepth = MAX_BODY_DEPTH) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (!nestsDeeperThan(request.body, maxDepth)) return next();
    next(new RequestValidationError([{ field: 'body', messages: [`must not nest objects or arrays more than ${maxDepth} levels deep`] }]));
  };
}
