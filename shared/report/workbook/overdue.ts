// Quá hạn: the city's units ranked by year-to-date overdue rate, lowest first; under them,
// the units with dossiers past their deadline that have no rate yet.
import type ExcelJS from 'exceljs';
import { periodLabel } from '../../period.ts';
import { int, safeText } from '../format.ts';
import type { LeadershipReport } from '../period-report.ts';
import { dataBar, INT, levelNames, line, newSheet, PCT, SHEETS, sheetTitle, tableHeader, tableRows, type Column } from './layout.ts';

export function overdueSheet(wb: ExcelJS.Workbook, r: LeadershipReport) {
  const ws = newSheet(wb, SHEETS.overdue);
  const names = levelNames(r.levels);
  const columns: Column[] = [
    { header: 'Hạng', width: 7, align: 'center' }, { header: 'Thay đổi hạng', width: 9, align: 'center', numFmt: '+0;-0;0' },
    { header: 'Mã', width: 7, align: 'center' }, { header: 'Đơn vị', width: 38, align: 'left' }, { header: 'Cấp', width: 18, align: 'left' },
    { header: 'Đã giải quyết lũy kế', width: 12, numFmt: INT }, { header: 'Giải quyết quá hạn lũy kế', width: 12, numFmt: INT },
    { header: 'Tỷ lệ quá hạn lũy kế', width: 11, numFmt: PCT }, { header: 'Đang giải quyết quá hạn (cuối kỳ)', width: 13, numFmt: INT },
  ];
  const row = sheetTitle(ws, columns, 'XẾP HẠNG TỶ LỆ HỒ SƠ GIẢI QUYẾT QUÁ HẠN',
    `Toàn thành phố, lũy kế từ kỳ ${periodLabel(r.ytdFrom)} đến kỳ ${periodLabel(r.period)}; tỷ lệ thấp xếp trước`);
  tableHeader(ws, row, columns, 4);
  // Dossiers past their deadline at a unit that has resolved none since the start have no rate
  // to rank, yet are what this sheet is for: listed under the ranking, most first.
  const ranked = new Set(r.overdue.city.map((e) => e.unit));
  const pendingOnly = r.rows.filter((x) => !ranked.has(x.unit.code) && (x.period?.pending_overdue ?? 0) > 0)
    .sort((a, b) => b.period!.pending_overdue! - a.period!.pending_overdue! || (a.unit.code < b.unit.code ? -1 : 1));
  const last = tableRows(ws, row + 1, columns, (function* () {
    for (const e of r.overdue.city) {
      yield [e.rank, e.rank_change, e.unit, safeText(e.name), names[e.level], e.ytd_resolved, e.ytd_resolved_overdue, e.ytd_overdue_rate, e.pending_overdue];
    }
    for (const x of pendingOnly) {
      yield [null, null, x.unit.code, safeText(x.unit.name), names[x.unit.level], x.ytdRates.resolvedTotal, x.ytd?.resolved_overdue ?? null, null, x.period!.pending_overdue];
    }
  })());
  if (last > row) {
    dataBar(ws, `H${row + 1}:H${last}`);
    ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
  }
  if (pendingOnly.length) {
    line(ws, last + 2, 1, columns.length,
      `Không xếp hạng: ${int(pendingOnly.length)} đơn vị có hồ sơ đang giải quyết quá hạn nhưng chưa giải quyết hồ sơ nào từ kỳ ${periodLabel(r.ytdFrom)} (chưa tính được tỷ lệ).`,
      { italic: true, size: 11 });
  }
}
