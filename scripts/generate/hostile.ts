// Hostile and broken report files, for the tests and the benchmark (bench/hostile.ts): each
// is something an adversarial pass or a clumsy exporter produced, and each must get a clear
// verdict at a bounded cost. Workbooks are built from a valid form's parts with the small zip
// writer of zip-bomb.ts, so a part can be anything, under any name, of any size.
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { listZipEntries } from '../../shared/report-file/zip-guard.ts';
import { writeReport, type ReportRow, type ReportSpec } from './report-files.ts';
import { bombWorkbook, deflatedPart, partsOf, zip, SHEET_PART, type Part } from './zip-bomb.ts';

export interface HostileFile {
  name: string;
  bytes: Buffer;
  /** The verdict a correct reader gives (code: one of the errors it reports). */
  expected: { status: 'accepted' | 'rejected'; code?: string };
}

const ROWS: ReportRow[] = [
  { field: 'Hộ tịch', counts: {
    received_online: 1234, received_direct: 2345, received_postal: 12, carried_over: 300,
    resolved_early: 1500, resolved_on_time: 1800, resolved_overdue: 91, pending_within: 450, pending_overdue: 50, returned_postal: 7 } },
  { field: 'Đất đai', counts: {
    received_online: 15, received_direct: 1020, received_postal: 3, carried_over: 1002,
    resolved_early: 1000, resolved_on_time: 540, resolved_overdue: 100, pending_within: 380, pending_overdue: 20, returned_postal: 2 } },
];

/** A valid Biểu 06a of Sở Công Thương (S01) for 2022-06, the base of the hostile workbooks. */
export const BASE_SPEC: ReportSpec = { unit: { code: 'S01', name: 'Sở Công Thương' }, period: '2022-06', rows: ROWS };

export function baseWorkbook(spec: Partial<ReportSpec> = {}): Promise<Buffer> {
  return writeReport({ ...BASE_SPEC, ...spec });
}

/** Loads a workbook, edits its form sheet as a clerk (or a script) would, saves it again. */
export async function editForm(bytes: Buffer, edit: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  edit(wb.worksheets[0]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The CSV template's header (Layout B) and a valid row of H03 for 2022-06. */
export const CSV_HEADER = 'unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue';
export const csvRow = (field: string, counts: Array<string | number> = [60, 96, 23, 58, 89, 3, 29, 0]) => `H03,2022-06,${field},${counts.join(',')}`;
const csvFile = (...lines: string[]) => Buffer.from(`${[CSV_HEADER, ...lines].join('\n')}\n`, 'utf8');

// ---------------------------------------------------------------------------------------------
// Counts without bounds

/** 10^308 typed in full: read as a number it is 1e308, twice is Infinity. */
export const HUGE_COUNT = `1${'0'.repeat(308)}`;

export function hugeCountCsv(): Buffer {
  return csvFile(csvRow('Hộ tịch', [HUGE_COUNT, 96, 23, 58, 89, 3, HUGE_COUNT, 0]), csvRow('Đất đai', [HUGE_COUNT, 96, 23, 58, 89, 3, HUGE_COUNT, 0]));
}

/** Numeric cells of 1e308 and 10,000,001 in the form's first field row. */
export async function hugeCountWorkbook(): Promise<Buffer> {
  return editForm(await baseWorkbook(), (ws) => {
    const { row, col } = fieldCell(ws, 'Hộ tịch');
    // The field's column, then "Tổng số", then the counts.
    row.getCell(col + 2).value = 1e308;
    row.getCell(col + 3).value = 10_000_001;
  });
}

function fieldCell(ws: ExcelJS.Worksheet, field: string): { row: ExcelJS.Row; col: number } {
  let found: { row: ExcelJS.Row; col: number } | undefined;
  ws.eachRow((row) => { row.eachCell((c, col) => { if (!found && c.value === field) found = { row, col }; }); });
  if (!found) throw new Error(`no row "${field}"`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Texts without bounds

const NOTE = 'Số liệu chưa đối chiếu với phần mềm một cửa, đề nghị xem lại. ';
/** Excel's longest cell text. */
export const EXCEL_MAX_TEXT = 32_767;

/** Every count cell of the first field row holds a 32,767-character note (a ~7 KB file). */
export async function longNotesWorkbook(): Promise<Buffer> {
  const note = NOTE.repeat(Math.ceil(EXCEL_MAX_TEXT / NOTE.length)).slice(0, EXCEL_MAX_TEXT);
  return editForm(await baseWorkbook(), (ws) => {
    fieldCell(ws, 'Hộ tịch').row.eachCell((c) => { if (typeof c.value === 'number') c.value = note; });
  });
}

/** A field name of 500,000 characters (otherwise a valid CSV). */
export function longFieldNameCsv(length = 500_000): Buffer {
  return csvFile(csvRow('Hộ tịch '.repeat(Math.ceil(length / 8)).slice(0, length)));
}

/** NUL, BEL, ESC and C1 controls in a field name and in count cells, past the first 4 KB (the
 * binary sniff) so the file is read as text. */
export function controlCharsCsv(): Buffer {
  const padding = Array.from({ length: 120 }, () => csvRow('Chứng thực'));
  return csvFile(...padding, csvRow('Hộ\u0000tịch\u0007\u001b[31m\u0085', ['6\u00000', 96, '2\u001b3', 58, 89, 3, 29, 0]));
}

// ---------------------------------------------------------------------------------------------
// The corpus

export async function hostileCorpus(): Promise<HostileFile[]> {
  const files: HostileFile[] = [];
  const add = (name: string, bytes: Buffer, status: 'accepted' | 'rejected', code?: string) => files.push({ name, bytes, expected: { status, code } });

  add('count-10e308.csv', hugeCountCsv(), 'rejected', 'count_implausible');
  add('count-1e308.xlsx', await hugeCountWorkbook(), 'rejected', 'count_implausible');
  add('notes-32767-chars.xlsx', await longNotesWorkbook(), 'rejected', 'invalid_number');
  add('field-name-500000-chars.csv', longFieldNameCsv(), 'accepted');
  add('control-characters.csv', controlCharsCsv(), 'rejected', 'invalid_number');
  return files;
}
