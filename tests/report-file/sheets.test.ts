// Which sheet of a workbook is the report: the one the clerk sees. A hidden draft is never read
// over it.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeReport, type ReportProcedure, type ReportRow } from '../../scripts/generate/report-files.ts';
import { describeReading } from '../../shared/report-file/describe.ts';
import { readXlsxSheets } from '../../shared/report-file/xlsx.ts';
import { expectAccepted, makeSpec, read, registry, ROWS, TOTALS, where, workbookOfSheets as workbook } from './helpers.ts';

const doubled: ReportRow[] = ROWS.map((row) => ({
  ...row, counts: Object.fromEntries(Object.entries(row.counts).map(([k, v]) => [k, v === null ? null : v * 2])) as unknown as ReportRow['counts'],
}));
/** The form of S01 for a period (separate columns, unmerged header, no detail sheet). */
const form = (period = '2022-06', rows = ROWS) => writeReport(makeSpec({ merged: false, detailSheet: false }, { period, rows }));
/** The form's title, header and column numbers (rows 1–11) without a figure: a blank copy of it. */
async function blankForm(): Promise<ExcelJS.CellValue[][]> {
  const sheet = (await readXlsxSheets(await form())).find((s) => s.name === 'Biểu 06a')!;
  return sheet.rows.slice(1, 12).map((cells) => (cells ?? []).slice(1).map((v) => (typeof v === 'object' && v !== null && !(v instanceof Date) ? null : v)));
}
const S01 = { unit: 'S01', period: '2022-06', layout: '06a' as const, counts: TOTALS };
const NOTES = [['Ghi chú'], ['Số liệu lấy từ Hệ thống thông tin giải quyết TTHC thành phố, chốt ngày 15/06/2022.'], ['Người lập: Nguyễn Văn A']];
const PROCEDURES: ReportProcedure[] = [
  { code: '1.001', name: 'Thông báo thực hiện khuyến mại', level: 'Toàn trình', online: 40, direct: 0, postal: 0 },
  { code: '1.003', name: 'Cấp Giấy phép kinh doanh bán buôn sản phẩm rượu', level: 'Một phần', online: 0, direct: 3, postal: 1 },
];
/** The detail sheet's rows as the generator writes them. */
const detailRows = (procedures: ReportProcedure[]): ExcelJS.CellValue[][] => [
  ['STT', 'Mã TTHC', 'Tên TTHC', 'Mức độ', 'Trực tuyến', 'Trực tiếp', 'Bưu chính'],
  ...procedures.map((p, i) => [i + 1, p.code, p.name, p.level, p.online, p.direct, p.postal]),
];

describe('the workbook reader gives each sheet its state', () => {
  it('hidden and very hidden sheets (xl/workbook.xml\'s state) are marked, visible ones are not', async () => {
    const sheets = await readXlsxSheets(await workbook(
      { name: 'Nháp', state: 'hidden', rows: [['x']] }, { name: 'Ẩn hẳn', state: 'veryHidden', rows: [['y']] }, { name: 'Biểu 06a', rows: [['z']] }));
    expect(sheets.map((s) => [s.name, !!s.hidden])).toEqual([['Nháp', true], ['Ẩn hẳn', true], ['Biểu 06a', false]]);
  });
});

describe('a hidden sheet', () => {
  it.each(['hidden', 'veryHidden'] as const)('a %s draft with doubled figures before the real form is not read', async (state) => {
    const r = await read(await workbook({ name: 'Nháp', state, bytes: await form('2022-06', doubled) }, { name: 'Biểu 06a', bytes: await form() }));
    expectAccepted(r, S01);
    expect(r.fields.every((f) => f.sheet === 'Biểu 06a')).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('a hidden copy of another month beside the visible form is not read either, and is no second report', async () => {
    const r = await read(await workbook({ name: 'Biểu 06a', bytes: await form() }, { name: 'T5', state: 'hidden', bytes: await form('2022-05', doubled) }));
    expectAccepted(r, S01);
    expect(r.warnings).toEqual([]);
  });

  it('the only table on a hidden sheet is read, with a warning naming the sheet', async () => {
    const r = await read(await workbook({ name: 'Ghi chú', rows: NOTES }, { name: 'Biểu 06a', state: 'hidden', bytes: await form() }));
    expectAccepted(r, S01);
    expect(where(r.warnings)).toEqual([{ code: 'table_on_hidden_sheet', sheet: 'Biểu 06a', row: 9, column: null }]);
    expect(r.warnings[0].message).toContain('trang tính "Biểu 06a", là trang tính đang bị ẩn');
    expect(r.warnings[0].message).toContain('Bỏ ẩn');
    const lines = describeReading('a.xlsx', r, registry);
    expect(lines.at(-1)).toMatch(/^ {4}Lưu ý \(trang tính "Biểu 06a", dòng 9\): Bảng số liệu được đọc từ trang tính "Biểu 06a".* \(mã lưu ý: table_on_hidden_sheet\)$/);
  });

  it('a visible form without figures wins over a hidden one with them: refused for its empty table, not read from the draft', async () => {
    const r = await read(await workbook({ name: 'Nháp', state: 'hidden', bytes: await form() }, { name: 'Biểu 06a', rows: await blankForm() }));
    expect(r.status).toBe('rejected');
    expect(r.errors.map((e) => e.code)).toContain('no_data_rows');
    expect(r.errors.every((e) => e.sheet === null || e.sheet === 'Biểu 06a')).toBe(true);
  });

  it('a hidden "Chi tiết TTHC" beside a visible form is not read, and the clerk is told', async () => {
    const r = await read(await workbook({ name: 'Biểu 06a', bytes: await form() }, { name: 'Chi tiết TTHC', state: 'hidden', rows: detailRows(PROCEDURES) }));
    expectAccepted(r, S01);
    expect(r.procedures).toEqual([]);
    expect(where(r.warnings)).toEqual([{ code: 'hidden_sheet_not_read', sheet: 'Chi tiết TTHC', row: null, column: null }]);
    expect(r.warnings[0].message).toContain('"Chi tiết TTHC" đang bị ẩn nên không được đọc');
  });

  it('a visible "Chi tiết TTHC" is read and a hidden draft of it is not', async () => {
    const draft = PROCEDURES.map((p) => ({ ...p, online: p.online + 100 }));
    const r = await read(await workbook(
      { name: 'Biểu 06a', bytes: await form() },
      { name: 'Chi tiết TTHC (nháp)', state: 'hidden', rows: detailRows(draft) },
      { name: 'Chi tiết TTHC', rows: detailRows(PROCEDURES) }));
    expectAccepted(r, S01);
    expect(r.procedures.map((p) => p.received_online)).toEqual([40, 0]);
    expect(r.warnings).toEqual([]);
  });

  it('with the form on a hidden sheet, a hidden "Chi tiết TTHC" is read too, each with its warning', async () => {
    const r = await read(await workbook(
      { name: 'Ghi chú', rows: NOTES },
      { name: 'Biểu 06a', state: 'hidden', bytes: await form() },
      { name: 'Chi tiết TTHC', state: 'hidden', rows: detailRows(PROCEDURES) }));
    expectAccepted(r, S01);
    expect(r.procedures.map((p) => p.received_online)).toEqual([40, 0]);
    expect(where(r.warnings).map((w) => [w.code, w.sheet])).toEqual([['table_on_hidden_sheet', 'Biểu 06a'], ['table_on_hidden_sheet', 'Chi tiết TTHC']]);
  });
});
