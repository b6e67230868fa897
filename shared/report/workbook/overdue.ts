// Quá hạn: the city's units ranked by year-to-date overdue rate, lowest first.
import type ExcelJS from 'exceljs';
import { periodLabel } from '../../period.ts';
import { safeText } from '../format.ts';
import type { LeadershipReport } from '../period-report.ts';
import { dataBar, INT, levelNames, mapped, newSheet, PCT, SHEETS, sheetTitle, tableHeader, tableRows, type Column } from './layout.ts';

export function overdueSheet(wb: ExcelJS.Workbook, r: LeadershipReport) {
  const ws = newSheet(wb, SHEETS.overdue);
  const names = levelNames(r.levels);
  const columns: Column[] = [
    { header: 'Hạng', width: 7, align: 'center' }, { header: 'Thay đổi hạng', width: 9, align: 'center', numFmt: '+0;-0;0' },
    { header: 'Mã', width: 7, align: 'center' }, { header: 'Đơn vị', width: 38, align: 'left' }, { header: 'Cấp', width: 18, align: 'left' },
    { header: 'Đã giải quyết lũy kế', width: 12, numFmt: INT }, { header: 'Giải quyết quá hạn lũy kế', width: 12, numFmt: INT },
    { header: 'Tỷ lệ quá hạn lũy kế', width: 11, numFmt: PCT }, { header: 'Đang giải quyết quá hạn (cuối kỳ)', width: 13, numFmt: INT },
  ];
  const row = sheetTitle(ws, columns.length, 'XẾP HẠNG TỶ LỆ HỒ SƠ GIẢI QUYẾT QUÁ HẠN',
    `Toàn thành phố, lũy kế từ kỳ ${periodLabel(r.ytdFrom)} đến kỳ ${periodLabel(r.period)}; tỷ lệ thấp xếp trước`);
  tableHeader(ws, row, columns, 4);
  const last = tableRows(ws, row + 1, columns, mapped(r.overdue.city, (e) => [
    e.rank, e.rank_change, e.unit, safeText(e.name), names[e.level], e.ytd_resolved, e.ytd_resolved_overdue, e.ytd_overdue_rate, e.pending_overdue,
  ]));
  if (last > row) {
    dataBar(ws, `H${row + 1}:H${last}`);
    ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
  }
}
