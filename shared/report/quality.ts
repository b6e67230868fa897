// What the data-quality sheet ("Kiểm tra số liệu") lists: this period's reports whose
// upload carries a warning the leadership should weigh (a figure far from the unit's own
// history, received dossiers that do not balance, figures equal to another report's or a
// carried-over count that does not follow from the period before), and stored reports the
// report could not use at all (usable.ts).
import { CROSS_CHECK_CODES } from '../ingest/cross-checks.ts';
import { periodLabel } from '../period.ts';
import { COLUMN_TITLES } from '../report-file/columns.ts';
import type { PeriodReports } from '../store/report-store.ts';
import type { Unit } from '../units/unit.ts';
import type { UnusableReport } from './usable.ts';

export interface QualityIssue {
  unit: string;
  name: string;
  period: string;
  /** The warning's code, or `unusable_counts`. */
  code: string;
  message: string;
}

/** Warnings that put a figure in doubt: outliers against the unit's history, totals that do not balance, the cross-checks against other reports. */
export function doubtsFigure(code: string): boolean {
  return code.startsWith('outlier_') || code.endsWith('_not_balanced') || CROSS_CHECK_CODES.includes(code);
}

/** Fields by the titles of Biểu 06a's columns (the leadership does not read field names). */
export function unusableMessage(period: string, fields: readonly string[]): string {
  const titles = fields.map((f) => (f in COLUMN_TITLES ? `"${COLUMN_TITLES[f as keyof typeof COLUMN_TITLES]}"` : `"${f}"`));
  return `Số liệu đã lưu của kỳ ${periodLabel(period)} không phải số đếm hợp lệ ở ${titles.join(', ')}: báo cáo này không được tính vào số liệu tổng hợp, tỷ lệ và xếp hạng. Đề nghị đơn vị gửi lại báo cáo kỳ ${periodLabel(period)}.`;
}

export function qualityIssues(
  period: string, stored: PeriodReports | undefined, unitsByCode: ReadonlyMap<string, Unit>, unusable: ReadonlyArray<UnusableReport & { name: string }>,
): QualityIssue[] {
  const name = (code: string) => unitsByCode.get(code)?.name ?? code;
  const out: QualityIssue[] = [];
  if (stored) {
    const uploads = new Map(stored.uploads.map((u) => [u.uploadId, u]));
    for (const c of stored.current) {
      if (!unitsByCode.has(c.unit)) continue;
      for (const w of uploads.get(c.uploadId)?.warnings ?? []) {
        if (doubtsFigure(w.code)) out.push({ unit: c.unit, name: name(c.unit), period, code: w.code, message: w.message });
      }
    }
  }
  out.sort((a, b) => a.unit.localeCompare(b.unit));
  for (const u of unusable) out.push({ unit: u.unit, name: u.name, period: u.period, code: 'unusable_counts', message: unusableMessage(u.period, u.fields) });
  return out;
}
