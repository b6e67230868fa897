// A configuration workbook's cost follows the cells it holds, not the sheet's width: a stray
// cell in column XFD (16,384) must not make every row 16,384 cells wide.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readTable, readTargetsFile } from '../../shared/config/config-files.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';

async function workbook(rows: number, strayAt: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Chỉ tiêu');
  ws.addRow(['unit', 'window_from', 'window_to', 'target_pct']);
  for (let i = 0; i < rows; i++) ws.addRow(['S01', '2027-01', '2027-12', 50]);
  ws.getCell(`${strayAt}1`).value = 'ghi chú';
  for (let r = 2; r <= rows + 1; r++) ws.getCell(`${strayAt}${r}`).value = 'x';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('a configuration sheet with a cell in its last column', () => {
  it('reads only the header\'s columns: rows stay as wide as the header, however far the stray cell', async () => {
    const table = await readTable(await workbook(2_000, 'XFD'));
    if (!('rows' in table)) throw new Error(`refused: ${table.message}`);
    expect(table.header).toEqual(['unit', 'window_from', 'window_to', 'target_pct', 'ghi chú']);
    expect(table.rows).toHaveLength(2_000);
    for (const r of [table.rows[0], table.rows[1_999]]) expect(Object.keys(r.cells)).toHaveLength(5);
    expect(table.rows[0]).toMatchObject({ row: 2, cells: { unit: 'S01', target_pct: '50', 'ghi chú': 'x' } });
  });

  it('the targets in it load as usual; the unknown column is ignored', async () => {
    const read = await readTargetsFile(await workbook(1, 'XFD'), PlanConfig.builtin());
    expect(read.errors).toEqual([]);
    expect(read.rows).toEqual([expect.objectContaining({ unit: 'S01', windowFrom: '2027-01', windowTo: '2027-12', targetPct: 50 })]);
  });
});
