// Submission status of every unit for a period: on time (an acceptable report arrived before
// 00:00 on the due day), late, missing, or rejected only (uploads came, none acceptable).
import type { UnitFigures } from './ingest/upload.ts';
import { dueInstant, type PeriodConfig } from './period.ts';
import { groupBy } from './group-by.ts';
import type { Counts } from './report-file/counts.ts';
import type { PeriodReports } from './store/report-store.ts';
import type { Unit } from './units/unit.ts';

export type SubmissionStatus = 'on_time' | 'late' | 'missing' | 'rejected_only';

export interface UnitStatus {
  unit: string;
  period: string;
  status: SubmissionStatus;
  /** The unit's report: its newest accepted upload. */
  counts: Counts | null;
  /** When the first acceptable report arrived: that decides on time or late, so a later
   * correction does not make an on-time unit late. */
  received_at: string | null;
}

export function periodStatus(units: readonly Unit[], period: string, data: PeriodReports, periods: PeriodConfig): UnitStatus[] {
  const due = dueInstant(period, periods).getTime();
  const current = new Map<string, UnitFigures>(data.current.map((c) => [c.unit, c]));
  const uploads = groupBy(data.uploads, (u) => u.unit);

  return units.map((unit) => {
    const report = current.get(unit.code);
    const tries = uploads.get(unit.code) ?? [];
    // The earliest acceptable upload, compared as instants: event times may or may not carry milliseconds.
    let firstAccepted: string | null = null;
    let firstMs = Infinity;
    for (const u of tries) {
      if (u.outcome === 'rejected') continue;
      const ms = Date.parse(u.eventTime);
      if (firstAccepted === null || ms < firstMs) { firstAccepted = u.eventTime; firstMs = ms; }
    }
    if (firstAccepted === null && report) {
      firstAccepted = report.eventTime;
      firstMs = Date.parse(firstAccepted);
    }
    let status: SubmissionStatus;
    if (report && firstAccepted) status = firstMs < due ? 'on_time' : 'late';
    else status = tries.length > 0 ? 'rejected_only' : 'missing';
    return { unit: unit.code, period, status, counts: report?.counts ?? null, received_at: report ? firstAccepted : null };
  });
}
