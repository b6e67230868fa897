// The monthly leadership workbook, in the manner of a document of the city's office
// (Nghị định 30/2020: Times New Roman, the two-column heading), ready to print: A4
// landscape, fit to width, header rows repeated, frozen panes, filters, real numbers
// with 0.0% formats, colours for đạt / chưa đạt and data bars for rates.
import ExcelJS from 'exceljs';
import { formatDate, localDateOf } from '../period.ts';
import { columnLetter } from '../report-file/file-issue.ts';
import type { SubmissionStatus } from '../status.ts';
import { LEVEL_NAMES, LEVELS, type Level } from '../units/unit.ts';
import { dateRange, safeText } from './format.ts';
import { periodLabel } from '../period.ts';
import type { ExclusionReason, PeriodReport, Totals, UnitRow } from './period-report.ts';

const FONT = 'Times New Roman';
const GREEN = 'FFC6EFCE';
const GREEN_TEXT = 'FF006100';
const RED = 'FFFFC7CE';
const RED_TEXT = 'FF9C0006';
const HEADER_FILL = 'FFDDEBF7';
// Light enough that the figure stays legible over the bar, on screen and in print.
const BAR = 'FFA9CCE8';
const PCT = '0.0%';
const INT = '#,##0';
const PP = '+0.0;-0.0;0.0';

export const LEVEL_SHEETS: Record<Level, string> = { department: 'Sở ban ngành', district: 'Quận huyện', commune: 'Xã phường' };
export const SHEETS = { summary: 'Tổng hợp', missing: 'Chưa báo cáo', overdue: 'Quá hạn', pilot: 'Thí điểm trực tuyến', notes: 'Ghi chú' } as const;

const STATUS_TEXT: Record<SubmissionStatus, string> = {
  on_time: 'Đúng hạn', late: 'Nộp muộn', missing: 'Chưa báo cáo', rejected_only: 'Tệp bị từ chối, chưa có báo cáo hợp lệ',
};
const EXCLUDED_TEXT: Record<ExclusionReason, string> = {
  no_target: 'Không giao chỉ tiêu', no_dossiers: 'Không phát sinh hồ sơ', not_reported: 'Chưa có báo cáo trong kỳ tính',
};

/** "26/06/2022 12:38", Hải Phòng time. */
function localTime(instant: Date): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

export function workbookFileName(period: string): string {
  return `bao-cao-dvc-${period}.xlsx`;
}

interface Column {
  header: string;
  width: number;
  numFmt?: string;
  align?: 'left' | 'center' | 'right';
}

function newSheet(wb: ExcelJS.Workbook, name: string, tabColor?: string): ExcelJS.Worksheet {
  return wb.addWorksheet(name, {
    properties: { defaultRowHeight: 16, tabColor: tabColor ? { argb: tabColor } : undefined },
    pageSetup: {
      paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0,
      margins: { left: 0.5, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      horizontalCentered: true,
    },
    headerFooter: { oddFooter: `&L&"${FONT}"&8${name}&R&"${FONT}"&8Trang &P/&N` },
  });
}

function style(cell: ExcelJS.Cell, opts: { bold?: boolean; italic?: boolean; size?: number; align?: 'left' | 'center' | 'right'; underline?: boolean; wrap?: boolean; color?: string }) {
  cell.font = { name: FONT, size: opts.size ?? 12, bold: opts.bold, italic: opts.italic, underline: opts.underline, color: opts.color ? { argb: opts.color } : undefined };
  cell.alignment = { horizontal: opts.align ?? 'left', vertical: 'middle', wrapText: opts.wrap ?? false };
}

/** A merged line of text across the table's width. */
function line(ws: ExcelJS.Worksheet, row: number, from: number, to: number, text: string, opts: Parameters<typeof style>[1] = {}) {
  if (to > from) ws.mergeCells(row, from, row, to);
  const cell = ws.getCell(row, from);
  cell.value = text;
  style(cell, opts);
}

/** The two-column heading of an administrative document, then the title. Returns the next free row. */
function documentHeading(ws: ExcelJS.Worksheet, width: number, title: string, subtitle: string, asOf: Date): number {
  const split = Math.max(2, Math.floor(width * 0.4));
  const d = localDateOf(asOf, 'Asia/Ho_Chi_Minh');
  line(ws, 1, 1, split, 'ỦY BAN NHÂN DÂN', { bold: true, align: 'center' });
  line(ws, 2, 1, split, 'THÀNH PHỐ HẢI PHÒNG', { bold: true, align: 'center' });
  line(ws, 1, split + 1, width, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, align: 'center' });
  line(ws, 2, split + 1, width, 'Độc lập - Tự do - Hạnh phúc', { bold: true, align: 'center', size: 13, underline: true });
  line(ws, 3, split + 1, width, `Hải Phòng, ngày ${d.day} tháng ${d.month} năm ${d.year}`, { italic: true, align: 'center' });
  line(ws, 5, 1, width, title, { bold: true, size: 14, align: 'center' });
  line(ws, 6, 1, width, subtitle, { italic: true, align: 'center', wrap: true });
  ws.getRow(6).height = 32;
  return 8;
}

/** A sheet's own short title (the full heading is on Tổng hợp). Returns the next free row. */
function sheetTitle(ws: ExcelJS.Worksheet, width: number, title: string, subtitle: string): number {
  line(ws, 1, 1, width, title, { bold: true, size: 14, align: 'center' });
  line(ws, 2, 1, width, subtitle, { italic: true, align: 'center' });
  return 4;
}

/** The header cells of a table. */
function headerCells(ws: ExcelJS.Worksheet, row: number, columns: Column[]) {
  const header = ws.getRow(row);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    style(cell, { bold: true, align: 'center', wrap: true, size: 11 });
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.border = thin();
  });
  return header;
}

/** Header row, column widths and formats; freezes the panes and repeats the header on every printed page. */
function tableHeader(ws: ExcelJS.Worksheet, row: number, columns: Column[], freezeCols = 0) {
  const header = headerCells(ws, row, columns);
  columns.forEach((c, i) => { ws.getColumn(i + 1).width = c.width; });
  header.height = 48;
  ws.views = [{ state: 'frozen', ySplit: row, xSplit: freezeCols, topLeftCell: ws.getCell(row + 1, freezeCols + 1).address, activeCell: 'A1' }];
  ws.pageSetup.printTitlesRow = `${row}:${row}`;
}

const HAIRLINE = { style: 'thin' as const, color: { argb: 'FF999999' } };
const THIN: Partial<ExcelJS.Borders> = { top: HAIRLINE, left: HAIRLINE, bottom: HAIRLINE, right: HAIRLINE };
function thin(): Partial<ExcelJS.Borders> {
  return THIN;
}

// Table cells share these style objects: a national report has ~300,000 cells.
const BODY_FONT: Partial<ExcelJS.Font> = { name: FONT, size: 11 };
const BODY_ALIGN = {
  wrapLeft: { horizontal: 'left', vertical: 'middle', wrapText: true },
  left: { horizontal: 'left', vertical: 'middle', wrapText: false },
  right: { horizontal: 'right', vertical: 'middle', wrapText: false },
  center: { horizontal: 'center', vertical: 'middle', wrapText: false },
} as const satisfies Record<string, Partial<ExcelJS.Alignment>>;

/** Writes data rows under a header; returns the last row written. */
function tableRows(ws: ExcelJS.Worksheet, first: number, columns: Column[], rows: Array<Array<ExcelJS.CellValue>>): number {
  rows.forEach((values, i) => {
    const row = ws.getRow(first + i);
    values.forEach((v, c) => {
      const cell = row.getCell(c + 1);
      cell.value = v;
      const col = columns[c];
      cell.font = BODY_FONT;
      // Label columns wrap; others align as declared, numbers right by default.
      cell.alignment = col.align === 'left' ? BODY_ALIGN.wrapLeft : BODY_ALIGN[col.align ?? (typeof v === 'number' ? 'right' : 'left')];
      if (col.numFmt) cell.numFmt = col.numFmt;
      cell.border = thin();
    });
  });
  return first + rows.length - 1;
}

function dataBar(ws: ExcelJS.Worksheet, ref: string) {
  ws.addConditionalFormatting({
    ref,
    rules: [{
      type: 'dataBar', priority: 1, gradient: false, minLength: 0, maxLength: 100,
      cfvo: [{ type: 'num', value: 0 }, { type: 'num', value: 1 }], color: { argb: BAR },
    } as unknown as ExcelJS.ConditionalFormattingRule],
  });
}

/** Green for "Đạt", red for "Chưa đạt", on the result column. */
function metColours(ws: ExcelJS.Worksheet, ref: string) {
  const topLeft = ref.split(':')[0];
  ws.addConditionalFormatting({
    ref,
    rules: [
      { type: 'expression', priority: 2, formulae: [`${topLeft}="Đạt"`], style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: GREEN } }, font: { color: { argb: GREEN_TEXT }, bold: true } } },
      { type: 'expression', priority: 3, formulae: [`${topLeft}="Chưa đạt"`], style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: RED } }, font: { color: { argb: RED_TEXT }, bold: true } } },
    ],
  });
}

function summarySheet(wb: ExcelJS.Workbook, r: PeriodReport) {
  const ws = newSheet(wb, SHEETS.summary, 'FF1F4E79');
  const width = 5;
  let row = documentHeading(ws, width,
    'BÁO CÁO KẾT QUẢ TIẾP NHẬN HỒ SƠ TRỰC TUYẾN',
    `Kỳ báo cáo tháng ${periodLabel(r.period)} (${dateRange(r.bounds)}) — thực hiện Kế hoạch số 128/KH-UBND ngày 27/5/2022 của UBND thành phố`,
    r.asOf);

  line(ws, row++, 1, width, 'I. SỐ LIỆU CHUNG', { bold: true });
  const columns: Column[] = [
    { header: 'Chỉ tiêu', width: 52, align: 'left' },
    { header: 'Toàn thành phố', width: 17 },
    ...LEVELS.map((l) => ({ header: LEVEL_NAMES[l], width: 17 })),
  ];
  tableHeader(ws, row, columns);
  ws.views = [{ state: 'normal' }];
  const scopes: Totals[] = [r.totals.city, ...LEVELS.map((l) => r.totals.levels[l])];
  const ytdLabel = `từ kỳ ${periodLabel(r.ytdFrom)}`;
  const lines: Array<[string, (t: Totals) => number | null, string]> = [
    ['Hồ sơ mới tiếp nhận trong kỳ', (t) => t.periodRates.newDossiers, INT],
    ['   Trong đó: tiếp nhận trực tuyến', (t) => t.period?.received_online ?? 0, INT],
    ['Tỷ lệ hồ sơ trực tuyến trong kỳ', (t) => t.periodRates.onlineRate, PCT],
    ['Tỷ lệ hồ sơ trực tuyến kỳ trước', (t) => t.previousPeriodRate, PCT],
    ['Thay đổi so với kỳ trước (điểm %)', (t) => (t.periodRates.onlineRate !== null && t.previousPeriodRate !== null ? (t.periodRates.onlineRate - t.previousPeriodRate) * 100 : null), PP],
    [`Tỷ lệ hồ sơ trực tuyến lũy kế (${ytdLabel})`, (t) => t.ytdRates.onlineRate, PCT],
    [`So với mức tối thiểu ${Math.round(r.floor * 100)}% của Kế hoạch (điểm %)`, (t) => (t.ytdRates.onlineRate === null ? null : (t.ytdRates.onlineRate - r.floor) * 100), PP],
    [`Tỷ lệ giải quyết đúng hạn, trước hạn lũy kế`, (t) => t.ytdRates.onTimeRate, PCT],
    [`Tỷ lệ giải quyết quá hạn lũy kế`, (t) => t.ytdRates.overdueRate, PCT],
    ['Hồ sơ đang giải quyết quá hạn (cuối kỳ)', (t) => t.period?.pending_overdue ?? 0, INT],
    ['Số đơn vị', (t) => t.unitsTotal, INT],
    ['Đơn vị đạt chỉ tiêu được giao', (t) => t.unitsMet, INT],
    ['Đơn vị chưa đạt chỉ tiêu được giao', (t) => t.unitsNotMet, INT],
    ['Đơn vị chưa báo cáo kỳ này', (t) => t.unitsNotReported, INT],
  ];
  const first = row + 1;
  lines.forEach(([label, f, fmt], i) => {
    const values = [label, ...scopes.map(f)];
    tableRows(ws, first + i, columns.map((c, j) => (j === 0 ? c : { ...c, numFmt: fmt })), [values]);
  });
  row = first + lines.length;
  const services = r.onlineServices.city;
  tableRows(ws, row, columns.map((c, j) => (j === 1 ? { ...c, numFmt: PCT } : c)),
    [[`Dịch vụ trực tuyến có phát sinh hồ sơ trực tuyến (mục tiêu 80%; ${services.used}/${services.offered} dịch vụ)`, services.share, null, null, null]]);
  row += 2;

  line(ws, row++, 1, width, `II. XU HƯỚNG TỶ LỆ HỒ SƠ TRỰC TUYẾN THEO KỲ (mức tối thiểu ${Math.round(r.floor * 100)}%)`, { bold: true });
  const trendCols: Column[] = [{ header: 'Kỳ báo cáo', width: 52, align: 'center' }, ...columns.slice(1).map((c) => ({ ...c, numFmt: PCT }))];
  tableHeader(ws, row, trendCols);
  ws.views = [{ state: 'normal' }];
  const trendFirst = row + 1;
  const last = tableRows(ws, trendFirst, trendCols, r.trend.map((t) => [`Tháng ${periodLabel(t.period)}`, t.city, ...LEVELS.map((l) => t.levels[l])]));
  if (r.trend.length) dataBar(ws, `B${trendFirst}:E${last}`);
  ws.pageSetup.printTitlesRow = undefined as unknown as string;
}

function levelSheet(wb: ExcelJS.Workbook, r: PeriodReport, level: Level, parents: Map<string, string>) {
  const ws = newSheet(wb, LEVEL_SHEETS[level]);
  const isCommune = level === 'commune';
  const columns: Column[] = [
    { header: 'Hạng', width: 7, align: 'center' },
    { header: 'Thay đổi hạng so với kỳ trước', width: 10, align: 'center', numFmt: '+0;-0;0' },
    { header: 'Mã', width: 7, align: 'center' },
    { header: 'Đơn vị', width: 36, align: 'left' },
    ...(isCommune ? [{ header: 'Quận, huyện', width: 18, align: 'left' as const }] : []),
    { header: 'Hồ sơ mới trong kỳ', width: 11, numFmt: INT },
    { header: 'Trực tuyến trong kỳ', width: 11, numFmt: INT },
    { header: 'Tỷ lệ trực tuyến trong kỳ', width: 11, numFmt: PCT },
    { header: `Tỷ lệ trực tuyến lũy kế từ ${periodLabel(r.ytdFrom)}`, width: 12, numFmt: PCT },
    { header: 'Chỉ tiêu được giao', width: 10, numFmt: PCT },
    { header: 'Chênh lệch (điểm %)', width: 11, numFmt: PP },
    { header: 'Kết quả', width: 14, align: 'center' },
    { header: 'Tỷ lệ quá hạn lũy kế', width: 10, numFmt: PCT },
    { header: 'Tình trạng báo cáo kỳ này', width: 16, align: 'center' },
  ];
  let row = sheetTitle(ws, columns.length,
    `XẾP HẠNG ${LEVEL_NAMES[level].toUpperCase()} THEO CHỈ TIÊU HỒ SƠ TRỰC TUYẾN`,
    `Kỳ tháng ${periodLabel(r.period)} (${dateRange(r.bounds)}); xếp theo chênh lệch tỷ lệ lũy kế so với chỉ tiêu`);
  tableHeader(ws, row, columns, 4);
  const rowsByCode = new Map(r.rows.map((x) => [x.unit.code, x]));
  const values = (x: UnitRow, rankValue: number | null, change: number | null, result: string) => [
    rankValue, change, x.unit.code, safeText(x.unit.name),
    ...(isCommune ? [safeText(parents.get(x.unit.parentCode ?? '') ?? '')] : []),
    x.period ? x.periodRates.newDossiers : null, x.period?.received_online ?? null, x.periodRates.onlineRate,
    x.ytdRates.onlineRate, x.targetPct === null ? null : x.targetPct / 100, x.gapPp, result,
    x.ytdRates.overdueRate, STATUS_TEXT[x.status],
  ];
  const ranked = r.ranking.levels[level].map((e) => values(rowsByCode.get(e.unit)!, e.rank, e.rank_change, e.gap_pp >= 0 ? 'Đạt' : 'Chưa đạt'));
  const apart = r.rows.filter((x) => x.unit.level === level && x.excluded).map((x) => values(x, null, null, EXCLUDED_TEXT[x.excluded!]));
  const first = row + 1;
  const last = tableRows(ws, first, columns, [...ranked, ...apart]);
  if (last >= first) {
    const c = (header: string) => columnLetter(columns.findIndex((x) => x.header.startsWith(header)) + 1);
    dataBar(ws, `${c('Tỷ lệ trực tuyến trong kỳ')}${first}:${c('Tỷ lệ trực tuyến lũy kế')}${last}`);
    metColours(ws, `${c('Kết quả')}${first}:${c('Kết quả')}${last}`);
    ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
  }
  if (apart.length) {
    line(ws, last + 2, 1, columns.length, `Không xếp hạng: ${apart.length} đơn vị (không giao chỉ tiêu, không phát sinh hồ sơ hoặc chưa có báo cáo).`, { italic: true, size: 11 });
  }
}

function missingSheet(wb: ExcelJS.Workbook, r: PeriodReport) {
  const ws = newSheet(wb, SHEETS.missing, 'FFC00000');
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' },
    { header: 'Đơn vị', width: 40, align: 'left' }, { header: 'Cấp', width: 20, align: 'left' },
    { header: 'Tình trạng', width: 34, align: 'left' }, { header: 'Thời điểm nhận báo cáo hợp lệ', width: 22, align: 'center' },
  ];
  const row = sheetTitle(ws, columns.length, 'ĐƠN VỊ CHƯA BÁO CÁO, BÁO CÁO MUỘN',
    `Kỳ tháng ${periodLabel(r.period)}; hạn nộp báo cáo: trước ngày ${formatDate(r.dueDate)}`);
  tableHeader(ws, row, columns, 3);
  const order: SubmissionStatus[] = ['missing', 'rejected_only', 'late'];
  const list = r.rows.filter((x) => x.status !== 'on_time')
    .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status) || LEVELS.indexOf(a.unit.level) - LEVELS.indexOf(b.unit.level) || a.unit.code.localeCompare(b.unit.code));
  const last = tableRows(ws, row + 1, columns, list.map((x, i) => [
    i + 1, x.unit.code, safeText(x.unit.name), LEVEL_NAMES[x.unit.level], STATUS_TEXT[x.status],
    x.receivedAt ? localTime(new Date(x.receivedAt)) : '',
  ]));
  if (list.length) ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
  else line(ws, row + 1, 1, columns.length, 'Tất cả đơn vị đã báo cáo đúng hạn.', { italic: true });
}

function overdueSheet(wb: ExcelJS.Workbook, r: PeriodReport) {
  const ws = newSheet(wb, SHEETS.overdue);
  const columns: Column[] = [
    { header: 'Hạng', width: 7, align: 'center' }, { header: 'Thay đổi hạng', width: 9, align: 'center', numFmt: '+0;-0;0' },
    { header: 'Mã', width: 7, align: 'center' }, { header: 'Đơn vị', width: 38, align: 'left' }, { header: 'Cấp', width: 18, align: 'left' },
    { header: 'Đã giải quyết lũy kế', width: 12, numFmt: INT }, { header: 'Giải quyết quá hạn lũy kế', width: 12, numFmt: INT },
    { header: 'Tỷ lệ quá hạn lũy kế', width: 11, numFmt: PCT }, { header: 'Đang giải quyết quá hạn (cuối kỳ)', width: 13, numFmt: INT },
  ];
  const row = sheetTitle(ws, columns.length, 'XẾP HẠNG TỶ LỆ HỒ SƠ GIẢI QUYẾT QUÁ HẠN',
    `Toàn thành phố, lũy kế từ kỳ ${periodLabel(r.ytdFrom)} đến kỳ ${periodLabel(r.period)}; tỷ lệ thấp xếp trước`);
  tableHeader(ws, row, columns, 4);
  const last = tableRows(ws, row + 1, columns, r.overdue.city.map((e) => [
    e.rank, e.rank_change, e.unit, safeText(e.name), LEVEL_NAMES[e.level], e.ytd_resolved, e.ytd_resolved_overdue, e.ytd_overdue_rate, e.pending_overdue,
  ]));
  if (last > row) {
    dataBar(ws, `H${row + 1}:H${last}`);
    ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
  }
}

function pilotSheet(wb: ExcelJS.Workbook, r: PeriodReport) {
  const ws = newSheet(wb, SHEETS.pilot);
  const columns: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' }, { header: 'Đơn vị', width: 34, align: 'left' },
    { header: 'Thủ tục hành chính (thí điểm chỉ tiếp nhận trực tuyến)', width: 70, align: 'left' },
    { header: 'Hồ sơ trực tiếp', width: 11, numFmt: INT }, { header: 'Hồ sơ bưu chính', width: 11, numFmt: INT },
  ];
  let row = sheetTitle(ws, columns.length, 'THỦ TỤC THÍ ĐIỂM CHỈ TIẾP NHẬN TRỰC TUYẾN CÓ HỒ SƠ KHÔNG TRỰC TUYẾN',
    `Kỳ tháng ${periodLabel(r.period)}; danh mục theo Phụ lục 3 Kế hoạch 128/KH-UBND; theo sheet "Chi tiết TTHC" của báo cáo đơn vị`);
  tableHeader(ws, row, columns, 3);
  let last = tableRows(ws, row + 1, columns, r.pilotBreaches.map((b, i) => [
    i + 1, b.unit, safeText(b.name), safeText(b.procedure), b.received_direct, b.received_postal,
  ]));
  if (!r.pilotBreaches.length) {
    line(ws, row + 1, 1, columns.length, 'Không có hồ sơ trực tiếp, bưu chính đối với thủ tục thí điểm trong các báo cáo đã nhận.', { italic: true });
    last = row + 1;
  } else ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };

  row = last + 2;
  line(ws, row++, 1, columns.length, `Dịch vụ trực tuyến (toàn trình, một phần) có phát sinh hồ sơ trực tuyến — mục tiêu 80%`, { bold: true });
  const svcCols: Column[] = [
    { header: 'STT', width: 6, align: 'center' }, { header: 'Mã', width: 8, align: 'center' }, { header: 'Đơn vị', width: 34, align: 'left' },
    { header: 'Số dịch vụ trực tuyến đơn vị báo cáo', width: 70, numFmt: INT }, { header: 'Có hồ sơ trực tuyến', width: 11, numFmt: INT }, { header: 'Tỷ lệ', width: 11, numFmt: PCT },
  ];
  headerCells(ws, row, svcCols);
  tableRows(ws, row + 1, svcCols, r.onlineServices.units.map((u, i) => [i + 1, u.unit, safeText(u.name), u.offered, u.used, u.share]));
}

function notesSheet(wb: ExcelJS.Workbook, r: PeriodReport) {
  const ws = newSheet(wb, SHEETS.notes);
  ws.getColumn(1).width = 34;
  ws.getColumn(2).width = 110;
  line(ws, 1, 1, 2, 'GHI CHÚ VỀ SỐ LIỆU', { bold: true, size: 14, align: 'center' });
  const notes: Array<[string, string]> = [
    ['Kỳ báo cáo', `Tháng ${periodLabel(r.period)}: ${dateRange(r.bounds)} (Kế hoạch 128/KH-UBND, mục III.1.e)`],
    ['Số liệu tính đến', `${localTime(r.asOf)} (giờ Việt Nam)`],
    ['Số báo cáo hợp lệ của kỳ', `${r.sourceFiles} báo cáo / ${r.rows.length} đơn vị`],
    ['Kỳ tính lũy kế', `Từ kỳ ${periodLabel(r.ytdFrom)} đến kỳ ${periodLabel(r.period)}; tỷ lệ lũy kế tính trên tổng số hồ sơ cộng dồn, không lấy trung bình tỷ lệ các tháng`],
    ['Tỷ lệ hồ sơ trực tuyến', 'Hồ sơ tiếp nhận trực tuyến / (trực tuyến + trực tiếp + bưu chính công ích) của hồ sơ mới trong kỳ; không tính hồ sơ kỳ trước chuyển qua'],
    ['Tỷ lệ quá hạn', 'Hồ sơ giải quyết quá hạn / tổng số hồ sơ đã giải quyết; tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã giải quyết'],
    ['Chênh lệch', 'Tỷ lệ trực tuyến lũy kế − chỉ tiêu được giao (Phụ lục 2), tính bằng điểm phần trăm; "Đạt" khi chênh lệch ≥ 0'],
    ['Xếp hạng', 'Theo chênh lệch giảm dần; bằng nhau thì theo tỷ lệ lũy kế, rồi số hồ sơ mới (nhiều hơn xếp trước), rồi mã đơn vị. Đơn vị bằng nhau cả chênh lệch, tỷ lệ và số hồ sơ thì đồng hạng'],
    ['Không xếp hạng', 'Đơn vị không được giao chỉ tiêu (Thanh tra Thành phố, Văn phòng UBND thành phố, Huyện Bạch Long Vĩ theo Phụ lục 2), không phát sinh hồ sơ mới, hoặc chưa có báo cáo hợp lệ trong kỳ tính lũy kế'],
    ['Tình trạng báo cáo', `Đúng hạn: có báo cáo hợp lệ trước 00:00 ngày ${formatDate(r.dueDate)}; Nộp muộn: từ ngày đó trở đi (vẫn được tính); Chưa báo cáo: chưa có báo cáo hợp lệ`],
    ['Thí điểm chỉ tiếp nhận trực tuyến', 'Thủ tục thuộc Phụ lục 3 có hồ sơ trực tiếp hoặc qua bưu chính trong kỳ; so khớp theo tên thủ tục'],
    ['Nguồn chỉ tiêu', 'Phụ lục 2 Kế hoạch 128/KH-UBND ngày 27/5/2022 (chỉ tiêu 8 tháng cuối năm 2022)'],
  ];
  notes.forEach(([k, v], i) => {
    const a = ws.getCell(3 + i, 1);
    const b = ws.getCell(3 + i, 2);
    a.value = k;
    b.value = v;
    style(a, { bold: true, size: 11, wrap: true });
    style(b, { size: 11, wrap: true });
    a.border = thin();
    b.border = thin();
  });
}

export async function buildWorkbook(r: PeriodReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'UBND thành phố Hải Phòng — hệ thống tổng hợp báo cáo DVC';
  wb.created = r.asOf;
  wb.title = `Báo cáo tỷ lệ hồ sơ trực tuyến kỳ ${periodLabel(r.period)}`;
  const parents = new Map(r.rows.filter((x) => x.unit.level === 'district').map((x) => [x.unit.code, x.unit.name]));
  summarySheet(wb, r);
  for (const level of LEVELS) levelSheet(wb, r, level, parents);
  missingSheet(wb, r);
  overdueSheet(wb, r);
  pilotSheet(wb, r);
  notesSheet(wb, r);
  // Fastest deflate: a national workbook is ~300,000 cells; the file grows a little, the wait shrinks a lot.
  return Buffer.from(await wb.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: 1 } } } as ExcelJS.XlsxWriteOptions));
}
