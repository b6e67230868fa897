// Which period the file reports on: the title lines (a month, or a from–to window that must
// be exactly a period) and layout B's period column, which must agree; not in the future.
import { addMonths, dueInstant, formatDate, formatPeriod, isPeriod, lastClosedPeriod, localDateOf, periodBounds, periodContaining, periodEndingOn, periodLabel, PLAN_128_PERIODS, sameDate, type LocalDate } from '../period.ts';
import { fileIssue, type CellRef, type FileIssue } from './file-issue.ts';
import { columnValue } from './label-column.ts';
import type { ReadOptions } from './read-report.ts';
import type { Table } from './table.ts';
import type { Found, PeriodMention } from './title.ts';

type PeriodOptions = Pick<ReadOptions, 'periods' | 'now'>;

/** "2022-06", "06/2022", "6-2022", "2022/06". */
function parsePeriodCell(text: string): string | null {
  const t = text.trim();
  if (isPeriod(t)) return t;
  const monthFirst = /^(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(t);
  const yearFirst = /^(\d{4})\s*[/.]\s*(\d{1,2})$/.exec(t);
  const [year, month] = monthFirst ? [Number(monthFirst[2]), Number(monthFirst[1])]
    : yearFirst ? [Number(yearFirst[1]), Number(yearFirst[2])] : [0, 0];
  return month >= 1 && month <= 12 ? formatPeriod(year, month) : null;
}

export function decidePeriod(
  table: Table, mentions: Array<Found<PeriodMention>>, options: PeriodOptions, errors: FileIssue[], warnings: FileIssue[],
): string | null {
  const config = options.periods ?? PLAN_128_PERIODS;
  const candidates: Array<{ period: string; at: CellRef }> = [];
  const column = columnValue(table, 'period', errors);
  if (column) {
    const p = parsePeriodCell(column.value);
    const at = { sheet: table.sheet, row: column.row, col: column.col };
    if (!p) {
      errors.push(fileIssue('invalid_period', `Kỳ báo cáo "${column.value}" không đúng dạng YYYY-MM (ví dụ 2022-06).`, at));
      return null;
    }
    if (yearOutOfRange(Number(p.slice(0, 4)), column.value, at, errors)) return null;
    candidates.push({ period: p, at });
  }
  for (const m of mentions) {
    const at = { sheet: table.sheet, row: m.row, col: 1 };
    const v = m.value;
    if (v.kind === 'month') {
      if (v.month < 1 || v.month > 12) {
        errors.push(fileIssue('invalid_period', `Tháng báo cáo ${v.month}/${v.year} không hợp lệ.`, at));
        return null;
      }
      if (yearOutOfRange(v.year, `${v.month}/${v.year}`, at, errors)) return null;
      candidates.push({ period: formatPeriod(v.year, v.month), at });
      continue;
    }
    const bad = [v.from, v.to].find((d) => d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31);
    if (bad) {
      errors.push(fileIssue('invalid_period', `Ngày ${formatDate(bad)} trong kỳ báo cáo không có thật.`, at));
      return null;
    }
    const outside = [v.from, v.to].find((d) => d.year < MIN_YEAR || d.year > MAX_YEAR);
    if (outside && yearOutOfRange(outside.year, formatDate(outside), at, errors)) return null;
    const period = periodEndingOn(v.to, config) ?? formatPeriod(v.to.year, v.to.month);
    const bounds = periodBounds(period, config);
    if (!sameDate(bounds.from, v.from) || !sameDate(bounds.to, v.to)) {
      errors.push(fileIssue('period_window_mismatch',
        `Kỳ báo cáo từ ${formatDate(v.from)} đến ${formatDate(v.to)} không khớp kỳ quy định: kỳ ${periodLabel(period)} là từ ${formatDate(bounds.from)} đến ${formatDate(bounds.to)}.`,
        at));
      return null;
    }
    candidates.push({ period, at });
  }
  if (candidates.length === 0) {
    // The example is the period being collected, as the clerk would write it.
    const example = lastClosedPeriod(options.now ?? new Date(), config);
    const { from, to } = periodBounds(example, config);
    errors.push(fileIssue('period_not_found',
      `Không đọc được kỳ báo cáo. Ghi phía trên bảng: "Kỳ báo cáo: Từ ngày ${formatDate(from)} đến ngày ${formatDate(to)}" hoặc "Tháng ${Number(example.slice(5))}/${example.slice(0, 4)}" (mẫu CSV: cột period, ví dụ ${example}).`,
      { sheet: table.sheet, row: 1, col: 1 }));
    return null;
  }
  const distinct = [...new Set(candidates.map((c) => c.period))];
  if (distinct.length > 1) {
    errors.push(fileIssue('period_conflict', `Tệp ghi nhiều kỳ báo cáo khác nhau: ${distinct.map(periodLabel).join(', ')}.`, candidates[1].at));
    return null;
  }
  const period = distinct[0];
  const now = options.now ?? new Date();
  const latest = addMonths(periodContaining(now, config), 1);
  if (period > latest) {
    errors.push(fileIssue('period_in_future', `Kỳ báo cáo ${periodLabel(period)} còn ở tương lai (muộn nhất ${periodLabel(latest)}).`, candidates[0].at));
    return null;
  }
  // A report counts the whole period: before its last day, the counts cannot be final.
  const lastDay = periodBounds(period, config).to;
  if (dayNumber(localDateOf(now, config.timeZone)) < dayNumber(lastDay)) {
    // Most often the clerk meant the period being collected: name it, and its deadline.
    const collecting = lastClosedPeriod(now, config);
    const open = periodBounds(collecting, config);
    errors.push(fileIssue('period_not_ended',
      `Kỳ ${periodLabel(period)} kết thúc ngày ${formatDate(lastDay)}; gửi báo cáo từ ngày ${formatDate(lastDay)}. `
      + `Kỳ đang thu là ${periodLabel(collecting)} (từ ngày ${formatDate(open.from)} đến ngày ${formatDate(open.to)}, hạn nộp trước ngày ${formatDate(localDateOf(dueInstant(collecting, config), config.timeZone))}): nếu đây là báo cáo kỳ ${periodLabel(collecting)}, sửa dòng kỳ báo cáo rồi gửi lại.`,
      candidates[0].at));
    // The period is known, only early: the refused upload is filed under it (the unit's status shows the try).
    return period;
  }
  // An older period is often a late supplement, so only a warning; but it is also what a
  // clerk who forgot to change the period line sends.
  const collecting = lastClosedPeriod(now, config);
  if (period < collecting) {
    warnings.push(fileIssue('period_not_current',
      `Tệp ghi kỳ ${periodLabel(period)}; kỳ đang thu là ${periodLabel(collecting)}. Nếu đây là báo cáo bổ sung cho kỳ ${periodLabel(period)} thì không cần làm gì; nếu không, hãy sửa dòng kỳ báo cáo và gửi lại.`,
      candidates[0].at));
  }
  return period;
}

/** Years a period may be in: anything else is a typo (or a hostile file), never a period. */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

function yearOutOfRange(year: number, written: string, at: CellRef, errors: FileIssue[]): boolean {
  if (year >= MIN_YEAR && year <= MAX_YEAR) return false;
  errors.push(fileIssue('period_year_out_of_range',
    `Kỳ báo cáo ghi năm ${year} ("${written}"), ngoài khoảng năm ${MIN_YEAR}–${MAX_YEAR}: sửa lại năm của kỳ báo cáo.`, at));
  return true;
}

function dayNumber(d: LocalDate): number {
  return d.year * 10_000 + d.month * 100 + d.day;
}
