// Tổng hợp: the document heading, the city's and each level's figures, the trend by period.
// A quarter's or a year's: the range's own figures first, then its last month's, each named.
import type ExcelJS from 'exceljs';
import { CHART_HEIGHT, CHART_WIDTH } from '../chart.ts';
import { addMonths, periodLabel } from '../../period.ts';
import { columnLetter } from '../../report-file/file-issue.ts';
import { dateRange, floorPct, int } from '../format.ts';
import type { LeadershipReport, Totals } from '../period-report.ts';
import { lastPeriodOf, namedUntil, wholeRangeName, type RangeReport, type RangeTotals } from '../range-report.ts';
import type { LevelInfo } from '../../units/unit.ts';
import { servicesCoverage } from '../services.ts';
import { addPicture } from './picture.ts';
import { dataBar, documentHeading, wrappedLines, INT, judgedCells, line, newSheet, PCT, PP, SHEETS, tableHeader, tableRows, type Column, type Shown } from './layout.ts';

export interface SummaryOptions {
  /** A quarter's or a year's report names its range in the title ("Quý III/2022"). */
  heading?: { title: string; subtitle: string };
  /** The trend chart (PNG, CHART_WIDTH × CHART_HEIGHT), under the trend table. */
  chart?: Buffer | null;
  /**
   * A quarter's or a year's workbook (r is its last period's report): the range's own figures
   * come first, then the last month's and the year-to-date, each labelled with its month.
   */
  range?: RangeReport;
}

/** The width of the summary table with three levels: a range's table is at least this wide. */
const RANGE_TABLE_WIDTH = 52 + 4 * 17;

type Value = number | null | Shown;
/** A line of the table: its label, the city's and each level's cell, and their format; or a group's heading. */
type Line = { label: string; values: Value[]; numFmt: string } | { group: string };

export function summarySheet(wb: ExcelJS.Workbook, r: LeadershipReport, options: SummaryOptions = {}) {
  const ws = newSheet(wb, SHEETS.summary, 'FF1F4E79');
  const { range } = options;
  // One column per level in force: no district column since 2025-07. A range's, each level of
  // the range: one that ended in it too, whose months and year-to-date columns stay empty.
  const levels: Array<LevelInfo & { until?: string | null }> = range ? range.levels : r.levels;
  const width = 2 + levels.length;
  // A range's section I has 23 lines to the month's 16: its table is never narrower than one of
  // three levels, so fitted to the page's width it leaves the page the height for them (with two
  // levels, the 2026 city's, the last line went to page 2).
  const labelWidth = range ? Math.max(52, RANGE_TABLE_WIDTH - 17 * (levels.length + 1)) : 52;
  const columns: Column[] = [
    { header: 'Chỉ tiêu', width: labelWidth, align: 'left' },
    { header: 'Toàn thành phố', width: 17 },
    ...levels.map((l) => ({ header: namedUntil(l.name, l.until), width: 17 })),
  ];
  const widths = columns.map((c) => c.width);
  let row = options.heading ? documentHeading(ws, widths, options.heading.title, options.heading.subtitle, r.asOf, r.timeZone) : documentHeading(ws, widths,
    'BÁO CÁO KẾT QUẢ TIẾP NHẬN HỒ SƠ TRỰC TUYẾN',
    `Kỳ báo cáo tháng ${periodLabel(r.period)} (${dateRange(r.bounds)}) — thực hiện ${r.plan.citation}`,
    r.asOf, r.timeZone);

  line(ws, row++, 1, width, 'I. SỐ LIỆU CHUNG', { bold: true });
  tableHeader(ws, row, columns);
  ws.views = [{ state: 'normal' }];
  const lines = range ? rangeLines(r, range) : periodLines(r);
  const first = row + 1;
  lines.forEach((x, i) => {
    if ('group' in x) {
      tableRows(ws, first + i, columns, [[x.group, ...columns.slice(1).map(() => null)]]);
      const cell = ws.getCell(first + i, 1);
      // A style of its own: the column's is shared.
      cell.style = { ...cell.style, font: { name: 'Times New Roman', size: 11, bold: true } };
      return;
    }
    tableRows(ws, first + i, columns.map((c, j) => (j === 0 ? c : { ...c, numFmt: x.numFmt })), [[x.label, ...x.values]]);
  });
  row = first + lines.length;
  const services = r.onlineServices.city;
  const servicesWhen = range ? ` tháng ${periodLabel(r.period)}` : '';
  tableRows(ws, row, columns.map((c, j) => (j === 1 ? { ...c, numFmt: PCT } : c)),
    [[`Dịch vụ trực tuyến có phát sinh hồ sơ trực tuyến${servicesWhen} (mục tiêu ${Math.round(r.plan.servicesGoal * 100)}%; ${int(services.used)}/${int(services.offered)} dịch vụ của ${servicesCoverage(r)})`, services.share, ...levels.map(() => null)]]);
  row += 1;
  const comparison = notComparableText(r, levels);
  if (comparison) {
    const unmatched = `Ghi chú: ${comparison}`;
    // Wrapped over the table's width, the row as tall as its lines.
    line(ws, row, 1, width, unmatched, { italic: true, size: 11, wrap: true });
    ws.getRow(row++).height = 15 * wrappedLines(unmatched, widths.reduce((a, b) => a + b, 0)) + 2;
  }
  row += 1;

  // Each section starts a page: a heading never sits alone at the foot of the one before.
  ws.getRow(row - 1).addPageBreak();
  line(ws, row++, 1, width, `II. XU HƯỚNG TỶ LỆ HỒ SƠ TRỰC TUYẾN THEO KỲ (mức tối thiểu ${floorPct(r.floor)})`, { bold: true });
  const trendCols: Column[] = [{ header: 'Kỳ báo cáo', width: labelWidth, align: 'center' }, ...columns.slice(1).map((c) => ({ ...c, numFmt: PCT }))];
  tableHeader(ws, row, trendCols);
  ws.views = [{ state: 'normal' }];
  const trendFirst = row + 1;
  const last = tableRows(ws, trendFirst, trendCols, r.trend.map((t) => [`Tháng ${periodLabel(t.period)}`, t.city, ...levels.map((l) => t.levels[l.level])]));
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

/** How the month's lines name their figures: "trong kỳ" in the month's workbook, "tháng 06/2026" in a range's. */
interface MonthWords {
  period: string;
  previous: string;
  ytd: string;
  ytdShort: string;
  /** What the floor line compares, when the table holds another rate against the floor (a range's own). */
  floorOf?: string;
  end: string;
  units: string;
  notReported: string;
}

/** The month's lines in their groups: the period's figures, the year-to-date's, the dossiers overdue at its end, its units. */
interface MonthLines {
  period: Line[];
  ytd: Line[];
  overdue: Line[];
  units: Line[];
}

/**
 * The month's figures for the city and each level (null: a level not in force in the month, its
 * cells empty): the new dossiers, the rate and its change, the year-to-date against the floor,
 * the units.
 */
function monthLines(r: LeadershipReport, levels: Array<Totals | null>, w: MonthWords): MonthLines {
  const scopes: Array<Totals | null> = [r.totals.city, ...levels];
  // Against the floor: the city's and each level's year-to-date, shown as precisely as the verdict needs.
  const floorGap = (t: Totals) => (t.ytdRates.onlineRate === null ? null : (t.ytdRates.onlineRate - r.floor) * 100);
  const lines = (list: Array<[string, (t: Totals) => Value, string]>): Line[] =>
    list.map(([label, f, numFmt]) => ({ label, values: scopes.map((t) => (t ? f(t) : null)), numFmt }));
  return {
    period: lines([
      [`Hồ sơ mới tiếp nhận ${w.period}`, (t) => t.periodRates.newDossiers, INT],
      ['   Trong đó: tiếp nhận trực tuyến', (t) => t.period?.received_online ?? 0, INT],
      [`Tỷ lệ hồ sơ trực tuyến ${w.period}`, (t) => t.periodRates.onlineRate, PCT],
      [`Tỷ lệ hồ sơ trực tuyến ${w.previous}`, (t) => t.previousPeriodRate, PCT],
      [`Thay đổi so với ${w.previous} (điểm %)`, (t) => (t.periodRates.onlineRate !== null && t.previousPeriodRate !== null ? (t.periodRates.onlineRate - t.previousPeriodRate) * 100 : null), PP],
    ]),
    ytd: lines([
      [`Tỷ lệ hồ sơ trực tuyến ${w.ytd}`, (t) => judgedCells(t.ytdRates.onlineRate, r.floor, floorGap(t))[0], PCT],
      [`So với mức tối thiểu ${floorPct(r.floor)} của Kế hoạch${w.floorOf ? `, ${w.floorOf}` : ''} (điểm %)`, (t) => judgedCells(t.ytdRates.onlineRate, r.floor, floorGap(t))[2], PP],
      [`Tỷ lệ giải quyết đúng hạn, trước hạn ${w.ytdShort}`, (t) => t.ytdRates.onTimeRate, PCT],
      [`Tỷ lệ giải quyết quá hạn ${w.ytdShort}`, (t) => t.ytdRates.overdueRate, PCT],
    ]),
    overdue: lines([[`Hồ sơ đang giải quyết quá hạn (${w.end})`, (t) => t.period?.pending_overdue ?? 0, INT]]),
    units: lines([
      [w.units, (t) => t.unitsTotal, INT],
      ['   Đạt chỉ tiêu được giao', (t) => t.unitsMet, INT],
      ['   Chưa đạt chỉ tiêu được giao (kể cả chưa có số liệu lũy kế, không phát sinh hồ sơ)', (t) => t.unitsNotMet, INT],
      ['   Không giao chỉ tiêu', (t) => t.unitsNoTarget, INT],
      [`   Trong đó: chưa báo cáo ${w.notReported}`, (t) => t.unitsNotReported, INT],
    ]),
  };
}

/** The month's workbook: its lines as they have always read ("trong kỳ", "kỳ trước"), in one table without groups. */
function periodLines(r: LeadershipReport): Line[] {
  const m = monthLines(r, r.levels.map((l) => r.totals.levels[l.level]), {
    period: 'trong kỳ', previous: 'kỳ trước', ytd: `lũy kế (từ kỳ ${periodLabel(r.ytdFrom)})`, ytdShort: 'lũy kế', end: 'cuối kỳ', units: 'Số đơn vị', notReported: 'kỳ này',
  });
  return [...m.period, ...m.ytd, ...m.overdue, ...m.units];
}

/**
 * A quarter's or a year's lines: first the range's own figures (its periods' counts summed,
 * RangeReport.totals), then its last month's and the year-to-date to it, each group headed and
 * each line named with its month, so no figure of one month reads as the range's.
 */
function rangeLines(r: LeadershipReport, range: RangeReport): Line[] {
  const { levels } = range;
  const whole = wholeRangeName(range);
  const month = periodLabel(r.period);
  const wholes: Array<RangeTotals | null> = [range.totals.city, ...levels.map((l) => range.totals.levels[l.level] ?? null)];
  const floorGap = (rate: number | null) => (rate === null ? null : (rate - r.floor) * 100);
  const wholeLines: Array<[string, (t: RangeTotals) => Value, string]> = [
    [`Hồ sơ mới tiếp nhận ${whole}`, (t) => t.rates.newDossiers, INT],
    ['   Trong đó: tiếp nhận trực tuyến', (t) => t.counts?.received_online ?? 0, INT],
    [`Tỷ lệ hồ sơ trực tuyến ${whole}`, (t) => judgedCells(t.rates.onlineRate, r.floor, floorGap(t.rates.onlineRate))[0], PCT],
    [`So với mức tối thiểu ${floorPct(r.floor)} của Kế hoạch, ${whole} (điểm %)`, (t) => judgedCells(t.rates.onlineRate, r.floor, floorGap(t.rates.onlineRate))[2], PP],
  ];
  // A level that ended during the range has no month and no year-to-date at its end: its cells stay empty.
  const monthly = monthLines(r, levels.map((l) => (l.until ? null : r.totals.levels[l.level])), {
    period: `tháng ${month}`, previous: `tháng ${periodLabel(addMonths(r.period, -1))}`,
    ytd: `lũy kế đến ${month}`, ytdShort: `lũy kế đến ${month}`, floorOf: `lũy kế đến ${month}`, end: `cuối kỳ ${month}`, units: `Số đơn vị tại kỳ ${month}`, notReported: `kỳ ${month}`,
  });
  const [first, last] = [range.range.periods[0], lastPeriodOf(range.range)];
  return [
    { group: `${whole.replace(/^./, (c) => c.toUpperCase())} (kỳ ${periodLabel(first)} – ${periodLabel(last)})` },
    ...wholeLines.map(([label, f, numFmt]) => ({ label, values: wholes.map((t) => (t ? f(t) : null)), numFmt })),
    { group: `Tháng ${month} (kỳ cuối của ${range.range.kind === 'year' ? 'năm' : 'quý'})` },
    ...monthly.period,
    ...monthly.overdue,
    { group: `Lũy kế đến ${month} (từ kỳ ${periodLabel(r.ytdFrom)})` },
    ...monthly.ytd,
    ...monthly.units,
  ];
}

/**
 * Why a level's "kỳ trước" cells are empty: its units the period before were another set (the
 * registry of 07/2025), so its rate then is another level's; the city's stays compared. Null:
 * every level shown is compared.
 */
export function notComparableText(r: LeadershipReport, levels: ReadonlyArray<LevelInfo & { until?: string | null }>): string | null {
  const changed = levels.filter((l) => !l.until && r.totals.levels[l.level].previousNotComparable).map((l) => `"${l.name}"`);
  if (!changed.length) return null;
  const previous = periodLabel(addMonths(r.period, -1));
  const names = changed.length > 1 ? `${changed.slice(0, -1).join(', ')} và ${changed.at(-1)}` : changed[0];
  return `tỷ lệ kỳ ${previous} và mức thay đổi của cấp ${names} để trống, không so sánh được: đơn vị hành chính thay đổi (đơn vị của cấp kỳ ${previous} khác kỳ ${periodLabel(r.period)}); số toàn thành phố vẫn so sánh với kỳ ${previous}.`;
}
