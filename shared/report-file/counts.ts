// The normalized counts of one report (or one row of it). Keys are the contract's own
// (report-format.md), used unchanged in storage and JSON output.

export interface Counts {
  received_online: number;
  /** Desk dossiers; where the file only has the combined "Trực tiếp, dịch vụ bưu chính"
   * column, that column, with received_postal unknown. */
  received_direct: number;
  /** Null: the file does not say (unknown is not none). */
  received_postal: number | null;
  carried_over: number;
  resolved_early: number;
  resolved_on_time: number;
  resolved_overdue: number;
  pending_within: number;
  pending_overdue: number;
  /** Null: the file has no such column. */
  returned_postal: number | null;
}

export const COUNT_KEYS = [
  'received_online', 'received_direct', 'received_postal', 'carried_over',
  'resolved_early', 'resolved_on_time', 'resolved_overdue',
  'pending_within', 'pending_overdue', 'returned_postal',
] as const satisfies ReadonlyArray<keyof Counts>;

export type CountKey = (typeof COUNT_KEYS)[number];

export function zeroCounts(withPostal = true, withReturned = true): Counts {
  return {
    received_online: 0, received_direct: 0, received_postal: withPostal ? 0 : null, carried_over: 0,
    resolved_early: 0, resolved_on_time: 0, resolved_overdue: 0,
    pending_within: 0, pending_overdue: 0, returned_postal: withReturned ? 0 : null,
  };
}

/** x + y where an unknown (null) figure stays unknown only if it is unknown in both. */
const plus = (x: number | null, y: number | null): number | null => (y === null ? x : (x ?? 0) + y);

/**
 * Adds `c` into `total` in place; an unknown (null) figure stays unknown only if it is
 * unknown in both. Spelled out key by key rather than looped over COUNT_KEYS: the national
 * report sums 12,000 units × 12 periods, and named properties cost a fraction of keyed ones
 * (counts.test.ts checks every key of COUNT_KEYS is summed).
 */
export function addCountsInto(total: Counts, c: Counts): Counts {
  total.received_online += c.received_online;
  total.received_direct += c.received_direct;
  total.received_postal = plus(total.received_postal, c.received_postal);
  total.carried_over += c.carried_over;
  total.resolved_early += c.resolved_early;
  total.resolved_on_time += c.resolved_on_time;
  total.resolved_overdue += c.resolved_overdue;
  total.pending_within += c.pending_within;
  total.pending_overdue += c.pending_overdue;
  total.returned_postal = plus(total.returned_postal, c.returned_postal);
  return total;
}

export function addCounts(a: Counts, b: Counts): Counts {
  return addCountsInto({ ...a }, b);
}

/** New dossiers of the period: online + desk + postal (carried-over excluded). */
export function newDossiers(c: Counts): number {
  return c.received_online + c.received_direct + (c.received_postal ?? 0);
}

const COUNT_FORMAT = new Intl.NumberFormat('vi-VN');

/** A count as a Vietnamese reader writes it: 1.000.227. */
export function countText(n: number): string {
  return COUNT_FORMAT.format(n);
}
