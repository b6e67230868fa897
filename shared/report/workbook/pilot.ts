// Thí điểm trực tuyến: online-only procedures (Phụ lục 3) that received desk or postal
// dossiers (each unit's online services have their own sheet: one table, one header per sheet).
import type ExcelJS from 'exceljs';
import { periodLabel } from '../../period.ts';
import { safeText } from '../format.ts';
import type { LeadershipReport } from '../period-report.ts';
import { INT, line, newSheet, SHEETS, sheetTitle, tableHeader, tableRows, type Column } from './layout.ts';

export function pilotSheet(wb: ExcelJS.Workbook, r: LeadershipReport) {
  const ws = newSheet(wb, SHEETS.pilot);
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' }, { header: 'Đơn vị', width: 34, align: 'left' },
    { header: 'Thủ tục hành chính (thí điểm chỉ tiếp nhận trực tuyến)', width: 70, align: 'left' },
    { header: 'Hồ sơ trực tiếp', width: 11, numFmt: INT }, { header: 'Hồ sơ bưu chính', width: 11, numFmt: INT },
  ];
  const row = sheetTitle(ws, columns, 'THỦ TỤC THÍ ĐIỂM CHỈ TIẾP NHẬN TRỰC TUYẾN CÓ HỒ SƠ KHÔNG TRỰC TUYẾN',
    `Kỳ tháng ${periodLabel(r.period)}; ${r.plan.pilot.length ? `thủ tục theo ${r.plan.sources.pilot}` : 'không có danh mục thủ tục thí điểm áp dụng cho kỳ này'}; số liệu từ trang tính "Chi tiết TTHC" của báo cáo đơn vị`);
  tableHeader(ws, row, columns, 3);
  const last = tableRows(ws, row + 1, columns, r.pilotBreaches.map((b, i) => [
    i + 1, b.unit, safeText(b.name), safeText(b.procedure), b.received_direct, b.received_postal,
  ]));
  if (!r.pilotBreaches.length) {
    line(ws, row + 1, 1, columns.length, r.plan.pilot.length
      ? 'Không có hồ sơ trực tiếp, bưu chính đối với thủ tục thí điểm trong các báo cáo đã nhận.'
      : r.plan.pilotAbsent ?? `${r.plan.citationShort} không có danh mục thủ tục thí điểm chỉ tiếp nhận trực tuyến.`, { italic: true });
  } else ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
}
