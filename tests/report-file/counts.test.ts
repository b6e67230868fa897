// addCountsInto is spelled out key by key (the national report's hot loop): every key of the
// contract must be summed, and an unknown figure stays unknown only if unknown in both.
import { describe, expect, it } from 'vitest';
import { addCountsInto, COUNT_KEYS, zeroCounts, type Counts } from '../../shared/report-file/counts.ts';

const distinct = (base: number): Counts =>
  Object.fromEntries(COUNT_KEYS.map((k, i) => [k, base + i])) as unknown as Counts;

describe('addCountsInto', () => {
  it('sums every key of COUNT_KEYS, in place', () => {
    const total = distinct(100);
    const out = addCountsInto(total, distinct(1000));
    expect(out).toBe(total);
    for (const [i, k] of COUNT_KEYS.entries()) expect(out[k], k).toBe(1100 + 2 * i);
    expect(Object.keys(out).sort()).toEqual([...COUNT_KEYS].sort());
  });

  it('keeps a figure unknown only when both sides leave it unknown', () => {
    const unknown = zeroCounts(false, false);
    expect(addCountsInto({ ...unknown }, unknown)).toMatchObject({ received_postal: null, returned_postal: null });
    const known = { ...zeroCounts(), received_postal: 3, returned_postal: 4 };
    expect(addCountsInto({ ...unknown }, known)).toMatchObject({ received_postal: 3, returned_postal: 4 });
    expect(addCountsInto({ ...known }, unknown)).toMatchObject({ received_postal: 3, returned_postal: 4 });
  });
});
