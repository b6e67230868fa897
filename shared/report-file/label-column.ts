// Layout B's label columns (unit_code, period): one value for the whole file.
import { fileIssue, type FileIssue } from './file-issue.ts';
import type { Table } from './table.ts';
import type { Found } from './title.ts';

/** Layout B: the value of a label column, which must be the same on every data row. */
export function columnValue(table: Table, key: 'unit_code' | 'period', errors: FileIssue[]): Found<string> & { col: number } | null {
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
