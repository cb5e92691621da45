import { threadId, Worker } from 'node:worker_threads';
import { SharedWriteLock, WriteLockTimeoutError } from './shared-write-lock';

/**
 * A thread that takes the lock as SharedWriteLock does (the lock word holds its threadId + 1), reports it holds it,
 * holds it `holdMs`, then releases it and reports that, or (`exitHolding`) ends without releasing it.
 */
function holdInAnotherThread(
  buffer: SharedArrayBuffer,
  holdMs: number,
  options: { exitHolding?: boolean } = {},
): { held: Promise<void>; released: Promise<number>; threadId: number; exited: Promise<void> } {
  const worker = new Worker(
    `
      const { parentPort, workerData, threadId } = require('node:worker_threads');
      const state = new Int32Array(workerData.buffer);
      for (;;) {
        const holder = Atomics.compareExchange(state, 0, 0, threadId + 1);
        if (holder === 0) break;
        Atomics.wait(state, 0, holder);
      }
      parentPort.postMessage('held');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
      if (!workerData.exitHolding) {
        const releasedAt = Date.now();
        Atomics.store(state, 0, 0);
        Atomics.notify(state, 0, 1);
        parentPort.postMessage(releasedAt);
      }
    `,
    { eval: true, workerData: { buffer, holdMs, exitHolding: options.exitHolding === true } },
  );
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const messages: unknown[] = [];
  const waiters: Array<() => void> = [];
  worker.on('message', (message) => {
    messages.push(message);
    waiters.splice(0).forEach((wake) => wake());
  });
  const nth = (index: number) =>
    new Promise<unknown>((resolve) => {
      const check = () => (messages.length > index ? resolve(messages[index]) : waiters.push(check));
      check();
    });
  return { held: nth(0).then(() => undefined), released: nth(1).then((at) => at as number), threadId: worker.threadId, exited };
}

describe('SharedWriteLock', () => {
  it('is taken and given back by one thread as often as it likes', () => {
    const lock = new SharedWriteLock();
    for (let round = 0; round < 3; round++) {
      lock.acquire();
      lock.release();
    }
    expect(new Int32Array(lock.buffer)[0]).toBe(0);
  });

  it('names its holder in the lock word', () => {
    const lock = new SharedWriteLock();
    lock.acquire();
    expect(new Int32Array(lock.buffer)[0]).toBe(threadId + 1);
    lock.release();
  });

  it('makes another thread wait while it is held, and hands it over once it is released', async () => {
    const lock = new SharedWriteLock();
    const other = holdInAnotherThread(lock.buffer, 300);
    await other.held;
    lock.acquire();
    const acquiredAt = Date.now();
    lock.release();
    const releasedAt = await other.released;
    expect(acquiredAt).toBeGreaterThanOrEqual(releasedAt);
  });

  it('reports a holder that never lets go instead of waiting for ever', async () => {
    const buffer = new SharedArrayBuffer(4);
    const other = holdInAnotherThread(buffer, 2_000);
    await other.held;
    const lock = new SharedWriteLock(buffer, 100);
    expect(() => lock.acquire()).toThrow(WriteLockTimeoutError);
    await other.released;
  });

  it('is freed for the next thread when a thread that ended holding it is named, and only then', async () => {
    const lock = new SharedWriteLock(new SharedArrayBuffer(4), 200);
    const other = holdInAnotherThread(lock.buffer, 0, { exitHolding: true });
    await other.held;
    await other.exited;
    expect(() => lock.acquire()).toThrow(WriteLockTimeoutError);
    expect(lock.releaseHeldBy(other.threadId + 1)).toBe(false);
    expect(() => lock.acquire()).toThrow(WriteLockTimeoutError);
    expect(lock.releaseHeldBy(other.threadId)).toBe(true);
    lock.acquire();
    expect(lock.releaseHeldBy(other.threadId)).toBe(false);
    expect(new Int32Array(lock.buffer)[0]).toBe(threadId + 1);
    lock.release();
  });
});
