// A report's figures against other reports (pure): the same figures as the period before or as
// another unit's, "Từ kỳ trước" against the period before's pending, and which codes' reports
// of the period before a unit continues across mergers.
import { describe, expect, it } from 'vitest';
import { PlanConfig, type RegistryRow } from '../../shared/config/plan-config.ts';
import {
  carriedInto, carriedOverWarning, coincidenceChance, countsFingerprint, distinctive, sameAsOtherUnitWarning, sameAsPreviousWarning,
  type PreviousFigures,
} from '../../shared/ingest/cross-checks.ts';
import { zeroCounts, type Counts } from '../../shared/report-file/counts.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import { SAMPLE_COUNTS } from './helpers.ts';

const counts = (over: Partial<Counts>): Counts => ({ ...zeroCounts(), ...over });
const previous = (reports: Array<[string, Counts]>, complete = true): PreviousFigures =>
  ({ period: '2022-05', reports: reports.map(([unit, c]) => ({ unit, counts: c })), complete });

describe('the same figures as the period before', () => {
  it('every count equal to the unit\'s report of the period before is warned, naming that period', () => {
    const w = sameAsPreviousWarning(SAMPLE_COUNTS, 'S01', '2022-06', previous([['S01', { ...SAMPLE_COUNTS }]]));
    expect(w).toMatchObject({ code: 'same_as_previous_period', sheet: null, row: null, column: null });
    expect(w!.message).toBe('Mọi số liệu của báo cáo kỳ 06/2022 trùng khớp với báo cáo kỳ 05/2022 của đơn vị: có thể tệp của kỳ 05/2022 đã được gửi lại, '
      + 'chỉ sửa dòng kỳ báo cáo. Đề nghị kiểm tra lại dòng kỳ báo cáo và các số liệu; nếu số liệu đúng, không cần gửi lại.');
  });

  it('one count different, an unknown against a zero, or a report of zeros is no copy', () => {
    expect(sameAsPreviousWarning(SAMPLE_COUNTS, 'S01', '2022-06', previous([['S01', { ...SAMPLE_COUNTS, returned_postal: 14 }]]))).toBeNull();
    const noPostal = { ...SAMPLE_COUNTS, returned_postal: null };
    expect(sameAsPreviousWarning(noPostal, 'S01', '2022-06', previous([['S01', { ...SAMPLE_COUNTS, returned_postal: 0 }]]))).toBeNull();
    expect(sameAsPreviousWarning(zeroCounts(), 'X001', '2022-06', previous([['X001', zeroCounts()]]))).toBeNull();
    expect(sameAsPreviousWarning(zeroCounts(false, false), 'X001', '2022-06', previous([['X001', zeroCounts(false, false)]]))).toBeNull();
    expect(sameAsPreviousWarning(SAMPLE_COUNTS, 'S01', '2022-06', previous([]))).toBeNull();
  });

  it('a unit merged into it: the report of the code it came from', () => {
    const w = sameAsPreviousWarning(SAMPLE_COUNTS, 'P02', '2025-07', { period: '2025-06', reports: [{ unit: 'P02', counts: counts({ received_online: 5 }) }, { unit: 'P01', counts: SAMPLE_COUNTS }], complete: true });
    expect(w!.message).toContain('trùng khớp với báo cáo kỳ 06/2025 của mã P01 (nay thuộc đơn vị)');
  });
});

describe('"Từ kỳ trước" against the pending of the period before', () => {
  // The period before ended with 90 + 10 = 100 dossiers pending.
  const may = previous([['S01', counts({ pending_within: 90, pending_overdue: 10 })]]);
  const carried = (n: number) => carriedOverWarning(counts({ carried_over: n }), 'S01', '2022-06', may);

  it('more than 5 dossiers and more than 10% apart is warned, with both numbers and periods', () => {
    const w = carried(300);
    expect(w).toMatchObject({ code: 'carried_over_mismatch', sheet: null, row: null, column: null });
    expect(w!.message).toBe('Số hồ sơ "Từ kỳ trước" của kỳ 06/2022 là 300, nhưng cuối kỳ 05/2022 còn 100 hồ sơ đang giải quyết (trong hạn 90 + quá hạn 10) '
      + 'theo báo cáo kỳ đó của đơn vị: lệch 200 hồ sơ (ngưỡng: quá 5 hồ sơ và quá 10%). "Từ kỳ trước" phải là số hồ sơ còn đang giải quyết cuối kỳ trước; '
      + 'tệp sao chép từ kỳ khác hoặc số lũy kế từ đầu năm thường làm lệch số này. Đề nghị kiểm tra lại số liệu (nếu báo cáo kỳ 05/2022 sai, hãy gửi lại báo cáo kỳ đó); '
      + 'nếu số liệu đúng, không cần gửi lại.');
    expect(carried(111)?.code).toBe('carried_over_mismatch');
    expect(carried(89)?.code).toBe('carried_over_mismatch');
  });

  it('within 5 dossiers or within 10% is no warning', () => {
    expect([carried(100), carried(105), carried(110), carried(90), carried(95)]).toEqual([null, null, null, null, null]);
    const few = previous([['S01', counts({ pending_within: 2 })]]);
    expect(carriedOverWarning(counts({ carried_over: 7 }), 'S01', '2022-06', few)).toBeNull();
    expect(carriedOverWarning(counts({ carried_over: 8 }), 'S01', '2022-06', few)?.code).toBe('carried_over_mismatch');
  });

  it('nothing without the period before\'s reports, or when one the unit continues is missing', () => {
    expect(carriedOverWarning(counts({ carried_over: 300 }), 'S01', '2022-06', previous([]))).toBeNull();
    expect(carriedOverWarning(counts({ carried_over: 300 }), 'S01', '2022-06', { ...may, complete: false })).toBeNull();
  });

  it('after a merger, the pending of every code it continues, summed', () => {
    const june = { period: '2025-06', complete: true, reports: [
      { unit: 'P02', counts: counts({ pending_within: 60 }) }, { unit: 'P01', counts: counts({ pending_within: 30, pending_overdue: 10 }) },
    ] };
    expect(carriedOverWarning(counts({ carried_over: 100 }), 'P02', '2025-07', june)).toBeNull();
    expect(carriedOverWarning(counts({ carried_over: 60 }), 'P02', '2025-07', june)!.message)
      .toContain('cuối kỳ 06/2025 còn 100 hồ sơ đang giải quyết (trong hạn 90 + quá hạn 10) theo báo cáo kỳ đó của các mã P02, P01 (nay hợp thành đơn vị): lệch 40 hồ sơ');
  });
});

describe('the same figures as another unit\'s', () => {
  it('the warning names the unit and says to check the code', () => {
    const w = sameAsOtherUnitWarning('2022-06', { code: 'H02', name: 'UBND huyện An Dương' });
    expect(w).toMatchObject({ code: 'same_as_other_unit', sheet: null, row: null, column: null });
    expect(w.message).toBe('Mọi số liệu của báo cáo này trùng khớp với báo cáo kỳ 06/2022 của UBND huyện An Dương (H02); hai đơn vị khó có số liệu giống hệt nhau: '
      + 'có thể một trong hai đơn vị đã gửi tệp của đơn vị kia, chỉ sửa mã đơn vị. Đề nghị kiểm tra lại mã đơn vị và các số liệu; nếu số liệu đúng, không cần gửi lại.');
    expect(sameAsOtherUnitWarning('2022-06', { code: 'Z99', name: null }).message).toContain('kỳ 06/2022 của đơn vị Z99;');
  });

  it('only figures no two units share by chance: a quiet commune\'s may, a report of a hundred dossiers over seven columns may not', () => {
    const quiet = counts({ received_online: 10, received_direct: 10, resolved_on_time: 20 });
    expect(1 / coincidenceChance(quiet)).toBeCloseTo(126, 0);
    expect(distinctive(quiet)).toBe(false);
    const hundred = counts({ received_online: 50, received_direct: 40, carried_over: 10, resolved_early: 20, resolved_on_time: 60, resolved_overdue: 2, pending_within: 18 });
    expect(1 / coincidenceChance(hundred)).toBeGreaterThan(5e6);
    expect(distinctive(hundred)).toBe(true);
    expect(distinctive(SAMPLE_COUNTS)).toBe(true);
    // Three columns summing to 20 and more are not enough.
    expect(distinctive(counts({ received_online: 12, received_direct: 8, resolved_on_time: 15, pending_within: 5 }))).toBe(false);
    expect(coincidenceChance(zeroCounts())).toBe(1);
    expect(coincidenceChance(counts({ received_online: 5000 }))).toBe(1);
  });

  it('equal counts, equal fingerprints; an unknown is not a zero', () => {
    expect(countsFingerprint({ ...SAMPLE_COUNTS })).toBe(countsFingerprint(SAMPLE_COUNTS));
    expect(countsFingerprint(SAMPLE_COUNTS)).toMatch(/^[0-9a-f]{32}$/);
    expect(countsFingerprint({ ...SAMPLE_COUNTS, received_online: 6065 })).not.toBe(countsFingerprint(SAMPLE_COUNTS));
    expect(countsFingerprint(zeroCounts(false))).not.toBe(countsFingerprint(zeroCounts()));
  });
});

describe('the codes whose reports of the period before a unit continues', () => {
  const row = (code: string, over: Partial<RegistryRow> = {}): RegistryRow => ({
    code, level: 'commune', name: `Xã ${code}`, parentCode: null, contactEmail: null, validFrom: '2025-01', validTo: null, mergedInto: null, ...over,
  });
  const plan = PlanConfig.withLoaded([
    row('P01', { validTo: '2025-06', mergedInto: 'P02' }), // merged into P02 from 07/2025
    row('P02'),
    row('P03', { validTo: '2025-06', mergedInto: 'P04' }), // P03 → P04 → P02, both ending 06/2025
    row('P04', { validTo: '2025-06', mergedInto: 'P02' }),
    row('P05', { validTo: '2025-06', mergedInto: 'P06' }), // renamed: P06 is new from 07/2025
    row('P06', { validFrom: '2025-07' }),
    row('P07', { validFrom: '2025-07' }), // new, from nothing
    row('P08', { validTo: '2025-06' }), // closed
  ], []);

  it('its own, and those of the units merged or renamed into it, through a chain', () => {
    expect(carriedInto(plan, 'P02', '2025-07')).toEqual(['P01', 'P02', 'P03', 'P04']);
    expect(carriedInto(plan, 'P06', '2025-07')).toEqual(['P05']);
    expect(carriedInto(plan, 'P07', '2025-07')).toEqual([]);
    expect(carriedInto(plan, 'P02', '2025-08')).toEqual(['P02']);
    expect(carriedInto(plan, 'S01', '2025-07')).toEqual(['S01']);
  });

  it('a fixed registry: the unit itself', () => {
    const units = fixedUnits(new UnitRegistry([{ code: 'S01', level: 'department', name: 'Sở', parentCode: null, contactEmail: null }]));
    expect(carriedInto(units, 'S01', '2022-06')).toEqual(['S01']);
    expect(carriedInto(units, 'S02', '2022-06')).toEqual([]);
  });
});
