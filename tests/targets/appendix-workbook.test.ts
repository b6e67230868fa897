// The appendix the leadership signs: Phụ lục 2's table per level, print-ready, whose totals
// are the pools, with the units that had no report listed apart.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readRegistryFile } from '../../shared/config/config-files.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import { zeroCounts, type Counts } from '../../shared/report-file/counts.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';
import { allocateTargets, poolForGoal } from '../../shared/targets/allocate.ts';
import { appendixPath, appendixWorkbook, UNREPORTED_SHEET } from '../../shared/targets/appendix-workbook.ts';
import { baselineFromReports } from '../../shared/targets/baseline-from-reports.ts';
import type { Unit } from '../../shared/units/unit.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { putReport } from '../report/store-records.ts';

const counts = (total: number, online: number): Counts => ({ ...zeroCounts(), received_online: online, received_direct: total - online });
const BASELINE = { from: '2026-01', to: '2026-04' };
const WINDOW = { from: '2026-05', to: '2026-12' };
const AS_OF = new Date('2026-05-10T03:00:00Z');

/** Every unit but every seventh reports each month (some skip one), with varied volumes and online shares. */
async function appendixFor(units: readonly Unit[], pools: (rows: Awaited<ReturnType<typeof baselineFromReports>>['rows']) => Record<string, number>) {
  const store = new MemoryReportStore();
  for (const [i, u] of units.entries()) {
    if (i % 7 === 3) continue;
    for (const [k, period] of ['2026-01', '2026-02', '2026-03', '2026-04'].entries()) {
      if (i % 5 === 1 && k === 2) continue;
      const total = i % 11 === 4 ? 0 : 40 + ((i * 37 + k * 13) % 900);
      await putReport(store, u.code, period, counts(total, Math.floor((total * ((i * 7) % 10)) / 10)));
    }
  }
  const reported = await baselineFromReports(store, units, BASELINE, WINDOW);
  const pool = pools(reported.rows);
  const allocations = allocateTargets(reported.rows, pool);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await appendixWorkbook({ reported, allocations, pools: pool, asOf: AS_OF, timeZone: 'Asia/Ho_Chi_Minh' }) as unknown as ArrayBuffer);
  return { wb, reported, allocations, pool };
}

const HEADER_ROW = 8;
const text = (ws: ExcelJS.Worksheet, row: number, col: number) => String(ws.getCell(row, col).value ?? '');

describe('Phụ lục 2-style appendix workbook', () => {
  it('one print-ready sheet per level: A4 landscape, fitted to width, the two header rows repeated', async () => {
    const { wb, reported, allocations, pool } = await appendixFor(PLAN_128_UNITS, () => ({ department: 5000, district: 3000, commune: 20000 }));
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['Sở ban ngành', 'Quận huyện', 'Xã phường', UNREPORTED_SHEET]);
    for (const [level, name] of [['department', 'Sở ban ngành'], ['district', 'Quận huyện'], ['commune', 'Xã phường']] as const) {
      const ws = wb.getWorksheet(name)!;
      expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW + 1}` });
      expect(text(ws, 5, 1)).toContain('GIAO CHỈ TIÊU HỒ SƠ TRỰC TUYẾN 08 THÁNG, KỲ 05/2026–12/2026');
      expect(text(ws, 3, 9)).toBe('Hải Phòng, ngày 10 tháng 5 năm 2026');
      // Group headings over the baseline and the projection, merged; the columns under them.
      expect(text(ws, HEADER_ROW, 4)).toBe('Số liệu 04 tháng gốc (01/2026–04/2026)');
      expect(ws.getCell(HEADER_ROW, 6).master.address).toBe(ws.getCell(HEADER_ROW, 4).address);
      expect(text(ws, HEADER_ROW, 7)).toBe('Dự kiến 08 tháng (05/2026–12/2026)');
      expect([4, 5, 6, 7, 8, 9, 10, 11, 12].map((c) => text(ws, HEADER_ROW + 1, c))).toEqual(
        ['Tổng HS', 'HS trực tuyến', 'Tỷ lệ %', 'Tổng HS', 'HS trực tuyến', 'Chưa trực tuyến', 'Tỷ trọng %', 'HS trực tuyến cần giao thêm', 'Chỉ tiêu cần đạt (%)']);
      expect(ws.getCell(HEADER_ROW + 1, 1).master.address).toBe(`A${HEADER_ROW}`);

      const mine = allocations.filter((a) => a.level === level);
      const first = HEADER_ROW + 2;
      const rows = mine.map((_, i) => ws.getRow(first + i));
      expect(rows.map((r) => r.getCell(2).value)).toEqual(mine.map((a) => a.code));
      expect(rows.map((r) => r.getCell(12).value)).toEqual(mine.map((a) => a.targetPct ?? 'Không giao'));
      const base = new Map(reported.rows.map((r) => [r.code, r]));
      expect(rows.map((r) => [r.getCell(4).value, r.getCell(5).value, r.getCell(7).value, r.getCell(9).value]))
        .toEqual(mine.map((a) => [base.get(a.code)!.baselineTotal, base.get(a.code)!.baselineOnline, base.get(a.code)!.projectedTotal, base.get(a.code)!.notOnline]));

      // Tổng cộng: the extra is the level's pool; the other columns the sums of the rows.
      const total = ws.getRow(first + mine.length);
      expect(total.getCell(3).value).toBe('Tổng cộng');
      expect(total.getCell(11).value).toBe(pool[level]);
      const extras = mine.reduce((s, a) => s + (a.extraOnline ?? 0), 0);
      expect(Math.abs(extras - pool[level])).toBeLessThanOrEqual(mine.length / 2);
      expect(total.getCell(4).value).toBe(mine.reduce((s, a) => s + base.get(a.code)!.baselineTotal, 0));
      expect(total.getCell(7).value).toBe(mine.reduce((s, a) => s + base.get(a.code)!.projectedTotal, 0));
      expect(total.getCell(10).value).toBe(100);
    }
    // A unit that skipped a baseline month says so; one with no dossiers gets no target.
    const communes = wb.getWorksheet('Xã phường')!;
    const notes = communes.getColumn(13).values.map(String);
    expect(notes.some((n) => n.includes('Báo cáo 3/4 kỳ gốc'))).toBe(true);
    expect(notes.some((n) => n.includes('Không giao: không có hồ sơ dự kiến'))).toBe(true);

    const apart = wb.getWorksheet(UNREPORTED_SHEET)!;
    expect(apart.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, printTitlesRow: '4:4' });
    const listed = reported.unreported.map((_, i) => apart.getCell(5 + i, 2).value);
    expect(listed).toEqual(PLAN_128_UNITS.filter((_, i) => i % 7 === 3).map((u) => u.code));
    expect(apart.getCell(6 + reported.unreported.length, 2).value ?? null).toBeNull();
  });

  it('the city since 2025: departments and communes only; with pools from a goal rate, Tổng cộng shows them', async () => {
    const { rows } = await readRegistryFile(await readFile(fileURLToPath(new URL('../../shared/data/haiphong-2025/registry-2025-07.csv', import.meta.url))));
    const units = PlanConfig.withLoaded(rows, []).registryFor(WINDOW.from).units;
    const { wb, allocations, pool } = await appendixFor(units, (r) => ({
      department: poolForGoal(r.filter((x) => x.level === 'department'), 0.8), commune: poolForGoal(r.filter((x) => x.level === 'commune'), 0.8),
    }));
    // Named as the units in force name themselves since 1/7/2025, not as the 2022 plan did.
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['Sở ban ngành', 'Xã, phường, đặc khu', UNREPORTED_SHEET]);
    const communes = wb.getWorksheet('Xã, phường, đặc khu')!;
    const heading = [1, 2, 3, 4, 5].map((r) => JSON.stringify(communes.getRow(r).values)).join(' ');
    expect(heading).toContain('XÃ, PHƯỜNG, ĐẶC KHU');
    expect(heading).not.toMatch(/THỊ TRẤN/);
    const n = allocations.filter((a) => a.level === 'commune').length;
    expect(communes.getCell(HEADER_ROW + 2 + n, 11).value).toBe(Math.round(pool.commune));
    expect(allocations.filter((a) => a.level === 'commune').map((a) => a.code)).toContain('N114');
  });

  it('is written beside the targets file, as .xlsx', () => {
    expect(appendixPath('/tmp/x/chi-tieu-2026.csv')).toBe('/tmp/x/chi-tieu-2026.xlsx');
    expect(appendixPath('chi-tieu')).toBe('chi-tieu.xlsx');
    expect(appendixPath('a.b/chi-tieu.xlsx')).toBe('a.b/chi-tieu-phu-luc.xlsx');
  });
});
