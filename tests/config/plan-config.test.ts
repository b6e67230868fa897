// Registry and targets as data with effective periods (pure domain).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { PlanConfig, PLAN_128_REGISTRY, type RegistryRow } from '../../shared/config/plan-config.ts';
import { readRegistryFile, readTargetsFile, checkRegistryAgainst } from '../../shared/config/config-files.ts';
import { checkConfigFile, loadConfigFile, loadPlanConfig } from '../../shared/config/load-config.ts';
import { MemoryObjectStore } from '../../shared/store/memory-object-store.ts';
import { MemoryConfigStore } from '../../shared/store/memory-config-store.ts';
import { readSubmission } from '../../shared/report-file/read-report.ts';

const row = (over: Partial<RegistryRow> & Pick<RegistryRow, 'code' | 'validFrom'>): RegistryRow => ({
  level: 'commune', name: `Đơn vị ${over.code}`, parentCode: null, contactEmail: null, validTo: null, mergedInto: null, ...over,
});

describe('PlanConfig', () => {
  it('is the 2022 plan when nothing is loaded: 252 units, 249 targets', () => {
    const plan = PlanConfig.builtin();
    expect(plan.unitsFor('2022-06')).toHaveLength(252);
    expect(plan.targets.filter((t) => t.targetPct !== null)).toHaveLength(249);
  });

  it('a registry change takes effect from its period and not before', () => {
    const plan = PlanConfig.withLoaded([
      row({ code: 'X001', name: 'Phường Anh Dũng', validFrom: '2000-01', validTo: '2025-06', mergedInto: 'X002' }),
      row({ code: 'X002', name: 'Phường Đa Phúc mới', validFrom: '2025-07' }),
      row({ code: 'N001', name: 'Phường mới', validFrom: '2025-07' }),
    ], []);
    expect(plan.registryFor('2025-06').get('X001')?.name).toBe('Phường Anh Dũng');
    expect(plan.registryFor('2025-06').get('X002')?.name).toBe('Phường Đa Phúc');
    expect(plan.registryFor('2025-06').get('N001')).toBeUndefined();
    expect(plan.registryFor('2025-07').get('X001')).toBeUndefined();
    expect(plan.registryFor('2025-07').get('X002')?.name).toBe('Phường Đa Phúc mới');
    expect(plan.registryFor('2025-07').get('N001')?.name).toBe('Phường mới');
    expect(plan.unitsFor('2025-07')).toHaveLength(252); // one merged away, one new
    expect(plan.retired('X001', '2025-07')).toMatchObject({ mergedInto: 'X002', validTo: '2025-06' });
    expect(plan.retired('X001', '2025-06')).toBeNull();
  });

  it('a retired code speaks through the row that last took effect, not an earlier one that ran longer', () => {
    // The earlier row would run to 2025-12 into X002; a later row took over from 2025-07 and
    // ended in 2025-09 into X003 (the loader warns row_shadowed): X003 carries it after that.
    const plan = PlanConfig.withLoaded([
      row({ code: 'X001', validFrom: '2000-01', validTo: '2025-12', mergedInto: 'X002' }),
      row({ code: 'X001', validFrom: '2025-07', validTo: '2025-09', mergedInto: 'X003' }),
      row({ code: 'X002', validFrom: '2000-01' }),
      row({ code: 'X003', validFrom: '2000-01' }),
    ], []);
    expect(plan.rowInForce('X001', '2025-08')).toMatchObject({ mergedInto: 'X003' });
    for (const period of ['2025-10', '2026-02']) {
      expect(plan.rowInForce('X001', period), period).toBeNull();
      expect(plan.retired('X001', period), period).toMatchObject({ validTo: '2025-09', mergedInto: 'X003' });
    }
    // A code that starts again after its end is not retired while its new row is in force.
    const revived = PlanConfig.withLoaded([row({ code: 'X001', validFrom: '2000-01', validTo: '2023-12' }), row({ code: 'X001', validFrom: '2025-01' })], []);
    expect(revived.retired('X001', '2024-06')).toMatchObject({ validTo: '2023-12' });
    expect(revived.retired('X001', '2025-06')).toBeNull();
  });

  it('every period has the units of its rows in force, and periods of one era share one registry (any of 1,200 periods may be asked)', () => {
    const plan = PlanConfig.withLoaded([
      row({ code: 'X001', validFrom: '2000-01', validTo: '2025-06', mergedInto: 'N001' }),
      row({ code: 'N001', validFrom: '2025-07' }),
      row({ code: 'N002', validFrom: '2026-01', validTo: '2026-03' }),
      row({ code: 'X002', name: 'Tên mới', validFrom: '2024-04' }),
    ], []);
    const periods = Array.from({ length: 1_212 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const registries = new Set<unknown>();
    for (const p of periods) {
      const registry = plan.registryFor(p);
      registries.add(registry);
      // What the period's own rows give, computed without the cache.
      const expected = plan.rowsFor(p).map((r) => `${r.code} ${r.name}`).sort();
      expect(registry.units.map((u) => `${u.code} ${u.name}`).sort(), p).toEqual(expected);
      // And code by code, as the loader's checks ask.
      for (const code of ['X001', 'X002', 'N001', 'N002', 'H01']) expect(plan.rowInForce(code, p), `${code} ${p}`).toBe(plan.rowsFor(p).find((r) => r.code === code) ?? null);
    }
    // Eras: 2000-01, 2024-04 (renamed), 2025-07 (merged), 2026-01 (opened), 2026-04 (closed).
    expect(registries.size).toBe(5);
    expect(plan.registryFor('2026-02').get('N002')).toBeDefined();
    expect(plan.registryFor('2026-04').get('N002')).toBeUndefined();
  });

  it('abolishes a whole level from a period on (the district level, 1/7/2025)', () => {
    const closed = PLAN_128_REGISTRY.filter((u) => u.level === 'district').map((u) => ({ ...u, validTo: '2025-06' }));
    const plan = PlanConfig.withLoaded(closed, []);
    expect(plan.unitsFor('2025-06').filter((u) => u.level === 'district')).toHaveLength(15);
    expect(plan.unitsFor('2025-07').filter((u) => u.level === 'district')).toHaveLength(0);
  });

  it('a loaded target replaces the built-in one for the same unit and window; other windows add to it', () => {
    const plan = PlanConfig.withLoaded([], [
      { unit: 'S01', windowFrom: '2022-05', windowTo: '2022-12', targetPct: 50 },
      { unit: 'S01', windowFrom: '2026-01', windowTo: '2026-12', targetPct: 95 },
    ]);
    const s01 = plan.targets.filter((t) => t.unit === 'S01');
    expect(s01).toHaveLength(2);
    expect(s01.find((t) => t.windowFrom === '2022-05')?.targetPct).toBe(50);
  });

  it('an upload under a merged unit\'s prefix after the merger says which unit reports now', async () => {
    const plan = PlanConfig.withLoaded([
      row({ code: 'X001', name: 'Phường Anh Dũng', validFrom: '2000-01', validTo: '2025-06', mergedInto: 'X002' }),
      row({ code: 'X002', name: 'Phường Đa Phúc mới', validFrom: '2025-07' }),
    ], []);
    const csv = (period: string) => Buffer.from(`unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue\nX001,${period},Hộ tịch,10,5,1,8,5,1,2,0\n`);
    const after = await readSubmission(csv('2025-07'), { units: plan, uploader: 'X001', now: new Date('2025-07-18T00:00:00Z') });
    expect(after.status).toBe('rejected');
    expect(after.errors[0].code).toBe('unit_retired');
    expect(after.errors[0].message).toContain('X002');
    const before = await readSubmission(csv('2025-06'), { units: plan, uploader: 'X001', now: new Date('2025-07-18T00:00:00Z') });
    expect(before.status).toBe('accepted');
    // With no uploader (tthc check), the code the file names says the same, at its cell.
    const checked = await readSubmission(csv('2025-07'), { units: plan, now: new Date('2025-07-18T00:00:00Z') });
    expect(checked.errors).toEqual([expect.objectContaining({ code: 'unit_retired', row: 2, column: 'A', message: expect.stringContaining('X002') })]);
  });

  it('a commune clerk\'s ordinary mistakes after 1/7/2025 are told with the fix: the old code, a period before the unit existed, a period not ended, no period', async () => {
    const plan = PlanConfig.withLoaded([
      row({ code: 'X001', name: 'Phường Anh Dũng', validFrom: '2000-01', validTo: '2025-06' }), // closed, no successor
      row({ code: 'N001', name: 'Phường Thủy Nguyên', validFrom: '2025-07' }),
    ], []);
    const now = new Date('2025-08-18T02:00:00Z'); // 18/08/2025 09:00
    const csv = (code: string, period: string) => Buffer.from(`unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue\n${code},${period},Hộ tịch,10,5,1,8,5,1,2,0\n`);
    const messages = async (code: string, period: string) => (await readSubmission(csv(code, period), { units: plan, uploader: 'N001', now })).errors.map((e) => [e.code, e.message]);
    // The 2022 code in N001's folder: write N001.
    expect(await messages('X001', '2025-08')).toEqual([['unit_retired',
      'Đơn vị Phường Anh Dũng (X001) không còn trong danh mục từ sau kỳ 06/2025. Báo cáo của Phường Thủy Nguyên (N001): ghi mã N001.']]);
    // N001 sending for June: it did not exist then (not "no such unit"), and no "late supplement: nothing to do" beside it.
    expect((await readSubmission(csv('N001', '2025-06'), { units: plan, uploader: 'N001', now })).warnings.map((w) => w.code)).not.toContain('period_not_current');
    expect(await messages('N001', '2025-06')).toEqual([['unknown_uploader',
      'Phường Thủy Nguyên (N001) chưa có trong danh mục kỳ 06/2025: tệp ghi kỳ 06/2025, trước khi đơn vị bắt đầu báo cáo. Nếu ghi nhầm kỳ, sửa dòng kỳ báo cáo rồi gửi lại; báo cáo kỳ 06/2025 là của đơn vị trong danh mục kỳ đó.']]);
    // September on 18/08: the period being collected is August, due before 20/08.
    expect((await messages('N001', '2025-09'))[0][1]).toContain('Kỳ đang thu là 08/2025 (từ ngày 16/07/2025 đến ngày 15/08/2025, hạn nộp trước ngày 20/08/2025)');
    // No period at all: the example is the period being collected, not 2022's.
    const noPeriod = await readSubmission(Buffer.from('unit_code,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue\nN001,Hộ tịch,10,5,1,8,5,1,2,0\n'), { units: plan, uploader: 'N001', now });
    expect(noPeriod.errors.find((e) => e.code === 'period_not_found')?.message).toContain('"Kỳ báo cáo: Từ ngày 16/07/2025 đến ngày 15/08/2025" hoặc "Tháng 8/2025" (mẫu CSV: cột period, ví dụ 2025-08)');
  });
});

describe('registry and targets files', () => {
  const registryCsv = (body: string) => Buffer.from(`code,level,name,parent_code,contact_email,valid_from,valid_to,merged_into\n${body}`);

  it('reads rows with every optional column', async () => {
    const { rows, errors } = await readRegistryFile(registryCsv('x002,commune,Phường Đa Phúc,H15,vanthu@haiphong.gov.vn,2025-07,,\n'));
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ code: 'X002', level: 'commune', name: 'Phường Đa Phúc', parentCode: 'H15', contactEmail: 'vanthu@haiphong.gov.vn', validFrom: '2025-07', validTo: null, mergedInto: null }]);
  });

  it('names every bad cell, like a report file', async () => {
    const { errors } = await readRegistryFile(registryCsv('X9,town,,H15,not-an-email,2025-13,2024-01,\nX9,commune,A,,,2025-01,,\nX9,commune,B,,,2025-01,,\n'));
    expect(errors.map((e) => [e.code, e.row, e.column])).toEqual([
      ['invalid_level', 2, 'B'], ['missing_name', 2, 'C'], ['invalid_period', 2, 'F'], ['invalid_period', 2, 'G'], ['invalid_email', 2, 'E'],
      ['duplicate_row', 4, 'A'],
    ]);
  });

  it('rejects a file missing required columns', async () => {
    const { errors } = await readRegistryFile(Buffer.from('code,name\nX1,A\n'));
    expect(errors.map((e) => e.code)).toEqual(['missing_column', 'missing_column']);
  });

  it('checks parents exist when the row takes effect, and that a merged unit has an end', () => {
    const errors = checkRegistryAgainst([row({ code: 'N1', validFrom: '2025-07', parentCode: 'H99' }), row({ code: 'N2', validFrom: '2025-07', mergedInto: 'X002' })], PlanConfig.builtin());
    expect(errors.map((e) => e.code)).toEqual(['unknown_parent', 'merged_without_end']);
  });

  it('targets: units must exist in the registry of the window, percentages 0–100, blank = no target', async () => {
    const ok = await readTargetsFile(Buffer.from('unit,window_from,window_to,target_pct\nS01,2026-01,2026-12,95.5\nS19,2026-01,2026-12,\n'), PlanConfig.builtin());
    expect(ok.errors).toEqual([]);
    expect(ok.rows).toEqual([
      { unit: 'S01', windowFrom: '2026-01', windowTo: '2026-12', targetPct: 95.5 },
      { unit: 'S19', windowFrom: '2026-01', windowTo: '2026-12', targetPct: null },
    ]);
    const bad = await readTargetsFile(Buffer.from('unit,window_from,window_to,target_pct\nZZZ,2026-01,2026-12,50\nS01,2026-01,2026-12,150\nS02,2026-12,2026-01,50\n'), PlanConfig.builtin());
    expect(bad.errors.map((e) => [e.code, e.row])).toEqual([['unknown_unit_code', 2], ['invalid_target', 3], ['invalid_window', 4]]);
    expect(bad.errors[0].message).toContain('không có trong danh mục kỳ 01/2026'); // a period as the clerk reads it
  });

  it('the targets file written by `tthc targets allocate` is accepted as is', async () => {
    const { allocateTargets } = await import('../../shared/targets/allocate.ts');
    const { targetsCsv } = await import('../../shared/targets/baseline-file.ts');
    const { PLAN_128_BASELINE } = await import('../../shared/units/plan-128-2022.ts');
    const csv = targetsCsv(allocateTargets(PLAN_128_BASELINE, { department: 76680, district: 19426, commune: 169369 }), { from: '2022-05', to: '2022-12' });
    const { rows, errors } = await readTargetsFile(Buffer.from(csv), PlanConfig.builtin());
    expect(errors).toEqual([]);
    expect(rows.filter((r) => r.targetPct !== null)).toHaveLength(249);
  });
});

/** A one-sheet targets workbook; `numFmt` formats column D. */
async function targetsWorkbook(values: Array<string | number>, numFmt?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Chỉ tiêu');
  ws.addRow(['unit', 'window_from', 'window_to', 'target_pct']);
  values.forEach((v, i) => ws.addRow([`S0${i + 1}`, '2026-01', '2026-12', v]));
  if (numFmt) ws.getColumn(4).numFmt = numFmt;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('targets and registry files you can trust', () => {
  const targetsCsv = (body: string) => Buffer.from(`unit,window_from,window_to,target_pct\n${body}`);
  const registryCsv = (body: string) => Buffer.from(`code,level,name,parent_code,contact_email,valid_from,valid_to,merged_into\n${body}`);
  const pcts = async (bytes: Buffer) => (await readTargetsFile(bytes, PlanConfig.builtin())).rows.map((r) => r.targetPct);

  it('a percent-formatted cell (0.7 shown as 70%) means 70; a plain 70 means 70', async () => {
    expect(await pcts(await targetsWorkbook([0.7, 0.997, 1], '0%'))).toEqual([70, 99.7, 100]);
    expect(await pcts(await targetsWorkbook([0.7, 0.997], '0.0%'))).toEqual([70, 99.7]);
    expect(await pcts(await targetsWorkbook([70, 99.7]))).toEqual([70, 99.7]);
    expect(await pcts(await targetsWorkbook([70], '0"%"'))).toEqual([70]); // a quoted % is only text: the value is not scaled
  });

  it('a period Excel turned into a date (2026-01 typed, shown as Jan-26) is that period', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Chỉ tiêu');
    ws.addRow(['unit', 'window_from', 'window_to', 'target_pct']);
    ws.addRow(['S01', new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 11, 1)), 95]);
    ws.addRow(['S02', new Date(Date.UTC(2026, 0, 15)), '2026-12', 95]);
    const { rows, errors } = await readTargetsFile(Buffer.from(await wb.xlsx.writeBuffer()), PlanConfig.builtin());
    expect(rows[0]).toEqual({ unit: 'S01', windowFrom: '2026-01', windowTo: '2026-12', targetPct: 95 });
    expect(errors.map((e) => [e.code, e.row])).toEqual([['invalid_window', 3]]); // 15/01/2026 is a day, not a period
    expect(errors[0].message).toContain('15/01/2026');
  });

  it('refuses hex, exponent and anything else that is not a plain decimal from 0 to 100', async () => {
    for (const text of ['0x46', '7e1', '7E1', '+70', '-5', '100.5', 'Infinity', '70%', '70 %', 'bảy mươi', '1_0']) {
      const { errors } = await readTargetsFile(targetsCsv(`S01,2026-01,2026-12,${text}\n`), PlanConfig.builtin());
      expect(errors.map((e) => [e.code, e.column]), text).toEqual([['invalid_target', 'D']]);
    }
    expect(await pcts(targetsCsv('S01,2026-01,2026-12,99.5\nS02,2026-01,2026-12,"99,5"\nS03,2026-01,2026-12,0\nS04,2026-01,2026-12,100\n'))).toEqual([99.5, 99.5, 0, 100]);
    expect((await readTargetsFile(await targetsWorkbook(['0x46']), PlanConfig.builtin())).errors.map((e) => e.code)).toEqual(['invalid_target']);
  });

  it('targets: two rows for one unit whose windows share a period are an error naming both rows', async () => {
    const { errors } = await readTargetsFile(targetsCsv([
      'S01,2026-01,2026-12,90', 'S02,2026-01,2026-06,90', 'S02,2026-07,2026-12,95', 'S01,2026-06,2027-05,95', 'S02,2026-07,2026-12,95',
    ].join('\n')), PlanConfig.builtin());
    expect(errors.map((e) => [e.code, e.row])).toEqual([['overlapping_window', 5], ['duplicate_row', 6]]);
    expect(errors[0].message).toMatch(/Dòng 5.*dòng 2/);
    expect(errors[1].message).toMatch(/Dòng 6.*dòng 4/);
  });

  it('registry: a row whose validity runs past the start of the next row of its code is an error naming both rows', async () => {
    const { errors } = await readRegistryFile(registryCsv([
      'X7,commune,Xã Bảy,,,2025-01,2025-12,', 'X8,commune,Xã Tám,,,2025-01,,', 'X7,commune,Xã Bảy mới,,,2025-07,,', 'X8,commune,Xã Tám mới,,,2025-07,,',
    ].join('\n')));
    expect(errors.map((e) => [e.code, e.row])).toEqual([['overlapping_validity', 4]]); // X8: an open row is simply followed by the next
    expect(errors[0].message).toMatch(/Dòng 4.*dòng 2/);
  });

  it('merged_into must name a unit in force in the period after the merger', async () => {
    const check = async (body: string) => {
      const { rows, lines } = await readRegistryFile(registryCsv(body));
      return checkRegistryAgainst(rows, PlanConfig.withLoaded(rows, []), lines).map((e) => [e.code, e.row]);
    };
    expect(await check('X7,commune,Xã Bảy,,,2000-01,2025-06,X002\n')).toEqual([]);
    expect(await check('X7,commune,Xã Bảy,,,2000-01,2025-06,ZZZ\n')).toEqual([['unknown_successor', 2]]);
    // The successor only starts later: for 07/2025 there is nobody to report to.
    expect(await check('X7,commune,Xã Bảy,,,2000-01,2025-06,N5\nN5,commune,Phường Năm,,,2026-01,,\n')).toEqual([['unknown_successor', 2]]);
    expect(await check('X7,commune,Xã Bảy,,,2000-01,2025-06,N5\nN5,commune,Phường Năm,,,2025-07,,\n')).toEqual([]);
    // …nor after it was closed itself.
    expect(await check('X7,commune,Xã Bảy,,,2000-01,2025-06,X002\nX002,commune,Phường Đa Phúc,,,2000-01,2025-06,\n')).toEqual([['unknown_successor', 2]]);
  });

  it('a version delivered late or again never brings an older file back over a newer one; its result file stays the newer one\'s', async () => {
    const objects = new MemoryObjectStore({ versioned: true });
    const config = new MemoryConfigStore();
    const key = 'config/registry/danh-muc.csv';
    await objects.put(key, registryCsv('X7,commune,Xã Bảy,,cu@x.gov.vn,2025-07,,\n'), 'text/csv');
    await objects.put(key, registryCsv('X7,commune,Xã Bảy,,moi@x.gov.vn,2025-07,,\n'), 'text/csv');
    const [v1, v2] = objects.versionsOf(key);
    const email = async () => (await loadPlanConfig(config)).registryFor('2025-08').get('X7')?.contactEmail;
    expect((await loadConfigFile({ objects, config }, key, v2)).status).toBe('loaded');
    const late = await loadConfigFile({ objects, config }, key, v1); // S3 delivered v1's event after v2's
    expect(late).toMatchObject({ status: 'unchanged', changed: 0, warnings: [expect.objectContaining({ code: 'superseded_version' })] });
    expect(await email()).toBe('moi@x.gov.vn');
    expect(JSON.parse((await objects.get('results/config/registry/danh-muc.csv.json')).bytes.toString()).status).toBe('loaded');
    expect((await loadConfigFile({ objects, config }, key, v2)).status).toBe('unchanged'); // v2 again: nothing to do
    expect(await email()).toBe('moi@x.gov.vn');
  });

  it('texts are cleaned as a report\'s: no line break, format character or non-XML character reaches a name', async () => {
    const { rows, errors } = await readRegistryFile(registryCsv('X7,commune,"Xã Bảy\r\nSubject: x\u202e\uffff",,,2025-07,,\n'));
    expect(errors).toEqual([]);
    expect(rows[0].name).toBe('Xã Bảy Subject: x');
  });

  it('periods within 2000–2100, codes within 50 characters, names within 500: what the store and the reports can hold', async () => {
    const registry = async (body: string) => (await readRegistryFile(registryCsv(body))).errors.map((e) => [e.code, e.row, e.column]);
    expect(await registry('X7,commune,Xã Bảy,,,0001-01,,\nX8,commune,Xã Tám,,,2025-07,9999-12,\n')).toEqual([['invalid_period', 2, 'F'], ['invalid_period', 3, 'G']]);
    expect(await registry(`${'X'.repeat(33)},commune,Xã,,,2025-07,,\nX9,commune,${'Xã '.repeat(200)},,,2025-07,,\n`)).toEqual([['invalid_code', 2, 'A'], ['invalid_name', 3, 'C']]);
    const targets = async (body: string) => (await readTargetsFile(Buffer.from(`unit,window_from,window_to,target_pct\n${body}`), PlanConfig.builtin())).errors.map((e) => [e.code, e.row]);
    expect(await targets('S01,2022-01,9999-12,90\n')).toEqual([['invalid_window', 2]]);
    // More rows for one unit than there are periods from 2000 to 2100: one error, said at once.
    const many = Array.from({ length: 1_300 }, (_, i) => `S01,${2000 + Math.floor(i / 12) % 101}-${String((i % 12) + 1).padStart(2, '0')},2100-12,90`).join('\n');
    expect(await targets(`${many}\n`)).toEqual([['overlapping_window', 1_214]]);
  });

  it('a file of thousands of bad rows: the first 1,000 errors listed, then how many more', async () => {
    const store = new MemoryConfigStore();
    const body = Array.from({ length: 3_000 }, (_, i) => `S01,2022-${String((i % 12) + 1).padStart(2, '0')},x,90`).join('\n');
    const { errors } = await checkConfigFile(store, 'targets', Buffer.from(`unit,window_from,window_to,target_pct\n${body}\n`));
    expect(errors).toHaveLength(1_001);
    expect(errors[999]).toMatchObject({ code: 'invalid_window', row: 1_001 });
    expect(errors[1_000]).toMatchObject({ code: 'too_many_errors', message: 'Còn 2.000 lỗi khác không được liệt kê. Sửa các lỗi trên rồi kiểm tra lại cả tệp.' });
  });

  it('a merger stays within its level, and a code names units of one level only (their figures would change level)', async () => {
    const check = async (body: string) => {
      const { rows, lines } = await readRegistryFile(registryCsv(body));
      return checkRegistryAgainst(rows, PlanConfig.withLoaded(rows, []), lines).map((e) => [e.code, e.row, e.message]);
    };
    expect(await check('X7,commune,Xã Bảy,,,2000-01,2025-06,S02\n')).toEqual([['successor_level_mismatch', 2,
      'Dòng 2: đơn vị X7 (Xã, phường, thị trấn) sáp nhập vào S02 thuộc cấp Sở, ban, ngành: chỉ sáp nhập vào đơn vị cùng cấp.']]);
    // H01 is the 2022 plan's Huyện Thủy Nguyên: a ward may not take its code.
    expect(await check('H01,commune,Phường Thủy Nguyên,,,2025-07,,\n')).toEqual([['code_reused', 2,
      'Dòng 2: mã H01 đã dùng cho đơn vị cấp Quận, huyện (Huyện Thủy Nguyên, từ 01/2000): một mã chỉ dùng cho một cấp, đơn vị mới dùng mã mới.']]);
    expect(await check('H01,district,Thành phố Thủy Nguyên,,,2025-07,,\n')).toEqual([]); // a rename keeps its level
  });
});

describe('what a load would change (--dry-run)', () => {
  /** A registry file's rows checked against the built-in plan alone: before and after them. */
  const onBuiltin = (rows: RegistryRow[]) => ({ rows, before: PlanConfig.builtin(), after: PlanConfig.withLoaded(rows, []) });

  it('registry: merged, closed, new, renamed and other fields; a row that changes nothing says nothing', async () => {
    const { registryChanges } = await import('../../shared/config/config-changes.ts');
    const x007 = PLAN_128_REGISTRY.find((u) => u.code === 'X007')!;
    const changes = registryChanges(onBuiltin([
      row({ code: 'X001', name: PLAN_128_REGISTRY.find((u) => u.code === 'X001')!.name, parentCode: 'H15', validFrom: '2000-01', validTo: '2025-06', mergedInto: 'X002' }),
      row({ code: 'H01', level: 'district', name: PLAN_128_REGISTRY.find((u) => u.code === 'H01')!.name, validFrom: '2000-01', validTo: '2025-06' }),
      row({ code: 'N001', name: 'Phường Mới', parentCode: 'H15', validFrom: '2025-07' }),
      row({ code: 'X007', name: x007.name, parentCode: null, contactEmail: 'vanthu@haiphong.gov.vn', validFrom: '2025-07' }),
      { ...x007, validFrom: '2024-01' },
    ]));
    expect(changes.map((c) => [c.code, c.unit, c.from])).toEqual([
      ['closed', 'H01', '2025-07'], ['new_unit', 'N001', '2025-07'], ['merged', 'X001', '2025-07'], ['unit_changed', 'X007', '2025-07'],
    ]);
    expect(changes[2].message).toMatch(/^X001 Phường Anh Dũng → X002 từ 07\/2025/);
    expect(changes[0].message).toBe('H01 Huyện Thủy Nguyên ngừng báo cáo từ 07/2025 (kỳ cuối: 06/2025)');
    expect(changes[3].message).toBe(`X007: đơn vị cấp trên ${x007.parentCode} → (trống); thư liên hệ (trống) → vanthu@haiphong.gov.vn từ 07/2025`);
  });

  it('registry: an older file loaded again that takes back a merger says so, in the dry run and in the load', async () => {
    const { registryChanges } = await import('../../shared/config/config-changes.ts');
    const objects = new MemoryObjectStore();
    const config = new MemoryConfigStore();
    const csv = (body: string) => Buffer.from(`code,level,name,parent_code,contact_email,valid_from,valid_to,merged_into\n${body}`);
    const load = async (name: string, body: string) => {
      await objects.put(`config/registry/${name}`, csv(body), 'text/csv');
      return loadConfigFile({ objects, config }, `config/registry/${name}`);
    };
    const first = 'N1,commune,Phường Một,,,2025-07,,\nN2,commune,Phường Hai,,,2025-07,,\n';
    expect((await load('2025.csv', first)).status).toBe('loaded');
    // 2027: N1 merged into the new N3.
    expect((await load('2027.csv', 'N1,commune,Phường Một,,,2025-07,2026-12,N3\nN3,commune,Phường Ba,,,2027-01,,\n')).status).toBe('loaded');
    // The 2025 file again (say, with an address filled in): N1 would report again from 01/2027.
    const dry = await checkConfigFile(config, 'registry', csv(first));
    const changes = registryChanges(dry as typeof dry & { rows: RegistryRow[] });
    expect(changes.map((c) => [c.code, c.unit, c.from])).toEqual([['reopened', 'N1', '2027-01']]);
    expect(changes[0].message).toBe('N1 Phường Một hoạt động trở lại từ 01/2027: tệp bỏ kỳ cuối (đã nạp: kỳ cuối 12/2026, sáp nhập vào N3)');
    const warning = expect.objectContaining({ code: 'unit_reopened', message: expect.stringContaining('N1 (dòng 2, kỳ cuối 12/2026, sáp nhập vào N3)') });
    expect(dry.warnings).toEqual([warning]);
    expect(await load('2025.csv', first)).toMatchObject({ status: 'loaded', warnings: [warning] });
    expect((await loadPlanConfig(config)).registryFor('2027-01').get('N1')).toBeDefined(); // loaded as asked, and said
  });

  it('a refused targets file counts every data row it has, the refused ones too', async () => {
    const file = Buffer.from('unit,window_from,window_to,target_pct\nS01,2026-01,2026-12,80\nS02,2026-13,2026-12,80\nS03,abc,2026-12,80\nS04,2026-01,2026-12,70\n');
    const objects = new MemoryObjectStore();
    await objects.put('config/targets/t.csv', file, 'text/csv');
    expect(await loadConfigFile({ objects, config: new MemoryConfigStore() }, 'config/targets/t.csv')).toMatchObject({ status: 'rejected', rows: 4, changed: 0 });
  });

  it('a check counts the rows a load would store, as the load counts them: two rows of one unit are two, a row the built-in plan has is one', async () => {
    const objects = new MemoryObjectStore();
    const config = new MemoryConfigStore();
    const s02 = PLAN_128_REGISTRY.find((u) => u.code === 'S02')!;
    const file = Buffer.from('code,level,name,parent_code,contact_email,valid_from,valid_to,merged_into\n'
      + 'S01,department,Sở Công Thương,,a@haiphong.gov.vn,2024-01,,\nS01,department,Sở Công Thương (mới),,a@haiphong.gov.vn,2024-06,,\n'
      + `S02,department,${s02.name},,,2024-01,,\n`);
    const check = await checkConfigFile(config, 'registry', file);
    expect(check.changed).toBe(3);
    await objects.put('config/registry/r.csv', file, 'text/csv');
    expect(await loadConfigFile({ objects, config }, 'config/registry/r.csv')).toMatchObject({ status: 'loaded', changed: 3 });
    expect((await checkConfigFile(config, 'registry', file)).changed).toBe(0); // the same file again: nothing to store
  });

  it('registry: every mistake of a file at once, each at its cell: a format error does not hide a successor that does not exist', async () => {
    const file = Buffer.from('code,level,name,parent_code,contact_email,valid_from,valid_to,merged_into\n'
      + 'N1,commune,Phường Một,,,2025-07,,\nN1,commune,Phường Một,,,2025-07,,\nN2,commune,Phường Hai,,,2025-07,2026-12,N999\nN3,commune,Phường Ba,,,2025-07,2026-12,S01\n');
    const check = await checkConfigFile(new MemoryConfigStore(), 'registry', file);
    expect(check.errors.map((e) => [e.code, e.row, e.column])).toEqual([
      ['duplicate_row', 3, 'A'], ['unknown_successor', 4, 'H'], ['successor_level_mismatch', 5, 'H'],
    ]);
  });

  it('registry: ending a unit that has a target for later periods warns; a targets file naming it says where it went', async () => {
    const objects = new MemoryObjectStore();
    const config = new MemoryConfigStore();
    const put = async (key: string, body: string) => {
      await objects.put(key, Buffer.from(body), 'text/csv');
      return loadConfigFile({ objects, config }, key);
    };
    const header = 'code,level,name,parent_code,contact_email,valid_from,valid_to,merged_into\n';
    expect((await put('config/registry/2025.csv', `${header}N1,commune,Phường Một,,,2025-07,,\nN2,commune,Phường Hai,,,2025-07,,\n`)).status).toBe('loaded');
    expect((await put('config/targets/2027.csv', 'unit,window_from,window_to,target_pct\nN1,2027-01,2027-12,80\nN2,2027-01,2027-12,60\n')).status).toBe('loaded');
    const merger = await put('config/registry/2027.csv', `${header}N1,commune,Phường Một,,,2025-07,2026-12,N3\nN3,commune,Phường Ba,,,2027-01,,\n`);
    expect(merger).toMatchObject({ status: 'loaded', warnings: [expect.objectContaining({
      code: 'target_outlives_unit', message: expect.stringContaining('N1 (dòng 2: 80%, kỳ 01/2027–12/2027, sáp nhập vào N3)'),
    })] });
    const again = await put('config/targets/2027-b.csv', 'unit,window_from,window_to,target_pct\nN1,2027-01,2027-12,80\n');
    expect(again.errors.map((e) => e.message)).toEqual(['Dòng 2: mã đơn vị "N1" không có trong danh mục kỳ 01/2027. Đơn vị này đã sáp nhập vào N3 từ 01/2027: giao chỉ tiêu cho N3.']);
    // The same file again ends nothing new: no warning (it used to repeat on every reload).
    expect(await put('config/registry/2027-again.csv', `${header}N1,commune,Phường Một,,,2025-07,2026-12,N3\nN3,commune,Phường Ba,,,2027-01,,\n`))
      .toMatchObject({ warnings: [] });
    // A rename written with an end on the old row keeps N2 in force: its target still counts, nothing to warn.
    const renamed = await put('config/registry/2027-rename.csv', `${header}N2,commune,Phường Hai,,,2025-07,2026-12,\nN2,commune,Phường Hai Mới,,,2027-01,,\n`);
    expect(renamed).toMatchObject({ status: 'loaded', warnings: [] });
    // …and loading the older N2 row again brings nothing back: the 2027 row is in force from 01/2027 either way.
    const older = await checkConfigFile(config, 'registry', Buffer.from(`${header}N2,commune,Phường Hai,,,2025-07,,\n`));
    expect(older.warnings.map((w) => w.code)).not.toContain('unit_reopened');
    // A chain (N3 into N4 from 07/2027): the hint names the unit in force then.
    await put('config/registry/2027-07.csv', `${header}N3,commune,Phường Ba,,,2027-01,2027-06,N4\nN4,commune,Phường Bốn,,,2027-07,,\n`);
    const chained = await put('config/targets/2027-c.csv', 'unit,window_from,window_to,target_pct\nN1,2027-07,2027-12,80\n');
    expect(chained.errors[0].message).toContain('Đơn vị này đã sáp nhập vào N3 từ 01/2027, nay thuộc N4: giao chỉ tiêu cho N4.');
  });

  it('registry: a rename written with an end on the old row is a rename, not a closure; a target for a unit that ends inside its window warns whichever loads first', async () => {
    const { registryChanges } = await import('../../shared/config/config-changes.ts');
    const s01 = PLAN_128_REGISTRY.find((u) => u.code === 'S01')!;
    const changes = registryChanges(onBuiltin([{ ...s01, validTo: '2025-12' }, { ...s01, name: 'Sở Công Thương (mới)', validFrom: '2026-01' }]));
    expect(changes.map((c) => [c.code, c.unit, c.from])).toEqual([['renamed', 'S01', '2026-01']]);

    const objects = new MemoryObjectStore();
    const config = new MemoryConfigStore();
    const put = async (key: string, body: string) => {
      await objects.put(key, Buffer.from(body), 'text/csv');
      return loadConfigFile({ objects, config }, key);
    };
    // The registry first (S01 ends 06/2025, no successor), then a 2025 target for it.
    expect((await put('config/registry/r.csv', `code,level,name,parent_code,contact_email,valid_from,valid_to,merged_into\nS01,department,${s01.name},,,2000-01,2025-06,\n`)).status).toBe('loaded');
    const late = await put('config/targets/t.csv', 'unit,window_from,window_to,target_pct\nS01,2025-01,2025-12,80\n');
    expect(late).toMatchObject({ status: 'loaded', warnings: [expect.objectContaining({ code: 'target_outlives_unit' }), expect.objectContaining({ code: 'builtin_plan_cited' })] });
    // What to do comes first: the message is cut at 500 characters, and its list may be long.
    expect(late.warnings[0].message).toMatch(/^1 chỉ tiêu có kỳ chỉ tiêu kéo dài sau kỳ cuối của đơn vị: sau kỳ cuối, .*giao chỉ tiêu cho đơn vị kế thừa nếu cần\. S01 \(dòng 2: kỳ cuối 06\/2025\)\.$/);
    // A merger chain that ends in a closure has no unit to give the target to, and says so.
    await put('config/registry/chain.csv', 'code,level,name,parent_code,contact_email,valid_from,valid_to,merged_into\n'
      + 'N1,commune,Phường Một,,,2025-07,2026-12,N2\nN2,commune,Phường Hai,,,2025-07,2027-06,\n');
    const none = await put('config/targets/t2.csv', 'unit,window_from,window_to,target_pct\nN1,2028-01,2028-12,80\n');
    expect(none.errors[0].message).toBe('Dòng 2: mã đơn vị "N1" không có trong danh mục kỳ 01/2028. Đơn vị này đã sáp nhập vào N2 từ 01/2027; kỳ 01/2028 không còn đơn vị nào kế thừa.');
  });

  it('registry: a new unit\'s level is named as the registry names it then ("Xã, phường, đặc khu")', async () => {
    const { registryChanges } = await import('../../shared/config/config-changes.ts');
    const { readFile } = await import('node:fs/promises');
    const shipped = await readRegistryFile(await readFile(new URL('../../shared/data/haiphong-2025/registry-2025-07.csv', import.meta.url)));
    const changes = registryChanges(onBuiltin(shipped.rows));
    expect(changes.find((c) => c.code === 'new_unit' && c.unit === 'N001')!.message).toMatch(/^Đơn vị mới từ 07\/2025: N001 .* \(Xã, phường, đặc khu\)$/);
    expect(changes.find((c) => c.code === 'new_unit' && c.unit === 'D01')!.message).toMatch(/\(Sở, ban, ngành\)$/);
  });

  it('targets: new and changed (value or window end), Vietnamese decimals', async () => {
    const { targetChanges } = await import('../../shared/config/config-changes.ts');
    const changes = targetChanges([
      { unit: 'S01', windowFrom: '2022-05', windowTo: '2022-12', targetPct: 50.5 },
      { unit: 'S02', windowFrom: '2022-05', windowTo: '2023-04', targetPct: 70 },
      { unit: 'S03', windowFrom: '2022-05', windowTo: '2022-12', targetPct: 99 },
      { unit: 'S04', windowFrom: '2026-01', windowTo: '2026-12', targetPct: null },
    ], PlanConfig.builtin().targets);
    expect(changes.map((c) => c.message)).toEqual([
      'S01 kỳ 05/2022–12/2022: chỉ tiêu 99,7% → 50,5%',
      'S02 kỳ 05/2022–04/2023: chỉ tiêu 70% → 70% (kỳ cũ đến 12/2022)',
      'S04 kỳ 01/2026–12/2026: chỉ tiêu mới không giao',
    ]);
  });
});
