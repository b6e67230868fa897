// The appendix the leadership signs, in Phụ lục 2's shape: one sheet per level with, for each
// unit, the baseline (dossiers received, online, rate), the projection to the target window
// (total, online, not online), its weight, the extra online dossiers assigned and the target;
// a Tổng cộng row whose extra is the level's pool, as the plan prints it. Units with no
// report in the baseline are on a sheet of their own: they get no target. Printed on A4
// landscape, fitted to the page width, the header rows repeated on every page.
import ExcelJS from 'exceljs';
import { periodLabel, periodRange, periodSpan } from '../period.ts';
import { documentHeading, FONT, HEADER_FILL, INT, levelNames, levelSheetName, line, newSheet, style, tableRows, thin, type Column } from '../report/workbook/layout.ts';
import { LEVELS, levelsOf, type Level, type Unit } from '../units/unit.ts';
import type { Allocation } from './allocate.ts';
import type { ReportedBaseline } from './baseline-from-reports.ts';

export const UNREPORTED_SHEET = 'Chưa có số liệu';

const COLUMNS: Column[] = [
  { header: 'TT', width: 5, align: 'center' },
  { header: 'Mã', width: 7, align: 'center' },
  { header: 'Đơn vị', width: 34, align: 'left' },
  { header: 'Tổng HS', width: 10, numFmt: INT },
  { header: 'HS trực tuyến', width: 10, numFmt: INT },
  { header: 'Tỷ lệ %', width: 8, numFmt: '0.0' },
  { header: 'Tổng HS', width: 10, numFmt: INT },
  { header: 'HS trực tuyến', width: 10, numFmt: INT },
  { header: 'Chưa trực tuyến', width: 10, numFmt: INT },
  { header: 'Tỷ trọng %', width: 9, numFmt: '0.00' },
  { header: 'HS trực tuyến cần giao thêm', width: 12, numFmt: INT },
  // General, as the plan prints targets: 70, 99.7.
  { header: 'Chỉ tiêu cần đạt (%)', width: 10, align: 'right' },
  { header: 'Ghi chú', width: 22, align: 'left' },
];
/** Two header rows: the group headings, then the columns. Columns 4–6 and 7–9 are grouped. */
const GROUPS = [{ from: 4, to: 6 }, { from: 7, to: 9 }];

const NOTE: Record<string, string> = {
  no_projected_dossiers: 'Không giao: không có hồ sơ dự kiến',
  not_online_blank: 'Không giao: thiếu số hồ sơ chưa trực tuyến',
};

export interface AppendixInput {
  reported: ReportedBaseline;
  allocations: readonly Allocation[];
  pools: Partial<Record<Level, number>>;
  /** The date printed in the heading, in the city's time zone. */
  asOf: Date;
  timeZone: string;
}

const months = (span: { from: string; to: string }) => periodRange(span.from, span.to).length;
const span = (s: { from: string; to: string }) => periodSpan(s.from, s.to);
const twoDigits = (n: number) => String(n).padStart(2, '0');

export async function appendixWorkbook(input: AppendixInput): Promise<Buffer> {
  const { reported, allocations, pools } = input;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tthc';
  wb.created = input.asOf;
  const byCode = new Map(reported.rows.map((r) => [r.code, r]));
  const [nBase, nWindow] = [months(reported.baseline), months(reported.window)];
  // Levels named as the units in force name them ("Xã, phường, đặc khu" since 1/7/2025).
  const levels = levelsOf([...reported.rows, ...reported.unreported] as Unit[]);
  const names = levelNames(levels);

  for (const level of LEVELS) {
    const mine = allocations.filter((a) => a.level === level);
    if (!mine.length) continue;
    const ws = newSheet(wb, levelSheetName({ level, name: names[level] }));
    let row = documentHeading(ws, COLUMNS.map((c) => c.width), `GIAO CHỈ TIÊU HỒ SƠ TRỰC TUYẾN ${twoDigits(nWindow)} THÁNG, KỲ ${span(reported.window)}: ${names[level].toUpperCase()}`,
      `Số liệu gốc: hồ sơ các đơn vị đã báo cáo ${twoDigits(nBase)} tháng, kỳ ${span(reported.baseline)}, dự kiến cho ${twoDigits(nWindow)} tháng (×${Number(reported.factor.toFixed(4))}); `
      + `số hồ sơ trực tuyến cần giao thêm chia theo tỷ trọng hồ sơ chưa trực tuyến (phương pháp Phụ lục 2, Kế hoạch 128/KH-UBND).`,
      input.asOf, input.timeZone);
    row = header(ws, row, nBase, nWindow, reported);

    const body = mine.map((a, i) => {
      const b = byCode.get(a.code)!;
      const notes = [a.note ? NOTE[a.note] ?? a.note : null, b.periodsReported < nBase ? `Báo cáo ${b.periodsReported}/${nBase} kỳ gốc` : null].filter(Boolean);
      return [i + 1, a.code, b.name, b.baselineTotal, b.baselineOnline, b.baselineTotal > 0 ? (100 * b.baselineOnline) / b.baselineTotal : null,
        b.projectedTotal, b.projectedOnline, b.notOnline, a.weightPct, a.extraOnline, a.targetPct ?? 'Không giao', notes.join('; ') || null];
    });
    const last = tableRows(ws, row, COLUMNS, body);
    totalRow(ws, last + 1, mine, byCode, pools[level] ?? 0);
    signature(ws, last + 3, COLUMNS.length);
  }

  if (reported.unreported.length) {
    const ws = newSheet(wb, UNREPORTED_SHEET);
    const columns: Column[] = [
      { header: 'TT', width: 5, align: 'center' }, { header: 'Mã', width: 8, align: 'center' },
      { header: 'Đơn vị', width: 44, align: 'left' }, { header: 'Cấp', width: 20, align: 'left' }, { header: 'Ghi chú', width: 48, align: 'left' },
    ];
    line(ws, 1, 1, columns.length, 'ĐƠN VỊ CHƯA CÓ SỐ LIỆU GỐC: CHƯA GIAO CHỈ TIÊU', { bold: true, size: 14, align: 'center' });
    line(ws, 2, 1, columns.length, `Không có báo cáo nào trong các kỳ ${span(reported.baseline)}; chỉ tiêu giao khi có số liệu.`, { italic: true, align: 'center' });
    const headerRow = ws.getRow(4);
    columns.forEach((c, i) => {
      headerCell(headerRow.getCell(i + 1), c.header);
      ws.getColumn(i + 1).width = c.width;
    });
    ws.pageSetup.printTitlesRow = '4:4';
    ws.views = [{ state: 'frozen', ySplit: 4 }];
    tableRows(ws, 5, columns, reported.unreported.map((u, i) => [i + 1, u.code, u.name, names[u.level], `Không có báo cáo kỳ ${span(reported.baseline)}`]));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function headerCell(cell: ExcelJS.Cell, text: string) {
  cell.value = text;
  style(cell, { bold: true, align: 'center', wrap: true, size: 11 });
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
  cell.border = thin();
}

/** The two header rows, repeated on every printed page; returns the first data row. */
function header(ws: ExcelJS.Worksheet, row: number, nBase: number, nWindow: number, reported: ReportedBaseline): number {
  const [top, bottom] = [ws.getRow(row), ws.getRow(row + 1)];
  const groupText = [`Số liệu ${twoDigits(nBase)} tháng gốc (${span(reported.baseline)})`, `Dự kiến ${twoDigits(nWindow)} tháng (${span(reported.window)})`];
  COLUMNS.forEach((c, i) => {
    const col = i + 1;
    ws.getColumn(col).width = c.width;
    const group = GROUPS.findIndex((g) => col >= g.from && col <= g.to);
    if (group < 0) {
      headerCell(top.getCell(col), c.header);
      headerCell(bottom.getCell(col), c.header);
      ws.mergeCells(row, col, row + 1, col);
    } else {
      headerCell(top.getCell(col), groupText[group]);
      headerCell(bottom.getCell(col), c.header);
    }
  });
  for (const g of GROUPS) ws.mergeCells(row, g.from, row, g.to);
  top.height = 30;
  bottom.height = 45;
  ws.pageSetup.printTitlesRow = `${row}:${row + 1}`;
  ws.views = [{ state: 'frozen', ySplit: row + 1, xSplit: 3 }];
  return row + 2;
}

/** Tổng cộng: sums of the units given a target; the extra is the level's pool, unrounded per unit as the plan prints it. */
function totalRow(ws: ExcelJS.Worksheet, row: number, mine: readonly Allocation[], byCode: Map<string, ReportedBaseline['rows'][number]>, pool: number) {
  const all = mine.map((a) => byCode.get(a.code)!);
  const given = mine.filter((a) => a.targetPct !== null).map((a) => byCode.get(a.code)!);
  const sum = (rows: typeof all, f: (r: (typeof all)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  const [baseTotal, baseOnline] = [sum(all, (r) => r.baselineTotal), sum(all, (r) => r.baselineOnline)];
  const values = ['', '', 'Tổng cộng', baseTotal, baseOnline, baseTotal > 0 ? (100 * baseOnline) / baseTotal : null,
    sum(all, (r) => r.projectedTotal), sum(all, (r) => r.projectedOnline), sum(given, (r) => r.notOnline), given.length ? 100 : null, Math.round(pool), null, null];
  const r = ws.getRow(row);
  values.forEach((v, i) => {
    const cell = r.getCell(i + 1);
    cell.value = v;
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: i === 2 ? 'center' : 'right', vertical: 'middle' };
    if (COLUMNS[i].numFmt) cell.numFmt = COLUMNS[i].numFmt!;
    cell.border = thin();
  });
}

function signature(ws: ExcelJS.Worksheet, row: number, width: number) {
  const from = width - 4;
  line(ws, row, from, width, 'TM. ỦY BAN NHÂN DÂN THÀNH PHỐ', { bold: true, align: 'center' });
  line(ws, row + 1, from, width, '(Ký, ghi rõ họ tên, đóng dấu)', { italic: true, align: 'center', size: 11 });
}

/** Where the appendix goes: beside the targets file, as .xlsx. */
export function appendixPath(targetsFile: string): string {
  const base = targetsFile.replace(/\.[^./\\]*$/, '');
  return /\.xlsx$/i.test(targetsFile) ? `${base}-phu-luc.xlsx` : `${base}.xlsx`;
}
