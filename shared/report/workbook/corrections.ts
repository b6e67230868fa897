// Điều chỉnh số liệu: figures units corrected after their period went to the leadership,
// the published figures beside the figures now in force.
import type ExcelJS from 'exceljs';
import { periodLabel } from '../../period.ts';
import { safeText } from '../format.ts';
import type { LeadershipReport } from '../period-report.ts';
import { INT, line, localTime, newSheet, PCT, SHEETS, sheetTitle, tableHeader, tableRows, type Column } from './layout.ts';

export function correctionsSheet(wb: ExcelJS.Workbook, r: LeadershipReport) {
  const ws = newSheet(wb, SHEETS.corrections);
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' },
    { header: 'Đơn vị', width: 34, align: 'left' }, { header: 'Kỳ', width: 10, align: 'center' },
    { header: 'Thời điểm nhận báo cáo điều chỉnh', width: 18, align: 'center' },
    { header: 'Hồ sơ mới (đã báo cáo)', width: 12, numFmt: INT }, { header: 'Hồ sơ mới (điều chỉnh)', width: 12, numFmt: INT },
    { header: 'Trực tuyến (đã báo cáo)', width: 12, numFmt: INT }, { header: 'Trực tuyến (điều chỉnh)', width: 12, numFmt: INT },
    { header: 'Tỷ lệ trực tuyến (đã báo cáo)', width: 12, numFmt: PCT }, { header: 'Tỷ lệ trực tuyến (điều chỉnh)', width: 12, numFmt: PCT },
  ];
  const since = r.correctionsSince ? `từ ${localTime(new Date(r.correctionsSince), r.timeZone)} (lần gửi báo cáo trước)` : 'từ đầu kỳ tính lũy kế';
  const row = sheetTitle(ws, columns, 'ĐIỀU CHỈNH SỐ LIỆU SAU KHI ĐÃ BÁO CÁO',
    `Báo cáo đơn vị gửi lại cho kỳ đã tổng hợp gửi lãnh đạo, nhận ${since}; kỳ ${periodLabel(r.ytdFrom)} đến ${periodLabel(r.period)}`);
  tableHeader(ws, row, columns, 3);
  if (!r.corrections.length) {
    line(ws, row + 1, 1, columns.length, 'Không có điều chỉnh', { italic: true });
    return;
  }
  const last = tableRows(ws, row + 1, columns, r.corrections.map((c, i) => [
    i + 1, c.unit, safeText(c.name), periodLabel(c.period), localTime(new Date(c.receivedAt), r.timeZone),
    c.old?.newDossiers ?? null, c.new?.newDossiers ?? null, c.old?.receivedOnline ?? null, c.new?.receivedOnline ?? null,
    c.old?.onlineRate ?? null, c.new?.onlineRate ?? null,
  ]));
  ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
}
