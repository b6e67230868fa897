// Reads one uploaded report file and decides: accepted (with its normalized counts) or
// rejected (with every reason a clerk needs to fix it). Pure domain: bytes in, verdict out.
import { MAX_FIELDS } from '../csv.ts';
import type { PeriodConfig } from '../period.ts';
import type { UnitsInForce } from '../units/units-in-force.ts';
import { checkTable } from './checks.ts';
import { COLUMN_TITLES, REQUIRED_COLUMNS, type ColumnKey } from './columns.ts';
import { COUNT_KEYS, type Counts } from './counts.ts';
import { decideUnit } from './decide-unit.ts';
import { decidePeriod } from './decide-period.ts';
import { decodeFile } from './decode-file.ts';
import { isDetailSheet, readDetailSheet, type Procedure } from './detail.ts';
import { capText, columnLetter, fileIssue, type CellRef, type FileIssue } from './file-issue.ts';
import { isBlank, type Sheet } from './grid.ts';
import { COUNT_CELL_CODES } from './numbers.ts';
import { listUpTo, readTable, unlistedIssue, type Table } from './table.ts';
import { readTitle } from './title.ts';
import type { ZipLimits } from './zip-guard.ts';

export type Layout = '06a' | 'csv';

export interface FieldCounts {
  field: string;
  sheet: string | null;
  row: number;
  counts: Counts;
}

export interface SubmissionReading {
  status: 'accepted' | 'rejected';
  unit: string | null;
  period: string | null;
  layout: Layout | null;
  /** Sum of the data rows; null when the file is rejected (nothing of it is counted). */
  counts: Counts | null;
  fields: FieldCounts[];
  procedures: Procedure[];
  warnings: FileIssue[];
  errors: FileIssue[];
}

export interface ReadOptions {
  /** The units in force for the file's period (the plan's configuration, or fixedUnits of a registry). */
  units: UnitsInForce;
  /** The unit whose upload prefix the file came in under: the authority on who sent it. */
  uploader?: string | null;
  periods?: PeriodConfig;
  /** For the "period in the future" check. */
  now?: Date;
  maxBytes?: number;
  zipLimits?: ZipLimits;
}

export const MAX_SUBMISSION_BYTES = 5 * 1024 * 1024;
export { MAX_CSV_ROWS } from './decode-file.ts';

function rejected(errors: FileIssue[], partial: Partial<SubmissionReading> = {}): SubmissionReading {
  return { status: 'rejected', unit: null, period: null, layout: null, fields: [], procedures: [], warnings: [], ...partial, counts: null, errors };
}

const bytesVi = new Intl.NumberFormat('vi-VN');
const mbVi = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/**
 * A size over the limit, as the clerk reads it: in MB (vi-VN: "6,2 MB") when that differs from
 * the limit, in bytes when it would round to the limit itself ("5,0 MB, over 5 MB" reads as a mistake).
 */
export function tooLargeMessage(size: number, maxBytes = MAX_SUBMISSION_BYTES): string {
  const limit = `${mbVi.format(maxBytes / 1048576)} MB`;
  const mb = Math.round((size / 1048576) * 10) / 10;
  return mb > maxBytes / 1048576
    ? `Tệp ${mbVi.format(mb)} MB, lớn hơn giới hạn ${limit}.`
    : `Tệp ${bytesVi.format(size)} byte, lớn hơn giới hạn ${limit} (${bytesVi.format(maxBytes)} byte).`;
}

/** The verdict on a file too large to read (ingest decides this from the size alone). */
export function rejectTooLarge(size: number, maxBytes = MAX_SUBMISSION_BYTES): SubmissionReading {
  return rejected([fileIssue('file_too_large', tooLargeMessage(size, maxBytes))]);
}

export async function readSubmission(bytes: Buffer, options: ReadOptions): Promise<SubmissionReading> {
  const maxBytes = options.maxBytes ?? MAX_SUBMISSION_BYTES;
  if (bytes.length > maxBytes) return rejectTooLarge(bytes.length, maxBytes);
  const decoded = await decodeFile(bytes, options.zipLimits);
  if (!decoded.ok) return rejected(decoded.errors);
  return readSheets(decoded.sheets, options);
}

interface SheetTable { sheet: Sheet; table: Table }

const COUNT_CELL_ERRORS: ReadonlySet<string> = new Set(COUNT_CELL_CODES);

/** The tables of the sheets, detail sheets aside, that are hidden (or not). */
function tablesOf(sheets: Sheet[], hidden: boolean): SheetTable[] {
  const found: SheetTable[] = [];
  for (const sheet of sheets) {
    if (isDetailSheet(sheet.name) || !!sheet.hidden !== hidden) continue;
    const table = readTable(sheet);
    if (table) found.push({ sheet, table });
  }
  return found;
}

/** The form's columns past those received (a blank copy of the form has them): the "Chi tiết
 * TTHC" table (received online, direct, postal per procedure) under another sheet name has not. */
function hasFormColumns(table: Table): boolean {
  return [...table.columns.keys()].some((key) => !key.startsWith('received_'));
}

/** A month's report: the form's columns, and data rows. */
function isReportTable(table: Table): boolean {
  return table.dataRows.length > 0 && hasFormColumns(table);
}

/** The sheet names quoted, the first ten, then how many more (last in a message: one is cut at 500 characters). */
function sheetNames(found: SheetTable[]): string {
  const names = found.slice(0, 10).map(({ sheet }) => `"${capText(sheet.name, 40)}"`).join(', ');
  return found.length > 10 ? `${names} và ${found.length - 10} trang tính khác` : names;
}

function readSheets(sheets: Sheet[], options: ReadOptions): SubmissionReading {
  const errors: FileIssue[] = [];
  const warnings: FileIssue[] = [];
  // What the clerk sees is the report: a hidden sheet (a draft, last month's copy) is read
  // only when no visible sheet has the form (a visible list of procedures or of the columns'
  // meanings is no form; a blank visible form is, and is refused as empty).
  let found = tablesOf(sheets, false);
  let onHiddenSheet = false;
  if (!found.some(({ table }) => hasFormColumns(table))) {
    const hidden = tablesOf(sheets, true);
    if (hidden.length > 0 && (found.length === 0 || hidden.some(({ table }) => hasFormColumns(table)))) {
      found = hidden;
      onHiddenSheet = true;
    }
  }
  const reports = found.filter(({ table }) => isReportTable(table));
  if (reports.length > 1) {
    const second = reports[1];
    return rejected([fileIssue('several_report_sheets',
      `Mỗi tệp chỉ chứa báo cáo của một kỳ, nhưng tệp này có bảng số liệu ở ${reports.length} trang tính: giữ lại một trang tính có bảng số liệu (xóa các trang tính kia hoặc chuyển sang tệp khác), hoặc gửi mỗi tháng một tệp riêng. Các trang tính có bảng số liệu: ${sheetNames(reports)}.`,
      { sheet: second.sheet.name, row: second.table.headerFirstRow })]);
  }
  const chosen = reports[0] ?? found[0];
  if (!chosen) {
    return rejected([fileIssue('no_table_found',
      'Không tìm thấy bảng số liệu: cần dòng tiêu đề có các cột "Trực tuyến", "Trực tiếp", "Từ kỳ trước", "Trước hạn", "Đúng hạn", "Quá hạn", "Trong hạn" (Biểu 06a) hoặc các cột của mẫu CSV.')]);
  }
  const { table, sheet: formSheet } = chosen;
  // Read, not refused: the file holds this one report, and the clerk who hid its sheet is told.
  if (onHiddenSheet) {
    warnings.push(fileIssue('table_on_hidden_sheet',
      `Bảng số liệu được đọc từ trang tính "${capText(formSheet.name, 40)}", là trang tính đang bị ẩn: không trang tính nào đang hiện có bảng số liệu. Kiểm tra đó đúng là báo cáo của kỳ này, không phải bản nháp. Nếu không đúng, sửa tệp rồi gửi lại; nếu đúng, bỏ ẩn trang tính (chuột phải vào tên trang tính → Bỏ ẩn) để người mở tệp thấy đúng số liệu đã ghi nhận.`,
      { sheet: formSheet.name, row: table.headerFirstRow }));
  }
  const layout: Layout = table.template ? 'csv' : '06a';
  const sheetRef = (row?: number | null, col?: number | null): CellRef => ({ sheet: table.sheet, row, col });
  // Loops, not push(...list): a list of 150,000 issues overflows the call stack.
  for (const e of table.errors) errors.push(e);
  for (const w of table.warnings) warnings.push(w);

  if (formSheet.csv) checkFieldCounts(formSheet, table, errors);

  const { columns } = table;
  for (const key of REQUIRED_COLUMNS) {
    if (columns.has(key) || (key === 'received_direct' && columns.has('received_direct_or_postal'))) continue;
    errors.push(fileIssue('missing_column', `Thiếu cột "${COLUMN_TITLES[key]}".`, sheetRef(table.headerLastRow)));
  }
  if (columns.has('received_direct_or_postal') && (columns.has('received_direct') || columns.has('received_postal'))) {
    errors.push(fileIssue('conflicting_columns',
      'Có cả cột gộp "Trực tiếp, dịch vụ bưu chính" và cột "Trực tiếp"/"Bưu chính" riêng: chỉ giữ một cách ghi.',
      sheetRef(table.headerLastRow, columns.get('received_direct_or_postal'))));
  }
  if (table.dataRows.length === 0) {
    errors.push(fileIssue('no_data_rows',
      'Bảng không có dòng số liệu nào. Nếu kỳ này không phát sinh hồ sơ, ghi một dòng với các số 0.',
      sheetRef(table.headerLastRow + 1)));
  }
  // Unreadable count cells leave the other rows' sums checkable (checkTable skips a sum with a
  // missing count): the clerk hears of every mistake in one pass, not one kind per upload.
  if (errors.every((e) => COUNT_CELL_ERRORS.has(e.code))) {
    const checked = checkTable(table);
    for (const e of checked.errors) errors.push(e);
    for (const w of checked.warnings) warnings.push(w);
  }

  const title = readTitle(formSheet, table.headerFirstRow - 1);
  const period = decidePeriod(table, title.periods, options, errors, warnings);
  const unit = decideUnit(table, title.unitCode, title.unitName, options, period, errors, warnings);

  let procedures: Procedure[] = [];
  // The same rule for the detail sheet: a hidden one is read only with a table read from a hidden sheet.
  const detailSheets = sheets.filter((s) => isDetailSheet(s.name));
  const detail = detailSheets.find((s) => !s.hidden) ?? (onHiddenSheet ? detailSheets[0] : undefined);
  if (detail?.hidden) {
    warnings.push(fileIssue('table_on_hidden_sheet',
      `Trang tính chi tiết "${capText(detail.name, 40)}" đang bị ẩn nhưng được đọc, cùng bảng số liệu. Kiểm tra đó đúng là số liệu chi tiết của kỳ này, không phải bản nháp; nếu đúng, bỏ ẩn trang tính (chuột phải vào tên trang tính → Bỏ ẩn).`,
      { sheet: detail.name }));
  } else if (!detail && detailSheets.length > 0) {
    warnings.push(fileIssue('hidden_sheet_not_read',
      `Trang tính chi tiết "${capText(detailSheets[0].name, 40)}" đang bị ẩn nên không được đọc. Nếu đó là số liệu chi tiết của kỳ này, bỏ ẩn trang tính (chuột phải vào tên trang tính → Bỏ ẩn) rồi gửi lại.`,
      { sheet: detailSheets[0].name }));
  }
  if (detail) {
    const read = readDetailSheet(detail);
    procedures = read.procedures;
    for (const e of read.errors) errors.push(e);
  }

  const fields = table.dataRows.map((row) => ({
    field: row.label, sheet: table.sheet || null, row: row.row, counts: toCounts(row.values, columns),
  }));
  const reading: SubmissionReading = {
    status: errors.length ? 'rejected' : 'accepted',
    unit: unit?.code ?? null, period, layout,
    // "A late supplement needs nothing more" is for an accepted file; beside errors it contradicts them.
    counts: null, fields, procedures, warnings: errors.length ? warnings.filter((w) => w.code !== 'period_not_current') : warnings, errors,
  };
  if (reading.status === 'accepted') reading.counts = sumCounts(fields.map((f) => f.counts), columns);
  return reading;
}

/**
 * A CSV row with a field past the header's is refused: csv-parse keeps it (relax_column_count)
 * and the table reads no column there, so a count written "1,500" unquoted would be stored as 1.
 * Empty fields past the header (a separator at the end of each data line) carry nothing, and pass.
 */
function checkFieldCounts(sheet: Sheet, table: Table, errors: FileIssue[]): void {
  const n = (x: number) => x.toLocaleString('vi-VN');
  let width = 0; // the header's fields, empty ones included (Excel pads every line to the used range)
  for (let r = table.headerFirstRow; r <= table.headerLastRow; r++) width = Math.max(width, (sheet.rows[r]?.length ?? 1) - 1);
  const listed = listUpTo(errors);
  const rows = table.totalRow ? [...table.dataRows, table.totalRow] : table.dataRows;
  for (const { row } of rows) {
    const fields = sheet.rows[row] ?? [];
    let extra = width + 1;
    while (extra < fields.length && isBlank(fields[extra] ?? null)) extra++;
    if (extra >= fields.length) continue;
    listed.add(() => fileIssue('csv_extra_fields',
      `Dòng ${row} có ${n(fields.length - 1)}${fields.length - 1 >= MAX_FIELDS ? ' ô trở lên' : ' ô'}, nhiều hơn ${n(width)} cột của dòng tiêu đề (dòng ${table.headerLastRow}): ô ${columnLetter(extra)}${row} nằm ngoài bảng và số liệu của dòng có thể đã lệch cột. Thường do một ô có dấu phẩy (hoặc dấu chấm phẩy) mà không đặt trong dấu ngoặc kép, như số "1,500": bỏ dấu phân cách hàng nghìn hoặc đặt cả ô trong dấu ngoặc kép, rồi gửi lại.`,
      { sheet: null, row, col: extra }));
  }
  if (listed.unlisted > 0) errors.push(unlistedIssue(`${n(listed.unlisted)} dòng khác có nhiều ô hơn dòng tiêu đề`, null));
}

function toCounts(values: Partial<Record<ColumnKey, number>>, columns: Map<ColumnKey, number>): Counts {
  const combined = columns.has('received_direct_or_postal');
  return {
    received_online: values.received_online ?? 0,
    received_direct: (combined ? values.received_direct_or_postal : values.received_direct) ?? 0,
    received_postal: !combined && columns.has('received_postal') ? values.received_postal ?? 0 : null,
    carried_over: values.carried_over ?? 0,
    resolved_early: values.resolved_early ?? 0,
    resolved_on_time: values.resolved_on_time ?? 0,
    resolved_overdue: values.resolved_overdue ?? 0,
    pending_within: values.pending_within ?? 0,
    pending_overdue: values.pending_overdue ?? 0,
    returned_postal: columns.has('returned_postal') ? values.returned_postal ?? 0 : null,
  };
}

function sumCounts(rows: Counts[], columns: Map<ColumnKey, number>): Counts {
  const total = toCounts({}, columns);
  for (const row of rows) {
    for (const key of COUNT_KEYS) {
      if (total[key] !== null) (total as unknown as Record<string, number>)[key] += row[key] ?? 0;
    }
  }
  return total;
}
