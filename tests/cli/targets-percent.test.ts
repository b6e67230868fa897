// End to end with the local stack, through the real `tthc` command: a targets workbook whose
// cells are percent-formatted (0.7 shown as 70%) ranks the unit against 70, not 0.7.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tthcOk } from '../fixtures/tthc.ts';

let home: string;
const tthc = (...args: string[]) => tthcOk(args, { home });

beforeAll(async () => { home = await mkdtemp(join(tmpdir(), 'tthc-cli-pct-')); });
afterAll(async () => { await rm(home, { recursive: true, force: true }); });

describe('a percent-formatted targets workbook', () => {
  it('0.7 formatted 0% is a target of 70: tthc ranking --json shows target_pct 70', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Chỉ tiêu');
    ws.addRow(['unit', 'window_from', 'window_to', 'target_pct']);
    ws.addRow(['S01', '2027-01', '2027-12', 0.7]);
    ws.getCell('D2').numFmt = '0%';
    const targets = join(home, 'chi-tieu-2027.xlsx');
    await writeFile(targets, Buffer.from(await wb.xlsx.writeBuffer()));
    const loaded = JSON.parse((await tthc('targets', 'load', targets, '--json')).stdout);
    expect(loaded).toMatchObject({ status: 'loaded', rows: 1, errors: [] });

    const report = join(home, 'bao-cao-S01-2027-03.csv');
    await writeFile(report, 'unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal\nS01,2027-03,Chung,80,20,0,0,80,20,0,0,0,0\n');
    await tthc('ingest', '--at', '2027-03-18T03:00:00Z', report);
    const ranking = JSON.parse((await tthc('ranking', '--period', '2027-03', '--json')).stdout);
    expect(ranking.levels.department.find((e: { unit: string }) => e.unit === 'S01')).toMatchObject({ target_pct: 70, gap_pp: 10 });
  }, 180_000);
});
