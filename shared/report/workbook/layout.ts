// What every sheet of the leadership workbook shares: fonts and colours, the page set-up
// (A4 landscape, fit to width), the document heading, table headers and rows, data bars.
import ExcelJS from 'exceljs';
import { localDateOf } from '../../period.ts';
import { decimalsBeside } from '../format.ts';
import type { SubmissionStatus } from '../../status.ts';
import { LEVEL_NAMES, type Level, type LevelInfo } from '../../units/unit.ts';
import type { ExclusionReason } from '../period-report.ts';

export const FONT = 'Times New Roman';
export const GREEN = 'FFC6EFCE';
export const GREEN_TEXT = 'FF006100';
export const RED = 'FFFFC7CE';
export const RED_TEXT = 'FF9C0006';
export const HEADER_FILL = 'FFDDEBF7';
// Light enough that the figure stays legible over the bar, on screen and in print.
export const BAR = 'FFA9CCE8';
export const PCT = '0.0%';
export const INT = '#,##0';
export const PP = '+0.0;-0.0;0.0';

/** A number cell with a format of its own: more decimals where the column's would contradict the verdict beside it. */
export class Shown {
  constructor(readonly value: number, readonly numFmt: string) {}
}

/** A rate, its target (or the floor) and the gap in points, as cells that show what the verdict says (decimalsBeside). */
export function judgedCells(rate: number | null, reference: number | null, gapPp: number | null): [number | null | Shown, number | null | Shown, number | null | Shown] {
  if (rate === null || reference === null || gapPp === null) return [rate, reference, gapPp];
  const d = decimalsBeside(rate * 100, reference * 100, gapPp);
  if (d === 1) return [rate, reference, gapPp];
  const z = '0'.repeat(d);
  return [new Shown(rate, `0.${z}%`), new Shown(reference, `0.${z}%`), new Shown(gapPp, `+0.${z};-0.${z};0.${z}`)];
}

export const LEVEL_SHEETS: Record<Level, string> = { department: 'Sở ban ngành', district: 'Quận huyện', commune: 'Xã phường' };
/** A level's sheet: the plan's own name for the plan's levels, else the level's name as the data gives it ("Xã, phường, đặc khu"). */
export function levelSheetName(info: LevelInfo): string {
  return info.name === LEVEL_NAMES[info.level] ? LEVEL_SHEETS[info.level] : info.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

/** Each level's name in the report's period. */
export function levelNames(levels: readonly LevelInfo[]): Record<Level, string> {
  return { ...LEVEL_NAMES, ...Object.fromEntries(levels.map((l) => [l.level, l.name])) };
}

export const SHEETS = {
  summary: 'Tổng hợp', missing: 'Chưa báo cáo', overdue: 'Quá hạn', pilot: 'Thí điểm trực tuyến',
  services: 'Dịch vụ trực tuyến', corrections: 'Điều chỉnh số liệu', quality: 'Kiểm tra số liệu', notes: 'Ghi chú',
  // Quarterly and annual reports only.
  rangeRates: 'Tỷ lệ theo kỳ', rangeSubmissions: 'Tình hình nộp báo cáo', yearEvaluation: 'Đánh giá năm',
} as const;

export const STATUS_TEXT: Record<SubmissionStatus, string> = {
  on_time: 'Đúng hạn', late: 'Nộp muộn', missing: 'Chưa báo cáo', rejected_only: 'Tệp bị từ chối, chưa có báo cáo hợp lệ',
};
export const EXCLUDED_TEXT: Record<ExclusionReason, string> = {
  // A unit with a target and no year-to-date figures is counted chưa đạt (Totals.unitsNotMet): its cell says so.
  no_target: 'Không giao chỉ tiêu', no_dossiers: 'Chưa đạt (không phát sinh hồ sơ)', not_reported: 'Chưa đạt (chưa có số liệu lũy kế)',
};

/** "26/06/2022 12:38", local time in the plan's time zone. */
export function localTime(instant: Date, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

export interface Column {
  header: string;
  width: number;
  numFmt?: string;
  align?: 'left' | 'center' | 'right';
  /** A centred text column whose longer texts wrap (its row grows), as a left-aligned one's do. */
  wrap?: boolean;
}

export function newSheet(wb: ExcelJS.Workbook, name: string, tabColor?: string): ExcelJS.Worksheet {
  return wb.addWorksheet(name, {
    // 15 is the default height, written without customHeight: rows with wrapped text grow to fit.
    properties: { defaultRowHeight: 15, tabColor: tabColor ? { argb: tabColor } : undefined },
    pageSetup: {
      paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0,
      margins: { left: 0.5, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      horizontalCentered: true,
    },
    headerFooter: { oddFooter: `&L&"${FONT}"&8${name}&R&"${FONT}"&8Trang &P/&N` },
  });
}

export function style(cell: ExcelJS.Cell, opts: { bold?: boolean; italic?: boolean; size?: number; align?: 'left' | 'center' | 'right'; underline?: boolean; wrap?: boolean; color?: string }) {
  cell.font = { name: FONT, size: opts.size ?? 12, bold: opts.bold, italic: opts.italic, underline: opts.underline, color: opts.color ? { argb: opts.color } : undefined };
  cell.alignment = { horizontal: opts.align ?? 'left', vertical: 'middle', wrapText: opts.wrap ?? false };
}

/** A merged line of text across the table's width. */
export function line(ws: ExcelJS.Worksheet, row: number, from: number, to: number, text: string, opts: Parameters<typeof style>[1] = {}) {
  if (to > from) ws.mergeCells(row, from, row, to);
  const cell = ws.getCell(row, from);
  cell.value = text;
  style(cell, opts);
}

/** Column width the national motto takes in bold ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), with a margin. */
const MOTTO_WIDTH = 44;

/**
 * The two-column heading of an administrative document, then the title, over columns of these
 * widths. Returns the next free row. The right block keeps the motto's width: with two levels the
 * summary has four columns, and two of them cut the motto off at both ends.
 */
export function documentHeading(ws: ExcelJS.Worksheet, widths: readonly number[], title: string, subtitle: string, asOf: Date, timeZone: string): number {
  const width = widths.length;
  // The left block about 40% of the columns, fewer if the motto needs them.
  let split = Math.max(1, Math.floor(width * 0.4));
  while (split > 1 && widths.slice(split).reduce((a, b) => a + b, 0) < MOTTO_WIDTH) split--;
  const d = localDateOf(asOf, timeZone);
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
export function sheetTitle(ws: ExcelJS.Worksheet, columns: readonly Column[], title: string, subtitle: string): number {
  line(ws, 1, 1, columns.length, title, { bold: true, size: 14, align: 'center' });
  // A subtitle wider than the table wraps (a narrow sheet's, "Đánh giá năm", ran off the page on both sides).
  line(ws, 2, 1, columns.length, subtitle, { italic: true, align: 'center', wrap: true });
  // About one character of the italic title font per unit of column width: rather a line too many than one cut.
  const lines = Math.ceil(subtitle.length / Math.max(1, columns.reduce((n, c) => n + c.width, 0)));
  if (lines > 1) ws.getRow(2).height = lines * 15 + 2;
  return 4;
}

/** The header cells of a table. */
export function headerCells(ws: ExcelJS.Worksheet, row: number, columns: Column[]) {
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

/**
 * A header row tall enough for its longest wrapped label (11 pt bold: ~1.15 characters per
 * unit of column width, 15 pt a line). Set, not left to the application: Excel keeps a
 * row's stored height when it opens a file.
 */
export function headerHeight(columns: Column[]): number {
  const lines = Math.max(1, ...columns.map((c) => Math.ceil((c.header.length * 1.15) / Math.max(1, c.width - 1))));
  return Math.max(30, lines * 15 + 6);
}

/** Header row, column widths and formats; freezes the panes and repeats the header on every printed page. */
export function tableHeader(ws: ExcelJS.Worksheet, row: number, columns: Column[], freezeCols = 0) {
  const header = headerCells(ws, row, columns);
  columns.forEach((c, i) => { ws.getColumn(i + 1).width = c.width; });
  header.height = headerHeight(columns);
  ws.views = [{ state: 'frozen', ySplit: row, xSplit: freezeCols, topLeftCell: ws.getCell(row + 1, freezeCols + 1).address, activeCell: 'A1' }];
  ws.pageSetup.printTitlesRow = `${row}:${row}`;
}

const HAIRLINE = { style: 'thin' as const, color: { argb: 'FF999999' } };
const THIN: Partial<ExcelJS.Borders> = { top: HAIRLINE, left: HAIRLINE, bottom: HAIRLINE, right: HAIRLINE };
export function thin(): Partial<ExcelJS.Borders> {
  return THIN;
}

// Table cells share these style objects: a national report has ~300,000 cells.
const BODY_FONT: Partial<ExcelJS.Font> = { name: FONT, size: 11 };
const BODY_ALIGN = {
  wrapLeft: { horizontal: 'left', vertical: 'middle', wrapText: true },
  left: { horizontal: 'left', vertical: 'middle', wrapText: false },
  right: { horizontal: 'right', vertical: 'middle', wrapText: false },
  center: { horizontal: 'center', vertical: 'middle', wrapText: false },
  wrapCenter: { horizontal: 'center', vertical: 'middle', wrapText: true },
} as const satisfies Record<string, Partial<ExcelJS.Alignment>>;

/**
 * Lines a wrapped text takes in a column (11 pt Times New Roman: ~1.3 characters per unit
 * of column width). LibreOffice and Excel keep a row's stored height when they open a file
 * (neither grows a row to fit on opening), so a row whose label wraps gets its height here.
 */
export function wrappedLines(text: string, width: number): number {
  return Math.max(1, Math.ceil(text.length / Math.max(1, (width - 1) * 1.3)));
}

/**
 * The styles of a table column's body cells, one object per kind of value: every cell of
 * the column shares it, so the writer turns it into XML once, not once per cell (a national
 * report has ~300,000 cells). Never mutate one: give a cell a style of its own instead.
 */
function bodyStyles(col: Column): { number: Partial<ExcelJS.Style>; other: Partial<ExcelJS.Style> } {
  // Label columns wrap; others align as declared, numbers right by default.
  const make = (fallback: 'left' | 'right') => ({
    font: BODY_FONT, border: THIN, ...(col.numFmt ? { numFmt: col.numFmt } : {}),
    alignment: col.align === 'left' ? BODY_ALIGN.wrapLeft : col.wrap && col.align === 'center' ? BODY_ALIGN.wrapCenter : BODY_ALIGN[col.align ?? fallback],
  });
  return { number: make('right'), other: make('left') };
}

/**
 * The style of a table row (none of its own: its cells carry theirs), one object for all:
 * exceljs gives each new row a fresh `{}` and, writing it, resolves each fresh object to a
 * style id anew: a third of the styled writer's extra cost on a national report.
 */
const ROW_STYLE: Partial<ExcelJS.Style> = Object.freeze({});

/**
 * Writes data rows under a header; returns the last row written (first − 1 for none). Rows
 * may come lazily (an iterable): a national sheet's 12,000 rows then never all exist at
 * once, each is garbage as soon as it is written.
 */
export function tableRows(ws: ExcelJS.Worksheet, first: number, columns: Column[], rows: Iterable<Array<ExcelJS.CellValue | Shown>>): number {
  const styles = columns.map(bodyStyles);
  let written: ExcelJS.Row | null = null;
  let n = 0;
  // Plain loops: this is the writer's inner loop (a national report: ~300,000 cells).
  for (const values of rows) {
    // Streamed: the row above (and those above it) goes to the file now and leaves memory.
    // The last one stays open for the caller; nothing above a table is touched after it.
    written?.commit();
    const row = ws.getRow(first + n++);
    (row as unknown as { style: Partial<ExcelJS.Style> }).style = ROW_STYLE;
    let lines = 1;
    for (let c = 0; c < values.length; c++) {
      const v = values[c];
      const column = columns[c];
      if (typeof v === 'string' && (column.align === 'left' || column.wrap) && v.length > column.width) lines = Math.max(lines, wrappedLines(v, column.width));
      const cell = row.getCell(c + 1);
      if (v instanceof Shown) {
        cell.value = v.value;
        cell.style = { ...styles[c].number, numFmt: v.numFmt };
        continue;
      }
      cell.value = v;
      cell.style = typeof v === 'number' ? styles[c].number : styles[c].other;
    }
    if (lines > 1) row.height = lines * 15 + 2;
    written = row;
  }
  return first + n - 1;
}

/** `list` mapped lazily, for tableRows. */
export function* mapped<T>(list: Iterable<T>, f: (x: T, i: number) => Array<ExcelJS.CellValue | Shown>): Generator<Array<ExcelJS.CellValue | Shown>> {
  let i = 0;
  for (const x of list) yield f(x, i++);
}

export function dataBar(ws: ExcelJS.Worksheet, ref: string) {
  ws.addConditionalFormatting({
    ref,
    rules: [{
      type: 'dataBar', priority: 1, gradient: false, minLength: 0, maxLength: 100,
      cfvo: [{ type: 'num', value: 0 }, { type: 'num', value: 1 }], color: { argb: BAR },
    } as unknown as ExcelJS.ConditionalFormattingRule],
  });
}

/** Green for "Đạt", red for "Chưa đạt", on the result column. */
export function metColours(ws: ExcelJS.Worksheet, ref: string) {
  const topLeft = ref.split(':')[0];
  ws.addConditionalFormatting({
    ref,
    rules: [
      { type: 'expression', priority: 2, formulae: [`${topLeft}="Đạt"`], style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: GREEN } }, font: { color: { argb: GREEN_TEXT }, bold: true } } },
      // "Chưa đạt (chưa có số liệu lũy kế)" too: counted among the chưa đạt.
      { type: 'expression', priority: 3, formulae: [`LEFT(${topLeft},8)="Chưa đạt"`], style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: RED } }, font: { color: { argb: RED_TEXT }, bold: true } } },
    ],
  });
}
