// Which sheet of a workbook is the report: the one the clerk sees. A hidden draft is never read
// over it, two monthly tables in one file are refused, and a CSV line with more fields than
// its header (an unquoted "1,500") is refused rather than cut.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeReport, type ReportProcedure, type ReportRow } from '../../scripts/generate/report-files.ts';
import { describeReading } from '../../shared/report-file/describe.ts';
import { readXlsxSheets } from '../../shared/report-file/xlsx.ts';
import { SAMPLES } from '../fixtures/samples.ts';
import { csv, expectAccepted, makeSpec, read, registry, ROWS, TOTALS, where, withCounts, workbookOfSheets as workbook } from './helpers.ts';

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

  it('a visible table that is no form (a list of procedures) does not hide the form on a hidden sheet: that one is read, with the warning', async () => {
    const r = await read(await workbook({ name: 'Danh mục TTHC', rows: detailRows(PROCEDURES) }, { name: 'Biểu 06a', state: 'hidden', bytes: await form() }));
    expectAccepted(r, S01);
    expect(where(r.warnings)).toEqual([{ code: 'table_on_hidden_sheet', sheet: 'Biểu 06a', row: 9, column: null }]);
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

describe('one report a file', () => {
  it('a tab per month ("T5", "T6", each a full table) is refused, naming the sheets', async () => {
    const r = await read(await workbook({ name: 'T5', bytes: await form('2022-05') }, { name: 'T6', bytes: await form() }));
    expect(r.status).toBe('rejected');
    expect(r.counts).toBeNull();
    expect(where(r.errors)).toEqual([{ code: 'several_report_sheets', sheet: 'T6', row: 9, column: null }]);
    expect(r.errors[0].message).toBe('Mỗi tệp chỉ chứa báo cáo của một kỳ, nhưng tệp này có bảng số liệu ở 2 trang tính: giữ lại một trang tính có bảng số liệu (xóa các trang tính kia hoặc chuyển sang tệp khác), hoặc gửi mỗi tháng một tệp riêng. Các trang tính có bảng số liệu: "T5", "T6".');
  });

  it('two visible copies of the same month are refused too: which one is right is the clerk\'s to say', async () => {
    const r = await read(await workbook({ name: 'Biểu 06a', bytes: await form() }, { name: 'Biểu 06a (2)', bytes: await form('2022-06', doubled) }, { name: 'Ghi chú', rows: NOTES }));
    expect(where(r.errors)).toEqual([{ code: 'several_report_sheets', sheet: 'Biểu 06a (2)', row: 9, column: null }]);
  });

  it('twelve tabs: what to do first, then the first ten named and how many more', async () => {
    const month = await form();
    const r = await read(await workbook(...Array.from({ length: 12 }, (_, i) => ({ name: `T${i + 1}`, bytes: month }))));
    expect(r.errors[0].message).toContain('ở 12 trang tính: giữ lại');
    expect(r.errors[0].message).toMatch(/: "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10" và 2 trang tính khác\.$/);
  });

  it('the form with "Chi tiết TTHC", an instruction sheet and a notes sheet is one report', async () => {
    const r = await read(await workbook(
      { name: 'Hướng dẫn', rows: [['HƯỚNG DẪN ĐIỀN BIỂU 06a'], ['Cột', 'Ý nghĩa'], ['Trực tuyến', 'Hồ sơ nộp trực tuyến'], ['Trực tiếp', 'Hồ sơ nộp tại Bộ phận một cửa'], ['Từ kỳ trước', 'Hồ sơ kỳ trước chuyển qua']] },
      { name: 'Biểu 06a', bytes: await form() },
      { name: 'Chi tiết TTHC', rows: detailRows(PROCEDURES) },
      { name: 'Ghi chú', rows: NOTES }));
    expectAccepted(r, S01);
    expect(r.procedures).toHaveLength(2);
  });

  it('the detail table under another sheet name is no second report (it has no resolved or pending columns)', async () => {
    const r = await read(await workbook({ name: 'Biểu 06a', bytes: await form() }, { name: 'Danh mục TTHC', rows: detailRows(PROCEDURES) }));
    expectAccepted(r, S01);
  });

  it('a blank copy of the form (its header, no figures) beside the filled one is no second report; the filled one is read', async () => {
    const r = await read(await workbook({ name: 'Mẫu', rows: await blankForm() }, { name: 'Biểu 06a', bytes: await form() }));
    expectAccepted(r, S01);
  });

  it('the samples with a detail sheet still read as before', async () => {
    const r = await read(await readFile(new URL('06a-S01-2022-06.xlsx', SAMPLES)), { uploader: 'S01' });
    expect(r.status).toBe('accepted');
    expect(r.procedures.length).toBeGreaterThan(0);
  });
});

describe('a CSV line with more fields than the header', () => {
  const HEADER = 'unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal';
  const HOTICH = 'S01,2022-06,Hộ tịch,1234,2345,12,300,1500,1800,91,450,50';
  const REST = 'S01,2022-06,Công chứng,0,56,0,4,20,30,0,10,0,0\nS01,2022-06,Đất đai,15,1020,3,1002,1000,540,100,380,20,2';
  const totals = (returned: number) => withCounts({ returned_postal: returned + 2 });

  it('an unquoted "1,500" in the last column is refused, naming the line, the fields and the cell (it was stored as 1)', async () => {
    const r = await read(csv(`${HEADER}\n${HOTICH},1,500\n${REST}\n`, true));
    expect(r.status).toBe('rejected');
    expect(where(r.errors)).toEqual([{ code: 'csv_extra_fields', sheet: null, row: 2, column: 'N' }]);
    expect(r.errors[0].message).toMatch(/^Dòng 2 có 14 ô, nhiều hơn 13 cột của dòng tiêu đề \(dòng 1\): ô N2 nằm ngoài bảng/);
    expect(r.errors[0].message).toContain('"1,500"');
  });

  it('quoted, "1,500" is one field: 1,500 dossiers', async () => {
    const r = await read(csv(`${HEADER}\n${HOTICH},"1,500"\n${REST}\n`, true));
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: 'csv', counts: totals(1500) });
  });

  it('a comma in a middle column shifts the line: refused at the first field past the header', async () => {
    const r = await read(csv(`${HEADER}\nS01,2022-06,Hộ tịch,1,234,2345,12,300,1500,1800,91,450,50,7\n${REST}\n`));
    expect(where(r.errors)).toContainEqual({ code: 'csv_extra_fields', sheet: null, row: 2, column: 'N' });
  });

  it('with ";" as separator, "1;500" is the same error', async () => {
    const semi = (line: string) => line.replaceAll(',', ';');
    const r = await read(csv(`${semi(HEADER)}\n${semi(HOTICH)};1;500\n${semi(REST)}\n`));
    expect(where(r.errors)).toEqual([{ code: 'csv_extra_fields', sheet: null, row: 2, column: 'N' }]);
  });

  it('every line ending with a separator, header included, is read as before', async () => {
    const lines = [HEADER, `${HOTICH},7`, ...REST.split('\n')].map((l) => `${l},`).join('\r\n');
    const r = await read(csv(`${lines}\r\n`, true));
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: 'csv', counts: TOTALS });
  });

  it('data lines ending with separators the header lacks carry only empty fields: read as before', async () => {
    const r = await read(csv(`${HEADER}\n${HOTICH},7,,\n${REST.split('\n').map((l) => `${l},`).join('\n')}\n`));
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: 'csv', counts: TOTALS });
  });

  it('the line numbers are the file\'s, title lines above the header counted', async () => {
    const r = await read(csv(`Báo cáo kết quả giải quyết TTHC\nSở Công Thương\n${HEADER}\n${HOTICH},7\n${REST.replace('10,0,0\n', '10,0,0,x\n')}\n`));
    expect(where(r.errors)).toContainEqual({ code: 'csv_extra_fields', sheet: null, row: 5, column: 'N' });
    expect(r.errors.filter((e) => e.code === 'csv_extra_fields')).toHaveLength(1);
  });

  it('a total line with an extra field is refused as well', async () => {
    const r = await read(csv(`${HEADER}\n${HOTICH},7\n${REST}\nS01,2022-06,Tổng cộng,1249,3421,15,1306,2520,2370,191,840,70,9,9\n`));
    expect(where(r.errors)).toEqual([{ code: 'csv_extra_fields', sheet: null, row: 5, column: 'N' }]);
  });

  it('a note under the table, longer than the header, is no data line', async () => {
    const r = await read(csv(`${HEADER}\n${HOTICH},7\n${REST}\nGhi chú: số liệu chốt ngày 15/06,,,,,,,,,,,,,,Người lập: Nguyễn Văn A\n`));
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: 'csv', counts: TOTALS });
  });

  it('a workbook\'s cells right of the table are not this check\'s: notes beside the form are read as before', async () => {
    const r = await read(await workbook({ name: 'Biểu 06a', bytes: await form() }, { name: 'x', rows: [] }).then(async (bytes) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      wb.getWorksheet('Biểu 06a')!.getCell('T12').value = 'đã đối chiếu';
      return Buffer.from(await wb.xlsx.writeBuffer());
    }));
    expectAccepted(r, S01);
  });
});
