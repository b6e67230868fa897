// The city as it is since 1/7/2025, shipped as data: the registry file built from
// shared/data/haiphong-2025/, and what the product does with it loaded: status and rankings
// of 2026 list the 128 units of 2025 and none of 2022, with no district level.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_2025_FROM, registry2025Csv } from '../../scripts/build-registry-2025.ts';
import { realisticMonth, writeReport } from '../../scripts/generate/report-files.ts';
import { parseCsvObjects } from '../../shared/csv.ts';
import { checkRegistryAgainst, readRegistryFile } from '../../shared/config/config-files.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { jsonLines as jsonLinesOf, removeForks, tthcOn, tthcSideBySide, tthcSideBySideOk } from '../fixtures/tthc.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const REGISTRY = 'shared/data/haiphong-2025/registry-2025-07.csv';
const registryText = () => readFile(join(REPO, REGISTRY), 'utf8');

describe('registry-2025-07.csv', () => {
  it('is what scripts/build-registry-2025.ts builds from the reference files', async () => {
    expect(await registryText()).toBe(registry2025Csv());
  });

  it('loads without errors: 128 units in force from 2025-07 (14 departments, 114 communes, no district), the 252 of 2022 until 2025-06', async () => {
    const { rows, errors, lines } = await readRegistryFile(Buffer.from(await registryText()));
    expect(errors).toEqual([]);
    const plan = PlanConfig.withLoaded(rows, []);
    expect(checkRegistryAgainst(rows, PlanConfig.builtin(), lines)).toEqual([]);

    const july = plan.rowsFor('2025-07');
    expect(july).toHaveLength(128);
    expect(july.filter((r) => r.level === 'department')).toHaveLength(14);
    expect(july.filter((r) => r.level === 'commune')).toHaveLength(114);
    expect(july.filter((r) => r.level === 'district')).toEqual([]);
    expect(new Set(july.map((r) => r.code)).size).toBe(128);
    expect(july.map((r) => r.code).filter((c) => !/^(D(0[1-9]|1[0-4])|N(0\d\d|10\d|11[0-4]))$/.test(c))).toEqual([]);
    expect(july.find((r) => r.code === 'D07')).toMatchObject({ name: 'Sở Khoa học và Công nghệ', level: 'department', parentCode: null });
    // The two đặc khu, commune level like every other unit of the one local level.
    const special = july.filter((r) => r.name.startsWith('Đặc khu'));
    expect(special.map((r) => [r.code, r.name, r.level])).toEqual([['N113', 'Đặc khu Cát Hải', 'commune'], ['N114', 'Đặc khu Bạch Long Vĩ', 'commune']]);

    for (const period of ['2022-06', '2025-06']) {
      const before = plan.rowsFor(period);
      expect(before).toHaveLength(252);
      expect(before.map((r) => r.code).sort()).toEqual(PLAN_128_UNITS.map((u) => u.code).sort());
    }
    // Old units keep their names and parents until they end, and are merged into nothing.
    expect(plan.rowsFor('2025-06').find((r) => r.code === 'X001')).toMatchObject({ name: 'Phường Anh Dũng', parentCode: 'H15', validTo: '2025-06', mergedInto: null });
    expect(plan.retired('X001', CITY_2025_FROM)).toMatchObject({ validTo: '2025-06', mergedInto: null });
  });

  it('keeps the statistics office\'s code of each commune as a column: unique, five digits', async () => {
    const rows = parseCsvObjects(await registryText());
    expect(Object.keys(rows[0])).toEqual(['code', 'level', 'name', 'valid_from', 'parent_code', 'contact_email', 'valid_to', 'merged_into', 'gso_code']);
    const communes = rows.filter((r) => r.valid_from === CITY_2025_FROM && r.level === 'commune');
    expect(communes).toHaveLength(114);
    expect(communes.filter((r) => !/^\d{5}$/.test(r.gso_code))).toEqual([]);
    expect(new Set(communes.map((r) => r.gso_code)).size).toBe(114);
    expect(communes.find((r) => r.code === 'N001')).toMatchObject({ name: 'Phường Thủy Nguyên', gso_code: '11560' });
  });
});

describe('the 2025 city loaded, with 2026 reports (tthc end to end)', () => {
  let home: string;
  const { json, jsonLines } = tthcOn(() => home);
  const REPORTING = ['D07', 'D11', 'N001', 'N050', 'N113'];
  /** Each command once on its own copy of the home, all at once: they only read what is stored. */
  const sideBySide = (...commands: string[][]) => tthcSideBySideOk(home, commands);
  /** Report files for these units and period, as a unit would send them. */
  const reportFiles = async (seed: string, units: Array<{ code: string; name: string; level: 'department' | 'district' | 'commune' }>, period: string) => {
    const files: string[] = [];
    for (const spec of realisticMonth(seed, units, period)) {
      // The code line makes the file name its unit, whatever the name's spelling.
      const file = join(home, `${spec.unit.code}-${period}.${spec.variant?.layout === 'csv' ? 'csv' : 'xlsx'}`);
      await writeFile(file, await writeReport({ ...spec, variant: { ...spec.variant, codeLine: true, csvUnitColumn: true } }));
      files.push(file);
    }
    return files;
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tthc-city-2025-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await removeForks();
  });

  it('registry load, then show --period 2025-07 lists the city as it is now', async () => {
    expect(await json('registry', 'load', '--json', REGISTRY)).toMatchObject({ status: 'loaded', rows: 380, errors: [] });
    const [july, june] = (await sideBySide(['registry', 'show', '--period', '2025-07', '--json'], ['registry', 'show', '--period', '2025-06', '--json']))
      .map((out) => JSON.parse(out).units);
    expect(july).toHaveLength(128);
    expect(july.filter((u: { level: string }) => u.level === 'district')).toEqual([]);
    expect(july[0]).toEqual({ code: 'D01', level: 'department', name: 'Văn phòng Ủy ban nhân dân thành phố', parent: null, contact_email: null, valid_from: '2025-07', valid_to: null, merged_into: null });
    expect(june).toHaveLength(252);
  }, 60_000);

  // The reports of 2025-06 (the old units) go in with the three months of 2026, in the same
  // targets file and the same ingest: the last test reads them.
  const OLD = PLAN_128_UNITS.filter((u) => ['S05', 'H15', 'X001'].includes(u.code));

  it('three months of reports: status and ranking of 2026-03 have the 128 units and none of 2022, no district level', async () => {
    // The units in force in 2026-03, from the file just loaded (`registry show` runs above).
    const { rows } = await readRegistryFile(Buffer.from(await registryText()));
    const july = PlanConfig.withLoaded(rows, []).unitsFor('2026-03');
    const units = july.filter((u) => REPORTING.includes(u.code));
    const files: string[] = [];
    for (const period of ['2026-01', '2026-02', '2026-03']) files.push(...await reportFiles('city-2025', units, period));
    files.push(...await reportFiles('city-2022', OLD, '2025-06'));
    // 2026's targets for the units of now; the first half of 2025 had its own, for the units of then.
    const targets = join(home, 'chi-tieu-2026.csv');
    await writeFile(targets, `unit,window_from,window_to,target_pct\n${[
      ...REPORTING.map((u) => `${u},2026-01,2026-03,80`), ...OLD.map((u) => `${u.code},2025-01,2025-06,70`)].join('\n')}\n`);
    expect(await json('targets', 'load', '--json', targets)).toMatchObject({ status: 'loaded', errors: [] });

    const ingested = await jsonLines('ingest', '--json', ...files);
    expect(ingested.map((r) => [r.unit, r.period, r.status])).toEqual([
      ...['2026-01', '2026-02', '2026-03'].flatMap((p) => units.map((u) => [u.code, p, 'accepted'])),
      ...OLD.map((u) => [u.code, '2025-06', 'accepted'])]);

    const [statusOut, rankingOut] = await sideBySide(['status', '--period', '2026-03', '--json'], ['ranking', '--period', '2026-03', '--json']);
    const status = jsonLinesOf(statusOut);
    expect(status).toHaveLength(128);
    expect(status.map((s) => s.unit).sort()).toEqual(july.map((u) => u.code).sort());
    const old = new Set(PLAN_128_UNITS.map((u) => u.code));
    expect(status.filter((s) => old.has(s.unit))).toEqual([]);
    expect(status.filter((s) => s.status !== 'missing').map((s) => s.unit).sort()).toEqual([...REPORTING].sort());

    const ranking = JSON.parse(rankingOut);
    const ranked = (level: string) => (ranking.levels[level] ?? []).map((e: { unit: string }) => e.unit);
    expect(ranked('district')).toEqual([]);
    expect([...ranked('department')].sort()).toEqual(['D07', 'D11']);
    expect([...ranked('commune')].sort()).toEqual(['N001', 'N050', 'N113']);
    expect(ranking.city.map((e: { unit: string }) => e.unit).sort()).toEqual([...REPORTING].sort());
    expect(ranking.city.every((e: { target_pct: number }) => e.target_pct === 80)).toBe(true);
    expect(ranking.window).toEqual(['2026-01', '2026-03']);
  }, 180_000);

  it('next targets from the three months reported: targets allocate --from-periods, then targets load accepts the file', async () => {
    const out = join(home, 'chi-tieu-2026-04.csv');
    // Nothing reported for the second baseline: nothing is written. Allocation reads and stores nothing: the two side by side.
    const [allocated, none] = await tthcSideBySide(home, [
      ['targets', 'allocate', '--from-periods', '2026-01..2026-03', '--window', '2026-04..2026-12', '--goal-rate', '0.8', '--out', out],
      ['targets', 'allocate', '--from-periods', '2025-08..2025-09', '--window', '2025-10..2025-12', '--goal-rate', '0.8', '--out', join(home, 'rong.csv')],
    ]);
    expect(allocated.code, allocated.stderr).toBe(0);
    expect(allocated.stdout).toContain('Không có báo cáo nào trong các kỳ gốc, không giao chỉ tiêu (123 đơn vị):');
    expect(allocated.stdout).not.toContain('Quận, huyện');
    // The communes' level named as the units in force are, not as in the 2022 plan.
    expect(allocated.stdout).toMatch(/^Xã, phường, đặc khu: hồ sơ trực tuyến cần giao thêm/m);
    expect(allocated.stdout).not.toContain('thị trấn');
    const rows = parseCsvObjects(await readFile(out, 'utf8'));
    expect(rows.map((r) => r.unit).sort()).toEqual([...REPORTING].sort());
    expect(rows.every((r) => r.window_from === '2026-04' && r.window_to === '2026-12' && Number(r.target_pct) > 0)).toBe(true);
    expect(none).toMatchObject({ code: 1, stderr: expect.stringContaining('(mã lỗi: no_baseline_reports)') });
    await expect(readFile(join(home, 'rong.csv'))).rejects.toThrow();
    // No plan is loaded for 2026 here: the load says the reports would cite the 2022 plan.
    expect(await json('targets', 'load', '--json', out)).toMatchObject({ status: 'loaded', rows: 5, errors: [], warnings: [expect.objectContaining({ code: 'builtin_plan_cited' })] });
    const shown = (await json('targets', 'show', '--period', '2026-04', '--json')).targets as Array<{ unit: string; source: string }>;
    expect(shown.filter((t) => t.source === 'loaded').map((t) => t.unit).sort()).toEqual([...REPORTING].sort());
  }, 120_000);

  it('a report for a period before 2025-07 still ranks the old units, by their 2022 levels', async () => {
    const [statusOut, rankingOut] = await sideBySide(['status', '--period', '2025-06', '--json'], ['ranking', '--period', '2025-06', '--json']);
    const june = jsonLinesOf(statusOut);
    expect(june).toHaveLength(252);
    expect(june.filter((s) => /^[DN]\d/.test(s.unit))).toEqual([]);
    expect(june.filter((s) => s.status !== 'missing').map((s) => s.unit).sort()).toEqual(OLD.map((u) => u.code).sort());
    const ranking = JSON.parse(rankingOut);
    expect(ranking.levels.department.map((e: { unit: string }) => e.unit)).toEqual(['S05']);
    expect(ranking.levels.district.map((e: { unit: string }) => e.unit)).toEqual(['H15']);
    expect(ranking.levels.commune.map((e: { unit: string }) => e.unit)).toEqual(['X001']);
    expect(ranking.city.every((e: { target_pct: number }) => e.target_pct === 70)).toBe(true);
  }, 90_000);
});
