// From a review of the printed 2025 workbooks: the month of the registry change (07/2025) compares
// no level with June's other units; a unit with a target and no year-to-date figures reads and
// counts the same on its level's sheet, Tổng hợp and the email; the old units of a year's sheets
// are listed under their level as their own registry named it.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRegistryFile } from '../../shared/config/config-files.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import type { LeadershipReport } from '../../shared/report/period-report.ts';
import { buildRangeReport, yearRange } from '../../shared/report/range-report.ts';
import { leadershipEmail } from '../../shared/report/email.ts';
import { buildWorkbook, LEVEL_SHEETS, SHEETS } from '../../shared/report/workbook.ts';
import type { Target } from '../../shared/units/target.ts';
import { counts, History, input, randomCounts, report, reportOf, seeded, targets, unit } from './helpers.ts';

const REGISTRY_2025 = new URL('../../shared/data/haiphong-2025/registry-2025-07.csv', import.meta.url);

async function loaded(r: LeadershipReport, options: Parameters<typeof buildWorkbook>[1] = {}): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await buildWorkbook(r, { chart: null, ...options })) as unknown as ArrayBuffer);
  return wb;
}

/** A sheet's rows as label (column A) → the cells after it. */
function byLabel(ws: ExcelJS.Worksheet): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  ws.eachRow((row) => {
    const label = row.getCell(1).value;
    if (typeof label === 'string') out.set(label, [2, 3, 4, 5].map((c) => row.getCell(c).value));
  });
  return out;
}


describe('the month of the registry change (07/2025): no level is compared with June\'s other units', () => {
  let config: PlanConfig;
  let history: History;
  beforeAll(async () => {
    const read = await readRegistryFile(await readFile(REGISTRY_2025));
    expect(read.errors).toEqual([]);
    const targets: Target[] = [];
    config = PlanConfig.withLoaded(read.rows, targets);
    const rng = seeded(725);
    history = new History();
    for (const p of ['2025-05', '2025-06', '2025-07', '2025-08']) for (const u of config.unitsFor(p)) history.report(u.code, p, randomCounts(rng, 300, u.level === 'commune' ? 0.4 : 0.8));
  });

  it('07/2025: each level\'s "kỳ trước" and change are empty, with a note saying why; the city is compared', async () => {
    const r = reportOf(config, history.data, '2025-07');
    expect(r.levels.map((l) => l.name)).toEqual(['Sở, ban, ngành', 'Xã, phường, đặc khu']);
    for (const l of r.levels) expect(r.totals.levels[l.level]).toMatchObject({ previousPeriodRate: null, previousNotComparable: true });
    expect(r.totals.city.previousPeriodRate).not.toBeNull();
    const wb = await loaded(r);
    const rows = byLabel(wb.getWorksheet(SHEETS.summary)!);
    const change = rows.get('Thay đổi so với kỳ trước (điểm %)')!;
    expect(change[0]).toEqual(expect.any(Number));
    expect(change.slice(1, 3)).toEqual([null, null]);
    expect(rows.get('Tỷ lệ hồ sơ trực tuyến kỳ trước')!.slice(1, 3)).toEqual([null, null]);
    const note = [...rows.keys()].find((k) => k.startsWith('Ghi chú: '));
    expect(note).toBe('Ghi chú: tỷ lệ kỳ 06/2025 và mức thay đổi của cấp "Sở, ban, ngành" và "Xã, phường, đặc khu" để trống, không so sánh được: đơn vị hành chính thay đổi (đơn vị của cấp kỳ 06/2025 khác kỳ 07/2025); số toàn thành phố vẫn so sánh với kỳ 06/2025.');
    // Wrapped over the table, not cut at the page's edge.
    const summary = wb.getWorksheet(SHEETS.summary)!;
    let noteRow = 0;
    summary.eachRow((row, n) => { if (row.getCell(1).value === note) noteRow = n; });
    expect(summary.getCell(noteRow, 1).alignment?.wrapText).toBe(true);
    expect(summary.getRow(noteRow).height).toBeGreaterThanOrEqual(32);
    const notes = byLabel(wb.getWorksheet(SHEETS.notes)!);
    expect(notes.get('So sánh với kỳ trước')?.[0]).toContain('không so sánh được: đơn vị hành chính thay đổi');
  });

  it('08/2025 (the same units as July) and 06/2025 (the same as May) compare every level, without the note', async () => {
    for (const period of ['2025-08', '2025-06']) {
      const r = reportOf(config, history.data, period);
      for (const l of r.levels) expect(r.totals.levels[l.level]).toMatchObject({ previousPeriodRate: expect.any(Number), previousNotComparable: false });
      const rows = byLabel((await loaded(r)).getWorksheet(SHEETS.summary)!);
      expect([...rows.keys()].some((k) => k.startsWith('Ghi chú: '))).toBe(false);
      expect(byLabel((await loaded(r)).getWorksheet(SHEETS.notes)!).has('So sánh với kỳ trước')).toBe(false);
    }
  });
});

describe('a unit with a target and no year-to-date figures: chưa đạt on its sheet as on Tổng hợp and in the email', () => {
  const units = ['S01', 'S02', 'S03', 'S04'].map((c) => unit(c, 'department', `Sở ${c}`));
  const history = new History();
  for (const p of ['2022-05', '2022-06']) {
    history.report('S01', p, counts({ online: 90, direct: 10 }));
    history.report('S02', p, counts({ online: 10, direct: 90 }));
    history.report('S04', p, counts({ online: 0, direct: 0 }));
  }
  const r = report({ period: '2022-06', data: history.data, units, targets: targets({ S01: 50, S02: 50, S03: 50, S04: 50 }) });

  it('its Kết quả reads "Chưa đạt (chưa có số liệu lũy kế)", wrapped in its column; the sheet\'s chưa đạt are Tổng hợp\'s and the email\'s', async () => {
    expect(r.totals.levels.department).toMatchObject({ unitsMet: 1, unitsNotMet: 3 });
    const wb = await loaded(r);
    const ws = wb.getWorksheet(LEVEL_SHEETS.department)!;
    const header = ws.getRow(4);
    const col = [...Array(20).keys()].find((c) => header.getCell(c + 1).value === 'Kết quả')! + 1;
    const results = new Map<string, ExcelJS.Cell>();
    ws.eachRow((row, n) => { if (n > 4 && /^S0\d$/.test(String(row.getCell(3).value))) results.set(String(row.getCell(3).value), row.getCell(col)); });
    expect([...results].map(([code, cell]) => [code, cell.value])).toEqual([
      ['S01', 'Đạt'], ['S02', 'Chưa đạt'], ['S03', 'Chưa đạt (chưa có số liệu lũy kế)'], ['S04', 'Chưa đạt (không phát sinh hồ sơ)'],
    ]);
    // As many read chưa đạt as Tổng hợp counts.
    expect([...results.values()].filter((c) => String(c.value).startsWith('Chưa đạt')).length).toBe(r.totals.levels.department.unitsNotMet);
    // Wrapped in its 14-wide column, the row tall enough for two lines: nothing spills into Tỷ lệ quá hạn.
    const s03 = results.get('S03')!;
    expect(s03.alignment).toMatchObject({ wrapText: true, horizontal: 'center' });
    expect(ws.getColumn(col).width).toBe(14);
    expect(ws.getRow(Number(s03.row)).height).toBeGreaterThanOrEqual(32);
    const summary = byLabel(wb.getWorksheet(SHEETS.summary)!);
    expect(summary.get('   Chưa đạt chỉ tiêu được giao (kể cả chưa có số liệu lũy kế, không phát sinh hồ sơ)')![1]).toBe(3);
    const texts: string[] = [];
    ws.eachRow((row) => { const v = row.getCell(1).value; if (typeof v === 'string') texts.push(v); });
    expect(texts).toContain('Không xếp hạng: 2 đơn vị (1 chưa đạt, không phát sinh hồ sơ từ kỳ 05/2022; 1 chưa đạt, chưa có báo cáo hợp lệ nào từ kỳ 05/2022, 2 kỳ liên tiếp).');
    const mail = leadershipEmail(r, ['a@example.vn'], Buffer.from(''));
    expect(mail.text).toContain('đạt chỉ tiêu được giao 1; chưa đạt 3');
  });
});

describe('a year\'s unit sheets name an old unit\'s level as its own last period did', () => {
  it('a 2022 commune that left at 1/7/2025 is "Xã, phường, thị trấn" on Đánh giá năm, Tỷ lệ theo kỳ and Tình hình nộp báo cáo; a 2025 one "Xã, phường, đặc khu"', async () => {
    const old = unit('X001', 'commune', 'Thị trấn Núi Đèo');
    const [s01, x002] = [unit('S01', 'department', 'Sở Nội vụ'), unit('X002', 'commune', 'Xã Lưu Kiếm')];
    const [n001, n002, n003] = [unit('N001', 'commune', 'Đặc khu Cát Hải'), unit('N002', 'commune', 'Phường Thủy Nguyên'), unit('N003', 'commune', 'Xã An Hưng')];
    const year = yearRange('2025');
    const h = new History();
    for (const p of year.periods) for (const u of p <= '2025-06' ? [s01, old, x002] : [s01, n001, n002, n003]) h.report(u.code, p, counts({ online: 60, direct: 40 }));
    const y = buildRangeReport(year, year.periods.map((period) => report({
      period, data: h.data, units: period <= '2025-06' ? [s01, old, x002] : [s01, n001, n002, n003], targets: [], asOf: new Date('2026-01-21T01:00:00Z'),
    })));
    expect(y.months.find((m) => m.period === '2025-06')!.levels.map((l) => l.name)).toEqual(['Sở, ban, ngành', 'Xã, phường, thị trấn']);
    const wb = await loaded(y.last, { range: y });
    for (const name of [SHEETS.yearEvaluation, SHEETS.rangeRates, SHEETS.rangeSubmissions]) {
      const ws = wb.getWorksheet(name)!;
      const level = new Map<string, unknown>();
      ws.eachRow((row) => { if (/^[SXN]0\d\d?$/.test(String(row.getCell(2).value))) level.set(String(row.getCell(3).value), row.getCell(4).value); });
      expect(Object.fromEntries(level), name).toEqual({
        'Sở Nội vụ': 'Sở, ban, ngành',
        'Thị trấn Núi Đèo (đến kỳ 06/2025)': 'Xã, phường, thị trấn',
        'Xã Lưu Kiếm (đến kỳ 06/2025)': 'Xã, phường, thị trấn',
        'Đặc khu Cát Hải': 'Xã, phường, đặc khu',
        'Phường Thủy Nguyên': 'Xã, phường, đặc khu',
        'Xã An Hưng': 'Xã, phường, đặc khu',
      });
    }
  });
});
