// The city since 1/7/2025 in the leadership outputs: the levels come from the registry in
// force (no district level, the communes named "Xã, phường, đặc khu"), and the plan the
// texts cite and whose numbers they use is the one in force for the period.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRegistryFile } from '../../shared/config/config-files.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import { leadershipEmail } from '../../shared/report/email.ts';
import { buildPeriodReport, rankingJson, type PeriodReport } from '../../shared/report/period-report.ts';
import { buildWorkbook, SHEETS } from '../../shared/report/workbook.ts';
import type { Target } from '../../shared/units/target.ts';
import { History, input, randomCounts, seeded } from '../report/helpers.ts';

const REGISTRY = fileURLToPath(new URL('../../shared/data/haiphong-2025/registry-2025-07.csv', import.meta.url));
const PERIODS = ['2026-01', '2026-02', '2026-03'];

/** Every text cell of a workbook, with where it is. */
async function textCells(bytes: Buffer): Promise<Array<{ sheet: string; address: string; text: string }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: Array<{ sheet: string; address: string; text: string }> = [];
  for (const ws of wb.worksheets) {
    ws.eachRow((row) => row.eachCell((cell) => { if (typeof cell.value === 'string') out.push({ sheet: ws.name, address: cell.address, text: cell.value }); }));
  }
  return out;
}

let plan: PlanConfig;
let history: History;
const targets2026: Target[] = [
  { unit: 'D07', windowFrom: '2026-01', windowTo: '2026-04', targetPct: 95 },
  { unit: 'N001', windowFrom: '2026-01', windowTo: '2026-04', targetPct: 70 },
];

beforeAll(async () => {
  const read = await readRegistryFile(await readFile(REGISTRY));
  expect(read.errors).toEqual([]);
  plan = PlanConfig.withLoaded(read.rows, targets2026);
  const rng = seeded(2026);
  history = new History();
  for (const period of PERIODS) {
    for (const u of plan.unitsFor(period)) if (rng.chance(0.9)) history.report(u.code, period, randomCounts(rng, 400, 0.6));
  }
});

function report2026(over: Partial<Parameters<typeof input>[0]> = {}): PeriodReport {
  return buildPeriodReport(input({
    period: '2026-03', data: history.data, units: plan.unitsFor('2026-03'), targets: plan.targets, asOf: new Date('2026-03-20T01:00:00Z'), ...over,
  }));
}

describe('levels in force come from the registry', () => {
  it('2026-03: departments and communes ("Xã, phường, đặc khu"), no district; 2025-06 still the three levels of 2022', () => {
    expect(report2026().levels).toEqual([{ level: 'department', name: 'Sở, ban, ngành' }, { level: 'commune', name: 'Xã, phường, đặc khu' }]);
    const june = buildPeriodReport(input({ period: '2025-06', data: new History().data, units: plan.unitsFor('2025-06'), targets: plan.targets }));
    expect(june.levels.map((l) => l.name)).toEqual(['Sở, ban, ngành', 'Quận, huyện', 'Xã, phường, thị trấn']);
  });

  it('tthc ranking --json: levels and totals only for the levels in force', () => {
    const json = JSON.parse(JSON.stringify(rankingJson(report2026())));
    expect(Object.keys(json.levels)).toEqual(['department', 'commune']);
    expect(Object.keys(json.totals)).toEqual(['city', 'department', 'commune']);
    expect(json.levels.department.map((e: { unit: string }) => e.unit)).toEqual(['D07']);
    expect(json.levels.commune.map((e: { unit: string }) => e.unit)).toEqual(['N001']);
    expect(json.city.every((e: { unit: string }) => /^(D|N)\d+$/.test(e.unit))).toBe(true);
  });

  it('the workbook: a sheet per level in force named from the data, the summary a column per level, no district anywhere', async () => {
    const r = report2026();
    const bytes = await buildWorkbook(r);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      SHEETS.summary, 'Sở ban ngành', 'Xã, phường, đặc khu', SHEETS.missing, SHEETS.overdue, SHEETS.pilot, SHEETS.corrections, SHEETS.quality, SHEETS.notes,
    ]);
    const summary = wb.getWorksheet(SHEETS.summary)!;
    const header = summary.getRow(9).values as unknown[];
    expect(header.filter(Boolean)).toEqual(['Chỉ tiêu', 'Toàn thành phố', 'Sở, ban, ngành', 'Xã, phường, đặc khu']);
    const communes = wb.getWorksheet('Xã, phường, đặc khu')!;
    expect(communes.getCell('A1').value).toBe('XẾP HẠNG XÃ, PHƯỜNG, ĐẶC KHU THEO CHỈ TIÊU HỒ SƠ TRỰC TUYẾN');
    const communeHeader = (communes.getRow(4).values as unknown[]).filter(Boolean);
    expect(communeHeader).toContain('Đơn vị');
    expect(communeHeader).not.toContain('Quận, huyện');
    const cells = await textCells(bytes);
    expect(cells.filter((c) => /quận|huyện/i.test(c.text) && !/^(Xã|Phường|Đặc khu) /.test(c.text))).toEqual([]);
    // The level column of the lists names the communes as the registry does.
    expect(cells.some((c) => c.sheet === SHEETS.missing && c.text === 'Xã, phường, đặc khu')).toBe(true);
    const mail = leadershipEmail(r, ['lanh-dao@haiphong.gov.vn'], bytes);
    expect(mail.html).toContain('Xã, phường, đặc khu');
    expect(mail.html).not.toMatch(/Quận, huyện/);
  });
});
