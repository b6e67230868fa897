// The template a clerk downloads names the unit and the period, and the reader accepts it once
// the fields and numbers are typed in; left blank, it is refused (no figures is not a report).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildTemplate } from '../../shared/portal/template.ts';
import { readSubmission } from '../../shared/report-file/read-report.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import { plan128Registry } from '../../shared/units/plan-128-2022.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';

const registry = plan128Registry();
const units = fixedUnits(registry);
const S01 = registry.get('S01')!;
const now = new Date('2022-07-18T02:00:00Z');
const ROW = [120, 30, 2, 10, 100, 50, 2, 8, 2, 1]; // online, direct, postal, carried | early, on time, overdue | within, overdue | returned

async function cellsText(bytes: Buffer): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: string[] = [];
  book.worksheets[0].eachRow((row) => out.push(row.values ? (row.values as unknown[]).filter(Boolean).join(' | ') : ''));
  return out.join('\n');
}

describe('report template', () => {
  it('Biểu 06a names the unit, its code and the period, and is accepted once filled in', async () => {
    const file = await buildTemplate(S01, '2022-07', 'xlsx', PLAN_128_PERIODS);
    expect(file.fileName).toBe('bieu-06a-S01-2022-07.xlsx');
    const text = await cellsText(file.bytes);
    expect(text).toContain('Sở Công Thương');
    expect(text).toContain('Mã đơn vị: S01');
    expect(text).toContain('07/2022');

    const blank = await readSubmission(file.bytes, { units, uploader: 'S01', now });
    expect(blank.status).toBe('rejected');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    let first = 0;
    sheet.eachRow((row, n) => { if (!first && row.getCell(2).value === 'Trực tuyến') first = n + 1; });
    expect(first).toBeGreaterThan(0);
    sheet.getRow(first).values = ['Công nghiệp', ...ROW];
    sheet.getRow(first + 1).values = ['Thương mại', ...ROW];
    const filled = Buffer.from(await book.xlsx.writeBuffer());
    const reading = await readSubmission(filled, { units, uploader: 'S01', now });
    expect(reading.errors).toEqual([]);
    expect(reading).toMatchObject({ status: 'accepted', unit: 'S01', period: '2022-07', layout: '06a' });
    expect(reading.counts).toMatchObject({ received_online: 240, carried_over: 20, resolved_overdue: 4, pending_overdue: 4, returned_postal: 2 });
  });

  it('the CSV template carries the unit code and period and is accepted once the numbers are in', async () => {
    const file = await buildTemplate(S01, '2022-07', 'csv', PLAN_128_PERIODS);
    expect(file.fileName).toBe('bieu-06a-S01-2022-07.csv');
    const [header, row] = file.bytes.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
    expect(row.startsWith('S01,2022-07,')).toBe(true);
    const filled = `${header}\r\nS01,2022-07,Công nghiệp,${ROW.join(',')}\r\n`;
    const reading = await readSubmission(Buffer.from(filled), { units, uploader: 'S01', now });
    expect(reading.errors).toEqual([]);
    expect(reading).toMatchObject({ status: 'accepted', unit: 'S01', period: '2022-07', layout: 'csv' });
    expect(reading.counts?.received_online).toBe(120);
  });
});
