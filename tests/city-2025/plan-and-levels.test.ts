// The city since 1/7/2025 in the leadership outputs: the levels come from the registry in
// force (no district level, the communes named "Xã, phường, đặc khu"), and the plan the
// texts cite and whose numbers they use is the one in force for the period.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRegistryFile } from '../../shared/config/config-files.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import { PLAN_128, planOf } from '../../shared/config/plan.ts';
import { trendChartInput } from '../../shared/report/chart.ts';
import { leadershipEmail } from '../../shared/report/email.ts';
import { buildLeadershipReport, rankingJson, type LeadershipReport } from '../../shared/report/period-report.ts';
import { buildWorkbook, SHEETS } from '../../shared/report/workbook.ts';
import type { Target } from '../../shared/units/target.ts';
import { realisticMonth, writeReport } from '../../scripts/generate/report-files.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { History, input, randomCounts, seeded } from '../report/helpers.ts';
import { jsonLines as jsonLinesOf, removeForks, tthcInProcess, tthcOn, tthcSideBySideOk } from '../fixtures/tthc.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const REGISTRY = join(REPO, 'shared/data/haiphong-2025/registry-2025-07.csv');
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
const CITATION = 'Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND thành phố về chỉ tiêu hồ sơ trực tuyến năm 2026';
const targets2026: Target[] = [
  { unit: 'D07', windowFrom: '2026-01', windowTo: '2026-04', targetPct: 95, plan: CITATION },
  { unit: 'N001', windowFrom: '2026-01', windowTo: '2026-04', targetPct: 70, plan: CITATION },
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

/** As loadLeadershipReport builds it from the loaded configuration. */
function report2026(period = '2026-03'): LeadershipReport {
  const inForce = plan.planFor(period);
  return buildLeadershipReport(input({
    period, data: history.data, units: plan.unitsFor(period), targets: plan.targets, asOf: new Date(`${period}-20T01:00:00Z`),
    plan: inForce, floor: inForce.floor, pilot: inForce.pilot,
  }));
}

describe('levels in force come from the registry', () => {
  it('2026-03: departments and communes ("Xã, phường, đặc khu"), no district; 2025-06 still the three levels of 2022', () => {
    expect(report2026().levels).toEqual([{ level: 'department', name: 'Sở, ban, ngành' }, { level: 'commune', name: 'Xã, phường, đặc khu' }]);
    const june = buildLeadershipReport(input({ period: '2025-06', data: new History().data, units: plan.unitsFor('2025-06'), targets: plan.targets }));
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
    const names = wb.worksheets.map((w) => w.name);
    expect(names.slice(0, 4)).toEqual([SHEETS.summary, 'Sở ban ngành', 'Xã, phường, đặc khu', SHEETS.missing]);
    expect(names).not.toContain('Quận huyện');
    expect(names).toEqual(expect.arrayContaining([SHEETS.overdue, SHEETS.pilot, SHEETS.corrections, SHEETS.quality, SHEETS.notes]));
    const summary = wb.getWorksheet(SHEETS.summary)!;
    // Four columns: the national motto still gets the width it needs (two columns cut it off).
    const motto = summary.getRow(1).getCell(2);
    expect(motto.value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    const spanned = [2, 3, 4].filter((c) => summary.getCell(1, c).master.address === motto.address);
    expect(spanned.reduce((w, c) => w + (summary.getColumn(c).width ?? 0), 0)).toBeGreaterThanOrEqual(44);
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
    expect(trendChartInput(r).series.map((x) => x.label)).toEqual(['Toàn thành phố', 'Sở, ban, ngành', 'Xã, phường, đặc khu']);
    const mail = leadershipEmail(r, ['lanh-dao@haiphong.gov.vn'], bytes);
    expect(mail.html).toContain('Xã, phường, đặc khu');
    expect(mail.html).not.toMatch(/Quận, huyện/);
  });
});

describe('the plan in force', () => {
  it('a targets file\'s `plan` column names the plan for the window it covers; before and after, the 2022 plan', () => {
    expect(plan.planFor('2026-03')).toMatchObject({ id: '15/KH-UBND', citation: CITATION, citationShort: 'Kế hoạch 15/KH-UBND', window: { from: '2026-01', to: '2026-04' }, floor: 0.6, pilot: [], collector: null });
    expect(plan.planFor('2026-05').id).toBe('128/KH-UBND');
    expect(plan.planFor('2025-12').id).toBe('128/KH-UBND');
    expect(PlanConfig.builtin().planFor('2022-06')).toBe(PLAN_128);
  });

  it('2022 keeps citing Kế hoạch 128/KH-UBND, its appendices and who collected the reports', async () => {
    const r = buildLeadershipReport(input({ period: '2022-06', data: new History().report('S01', '2022-06', randomCounts(seeded(1), 100, 0.5)).data }));
    expect(r.plan).toMatchObject({ id: '128/KH-UBND', floor: 0.6, servicesGoal: 0.8 });
    const cells = (await textCells(await buildWorkbook(r))).filter((c) => c.sheet === SHEETS.notes).map((c) => c.text);
    expect(cells).toContain('Phụ lục 2 Kế hoạch 128/KH-UBND ngày 27/5/2022 (chỉ tiêu 8 tháng cuối năm 2022)');
    expect(cells).toContain('Báo cáo của các đơn vị gửi qua Sở Thông tin và Truyền thông (Kế hoạch 128/KH-UBND)');
    // The units without a target in force, as the registry names them (tests/report/plan-texts.test.ts: later years).
    expect(cells.some((t) => t.includes('(Thanh tra Thành Phố, Văn phòng Ủy ban nhân dân thành phố, Huyện Bạch Long Vĩ theo Phụ lục 2)'))).toBe(true);
  });

  it('every text of the 2026 workbook and email cites the 2026 plan, never 128/KH-UBND', async () => {
    const r = report2026();
    const bytes = await buildWorkbook(r);
    const cells = await textCells(bytes);
    expect(cells.filter((c) => /128\/KH|Phụ lục [23]|Thông tin và Truyền thông|Bạch Long Vĩ theo/.test(c.text))).toEqual([]);
    expect(cells.some((c) => c.sheet === SHEETS.summary && c.text.includes(`thực hiện ${CITATION}`))).toBe(true);
    expect(cells.find((c) => c.sheet === SHEETS.notes && c.text.startsWith(CITATION))?.text).toBe(`${CITATION} (chỉ tiêu kỳ 01/2026–04/2026)`);
    expect(cells.some((c) => c.sheet === SHEETS.pilot && c.text === 'Kế hoạch 15/KH-UBND không có danh mục thủ tục thí điểm chỉ tiếp nhận trực tuyến.')).toBe(true);
    const mail = leadershipEmail(r, ['lanh-dao@haiphong.gov.vn'], bytes);
    for (const text of [mail.subject, mail.html, mail.text]) expect(text).not.toMatch(/128\/KH/);
    expect(mail.html).toContain('theo Kế hoạch 15/KH-UBND');
  });

  it('a plan\'s own floor and services goal are the numbers the texts use', async () => {
    const own = planOf({
      citation: 'Kế hoạch số 7/KH-UBND ngày 10/01/2027', validFrom: '2026-01', validTo: null, floor: 0.75, servicesGoal: 0.9,
      window: { from: '2026-01', to: '2026-12' }, pilot: [], collector: 'Văn phòng UBND thành phố',
    });
    const r = buildLeadershipReport(input({ period: '2026-03', data: history.data, units: plan.unitsFor('2026-03'), targets: plan.targets, plan: own, floor: own.floor, pilot: own.pilot }));
    const cells = (await textCells(await buildWorkbook(r))).map((c) => c.text);
    expect(cells.some((t) => t.includes('So với mức tối thiểu 75% của Kế hoạch'))).toBe(true);
    expect(cells.some((t) => t.includes('mục tiêu 90%'))).toBe(true);
    expect(cells.some((t) => t.includes('60%') || t.includes('80%'))).toBe(false);
    expect(cells).toContain('Báo cáo của các đơn vị gửi qua Văn phòng UBND thành phố (Kế hoạch 7/KH-UBND)');
  });
});

describe('the 2025 city, a 2026 targets file citing its plan, three months of reports (tthc end to end)', () => {
  let home: string;
  const { json, jsonLines } = tthcOn(() => home);
  const REPORTING = ['D07', 'D11', 'N001', 'N050', 'N113'];
  const PLAN_SHOW_TEXT = `Kế hoạch áp dụng kỳ 03/2026: ${CITATION} (đã nạp, từ 01/2026)`;
  /** The names and text cells of a workbook `tthc report` wrote. */
  const workbookAt = async (out: string) => {
    const bytes = await readFile(out);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    return { names: wb.worksheets.map((w) => w.name), cells: await textCells(bytes) };
  };
  /** Each command once on its own copy of the home, all at once: they only read what is stored. */
  const sideBySide = (commands: string[][]) => tthcSideBySideOk(home, commands);

  beforeAll(async () => { home = await mkdtemp(join(tmpdir(), 'tthc-plan-2026-')); });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await removeForks();
  });

  it('status, ranking, plan show and the workbook of 2026-03: the 128 units, no district, the 2026 plan cited', async () => {
    expect(await json('registry', 'load', '--json', REGISTRY)).toMatchObject({ status: 'loaded', errors: [] });
    // The units `tthc registry show --period 2026-03` lists (registry.test.ts runs it), from the same file.
    const units = plan.unitsFor('2026-03').filter((u) => REPORTING.includes(u.code));
    expect(units.map((u) => u.code).sort()).toEqual([...REPORTING].sort());
    const files: string[] = [];
    for (const period of PERIODS) {
      for (const spec of realisticMonth('plan-2026', units, period)) {
        const file = join(home, `${spec.unit.code}-${period}.${spec.variant?.layout === 'csv' ? 'csv' : 'xlsx'}`);
        await writeFile(file, await writeReport({ ...spec, variant: { ...spec.variant, codeLine: true, csvUnitColumn: true } }));
        files.push(file);
      }
    }
    const targets = join(home, 'chi-tieu-2026-01.csv');
    await writeFile(targets, `unit,window_from,window_to,target_pct,plan\n${REPORTING.map((u) => `${u},2026-01,2026-04,75,"${CITATION}"`).join('\n')}\n`);
    expect(await json('targets', 'load', '--json', targets)).toMatchObject({ status: 'loaded', errors: [] });
    expect((await jsonLines('ingest', '--json', ...files)).every((r) => r.status === 'accepted')).toBe(true);

    const out = join(home, 'bao-cao-2026-03.xlsx');
    const [statusJson, statusText, rankingJson, planShow, plan2022, planAfter, planAfterText] = await sideBySide([
      ['status', '--period', '2026-03', '--json'], ['status', '--period', '2026-03'], ['ranking', '--period', '2026-03', '--json'],
      ['plan', 'show', '--period', '2026-03', '--json'], ['plan', 'show', '--period', '2022-06', '--json'],
      ['plan', 'show', '--period', '2026-05', '--json'], ['plan', 'show', '--period', '2026-05'],
      ['report', '--period', '2026-03', '--out', out],
    ]);
    const status = jsonLinesOf(statusJson);
    expect(status).toHaveLength(128);
    const old = new Set(PLAN_128_UNITS.map((u) => u.code));
    expect(status.filter((s) => old.has(s.unit))).toEqual([]);
    expect(statusText).toContain('Xã, phường, đặc khu (114)');
    expect(statusText).not.toContain('Quận, huyện');

    const ranking = JSON.parse(rankingJson);
    expect(Object.keys(ranking.levels)).toEqual(['department', 'commune']);
    expect(Object.keys(ranking.totals)).toEqual(['city', 'department', 'commune']);
    expect(ranking.city.map((e: { unit: string }) => e.unit).sort()).toEqual([...REPORTING].sort());

    expect(JSON.parse(planShow).plan).toMatchObject({
      id: '15/KH-UBND', citation: CITATION, floor_pct: 60, window_from: '2026-01', window_to: '2026-04', source: 'targets', pilot: [],
    });
    expect(JSON.parse(plan2022).plan).toMatchObject({ id: '128/KH-UBND', source: 'builtin', collector: 'Sở Thông tin và Truyền thông' });
    // After the targets' window no plan is loaded: the built-in plan, without the 2022 city's collector and pilot list.
    expect(JSON.parse(planAfter).plan).toMatchObject({ id: '128/KH-UBND', source: 'builtin', collector: null, pilot: [] });
    expect(planAfterText).toContain('Chưa nạp kế hoạch nào cho kỳ này: Kế hoạch 128/KH-UBND có sẵn là kế hoạch năm 2022; nạp kế hoạch của năm bằng tthc plan load.');

    const { names, cells } = await workbookAt(out);
    expect(names).toContain('Xã, phường, đặc khu');
    expect(names).not.toContain('Quận huyện');
    expect(cells.filter((c) => /128\/KH/.test(c.text))).toEqual([]);
    expect(cells.some((c) => c.sheet === SHEETS.summary && c.text.includes(CITATION))).toBe(true);
  }, 240_000);

  it('a plan file loaded for 2026 then says the floor, the collector and the pilot list', async () => {
    const file = join(home, 'ke-hoach-2026.csv');
    await writeFile(file, [
      'citation,valid_from,floor_pct,services_goal_pct,window_from,window_to,collector,pilot_level,pilot_procedure',
      `"${CITATION}",2026-01,70,85,2026-01,2026-12,Văn phòng UBND thành phố,,`,
      ',2026-01,,,,,,commune,Đăng ký khai sinh',
    ].join('\n'));
    const dry = await json('plan', 'load', '--dry-run', '--json', file);
    expect(dry).toMatchObject({ kind: 'plan', status: 'would_load', dry_run: true, changes: [expect.objectContaining({ code: 'new_plan', unit: '15/KH-UBND', from: '2026-01' })] });
    expect(await json('plan', 'load', '--json', file)).toMatchObject({ kind: 'plan', status: 'loaded', rows: 2, changed: 1, errors: [] });
    const out = join(home, 'bao-cao-2026-03-ke-hoach.xlsx');
    const [shown, shownText] = await sideBySide([
      ['plan', 'show', '--period', '2026-03', '--json'], ['plan', 'show', '--period', '2026-03'], ['report', '--period', '2026-03', '--out', out],
    ]);
    expect(JSON.parse(shown).plan).toMatchObject({
      source: 'loaded', floor_pct: 70, services_goal_pct: 85, collector: 'Văn phòng UBND thành phố', pilot: [{ level: 'commune', procedure: 'Đăng ký khai sinh' }],
    });
    expect(shownText).toContain(PLAN_SHOW_TEXT);
    // Decided before the stack starts: cli/main.ts in this process (tests/cli/args.test.ts runs such mistakes through bin/tthc.js).
    expect(await tthcInProcess(['plan', 'show', '--period', '2026-13'], { home })).toMatchObject({ code: 2, stderr: expect.stringContaining('--period') });
    expect(await tthcInProcess(['plan', 'sua'], { home })).toMatchObject({ code: 2, stderr: expect.stringContaining('không có lệnh tthc plan sua (có: load, show)') });
    expect((await tthcInProcess(['plan', '--help'], { home })).stdout).toContain('tthc plan load FILE [--dry-run] [--json]');
    const { cells } = await workbookAt(out);
    expect(cells.filter((c) => /128\/KH|60%|Thông tin và Truyền thông/.test(c.text))).toEqual([]);
    expect(cells.some((c) => c.text.includes('So với mức tối thiểu 70% của Kế hoạch'))).toBe(true);
    expect(cells.some((c) => c.text === 'Báo cáo của các đơn vị gửi qua Văn phòng UBND thành phố (Kế hoạch 15/KH-UBND)')).toBe(true);
  }, 120_000);
});
