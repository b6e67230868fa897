// The sheets only a quarter's or a year's workbook has: each unit's online rate period by
// period, its submission record, and for the year the evaluation against the target
// window (đạt / không đạt), the list the civil-service evaluation (Sở Nội vụ) uses.
import type ExcelJS from 'exceljs';
import { columnLetter } from '../../report-file/file-issue.ts';
import { periodLabel, periodSpan } from '../../period.ts';
import type { SubmissionStatus } from '../../status.ts';
import { LEVELS } from '../../units/unit.ts';
import { int, safeText } from '../format.ts';
import { EVALUATION_TEXT, rangeDescription, rangeRowName, rowLevelNamer, type RangeReport, type RangeUnitRow } from '../range-report.ts';
import { dataBar, INT, judgedCells, line, metColours, newSheet, PCT, PP, SHEETS, sheetTitle, tableHeader, tableRows, type Column } from './layout.ts';

const SHORT_STATUS: Record<SubmissionStatus, string> = { on_time: 'Đúng hạn', late: 'Muộn', missing: 'Chưa BC', rejected_only: 'Bị từ chối' };

const nameOf = (x: RangeUnitRow) => safeText(rangeRowName(x));
const windowText = ([from, to]: readonly [string, string]) => `${periodLabel(from)} – ${periodLabel(to)}`;

const byLevelThenCode = (a: RangeUnitRow, b: RangeUnitRow) =>
  LEVELS.indexOf(a.unit.level) - LEVELS.indexOf(b.unit.level) || a.unit.code.localeCompare(b.unit.code);

/** Tỷ lệ theo kỳ: one column per period of the range, then the year-to-date rate and the target. */
export function rangeRatesSheet(wb: ExcelJS.Workbook, rr: RangeReport) {
  const ws = newSheet(wb, SHEETS.rangeRates);
  const levelOf = rowLevelNamer(rr);
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' },
    { header: 'Đơn vị', width: 34, align: 'left' }, { header: 'Cấp', width: 18, align: 'left' },
    ...rr.range.periods.map((p) => ({ header: `Tháng ${periodLabel(p)}`, width: 9, numFmt: PCT })),
    { header: `Cả ${rr.range.kind === 'year' ? 'năm' : 'quý'}`, width: 9, numFmt: PCT },
    { header: rr.judged === rr.last ? `Lũy kế từ ${periodLabel(rr.judged.ytdFrom)}` : `Lũy kế ${periodSpan(rr.judged.ytdFrom, rr.judged.period)}`, width: 10, numFmt: PCT },
    { header: 'Chỉ tiêu được giao', width: 9, numFmt: PCT },
  ];
  const row = sheetTitle(ws, columns, 'TỶ LỆ HỒ SƠ TRỰC TUYẾN THEO KỲ CỦA TỪNG ĐƠN VỊ',
    `${rangeDescription(rr)}; tỷ lệ trong từng kỳ, cả ${rr.range.kind === 'year' ? 'năm' : 'quý'}, lũy kế đến kỳ ${periodLabel(rr.judged.period)}; toàn thành phố ở dòng cuối`);
  tableHeader(ws, row, columns, 3);
  const rows = [...rr.rows].sort(byLevelThenCode).map((x, i) => [
    // A unit that left was judged over other months than the column's: its figures are on "Đánh giá năm".
    i + 1, x.unit.code, nameOf(x), levelOf(x), ...x.rates, x.rangeRate, x.until ? null : x.ytdRate, x.until || x.targetPct === null ? null : x.targetPct / 100,
  ]);
  rows.push([null, null, 'Toàn thành phố', null, ...rr.cityRates, rr.totals.city.rates.onlineRate, rr.judged.totals.city.ytdRates.onlineRate, null]);
  const last = tableRows(ws, row + 1, columns, rows);
  // The city's row in bold: a style of its own, the column's is shared.
  for (let c = 1; c <= columns.length; c++) {
    const cell = ws.getCell(last, c);
    cell.style = { ...cell.style, font: { name: 'Times New Roman', size: 11, bold: true } };
  }
  dataBar(ws, `E${row + 1}:${columnLetter(columns.length - 1)}${last}`);
  ws.autoFilter = { from: { row, column: 1 }, to: { row: last - 1, column: columns.length } };
}

/** Tình hình nộp báo cáo: on time / late / missing per period, and the counts. */
export function rangeSubmissionsSheet(wb: ExcelJS.Workbook, rr: RangeReport) {
  const ws = newSheet(wb, SHEETS.rangeSubmissions);
  const levelOf = rowLevelNamer(rr);
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' },
    { header: 'Đơn vị', width: 34, align: 'left' }, { header: 'Cấp', width: 18, align: 'left' },
    ...rr.range.periods.map((p) => ({ header: `Tháng ${periodLabel(p)}`, width: 9, align: 'center' as const })),
    { header: 'Số kỳ đúng hạn', width: 8, numFmt: INT }, { header: 'Số kỳ nộp muộn', width: 8, numFmt: INT },
    { header: 'Số kỳ chưa báo cáo', width: 9, numFmt: INT },
  ];
  const row = sheetTitle(ws, columns, 'TÌNH HÌNH NỘP BÁO CÁO THEO KỲ',
    `${rangeDescription(rr)}; "—": kỳ chưa thu báo cáo hoặc chưa đến hạn, đơn vị chưa thành lập hoặc đã thôi hoạt động`);
  tableHeader(ws, row, columns, 3);
  // The units with most periods missing or late first: those are the ones to call.
  const sorted = [...rr.rows].sort((a, b) => b.missing - a.missing || b.late - a.late || byLevelThenCode(a, b));
  const last = tableRows(ws, row + 1, columns, sorted.map((x, i) => [
    i + 1, x.unit.code, nameOf(x), levelOf(x), ...x.statuses.map((s) => (s ? SHORT_STATUS[s] : '—')), x.onTime, x.late, x.missing,
  ]));
  ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
}

/** Đánh giá năm: each unit with a target against it over the target window; the list to hand on. */
export function yearEvaluationSheet(wb: ExcelJS.Workbook, rr: RangeReport) {
  const ev = rr.evaluation;
  if (!ev) return;
  const ws = newSheet(wb, SHEETS.yearEvaluation, 'FF1F4E79');
  const left = rr.rows.filter((x) => x.until && x.evaluation !== 'no_target').length;
  const levelOf = rowLevelNamer(rr);
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' },
    { header: 'Đơn vị', width: 38, align: 'left' }, { header: 'Cấp', width: 18, align: 'left' },
    { header: 'Kỳ đánh giá', width: 17, align: 'center' },
    { header: 'Tỷ lệ trực tuyến cộng dồn các kỳ đánh giá', width: 14, numFmt: PCT },
    { header: 'Chỉ tiêu được giao', width: 11, numFmt: PCT }, { header: 'Chênh lệch (điểm %)', width: 11, numFmt: PP },
    { header: 'Kết quả', width: 18, align: 'center' },
  ];
  const row = sheetTitle(ws, columns, `ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN CHỈ TIÊU HỒ SƠ TRỰC TUYẾN ${rr.range.label.toUpperCase()}`,
    // One line: the months each unit is judged on are in its row ("Kỳ đánh giá"), and under the table for units that left.
    `Theo chỉ tiêu được giao, tỷ lệ cộng dồn kỳ ${windowText(ev.window)}${left ? ' (đơn vị thôi hoạt động: xem cột Kỳ đánh giá)' : ''}: `
    + `đạt ${int(ev.met)}, không đạt ${int(ev.notMet)}, không phát sinh hồ sơ ${int(ev.noDossiers)}, không giao chỉ tiêu ${int(ev.noTarget)}`);
  tableHeader(ws, row, columns, 3);
  const order = { met: 0, not_met: 1, no_dossiers: 2, no_target: 3 } as const;
  const sorted = [...rr.rows].sort((a, b) => LEVELS.indexOf(a.unit.level) - LEVELS.indexOf(b.unit.level)
    || order[a.evaluation] - order[b.evaluation] || (b.gapPp ?? -Infinity) - (a.gapPp ?? -Infinity) || a.unit.code.localeCompare(b.unit.code));
  const first = row + 1;
  const last = tableRows(ws, first, columns, sorted.map((x, i) => [
    i + 1, x.unit.code, nameOf(x), levelOf(x), x.evaluation === 'no_target' ? null : windowText(x.judgedOver), ...judgedCells(x.ytdRate, x.targetPct === null ? null : x.targetPct / 100, x.gapPp),
    EVALUATION_TEXT[x.evaluation],
  ]));
  if (last < first) {
    line(ws, first, 1, columns.length, 'Không có đơn vị.', { italic: true });
    return;
  }
  if (left) {
    line(ws, last + 2, 1, columns.length, 'Đơn vị thôi hoạt động trong năm (ghi "đến kỳ …") được đánh giá theo chỉ tiêu được giao của mình, trên số liệu cộng dồn đến kỳ cuối cùng còn hoạt động.', { italic: true, size: 11 });
  }
  // The same colours as the month's "Đạt" / "Chưa đạt"; the year says "Không đạt".
  metColours(ws, `I${first}:I${last}`);
  ws.addConditionalFormatting({
    ref: `I${first}:I${last}`,
    rules: [{ type: 'expression', priority: 4, formulae: [`I${first}="${EVALUATION_TEXT.not_met}"`], style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFC7CE' } }, font: { color: { argb: 'FF9C0006' }, bold: true } } }],
  });
  ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
}
