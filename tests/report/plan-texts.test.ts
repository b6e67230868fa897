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
import { History, input, randomCounts, reportOf, seeded, unit } from './helpers.ts';

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

function someReports(config: PlanConfig, periods: string[], seed: number): History {
  const rng = seeded(seed);
  const history = new History();
  for (const p of periods) for (const u of config.unitsFor(p)) if (rng.chance(0.8)) history.report(u.code, p, randomCounts(rng, 300, 0.6));
  return history;
}

const OLD_TEXTS = /Thanh tra Thành phố, Văn phòng UBND|Bạch Long Vĩ theo|Phụ lục [23]|8 tháng cuối năm 2022|Thông tin và Truyền thông/;

describe('README 2026 example: the 2025 registry and chi-tieu-2026-01.csv without a plan column, no plan loaded', () => {
  let config: PlanConfig;
  let history: History;
  beforeAll(async () => {
    const read = await readRegistryFile(await readFile(REGISTRY_2025));
    expect(read.errors).toEqual([]);
    const file = 'chi-tieu-2026-01.csv';
    const targets: Target[] = [
      { unit: 'D07', windowFrom: '2026-01', windowTo: '2026-04', targetPct: 95, file },
      { unit: 'N001', windowFrom: '2026-01', windowTo: '2026-04', targetPct: 70, file },
    ];
    config = PlanConfig.withLoaded(read.rows, targets);
    history = someReports(config, ['2026-01', '2026-02', '2026-03'], 2026);
  });

  it('the built-in plan stays in force (its citation and floor), without the collector and pilot list of the 2022 city', () => {
    const plan = config.planFor('2026-03');
    expect(plan).toMatchObject({ id: '128/KH-UBND', builtin: true, floor: 0.6, collector: null, pilot: [] });
    expect(plan.pilotAbsent).toContain('lập cho các đơn vị năm 2022');
    // Before 1/7/2025 the 2022 units are in force: Sở Thông tin và Truyền thông collects, Phụ lục 3 is checked.
    expect(config.planFor('2025-06')).toMatchObject({ collector: 'Sở Thông tin và Truyền thông', pilot: expect.arrayContaining([expect.objectContaining({ level: 'commune' })]) });
  });

  it('Ghi chú counts the 126 units without a target, names the targets file as the source, names no collector; nothing of the 2022 plan\'s appendices', async () => {
    const r = reportOf(config, history.data, '2026-03');
    expect(r.totals.city.unitsNoTarget).toBe(126);
    const notes = await notesOf(r);
    expect(notes.get('Không xếp hạng')).toBe('Đơn vị không được giao chỉ tiêu (126 đơn vị, ghi "Không giao chỉ tiêu" ở cột Kết quả của các trang tính xếp hạng), không phát sinh hồ sơ mới, hoặc chưa có báo cáo hợp lệ trong kỳ tính lũy kế. Đơn vị có chỉ tiêu mà không phát sinh hồ sơ hoặc chưa có số liệu lũy kế được tính là chưa đạt (cột Kết quả ghi "Chưa đạt (…)")');
    expect(notes.get('Nguồn chỉ tiêu')).toBe('Chỉ tiêu theo tệp chỉ tiêu chi-tieu-2026-01.csv (chỉ tiêu kỳ 01/2026–04/2026)');
    expect(notes.get('Chênh lệch')).not.toContain('Phụ lục');
    expect(notes.has('Tiếp nhận, tổng hợp báo cáo')).toBe(false);
    expect(notes.get('Thí điểm chỉ tiếp nhận trực tuyến')).toMatch(/^Danh mục thủ tục thí điểm của Kế hoạch 128\/KH-UBND lập cho các đơn vị năm 2022; kỳ 03\/2026 không còn đơn vị nào/);
    const cells = await textCells(r);
    expect(cells.filter((c) => OLD_TEXTS.test(c.text))).toEqual([]);
    expect(cells.some((c) => c.sheet === SHEETS.pilot && c.text.includes('không có danh mục thủ tục thí điểm áp dụng cho kỳ này'))).toBe(true);
    // By design the plan in force until one is loaded: the heading still cites it (`tthc targets load` warns, builtin_plan_cited).
    expect(cells.some((c) => c.sheet === SHEETS.summary && c.text.includes('thực hiện Kế hoạch số 128/KH-UBND ngày 27/5/2022'))).toBe(true);
  });
});

describe('the 2022 registry with 2025 targets loaded from a file (S19 given 90%, S20 and H14 none)', () => {
  const file = 'chi-tieu-2025.csv';
  const targets2025: Target[] = PLAN_128_REGISTRY.filter((u) => u.code !== 'S20' && u.code !== 'H14')
    .map((u) => ({ unit: u.code, windowFrom: '2025-01', windowTo: '2025-06', targetPct: u.code === 'S19' ? 90 : 70, file }));

  it('names the units without a target in force, not Phụ lục 2\'s; the source is the file; Sở Thông tin và Truyền thông while the registry has it', async () => {
    const config = PlanConfig.withLoaded([], targets2025);
    const r = reportOf(config, someReports(config, ['2025-05', '2025-06'], 25).data, '2025-06');
    const notes = await notesOf(r);
    expect(notes.get('Không xếp hạng')).toBe('Đơn vị không được giao chỉ tiêu (Văn phòng Ủy ban nhân dân thành phố, Huyện Bạch Long Vĩ), không phát sinh hồ sơ mới, hoặc chưa có báo cáo hợp lệ trong kỳ tính lũy kế. Đơn vị có chỉ tiêu mà không phát sinh hồ sơ hoặc chưa có số liệu lũy kế được tính là chưa đạt (cột Kết quả ghi "Chưa đạt (…)")');
    expect(notes.get('Nguồn chỉ tiêu')).toBe('Chỉ tiêu theo tệp chỉ tiêu chi-tieu-2025.csv (chỉ tiêu kỳ 01/2025–06/2025)');
    expect(notes.get('Chênh lệch')).not.toContain('Phụ lục 2');
    expect(notes.get('Tiếp nhận, tổng hợp báo cáo')).toBe('Báo cáo của các đơn vị gửi qua Sở Thông tin và Truyền thông (Kế hoạch 128/KH-UBND)');
  });

  it('once the registry merges Sở Thông tin và Truyền thông away, the notes name no collector', async () => {
    const s12 = PLAN_128_REGISTRY.find((u) => u.code === 'S12')!;
    const merged: RegistryRow = { ...s12, validTo: '2025-02', mergedInto: 'S05' };
    const config = PlanConfig.withLoaded([merged], targets2025);
    expect(config.planFor('2025-02').collector).toBe('Sở Thông tin và Truyền thông');
    expect(config.planFor('2025-03').collector).toBeNull();
    const notes = await notesOf(reportOf(config, someReports(config, ['2025-05', '2025-06'], 26).data, '2025-06'));
    expect(notes.has('Tiếp nhận, tổng hợp báo cáo')).toBe(false);
    expect([...notes.values()].filter((t) => t.includes('Thông tin và Truyền thông'))).toEqual([]);
  });
});

describe('2022 on the built-in plan', () => {
  it('names Phụ lục 2\'s three units without a target (as the registry names them), the appendix as the source, and Sở Thông tin và Truyền thông', async () => {
    const config = PlanConfig.builtin();
    const notes = await notesOf(reportOf(config, someReports(config, ['2022-05', '2022-06'], 22).data, '2022-06'));
    expect(notes.get('Không xếp hạng')).toBe('Đơn vị không được giao chỉ tiêu (Thanh tra Thành Phố, Văn phòng Ủy ban nhân dân thành phố, Huyện Bạch Long Vĩ theo Phụ lục 2), không phát sinh hồ sơ mới, hoặc chưa có báo cáo hợp lệ trong kỳ tính lũy kế. Đơn vị có chỉ tiêu mà không phát sinh hồ sơ hoặc chưa có số liệu lũy kế được tính là chưa đạt (cột Kết quả ghi "Chưa đạt (…)")');
    expect(notes.get('Nguồn chỉ tiêu')).toBe('Phụ lục 2 Kế hoạch 128/KH-UBND ngày 27/5/2022 (chỉ tiêu 8 tháng cuối năm 2022)');
    expect(notes.get('Chênh lệch')).toContain('chỉ tiêu được giao (Phụ lục 2)');
    expect(notes.get('Thí điểm chỉ tiếp nhận trực tuyến')).toContain('Thủ tục thuộc Phụ lục 3 Kế hoạch 128/KH-UBND');
    expect(notes.get('Tiếp nhận, tổng hợp báo cáo')).toBe('Báo cáo của các đơn vị gửi qua Sở Thông tin và Truyền thông (Kế hoạch 128/KH-UBND)');
  });
});

describe('every unit given a target', () => {
  const units = [unit('S01', 'department', 'Sở Công Thương'), unit('S02', 'department', 'Sở Tư pháp')];
  const targets: Target[] = PLAN_128_TARGETS.filter((t) => t.unit === 'S01' || t.unit === 'S02');
  const r = buildLeadershipReport(input({ period: '2022-06', units, targets, data: new History().report('S01', '2022-06', randomCounts(seeded(3), 200, 0.7)).data }));

  it('the email says no "không giao chỉ tiêu 0"', () => {
    expect(r.totals.city.unitsNoTarget).toBe(0);
    const mail = leadershipEmail(r, ['lanh-dao@haiphong.gov.vn'], Buffer.from('x'));
    expect(mail.text).toContain('2 đơn vị: đạt chỉ tiêu được giao ');
    expect(mail.text).not.toMatch(/2 đơn vị: [^\n]*không giao chỉ tiêu/);
    expect(mail.html).not.toMatch(/<li>2 đơn vị: [^<]*(<b>[^<]*<\/b>[^<]*)*không giao chỉ tiêu/);
    // Nor the level's line.
    expect(mail.text).not.toContain('không giao chỉ tiêu 0');
  });

  it('Ghi chú says every unit has a target, and names none without', async () => {
    const notes = await notesOf(r);
    expect(notes.get('Không xếp hạng')).toBe('Đơn vị không phát sinh hồ sơ mới, hoặc chưa có báo cáo hợp lệ trong kỳ tính lũy kế (mọi đơn vị đều được giao chỉ tiêu). Đơn vị có chỉ tiêu mà không phát sinh hồ sơ hoặc chưa có số liệu lũy kế được tính là chưa đạt (cột Kết quả ghi "Chưa đạt (…)")');
  });
});

describe('online services: whose figures the rate is', () => {
  const proc = (name: string, online: number): Procedure => ({ code: null, name, online_level: 'full', received_online: online, received_direct: 1, received_postal: 0 });

  it('Tổng hợp and the services sheet say how many of the reporting units sent the procedure detail', async () => {
    const rng = seeded(4);
    const history = new History()
      .report('S01', '2022-06', randomCounts(rng, 200, 0.7), { procedures: [proc('Thủ tục A', 3), proc('Thủ tục B', 0)] })
      .report('S02', '2022-06', randomCounts(rng, 200, 0.7))
      .report('S03', '2022-06', randomCounts(rng, 200, 0.7));
    const r = buildLeadershipReport(input({ period: '2022-06', data: history.data }));
    expect(r.onlineServices.city).toMatchObject({ offered: 2, used: 1 });
    const cells = await textCells(r);
    expect(cells.filter((c) => c.sheet === SHEETS.summary && c.text.startsWith('Dịch vụ trực tuyến')).map((c) => c.text))
      .toEqual(['Dịch vụ trực tuyến có phát sinh hồ sơ trực tuyến (mục tiêu 80%; 1/2 dịch vụ của 1/3 đơn vị có báo cáo gửi số liệu chi tiết)']);
    expect(cells.some((c) => c.sheet === SHEETS.services && c.text === 'Kỳ tháng 06/2022; mục tiêu 80%; 1/2 dịch vụ của 1/3 đơn vị có báo cáo gửi số liệu chi tiết (trang tính "Chi tiết TTHC", không bắt buộc)')).toBe(true);
  });
});

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

  it('warns and says to load the year\'s plan; no warning with a plan column, a plan loaded, or 2022', async () => {
    const deps = { objects: new MemoryObjectStore(), config: new MemoryConfigStore() };
    const bare = await put(deps, 'config/targets/chi-tieu-2026-01.csv', 'unit,window_from,window_to,target_pct\nS05,2026-01,2026-04,95\n');
    expect(bare).toMatchObject({ status: 'loaded', warnings: [expect.objectContaining({ code: 'builtin_plan_cited', row: 2 })] });
    expect(bare.warnings[0].message).toMatch(/^Dòng 2: chưa nạp kế hoạch nào cho kỳ 01\/2026–04\/2026 .*Kế hoạch số 128\/KH-UBND ngày 27\/5\/2022.*tthc plan load/);

    const cited = await put(deps, 'config/targets/chi-tieu-2027.csv', 'unit,window_from,window_to,target_pct,plan\nS05,2027-01,2027-12,95,"Kế hoạch số 3/KH-UBND ngày 05/01/2027"\n');
    expect(cited).toMatchObject({ status: 'loaded', warnings: [] });
    expect(await put(deps, 'config/targets/chi-tieu-2022.csv', 'unit,window_from,window_to,target_pct\nS05,2022-05,2022-12,99\n')).toMatchObject({ status: 'loaded', warnings: [] });

    expect(await put(deps, 'config/plan/ke-hoach-2028.csv', 'citation,valid_from,floor_pct\n"Kế hoạch số 9/KH-UBND ngày 10/01/2028",2028-01,70\n')).toMatchObject({ status: 'loaded' });
    expect(await put(deps, 'config/targets/chi-tieu-2028.csv', 'unit,window_from,window_to,target_pct\nS05,2028-01,2028-12,95\n')).toMatchObject({ status: 'loaded', warnings: [] });
  });
});
