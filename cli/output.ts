// How readings are shown: one stable JSON object per file for tools, Vietnamese text for people.
import type { ReportReading } from '../shared/report-file/read-report.ts';

/** The `tthc check --json` line; keep its shape stable, other tools read it. */
export function readingJson(file: string, r: ReportReading, extra: Record<string, unknown> = {}) {
  return {
    file,
    status: r.status,
    ...extra,
    unit: r.unit,
    period: r.period,
    layout: r.layout,
    counts: r.counts,
    procedures: r.procedures,
    warnings: r.warnings,
    errors: r.errors,
  };
}
