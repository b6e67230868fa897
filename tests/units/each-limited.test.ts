// eachLimited (shared/each-limited.ts): a few at a time; after a failure nothing new starts,
// and the failure is reported only once every started item has finished.
import { describe, expect, it } from 'vitest';
import { eachLimited } from '../../shared/each-limited.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('eachLimited', () => {
  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachLimited(Array.from({ length: 20 }, (_, i) => i), 3, async (i) => {
      most = Math.max(most, ++running);
      await tick();
      running--;
      done.push(i);
    });
    expect(most).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('after a failure starts nothing new, lets the started finish, then rejects with the first failure', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const failing = eachLimited(Array.from({ length: 20 }, (_, i) => i), 3, async (i, stopped) => {
      started.push(i);
      if (i === 1) throw new Error('item 1 failed');
      if (i === 4) throw new Error('item 4 failed too');
      for (let n = 0; n < 5; n++) await tick();
      finished.push(i);
      expect(stopped()).toBe(true); // items 0 and 2 hear of the failure
    });
    await expect(failing).rejects.toThrow('item 1 failed');
    expect(started.sort((a, b) => a - b)).toEqual([0, 1, 2]);
    expect(finished.sort((a, b) => a - b)).toEqual([0, 2]); // both done before the rejection
  });

  it('nothing to do is done at once', async () => {
    await expect(eachLimited([], 4, async () => { throw new Error('ran'); })).resolves.toBeUndefined();
  });
});
