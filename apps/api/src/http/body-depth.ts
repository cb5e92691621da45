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
