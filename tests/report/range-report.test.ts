// Quarterly and annual reports: the range's periods, each unit's rates side by side, the
// submission record, and for the year the evaluation against the target window.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { leadershipEmail } from '../../shared/report/email.ts';
import { loadRangeReport, NoReportDataError } from '../../shared/report/load-report.ts';
import { buildRangeReport, isQuarter, quarterEndingIn, quarterRange, yearRange, type RangeReport } from '../../shared/report/range-report.ts';
import { buildWorkbook, SHEETS } from '../../shared/report/workbook.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import { PLAN_128_TARGETS, PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import { counts, History, report, targets, unit } from './helpers.ts';
import { planContext, putReport } from './store-records.ts';

const UNITS = [unit('S01', 'department'), unit('S02', 'department'), unit('X001', 'commune'), unit('X002', 'commune')];
const TARGETS = targets({ S01: 50, S02: 70, X001: 30, X002: null });

/** Tổng hợp's table lines of a range's workbook, in order: the label, then the city's and each level's cells. */
async function summaryLines(rr: RangeReport): Promise<Array<[string, unknown[]]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await buildWorkbook(rr.last, { range: rr, chart: null }) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(SHEETS.summary)!;
  const lines: Array<[string, unknown[]]> = [];
  let header = 0;
  ws.eachRow((row, n) => {
    const values = (row.values as unknown[]).slice(1);
    if (values[0] === 'Chỉ tiêu') header = n;
    if (header && n >= header && typeof values[0] === 'string') lines.push([values[0], Array.from(values.slice(1), (v) => v ?? null)]);
  });
  return lines;
}

describe('ranges', () => {
  it('names quarters and years as the title does', () => {
    expect(quarterRange('2022-Q3')).toEqual({ kind: 'quarter', id: '2022-Q3', label: 'Quý III/2022', periods: ['2022-07', '2022-08', '2022-09'] });
    expect(quarterRange('2023-Q1').label).toBe('Quý I/2023');
    expect(yearRange('2022')).toMatchObject({ kind: 'year', label: 'năm 2022' });
    expect(yearRange('2022').periods).toHaveLength(12);
    expect(isQuarter('2022-Q5')).toBe(false);
    expect(() => quarterRange('2022-Q0')).toThrow();
    expect(quarterEndingIn('2022-09')).toBe('2022-Q3');
    expect(quarterEndingIn('2022-12')).toBe('2022-Q4');
    expect(quarterEndingIn('2022-08')).toBeNull();
  });
});

describe('range report', () => {
  // S01: 60% each month, on time; S02: 40%, late in August, missing September;
  // X001: 20% then 50%; X002 (no target) reports on time.
  const h = new History();
  for (const p of ['2022-05', '2022-06', '2022-07', '2022-08', '2022-09']) {
    h.report('S01', p, counts({ online: 60, direct: 40 }));
    if (p !== '2022-09') h.report('S02', p, counts({ online: 40, direct: 60 }), p === '2022-08' ? { eventTime: '2022-08-22T03:00:00.000Z' } : {});
    h.report('X001', p, counts(p < '2022-08' ? { online: 20, direct: 80 } : { online: 50, direct: 50 }));
    h.report('X002', p, counts({ online: 5, direct: 5 }));
  }
  const month = (period: string) => report({ period, data: h.data, units: UNITS, targets: TARGETS, asOf: new Date('2022-10-01T00:00:00Z') });

  it('puts each unit\'s rates and statuses side by side', () => {
    const q = buildRangeReport(quarterRange('2022-Q3'), ['2022-07', '2022-08', '2022-09'].map(month));
    expect(q.last.period).toBe('2022-09');
    const s02 = q.rows.find((r) => r.unit.code === 'S02')!;
    expect(s02.rates).toEqual([0.4, 0.4, null]);
    expect(s02.statuses).toEqual(['on_time', 'late', 'missing']);
    expect([s02.onTime, s02.late, s02.missing]).toEqual([1, 1, 1]);
    const x001 = q.rows.find((r) => r.unit.code === 'X001')!;
    expect(x001.rates).toEqual([0.2, 0.5, 0.5]);
    expect(q.cityRates[0]).toBeCloseTo((60 + 40 + 20 + 5) / 310, 10);
    expect(q.evaluation).toBeNull();
  });

  it('evaluates the year against the target window: đạt / không đạt per unit', () => {
    const y = buildRangeReport(yearRange('2022'), ['2022-05', '2022-06', '2022-07', '2022-08', '2022-09', '2022-10', '2022-11', '2022-12'].map(month));
    const byCode = new Map(y.rows.map((r) => [r.unit.code, r]));
    // Window 2022-05..2022-12 sums: S01 60% ≥ 50 đạt; S02 40% < 70 không đạt; X001 160/500 = 32% ≥ 30 đạt.
    expect(byCode.get('S01')!.evaluation).toBe('met');
    expect(byCode.get('S02')!.evaluation).toBe('not_met');
    expect(byCode.get('X001')!.ytdRate).toBeCloseTo((20 * 3 + 50 * 2) / 500, 10);
    expect(byCode.get('X001')!.evaluation).toBe('met');
    expect(byCode.get('X002')!.evaluation).toBe('no_target');
    expect(y.evaluation).toEqual({ window: ['2022-05', '2022-12'], met: 2, notMet: 1, noTarget: 1, noDossiers: 0 });
    // October to December have no report at all: missing, not on time.
    expect(byCode.get('S01')!.statuses.slice(-3)).toEqual(['missing', 'missing', 'missing']);
  });

  it('Tổng hợp gives the quarter\'s own figures first, labelled as the quarter; September\'s and the year-to-date after, labelled with their month', async () => {
    const q = buildRangeReport(quarterRange('2022-Q3'), ['2022-07', '2022-08', '2022-09'].map(month));
    const lines = await summaryLines(q);
    const at = (label: string) => {
      const i = lines.findIndex(([l]) => l === label);
      if (i < 0) throw new Error(`no line "${label}"; have ${lines.map(([l]) => l).join(' | ')}`);
      return i;
    };
    const cells = (label: string) => lines[at(label)][1];
    expect(cells('Chỉ tiêu')).toEqual(['Toàn thành phố', ...q.last.levels.map((l) => l.name)]);
    // The quarter from the inputs: departments S01 60 of 100 each month, S02 40 of 100 in July
    // and August; communes X001 20, 50, 50 of 100, X002 5 of 10 each month.
    const department = { online: 3 * 60 + 2 * 40, fresh: 5 * 100 };
    const commune = { online: 20 + 50 + 50 + 3 * 5, fresh: 3 * 100 + 3 * 10 };
    const city = { online: department.online + commune.online, fresh: department.fresh + commune.fresh };
    const quarter = at('Cả quý III/2022 (kỳ 07/2022 – 09/2022)');
    expect(quarter).toBe(at('Chỉ tiêu') + 1);
    expect(cells('Hồ sơ mới tiếp nhận cả quý III/2022')).toEqual([city.fresh, department.fresh, commune.fresh]);
    expect(lines[at('Hồ sơ mới tiếp nhận cả quý III/2022') + 1]).toEqual(['   Trong đó: tiếp nhận trực tuyến', [city.online, department.online, commune.online]]);
    const rate = cells('Tỷ lệ hồ sơ trực tuyến cả quý III/2022') as number[];
    [city, department, commune].forEach((s, i) => expect(rate[i]).toBeCloseTo(s.online / s.fresh, 12));
    expect(city.online / city.fresh).toBeCloseTo(395 / 830, 12);
    // Then September, named as September: S01 60 of 100, X001 50 of 100, X002 5 of 10.
    const september = at('Tháng 09/2022 (kỳ cuối của quý)');
    expect(september).toBeGreaterThan(quarter);
    expect(cells('Hồ sơ mới tiếp nhận tháng 09/2022')).toEqual([210, 100, 110]);
    const monthRate = cells('Tỷ lệ hồ sơ trực tuyến tháng 09/2022') as number[];
    [115 / 210, 0.6, 55 / 110].forEach((x, i) => expect(monthRate[i]).toBeCloseTo(x, 12));
    expect(at('Tỷ lệ hồ sơ trực tuyến tháng 08/2022')).toBeGreaterThan(september);
    // And the year-to-date to September, from the window's first month (05/2022).
    expect(at('Lũy kế đến 09/2022 (từ kỳ 05/2022)')).toBeGreaterThan(september);
    const ytd = cells('Tỷ lệ hồ sơ trực tuyến lũy kế đến 09/2022') as number[];
    expect(ytd[0]).toBeCloseTo((5 * 60 + 4 * 40 + 3 * 20 + 2 * 50 + 5 * 5) / (5 * 100 + 4 * 100 + 5 * 100 + 5 * 10), 12);
    // No line names "the period" alone: each says the quarter or its month.
    expect(lines.map(([l]) => l).filter((l) => /trong kỳ|kỳ trước|kỳ này/.test(l))).toEqual([]);
    // Two rates against the floor, each saying which.
    expect(lines.map(([l]) => l).filter((l) => l.startsWith('So với mức tối thiểu'))).toEqual([
      'So với mức tối thiểu 60% của Kế hoạch, cả quý III/2022 (điểm %)', 'So với mức tối thiểu 60% của Kế hoạch, lũy kế đến 09/2022 (điểm %)',
    ]);
  });

  it('Tổng hợp of a quarter of two levels (the 2026 city) is as wide as one of three: fitted to the page\'s width, its section I stays on page 1', async () => {
    const q = buildRangeReport(quarterRange('2022-Q3'), ['2022-07', '2022-08', '2022-09'].map(month));
    expect(q.levels).toHaveLength(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await buildWorkbook(q.last, { range: q, chart: null }) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(SHEETS.summary)!;
    const width = [1, 2, 3, 4].reduce((n, c) => n + (ws.getColumn(c).width ?? 0), 0);
    expect(width).toBe(52 + 4 * 17);
  });

  it('the email\'s levels give the quarter\'s rates first, then September\'s and the year-to-date, each named', () => {
    const q = buildRangeReport(quarterRange('2022-Q3'), ['2022-07', '2022-08', '2022-09'].map(month));
    const mail = leadershipEmail(q.last, ['x@haiphong.gov.vn'], Buffer.alloc(0), { range: q });
    const [department, commune] = q.last.levels.map((l) => l.name);
    // The quarter: departments 260 of 500 online, communes 135 of 330, the city 395 of 830; September 60 of 100, 55 of 110, 115 of 210.
    expect(mail.text).toContain(`  - ${department}: cả quý III/2022 52,0%; tháng 09/2022 60,0%, lũy kế đến 09/2022 `);
    expect(mail.text).toContain(`  - ${commune}: cả quý III/2022 40,9%; tháng 09/2022 50,0%, lũy kế đến 09/2022 `);
    expect(mail.text).toContain('  - Toàn thành phố: cả quý III/2022 47,6%; tháng 09/2022 54,8%, lũy kế đến 09/2022 ');
    expect(mail.text).not.toMatch(/^ {2}- .*trong kỳ/m);
    expect(mail.html).toContain('<th style="padding:2px 6px">Cả quý III/2022</th><th style="padding:2px 6px">Tháng 09/2022</th><th style="padding:2px 6px">Lũy kế đến 09/2022</th>');
  });

  it('loads from the store once; periods before collection began or not yet due have no record, a due period nobody sent is everyone missing', async () => {
    const store = new MemoryReportStore();
    await putReport(store, 'S01', '2022-06', counts({ online: 70, direct: 30 }));
    await putReport(store, 'S01', '2022-09', counts({ online: 80, direct: 20 }));
    const ctx = planContext(store, new Date('2022-10-01T00:00:00Z'));
    const y = await loadRangeReport(ctx, yearRange('2022'));
    const s01 = y.rows.find((r) => r.unit.code === 'S01')!;
    expect(s01.statuses.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(s01.statuses[5]).toBe('on_time');
    expect(s01.statuses[8]).toBe('on_time');
    // Nothing arrived for July or August: the unit missed them. On 1/10/2022 October, November
    // and December (the range's end) are not yet due: not missed yet.
    expect([s01.statuses[6], s01.statuses[9], s01.statuses[10], s01.statuses[11]]).toEqual(['missing', null, null, null]);
    expect(s01.missing).toBe(2);
    expect(s01.rates[8]).toBeCloseTo(0.8, 10);
    expect(y.months.map((m) => m.period)).toEqual(['2022-06', '2022-07', '2022-08', '2022-09', '2022-12']);
    await expect(loadRangeReport(ctx, quarterRange('2021-Q4'))).rejects.toBeInstanceOf(NoReportDataError);
  });

  it('built before its end: a month not yet due counts the reports that came for it, and nobody has missed it yet', async () => {
    const store = new MemoryReportStore();
    await putReport(store, 'S01', '2022-10', counts({ online: 60, direct: 40 }));
    await putReport(store, 'S01', '2022-11', counts({ online: 90, direct: 10 }), { eventTime: '2022-11-17T03:00:00.000Z' });
    // 18/11/2022: November is due on the 20th, December has not begun.
    const q = await loadRangeReport(planContext(store, new Date('2022-11-18T03:00:00Z')), quarterRange('2022-Q4'));
    expect(q.months.map((m) => m.period)).toEqual(['2022-10', '2022-11', '2022-12']);
    expect(q.rows.find((r) => r.unit.code === 'S01')).toMatchObject({ statuses: ['on_time', 'on_time', null], missing: 0, rates: [0.6, 0.9, null] });
    expect(q.rows.find((r) => r.unit.code === 'S02')).toMatchObject({ statuses: ['missing', null, null], missing: 1 });
    expect(q.totals.city.rates.onlineRate).toBeCloseTo(150 / 200, 12);
    // Its last month's lists say "not yet": December is due on 20/12.
    expect(q.last.beforeDue).toBe(true);
    expect(leadershipEmail(q.last, ['x@haiphong.gov.vn'], Buffer.alloc(0), { range: q }).text).toMatch(/^Đơn vị chưa báo cáo \(chưa đến hạn nộp, trước ngày 20\/12\/2022\) \(252\): /m);
  });

  it('a calendar-month period (startDay 1) is due in the month after it: the report says so', () => {
    const periods = { ...PLAN_128_PERIODS, startDay: 1 };
    const june = report({ period: '2022-06', periods, data: new History().report('S01', '2022-06', counts({ online: 1, direct: 1 })).data, asOf: new Date('2022-07-05T01:00:00Z') });
    expect(june.dueDate).toEqual({ year: 2022, month: 7, day: 20 });
    expect(june.beforeDue).toBe(true);
  });
});

describe('a level that ended during the range (the districts at 1/7/2025)', () => {
  it('keeps its column on Tổng hợp and its line in the email, with the range\'s figures alone', async () => {
    const [s01, h01, x001] = [unit('S01', 'department'), unit('H01', 'district'), unit('X001', 'commune')];
    const year = yearRange('2025');
    const h = new History();
    for (const p of year.periods) {
      h.report('S01', p, counts({ online: 70, direct: 30 }));
      if (p <= '2025-06') h.report('H01', p, counts({ online: 30, direct: 70 }));
      h.report('X001', p, counts({ online: 50, direct: 50 }));
    }
    const y = buildRangeReport(year, year.periods.map((period) => report({
      period, data: h.data, units: period <= '2025-06' ? [s01, h01, x001] : [s01, x001], targets: [], asOf: new Date('2025-12-21T01:00:00Z'),
    })));
    expect(y.levels.map((l) => [l.level, l.until])).toEqual([['department', null], ['district', '2025-06'], ['commune', null]]);
    const lines = await summaryLines(y);
    const cells = (label: string) => lines.find(([l]) => l === label)![1];
    const [department, district, commune] = y.levels.map((l) => l.name);
    expect(cells('Chỉ tiêu')).toEqual(['Toàn thành phố', department, `${district} (đến kỳ 06/2025)`, commune]);
    // The year: S01 12 × 70 of 100, H01 6 × 30 of 100, X001 12 × 50 of 100.
    expect(cells('Hồ sơ mới tiếp nhận cả năm 2025')).toEqual([3000, 1200, 600, 1200]);
    const rate = cells('Tỷ lệ hồ sơ trực tuyến cả năm 2025') as number[];
    [(840 + 180 + 600) / 3000, 0.7, 0.3, 0.5].forEach((x, i) => expect(rate[i]).toBeCloseTo(x, 12));
    // December has no district: its cells are empty, not 0.
    expect(cells('Hồ sơ mới tiếp nhận tháng 12/2025')).toEqual([200, 100, null, 100]);
    const text = leadershipEmail(y.last, ['x@haiphong.gov.vn'], Buffer.alloc(0), { range: y }).text;
    expect(text).toContain(`  - ${district} (đến kỳ 06/2025): cả năm 2025 30,0%\n`);
    expect(text).toContain('  - Toàn thành phố: cả năm 2025 54,0%; tháng 12/2025 60,0%');
  });
});

describe('the year judged on a target window that ends before December', () => {
  it('evaluates each unit on the window\'s sums (its last month\'s year-to-date), not on the months after it', () => {
    const window = { from: '2022-03', to: '2022-08' };
    const units = [unit('S01', 'department'), unit('S02', 'department')];
    const h = new History();
    for (let m = 1; m <= 12; m++) {
      const p = `2022-${String(m).padStart(2, '0')}`;
      // S01: 80% online inside the window, none outside it; S02: 55% all year.
      h.report('S01', p, p >= window.from && p <= window.to ? counts({ online: 80, direct: 20 }) : counts({ online: 0, direct: 100 }));
      h.report('S02', p, counts({ online: 55, direct: 45 }));
    }
    const t = targets({ S01: 60, S02: 60 }, window);
    const year = yearRange('2022');
    const y = buildRangeReport(year, year.periods.map((period) => report({ period, data: h.data, units, targets: t })));
    expect(y.evaluation).toEqual({ window: ['2022-03', '2022-08'], met: 1, notMet: 1, noTarget: 0, noDossiers: 0 });
    expect(y.rows.map((r) => [r.unit.code, r.evaluation, r.ytdRate])).toEqual([['S01', 'met', 0.8], ['S02', 'not_met', 0.55]]);
    // The December month itself still reads from January, as the spec says outside a window;
    // the rows and the rates sheet carry the window's year-to-date, and say so.
    expect(y.last.ytdFrom).toBe('2022-01');
    expect(y.judged.period).toBe('2022-08');
    // The email's evaluation line gives the city's figure for the same months: (80 + 55) / 200.
    expect(leadershipEmail(y.last, ['lanh-dao@haiphong.gov.vn'], Buffer.alloc(0), { range: y }).text)
      .toContain('Đánh giá năm theo chỉ tiêu được giao (kỳ 03/2022 – 08/2022; tỷ lệ trực tuyến toàn thành phố trong các kỳ này 67,5%)');
  });
});

describe('the year judged on its window, a unit merged after the window ended', () => {
  it('is judged within its successor, on the window\'s sums, as every report after the merger counts it', async () => {
    const x001 = PLAN_128_UNITS.find((u) => u.code === 'X001')!;
    const merger = { ...x001, validFrom: '2022-01', validTo: '2022-10', mergedInto: 'X002' };
    const windowTargets = PLAN_128_TARGETS.map((t) => ({ ...t, windowTo: '2022-10' }));
    const store = new MemoryReportStore();
    for (let m = 5; m <= 12; m++) {
      const p = `2022-${String(m).padStart(2, '0')}`;
      if (m <= 10) await putReport(store, 'X001', p, counts({ online: 90, direct: 10 }));
      await putReport(store, 'X002', p, counts(m <= 10 ? { online: 10, direct: 90 } : { online: 50, direct: 50 }));
    }
    const y = await loadRangeReport({ ...planContext(store, new Date('2023-01-20T01:00:00Z')), plan: PlanConfig.withLoaded([merger], windowTargets) }, yearRange('2022'));
    expect(y.judged.period).toBe('2022-10');
    expect(y.rows.find((r) => r.unit.code === 'X001')).toBeUndefined();
    // X002 over 05–10/2022 with X001's dossiers: (6·90 + 6·10) / (6·100 + 6·100) = 50%.
    expect(y.rows.find((r) => r.unit.code === 'X002')).toMatchObject({ ytdRate: 0.5, targetPct: 66, evaluation: 'not_met' });
    // Over the year too, X001's months are X002's: (6·90 + 6·10 + 2·50) / (6·100 + 6·100 + 2·100) = 50%.
    expect(y.rows.find((r) => r.unit.code === 'X002')!.rangeRate).toBeCloseTo(0.5, 12);
    // And so are its months' cells, which the "Cả năm" cell sums: May is (90 + 10) / 200.
    expect(y.rows.find((r) => r.unit.code === 'X002')!.rates.slice(4, 6)).toEqual([0.5, 0.5]);
  });
});

describe('the range\'s own figures', () => {
  // Two target windows in the year (01–04, then 05–12), as the README's yearly workflow loads them:
  // S01 sends 500 of 1,000 dossiers online in January–April, then 96 of 100; X001 sends none at all.
  const units = [unit('S01', 'department'), unit('X001', 'commune')];
  const t = [...targets({ S01: 90, X001: 50 }, { from: '2026-01', to: '2026-04' }), ...targets({ S01: 90, X001: 50 }, { from: '2026-05', to: '2026-12' })];
  const h = new History();
  for (let m = 1; m <= 12; m++) {
    const p = `2026-${String(m).padStart(2, '0')}`;
    h.report('S01', p, m <= 4 ? counts({ online: 500, direct: 500 }) : counts({ online: 96, direct: 4 }));
    h.report('X001', p, counts({ online: 0, direct: 0 }));
  }
  const year = yearRange('2026');
  const y = buildRangeReport(year, year.periods.map((period) => report({ period, data: h.data, units, targets: t, asOf: new Date('2027-01-20T01:00:00Z') })));
  // The year: (4·500 + 8·96) / (4·1000 + 8·100) = 2,768 / 4,800 = 57.7%; the second window's year-to-date: 96%.
  const mail = leadershipEmail(y.last, ['lanh-dao@haiphong.gov.vn'], Buffer.alloc(0), { range: y });

  it('the subject and the first line give the year\'s rate (its periods summed), against the floor', () => {
    expect(y.totals.city.rates.onlineRate).toBeCloseTo(2768 / 4800, 12);
    expect(y.totals.levels.department!.rates.onlineRate).toBeCloseTo(2768 / 4800, 12);
    expect(y.last.totals.city.ytdRates.onlineRate).toBeCloseTo(0.96, 12);
    expect(mail.subject).toBe('[DVC] Báo cáo năm 2026 — tỷ lệ trực tuyến 57,7%');
    expect(mail.text).toContain('Tỷ lệ hồ sơ trực tuyến toàn thành phố năm 2026: 57,7%, chưa đạt mức tối thiểu 60% của Kế hoạch (−2,3 điểm %); 4.800 hồ sơ mới, trong đó 2.768 hồ sơ trực tuyến.');
    expect(y.rows.find((r) => r.unit.code === 'S01')!.rangeRate).toBeCloseTo(2768 / 4800, 12);
  });

  it('a unit with a target and not one dossier is "Không phát sinh hồ sơ", not "Không đạt"', () => {
    expect(y.rows.find((r) => r.unit.code === 'X001')).toMatchObject({ evaluation: 'no_dossiers', rangeRate: null });
    expect(y.evaluation).toEqual({ window: ['2026-05', '2026-12'], met: 1, notMet: 0, noTarget: 0, noDossiers: 1 });
    expect(mail.text).toContain('Đơn vị không đạt chỉ tiêu năm (0): không có.');
  });

  it('a quarter at 59,96% is "59,96%" in the subject as in its first line, not "60,0%"', () => {
    const one = [unit('S01', 'department')];
    const h2 = new History();
    for (const p of ['2022-07', '2022-08', '2022-09']) h2.report('S01', p, counts({ online: 5996, direct: 4004 }));
    const q = buildRangeReport(quarterRange('2022-Q3'), ['2022-07', '2022-08', '2022-09'].map((period) => report({ period, data: h2.data, units: one, targets: [] })));
    const m = leadershipEmail(q.last, ['x@haiphong.gov.vn'], Buffer.alloc(0), { range: q });
    expect(m.subject).toBe('[DVC] Báo cáo Quý III/2022 — tỷ lệ trực tuyến 59,96%');
    expect(m.text).toContain('Quý III/2022: 59,96%, chưa đạt mức tối thiểu 60% của Kế hoạch (−0,04 điểm %)');
  });

  it('names its dates: the year of 16th–15th periods starts on 16/12 of the year before', () => {
    expect(mail.text).toContain('Năm 2026 (kỳ 01/2026 – 12/2026, từ ngày 16/12/2025 đến ngày 15/12/2026)');
    const q = buildRangeReport(quarterRange('2022-Q3'), ['2022-07', '2022-08', '2022-09'].map((period) => report({ period, data: new History().report('S01', period, counts({ online: 1, direct: 1 })).data, units, targets: [] })));
    expect(leadershipEmail(q.last, ['x@haiphong.gov.vn'], Buffer.alloc(0), { range: q }).text).toContain('Quý III/2022 (kỳ 07/2022 – 09/2022, từ ngày 16/06/2022 đến ngày 15/09/2022)');
  });
});

describe('a year across the 1/7/2025 reorganisation', () => {
  // S01 and X001 end on 2025-06 with no successor (the 2022 registry); D01 and N001 start on 2025-07.
  const left = ['S01', 'X001'].map((code) => ({ ...PLAN_128_UNITS.find((u) => u.code === code)!, validFrom: '2022-01', validTo: '2025-06', mergedInto: null }));
  const fresh = [{ ...unit('D01', 'department', 'Sở Tài chính'), validFrom: '2025-07', validTo: null, mergedInto: null }, { ...unit('N001', 'commune', 'Phường Hồng Bàng'), validFrom: '2025-07', validTo: null, mergedInto: null }];
  const plan = PlanConfig.withLoaded([...left, ...fresh], [
    ...targets({ S01: 80, X001: 60 }, { from: '2025-01', to: '2025-06' }), ...targets({ D01: 80, N001: 60 }, { from: '2025-07', to: '2025-12' }),
  ]);

  it('keeps the units that left: their months, their record, and their evaluation on their own window', async () => {
    const store = new MemoryReportStore();
    for (let m = 1; m <= 12; m++) {
      const p = `2025-${String(m).padStart(2, '0')}`;
      if (m <= 6) {
        await putReport(store, 'S01', p, counts({ online: 90, direct: 10 }));
        if (m !== 3) await putReport(store, 'X001', p, counts({ online: 30, direct: 70 }));
      } else {
        await putReport(store, 'D01', p, counts({ online: 90, direct: 10 }));
        await putReport(store, 'N001', p, counts({ online: 70, direct: 30 }));
      }
    }
    const y = await loadRangeReport({ ...planContext(store, new Date('2025-12-20T03:00:00Z')), plan }, yearRange('2025'));
    // (The built-in plan's other units stay in force: no file ended them here.)
    expect(y.rows.filter((r) => ['S01', 'X001', 'D01', 'N001'].includes(r.unit.code)).map((r) => [r.unit.code, r.until, r.evaluation])).toEqual([
      ['D01', null, 'met'], ['N001', null, 'met'], ['S01', '2025-06', 'met'], ['X001', '2025-06', 'not_met'],
    ]);
    const x001 = y.rows.find((r) => r.unit.code === 'X001')!;
    expect(x001).toMatchObject({ ytdRate: 0.3, targetPct: 60, missing: 1, onTime: 5 });
    expect(x001.statuses.slice(5, 7)).toEqual(['on_time', null]);
    expect(y.evaluation).toMatchObject({ met: 3 });
    const mail = leadershipEmail(y.last, ['lanh-dao@haiphong.gov.vn'], Buffer.alloc(0), { range: y });
    // Named with when it left: the 2025 city has a "Sở Nội vụ" of its own beside the 2022 one.
    expect(mail.text).toContain('Đơn vị không đạt chỉ tiêu năm (1): Phường Anh Dũng (đến kỳ 06/2025).');
    expect(x001.judgedOver).toEqual(['2025-01', '2025-06']);
    // The levels add up to the city, the districts' first half included (a level that ended in the year).
    const levels = Object.values(y.totals.levels).reduce((n, t) => n + t!.rates.newDossiers, 0);
    expect(Object.keys(y.totals.levels)).toContain('district');
    expect(levels).toBe(y.totals.city.rates.newDossiers);
    expect(y.rows.find((r) => r.unit.code === 'D01')!.judgedOver).toEqual(['2025-07', '2025-12']);
    expect(mail.text).toContain('đơn vị thôi hoạt động trong năm: đến kỳ cuối cùng còn hoạt động');
  });
});
