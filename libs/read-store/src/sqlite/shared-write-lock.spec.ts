import { Worker } from 'node:worker_threads';
import { SharedWriteLock, WriteLockTimeoutError } from './shared-write-lock';

/** A thread that takes the lock, reports it holds it, holds it `holdMs`, releases it and reports that. */
function holdInAnotherThread(buffer: SharedArrayBuffer, holdMs: number): { held: Promise<void>; released: Promise<number> } {
  const worker = new Worker(
    `
      const { parentPort, workerData } = require('node:worker_threads');
      const state = new Int32Array(workerData.buffer);
      while (Atomics.compareExchange(state, 0, 0, 1) !== 0) Atomics.wait(state, 0, 1);
      parentPort.postMessage('held');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
      const releasedAt = Date.now();
      Atomics.store(state, 0, 0);
      Atomics.notify(state, 0, 1);
      parentPort.postMessage(releasedAt);
    `,
    { eval: true, workerData: { buffer, holdMs } },
  );
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
  return { held: nth(0).then(() => undefined), released: nth(1).then((at) => at as number) };
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
});
