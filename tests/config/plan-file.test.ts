// Plan files (tthc plan load, config/plan/): read, checked whole, and what the plan in force
// then is; and the optional `plan` column of a targets file.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readTargetsFile } from '../../shared/config/config-files.ts';
import { planChanges } from '../../shared/config/config-changes.ts';
import { checkConfigFile, loadConfigFile, loadPlanConfig } from '../../shared/config/load-config.ts';
import { PLAN_128 } from '../../shared/config/plan.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import { readPlanFile } from '../../shared/config/plan-file.ts';
import type { ObjectStore } from '../../shared/ports.ts';
import { MemoryConfigStore } from '../../shared/store/memory-config-store.ts';

const csv = (...lines: string[]) => Buffer.from(`${lines.join('\n')}\n`);
const HEADER = 'citation,valid_from,valid_to,floor_pct,services_goal_pct,window_from,window_to,collector,pilot_level,pilot_procedure,pilot_field';
const PLAN_2026 = csv(
  HEADER,
  '"Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND thành phố về chuyển đổi số, năm 2026",2026-01,,65,85,2026-01,2026-12,Văn phòng UBND thành phố,,,',
  ',2026-01,,,,,,,commune,Đăng ký khai sinh,Hộ tịch',
  ',2026-01,,,,,,,department,Cấp giấy phép xây dựng,Xây dựng',
);

/** An object store in memory: what loadConfigFile reads the file from and writes the result to. */
function objects(files: Record<string, Buffer>): ObjectStore & { written: Map<string, string> } {
  const written = new Map<string, string>();
  return {
    written,
    get: async (key: string) => ({ bytes: files[key] }),
    put: async (key: string, body: string | Buffer) => { written.set(key, String(body)); },
  } as unknown as ObjectStore & { written: Map<string, string> };
}

describe('readPlanFile', () => {
  it('one plan with its numbers, collector and pilot list', async () => {
    const read = await readPlanFile(PLAN_2026);
    expect(read.errors).toEqual([]);
    expect(read.lines).toEqual([2]);
    expect(read.rows).toEqual([{
      citation: 'Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND thành phố về chuyển đổi số, năm 2026', validFrom: '2026-01', validTo: null,
      floor: 0.65, servicesGoal: 0.85, window: { from: '2026-01', to: '2026-12' }, collector: 'Văn phòng UBND thành phố',
      pilot: [
        { level: 'commune', unitName: '', field: 'Hộ tịch', procedureName: 'Đăng ký khai sinh' },
        { level: 'department', unitName: '', field: 'Xây dựng', procedureName: 'Cấp giấy phép xây dựng' },
      ],
    }]);
  });

  it('only the required columns: services goal 80%, no window, no collector, no pilot list', async () => {
    const read = await readPlanFile(csv('citation,valid_from,floor_pct', 'Kế hoạch số 3/KH-UBND ngày 5/01/2027,2027-01,70'));
    expect(read.errors).toEqual([]);
    expect(read.rows[0]).toMatchObject({ floor: 0.7, servicesGoal: 0.8, window: null, collector: null, pilot: [], validTo: null });
  });

  it('an xlsx: the first sheet, a percent-formatted floor (0.6 shown as 60%) is 60, a period Excel made a date is that period', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Kế hoạch');
    ws.addRow(['citation', 'valid_from', 'floor_pct', 'collector', 'pilot_level', 'pilot_procedure']);
    ws.addRow(['Kế hoạch số 15/KH-UBND ngày 20/01/2026', new Date(Date.UTC(2026, 0, 1)), 0.6, 'Văn phòng UBND thành phố']);
    ws.addRow([null, '2026-01', null, null, 'commune', 'Đăng ký khai sinh']);
    ws.getCell('C2').numFmt = '0%';
    const read = await readPlanFile(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(read.errors).toEqual([]);
    expect(read.rows).toEqual([expect.objectContaining({ validFrom: '2026-01', floor: 0.6, collector: 'Văn phòng UBND thành phố', pilot: [expect.objectContaining({ procedureName: 'Đăng ký khai sinh' })] })]);
  });

  it('a bad file: every error with its row and column, nothing read as good', async () => {
    const read = await readPlanFile(csv(
      HEADER,
      'Kế hoạch số 1/KH-UBND,2026-13,,60,,,,,,,',
      'Kế hoạch số 2/KH-UBND,2026-01,2025-12,6O,120,2026-05,2026-02,,,,',
      'Kế hoạch số 3/KH-UBND,2026-01,,60,,,,,,,',
      ',2027-01,,,,,,,ward,Thủ tục A,',
      ',2028-01,,,,,,,commune,Thủ tục B,',
      ',2026-01,,,,,,,,,',
    ));
    expect(read.errors.map((e) => [e.code, e.row, e.column])).toEqual([
      ['invalid_period', 2, 'B'],
      ['invalid_period', 3, 'C'],
      ['invalid_percent', 3, 'D'],
      ['invalid_percent', 3, 'E'],
      ['invalid_window', 3, 'F'],
      ['duplicate_row', 4, 'A'],
      ['invalid_level', 5, 'I'],
      ['missing_citation', 7, 'A'],
      ['pilot_without_plan', 5, 'B'],
      ['pilot_without_plan', 6, 'B'],
    ]);
    expect(read.errors.every((e) => /^Dòng \d+: /.test(e.message))).toBe(true);
    const huge = await readPlanFile(csv('citation,valid_from,floor_pct,pilot_level,pilot_procedure', 'Kế hoạch số 1/KH-UBND,2026-01,60,,',
      ...Array.from({ length: 3000 }, (_, i) => `,2026-01,,commune,Thủ tục hành chính thí điểm chỉ tiếp nhận trực tuyến số ${i} của cấp xã`)));
    expect(huge.errors).toEqual([expect.objectContaining({ code: 'plan_too_large', row: 2, column: 'A' })]);
    const missing = await readPlanFile(csv('citation,valid_from', 'Kế hoạch số 1/KH-UBND,2026-01'));
    expect(missing.errors).toEqual([expect.objectContaining({ code: 'missing_column', message: expect.stringContaining('"floor_pct"') })]);
  });
});

describe('loading a plan', () => {
  it('config/plan/<file>: stored, in force from its valid_from; loaded again: unchanged; a new file for the same valid_from replaces it', async () => {
    const config = new MemoryConfigStore();
    const files = { 'config/plan/ke-hoach-2026.csv': PLAN_2026 };
    const result = await loadConfigFile({ objects: objects(files), config }, 'config/plan/ke-hoach-2026.csv');
    // rows: the file's data rows (the plan and its two pilot procedures); changed: the one plan stored.
    expect(result).toEqual({ file: 'config/plan/ke-hoach-2026.csv', kind: 'plan', status: 'loaded', rows: 3, changed: 1, errors: [], warnings: [] });
    const plan = await loadPlanConfig(config);
    expect(plan.planFor('2025-12')).toBe(PLAN_128);
    expect(plan.planFor('2026-03')).toMatchObject({ id: '15/KH-UBND', citationShort: 'Kế hoạch 15/KH-UBND', floor: 0.65, servicesGoal: 0.85, collector: 'Văn phòng UBND thành phố' });
    expect(plan.planFor('2026-03').pilot).toHaveLength(2);
    expect(plan.planFor('2030-01').id).toBe('15/KH-UBND'); // open-ended
    expect((await loadConfigFile({ objects: objects(files), config }, 'config/plan/ke-hoach-2026.csv')).status).toBe('unchanged');

    const amended = csv('citation,valid_from,floor_pct', 'Kế hoạch số 15/KH-UBND ngày 20/01/2026 (sửa đổi),2026-01,70');
    const check = await checkConfigFile(config, 'plan', amended);
    expect(check.errors).toEqual([]);
    expect(check.kind === 'plan' && planChanges(check.rows, check.before)).toEqual([
      expect.objectContaining({ code: 'changed_plan', unit: '15/KH-UBND', from: '2026-01', message: expect.stringMatching(/^Từ 01\/2026: Kế hoạch số 15\/KH-UBND ngày 20\/01\/2026 của UBND.*: mức tối thiểu 65%, 2 thủ tục thí điểm → Kế hoạch số 15\/KH-UBND ngày 20\/01\/2026 \(sửa đổi\): mức tối thiểu 70%, 0 thủ tục thí điểm$/) }),
    ]);
    expect(check.after.planFor('2026-03')).toMatchObject({ floor: 0.7, pilot: [] });
    expect((await loadPlanConfig(config)).planFor('2026-03').floor).toBe(0.65); // a check stores nothing
  });

  it('targets citing the loaded plan itself keep its pilot list and collector; citing another plan, that one is in force for the window', async () => {
    const config = new MemoryConfigStore();
    const files = {
      'config/plan/ke-hoach-2026.csv': PLAN_2026,
      'config/targets/chi-tieu.csv': Buffer.from('unit,window_from,window_to,target_pct,plan\nS01,2026-02,2026-12,95,"Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND thành phố"\n'),
    };
    for (const key of Object.keys(files)) expect((await loadConfigFile({ objects: objects(files), config }, key)).status).toBe('loaded');
    const plan = await loadPlanConfig(config);
    expect(plan.planFor('2026-03')).toMatchObject({ id: '15/KH-UBND', collector: 'Văn phòng UBND thành phố' });
    expect(plan.planFor('2026-03').pilot).toHaveLength(2);
    const other = Buffer.from('unit,window_from,window_to,target_pct,plan\nS01,2027-02,2027-12,95,"Kế hoạch số 9/KH-UBND ngày 05/01/2027"\n');
    await loadConfigFile({ objects: objects({ 'config/targets/2027.csv': other }), config }, 'config/targets/2027.csv');
    expect((await loadPlanConfig(config)).planFor('2027-03')).toMatchObject({ id: '9/KH-UBND', pilot: [], collector: null });
  });

  it('a rejected plan file changes nothing and says why', async () => {
    const config = new MemoryConfigStore();
    const store = objects({ 'config/plan/sai.csv': csv('citation,valid_from,floor_pct', 'Kế hoạch số 1/KH-UBND,2026-01,sáu mươi') });
    const result = await loadConfigFile({ objects: store, config }, 'config/plan/sai.csv');
    expect(result.status).toBe('rejected');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'invalid_percent', row: 2, column: 'C' })]);
    expect(await config.plans()).toEqual([]);
    expect(JSON.parse(store.written.get('results/config/plan/sai.csv.json')!)).toMatchObject({ kind: 'plan', status: 'rejected' });
  });
});

describe('the plan column of a targets file', () => {
  it('is optional and kept with each target; its citation is the plan of the window it covers unless a plan file says otherwise', async () => {
    const citation = 'Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND thành phố';
    const read = await readTargetsFile(csv('unit,window_from,window_to,target_pct,plan', `S01,2026-01,2026-04,95,"${citation}"`, 'S02,2026-01,2026-04,80,'), PlanConfig.builtin());
    expect(read.errors).toEqual([]);
    expect(read.rows).toEqual([
      { unit: 'S01', windowFrom: '2026-01', windowTo: '2026-04', targetPct: 95, plan: citation },
      { unit: 'S02', windowFrom: '2026-01', windowTo: '2026-04', targetPct: 80 },
    ]);
    const cited = PlanConfig.withLoaded([], read.rows);
    expect(cited.planFor('2026-02')).toMatchObject({ id: '15/KH-UBND', citation, window: { from: '2026-01', to: '2026-04' }, floor: 0.6, pilot: [], collector: null });
    expect(cited.planFor('2026-05')).toBe(PLAN_128);
    // A plan file from the same period or later wins; one from before does not.
    const file = (validFrom: string) => ({ ...PLAN_128, id: 'x', citation: `Kế hoạch từ ${validFrom}`, validFrom });
    expect(PlanConfig.withLoaded([], read.rows, [file('2026-01')]).planFor('2026-02').citation).toBe('Kế hoạch từ 2026-01');
    expect(PlanConfig.withLoaded([], read.rows, [file('2025-07')]).planFor('2026-02').citation).toBe(citation);
    // Without the column, targets files load as before.
    expect((await readTargetsFile(csv('unit,window_from,window_to,target_pct', 'S01,2026-01,2026-04,95'), PlanConfig.builtin())).rows[0]).not.toHaveProperty('plan');
  });
});
