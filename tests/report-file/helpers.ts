// Shared fixtures for the reader's tests: fixed rows with hand-summed totals, and small
// helpers to read, edit and judge files. Files are generated in memory, never committed.
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { Counts } from '../../shared/report-file/counts.ts';
import type { FileIssue } from '../../shared/report-file/file-issue.ts';
import { readSubmission, type ReadOptions, type SubmissionReading } from '../../shared/report-file/read-report.ts';
import { plan128Registry } from '../../shared/units/plan-128-2022.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import type { ReportRow, ReportSpec, Variant } from '../../scripts/generate/report-files.ts';

export const registry = plan128Registry();
/** 20/06/2022 10:00 in Hải Phòng: the due day of period 2022-06. */
export const NOW = new Date('2022-06-20T03:00:00Z');

export function read(bytes: Buffer, options: Partial<ReadOptions> = {}): Promise<SubmissionReading> {
  return readSubmission(bytes, { units: fixedUnits(registry), now: NOW, ...options });
}

/** Three fields; thousands in some cells (for the text forms), zeros in others. "Công chứng"
 * starts with "Công", like the total label "Cộng" once it is folded. */
export const ROWS: ReportRow[] = [
  { field: 'Hộ tịch', counts: {
    received_online: 1234, received_direct: 2345, received_postal: 12, carried_over: 300,
    resolved_early: 1500, resolved_on_time: 1800, resolved_overdue: 91, pending_within: 450, pending_overdue: 50, returned_postal: 7 } },
  { field: 'Công chứng', counts: {
    received_online: 0, received_direct: 56, received_postal: 0, carried_over: 4,
    resolved_early: 20, resolved_on_time: 30, resolved_overdue: 0, pending_within: 10, pending_overdue: 0, returned_postal: 0 } },
  { field: 'Đất đai', counts: {
    received_online: 15, received_direct: 1020, received_postal: 3, carried_over: 1002,
    resolved_early: 1000, resolved_on_time: 540, resolved_overdue: 100, pending_within: 380, pending_overdue: 20, returned_postal: 2 } },
];

/** ROWS summed by hand, separate direct and postal columns, with the returned_postal column. */
export const TOTALS: Counts = {
  received_online: 1249, received_direct: 3421, received_postal: 15, carried_over: 1306,
  resolved_early: 2520, resolved_on_time: 2370, resolved_overdue: 191, pending_within: 840, pending_overdue: 70, returned_postal: 9,
};
/** The same with the combined "Trực tiếp, dịch vụ bưu chính" column (or no postal column):
 * desk = direct + postal, postal unknown. */
export const TOTALS_DESK: Counts = { ...TOTALS, received_direct: 3436, received_postal: null };

export const SO_CONG_THUONG = { code: 'S01', name: 'Sở Công Thương' };

export function makeSpec(variant: Partial<Variant> = {}, more: Partial<ReportSpec> = {}): ReportSpec {
  return { unit: SO_CONG_THUONG, period: '2022-06', rows: ROWS, variant, ...more };
}

export function withCounts(counts: Partial<Counts>, base: Counts = TOTALS): Counts {
  return { ...base, ...counts };
}

export function csv(text: string, bom = false): Buffer {
  return Buffer.from(`${bom ? '\uFEFF' : ''}${text}`, 'utf8');
}

/** Loads a workbook, lets the test change it as a clerk would, saves it again. */
export async function editWorkbook(bytes: Buffer, edit: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  edit(wb.worksheets.find((w) => w.name === 'Biểu 06a') ?? wb.worksheets[0], wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A workbook from rows of cell values (row 1 first, column A first). */
export async function workbookOf(sheets: Record<string, ExcelJS.CellValue[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((cells, r) => cells.forEach((v, c) => { if (v !== null && v !== undefined) ws.getCell(r + 1, c + 1).value = v; }));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface SheetPart {
  name: string;
  state?: 'visible' | 'hidden' | 'veryHidden';
  /** A generated file whose first sheet's cell values are copied (merges are not). */
  bytes?: Buffer;
  rows?: ExcelJS.CellValue[][];
}

/** A workbook of sheets in order, each with its name and state: given rows, or a file's first sheet. */
export async function workbookOfSheets(...parts: SheetPart[]): Promise<Buffer> {
  const out = new ExcelJS.Workbook();
  for (const part of parts) {
    const ws = out.addWorksheet(part.name, { state: part.state ?? 'visible' });
    if (part.rows) part.rows.forEach((cells, r) => cells.forEach((v, c) => { if (v !== null && v !== undefined) ws.getCell(r + 1, c + 1).value = v; }));
    if (part.bytes) {
      const src = new ExcelJS.Workbook();
      await src.xlsx.load(part.bytes as unknown as ArrayBuffer);
      src.worksheets[0].eachRow((row, r) => row.eachCell((cell, c) => { ws.getCell(r, c).value = cell.value; }));
    }
  }
  return Buffer.from(await out.xlsx.writeBuffer());
}

export function expectAccepted(r: SubmissionReading, expected: { unit: string; period: string; layout: '06a' | 'csv'; counts: Counts }): void {
  expect(r.errors).toEqual([]);
  expect(r.status).toBe('accepted');
  expect({ unit: r.unit, period: r.period, layout: r.layout, counts: r.counts }).toEqual(expected);
}

type Where = Pick<FileIssue, 'code' | 'sheet' | 'row' | 'column'>;

/** Rejected, nothing counted, and each expected issue reported at exactly that place. */
export function expectRejected(r: SubmissionReading, ...issues: Where[]): void {
  expect(r.status).toBe('rejected');
  expect(r.counts).toBeNull();
  const found = r.errors.map(({ code, sheet, row, column }) => ({ code, sheet, row, column }));
  for (const issue of issues) expect(found).toContainEqual(issue);
  for (const e of r.errors) expect(e.message.length).toBeGreaterThan(10);
}

/** The errors as [code, sheet, row, column], for exact comparisons. */
export function where(issues: FileIssue[]): Where[] {
  return issues.map(({ code, sheet, row, column }) => ({ code, sheet, row, column }));
}
