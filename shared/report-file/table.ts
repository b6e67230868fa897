// Finds the report table in a sheet (title lines above, header of one to three rows,
// an optional column-number row, data rows, an optional total row, free text below)
// and reads its cells. Works on Biểu 06a sheets and CSV files alike.
import { foldKey, looseKey } from '../text.ts';
import { classifyColumn, COLUMN_TITLES, isGroupLabel, isTemplateKey, type ColumnClass, type ColumnKey, type LabelKey } from './columns.ts';
import { capText, columnLetter, fileIssue, type FileIssue } from './file-issue.ts';
import { cellAt, cellText, isBlank, isUncachedFormula, lastRow, rowCells, type CellValue, type Sheet } from './grid.ts';
import { looksNumeric, MAX_COUNT, parseCount } from './numbers.ts';

export interface TableRow {
  row: number;
  label: string;
  /** Column key → count. Missing: the cell could not be read (error reported) or, in the
   * total row, holds a formula without a stored value (nothing to check against). */
  values: Partial<Record<ColumnKey, number>>;
  /** Layout B: the row's own unit and period cells. */
  labels: Partial<Record<LabelKey, { text: string; col: number }>>;
  /** Numbered as a group ("I", "II.", "A)"), not as a field ("1", "2"): its counts may be its rows' subtotal. */
  group?: boolean;
}

export interface Table {
  sheet: string;
  headerFirstRow: number;
  headerLastRow: number;
  /** Count columns found: key → column number. */
  columns: Map<ColumnKey, number>;
  labelColumns: Map<LabelKey, number>;
  /** The header uses Layout B's keys (the CSV template) rather than Biểu 06a's texts. */
  template: boolean;
  dataRows: TableRow[];
  totalRow: TableRow | null;
  errors: FileIssue[];
  warnings: FileIssue[];
}

const MAX_HEADER_SCAN = 100;
/** Cell errors listed per table; past it one line says how many more. A 2 MB CSV can hold
 * 400,000 bad cells: 60 MB of messages nobody reads, stored and mailed. */
export const MAX_CELL_ERRORS = 1_000;

/**
 * Issues listed into `list` while it holds fewer than MAX_CELL_ERRORS (each built only then),
 * and counted past that: tens of thousands of bad rows are not tens of thousands of messages.
 */
export function listUpTo(list: FileIssue[]): { add(issue: () => FileIssue): void; readonly unlisted: number } {
  let unlisted = 0;
  return {
    add: (issue) => {
      if (list.length < MAX_CELL_ERRORS) list.push(issue());
      else unlisted++;
    },
    get unlisted() { return unlisted; },
  };
}

/** The last issue when more than MAX_CELL_ERRORS were found: how many more (`what`), none of them listed. */
export function unlistedIssue(what: string, sheet: string | null): FileIssue {
  return fileIssue('too_many_errors', `Còn ${what} không được liệt kê. Sửa các lỗi trên rồi kiểm tra lại cả tệp.`, { sheet });
}
const MAX_HEADER_ROWS = 4;
const MIN_COUNT_COLUMNS = 3;

function headerScore(sheet: Sheet, row: number): number {
  let score = 0;
  for (const [, v] of rowCells(sheet, row)) {
    if (typeof v !== 'string' || v.trim() === '') continue;
    if (isGroupLabel(v) || classifyColumn([v]).kind !== 'ignored') score++;
  }
  return score;
}

function isHeaderLike(sheet: Sheet, row: number, score: (row: number) => number): boolean {
  const cells = rowCells(sheet, row).map(([, v]) => v).filter((v) => !isBlank(v));
  if (cells.length === 0 || cells.some((v) => looksNumeric(v))) return false;
  return score(row) > 0 || cells.some((v) => typeof v === 'string' && isGroupLabel(v));
}

/** `f` computed once per argument: the header search asks about the same rows again. */
function once<T>(f: (row: number) => T): (row: number) => T {
  const known = new Map<number, T>();
  return (row) => {
    if (!known.has(row)) known.set(row, f(row));
    return known.get(row)!;
  };
}

/** "(1) (2) (3)…" or "1 2 3…" under the header: the form's column numbering, not data. */
function isColumnNumberRow(sheet: Sheet, row: number): boolean {
  const cells = rowCells(sheet, row).map(([, v]) => v).filter((v) => !isBlank(v));
  if (cells.length < 3) return false;
  // "(1)", or the form's "(3)=(4)+(5)+(6)" spelling out how a column adds up.
  if (cells.every((v) => typeof v === 'string' && /^\s*\(\s*\d+\s*\)(\s*[=+\-]\s*\(\s*\d+\s*\))*\s*$/.test(v))) return true;
  const nums = cells.map((v) => Number(typeof v === 'string' ? v.trim() : v));
  return nums.every((n, i) => Number.isInteger(n) && (i === 0 || n === nums[i - 1] + 1));
}

/** The header's first and last row, or null when the sheet has no report table. */
export function findHeader(sheet: Sheet): { first: number; last: number } | null {
  const end = Math.min(lastRow(sheet), MAX_HEADER_SCAN);
  // Each row scored once: a file of a hundred header-like lines makes each one a candidate,
  // and each candidate looks at the rows below it.
  const score = once((r) => headerScore(sheet, r));
  const headerLike = once((r) => isHeaderLike(sheet, r, score));
  for (let r = 1; r <= end; r++) {
    if (score(r) < 2) continue;
    let last = r;
    // The CSV template's header is one row of keys: a first data row whose field is "Bưu chính"
    // and whose counts are left empty reads like a header row, and must stay data.
    const templateKeys = rowCells(sheet, r).filter(([, v]) => typeof v === 'string' && isTemplateKey(v)).length;
    while (templateKeys < 3 && last + 1 <= lastRow(sheet) && last - r + 1 < MAX_HEADER_ROWS && headerLike(last + 1)) last++;
    // A real header names several distinct count columns; a stray line of prose does not.
    const keys = new Set(headerPaths(sheet, r, last).map(classifyColumn).flatMap((c) => (c.kind === 'count' ? [c.key] : [])));
    if (keys.size >= MIN_COUNT_COLUMNS) return { first: r, last };
  }
  return null;
}

/** Header texts of a column, top-down, with merged group labels carried to the right
 * where the exporter left the merged cells blank. */
function headerPaths(sheet: Sheet, first: number, last: number): string[][] {
  // The header's own width: a column without a header text is no column of the table (and
  // one cell in XFD further down must not make every header row 16,384 wide).
  let width = 0;
  for (let r = first; r <= last; r++) width = Math.max(width, rowCells(sheet, r).at(-1)?.[0] ?? 0);
  const grid: string[][] = [];
  for (let r = first; r <= last; r++) {
    const texts: string[] = [];
    for (let c = 1; c <= width; c++) {
      let text = cellText(cellAt(sheet, r, c)).trim();
      // Any text lower in the column (not just the next row): in a three-row header left
      // unmerged, "Trực tiếp" has a blank cell under the group and under "Trong đó" alike.
      let below = '';
      for (let rr = r + 1; rr <= last && !below; rr++) below = cellText(cellAt(sheet, rr, c)).trim();
      const left = texts[c - 2];
      if (!text && r < last && below && left && isGroupLabel(left)) text = left;
      texts.push(text);
    }
    grid.push(texts);
  }
  const paths: string[][] = [];
  for (let c = 0; c < width; c++) {
    const path: string[] = [];
    for (const texts of grid) {
      const t = texts[c];
      if (t && (path.length === 0 || foldKey(path[path.length - 1]) !== foldKey(t))) path.push(t);
    }
    paths.push(path);
  }
  return paths;
}

// "Tổng cộng …", "Tổng số …", "Tổng các/toàn …", "Cộng toàn/các …", or "Tổng"/"Cộng" alone: a
// prefix match on "cong" would take fields such as "Công chứng" or "Công thương" for the total row.
const TOTAL_LABEL = /^(tong cong|tong so|tong cac|tong toan|cong toan|cong cac|toan (don vi|so|nganh|quan|huyen|thi xa|xa|phuong|thi tran))\b|^(tong|cong)$/;
// Other labels that start with the word "Tổng" or "Cộng" ("Tổng hợp", "Cộng đồng") may be a
// field's or a total's: the last row so named is the total when it adds up (sumOfOthers).
const TOTAL_LIKE = /^tong\b/;
const TOTAL_LIKE_MARKED = /^cộng( |$)/;
/** A group's number, in its own cell or before its name: "I", "II.", "A)", "I. Tư pháp" (a field's is "1", "2"). */
const GROUP_NUMBER = /^\s*(?:[IVX]{1,5}|[A-Z])\s*(?:[.):]|$)/;
const NOTE_LABEL = /^(ghi chu|luu y|nguoi lap|thu truong|noi nhan|xac nhan|[^,]{0,40}, ngay \d)/;

/** A note or signature line, often merged across the table (every cell then holds its text). */
function isNoteRow(label: string, countTexts: string[]): boolean {
  return NOTE_LABEL.test(looseKey(label)) || countTexts.every((t) => t === label);
}

/** A row "nearly" sums the rows above when at least this many of its non-zero counts are the sums, and most of them. */
const NEAR_EXACT = 2;
/** A field whose name may be a total's ("Cộng đồng") is taken for the total only with this many non-zero counts: a few ones and zeros add up by chance. */
const NAMED_TOTAL_NONZERO = 3;

/**
 * How the last row compares with the column-wise sum of the rows above it (not all zeros):
 * 'exact' in every column; 'near' when most of the columns where either is non-zero (and at
 * least NEAR_EXACT) are exact, as after a typo or a total not updated when one row changed;
 * 'no' otherwise. Zeros equal to zeros prove nothing, so they do not count as exact.
 */
function sumOfOthers(rows: TableRow[]): { match: 'exact' | 'near' | 'no'; nonzero: number } {
  const last = rows[rows.length - 1];
  const keys = Object.keys(last.values) as ColumnKey[];
  const nonzero = keys.filter((k) => last.values[k] !== 0).length;
  if (nonzero === 0) return { match: 'no', nonzero };
  let exact = 0;
  let exactNonzero = 0;
  let either = 0;
  const above = rows.slice(0, -1);
  for (const k of keys) {
    const sum = above.reduce((s, r) => s + (r.values[k] ?? NaN), 0);
    const stated = last.values[k]!;
    if (sum !== 0 || stated !== 0) either++;
    if (sum === stated) {
      exact++;
      if (stated !== 0) exactNonzero++;
    }
  }
  if (exact === keys.length) return { match: 'exact', nonzero };
  return { match: exactNonzero >= NEAR_EXACT && exactNonzero * 2 > either ? 'near' : 'no', nonzero };
}

/** Labels of lines under a table that are not a field's counts: breakdowns, rates, year-to-date, contacts, dates. */
const NOT_A_FIELD = /\b(trong do|ty le|luy ke|cung ky|ghi chu|dien thoai|lien he|fax|email|ngay|thang|nam \d|ky ten|nguoi lap)/;

/** A cell a clerk fills with a count: a whole number, or digits grouped by thousands. */
function isWholeCount(v: CellValue): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0;
  // A leading zero is a phone number's or a code's, not a count's.
  return typeof v === 'string' && !/^\s*0\d/.test(v) && /^\s*\d{1,3}([.,\s\u00a0]\d{3})*\s*$|^\s*\d+\s*$/.test(v);
}

function isTotalLabel(text: string): boolean {
  return TOTAL_LABEL.test(looseKey(text));
}

function isTotalLike(text: string): boolean {
  return TOTAL_LIKE.test(looseKey(text)) || TOTAL_LIKE_MARKED.test(foldKey(text));
}

export function readTable(sheet: Sheet): Table | null {
  const header = findHeader(sheet);
  if (!header) return null;
  const errors: FileIssue[] = [];
  const warnings: FileIssue[] = [];
  const at = (row: number, col?: number) => ({ sheet: sheet.name, row, col });

  const columns = new Map<ColumnKey, number>();
  const labelColumns = new Map<LabelKey, number>();
  const paths = headerPaths(sheet, header.first, header.last);
  let templateCells = 0;
  paths.forEach((path, i) => {
    const col = i + 1;
    const cls: ColumnClass = classifyColumn(path);
    if (path.length && isTemplateKey(path[path.length - 1])) templateCells++;
    if (cls.kind === 'ambiguous') {
      errors.push(fileIssue('ambiguous_column',
        `Cột "${capText(cls.leaf)}" không nằm dưới nhóm "Số hồ sơ đã giải quyết" hay "Số hồ sơ đang giải quyết": không biết là quá hạn loại nào.`,
        at(header.last, col)));
    } else if (cls.kind === 'count' || cls.kind === 'label') {
      const map = (cls.kind === 'count' ? columns : labelColumns) as Map<string, number>;
      const previous = map.get(cls.key);
      if (previous !== undefined && cls.kind === 'count') {
        errors.push(fileIssue('duplicate_column',
          `Cột "${COLUMN_TITLES[cls.key as ColumnKey]}" xuất hiện hai lần (cột ${columnLetter(previous)} và cột ${columnLetter(col)}).`,
          at(header.last, col)));
      } else if (previous === undefined) map.set(cls.key, col);
    }
  });

  let start = header.last + 1;
  if (isColumnNumberRow(sheet, start)) start++;

  const countCols = [...columns.entries()];
  const countColSet = new Set(columns.values());
  const fieldCol = labelColumns.get('field');
  const labelColSet = new Set(labelColumns.values());
  const dataRows: TableRow[] = [];
  let totalRow: TableRow | null = null;
  let pendingLabelRows: TableRow[] = [];

  let footerRow: number | null = null;
  /** The total row that ended the table, when the loop stopped at it. */
  let endingTotal: number | null = null;
  const cellErrors = listUpTo(errors);
  for (let r = start; r <= lastRow(sheet); r++) {
    const cells = rowCells(sheet, r);
    if (cells.every(([, v]) => isBlank(v))) continue;

    const texts = cells
      .map(([c, v]) => ({ v, c }))
      .filter(({ v, c }) => typeof v === 'string' && v.trim() !== '' && !countColSet.has(c));
    const fieldLabel = fieldCol !== undefined && !isBlank(cellAt(sheet, r, fieldCol)) ? cellText(cellAt(sheet, r, fieldCol)).trim() : '';
    // With no field name, another text of the row names it, but not its unit code or period
    // (Layout B): a total row left unnamed must stay unnamed to be taken for one.
    const label = fieldLabel || (texts.find(({ v, c }) => !labelColSet.has(c) && !/^\s*\d+\s*$/.test(v as string))?.v as string | undefined ?? '');
    const isTotal = texts.some(({ v }) => isTotalLabel(v as string));
    const hasNumber = countCols.some(([, c]) => looksNumeric(cellAt(sheet, r, c)));
    const countTexts = countCols.map(([, c]) => cellAt(sheet, r, c)).filter((v) => !isBlank(v) && !looksNumeric(v)).map((v) => cellText(v).trim());

    if (!hasNumber && !isTotal) {
      if (countTexts.length === 0) {
        // Label-only rows inside the table are rows of zeros; trailing ones are notes.
        pendingLabelRows.push(readRow(r, label, true));
        continue;
      }
      // Text where counts go: the signature block or a note merged across the table, unless
      // the row names a field (then its cells are bad counts, reported as such).
      if (!fieldLabel || isNoteRow(label, countTexts)) {
        footerRow = r;
        break;
      }
    }
    const parsed = readRow(r, label, isTotal);
    if (texts.some(({ v }) => GROUP_NUMBER.test(v as string))) parsed.group = true;
    if (isTotal) {
      if (totalRow) { endingTotal = r; break; }
      totalRow = parsed;
      if (dataRows.length > 0) { endingTotal = r; break; }
      continue;
    }
    dataRows.push(...pendingLabelRows, parsed);
    pendingLabelRows = [];
  }

  // Nothing that looks like data may hide below the total row either: a field forgotten and
  // added under it, or a subtotal ("Cộng") per group, would leave those rows uncounted. Only a
  // row that reads as a field's counts: a name that is no note, every filled count cell a whole
  // number. A breakdown ("Trong đó"), a rate ("Tỷ lệ (%)"), a year-to-date line, a phone
  // number or a date under the total are notes, as the format says.
  if (endingTotal !== null) {
    for (let r = endingTotal + 1; r <= lastRow(sheet); r++) {
      const filled = countCols.map(([, c]) => cellAt(sheet, r, c)).filter((v) => !isBlank(v));
      if (filled.length < 2 || !filled.every(isWholeCount)) continue;
      const label = fieldCol !== undefined ? cellText(cellAt(sheet, r, fieldCol)).trim()
        : (rowCells(sheet, r).find(([c, v]) => typeof v === 'string' && !countColSet.has(c) && /\p{L}/u.test(v))?.[1] as string | undefined) ?? '';
      if (label && !NOT_A_FIELD.test(looseKey(capText(label)))) {
        errors.push(fileIssue('data_after_total',
          `Dòng ${r} có số liệu nhưng nằm dưới dòng tổng cộng (dòng ${endingTotal}) nên không được tính. Nếu là số liệu của một lĩnh vực, đưa dòng này lên trên dòng tổng cộng và cộng cả vào tổng; nếu mỗi nhóm có dòng cộng riêng, chỉ để một dòng tổng cộng ở cuối bảng; nếu chỉ là ghi chú, ghi rõ (ví dụ "Trong đó: …").`,
          at(r, fieldCol)));
        break;
      }
    }
  }

  // Nothing that looks like data may hide below the signature block: it would go uncounted.
  if (footerRow !== null) {
    for (let r = footerRow + 1; r <= lastRow(sheet); r++) {
      const fieldText = fieldCol !== undefined ? cellText(cellAt(sheet, r, fieldCol)).trim() : '';
      const numbers = countCols.filter(([, c]) => looksNumeric(cellAt(sheet, r, c))).length;
      const total = rowCells(sheet, r).some(([c, v]) => typeof v === 'string' && !countColSet.has(c) && isTotalLabel(v));
      if ((fieldText && numbers >= 2) || (total && numbers >= 1)) {
        errors.push(fileIssue('data_after_table_end',
          `Dòng ${r} có số liệu nhưng nằm sau dòng ${footerRow} (phần ghi chú, chữ ký) nên không được tính. Đưa các dòng số liệu lên liền nhau trong bảng; dòng không phát sinh ghi 0.`,
          at(r, fieldCol)));
        break;
      }
    }
  }

  // The CSV template allows a single row for the whole unit: labelled "Tổng cộng", it is that
  // row, not a total of nothing. (A Biểu 06a form with only its total row has no data rows.)
  if (dataRows.length === 0 && totalRow && templateCells >= 3) {
    dataRows.push(totalRow);
    totalRow = null;
  }
  // An unlabelled total row: the last row, with no field name, equals the sum of the rows above
  // it in every column. A named field is data even when it adds up so (a commune's small
  // counts do by chance: 1, 0, then 1), or its dossiers would go uncounted, unless its name
  // may be a total's ("Tổng hợp") and it adds up exactly, with enough counts not to by chance.
  // An unnamed one that nearly adds up (a typo, or a total not updated after a row was
  // changed) is a total too, and checkTable then names the columns that disagree: added in as
  // a field, it would double the figures.
  const last = dataRows[dataRows.length - 1];
  if (!totalRow && dataRows.length >= 3 && (!last.label || isTotalLike(last.label))) {
    const sum = sumOfOthers(dataRows);
    if (last.label ? sum.match === 'exact' && sum.nonzero >= NAMED_TOTAL_NONZERO : sum.match !== 'no') {
      totalRow = dataRows.pop()!;
      const which = `Dòng ${totalRow.row}${totalRow.label ? ` ("${totalRow.label}")` : ' không có tên lĩnh vực và'}`;
      warnings.push(fileIssue('total_row_unlabelled', sum.match === 'exact'
        ? `${which} bằng tổng các dòng trên nên được coi là dòng tổng cộng (không cộng thêm). Ghi "Tổng cộng" ở dòng này cho rõ.`
        : `${which} gần bằng tổng các dòng trên nên được coi là dòng tổng cộng (không cộng thêm). Nếu đúng là dòng tổng, sửa cho khớp và ghi "Tổng cộng"; nếu là số liệu của một lĩnh vực, ghi rõ tên lĩnh vực ở dòng này.`,
        at(totalRow.row)));
    }
  }

  function readRow(r: number, label: string, isTotal: boolean): TableRow {
    const values: Partial<Record<ColumnKey, number>> = {};
    for (const [key, c] of countCols) {
      const v = cellAt(sheet, r, c);
      const parsed = parseCount(v);
      if (parsed.ok) values[key] = parsed.value;
      else if (parsed.code === 'formula_without_value' && isTotal) {
        if (!isColumnSum(v, c)) {
          warnings.push(fileIssue('total_not_checked',
            `Ô tổng có công thức "${parsed.text}" nhưng tệp không lưu kết quả: chưa kiểm tra được ô này.`, at(r, c)));
        }
      } else {
        cellErrors.add(() => fileIssue(parsed.code, countMessage(parsed.code, parsed.text, key, `${columnLetter(c)}${r}`), at(r, c)));
      }
    }
    const labels: TableRow['labels'] = {};
    for (const [key, c] of labelColumns) labels[key] = { text: capText(cellText(cellAt(sheet, r, c)).trim()), col: c };
    // The label becomes the field's name in storage and in the workbook: capped like any quoted text.
    return { row: r, label: capText(label).trim(), values, labels };
  }

  if (cellErrors.unlisted > 0) errors.push(unlistedIssue(`${cellErrors.unlisted.toLocaleString('vi-VN')} ô số liệu khác có lỗi`, sheet.name));
  return {
    sheet: sheet.name, headerFirstRow: header.first, headerLastRow: header.last,
    columns, labelColumns, template: templateCells >= 3, dataRows, totalRow, errors, warnings,
  };
}

/** =SUM(X..:X..) over its own column: by construction the sum we check it against. */
function isColumnSum(v: CellValue, col: number): boolean {
  if (!isUncachedFormula(v)) return false;
  const m = /^\s*SUM\(\s*\$?([A-Z]+)\$?\d+\s*:\s*\$?([A-Z]+)\$?\d+\s*\)\s*$/i.exec(v.formula);
  return !!m && m[1].toUpperCase() === columnLetter(col) && m[2].toUpperCase() === columnLetter(col);
}

/** `cell`: where, as Excel shows it ("D13"), for messages that name the cell. */
export function countMessage(code: string, rawText: string, key: ColumnKey | string, cell?: string): string {
  const column = COLUMN_TITLES[key as ColumnKey] ?? key;
  const text = capText(rawText);
  switch (code) {
    case 'count_implausible':
      return `Số hồ sơ ${cell ? `ở ô ${cell} ` : ''}quá lớn: "${text}" (cột "${column}"). Một đơn vị không nhận quá ${MAX_COUNT.toLocaleString('vi-VN')} hồ sơ một tháng: kiểm tra lại số liệu.`;
    case 'negative_count':
      return `Số hồ sơ không được âm: "${text}" (cột "${column}").`;
    case 'fractional_count':
      return `Số hồ sơ phải là số nguyên: "${text}" (cột "${column}").`;
    case 'formula_without_value':
      return `Ô có công thức "${text}" nhưng tệp không lưu kết quả (cột "${column}"). Mở tệp bằng Excel, tính lại và lưu, hoặc ghi số trực tiếp.`;
    case 'cell_error':
      return `Ô bị lỗi công thức ${text} (cột "${column}").`;
    default:
      return `Không đọc được số "${text}" (cột "${column}"). Ghi số nguyên; để trống hoặc ghi "-" nếu bằng 0.`;
  }
}
