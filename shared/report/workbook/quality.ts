// Kiểm tra số liệu: what the leadership should know before trusting a figure. Stored reports
// that are not counts (left out of every sum), and this period's reports with warnings.
import type ExcelJS from 'exceljs';
import { periodLabel } from '../../period.ts';
import { safeText } from '../format.ts';
import type { PeriodReport } from '../period-report.ts';
import { line, newSheet, SHEETS, sheetTitle, tableHeader, tableRows, type Column } from './layout.ts';

/** The sentence for a stored report the report could not use. */
export function unusableMessage(period: string, fields: readonly string[]): string {
  return `Số liệu đã lưu của kỳ ${periodLabel(period)} không phải số đếm hợp lệ (${fields.join(', ')}): báo cáo này không được tính vào số liệu tổng hợp, tỷ lệ và xếp hạng. Đề nghị đơn vị gửi lại báo cáo kỳ ${periodLabel(period)}.`;
}

export function qualitySheet(wb: ExcelJS.Workbook, r: PeriodReport) {
  const ws = newSheet(wb, SHEETS.quality);
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' },
    { header: 'Đơn vị', width: 36, align: 'left' }, { header: 'Kỳ', width: 10, align: 'center' },
    { header: 'Nội dung cần kiểm tra', width: 90, align: 'left' },
  ];
  const row = sheetTitle(ws, columns.length, 'KIỂM TRA SỐ LIỆU',
    `Kỳ tháng ${periodLabel(r.period)}; báo cáo có cảnh báo và số liệu không được tính vào tổng hợp`);
  tableHeader(ws, row, columns, 3);
  const items = r.unusable.map((u) => [u.unit, safeText(u.name), periodLabel(u.period), unusableMessage(u.period, u.fields)]);
  if (!items.length) {
    line(ws, row + 1, 1, columns.length, 'Không có báo cáo cần kiểm tra.', { italic: true });
    return;
  }
  const last = tableRows(ws, row + 1, columns, items.map((x, i) => [i + 1, ...x]));
  ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
}
