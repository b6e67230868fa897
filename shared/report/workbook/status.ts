// Chưa báo cáo: units that have not reported, whose files were all refused, or that reported late.
import type ExcelJS from 'exceljs';
import { formatDate, periodLabel } from '../../period.ts';
import type { SubmissionStatus } from '../../status.ts';
import { LEVELS } from '../../units/unit.ts';
import { safeText } from '../format.ts';
import type { LeadershipReport } from '../period-report.ts';
import { levelNames, line, localTime, newSheet, SHEETS, sheetTitle, STATUS_TEXT, tableHeader, tableRows, type Column } from './layout.ts';

export function missingSheet(wb: ExcelJS.Workbook, r: LeadershipReport) {
  const ws = newSheet(wb, SHEETS.missing, 'FFC00000');
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' },
    { header: 'Đơn vị', width: 40, align: 'left' }, { header: 'Cấp', width: 20, align: 'left' },
    { header: 'Tình trạng', width: 34, align: 'left' }, { header: 'Thời điểm nhận báo cáo hợp lệ', width: 22, align: 'center' },
  ];
  const row = sheetTitle(ws, columns, 'ĐƠN VỊ CHƯA BÁO CÁO, BÁO CÁO MUỘN',
    `Kỳ tháng ${periodLabel(r.period)}; hạn nộp báo cáo: trước ngày ${formatDate(r.dueDate)}${r.beforeDue ? ` (chưa đến hạn: đơn vị chưa gửi báo cáo tính đến ${localTime(r.asOf, r.timeZone)})` : ''}`);
  tableHeader(ws, row, columns, 3);
  const order: SubmissionStatus[] = ['missing', 'rejected_only', 'late'];
  const names = levelNames(r.levels);
  const list = r.rows.filter((x) => x.status !== 'on_time')
    .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status) || LEVELS.indexOf(a.unit.level) - LEVELS.indexOf(b.unit.level) || a.unit.code.localeCompare(b.unit.code));
  const last = tableRows(ws, row + 1, columns, list.map((x, i) => [
    i + 1, x.unit.code, safeText(x.unit.name), names[x.unit.level], STATUS_TEXT[x.status],
    x.receivedAt ? localTime(new Date(x.receivedAt), r.timeZone) : '',
  ]));
  if (list.length) ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
  else line(ws, row + 1, 1, columns.length, 'Tất cả đơn vị đã báo cáo đúng hạn.', { italic: true });
}
