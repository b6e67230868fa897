// Mergers keep history: X001 merged into X002 from 2022-07 (registry row valid_to 2022-06,
// merged_into X002). Its stored figures move to X002 in reports after the merger; the
// city's and the level's totals do not move at all.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkbook, SHEETS } from '../../shared/report/workbook.ts';
import { PlanConfig, type RegistryRow } from '../../shared/config/plan-config.ts';
import { loadLeadershipReport } from '../../shared/report/load-report.ts';
import { successorsFor } from '../../shared/report/mergers.ts';
import { rankingJson, type LeadershipReport } from '../../shared/report/period-report.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { counts } from './helpers.ts';
import { planContext, putReport } from './store-records.ts';

const NOW = new Date('2022-07-20T01:00:00Z');
const X001 = PLAN_128_UNITS.find((u) => u.code === 'X001')!;
const MERGER: RegistryRow = { ...X001, validFrom: '2022-01', validTo: '2022-06', mergedInto: 'X002' };
const store = new MemoryReportStore();

const load = (plan: PlanConfig, period: string) => loadLeadershipReport({ ...planContext(store, NOW), plan }, period);
const row = (r: LeadershipReport, code: string) => r.rows.find((x) => x.unit.code === code);

let before: LeadershipReport;
let after: LeadershipReport;

beforeAll(async () => {
  for (const [period, scale] of [['2022-05', 1], ['2022-06', 2], ['2022-07', 3]] as const) {
    await putReport(store, 'X001', period, counts({ online: 40 * scale, direct: 60 * scale, onTime: 10 }));
    await putReport(store, 'X002', period, counts({ online: 10 * scale, direct: 10 * scale, onTime: 5 }));
    await putReport(store, 'S01', period, counts({ online: 500, direct: 500 }));
  }
  before = await load(PlanConfig.builtin(), '2022-07');
  after = await load(PlanConfig.withLoaded([MERGER], []), '2022-07');
});

describe('a merger loaded after the fact', () => {
  it('X001 is retired for 2022-07, its successor X002; nothing retired for 2022-06', () => {
    const plan = PlanConfig.withLoaded([MERGER], []);
    expect([...successorsFor(plan, '2022-07')]).toEqual([['X001', 'X002']]);
    expect(successorsFor(plan, '2022-06').size).toBe(0);
    expect(row(after, 'X001')).toBeUndefined();
    expect(row(before, 'X001')).toBeDefined();
  });

  it('totals.city and the commune level are unchanged, for the window and for the period', () => {
    const [b, a] = [rankingJson(before), rankingJson(after)];
    expect(a.totals.city).toEqual(b.totals.city);
    expect(a.totals.commune).toEqual(b.totals.commune);
    expect(a.totals.city.new_dossiers).toBe(3 * 1000 + 6 * 100 + 6 * 20);
    expect(after.totals.city.period).toEqual(before.totals.city.period);
    expect(after.totals.levels.commune.ytd).toEqual(before.totals.levels.commune.ytd);
  });

  it('X002 carries X001\'s periods before the merger and its report filed after it', () => {
    const entry = (r: LeadershipReport) => rankingJson(r).levels.commune.find((e) => e.unit === 'X002')!;
    expect(entry(before).new_dossiers).toBe(20 + 40 + 60);
    expect(entry(after).new_dossiers).toBe(20 + 40 + 60 + 100 + 200 + 300);
    expect(entry(after).ytd_online_rate).toBeCloseTo((10 + 20 + 30 + 40 + 80 + 120) / 720, 12);
    expect(row(after, 'X002')!.period!.received_online).toBe(30 + 120);
    expect(row(after, 'X002')!.status).toBe('on_time');
  });

  it('the periods X001 existed keep it as itself', async () => {
    const june = await load(PlanConfig.withLoaded([MERGER], []), '2022-06');
    expect(row(june, 'X001')!.period!.received_online).toBe(80);
    expect(row(june, 'X002')!.period!.received_online).toBe(20);
    expect(rankingJson(june).levels.commune.map((e) => e.unit).sort()).toEqual(['X001', 'X002']);
  });

  it('an unusable report stored under the retired code is still listed, under the unit that carries it', async () => {
    const other = new MemoryReportStore();
    await putReport(other, 'X001', '2022-06', { ...counts({ online: 1, direct: 1 }), received_online: Infinity } as ReturnType<typeof counts>);
    await putReport(other, 'X002', '2022-07', counts({ online: 1, direct: 1 }));
    const r = await loadLeadershipReport({ ...planContext(other, NOW), plan: PlanConfig.withLoaded([MERGER], []) }, '2022-07');
    const x002 = PLAN_128_UNITS.find((u) => u.code === 'X002')!;
    expect(r.quality.map((q) => [q.unit, q.period, q.code, q.name])).toEqual([['X001', '2022-06', 'unusable_counts', `X001 (nay thuộc ${x002.name})`]]);
    expect(r.totals.city.ytd!.received_online).toBe(1);
  });
});

describe('a unit that leaves the registry with no successor (the districts in 2025)', () => {
  const CLOSED: RegistryRow = { ...PLAN_128_UNITS.find((u) => u.code === 'S01')!, validFrom: '2022-01', validTo: '2022-06', mergedInto: null };

  it('its reports still count in the city\'s and its level\'s sums of the periods it reported: year-to-date, trend and the period before', async () => {
    const kept = await load(PlanConfig.builtin(), '2022-07');
    const closed = await load(PlanConfig.withLoaded([CLOSED], []), '2022-07');
    expect(row(closed, 'S01')).toBeUndefined();
    // May and June: S01's 500 + 500 a month stay in; July: S01's report is no unit's (it has left).
    expect(closed.totals.city.ytd).toEqual({ ...kept.totals.city.ytd, received_online: kept.totals.city.ytd!.received_online - 500, received_direct: kept.totals.city.ytd!.received_direct - 500 });
    expect(closed.trend.slice(0, 2)).toEqual(kept.trend.slice(0, 2));
    expect(closed.totals.city.previousPeriodRate).toBe(kept.totals.city.previousPeriodRate);
    expect(closed.totals.levels.department.previousPeriodRate).toBe(0.5);
    expect(closed.totals.levels.department.ytd?.received_online).toBe(1000);
    // In no unit's row, and said so in Ghi chú: S01's May and June.
    expect([kept.formerUnitReports, closed.formerUnitReports]).toEqual([0, 2]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await buildWorkbook(closed) as unknown as ArrayBuffer);
    const notes: string[] = [];
    book.getWorksheet(SHEETS.notes)!.eachRow((row) => notes.push(String(row.getCell(2).value)));
    expect(notes.some((n) => n.startsWith('Số liệu lũy kế toàn thành phố và từng cấp gồm cả 2 báo cáo của các đơn vị đã thôi hoạt động'))).toBe(true);
  });
});

describe('rank changes across a registry change', () => {
  it('compare with the ranking the leaders read for the period before, its own units; a new successor code has none', async () => {
    const unitRow = (code: string, validFrom: string, validTo: string | null = null, mergedInto: string | null = null): RegistryRow => ({
      code, level: 'commune', name: `Phường ${code}`, parentCode: null, contactEmail: null, validFrom, validTo, mergedInto,
    });
    // N1 and N2 merge into the new N3 on 1/2027; N4 goes on.
    const rows = [unitRow('N1', '2025-07', '2026-12', 'N3'), unitRow('N2', '2025-07', '2026-12', 'N3'), unitRow('N3', '2027-01'), unitRow('N4', '2025-07')];
    const targets = ['N1', 'N2', 'N4'].map((unit) => ({ unit, windowFrom: '2026-12', windowTo: '2026-12', targetPct: 50 }))
      .concat(['N3', 'N4'].map((unit) => ({ unit, windowFrom: '2027-01', windowTo: '2027-12', targetPct: 50 })));
    const plan = PlanConfig.withLoaded(rows, targets);
    const s = new MemoryReportStore();
    await putReport(s, 'N1', '2026-12', counts({ online: 90, direct: 10 }));
    await putReport(s, 'N2', '2026-12', counts({ online: 70, direct: 30 }));
    await putReport(s, 'N4', '2026-12', counts({ online: 60, direct: 40 }));
    await putReport(s, 'N3', '2027-01', counts({ online: 80, direct: 20 }));
    await putReport(s, 'N4', '2027-01', counts({ online: 60, direct: 40 }));
    const ctx = { ...planContext(s, new Date('2027-01-20T01:00:00Z')), plan };
    const december = await loadLeadershipReport(ctx, '2026-12');
    expect(december.ranking.levels.commune.map((e) => [e.unit, e.rank])).toEqual([['N1', 1], ['N2', 2], ['N4', 3]]);
    const january = await loadLeadershipReport(ctx, '2027-01');
    // N4 was 3rd in December's workbook, 2nd now: up one. N3 is a new code: no change to show.
    expect(january.ranking.levels.commune.map((e) => [e.unit, e.rank, e.rank_change])).toEqual([['N3', 1, null], ['N4', 2, 1]]);
    // This period's year-to-date is summed afresh (N4: 60 of 100), not extended from December's rows.
    expect(january.rows.find((r) => r.unit.code === 'N4')!.ytdRates.onlineRate).toBe(0.6);
  });
});
