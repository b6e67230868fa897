// The monthly leadership workbook, in the manner of a document of the city's office
// (Nghị định 30/2020: Times New Roman, the two-column heading), ready to print: A4
// landscape, fit to width, header rows repeated, frozen panes, filters, real numbers
// with 0.0% formats, colours for đạt / chưa đạt and data bars for rates. Each sheet is
// its own module under workbook/; this one puts them in order.
import ExcelJS from 'exceljs';
import { periodLabel } from '../period.ts';
import { trendChartInput, trendChartPng } from './chart.ts';
import { dateRange } from './format.ts';
import type { PeriodReport } from './period-report.ts';
import { rangeDescription, type RangeReport } from './range-report.ts';
import { correctionsSheet } from './workbook/corrections.ts';
import { notesSheet } from './workbook/notes.ts';
import { overdueSheet } from './workbook/overdue.ts';
import { pilotSheet } from './workbook/pilot.ts';
import { rangeRatesSheet, rangeSubmissionsSheet, yearEvaluationSheet } from './workbook/range.ts';
import { servicesSheet } from './workbook/services.ts';
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

export async function buildWorkbook(r: PeriodReport, options: WorkbookOptions = {}): Promise<Buffer> {
  const { range } = options;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'UBND thành phố Hải Phòng — hệ thống tổng hợp báo cáo DVC';
  wb.created = r.asOf;
  wb.title = range ? `Báo cáo tỷ lệ hồ sơ trực tuyến ${range.range.label}` : `Báo cáo tỷ lệ hồ sơ trực tuyến kỳ ${periodLabel(r.period)}`;
  const parents = new Map(r.rows.filter((x) => x.unit.level === 'district').map((x) => [x.unit.code, x.unit.name]));
  const chart = options.chart === undefined ? trendChartPng(trendChartInput(r)) : options.chart;
  summarySheet(wb, r, {
    chart,
    heading: range ? {
      title: `BÁO CÁO KẾT QUẢ TIẾP NHẬN HỒ SƠ TRỰC TUYẾN ${range.range.label.toUpperCase()}`,
      subtitle: `${rangeDescription(range.range)}; số liệu lũy kế đến kỳ ${periodLabel(r.period)} (${dateRange(r.bounds)})`,
    } : undefined,
  });
  if (range) {
    yearEvaluationSheet(wb, range);
    rangeRatesSheet(wb, range);
    rangeSubmissionsSheet(wb, range);
  }
  for (const level of r.levels) levelSheet(wb, r, level, parents);
  missingSheet(wb, r);
  overdueSheet(wb, r);
  pilotSheet(wb, r);
  servicesSheet(wb, r);
  correctionsSheet(wb, r);
  qualitySheet(wb, r);
  notesSheet(wb, r);
  // Fastest deflate: a national workbook is ~300,000 cells; the file grows a little, the wait shrinks a lot.
  return Buffer.from(await wb.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: 1 } } } as ExcelJS.XlsxWriteOptions));
}
