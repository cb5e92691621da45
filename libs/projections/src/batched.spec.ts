import fc from 'fast-check';
import { batched } from './batched';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every item already available: each next() settles within the same turn. */
async function* buffered<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Groups of items that arrive together, with a pause before each group after the first. */
async function* bursts<T>(groups: readonly (readonly T[])[], pauseMs = 30): AsyncGenerator<T> {
  for (const [index, group] of groups.entries()) {
    if (index > 0) await pause(pauseMs);
    yield* group;
  }
}

async function collect<T>(source: AsyncIterable<T[]>): Promise<T[][]> {
  const batches: T[][] = [];
  for await (const batch of source) batches.push(batch);
  return batches;
}

/** A source fed from outside, like a live subscription, that counts how often it is closed. */
function liveSource<T>() {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  const state = {
    returnCalls: 0,
    push(item: T): void {
      if (waiting) waiting({ value: item, done: false });
      else queue.push(item);
      waiting = null;
    },
  };
  const iterable: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      next: () =>
        queue.length > 0 ? Promise.resolve({ value: queue.shift()!, done: false }) : new Promise<IteratorResult<T>>((resolve) => (waiting = resolve)),
      return: async () => {
        state.returnCalls += 1;
        return { value: undefined, done: true };
      },
    }),
  };
  return { iterable, state };
}

describe('batched', () => {
  it('groups items that are already available into batches of at most maxSize', async () => {
    expect(await collect(batched(buffered([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 4))).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
  });

  it('gives everything available as one batch when it is under maxSize', async () => {
    expect(await collect(batched(buffered(['a', 'b', 'c']), 500))).toEqual([['a', 'b', 'c']]);
  });

  it('gives no batch for an empty source', async () => {
    expect(await collect(batched(buffered([]), 10))).toEqual([]);
  });

  it('gives a slow producer’s items in small batches instead of waiting to fill one', async () => {
    expect(await collect(batched(bursts([[1], [2], [3]]), 100))).toEqual([[1], [2], [3]]);
    expect(await collect(batched(bursts([[1, 2, 3], [4, 5], [6]]), 100))).toEqual([[1, 2, 3], [4, 5], [6]]);
  });

  it('delivers a live item at once, while the source has nothing more', async () => {
    const { iterable, state } = liveSource<string>();
    const batches = batched(iterable, 100);
    state.push('first');

    await expect(batches.next()).resolves.toEqual({ value: ['first'], done: false });

    state.push('second');
    state.push('third');
    await expect(batches.next()).resolves.toEqual({ value: ['second', 'third'], done: false });
    await batches.return(undefined);
  });

  it('closes the source when the consumer stops early', async () => {
    const { iterable, state } = liveSource<number>();
    for (let n = 0; n < 10; n += 1) state.push(n);

    for await (const batch of batched(iterable, 3)) {
      expect(batch).toEqual([0, 1, 2]);
      break;
    }

    expect(state.returnCalls).toBe(1);
  });

  it('closes the source when the consumer fails', async () => {
    const { iterable, state } = liveSource<number>();
    state.push(1);

    await expect(
      (async () => {
        for await (const _batch of batched(iterable, 3)) throw new Error('projection failed');
      })(),
    ).rejects.toThrow('projection failed');
    expect(state.returnCalls).toBe(1);
  });

  it('closes a generator source stopped while its next item is still on the way', async () => {
    let closed = false;
    async function* slow() {
      try {
        yield* bursts([[1], [2], [3]], 20);
      } finally {
        closed = true;
      }
    }

    for await (const batch of batched(slow(), 10)) {
      expect(batch).toEqual([1]);
      break;
    }

    expect(closed).toBe(true);
  });

  it('passes a source failure on to the consumer', async () => {
    async function* failing() {
      yield 1;
      await pause(5);
      throw new Error('store closed');
    }

    await expect(collect(batched(failing(), 10))).rejects.toThrow('store closed');
  });

  it('loses, duplicates and reorders nothing, and fills every batch but the last from a buffered source', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer()), fc.integer({ min: 1, max: 12 }), async (items, maxSize) => {
        const batches = await collect(batched(buffered(items), maxSize));

        expect(batches.flat()).toEqual(items);
        expect(batches).toHaveLength(Math.ceil(items.length / maxSize));
        batches.slice(0, -1).forEach((batch) => expect(batch).toHaveLength(maxSize));
      }),
    );
  });

  it('loses, duplicates and reorders nothing whatever the producer’s pace', async () => {
    const paced = fc.array(fc.record({ item: fc.integer(), pauseBefore: fc.constantFrom('none', 'immediate', 'timer') }), { maxLength: 40 });

    await fc.assert(
      fc.asyncProperty(paced, fc.integer({ min: 1, max: 8 }), async (steps, maxSize) => {
        async function* producer() {
          for (const { item, pauseBefore } of steps) {
            if (pauseBefore === 'immediate') await new Promise((resolve) => setImmediate(resolve));
            if (pauseBefore === 'timer') await pause(0);
            yield item;
          }
        }

        const batches = await collect(batched(producer(), maxSize));

        expect(batches.flat()).toEqual(steps.map(({ item }) => item));
        for (const batch of batches) {
          expect(batch.length).toBeGreaterThanOrEqual(1);
          expect(batch.length).toBeLessThanOrEqual(maxSize);
        }
      }),
      { numRuns: 60 },
    );
  });
});
