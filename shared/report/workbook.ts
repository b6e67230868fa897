// The monthly leadership workbook, in the manner of a document of the city's office
// (Nghị định 30/2020: Times New Roman, the two-column heading), ready to print: A4
// landscape, fit to width, header rows repeated, frozen panes, filters, real numbers
// with 0.0% formats, colours for đạt / chưa đạt and data bars for rates. Each sheet is
// its own module under workbook/; this one puts them in order.
import { periodLabel } from '../period.ts';
import { trendChartInput, trendChartPng } from './chart.ts';
import { dateRange } from './format.ts';
import type { LeadershipReport } from './period-report.ts';
import { rangeDescription, type RangeReport } from './range-report.ts';
import { correctionsSheet } from './workbook/corrections.ts';
import { notesSheet } from './workbook/notes.ts';
import { overdueSheet } from './workbook/overdue.ts';
import { pilotSheet } from './workbook/pilot.ts';
import { rangeRatesSheet, rangeSubmissionsSheet, yearEvaluationSheet } from './workbook/range.ts';
import { servicesSheet } from './workbook/services.ts';
import { streamingWorkbook } from './workbook/streaming.ts';
import { qualitySheet } from './workbook/quality.ts';
import { levelSheet } from './workbook/ranking-level.ts';
import { missingSheet } from './workbook/status.ts';
import { summarySheet } from './workbook/summary.ts';

export { LEVEL_SHEETS, SHEETS } from './workbook/layout.ts';

export function workbookFileName(period: string): string {
  return `bao-cao-dvc-${period}.xlsx`;
}

export interface WorkbookOptions {
  /** The trend chart on Tổng hợp; drawn from the report when not given, none when null. */
  chart?: Buffer | null;
  /** A quarter's or a year's workbook: r is the range's last period; the range sheets follow Tổng hợp. */
  range?: RangeReport;
}

export async function buildWorkbook(r: LeadershipReport, options: WorkbookOptions = {}): Promise<Buffer> {
  const { range } = options;
  // Streamed: each sheet goes to the zip once written (see workbook/streaming.ts).
  const book = streamingWorkbook();
  const { wb } = book;
  wb.creator = 'UBND thành phố Hải Phòng — hệ thống tổng hợp báo cáo DVC';
  wb.created = r.asOf;
  wb.title = range ? `Báo cáo tỷ lệ hồ sơ trực tuyến ${range.range.label}` : `Báo cáo tỷ lệ hồ sơ trực tuyến kỳ ${periodLabel(r.period)}`;
  const parents = new Map(r.rows.filter((x) => x.unit.level === 'district').map((x) => [x.unit.code, x.unit.name]));
  const chart = options.chart === undefined ? trendChartPng(trendChartInput(r)) : options.chart;
  const sheets: Array<() => void> = [
    () => summarySheet(wb, r, {
      chart,
      range,
      heading: range ? {
        title: `BÁO CÁO KẾT QUẢ TIẾP NHẬN HỒ SƠ TRỰC TUYẾN ${range.range.label.toUpperCase()}`,
        subtitle: `${rangeDescription(range)}; lũy kế từ kỳ ${periodLabel(r.ytdFrom)} đến kỳ ${periodLabel(r.period)} — thực hiện ${r.plan.citation}`,
      } : undefined,
    }),
    ...(range ? [() => yearEvaluationSheet(wb, range), () => rangeRatesSheet(wb, range), () => rangeSubmissionsSheet(wb, range)] : []),
    ...r.levels.map((level) => () => levelSheet(wb, r, level, parents)),
    () => missingSheet(wb, r),
    () => overdueSheet(wb, r),
    () => pilotSheet(wb, r),
    () => servicesSheet(wb, r),
    () => correctionsSheet(wb, r),
    () => qualitySheet(wb, r),
    () => notesSheet(wb, r, range),
  ];
  for (const sheet of sheets) {
    sheet();
    book.commitSheets();
  }
  return book.finish();
}
