// Reads one uploaded report file and decides: accepted (with its normalized counts) or
// rejected (with every reason a clerk needs to fix it). Pure domain: bytes in, verdict out.
import { addMonths, formatDate, formatPeriod, isPeriod, periodLabel, periodBounds, periodContaining, periodEndingOn, PLAN_128_PERIODS, sameDate, type PeriodConfig } from '../period.ts';
import { parseCsv, TooManyRecords } from '../csv.ts';
import type { UnitsInForce } from '../units/units-in-force.ts';
import type { Unit } from '../units/unit.ts';
import { checkTable } from './checks.ts';
import { COLUMN_TITLES, REQUIRED_COLUMNS, type ColumnKey } from './columns.ts';
import { COUNT_KEYS, type Counts } from './counts.ts';
import { isDetailSheet, readDetailSheet, type Procedure } from './detail.ts';
import { fileIssue, type CellRef, type FileIssue } from './file-issue.ts';
import { detectFileKind } from './file-type.ts';
import type { Sheet } from './grid.ts';
import { readTable, type Table } from './table.ts';
import { readTitle, type Found, type PeriodMention } from './title.ts';
import { DEFAULT_ZIP_LIMITS, inspectXlsxZip, type ZipLimits } from './zip-guard.ts';
import { readXlsxSheets } from './xlsx.ts';

export type Layout = '06a' | 'csv';

export interface FieldCounts {
  field: string;
  sheet: string | null;
  row: number;
  counts: Counts;
}

export interface ReportReading {
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

export const MAX_REPORT_BYTES = 5 * 1024 * 1024;
/** Lines a CSV report may have: a unit has at most a few thousand procedures. */
export const MAX_CSV_ROWS = 50_000;
const ACCEPTED_TYPES = 'Chỉ nhận tệp Excel .xlsx (Excel 2007 trở lên) hoặc .csv (UTF-8).';

const UNSUPPORTED_MESSAGES: Record<string, string> = {
  xls: `Tệp là Excel 97-2003 (.xls). Mở bằng Excel và "Lưu thành" .xlsx rồi gửi lại. ${ACCEPTED_TYPES}`,
  ods: `Tệp là bảng tính OpenDocument (.ods). Lưu lại dạng .xlsx rồi gửi lại. ${ACCEPTED_TYPES}`,
  pdf: `Tệp là PDF: không đọc được số liệu. ${ACCEPTED_TYPES}`,
  docx: `Tệp là văn bản Word. ${ACCEPTED_TYPES}`,
  zip: `Tệp nén không phải bảng tính Excel. ${ACCEPTED_TYPES}`,
  binary: `Không nhận dạng được loại tệp. ${ACCEPTED_TYPES}`,
  empty: 'Tệp rỗng (0 byte).',
};

function rejected(errors: FileIssue[], partial: Partial<ReportReading> = {}): ReportReading {
  return { status: 'rejected', unit: null, period: null, layout: null, fields: [], procedures: [], warnings: [], ...partial, counts: null, errors };
}

/** The verdict on a file too large to read (ingest decides this from the size alone). */
export function rejectTooLarge(size: number, maxBytes = MAX_REPORT_BYTES): ReportReading {
  return rejected([fileIssue('file_too_large',
    `Tệp ${(size / 1048576).toFixed(1)} MB, vượt giới hạn ${(maxBytes / 1048576).toFixed(0)} MB.`)]);
}

export async function readReport(bytes: Buffer, options: ReadOptions): Promise<ReportReading> {
  const maxBytes = options.maxBytes ?? MAX_REPORT_BYTES;
  if (bytes.length > maxBytes) return rejectTooLarge(bytes.length, maxBytes);
  const kind = detectFileKind(bytes);
  let sheets: Sheet[];
  if (kind.kind === 'unsupported') return rejected([fileIssue('unsupported_type', UNSUPPORTED_MESSAGES[kind.detected])]);
  if (kind.kind === 'bad_encoding') {
    return rejected([fileIssue('csv_encoding', kind.detected === 'utf16'
      ? 'Tệp CSV được lưu dạng UTF-16 (Unicode). Lưu lại dạng "CSV UTF-8" rồi gửi lại.'
      : 'Tệp CSV không phải mã UTF-8 (có thể là TCVN3/VNI hoặc Windows-1258). Lưu lại dạng "CSV UTF-8" rồi gửi lại.')]);
  }
  if (kind.kind === 'xlsx') {
    const verdict = inspectXlsxZip(bytes, options.zipLimits ?? DEFAULT_ZIP_LIMITS);
    if (!verdict.ok) {
      return rejected([verdict.reason === 'corrupt'
        ? fileIssue('xlsx_corrupt', 'Tệp Excel bị hỏng, không mở được. Mở lại bằng Excel, lưu rồi gửi lại.')
        : fileIssue('xlsx_too_large', `Tệp Excel chứa dữ liệu quá lớn khi giải nén (${verdict.detail}): không phải một báo cáo tháng. Chỉ gửi biểu báo cáo.`)]);
    }
    try {
      sheets = await readXlsxSheets(bytes);
    } catch {
      return rejected([fileIssue('xlsx_corrupt', 'Tệp Excel bị hỏng, không mở được. Mở lại bằng Excel, lưu rồi gửi lại.')]);
    }
  } else {
    let records: string[][];
    try {
      records = parseCsv(kind.text, undefined, MAX_CSV_ROWS);
    } catch (e) {
      if (!(e instanceof TooManyRecords)) throw e;
      return rejected([fileIssue('csv_too_large', `Tệp CSV có hơn ${MAX_CSV_ROWS.toLocaleString('vi-VN')} dòng: không phải một báo cáo tháng.`)]);
    }
    // 1-based rows and columns, like a sheet.
    sheets = [{ name: '', rows: [undefined, ...records.map((r) => [null, ...r])] }];
  }
  return readSheets(sheets, options);
}

function readSheets(sheets: Sheet[], options: ReadOptions): ReportReading {
  const errors: FileIssue[] = [];
  const warnings: FileIssue[] = [];
  let table: Table | null = null;
  let formSheet: Sheet | null = null;
  for (const sheet of sheets) {
    if (isDetailSheet(sheet.name)) continue;
    table = readTable(sheet);
    if (table) { formSheet = sheet; break; }
  }
  if (!table || !formSheet) {
    return rejected([fileIssue('no_table_found',
      'Không tìm thấy bảng số liệu: cần dòng tiêu đề có các cột "Trực tuyến", "Trực tiếp", "Từ kỳ trước", "Trước hạn", "Đúng hạn", "Quá hạn", "Trong hạn" (Biểu 06a) hoặc các cột của mẫu CSV.')]);
  }
  const layout: Layout = table.template ? 'csv' : '06a';
  const sheetRef = (row?: number | null, col?: number | null): CellRef => ({ sheet: table!.sheet, row, col });
  errors.push(...table.errors);
  warnings.push(...table.warnings);

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
  if (errors.length === 0) {
    const checked = checkTable(table);
    errors.push(...checked.errors);
    warnings.push(...checked.warnings);
  }

  const title = readTitle(formSheet, table.headerFirstRow - 1);
  const period = decidePeriod(table, title.periods, options, errors);
  const unit = decideUnit(table, title.unitCode, title.unitName, options, period, errors, warnings);

  let procedures: Procedure[] = [];
  const detail = sheets.find((s) => isDetailSheet(s.name));
  if (detail) {
    const read = readDetailSheet(detail);
    procedures = read.procedures;
    errors.push(...read.errors);
  }

  const fields = table.dataRows.map((row) => ({
    field: row.label, sheet: table!.sheet || null, row: row.row, counts: toCounts(row.values, columns),
  }));
  const reading: ReportReading = {
    status: errors.length ? 'rejected' : 'accepted',
    unit: unit?.code ?? null, period, layout,
    counts: null, fields, procedures, warnings, errors,
  };
  if (reading.status === 'accepted') reading.counts = sumCounts(fields.map((f) => f.counts), columns);
  return reading;
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

/** Layout B: the value of a label column, which must be the same on every data row. */
function columnValue(table: Table, key: 'unit_code' | 'period', errors: FileIssue[]): Found<string> & { col: number } | null {
  let found: (Found<string> & { col: number }) | null = null;
  for (const row of table.dataRows) {
    const cell = row.labels[key];
    if (!cell || !cell.text) continue;
    if (!found) found = { value: cell.text, row: row.row, col: cell.col };
    else if (cell.text.toUpperCase() !== found.value.toUpperCase()) {
      errors.push(fileIssue(key === 'unit_code' ? 'mixed_units' : 'mixed_periods',
        key === 'unit_code'
          ? `Một tệp chỉ cho một đơn vị: dòng ${found.row} ghi "${found.value}", dòng ${row.row} ghi "${cell.text}".`
          : `Một tệp chỉ cho một kỳ báo cáo: dòng ${found.row} ghi "${found.value}", dòng ${row.row} ghi "${cell.text}".`,
        { sheet: table.sheet, row: row.row, col: cell.col }));
      return found;
    }
  }
  return found;
}

function describeUnit(u: Unit): string {
  return `${u.name} (${u.code})`;
}

function decideUnit(
  table: Table, titleCode: Found<string> | null, titleName: Found<string> | null,
  options: ReadOptions, period: string | null, errors: FileIssue[], warnings: FileIssue[],
): Unit | null {
  const asOf = period ?? periodContaining(options.now ?? new Date(), options.periods ?? PLAN_128_PERIODS);
  const registry = options.units.registryFor(asOf);
  const at = (row: number, col?: number): CellRef => ({ sheet: table.sheet, row, col: col ?? 1 });
  const uploaderCode = options.uploader?.trim().toUpperCase() || null;
  const uploader = uploaderCode ? registry.get(uploaderCode) ?? null : null;
  if (uploaderCode && !uploader) {
    const retired = options.units.retired(uploaderCode, asOf);
    errors.push(retired
      ? fileIssue('unit_retired', retired.mergedInto
        ? `Đơn vị ${retired.name} (${retired.code}) đã sáp nhập vào ${registry.get(retired.mergedInto)?.name ?? retired.mergedInto} (${retired.mergedInto}) từ sau kỳ ${retired.validTo}: báo cáo kỳ ${asOf} do ${retired.mergedInto} gửi.`
        : `Đơn vị ${retired.name} (${retired.code}) không còn trong danh mục từ sau kỳ ${retired.validTo}.`)
      : fileIssue('unknown_uploader', `Thư mục tải lên "${uploaderCode}" không phải mã của đơn vị nào trong danh mục kỳ ${asOf}.`));
    return null;
  }
  const columnCode = columnValue(table, 'unit_code', errors);
  const code = columnCode ? { value: columnCode.value.toUpperCase(), row: columnCode.row, col: columnCode.col } : titleCode && { ...titleCode, col: undefined };

  if (code) {
    const unit = registry.get(code.value);
    if (!unit) {
      errors.push(fileIssue('unknown_unit_code', `Mã đơn vị "${code.value}" không có trong danh mục đơn vị.`, at(code.row, code.col)));
      return uploader;
    }
    if (uploader && unit.code !== uploader.code) {
      errors.push(fileIssue('wrong_unit',
        `Tệp ghi mã đơn vị ${describeUnit(unit)} nhưng được tải lên thư mục của ${describeUnit(uploader)}. Mỗi đơn vị chỉ gửi báo cáo của mình.`,
        at(code.row, code.col)));
      return uploader;
    }
    if (titleName && !registry.matchName(titleName.value).some((u) => u.code === unit.code)) {
      warnings.push(fileIssue('unit_name_mismatch',
        `Tên đơn vị "${titleName.value}" không khớp mã ${unit.code} (${unit.name}); theo mã đơn vị.`, at(titleName.row)));
    }
    return unit;
  }
  if (titleName) {
    const matches = registry.matchName(titleName.value);
    if (uploader) {
      if (matches.some((u) => u.code === uploader.code)) return uploader;
      if (matches.length > 0) {
        errors.push(fileIssue('wrong_unit',
          `Tệp là báo cáo của "${titleName.value}" (${matches.map((u) => u.code).join(', ')}) nhưng được tải lên thư mục của ${describeUnit(uploader)}. Mỗi đơn vị chỉ gửi báo cáo của mình.`,
          at(titleName.row)));
        return uploader;
      }
      warnings.push(fileIssue('unit_name_unknown',
        `Tên đơn vị "${titleName.value}" không có trong danh mục; tệp được tính cho ${describeUnit(uploader)} theo thư mục tải lên.`, at(titleName.row)));
      return uploader;
    }
    if (matches.length === 1) return matches[0];
    errors.push(matches.length === 0
      ? fileIssue('unknown_unit', `Không tìm thấy đơn vị "${titleName.value}" trong danh mục. Ghi thêm dòng "Mã đơn vị: …".`, at(titleName.row))
      : fileIssue('ambiguous_unit',
        `Có ${matches.length} đơn vị tên "${titleName.value}" (${matches.map((u) => u.code).join(', ')}). Ghi thêm dòng "Mã đơn vị: …".`, at(titleName.row)));
    return null;
  }
  if (uploader) return uploader;
  errors.push(fileIssue('unit_not_found', 'Tệp không ghi đơn vị báo cáo: thêm dòng "Đơn vị báo cáo: …" và "Mã đơn vị: …" phía trên bảng.', at(1)));
  return null;
}

/** "2022-06", "06/2022", "6-2022", "2022/06". */
function parsePeriodCell(text: string): string | null {
  const t = text.trim();
  if (isPeriod(t)) return t;
  const monthFirst = /^(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(t);
  const yearFirst = /^(\d{4})\s*[/.]\s*(\d{1,2})$/.exec(t);
  const [year, month] = monthFirst ? [Number(monthFirst[2]), Number(monthFirst[1])]
    : yearFirst ? [Number(yearFirst[1]), Number(yearFirst[2])] : [0, 0];
  return month >= 1 && month <= 12 ? formatPeriod(year, month) : null;
}

function decidePeriod(table: Table, mentions: Array<Found<PeriodMention>>, options: ReadOptions, errors: FileIssue[]): string | null {
  const config = options.periods ?? PLAN_128_PERIODS;
  const candidates: Array<{ period: string; at: CellRef }> = [];
  const column = columnValue(table, 'period', errors);
  if (column) {
    const p = parsePeriodCell(column.value);
    const at = { sheet: table.sheet, row: column.row, col: column.col };
    if (!p) {
      errors.push(fileIssue('invalid_period', `Kỳ báo cáo "${column.value}" không đúng dạng YYYY-MM (ví dụ 2022-06).`, at));
      return null;
    }
    candidates.push({ period: p, at });
  }
  for (const m of mentions) {
    const at = { sheet: table.sheet, row: m.row, col: 1 };
    const v = m.value;
    if (v.kind === 'month') {
      if (v.month < 1 || v.month > 12) {
        errors.push(fileIssue('invalid_period', `Tháng báo cáo ${v.month}/${v.year} không hợp lệ.`, at));
        return null;
      }
      candidates.push({ period: formatPeriod(v.year, v.month), at });
      continue;
    }
    const period = periodEndingOn(v.to, config) ?? formatPeriod(v.to.year, v.to.month);
    const bounds = periodBounds(period, config);
    if (!sameDate(bounds.from, v.from) || !sameDate(bounds.to, v.to)) {
      errors.push(fileIssue('period_window_mismatch',
        `Kỳ báo cáo từ ${formatDate(v.from)} đến ${formatDate(v.to)} không khớp kỳ quy định: kỳ ${periodLabel(period)} là từ ${formatDate(bounds.from)} đến ${formatDate(bounds.to)}.`,
        at));
      return null;
    }
    candidates.push({ period, at });
  }
  if (candidates.length === 0) {
    errors.push(fileIssue('period_not_found',
      'Không đọc được kỳ báo cáo. Ghi phía trên bảng: "Kỳ báo cáo: Từ ngày 16/05/2022 đến ngày 15/06/2022" hoặc "Tháng 6/2022" (mẫu CSV: cột period, ví dụ 2022-06).',
      { sheet: table.sheet, row: 1, col: 1 }));
    return null;
  }
  const distinct = [...new Set(candidates.map((c) => c.period))];
  if (distinct.length > 1) {
    errors.push(fileIssue('period_conflict', `Tệp ghi nhiều kỳ báo cáo khác nhau: ${distinct.join(', ')}.`, candidates[1].at));
    return null;
  }
  const period = distinct[0];
  const latest = addMonths(periodContaining(options.now ?? new Date(), config), 1);
  if (period > latest) {
    errors.push(fileIssue('period_in_future', `Kỳ báo cáo ${period} còn ở tương lai (muộn nhất ${latest}).`, candidates[0].at));
    return null;
  }
  return period;
}
