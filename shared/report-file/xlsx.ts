// An .xlsx workbook as plain sheets (exceljs's document reader: it reports merged cells
// with the value of their top-left cell, which the header reader relies on).
import type ExcelJS from 'exceljs';
import { cellTextCapped, MAX_CELL_TEXT, type CellValue, type Sheet } from './grid.ts';

// exceljs takes a few hundred ms to load: the first workbook read loads it, not every command
// or function that imports a reader (`tthc status`, a CSV upload).
let exceljs: Promise<typeof ExcelJS> | undefined;
/** The exceljs module, loaded on first use. */
export function loadExcelJS(): Promise<typeof ExcelJS> {
  return (exceljs ??= import('exceljs').then((m) => m.default));
}

/** exceljs's ValueType.Null (its enum's value, without loading exceljs to read it). */
const NULL_VALUE_TYPE = 0 satisfies ExcelJS.ValueType.Null;

/** `cached`: the cell's stored formula result. exceljs's `cell.value` drops a cached result
 * of 0 (`<f>SUM(M11:M13)</f><v>0</v>` reads as `{ formula }`), `cell.result` keeps it. */
function plainValue(v: ExcelJS.CellValue, cached?: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return cellTextCapped(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return richText(v.richText);
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as ExcelJS.CellFormulaValue).result ?? cached;
      if (result === undefined || result === null) {
        return { formula: (v as ExcelJS.CellFormulaValue).formula ?? (v as ExcelJS.CellSharedFormulaValue).sharedFormula };
      }
      return plainValue(result as ExcelJS.CellValue);
    }
    if ('error' in v) return { error: String(v.error) };
    if ('text' in v) return cellTextCapped(String((v as ExcelJS.CellHyperlinkValue).text));
  }
  return cellTextCapped(String(v));
}

/** A rich text's runs joined, up to MAX_CELL_TEXT: never the whole of a forged 7 MB run, which
 * a shared string or a merge can put in thousands of cells (each its own copy once joined). */
function richText(runs: ReadonlyArray<{ text: string }>): string {
  let text = '';
  for (const run of runs) {
    const room = MAX_CELL_TEXT - text.length;
    text += run.text.length > room ? run.text.slice(0, room) : run.text;
    if (text.length >= MAX_CELL_TEXT) break;
  }
  return text;
}

/** Excel's last row: a row past it cannot come from Excel, and would make the sheet's row
 * loops run for billions of empty rows. */
const MAX_ROW = 1_048_576;

// exceljs's own internals, read directly: Worksheet.eachRow and Row.eachCell walk every
// column up to a row's last one (Row.hasValues, forEach over a sparse array), so 95,000 rows
// each with one cell in XFD cost 1.5 billion steps. Reading the sparse arrays by key costs
// what the sheet holds.
interface SparseRows { _rows?: Array<ExcelJS.Row | undefined> }
interface SparseCells { _cells?: Array<ExcelJS.Cell | undefined> }

/** The cells of a worksheet that hold something, row by row and left to right, as eachRow and
 * eachCell without includeEmpty give them (merged cells carry their top-left cell's value),
 * at the cost of the cells present. */
export function* presentCells(ws: ExcelJS.Worksheet): Generator<{ row: number; col: number; cell: ExcelJS.Cell }> {
  const wsRows = (ws as unknown as SparseRows)._rows;
  if (!Array.isArray(wsRows)) { // another exceljs: its public (slower) API
    const all: Array<{ row: number; col: number; cell: ExcelJS.Cell }> = [];
    ws.eachRow({ includeEmpty: false }, (row, r) => row.eachCell({ includeEmpty: false }, (cell, c) => { all.push({ row: r, col: c, cell }); }));
    yield* all;
    return;
  }
  for (const rowKey of Object.keys(wsRows)) {
    const row = Number(rowKey) + 1;
    const rowCells = (wsRows[row - 1] as unknown as SparseCells | undefined)?._cells;
    if (!rowCells) continue;
    for (const cellKey of Object.keys(rowCells)) {
      const cell = rowCells[Number(cellKey)];
      if (cell && cell.type !== NULL_VALUE_TYPE) yield { row, col: Number(cellKey) + 1, cell };
    }
  }
}

function sheetRows(ws: ExcelJS.Worksheet): Sheet['rows'] {
  const rows: Sheet['rows'] = [];
  for (const { row, col, cell } of presentCells(ws)) {
    if (row > MAX_ROW) throw new Error(`row ${row} is past Excel's last row`);
    (rows[row] ??= [])[col] = plainValue(cell.value, cell.result);
  }
  return rows;
}

export async function readXlsxSheets(bytes: Buffer): Promise<Sheet[]> {
  const workbook = new (await loadExcelJS()).Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook.worksheets.map((ws) => ({
    name: ws.name, rows: sheetRows(ws),
    // exceljs reads the state from xl/workbook.xml's <sheet state="…">; absent, the sheet is visible.
    ...(ws.state === 'hidden' || ws.state === 'veryHidden' ? { hidden: true } : {}),
  }));
}
