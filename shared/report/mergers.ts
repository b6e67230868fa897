// Merged units keep their history. A unit merged into another (registry row with valid_to
// and merged_into) stays itself in the reports of the periods it existed; in a report for
// a period after the merger, whatever is stored under its code (the periods before the
// merger, and any report filed under it afterwards) counts for its successor. So loading
// a merger moves figures between units and never changes the city's or a level's totals.
import type { UnitFigures, UploadSummary } from '../ingest/upload.ts';
import type { PlanConfig } from '../config/plan-config.ts';
import type { PeriodReports } from '../store/report-store.ts';
import { groupBy } from '../group-by.ts';
import { sumCounts } from './indicators.ts';

/** Retired code → the unit in force for `period` that carries its figures (through chains of mergers). */
export function successorsFor(plan: Pick<PlanConfig, 'rows' | 'rowInForce' | 'heirOf'>, period: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const code of new Set(plan.rows.map((r) => r.code))) {
    if (plan.rowInForce(code, period)) continue;
    const heir = plan.heirOf(code, period);
    if (heir) out.set(code, heir);
  }
  return out;
}

function merged(unit: string, reports: readonly UnitFigures[]): UnitFigures {
  // The successor's own report gives the identity; the counts are everyone's.
  const own = reports.find((c) => c.unit === unit) ?? reports[0];
  return { ...own, unit, counts: sumCounts(reports.map((c) => c.counts))!, procedures: reports.flatMap((c) => c.procedures) };
}

/** Each period's reports and uploads with retired codes moved to their successors. */
export function withSuccessors(data: ReadonlyMap<string, PeriodReports>, successors: ReadonlyMap<string, string>): Map<string, PeriodReports> {
  if (successors.size === 0) return new Map(data);
  const out = new Map<string, PeriodReports>();
  for (const [period, reports] of data) {
    const byUnit = groupBy(reports.current, (c) => successors.get(c.unit) ?? c.unit);
    const current = [...byUnit].map(([unit, list]) => (list.length === 1 && list[0].unit === unit ? list[0] : merged(unit, list)));
    const uploads: UploadSummary[] = reports.uploads.map((u) => (successors.has(u.unit) ? { ...u, unit: successors.get(u.unit)! } : u));
    out.set(period, { current, uploads });
  }
  return out;
}
