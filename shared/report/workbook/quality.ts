// Kiểm tra số liệu: what the leadership should know before trusting a figure: this period's
// reports with warnings that put a figure in doubt, and stored reports that are not counts
// (left out of every sum). The list is quality.ts's.
import type ExcelJS from 'exceljs';
import { periodLabel } from '../../period.ts';
import { safeText } from '../format.ts';
import type { LeadershipReport } from '../period-report.ts';
import { line, newSheet, SHEETS, sheetTitle, tableHeader, tableRows, type Column } from './layout.ts';

export function qualitySheet(wb: ExcelJS.Workbook, r: LeadershipReport) {
  const ws = newSheet(wb, SHEETS.quality);
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' },
    { header: 'Đơn vị', width: 36, align: 'left' }, { header: 'Kỳ', width: 10, align: 'center' },
    { header: 'Nội dung cần kiểm tra', width: 90, align: 'left' },
  ];
  const row = sheetTitle(ws, columns, 'KIỂM TRA SỐ LIỆU',
    `Kỳ tháng ${periodLabel(r.period)}; báo cáo có cảnh báo và số liệu không được tính vào tổng hợp`);
  tableHeader(ws, row, columns, 3);
  const items = r.quality.map((q) => [q.unit, safeText(q.name), periodLabel(q.period), safeText(q.message)]);
  if (!items.length) {
    line(ws, row + 1, 1, columns.length, 'Không có báo cáo cần kiểm tra.', { italic: true });
    return;
  }
  const last = tableRows(ws, row + 1, columns, items.map((x, i) => [i + 1, ...x]));
  ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
}
