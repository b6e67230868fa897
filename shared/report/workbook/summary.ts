// Tổng hợp: the document heading, the city's and each level's figures, the trend by period.
import type ExcelJS from 'exceljs';
import { CHART_HEIGHT, CHART_WIDTH } from '../chart.ts';
import { periodLabel } from '../../period.ts';
import { columnLetter } from '../../report-file/file-issue.ts';
import { dateRange, floorPct, int } from '../format.ts';
import type { LeadershipReport, Totals } from '../period-report.ts';
import { addPicture } from './picture.ts';
import { dataBar, documentHeading, INT, judgedCells, line, newSheet, PCT, PP, SHEETS, tableHeader, tableRows, type Column, type Shown } from './layout.ts';

export interface SummaryOptions {
  /** A quarter's or a year's report names its range in the title ("Quý III/2022"). */
  heading?: { title: string; subtitle: string };
  /** The trend chart (PNG, CHART_WIDTH × CHART_HEIGHT), under the trend table. */
  chart?: Buffer | null;
}

export function summarySheet(wb: ExcelJS.Workbook, r: LeadershipReport, options: SummaryOptions = {}) {
  const ws = newSheet(wb, SHEETS.summary, 'FF1F4E79');
  // One column per level in force: no district column since 2025-07.
  const levels = r.levels.map((l) => l.level);
  const width = 2 + levels.length;
  const columns: Column[] = [
    { header: 'Chỉ tiêu', width: 52, align: 'left' },
    { header: 'Toàn thành phố', width: 17 },
    ...r.levels.map((l) => ({ header: l.name, width: 17 })),
  ];
  const widths = columns.map((c) => c.width);
  let row = options.heading ? documentHeading(ws, widths, options.heading.title, options.heading.subtitle, r.asOf, r.timeZone) : documentHeading(ws, widths,
    'BÁO CÁO KẾT QUẢ TIẾP NHẬN HỒ SƠ TRỰC TUYẾN',
    `Kỳ báo cáo tháng ${periodLabel(r.period)} (${dateRange(r.bounds)}) — thực hiện ${r.plan.citation}`,
    r.asOf, r.timeZone);

  line(ws, row++, 1, width, 'I. SỐ LIỆU CHUNG', { bold: true });
  tableHeader(ws, row, columns);
  ws.views = [{ state: 'normal' }];
  const scopes: Totals[] = [r.totals.city, ...levels.map((l) => r.totals.levels[l])];
  const ytdLabel = `từ kỳ ${periodLabel(r.ytdFrom)}`;
  // Against the floor: the city's and each level's year-to-date, shown as precisely as the verdict needs.
  const floorGap = (t: Totals) => (t.ytdRates.onlineRate === null ? null : (t.ytdRates.onlineRate - r.floor) * 100);
  const lines: Array<[string, (t: Totals) => number | null | Shown, string]> = [
    ['Hồ sơ mới tiếp nhận trong kỳ', (t) => t.periodRates.newDossiers, INT],
    ['   Trong đó: tiếp nhận trực tuyến', (t) => t.period?.received_online ?? 0, INT],
    ['Tỷ lệ hồ sơ trực tuyến trong kỳ', (t) => t.periodRates.onlineRate, PCT],
    ['Tỷ lệ hồ sơ trực tuyến kỳ trước', (t) => t.previousPeriodRate, PCT],
    ['Thay đổi so với kỳ trước (điểm %)', (t) => (t.periodRates.onlineRate !== null && t.previousPeriodRate !== null ? (t.periodRates.onlineRate - t.previousPeriodRate) * 100 : null), PP],
    [`Tỷ lệ hồ sơ trực tuyến lũy kế (${ytdLabel})`, (t) => judgedCells(t.ytdRates.onlineRate, r.floor, floorGap(t))[0], PCT],
    [`So với mức tối thiểu ${floorPct(r.floor)} của Kế hoạch (điểm %)`, (t) => judgedCells(t.ytdRates.onlineRate, r.floor, floorGap(t))[2], PP],
    [`Tỷ lệ giải quyết đúng hạn, trước hạn lũy kế`, (t) => t.ytdRates.onTimeRate, PCT],
    [`Tỷ lệ giải quyết quá hạn lũy kế`, (t) => t.ytdRates.overdueRate, PCT],
    ['Hồ sơ đang giải quyết quá hạn (cuối kỳ)', (t) => t.period?.pending_overdue ?? 0, INT],
    ['Số đơn vị', (t) => t.unitsTotal, INT],
    ['   Đạt chỉ tiêu được giao', (t) => t.unitsMet, INT],
    ['   Chưa đạt chỉ tiêu được giao (kể cả chưa có số liệu lũy kế)', (t) => t.unitsNotMet, INT],
    ['   Không giao chỉ tiêu', (t) => t.unitsNoTarget, INT],
    ['   Trong đó: chưa báo cáo kỳ này', (t) => t.unitsNotReported, INT],
  ];
  const first = row + 1;
  lines.forEach(([label, f, fmt], i) => {
    const values = [label, ...scopes.map(f)];
    tableRows(ws, first + i, columns.map((c, j) => (j === 0 ? c : { ...c, numFmt: fmt })), [values]);
  });
  row = first + lines.length;
  const services = r.onlineServices.city;
  tableRows(ws, row, columns.map((c, j) => (j === 1 ? { ...c, numFmt: PCT } : c)),
    [[`Dịch vụ trực tuyến có phát sinh hồ sơ trực tuyến (mục tiêu ${Math.round(r.plan.servicesGoal * 100)}%; ${int(services.used)}/${int(services.offered)} dịch vụ)`, services.share, ...levels.map(() => null)]]);
  row += 2;

  // Each section starts a page: a heading never sits alone at the foot of the one before.
  ws.getRow(row - 1).addPageBreak();
  line(ws, row++, 1, width, `II. XU HƯỚNG TỶ LỆ HỒ SƠ TRỰC TUYẾN THEO KỲ (mức tối thiểu ${floorPct(r.floor)})`, { bold: true });
  const trendCols: Column[] = [{ header: 'Kỳ báo cáo', width: 52, align: 'center' }, ...columns.slice(1).map((c) => ({ ...c, numFmt: PCT }))];
  tableHeader(ws, row, trendCols);
  ws.views = [{ state: 'normal' }];
  const trendFirst = row + 1;
  const last = tableRows(ws, trendFirst, trendCols, r.trend.map((t) => [`Tháng ${periodLabel(t.period)}`, t.city, ...levels.map((l) => t.levels[l])]));
  if (r.trend.length) dataBar(ws, `B${trendFirst}:${columnLetter(width)}${last}`);
  if (options.chart) {
    // The chart under the table, as wide as the table (a column unit is ~7 px at 96 dpi).
    const px = columns.reduce((sum, c) => sum + c.width, 0) * 7;
    addPicture(wb, ws, options.chart, { col: 0, row: last + 1 }, { width: px, height: (px * CHART_HEIGHT) / CHART_WIDTH });
  }
  ws.pageSetup.printTitlesRow = undefined as unknown as string;
  // Fit to width; the page break above puts the figures on page 1, the trend and its chart on page 2.
  ws.pageSetup.fitToHeight = 0;
}
