// Stored figures the report can use. Records written before the reader was hardened may
// hold counts that are not safe non-negative integers (Infinity, 1e308, a null where the
// file always has a figure, procedure figures alike). Summed, they would make every city
// total meaningless or crash the exact ranking (BigInt(Infinity)); the report leaves such
// a unit's report out of every sum and rate for that period and lists it instead.
import { COUNT_KEYS, type Counts } from '../report-file/counts.ts';
import type { UnitFigures } from '../ingest/upload.ts';
import type { PeriodReports } from '../store/report-store.ts';

/** Figures a file may leave unknown (null). */
const MAY_BE_NULL = new Set<string>(['received_postal', 'returned_postal']);
const PROCEDURE_FIGURES = ['received_online', 'received_direct', 'received_postal'] as const;

const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export interface UnusableReport {
  unit: string;
  period: string;
  uploadId: string;
  /** The fields whose stored value is not a count, e.g. "received_online", "Chi tiết TTHC". */
  fields: string[];
}

/** The fields of a stored report that are not counts; empty when the report is usable. */
export function unusableFields(report: Pick<UnitFigures, 'counts' | 'procedures'>): string[] {
  const counts = (report.counts ?? {}) as unknown as Record<string, unknown>;
  const bad: string[] = COUNT_KEYS.filter((k) => !(isCount(counts[k]) || (counts[k] === null && MAY_BE_NULL.has(k))));
  const procedures = Array.isArray(report.procedures) ? report.procedures : [];
  if (procedures.some((p) => PROCEDURE_FIGURES.some((k) => !(isCount(p[k]) || (p[k] === null && k === 'received_postal'))))) bad.push('Chi tiết TTHC');
  return bad;
}

const isCountOrNull = (v: unknown) => v === null || isCount(v);

/**
 * unusableFields(report).length === 0, without building the list: the report screens every
 * stored report of its window (a national year: ~140,000), nearly all usable. Fields by name,
 * as in addCountsInto (unusable.test.ts holds the two to the same answer on random reports).
 */
export function isUsable(report: Pick<UnitFigures, 'counts' | 'procedures'>): boolean {
  const c = report.counts as Counts | null | undefined;
  if (!c || !(isCount(c.received_online) && isCount(c.received_direct) && isCountOrNull(c.received_postal)
    && isCount(c.carried_over) && isCount(c.resolved_early) && isCount(c.resolved_on_time) && isCount(c.resolved_overdue)
    && isCount(c.pending_within) && isCount(c.pending_overdue) && isCountOrNull(c.returned_postal))) return false;
  const procedures = Array.isArray(report.procedures) ? report.procedures : [];
  for (const p of procedures) if (!(isCount(p.received_online) && isCount(p.received_direct) && isCountOrNull(p.received_postal))) return false;
  return true;
}

/** The stored periods with unusable reports taken out of `current` (uploads kept: they decide on-time status). */
export function screenReports(data: ReadonlyMap<string, PeriodReports>): { data: Map<string, PeriodReports>; unusable: UnusableReport[] } {
  const out = new Map<string, PeriodReports>();
  const unusable: UnusableReport[] = [];
  for (const [period, reports] of data) {
    const current: UnitFigures[] = [];
    for (const c of reports.current) {
      if (isUsable(c)) current.push(c);
      else unusable.push({ unit: c.unit, period, uploadId: c.uploadId, fields: unusableFields(c) });
    }
    out.set(period, current.length === reports.current.length ? reports : { ...reports, current });
  }
  return { data: out, unusable };
}

