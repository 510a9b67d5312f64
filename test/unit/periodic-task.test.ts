/** PeriodicTask: the scheduling shared by trace retention and the knowledge cleanup. */
import { describe, expect, it } from 'vitest';
import { PeriodicTask } from '../../src/core/index.js';

/** Waits until `condition` holds (polling; up to 10 s, so a loaded machine does not fail it). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('PeriodicTask', () => {
  it('joins a run asked for while one is in progress, and runs again after it', async () => {
    let runs = 0;
    const gate = deferred();
    const task = new PeriodicTask(
      async () => {
        runs++;
        await gate.promise;
        return runs;
      },
      { intervalMs: 60_000 },
    );
    const first = task.run();
    const joined = task.run(async () => -1);
    gate.resolve();
    expect(await first).toBe(1);
    expect(await joined).toBe(1);
    expect(await task.run()).toBe(2);
  });

  it('runs soon after start, then every interval; stop waits for the run in progress and ends the timer', async () => {
    let runs = 0;
    const task = new PeriodicTask(
      async () => {
        runs++;
        return runs;
      },
      { intervalMs: 20, firstDelayMs: 5 },
    );
    task.start();
    task.start(); // a second start changes nothing
    await until(() => runs >= 3);
    await task.stop();
    expect(task.stopped).toBe(true);
    const after = runs;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(runs).toBe(after);
    task.start(); // never again after stop
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(runs).toBe(after);
  });

  it('keeps its timer after a failed run; the failure is the job’s to report', async () => {
    let runs = 0;
    const task = new PeriodicTask(
      async () => {
        runs++;
        throw new Error('database away');
      },
      { intervalMs: 15, firstDelayMs: 0 },
    );
    task.start();
    await until(() => runs >= 2);
    await task.stop();
  });
});
