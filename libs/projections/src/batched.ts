/**
 * Groups an async stream into batches: whatever is already available, up to `maxSize`, without
 * waiting for more. A catch-up over a long log moves in large transactions; a live event alone
 * is not delayed.
 */
export async function* batched<T>(source: AsyncIterable<T>, maxSize: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | null = null;
  const notYet = Symbol('not yet');
  try {
    for (;;) {
      const first = await (pending ?? iterator.next());
      pending = null;
      if (first.done) return;
      const batch = [first.value];
      while (batch.length < maxSize) {
        pending = iterator.next();
        // A macrotask turn lets already-buffered items resolve; anything slower starts the next batch.
        const next = await Promise.race([pending, new Promise<typeof notYet>((resolve) => setImmediate(() => resolve(notYet)))]);
        if (next === notYet) break;
        pending = null;
        if (next.done) {
          yield batch;
          return;
        }
        batch.push(next.value);
      }
      yield batch;
    }
  } finally {
    await iterator.return?.();
  }
}
