// What the leadership texts say of the plan, its targets and its appendices when the year's
// configuration is loaded only in part. The built-in Kế hoạch 128/KH-UBND stays in force until a
// plan is loaded (its citation and floor), but what it says of 2022 is said only where it holds:
// the units without a target are those of the targets in force, the source of the targets is the
// file loaded, the collector and the Phụ lục 3 pilot list follow the registry. And the online
// services rate says whose figures it is.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRegistryFile } from '../../shared/config/config-files.ts';
import { loadConfigFile, loadPlanConfig } from '../../shared/config/load-config.ts';
import { PlanConfig, PLAN_128_REGISTRY, type RegistryRow } from '../../shared/config/plan-config.ts';
import { leadershipEmail } from '../../shared/report/email.ts';
import { buildLeadershipReport, type LeadershipReport } from '../../shared/report/period-report.ts';
import { buildWorkbook, SHEETS } from '../../shared/report/workbook.ts';
import type { Procedure } from '../../shared/report-file/detail.ts';
import { MemoryConfigStore } from '../../shared/store/memory-config-store.ts';
import { MemoryObjectStore } from '../../shared/store/memory-object-store.ts';
import { PLAN_128_TARGETS } from '../../shared/units/plan-128-2022.ts';
import type { Target } from '../../shared/units/target.ts';
import { History, input, randomCounts, seeded, unit } from './helpers.ts';

const REGISTRY_2025 = new URL('../../shared/data/haiphong-2025/registry-2025-07.csv', import.meta.url);

/** Every text cell of a workbook, by sheet. */
async function textCells(r: LeadershipReport): Promise<Array<{ sheet: string; text: string }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await buildWorkbook(r)) as unknown as ArrayBuffer);
  const out: Array<{ sheet: string; text: string }> = [];
  for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((cell) => { if (typeof cell.value === 'string') out.push({ sheet: ws.name, text: cell.value }); }));
  return out;
}

/** Ghi chú as label → text. */
async function notesOf(r: LeadershipReport): Promise<Map<string, string>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await buildWorkbook(r)) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(SHEETS.notes)!;
  const notes = new Map<string, string>();
  ws.eachRow((row, n) => { if (n > 2) notes.set(String(row.getCell(1).value), String(row.getCell(2).value)); });
  return notes;
}

/** As loadLeadershipReport builds a period's report from the loaded configuration. */
function reportOf(config: PlanConfig, history: History, period: string): LeadershipReport {
  const plan = config.planFor(period);
  return buildLeadershipReport(input({
    period, data: history.data, units: config.unitsFor(period), targets: config.targets, plan, floor: plan.floor, pilot: plan.pilot,
    asOf: new Date(`${period}-25T01:00:00Z`), unitsAt: (p) => config.unitsFor(p),
  }));
}

function someReports(config: PlanConfig, periods: string[], seed: number): History {
  const rng = seeded(seed);
  const history = new History();
  for (const p of periods) for (const u of config.unitsFor(p)) if (rng.chance(0.8)) history.report(u.code, p, randomCounts(rng, 300, 0.6));
  return history;
}

const OLD_TEXTS = /Thanh tra Thành phố, Văn phòng UBND|Bạch Long Vĩ theo|Phụ lục [23]|8 tháng cuối năm 2022|Thông tin và Truyền thông/;

describe('tthc targets load', () => {
  const put = async (deps: { objects: MemoryObjectStore; config: MemoryConfigStore }, key: string, body: string) => {
    await deps.objects.put(key, Buffer.from(body), 'text/csv');
    return loadConfigFile(deps, key);
  };

  it('a loaded target keeps its file\'s name, for the report to give as the source', async () => {
    const deps = { objects: new MemoryObjectStore(), config: new MemoryConfigStore() };
    expect(await put(deps, 'config/targets/chi-tieu-2026-01.csv', 'unit,window_from,window_to,target_pct\nS05,2026-01,2026-04,95\n')).toMatchObject({ status: 'loaded' });
    expect((await loadPlanConfig(deps.config)).targets.find((t) => t.unit === 'S05' && t.windowFrom === '2026-01')).toMatchObject({ file: 'chi-tieu-2026-01.csv' });
  });
});
