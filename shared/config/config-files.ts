// The registry and targets files an administrator uploads (CSV, or xlsx with the same
// columns). Validated whole: a file with any error changes nothing, and every error says
// where it is, in the same shape as report files' errors.
import ExcelJS from 'exceljs';
import { parseCsv, TooManyRecords } from '../csv.ts';
import { isPeriod } from '../period.ts';
import { fileIssue, type FileIssue } from '../report-file/file-issue.ts';
import { detectFileKind } from '../report-file/file-type.ts';
import { cellText, type CellValue } from '../report-file/grid.ts';
import { MAX_CSV_ROWS, MAX_REPORT_BYTES, rejectTooLarge } from '../report-file/read-report.ts';
import { DEFAULT_ZIP_LIMITS, inspectXlsxZip } from '../report-file/zip-guard.ts';
import type { Target } from '../units/target.ts';
import { isLevel } from '../units/unit.ts';
import type { PlanConfig, RegistryRow } from './plan-config.ts';

export type ConfigKind = 'registry' | 'targets';

interface Table {
  sheet: string | null;
  header: string[];
  rows: Array<{ row: number; cells: Record<string, string> }>;
}

const ACCEPTED = 'Chỉ nhận tệp .csv (UTF-8) hoặc .xlsx.';
const UNSUPPORTED: Record<string, string> = {
  xls: 'Tệp là Excel 97-2003 (.xls): mở bằng Excel, "Lưu thành" .xlsx rồi nạp lại.',
  ods: 'Tệp là bảng tính OpenDocument (.ods): lưu lại dạng .xlsx rồi nạp lại.',
  pdf: 'Tệp là PDF: không đọc được dữ liệu.',
  docx: 'Tệp là văn bản Word.',
  zip: 'Tệp nén không phải bảng tính Excel.',
  binary: 'Không nhận dạng được loại tệp.',
  empty: 'Tệp rỗng (0 byte).',
};
const CORRUPT = 'Tệp Excel bị hỏng, không mở được. Mở lại bằng Excel, lưu rồi nạp lại.';

/**
 * A CSV or the first sheet of a workbook, as header → text per row (1-based row numbers).
 * The same guards as report files (size cap, zip guard, CSV line limit): a configuration
 * file is uploaded to the same bucket by a person, and a bad one must be refused with a
 * reason, never crash the loader.
 */
async function readTable(bytes: Buffer): Promise<Table | FileIssue> {
  if (bytes.length > MAX_REPORT_BYTES) return rejectTooLarge(bytes.length).errors[0];
  const kind = detectFileKind(bytes);
  let records: string[][];
  let sheet: string | null = null;
  if (kind.kind === 'unsupported') return fileIssue('unsupported_type', `${UNSUPPORTED[kind.detected]} ${ACCEPTED}`);
  if (kind.kind === 'bad_encoding') {
    return fileIssue('csv_encoding', kind.detected === 'utf16'
      ? 'Tệp CSV được lưu dạng UTF-16 (Unicode). Lưu lại dạng "CSV UTF-8" rồi nạp lại.'
      : 'Tệp CSV không phải mã UTF-8 (có thể là TCVN3/VNI hoặc Windows-1258). Lưu lại dạng "CSV UTF-8" rồi nạp lại.');
  }
  if (kind.kind === 'csv') {
    try {
      records = parseCsv(kind.text, undefined, MAX_CSV_ROWS);
    } catch (e) {
      if (!(e instanceof TooManyRecords)) throw e;
      return fileIssue('csv_too_large', `Tệp CSV có hơn ${MAX_CSV_ROWS.toLocaleString('vi-VN')} dòng: không phải một tệp danh mục hay chỉ tiêu.`);
    }
  } else {
    const verdict = inspectXlsxZip(bytes, DEFAULT_ZIP_LIMITS);
    if (!verdict.ok) {
      return verdict.reason === 'corrupt' ? fileIssue('xlsx_corrupt', CORRUPT)
        : fileIssue('xlsx_too_large', `Tệp Excel chứa dữ liệu quá lớn khi giải nén (${verdict.detail}): không phải một tệp danh mục hay chỉ tiêu.`);
    }
    let first: { name: string; records: string[][] } | null;
    try {
      first = await readFirstSheet(bytes);
    } catch {
      return fileIssue('xlsx_corrupt', CORRUPT);
    }
    if (!first) return fileIssue('no_table_found', 'Tệp Excel không có sheet nào.');
    sheet = first.name;
    records = first.records;
  }
  const [head = [], ...body] = records;
  const header = head.map((h) => h.trim().toLowerCase());
  return {
    sheet, header,
    rows: body.map((cells, i) => ({ row: i + 2, cells: Object.fromEntries(header.map((h, c) => [h, (cells[c] ?? '').trim()])) }))
      .filter((r) => Object.values(r.cells).some((v) => v !== '')),
  };
}

/**
 * The first sheet's cells as text, rows and columns from A1. Read here rather than with the
 * report reader's sheet reader because a configuration cell's number format matters: 0.7
 * shown as 70% is a target of 70.
 */
async function readFirstSheet(bytes: Buffer): Promise<{ name: string; records: string[][] } | null> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = workbook.worksheets[0];
  if (!ws) return null;
  const records: string[][] = [];
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => { cells[c - 1] = configCellText(cell); });
    records[r - 1] = Array.from(cells, (v) => v ?? '');
  });
  return { name: ws.name, records: Array.from(records, (r) => r ?? []) };
}

function configCellText(cell: ExcelJS.Cell): string {
  let v: unknown = cell.value;
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) v = (v as ExcelJS.CellFormulaValue).result ?? cell.result ?? null;
    else if ('text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) return 'error' in v ? String((v as { error: unknown }).error) : '';
  }
  if (typeof v === 'number') return decimalText(isPercentFormat(cell.numFmt) ? v * 100 : v);
  return cellText((v ?? null) as CellValue);
}

/** A format that shows the value ×100 with a % sign: a bare % outside quotes and escapes. */
function isPercentFormat(numFmt: string | undefined): boolean {
  return !!numFmt && numFmt.replace(/"[^"]*"|\\./g, '').includes('%');
}

/** 0.7 × 100 is 70.00000000000001 in binary: twelve significant digits are plenty for a percentage. */
function decimalText(n: number): string {
  return String(Number(n.toPrecision(12)));
}

const REGISTRY_COLUMNS = ['code', 'level', 'name', 'valid_from'];
const TARGET_COLUMNS = ['unit', 'window_from', 'window_to', 'target_pct'];

function checkColumns(t: Table, required: string[], errors: FileIssue[]): boolean {
  for (const c of required) {
    if (!t.header.includes(c)) errors.push(fileIssue('missing_column', `Thiếu cột "${c}". Các cột bắt buộc: ${required.join(', ')}.`, { sheet: t.sheet, row: 1 }));
  }
  return errors.length === 0;
}

function at(t: Table, row: number, column: string) {
  return { sheet: t.sheet, row, col: t.header.indexOf(column) + 1 };
}

export async function readRegistryFile(bytes: Buffer): Promise<{ rows: RegistryRow[]; errors: FileIssue[] }> {
  const t = await readTable(bytes);
  if (!('header' in t)) return { rows: [], errors: [t] };
  const errors: FileIssue[] = [];
  if (!checkColumns(t, REGISTRY_COLUMNS, errors)) return { rows: [], errors };
  const rows: RegistryRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of t.rows) {
    const bad = (column: string, code: string, message: string) => errors.push(fileIssue(code, `Dòng ${row}: ${message}`, at(t, row, column)));
    const code = cells.code.toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9_.-]*$/.test(code)) bad('code', 'invalid_code', `mã đơn vị "${cells.code}" chỉ gồm chữ không dấu, số, "-", "_" hoặc ".".`);
    if (!isLevel(cells.level)) bad('level', 'invalid_level', `cấp "${cells.level}" phải là department, district hoặc commune.`);
    if (!cells.name) bad('name', 'missing_name', 'thiếu tên đơn vị.');
    if (!isPeriod(cells.valid_from)) bad('valid_from', 'invalid_period', `valid_from "${cells.valid_from}" phải có dạng YYYY-MM.`);
    const validTo = cells.valid_to ?? '';
    if (validTo && (!isPeriod(validTo) || validTo < cells.valid_from)) bad('valid_to', 'invalid_period', `valid_to "${validTo}" phải có dạng YYYY-MM và không trước valid_from.`);
    const email = cells.contact_email ?? '';
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) bad('contact_email', 'invalid_email', `địa chỉ thư "${email}" không hợp lệ.`);
    const key = `${code}#${cells.valid_from}`;
    if (seen.has(key)) bad('code', 'duplicate_row', `đơn vị ${code} từ kỳ ${cells.valid_from} đã có ở dòng ${seen.get(key)}.`);
    seen.set(key, row);
    rows.push({
      code, level: cells.level as RegistryRow['level'], name: cells.name, parentCode: (cells.parent_code ?? '').toUpperCase() || null,
      contactEmail: email || null, validFrom: cells.valid_from, validTo: validTo || null, mergedInto: (cells.merged_into ?? '').toUpperCase() || null,
    });
  }
  if (rows.length === 0 && errors.length === 0) errors.push(fileIssue('no_data_rows', 'Tệp không có dòng đơn vị nào.', { sheet: t.sheet, row: 2 }));
  return { rows, errors };
}

/** Checks that need the configuration: parents and successors exist when the row takes effect. */
export function checkRegistryAgainst(rows: readonly RegistryRow[], config: PlanConfig): FileIssue[] {
  const errors: FileIssue[] = [];
  rows.forEach((r, i) => {
    const next = config.rowsFor(r.validFrom);
    const known = (code: string) => rows.some((x) => x.code === code && x.validFrom <= r.validFrom) || next.some((x) => x.code === code);
    if (r.parentCode && !known(r.parentCode)) {
      errors.push(fileIssue('unknown_parent', `Đơn vị ${r.code}: đơn vị cấp trên ${r.parentCode} không có trong danh mục từ kỳ ${r.validFrom}.`, { sheet: null, row: i + 2 }));
    }
    if (r.mergedInto && !r.validTo) {
      errors.push(fileIssue('merged_without_end', `Đơn vị ${r.code} sáp nhập vào ${r.mergedInto} nhưng thiếu valid_to (kỳ cuối cùng của ${r.code}).`, { sheet: null, row: i + 2 }));
    }
  });
  return errors;
}

export async function readTargetsFile(bytes: Buffer, config: PlanConfig): Promise<{ rows: Target[]; errors: FileIssue[] }> {
  const t = await readTable(bytes);
  if (!('header' in t)) return { rows: [], errors: [t] };
  const errors: FileIssue[] = [];
  if (!checkColumns(t, TARGET_COLUMNS, errors)) return { rows: [], errors };
  const rows: Target[] = [];
  for (const { row, cells } of t.rows) {
    const bad = (column: string, code: string, message: string) => errors.push(fileIssue(code, `Dòng ${row}: ${message}`, at(t, row, column)));
    const unit = cells.unit.toUpperCase();
    const { window_from: from, window_to: to } = cells;
    if (!isPeriod(from) || !isPeriod(to) || to < from) {
      bad('window_from', 'invalid_window', `kỳ chỉ tiêu "${from}" đến "${to}" phải là hai kỳ YYYY-MM, kỳ đầu không sau kỳ cuối.`);
      continue;
    }
    if (!config.registryFor(from).get(unit)) bad('unit', 'unknown_unit_code', `mã đơn vị "${cells.unit}" không có trong danh mục kỳ ${from}.`);
    const pct = cells.target_pct === '' ? null : Number(cells.target_pct.replace(',', '.'));
    if (pct !== null && !(Number.isFinite(pct) && pct >= 0 && pct <= 100)) bad('target_pct', 'invalid_target', `chỉ tiêu "${cells.target_pct}" phải là số phần trăm từ 0 đến 100 (để trống: không giao).`);
    rows.push({ unit, windowFrom: from, windowTo: to, targetPct: pct });
  }
  if (rows.length === 0 && errors.length === 0) errors.push(fileIssue('no_data_rows', 'Tệp không có dòng chỉ tiêu nào.', { sheet: t.sheet, row: 2 }));
  return { rows, errors };
}

