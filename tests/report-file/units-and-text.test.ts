// The small pieces the reader stands on: Vietnamese text folding and unit names
// (shared/text.ts, the registry), reporting periods (shared/period.ts) and the number
// forms clerks type (shared/report-file/numbers.ts).
import { describe, expect, it } from 'vitest';
import { foldKey, looseKey, plainLower } from '../../shared/text.ts';
import {
  addMonths, dueInstant, lastClosedPeriod, periodBounds, periodContaining, periodEndingOn, PLAN_128_PERIODS, type PeriodConfig,
} from '../../shared/period.ts';
import { looksNumeric, parseCount } from '../../shared/report-file/numbers.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { registry } from './helpers.ts';

describe('text folding', () => {
  it('foldKey ignores case, spacing, punctuation and Unicode form, keeps diacritics', () => {
    expect(foldKey('  Sở   Tài\u00a0chính, ')).toBe('sở tài chính');
    expect(foldKey('SỞ TÀI CHÍNH')).toBe('sở tài chính');
    expect(foldKey('Sở Tài chính'.normalize('NFD'))).toBe(foldKey('Sở Tài chính'));
    expect(foldKey('Hòa')).not.toBe(foldKey('Hóa'));
    expect(foldKey('Thi đua - khen thưởng')).toBe('thi đua khen thưởng');
  });
  it('old and new tone-mark placement fold alike: Hoà = Hòa, Thuỵ = Thụy, Uỷ = Ủy', () => {
    expect(foldKey('Hoà')).toBe(foldKey('Hòa'));
    expect(foldKey('Xã An Hoà')).toBe('xã an hòa');
    expect(foldKey('Thuỵ')).toBe(foldKey('Thụy'));
    expect(foldKey('Kiến Thuỵ')).toBe('kiến thụy');
    expect(foldKey('Uỷ ban')).toBe(foldKey('Ủy ban'));
    expect(foldKey('HOÀ')).toBe(foldKey('hòa'));
    expect(foldKey('Hoà'.normalize('NFD'))).toBe(foldKey('Hòa'));
    expect(foldKey('Thuỵ'.normalize('NFD'))).toBe(foldKey('Thụy'));
  });
  it('looseKey also drops diacritics and đ', () => {
    expect(looseKey('Đằng Hải')).toBe('dang hai');
    expect(looseKey('SO TAI CHINH')).toBe(looseKey('Sở Tài chính'));
    expect(looseKey('Hoà')).toBe('hoa');
    expect(looseKey('Thụy'.normalize('NFD'))).toBe('thuy');
  });
  it('plainLower keeps positions (one character for one)', () => {
    const text = 'Kỳ báo cáo: Từ ngày 16/05/2022';
    expect(plainLower(text)).toBe('ky bao cao: tu ngay 16/05/2022');
    expect(plainLower(text)).toHaveLength(text.length);
    expect(plainLower('Đơn vị'.normalize('NFD'))).toBe('don vi');
  });
});

describe('unit names (registry.matchName)', () => {
  const codes = (name: string) => registry.matchName(name).map((u) => u.code).sort();

  it('the registry holds the plan\'s 252 units, codes unique', () => {
    expect(PLAN_128_UNITS).toHaveLength(252);
    expect(new Set(PLAN_128_UNITS.map((u) => u.code)).size).toBe(252);
  });
  it.each([
    ['Sở Tài chính', ['S10']],
    ['SO TAI CHINH', ['S10']],
    ['sở tài chính', ['S10']],
    ['Sở Tài chính'.normalize('NFD'), ['S10']],
    ['  Sở  Tài   chính ', ['S10']],
    ['UBND phường Đằng Hải', ['X008']],
    ['UBND PHƯỜNG ĐẰNG HẢI', ['X008']],
    ['UBND PHUONG DANG HAI', ['X008']],
    ['Ủy ban nhân dân phường Đằng Hải', ['X008']],
    ['Uỷ ban nhân dân phường Đằng Hải', ['X008']],
    ['Phường Hoà Nghĩa', ['X004']], // the registry writes "Hòa"
    ['Xã Thụy Hương', ['X120']], // the registry writes "Thuỵ"
    ['Xã Thuỵ Hương'.normalize('NFD'), ['X120']],
    ['Huyện Kiến Thuỵ', ['H10']],
  ])('"%s" → %j', (name, expected) => expect(codes(name)).toEqual(expected));
  it.each([
    ['Xã Quốc Tuấn', ['X074', 'X087']],
    ['UBND xã Quốc Tuấn', ['X074', 'X087']],
    ['Xã An Hòa', ['X077', 'X190']],
    ['Xã An Hoà', ['X077', 'X190']],
    ['Xã Hòa Bình', ['X149', 'X217']],
    ['Xã Vinh Quang', ['X170', 'X198']],
  ])('shared name "%s" → %j (something else must decide)', (name, expected) => expect(codes(name)).toEqual(expected));
  it('unknown and empty names match nothing', () => {
    expect(codes('Xã Không Tồn Tại')).toEqual([]);
    expect(codes('')).toEqual([]);
    expect(codes('UBND')).toEqual([]);
  });
  it('names with diacritics are told apart before falling back to the loose match', () => {
    const unit = (code: string, name: string) => ({ code, name, level: 'commune' as const, parentCode: null, contactEmail: null });
    const small = new UnitRegistry([unit('A', 'Xã Hòa Bình'), unit('B', 'Xã Hóa Bình'), unit('C', 'Xã Hoà Bình')]);
    expect(small.matchName('Xã Hòa Bình').map((u) => u.code)).toEqual(['A', 'C']); // old and new placement alike
    expect(small.matchName('XÃ HÓA BÌNH').map((u) => u.code)).toEqual(['B']);
    expect(small.matchName('Xa Hoa Binh').map((u) => u.code)).toEqual(['A', 'B', 'C']);
  });
  // The format page asks for "with or without diacritics" and "without a leading UBND / Ủy ban nhân dân".
  it('"Ủy ban nhân dân" without diacritics is stripped too', () => {
    expect(codes('UY BAN NHAN DAN PHUONG DANG HAI')).toEqual(['X008']);
    expect(codes('Uy ban nhan dan xa Quoc Tuan')).toEqual(['X074', 'X087']);
  });
});

describe('reporting periods', () => {
  it('2022-06 runs 16/05/2022 … 15/06/2022', () => {
    expect(periodBounds('2022-06')).toEqual({ from: { year: 2022, month: 5, day: 16 }, to: { year: 2022, month: 6, day: 15 } });
  });
  it('2022-01 runs 16/12/2021 … 15/01/2022 (across the new year)', () => {
    expect(periodBounds('2022-01')).toEqual({ from: { year: 2021, month: 12, day: 16 }, to: { year: 2022, month: 1, day: 15 } });
  });
  it('2022-03 starts in a February of 28 days', () => {
    expect(periodBounds('2022-03')).toEqual({ from: { year: 2022, month: 2, day: 16 }, to: { year: 2022, month: 3, day: 15 } });
  });
  it('start day 15 (the national rule): 2022-06 runs 15/05 … 14/06', () => {
    const national: PeriodConfig = { startDay: 15, dueDay: 20, timeZone: 'Asia/Ho_Chi_Minh' };
    expect(periodBounds('2022-06', national)).toEqual({ from: { year: 2022, month: 5, day: 15 }, to: { year: 2022, month: 6, day: 14 } });
    expect(periodEndingOn({ year: 2022, month: 6, day: 14 }, national)).toBe('2022-06');
    expect(periodEndingOn({ year: 2022, month: 6, day: 15 }, national)).toBeNull();
    expect(periodContaining(new Date('2022-06-14T16:59:59Z'), national)).toBe('2022-06'); // 23:59:59 on the 14th, Hải Phòng
    expect(periodContaining(new Date('2022-06-14T17:00:00Z'), national)).toBe('2022-07');
  });
  it('start day 1: calendar months', () => {
    const calendar: PeriodConfig = { startDay: 1, dueDay: 10, timeZone: 'Asia/Ho_Chi_Minh' };
    expect(periodBounds('2022-02', calendar)).toEqual({ from: { year: 2022, month: 2, day: 1 }, to: { year: 2022, month: 2, day: 28 } });
    expect(periodContaining(new Date('2022-02-28T16:59:59Z'), calendar)).toBe('2022-02');
    expect(periodContaining(new Date('2022-02-28T17:00:00Z'), calendar)).toBe('2022-03');
    // Due once it has ended: 00:00 on the 10th of the month after, local time.
    expect(dueInstant('2022-02', calendar).toISOString()).toBe('2022-03-09T17:00:00.000Z');
    expect(dueInstant('2022-12', calendar).toISOString()).toBe('2023-01-09T17:00:00.000Z');
  });
  it('due before the 20th in Hải Phòng: dueInstant(2022-06) = 00:00 on 20/06 local = 2022-06-19T17:00:00Z', () => {
    expect(dueInstant('2022-06').toISOString()).toBe('2022-06-19T17:00:00.000Z');
    expect(dueInstant('2022-01').toISOString()).toBe('2022-01-19T17:00:00.000Z');
    expect(dueInstant('2022-06', { ...PLAN_128_PERIODS, timeZone: 'UTC' }).toISOString()).toBe('2022-06-20T00:00:00.000Z');
    expect(dueInstant('2022-02', { ...PLAN_128_PERIODS, dueDay: 31 }).toISOString()).toBe('2022-02-27T17:00:00.000Z');
  });
  it('periodContaining counts days in Hải Phòng, not UTC', () => {
    expect(periodContaining(new Date('2022-06-15T16:59:59Z'))).toBe('2022-06'); // 23:59:59 on 15/06 local
    expect(periodContaining(new Date('2022-06-15T17:00:00Z'))).toBe('2022-07'); // 00:00 on 16/06 local
    expect(periodContaining(new Date('2021-12-15T17:00:00Z'))).toBe('2022-01');
    expect(periodContaining(new Date('2022-05-16T00:00:00Z'))).toBe('2022-06');
    expect(lastClosedPeriod(new Date('2022-06-20T03:00:00Z'))).toBe('2022-06');
  });
  it('addMonths crosses years both ways', () => {
    expect(addMonths('2022-12', 1)).toBe('2023-01');
    expect(addMonths('2022-01', -1)).toBe('2021-12');
    expect(addMonths('2022-06', -18)).toBe('2020-12');
  });
});

describe('numbers as clerks type them (parseCount)', () => {
  const ok = (value: number, blank = false) => ({ ok: true, value, blank });
  const bad = (code: string, text: string) => ({ ok: false, code, text });

  it.each([
    [1234, ok(1234)],
    [0, ok(0)],
    ['1234', ok(1234)],
    ['1.234', ok(1234)],
    ['1,234', ok(1234)],
    ['1 234', ok(1234)],
    ['1\u00a0234', ok(1234)],
    ['1.234.567', ok(1234567)],
    ['1,234,567', ok(1234567)],
    ['1 234 567', ok(1234567)],
    [' 12 ', ok(12)],
    ['\t12\n', ok(12)],
    ['0', ok(0)],
    ['-', ok(0)],
    [' - ', ok(0)],
    ['–', ok(0)],
    ['—', ok(0)],
    ['', ok(0, true)],
    ['   ', ok(0, true)],
    [null, ok(0, true)],
  ] as Array<[string | number | null, unknown]>)('%j → %j', (input, expected) => expect(parseCount(input)).toEqual(expected));

  it.each([
    ['2,5', bad('fractional_count', '2,5')],
    ['12.75', bad('fractional_count', '12.75')],
    ['1.23', bad('fractional_count', '1.23')],
    ['12,3456', bad('fractional_count', '12,3456')],
    [2.5, bad('fractional_count', '2.5')],
    ['-3', bad('negative_count', '-3')],
    ['- 3', bad('negative_count', '- 3')],
    ['−1.234', bad('negative_count', '−1.234')],
    [-1, bad('negative_count', '-1')],
    ['abc', bad('invalid_number', 'abc')],
    ['12 hồ sơ', bad('invalid_number', '12 hồ sơ')],
    ['1.234,5', bad('invalid_number', '1.234,5')],
    ['1,234.567', bad('invalid_number', '1,234.567')],
    ['12 34', bad('invalid_number', '12 34')],
    ['１２', bad('invalid_number', '１２')],
    ['--', bad('invalid_number', '--')],
    [Number.NaN, bad('invalid_number', 'NaN')],
    [Number.POSITIVE_INFINITY, bad('invalid_number', 'Infinity')],
    [true, bad('invalid_number', 'true')],
  ] as Array<[string | number | boolean, unknown]>)('%j → %j', (input, expected) => expect(parseCount(input)).toEqual(expected));

  it('formulas without a value, Excel errors and dates are not counts', () => {
    expect(parseCount({ formula: 'SUM(D12:D14)' })).toEqual(bad('formula_without_value', '=SUM(D12:D14)'));
    expect(parseCount({ error: '#REF!' })).toEqual(bad('cell_error', '#REF!'));
    expect(parseCount(new Date(Date.UTC(2022, 5, 15)))).toEqual(bad('invalid_number', '2022-06-15'));
  });

  it('looksNumeric: what a data row may hold where counts go', () => {
    for (const v of [12, '1.234', '-', '0', '-3', '2,5', { formula: 'A1' }]) expect(looksNumeric(v), JSON.stringify(v)).toBe(true);
    for (const v of ['', '  ', null, 'NGƯỜI LẬP BIỂU', 'Hải Phòng, ngày 20 tháng 6 năm 2022', '(1)']) expect(looksNumeric(v), JSON.stringify(v)).toBe(false);
  });
});
