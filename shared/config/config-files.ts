// The registry and targets files an administrator uploads (CSV, or xlsx with the same
// columns). Validated whole: a file with any error changes nothing, and every error says
// where it is, in the same shape as report files' errors.
import type ExcelJS from 'exceljs';
import { parseCsv, TooManyRecords, UnterminatedQuote } from '../csv.ts';
import { groupBy } from '../group-by.ts';
import { addMonths, FIRST_YEAR, isPlanPeriod, LAST_YEAR, periodLabel, periodSpan } from '../period.ts';
import { capText, cleanText, fileIssue, type CellRef, type FileIssue } from '../report-file/file-issue.ts';
import { detectFileKind } from '../report-file/file-type.ts';
import { cellText, type CellValue } from '../report-file/grid.ts';
import { loadExcelJS, presentCells } from '../report-file/xlsx.ts';
import { MAX_CSV_ROWS, MAX_SUBMISSION_BYTES, rejectTooLarge } from '../report-file/read-report.ts';
import { DEFAULT_ZIP_LIMITS, inspectXlsxZip } from '../report-file/zip-guard.ts';
import type { Target } from '../units/target.ts';
import { isEmailAddress, isLevel, isUnitCode, LEVEL_NAMES, MAX_UNIT_CODE } from '../units/unit.ts';
import type { PlanConfig, RegistryRow } from './plan-config.ts';

export type ConfigKind = 'registry' | 'targets' | 'plan';

export interface Table {
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
  encrypted: 'Tệp Excel có đặt mật khẩu: gỡ mật khẩu, lưu rồi nạp lại.',
  empty: 'Tệp rỗng (0 byte).',
};
const CORRUPT = 'Tệp Excel bị hỏng, không mở được. Mở lại bằng Excel, lưu rồi nạp lại.';

/**
 * A CSV or the first sheet of a workbook, as header → text per row (1-based row numbers).
 * The same guards as report files (size cap, zip guard, CSV line limit): a configuration
 * file is uploaded to the same bucket by a person, and a bad one must be refused with a
 * reason, never crash the loader.
 */
export async function readTable(bytes: Buffer): Promise<Table | FileIssue> {
  if (bytes.length > MAX_SUBMISSION_BYTES) return rejectTooLarge(bytes.length).errors[0];
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
      if (e instanceof UnterminatedQuote) return fileIssue('csv_unterminated_quote', `Dấu ngoặc kép (") mở ở dòng ${e.line} không được đóng.`, { sheet: null, row: e.line });
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
    if (!first) return fileIssue('no_table_found', 'Tệp Excel không có trang tính nào.');
    sheet = first.name;
    records = first.records;
  }
  const [head = [], ...body] = records;
  // Cleaned as a report's texts are: a unit's name reaches mails, workbooks and the portal.
  const header = head.map((h) => cleanText(h).trim().toLowerCase());
  return {
    sheet, header,
    rows: body.map((cells, i) => ({ row: i + 2, cells: Object.fromEntries(header.map((h, c) => [h, cleanText(cells[c] ?? '').trim()])) }))
      .filter((r) => Object.values(r.cells).some((v) => v !== '')),
  };
}

/**
 * The first sheet's cells as text, rows and columns from A1. Read here rather than with the
 * report reader's sheet reader because a configuration cell's number format matters: 0.7
 * shown as 70% is a target of 70.
 */
async function readFirstSheet(bytes: Buffer): Promise<{ name: string; records: string[][] } | null> {
  const workbook = new (await loadExcelJS()).Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = workbook.worksheets[0];
  if (!ws) return null;
  // Only the cells present, and only the columns the header names: a stray cell in column
  // XFD must not make every row 16,384 cells wide.
  const byRow = new Map<number, Map<number, string>>();
  for (const { row, col, cell } of presentCells(ws)) {
    let cells = byRow.get(row);
    if (!cells) byRow.set(row, (cells = new Map()));
    cells.set(col, configCellText(cell));
  }
  const headerCols = [...(byRow.get(1) ?? new Map<number, string>()).entries()]
    .filter(([, text]) => text.trim() !== '').map(([col]) => col).sort((a, b) => a - b);
  let last = 0;
  for (const r of byRow.keys()) if (r > last) last = r;
  const records: string[][] = [];
  for (let r = 1; r <= last; r++) {
    const cells = byRow.get(r);
    records.push(cells ? headerCols.map((c) => cells.get(c) ?? '') : []);
  }
  return { name: ws.name, records };
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
  // Excel turns "2026-01" typed in a cell into the date 1/1/2026: that is the period 2026-01.
  if (v instanceof Date && v.getUTCDate() === 1 && v.getUTCHours() === 0) return `${v.getUTCFullYear()}-${String(v.getUTCMonth() + 1).padStart(2, '0')}`;
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
/** Lengths a registry row may have: each row is a stored item (DynamoDB: sort keys up to 1 KB, items up to 400 KB); a code, a portal account's (MAX_UNIT_CODE). */
const MAX_NAME = 500;
const TARGET_COLUMNS = ['unit', 'window_from', 'window_to', 'target_pct'];

export function checkColumns(t: Table, required: string[], errors: FileIssue[]): boolean {
  for (const c of required) {
    if (!t.header.includes(c)) errors.push(fileIssue('missing_column', `Thiếu cột "${c}". Các cột bắt buộc: ${required.join(', ')}.`, { sheet: t.sheet, row: 1 }));
  }
  return errors.length === 0;
}

export function at(t: Table, row: number, column: string) {
  return { sheet: t.sheet, row, col: t.header.indexOf(column) + 1 };
}

/** Where each row came from, for messages that name two rows. */
export interface ReadRows<T> {
  rows: T[];
  errors: FileIssue[];
  /** The file's row number of each of `rows`. */
  lines: number[];
  /** Where a row's cell of a column is (its sheet, row and column), for checks made after reading. */
  where?: (row: number, column: string) => CellRef;
  /** Data rows in the file, read or refused (a plan's pilot rows included): what a result calls its rows. */
  read: number;
}

export async function readRegistryFile(bytes: Buffer): Promise<ReadRows<RegistryRow>> {
  const t = await readTable(bytes);
  if (!('header' in t)) return { rows: [], errors: [t], lines: [], read: 0 };
  const errors: FileIssue[] = [];
  if (!checkColumns(t, REGISTRY_COLUMNS, errors)) return { rows: [], errors, lines: [], read: 0 };
  const rows: RegistryRow[] = [];
  const lines: number[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of t.rows) {
    const bad = (column: string, code: string, message: string) => errors.push(fileIssue(code, `Dòng ${row}: ${message}`, at(t, row, column)));
    const code = cells.code.toUpperCase();
    if (!isUnitCode(code)) bad('code', 'invalid_code', `mã đơn vị "${capText(cells.code)}" chỉ gồm chữ không dấu, số, "-", "_" hoặc ".", tối đa ${MAX_UNIT_CODE} ký tự.`);
    if (!isLevel(cells.level)) bad('level', 'invalid_level', `cấp "${cells.level}" phải là department, district hoặc commune.`);
    if (!cells.name) bad('name', 'missing_name', 'thiếu tên đơn vị.');
    if (cells.name.length > MAX_NAME) bad('name', 'invalid_name', `tên đơn vị dài ${cells.name.length} ký tự: tối đa ${MAX_NAME}.`);
    if (!isPlanPeriod(cells.valid_from)) bad('valid_from', 'invalid_period', `valid_from "${cells.valid_from}" phải có dạng YYYY-MM, trong các năm ${FIRST_YEAR}–${LAST_YEAR}.`);
    const validTo = cells.valid_to ?? '';
    if (validTo && (!isPlanPeriod(validTo) || validTo < cells.valid_from)) bad('valid_to', 'invalid_period', `valid_to "${validTo}" phải có dạng YYYY-MM, trong các năm ${FIRST_YEAR}–${LAST_YEAR}, và không trước valid_from.`);
    for (const column of ['parent_code', 'merged_into'] as const) {
      if ((cells[column] ?? '').length > MAX_UNIT_CODE) bad(column, 'invalid_code', `${column} dài quá ${MAX_UNIT_CODE} ký tự.`);
    }
    const email = cells.contact_email ?? '';
    if (email && !isEmailAddress(email)) bad('contact_email', 'invalid_email', `địa chỉ thư "${capText(email)}" không hợp lệ.`);
    const key = `${code}#${cells.valid_from}`;
    if (seen.has(key)) bad('code', 'duplicate_row', `đơn vị ${code} từ kỳ ${cells.valid_from} đã có ở dòng ${seen.get(key)}.`);
    seen.set(key, row);
    rows.push({
      code, level: cells.level as RegistryRow['level'], name: cells.name, parentCode: (cells.parent_code ?? '').toUpperCase() || null,
      contactEmail: email || null, validFrom: cells.valid_from, validTo: validTo || null, mergedInto: (cells.merged_into ?? '').toUpperCase() || null,
    });
    lines.push(row);
  }
  if (rows.length === 0 && errors.length === 0) errors.push(fileIssue('no_data_rows', 'Tệp không có dòng đơn vị nào.', { sheet: t.sheet, row: 2 }));
  if (errors.length === 0) errors.push(...overlappingValidity(rows, lines, t.sheet));
  return { rows, errors, lines, where: (row, column) => at(t, row, column), read: t.rows.length };
}

/**
 * For a code, the row with the latest valid_from in force wins, so an open-ended row is simply
 * followed by the next one. But a row that says it ends (valid_to) after the next row of the
 * same code begins contradicts it: which one holds in between?
 */
function overlappingValidity(rows: readonly RegistryRow[], lines: readonly number[], sheet: string | null): FileIssue[] {
  const errors: FileIssue[] = [];
  for (const mine of groupBy(rows.map((r, i) => ({ r, line: lines[i] })), (x) => x.r.code).values()) {
    mine.sort((a, b) => (a.r.validFrom < b.r.validFrom ? -1 : 1));
    for (let i = 1; i < mine.length; i++) {
      const [a, b] = [mine[i - 1], mine[i]];
      if (a.r.validTo !== null && a.r.validTo >= b.r.validFrom) {
        errors.push(fileIssue('overlapping_validity',
          `Dòng ${b.line}: đơn vị ${b.r.code} có hiệu lực từ ${periodLabel(b.r.validFrom)}, nhưng dòng ${a.line} cho ${a.r.code} hiệu lực đến ${periodLabel(a.r.validTo)}: hai dòng chồng nhau. Sửa valid_to ở dòng ${a.line} thành kỳ trước ${periodLabel(b.r.validFrom)} hoặc bỏ một dòng.`,
          { sheet, row: b.line }));
      }
    }
  }
  return errors;
}

/** Checks that need the configuration: parents and successors exist when the row takes effect. */
export function checkRegistryAgainst(rows: readonly RegistryRow[], config: PlanConfig, lines: readonly number[] = rows.map((_, i) => i + 2),
  where: (row: number, column: string) => CellRef = (row) => ({ sheet: null, row })): FileIssue[] {
  const errors: FileIssue[] = [];
  // A parent the file itself brings in from that period on counts too.
  const firstInFile = new Map<string, string>();
  for (const r of rows) if (!(firstInFile.get(r.code)! <= r.validFrom)) firstInFile.set(r.code, r.validFrom);
  rows.forEach((r, i) => {
    const cell = (column: string) => where(lines[i], column);
    const known = (code: string) => firstInFile.get(code)! <= r.validFrom || config.rowInForce(code, r.validFrom) !== null;
    if (r.parentCode && !known(r.parentCode)) {
      errors.push(fileIssue('unknown_parent', `Dòng ${lines[i]}: đơn vị ${r.code}: đơn vị cấp trên ${r.parentCode} không có trong danh mục từ kỳ ${periodLabel(r.validFrom)}.`, cell('parent_code')));
    }
    if (r.mergedInto && !r.validTo) {
      errors.push(fileIssue('merged_without_end', `Dòng ${lines[i]}: đơn vị ${r.code} sáp nhập vào ${r.mergedInto} nhưng thiếu valid_to (kỳ cuối cùng của ${r.code}).`, cell('valid_to')));
    } else if (r.mergedInto && r.validTo) {
      // Uploads under the old code are refused with "report as <successor>": it must exist then.
      const after = addMonths(r.validTo, 1);
      const successor = config.rowInForce(r.mergedInto, after);
      if (!successor) {
        errors.push(fileIssue('unknown_successor', `Dòng ${lines[i]}: đơn vị ${r.code} sáp nhập vào ${r.mergedInto} từ kỳ ${periodLabel(after)}, nhưng ${r.mergedInto} không có trong danh mục kỳ ${periodLabel(after)}.`, cell('merged_into')));
      } else if (successor.level !== r.level) {
        // Its figures would move to another level's totals and ranking.
        errors.push(fileIssue('successor_level_mismatch',
          `Dòng ${lines[i]}: đơn vị ${r.code} (${LEVEL_NAMES[r.level]}) sáp nhập vào ${r.mergedInto} thuộc cấp ${LEVEL_NAMES[successor.level]}: chỉ sáp nhập vào đơn vị cùng cấp.`, cell('merged_into')));
      }
    }
    // A code names one unit of one level: reused for another level, its history (kept by code)
    // would count in the new unit's year-to-date figures.
    const other = config.rowsOf(r.code).find((x) => x.level !== r.level);
    if (other) {
      errors.push(fileIssue('code_reused',
        `Dòng ${lines[i]}: mã ${r.code} đã dùng cho đơn vị cấp ${LEVEL_NAMES[other.level]} (${other.name}, từ ${periodLabel(other.validFrom)}): một mã chỉ dùng cho một cấp, đơn vị mới dùng mã mới.`, cell('level')));
    }
  });
  return errors;
}

/** The fields that make a unit what it is, to tell a row that changes nothing. */
function sameUnit(a: RegistryRow, b: RegistryRow): boolean {
  return a.level === b.level && a.name === b.name && a.parentCode === b.parentCode && a.contactEmail === b.contactEmail
    && a.validTo === b.validTo && a.mergedInto === b.mergedInto;
}

/**
 * Accepted, but worth saying: rows that repeat what is already in force from an earlier period
 * (the built-in plan or a loaded file), so loading them changes nothing anyone will see; and
 * rows that a row of another source, starting later, takes over from (the latest valid_from wins).
 */
/**
 * The period from which a file brings a unit back: the file takes back (or moves later) an end
 * loaded before, and the unit, not in force then before the load, is after it. Null: no unit
 * comes back (a rename written with an end on its old row keeps the unit in force throughout).
 */
export function reopenedFrom(r: RegistryRow, before: PlanConfig, after: PlanConfig): string | null {
  const current = before.rowInForce(r.code, r.validFrom);
  if (!current?.validTo || (r.validTo !== null && r.validTo <= current.validTo)) return null;
  const back = addMonths(current.validTo, 1);
  return before.rowInForce(r.code, back) === null && after.rowInForce(r.code, back) !== null ? back : null;
}

export function registryWarnings(rows: readonly RegistryRow[], lines: readonly number[], before: PlanConfig, after: PlanConfig, builtin: readonly RegistryRow[]): FileIssue[] {
  const warnings: FileIssue[] = [];
  const repeats: Array<{ line: number; builtin: boolean }> = [];
  const plan = new Set(builtin);
  const inFile = new Set(rows.map((r) => `${r.code}#${r.validFrom}`));
  const elsewhere = groupBy(before.rows.filter((x) => !inFile.has(`${x.code}#${x.validFrom}`)), (x) => x.code);
  rows.forEach((r, i) => {
    const current = before.rowInForce(r.code, r.validFrom);
    // The same row key already loaded is the store's business ("unchanged"); the built-in plan is not stored.
    const other = current && (plan.has(current) || current.validFrom !== r.validFrom);
    if (current && other && sameUnit(current, r)) repeats.push({ line: lines[i], builtin: plan.has(current) });
    const next = (elsewhere.get(r.code) ?? []).filter((x) => x.validFrom > r.validFrom).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1))[0];
    if (next && (r.validTo === null || r.validTo >= next.validFrom)) {
      warnings.push(fileIssue('row_shadowed',
        `Dòng ${lines[i]}: đơn vị ${r.code} từ ${periodLabel(r.validFrom)} chỉ áp dụng đến ${periodLabel(addMonths(next.validFrom, -1))}: từ ${periodLabel(next.validFrom)}, dòng ${plan.has(next) ? 'có sẵn của Kế hoạch 128' : 'đã nạp'} của ${r.code} ("${next.name}") được dùng. Để thay dòng đó, dùng cùng valid_from ${next.validFrom}.`,
        { sheet: null, row: lines[i] }));
    }
  });
  // A unit this file ends (in force there before the load, not after it) in periods a loaded target
  // covers: the target no longer counts there, and its successor has none unless given one.
  const orphaned = rows.flatMap((r, i) => (r.validTo === null ? [] : before.targets
    .filter((t) => {
      if (t.unit !== r.code || t.targetPct === null || t.windowTo <= r.validTo!) return false;
      const after1 = addMonths(r.validTo!, 1);
      const p = t.windowFrom > after1 ? t.windowFrom : after1;
      return before.rowInForce(r.code, p) !== null && after.rowInForce(r.code, p) === null;
    })
    .map((t) => ({ line: lines[i], r, t }))));
  if (orphaned.length) {
    const shown = firstTen(orphaned, ({ line, r, t }) => `${r.code} (dòng ${line}: ${String(t.targetPct).replace('.', ',')}%, kỳ ${periodSpan(t.windowFrom, t.windowTo)}${r.mergedInto ? `, sáp nhập vào ${r.mergedInto}` : ''})`, 'chỉ tiêu');
    // What to do first: a message is cut at 500 characters, and the list may be long.
    warnings.push(fileIssue('target_outlives_unit',
      `${orphaned.length} chỉ tiêu đã nạp áp dụng cho kỳ sau kỳ cuối của đơn vị: sau kỳ cuối, đơn vị không còn được xếp hạng theo chỉ tiêu đó; giao chỉ tiêu cho đơn vị kế thừa (tệp chỉ tiêu) nếu cần. `
      + `${shown}.`,
      { sheet: null, row: orphaned[0].line }));
  }
  // Taking back an end loaded before brings the unit back (its reports expected, its clerk reminded): an older file loaded again does so unseen.
  const reopened = rows.flatMap((r, i) => (reopenedFrom(r, before, after) ? [{ line: lines[i], code: r.code, was: before.rowInForce(r.code, r.validFrom)! }] : []));
  if (reopened.length) {
    const shown = firstTen(reopened, (x) => `${x.code} (dòng ${x.line}, kỳ cuối ${periodLabel(x.was.validTo!)}${x.was.mergedInto ? `, sáp nhập vào ${x.was.mergedInto}` : ''})`, 'đơn vị');
    warnings.push(fileIssue('unit_reopened',
      `${reopened.length} đơn vị đã ngừng báo cáo hoặc đã sáp nhập theo tệp nạp trước sẽ hoạt động trở lại (tệp bỏ hoặc dời kỳ cuối). `
      + 'Nếu không định vậy (chẳng hạn nạp lại một tệp cũ), nạp lại tệp có valid_to và merged_into như đã nạp. '
      + `${shown}.`,
      { sheet: null, row: reopened[0].line }));
  }
  return [...warnings, ...summarise(repeats, 'row_changes_nothing', (n, which) => `${n} dòng giống hệt đơn vị đang áp dụng (${which}): các dòng này vẫn được lưu, nhưng không đơn vị nào thay đổi.`)];
}

/** One warning for many rows: a file of 252 unchanged units is one thing to say, not 252. */
function summarise(items: ReadonlyArray<{ line: number; builtin: boolean }>, code: string, say: (n: number, which: string) => string): FileIssue[] {
  if (!items.length) return [];
  const which = items.every((x) => x.builtin) ? 'có sẵn của Kế hoạch 128' : items.some((x) => x.builtin) ? 'có sẵn hoặc đã nạp trước' : 'đã nạp trước';
  return [fileIssue(code, `${say(items.length, which)} Dòng ${firstTen(items, (x) => String(x.line), 'dòng', ', ')}.`, { sheet: null, row: items[0].line })];
}

/** The first ten of a list said in a message, then how many more: "S01 (…); S02 (…) và 24 đơn vị khác". */
function firstTen<T>(items: readonly T[], say: (item: T) => string, more: string, separator = '; '): string {
  return `${items.slice(0, 10).map(say).join(separator)}${items.length > 10 ? ` và ${items.length - 10} ${more} khác` : ''}`;
}

/** A plain decimal: digits, and a decimal point or comma. Not 0x46, 7e1, +70, Infinity or 70%. */
export const PLAIN_DECIMAL = /^\d+(?:[.,]\d+)?$/;

export async function readTargetsFile(bytes: Buffer, config: PlanConfig): Promise<ReadRows<Target>> {
  const t = await readTable(bytes);
  if (!('header' in t)) return { rows: [], errors: [t], lines: [], read: 0 };
  const errors: FileIssue[] = [];
  if (!checkColumns(t, TARGET_COLUMNS, errors)) return { rows: [], errors, lines: [], read: 0 };
  const rows: Target[] = [];
  const lines: number[] = [];
  for (const { row, cells } of t.rows) {
    const bad = (column: string, code: string, message: string) => errors.push(fileIssue(code, `Dòng ${row}: ${message}`, at(t, row, column)));
    const unit = cells.unit.toUpperCase();
    const { window_from: from, window_to: to } = cells;
    if (!isPlanPeriod(from) || !isPlanPeriod(to) || to < from) {
      bad('window_from', 'invalid_window', `kỳ chỉ tiêu "${from}" đến "${to}" phải là hai kỳ YYYY-MM trong các năm ${FIRST_YEAR}–${LAST_YEAR}, kỳ đầu không sau kỳ cuối.`);
      continue;
    }
    if (!config.registryFor(from).get(unit)) {
      // A code that was merged or closed: say where its dossiers go now, so the target can be given there.
      const gone = config.retired(unit, from);
      const heir = gone?.mergedInto ? config.heirOf(unit, from) : null;
      const since = periodLabel(addMonths(gone?.validTo ?? from, 1));
      const why = !gone ? '' : !gone.mergedInto ? ` Đơn vị này đã ngừng báo cáo từ ${since}.`
        : heir ? ` Đơn vị này đã sáp nhập vào ${gone.mergedInto} từ ${since}${heir !== gone.mergedInto ? `, nay thuộc ${heir}` : ''}: giao chỉ tiêu cho ${heir}.`
        : ` Đơn vị này đã sáp nhập vào ${gone.mergedInto} từ ${since}; kỳ ${periodLabel(from)} không còn đơn vị nào kế thừa.`;
      bad('unit', 'unknown_unit_code', `mã đơn vị "${cells.unit}" không có trong danh mục kỳ ${periodLabel(from)}.${why}`);
    }
    const text = cells.target_pct;
    const pct = text === '' ? null : PLAIN_DECIMAL.test(text) ? Number(text.replace(',', '.')) : NaN;
    if (pct !== null && !(pct >= 0 && pct <= 100)) {
      bad('target_pct', 'invalid_target', `chỉ tiêu "${text}" phải là một số thập phân từ 0 đến 100, ví dụ 95 hoặc 99,5 (để trống: không giao).`);
    }
    // Optional: the plan that set the target ("Kế hoạch số 15/KH-UBND ngày 20/01/2026 …"), cited for its window.
    const plan = (cells.plan ?? '').replace(/\s+/g, ' ').trim();
    if (plan.length > 500) bad('plan', 'invalid_plan', `trích dẫn kế hoạch dài ${plan.length} ký tự: ghi số, ngày và tên kế hoạch (tối đa 500 ký tự).`);
    rows.push({ unit, windowFrom: from, windowTo: to, targetPct: pct, ...(plan ? { plan } : {}) });
    lines.push(row);
  }
  if (rows.length === 0 && errors.length === 0) errors.push(fileIssue('no_data_rows', 'Tệp không có dòng chỉ tiêu nào.', { sheet: t.sheet, row: 2 }));
  if (errors.length === 0) errors.push(...overlappingWindows(rows, lines, t.sheet));
  return { rows, errors, lines, read: t.rows.length };
}

const windowLabel = (t: Target) => periodSpan(t.windowFrom, t.windowTo);
const overlap = (a: Target, b: Target) => a.windowFrom <= b.windowTo && b.windowFrom <= a.windowTo;

/** Periods from FIRST_YEAR to LAST_YEAR: more windows than this for one unit must overlap. */
const PLAN_PERIODS = (LAST_YEAR - FIRST_YEAR + 1) * 12;

/** One unit, one target per period: two rows whose windows share a period contradict each other. */
function overlappingWindows(rows: readonly Target[], lines: readonly number[], sheet: string | null): FileIssue[] {
  const errors: FileIssue[] = [];
  for (const mine of groupBy(rows.map((t, i) => ({ t, line: lines[i] })), (x) => x.t.unit).values()) {
    // Said at once rather than pair by pair (a file of 50,000 rows for one unit would be 10^9 pairs).
    if (mine.length > PLAN_PERIODS) {
      errors.push(fileIssue('overlapping_window',
        `Dòng ${mine[PLAN_PERIODS].line}: ${mine[0].t.unit} có ${mine.length.toLocaleString('vi-VN')} dòng chỉ tiêu, nhiều hơn số kỳ từ ${FIRST_YEAR} đến ${LAST_YEAR}: các kỳ chỉ tiêu chồng nhau.`,
        { sheet, row: mine[PLAN_PERIODS].line }));
      continue;
    }
    mine.forEach((b, j) => {
      const a = mine.slice(0, j).find((x) => overlap(x.t, b.t));
      if (!a) return;
      const same = a.t.windowFrom === b.t.windowFrom && a.t.windowTo === b.t.windowTo;
      errors.push(fileIssue(same ? 'duplicate_row' : 'overlapping_window', same
        ? `Dòng ${b.line}: chỉ tiêu của ${b.t.unit} kỳ ${windowLabel(b.t)} đã có ở dòng ${a.line}.`
        : `Dòng ${b.line}: kỳ chỉ tiêu ${windowLabel(b.t)} của ${b.t.unit} chồng lên kỳ ${windowLabel(a.t)} ở dòng ${a.line}: mỗi kỳ chỉ có một chỉ tiêu.`,
      { sheet, row: b.line }));
    });
  }
  return errors;
}

/**
 * One target window at a time for the whole city: a report sums its year-to-date figures from
 * the window's first period, the same for every unit (indicators: "the plan's target window").
 * A row whose window overlaps another unit's different window would set that start for all.
 */
export function mismatchedWindows(rows: readonly Target[], lines: readonly number[], after: readonly Target[]): FileIssue[] {
  const windows = new Map<string, Target>();
  for (const t of after) if (!windows.has(`${t.windowFrom}..${t.windowTo}`)) windows.set(`${t.windowFrom}..${t.windowTo}`, t);
  const errors: FileIssue[] = [];
  rows.forEach((r, i) => {
    for (const other of windows.values()) {
      if ((other.windowFrom === r.windowFrom && other.windowTo === r.windowTo) || !overlap(other, r)) continue;
      const unit = after.find((t) => t.unit !== r.unit && t.windowFrom === other.windowFrom && t.windowTo === other.windowTo);
      if (!unit) continue;
      errors.push(fileIssue('window_mismatch',
        `Dòng ${lines[i]}: kỳ chỉ tiêu ${windowLabel(r)} của ${r.unit} khác kỳ ${windowLabel(other)} của ${unit.unit}: số liệu lũy kế tính từ đầu kỳ chỉ tiêu, chung cho mọi đơn vị, nên các kỳ chỉ tiêu trùng thời gian phải giống nhau.`,
        { sheet: null, row: lines[i] }));
      break;
    }
  });
  return errors;
}

/**
 * The targets a load would give: the configuration's, with the file's rows replacing those
 * of the same unit and window_from. Loaded targets in row-key order (unit, window_from), as
 * the store keeps them, after the built-in ones: for a period, the first window holding it wins.
 */
export function targetsAfterLoad(builtin: readonly Target[], stored: readonly Target[], rows: readonly Target[]): Target[] {
  const key = (t: Target) => `${t.unit}#${t.windowFrom}`;
  const replaced = new Set(rows.map(key));
  const loaded = [...stored.filter((t) => !replaced.has(key(t))), ...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const loadedKeys = new Set(loaded.map(key));
  return [...builtin.filter((t) => !loadedKeys.has(key(t))), ...loaded];
}

/**
 * Accepted, but worth saying: a target that another one (built-in or loaded, whose window
 * starts elsewhere) takes precedence over for some or all of its periods, and targets that
 * repeat the built-in plan's.
 */
export function targetWarnings(rows: readonly Target[], lines: readonly number[], before: readonly Target[], after: readonly Target[], builtin: readonly Target[], config?: PlanConfig): FileIssue[] {
  const warnings: FileIssue[] = [];
  // A unit that stops reporting before its window ends is ranked by the target only until then
  // (whichever of the registry and the targets is loaded first: the registry warns the other way).
  const ending = config ? rows.flatMap((r, i) => {
    if (r.targetPct === null) return [];
    const row = config.rowInForce(r.unit, r.windowFrom);
    return row?.validTo && row.validTo < r.windowTo && !config.rowInForce(r.unit, addMonths(row.validTo, 1)) ? [{ line: lines[i], r, row }] : [];
  }) : [];
  if (ending.length) {
    const shown = firstTen(ending, ({ line, r, row }) => `${r.unit} (dòng ${line}: kỳ cuối ${periodLabel(row.validTo!)}${row.mergedInto ? `, sáp nhập vào ${row.mergedInto}` : ''})`, 'chỉ tiêu');
    warnings.push(fileIssue('target_outlives_unit',
      `${ending.length} chỉ tiêu có kỳ chỉ tiêu kéo dài sau kỳ cuối của đơn vị: sau kỳ cuối, đơn vị không còn được xếp hạng theo chỉ tiêu đó; giao chỉ tiêu cho đơn vị kế thừa nếu cần. `
      + `${shown}.`,
      { sheet: null, row: ending[0].line }));
  }
  const repeats: Array<{ line: number; builtin: boolean }> = [];
  const plan = new Set(builtin);
  const byUnit = groupBy(after, (t) => t.unit);
  const current = new Map(before.map((t) => [`${t.unit}#${t.windowFrom}`, t]));
  rows.forEach((r, i) => {
    const mine = byUnit.get(r.unit) ?? [];
    const self = mine.indexOf(r);
    const first = mine.slice(0, Math.max(0, self)).filter((t) => overlap(t, r));
    for (const s of first) {
      const from = s.windowFrom > r.windowFrom ? s.windowFrom : r.windowFrom;
      const to = s.windowTo < r.windowTo ? s.windowTo : r.windowTo;
      const whole = from === r.windowFrom && to === r.windowTo;
      warnings.push(fileIssue('target_shadowed',
        `Dòng ${lines[i]}: chỉ tiêu của ${r.unit} kỳ ${windowLabel(r)} ${whole ? 'sẽ không được áp dụng' : `không áp dụng cho kỳ ${periodSpan(from, to)}`}: chỉ tiêu ${plan.has(s) ? 'có sẵn của Kế hoạch 128' : 'đã nạp'} kỳ ${windowLabel(s)} (${s.targetPct ?? 'không giao'}${s.targetPct === null ? '' : '%'}) được dùng trước. Để thay chỉ tiêu đó, dùng cùng window_from ${s.windowFrom}.`,
        { sheet: null, row: lines[i] }));
    }
    // Only the built-in plan's: the same target already loaded is the store's "unchanged".
    const was = current.get(`${r.unit}#${r.windowFrom}`);
    if (was && plan.has(was) && was.windowTo === r.windowTo && was.targetPct === r.targetPct) repeats.push({ line: lines[i], builtin: true });
  });
  return [...warnings, ...summarise(repeats, 'row_changes_nothing', (n) => `${n} chỉ tiêu giống hệt chỉ tiêu có sẵn của Kế hoạch 128: các dòng này vẫn được lưu, nhưng không chỉ tiêu nào thay đổi.`)];
}
