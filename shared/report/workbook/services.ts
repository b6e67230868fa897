// Dịch vụ trực tuyến: each unit's online services (full or partial) and how many received
// an online dossier in the period, against the plan's 80% goal. Its own sheet, so the
// header repeated on every printed page is this table's.
import type ExcelJS from 'exceljs';
import { periodLabel } from '../../period.ts';
import { int, safeText } from '../format.ts';
import type { LeadershipReport } from '../period-report.ts';
import { servicesCoverage } from '../services.ts';
import { dataBar, INT, line, mapped, newSheet, PCT, SHEETS, sheetTitle, tableHeader, tableRows, type Column } from './layout.ts';

export function servicesSheet(wb: ExcelJS.Workbook, r: LeadershipReport) {
  const ws = newSheet(wb, SHEETS.services);
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' }, { header: 'Đơn vị', width: 40, align: 'left' },
    { header: 'Số dịch vụ trực tuyến đơn vị báo cáo', width: 16, numFmt: INT }, { header: 'Có hồ sơ trực tuyến', width: 14, numFmt: INT },
    { header: 'Tỷ lệ', width: 12, numFmt: PCT },
  ];
  const city = r.onlineServices.city;
  const row = sheetTitle(ws, columns, 'DỊCH VỤ TRỰC TUYẾN CÓ PHÁT SINH HỒ SƠ TRỰC TUYẾN',
    `Kỳ tháng ${periodLabel(r.period)}; mục tiêu ${Math.round(r.plan.servicesGoal * 100)}%; ${int(city.used)}/${int(city.offered)} dịch vụ của ${servicesCoverage(r)} (trang tính "Chi tiết TTHC", không bắt buộc)`);
  tableHeader(ws, row, columns, 3);
  if (!r.onlineServices.units.length) {
    line(ws, row + 1, 1, columns.length, 'Không có báo cáo chi tiết dịch vụ trực tuyến trong kỳ.', { italic: true });
    return;
  }
  const last = tableRows(ws, row + 1, columns, mapped(r.onlineServices.units, (u, i) => [i + 1, u.unit, safeText(u.name), u.offered, u.used, u.share]));
  dataBar(ws, `F${row + 1}:F${last}`);
  ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
}
