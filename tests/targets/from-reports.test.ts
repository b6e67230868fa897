// Next year's targets from this year's figures: Phụ lục 2's baseline summed from the stored
// reports of the baseline periods and projected to the window, then the plan's allocation.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPipeline } from '../../infra/local/runner.ts';
import { parseCsvObjects } from '../../shared/csv.ts';
import { UNITS_ROWS } from '../../shared/data/plan-128-2022/embedded.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import { zeroCounts, type Counts } from '../../shared/report-file/counts.ts';
import { successorsFor } from '../../shared/report/mergers.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';
import type { ReportStore } from '../../shared/store/report-store.ts';
import { allocateTargets } from '../../shared/targets/allocate.ts';
import { baselineFromReports } from '../../shared/targets/baseline-from-reports.ts';
import { PLAN_128_BASELINE, PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { putReport } from '../report/store-records.ts';
import { removeForks, tthcInProcess, tthcSideBySide, type TthcRun } from '../fixtures/tthc.ts';

const PLAN_POOLS = { department: 76680, district: 19426, commune: 169369 };
const BASELINE = { from: '2022-01', to: '2022-04' };
const WINDOW = { from: '2022-05', to: '2022-12' };
const MONTHS = ['2022-01', '2022-02', '2022-03', '2022-04'];

/** Phụ lục 2's baseline columns: dossiers received in the first 4 months, and the online ones. */
const PLAN_SUMS = UNITS_ROWS.map((r) => ({ code: r.code, total: Number(r.baseline_total), online: Number(r.baseline_online) }));

function counts(total: number, online: number, postal = 0): Counts {
  return { ...zeroCounts(), received_online: online, received_direct: total - online - postal, received_postal: postal, carried_over: 7, resolved_on_time: total };
}

/**
 * Reports whose sums per unit are the plan's baseline: each unit's figures spread unevenly
 * over 1 to 4 of the months (a unit that skipped a month still has its sum), some with postal
 * dossiers, which count as received like desk ones.
 */
async function storePlanBaseline(store: ReportStore): Promise<void> {
  // A few units at a time: the SDK's 50 sockets, not a queue of hundreds.
  for (let start = 0; start < PLAN_SUMS.length; start += 20) await Promise.all(PLAN_SUMS.slice(start, start + 20).map(async ({ code, total, online }, j) => {
    const i = start + j;
    const months = MONTHS.slice(i % 4);
    let [restTotal, restOnline] = [total, online];
    for (const [k, period] of months.entries()) {
      const last = k === months.length - 1;
      const t = last ? restTotal : Math.floor(restTotal / (k + 2));
      const o = last ? restOnline : Math.min(t, Math.floor(restOnline / (k + 2)));
      await putReport(store, code, period, counts(t, o, i % 3 === 0 ? Math.floor((t - o) / 4) : 0));
      restTotal -= t;
      restOnline -= o;
    }
  }));
}

describe('baseline from the stored reports', () => {
  it('sums each unit\'s reports over the baseline periods and projects them ×8/4, as the plan\'s columns', async () => {
    const store = new MemoryReportStore();
    await storePlanBaseline(store);
    const { rows, unreported, factor } = await baselineFromReports(store, PLAN_128_UNITS, BASELINE, WINDOW);
    expect(factor).toBe(2);
    expect(unreported).toEqual([]);
    expect(rows).toHaveLength(252);
    const sums = new Map(PLAN_SUMS.map((s) => [s.code, s]));
    for (const r of rows) {
      expect([r.baselineTotal, r.baselineOnline]).toEqual([sums.get(r.code)!.total, sums.get(r.code)!.online]);
      expect([r.projectedTotal, r.projectedOnline, r.notOnline]).toEqual([2 * r.baselineTotal, 2 * r.baselineOnline, 2 * (r.baselineTotal - r.baselineOnline)]);
    }
    expect(rows.find((r) => r.code === 'X004')!.periodsReported).toBe(4 - (PLAN_SUMS.findIndex((s) => s.code === 'X004') % 4));
    // Where the plan's projection is ×2 of its baseline (all but X133, whose 817 is no double),
    // the projected columns are the plan's own, so are the targets of every unit it allocates.
    const plan = new Map(PLAN_128_BASELINE.map((b) => [b.code, b]));
    const differs = rows.filter((r) => r.projectedTotal !== plan.get(r.code)!.projectedTotal || r.projectedOnline !== (plan.get(r.code)!.projectedOnline ?? 0));
    expect(differs.map((r) => r.code)).toEqual(['X133']);
    const printed = new Map(allocateTargets(PLAN_128_BASELINE, PLAN_POOLS).map((a) => [a.code, a.targetPct]));
    const ours = allocateTargets(rows, PLAN_POOLS);
    // Districts: every row as printed. (Departments differ: the plan left S19/S20's not-online
    // blank, which drops them from the level's sum; communes: X133's odd projection.)
    const districts = ours.filter((a) => a.level === 'district');
    expect(districts).toHaveLength(15);
    expect(districts.filter((a) => a.targetPct !== printed.get(a.code))).toEqual([]);
  });

  it('lists apart the units with no report in the baseline, and leaves out reports of other periods and unusable ones', async () => {
    const store = new MemoryReportStore();
    await putReport(store, 'S01', '2026-01', counts(100, 60));
    await putReport(store, 'S01', '2026-03', counts(200, 150));
    await putReport(store, 'S02', '2025-12', counts(900, 900)); // before the baseline
    await putReport(store, 'S02', '2026-04', counts(900, 900)); // the window's
    await putReport(store, 'S03', '2026-02', { ...counts(50, 10), received_online: Number.POSITIVE_INFINITY });
    await putReport(store, 'X001', '2026-02', counts(0, 0)); // reported, nothing received
    const units = PLAN_128_UNITS.filter((u) => ['S01', 'S02', 'S03', 'X001'].includes(u.code));
    const { rows, unreported, factor } = await baselineFromReports(store, units, { from: '2026-01', to: '2026-03' }, { from: '2026-04', to: '2026-12' });
    expect(factor).toBe(3);
    expect(rows.map((r) => [r.code, r.baselineTotal, r.baselineOnline, r.projectedTotal, r.projectedOnline, r.notOnline, r.periodsReported]))
      .toEqual([['S01', 300, 210, 900, 630, 270, 2], ['X001', 0, 0, 0, 0, 0, 1]]);
    expect(unreported.map((u) => u.code)).toEqual(['S02', 'S03']);
    // X001 reported but received nothing: no target, as Phụ lục 2 gives none to a unit without dossiers.
    expect(allocateTargets(rows, { department: 100, commune: 0 }).map((a) => [a.code, a.targetPct])).toEqual([['S01', 81], ['X001', null]]);
  });

  it('counts a merged unit\'s reports for its successor, as the leadership report does; a unit closed without successor hands on nothing', async () => {
    const plan = PlanConfig.withLoaded([
      { code: 'X001', level: 'commune', name: 'Phường Anh Dũng', parentCode: 'H15', contactEmail: null, validFrom: '2000-01', validTo: '2026-02', mergedInto: 'X002' },
      { code: 'X003', level: 'commune', name: 'Phường Hải Thành', parentCode: 'H15', contactEmail: null, validFrom: '2000-01', validTo: '2026-02', mergedInto: null },
    ], []);
    const store = new MemoryReportStore();
    await putReport(store, 'X001', '2026-01', counts(100, 10));
    await putReport(store, 'X002', '2026-01', counts(50, 40));
    await putReport(store, 'X001', '2026-02', counts(60, 30));
    await putReport(store, 'X003', '2026-02', counts(500, 500));
    const units = plan.registryFor('2026-03').units.filter((u) => ['X002', 'X004'].includes(u.code));
    const { rows, unreported } = await baselineFromReports(store, units, { from: '2026-01', to: '2026-02' }, { from: '2026-03', to: '2026-12' }, successorsFor(plan, '2026-03'));
    expect(rows.map((r) => [r.code, r.baselineTotal, r.baselineOnline, r.periodsReported, r.projectedTotal])).toEqual([['X002', 210, 80, 2, 1050]]);
    expect(unreported.map((u) => u.code)).toEqual(['X004']);
  });

  it('projects to whole dossiers when the window is not a whole multiple of the baseline', async () => {
    const store = new MemoryReportStore();
    await putReport(store, 'S01', '2026-01', counts(101, 33));
    await putReport(store, 'S01', '2026-02', counts(100, 33));
    await putReport(store, 'S01', '2026-03', counts(100, 34));
    const [row] = (await baselineFromReports(store, PLAN_128_UNITS.slice(0, 1), { from: '2026-01', to: '2026-03' }, { from: '2026-04', to: '2026-11' })).rows;
    expect([row.projectedTotal, row.projectedOnline, row.notOnline]).toEqual([Math.round((301 * 8) / 3), Math.round((100 * 8) / 3), 803 - 267]);
  });
});

describe('tthc targets allocate --from-periods', () => {
  let home: string;
  const POOL = 'department=76680,district=19426,commune=169369';
  /** The two allocations from the stored reports: they only read the stack, so both start at once in beforeAll, each on a copy of the home. */
  let allocations: Promise<TthcRun[]>;
  const files = () => ({ fromReports: join(home, 'chi-tieu-tu-bao-cao.csv'), goal: join(home, 'chi-tieu-2023.csv') });

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    home = await mkdtemp(join(tmpdir(), 'tthc-alloc-reports-'));
    // The reports as ingest stores them, in the local stack the command then reads.
    const pipeline = await startLocalPipeline({ home });
    try {
      await storePlanBaseline(pipeline.store);
    } finally {
      await pipeline.stack.stop();
    }
    allocations = tthcSideBySide(home, [
      ['targets', 'allocate', '--from-periods', '2022-01..2022-04', '--window', '2022-05..2022-12', '--pool', POOL, '--out', files().fromReports],
      // Reports for 2022-01..02 only: every unit is there but those whose figures all fell in 03–04.
      ['targets', 'allocate', '--from-periods', '2022-01..2022-02', '--window', '2022-03..2022-12', '--goal-rate', '0.6', '--out', files().goal],
    ]);
    allocations.catch(() => undefined); // awaited by the tests
  }, 180_000);
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await removeForks();
  });

  it('gives exactly the targets --baseline gives for a file holding the same sums (projection ×8/4), unit for unit', async () => {
    const [run] = await allocations;
    expect(run.code, run.stderr).toBe(0);
    const { stdout } = run;
    expect(stdout).toContain('báo cáo các kỳ 01/2022–04/2022, dự kiến cho các kỳ 05/2022–12/2022 (×2)');
    expect(stdout).not.toContain('Không có báo cáo');

    const baselineFile = join(home, 'so-lieu-goc.csv');
    const level = new Map(PLAN_128_UNITS.map((u) => [u.code, u.level]));
    await writeFile(baselineFile, ['code,level,projected_total,projected_online,not_online',
      ...PLAN_SUMS.map((s) => [s.code, level.get(s.code), 2 * s.total, 2 * s.online, 2 * (s.total - s.online)].join(','))].join('\n'));
    const fromFile = join(home, 'chi-tieu-tu-tep.csv');
    // --baseline reads a file and stores nothing: cli/main.ts in this process (tests/targets/allocate.test.ts covers the command).
    const byFile = await tthcInProcess(['targets', 'allocate', '--baseline', baselineFile, '--window', '2022-05:2022-12', '--pool', POOL, '--out', fromFile], { home });
    expect(byFile.code, byFile.stderr).toBe(0);

    const [a, b] = [parseCsvObjects(await readFile(files().fromReports, 'utf8')), parseCsvObjects(await readFile(fromFile, 'utf8'))];
    expect(a).toHaveLength(252);
    expect(a).toEqual(b);
    expect(a.filter((r) => r.target_pct !== '').length).toBeGreaterThan(240);
    expect(a[0]).toMatchObject({ unit: 'S01', window_from: '2022-05', window_to: '2022-12', target_pct: '99.7' });

    // Beside it, the appendix to sign: a sheet per level whose Tổng cộng extra is the pool.
    expect(stdout).toContain(`Đã ghi phụ lục ${join(home, 'chi-tieu-tu-bao-cao.xlsx')}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await readFile(join(home, 'chi-tieu-tu-bao-cao.xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['Sở ban ngành', 'Quận huyện', 'Xã phường']);
    const communes = wb.getWorksheet('Xã phường')!;
    expect(communes.getCell(10 + 217, 3).value).toBe('Tổng cộng');
    expect(communes.getCell(10 + 217, 11).value).toBe(169369);
    expect(communes.getCell(10 + 216, 2).value).toBe('X217');
  }, 90_000);

  it('with --goal-rate, and the units of the window with no report listed apart, not in the targets file', async () => {
    const [, run] = await allocations;
    expect(run.code, run.stderr).toBe(0);
    const absent = PLAN_SUMS.filter((_, i) => i % 4 >= 2).map((s) => s.code);
    expect(run.stdout).toContain(`Không có báo cáo nào trong các kỳ gốc, không giao chỉ tiêu (${absent.length} đơn vị):`);
    const rows = parseCsvObjects(await readFile(files().goal, 'utf8'));
    expect(rows).toHaveLength(252 - absent.length);
    expect(rows.filter((r) => absent.includes(r.unit))).toEqual([]);
    expect(rows[0]).toMatchObject({ window_from: '2022-03', window_to: '2022-12' });
  }, 60_000);

  it('says in Vietnamese what is wrong with the periods (exit status 2)', async () => {
    // Decided before the stack starts: cli/main.ts in this process (tests/cli/args.test.ts runs a mistake through bin/tthc.js).
    const run = (...args: string[]) => tthcInProcess(args, { home });
    const fail = await run('targets', 'allocate', '--from-periods', '2022-04..2022-01', '--window', '2022-05..2022-12', '--goal-rate', '0.6', '--out', join(home, 'x.csv'));
    expect(fail).toMatchObject({ code: 2, stderr: expect.stringContaining('--from-periods: kỳ đầu 2022-04 sau kỳ cuối 2022-01') });
    const overlap = await run('targets', 'allocate', '--from-periods', '2022-01..2022-04', '--window', '2022-04..2022-12', '--goal-rate', '0.6', '--out', join(home, 'x.csv'));
    expect(overlap).toMatchObject({ code: 2, stderr: expect.stringContaining('--window: kỳ chỉ tiêu 2022-04 phải sau kỳ gốc cuối cùng 2022-04') });
  }, 60_000);
});
