// An .xlsx workbook as plain sheets (exceljs's document reader: it reports merged cells
// with the value of their top-left cell, which the header reader relies on).
import ExcelJS from 'exceljs';
import type { CellValue, Sheet } from './grid.ts';

/** `cached`: the cell's stored formula result. exceljs's `cell.value` drops a cached result
 * of 0 (`<f>SUM(M11:M13)</f><v>0</v>` reads as `{ formula }`), `cell.result` keeps it. */
function plainValue(v: ExcelJS.CellValue, cached?: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as ExcelJS.CellFormulaValue).result ?? cached;
      if (result === undefined || result === null) {
        return { formula: (v as ExcelJS.CellFormulaValue).formula ?? (v as ExcelJS.CellSharedFormulaValue).sharedFormula };
      }
      return plainValue(result as ExcelJS.CellValue);
    }
    if ('error' in v) return { error: String(v.error) };
    if ('text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
  }
  return String(v);
}

export async function readXlsxSheets(bytes: Buffer): Promise<Sheet[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook.worksheets.map((ws) => {
    const rows: Sheet['rows'] = [];
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      const cells: CellValue[] = [];
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        cells[c] = plainValue(cell.value, cell.result);
      });
      rows[r] = cells;
    });
    return { name: ws.name, rows };
  });
}
