// The plan's indicators for one unit's counts (indicators.md). Rates are fractions
// (0.473), null where undefined ("không phát sinh": nothing to divide by).
import { addCountsInto, newDossiers, type Counts } from '../report-file/counts.ts';

export interface Rates {
  newDossiers: number;
  resolvedTotal: number;
  /** online / (online + desk + postal), carried-over excluded. */
  onlineRate: number | null;
  /** resolved overdue / resolved (lower is better). */
  overdueRate: number | null;
  /** (early + on time) / resolved. */
  onTimeRate: number | null;
  /** postal / new dossiers; null also when the file did not say (combined column). */
  postalRate: number | null;
}

export function resolvedTotal(c: Counts): number {
  return c.resolved_early + c.resolved_on_time + c.resolved_overdue;
}

export function ratesOf(c: Counts | null): Rates {
  if (!c) return { newDossiers: 0, resolvedTotal: 0, onlineRate: null, overdueRate: null, onTimeRate: null, postalRate: null };
  const fresh = newDossiers(c);
  const resolved = resolvedTotal(c);
  return {
    newDossiers: fresh,
    resolvedTotal: resolved,
    onlineRate: fresh > 0 ? c.received_online / fresh : null,
    overdueRate: resolved > 0 ? c.resolved_overdue / resolved : null,
    onTimeRate: resolved > 0 ? (c.resolved_early + c.resolved_on_time) / resolved : null,
    postalRate: fresh > 0 && c.received_postal !== null ? c.received_postal / fresh : null,
  };
}

/** Sums counts (never averages rates); null when there is nothing to sum. */
export function sumCounts(list: ReadonlyArray<Counts | null | undefined>): Counts | null {
  let total: Counts | null = null;
  for (const c of list) if (c) total = total ? addCountsInto(total, c) : { ...c };
  return total;
}
