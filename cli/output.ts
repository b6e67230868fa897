// How readings are shown: one stable JSON object per file for tools, Vietnamese text for people.
import type { ReportReading } from '../shared/report-file/read-report.ts';

/** The `tthc check --json` line (and `tthc ingest --json`'s, with its outcome and upload id);
 * keep its shape stable, other tools read it. */
export function readingJson(
  file: string,
  r: Pick<ReportReading, 'unit' | 'period' | 'layout' | 'counts' | 'procedures' | 'warnings' | 'errors'> & { status: string },
  extra: Record<string, unknown> = {},
) {
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
