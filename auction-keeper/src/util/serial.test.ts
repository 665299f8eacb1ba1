import { describe, expect, it } from 'vitest';
import { SerialRunner } from './serial.ts';

describe('SerialRunner', () => {
  it('never overlaps passes and coalesces requests made during a pass into one more pass', async () => {
    let running = 0;
    let maxConcurrent = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    const runner = new SerialRunner(
      async () => {
        running++;
        maxConcurrent = Math.max(maxConcurrent, running);
        passes++;
        if (passes === 1) await new Promise<void>((r) => (release = r));
        running--;
      },
      () => true,
      () => undefined,
    );
    runner.schedule();
    runner.schedule();
    runner.schedule();
    release();
    await runner.idle();
    expect(maxConcurrent).toBe(1);
    expect(passes).toBe(2);
  });

  it('reports a failing pass and keeps accepting requests', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const runner = new SerialRunner(
      () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
      () => true,
      (e) => errors.push(e),
    );
    runner.schedule();
    await runner.idle();
    runner.schedule();
    await runner.idle();
    expect(errors).toHaveLength(1);
    expect(calls).toBe(2);
  });

  it('starts nothing once stopped', async () => {
    let calls = 0;
    const runner = new SerialRunner(
      () => {
        calls++;
        return Promise.resolve();
      },
      () => false,
      () => undefined,
    );
    runner.schedule();
    await runner.idle();
    expect(calls).toBe(0);
  });
});
