// A sheet as plain cell values, whichever file it came from: the table reader works on
// this, so Biểu 06a workbooks and CSV files go through the same rules.

/** A formula whose file carries no computed value (nothing we could read without Excel). */
export interface UncachedFormula {
  formula: string;
}

/** An Excel error value such as #REF! or #DIV/0!. */
export interface CellErrorValue {
  error: string;
}

export type CellValue = number | string | boolean | Date | UncachedFormula | CellErrorValue | null;

export interface Sheet {
  name: string;
  /** rows[r][c], 1-based like Excel; missing entries are empty cells. */
  rows: Array<Array<CellValue> | undefined>;
  /** A workbook sheet Excel does not show (xl/workbook.xml's state "hidden" or "veryHidden"). */
  hidden?: boolean;
  /** A CSV file's one sheet: each row is a line's record, as long as its fields, empty ones included. */
  csv?: boolean;
}

export function cellAt(sheet: Sheet, row: number, col: number): CellValue {
  return sheet.rows[row]?.[col] ?? null;
}

export function lastRow(sheet: Sheet): number {
  return sheet.rows.length - 1;
}

// lastCol is called in loop conditions: computed once per sheet (and again if its rows change).
const lastColCache = new WeakMap<Sheet, { rows: Sheet['rows']; length: number; col: number }>();

export function lastCol(sheet: Sheet): number {
  const cached = lastColCache.get(sheet);
  if (cached && cached.rows === sheet.rows && cached.length === sheet.rows.length) return cached.col;
  let max = 0;
  for (const row of sheet.rows) if (row && row.length - 1 > max) max = row.length - 1;
  lastColCache.set(sheet, { rows: sheet.rows, length: sheet.rows.length, col: max });
  return max;
}

/**
 * The most text a cell holds: Excel's own limit. A workbook cannot carry more from Excel, and a
 * CSV field past it is cut there, as Excel cuts it on opening. Every reader gives its cells
 * through cellTextCapped, so what each rule costs per cell is bounded whatever the file.
 */
export const MAX_CELL_TEXT = 32_767;

/** `text` cut to MAX_CELL_TEXT (a slice: the long text is not copied). */
export function cellTextCapped(text: string): string {
  return text.length > MAX_CELL_TEXT ? text.slice(0, MAX_CELL_TEXT) : text;
}

/** Present cells a row is scanned for (labels, header texts, title lines): far more than any
 * form has (Excel 2003 stopped at 256 columns). Count cells are read by position, unbounded. */
export const MAX_ROW_CELLS = 1_000;

/** The cells present in a row, [column, value] in column order, at most MAX_ROW_CELLS of them.
 * Costs what the row holds, not its width: one cell in column XFD makes a row 16,384 wide, and
 * a sheet can have tens of thousands of such rows (array methods such as every/filter walk the
 * whole width of a sparse array); and a CSV line of 50,000 fields is not a table row. */
export function rowCells(sheet: Sheet, row: number): Array<[number, CellValue]> {
  const cells = sheet.rows[row];
  if (!cells) return [];
  const out: Array<[number, CellValue]> = [];
  const add = (col: number) => {
    const v = cells[col];
    if (v !== undefined) out.push([col, v]);
    return out.length < MAX_ROW_CELLS;
  };
  if (cells.length <= 4 * MAX_ROW_CELLS) {
    for (let col = 0; col < cells.length; col++) if (!add(col)) break;
  } else {
    for (const key of Object.keys(cells)) {
      const col = Number(key);
      if (Number.isInteger(col) && !add(col)) break;
    }
  }
  return out;
}

export function isUncachedFormula(v: CellValue): v is UncachedFormula {
  return typeof v === 'object' && v !== null && 'formula' in v;
}

export function isCellError(v: CellValue): v is CellErrorValue {
  return typeof v === 'object' && v !== null && 'error' in v;
}

export function isBlank(v: CellValue): boolean {
  return v === null || (typeof v === 'string' && v.trim() === '');
}

/** The cell as text: dates as dd/mm/yyyy (Excel stores them as UTC midnight). */
export function cellText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    const dd = String(v.getUTCDate()).padStart(2, '0');
    const mm = String(v.getUTCMonth() + 1).padStart(2, '0');
    return `${dd}/${mm}/${v.getUTCFullYear()}`;
  }
  if (isUncachedFormula(v)) return `=${v.formula}`;
  return v.error;
}

/** A title line is a sentence: longer, it is not a title. */
export const MAX_ROW_TEXT = 1_000;

/** All non-blank cell texts of a row joined by spaces (title lines often span cells), each run
 * of whitespace as one space, at most MAX_ROW_TEXT characters: the title's patterns (a lazy
 * name then `\s*$`) backtrack quadratically over a long run of spaces, and a 4 MB line of them
 * would take hours. */
export function rowText(sheet: Sheet, row: number): string {
  // A merged title line repeats its text in every cell of the merge (see xlsx.ts): keep it once.
  const texts = rowCells(sheet, row).filter(([, v]) => !isBlank(v))
    .map(([, v]) => cellText(v).slice(0, MAX_ROW_TEXT * 4).replace(/\s+/g, ' ').trim());
  return texts.filter((t, i) => i === 0 || t !== texts[i - 1]).join(' ').slice(0, MAX_ROW_TEXT);
}
