// Every check and error code of the reader: what is rejected (nothing counted) or warned
// about, and exactly where (sheet, row, column letter) the clerk must look.
//
// Most files here are the official form written by the generator with its defaults, laid out
// like tests/fixtures/samples/06a-S01-2022-06.xlsx: title lines in rows 1–7 (4 "Đơn vị báo cáo",
// 5 "Mã đơn vị", 6 "Kỳ báo cáo", 7 "Đơn vị tính"), header rows 9–10, column numbers in row 11,
// the three fields of helpers.ROWS in rows 12–14 and "Tổng cộng" in row 15; columns A STT,
// B Lĩnh vực, C–G received (Tổng số, Trực tuyến, Trực tiếp, Bưu chính, Từ kỳ trước),
// H–K resolved (Tổng số, Trước hạn, Đúng hạn, Quá hạn), L–N pending (Tổng số, Trong hạn,
// Quá hạn), O Trả kết quả qua bưu chính.
import { describe, expect, it } from 'vitest';
import { COLUMN_TITLES, type ColumnKey } from '../../shared/report-file/columns.ts';
import { writeReport, type ReportSpec, type Typo, type Variant } from '../../scripts/generate/report-files.ts';
import {
  csv, editWorkbook, expectAccepted, expectRejected, makeSpec, read, ROWS, TOTALS, where, withCounts, workbookOf,
} from './helpers.ts';

const SHEET = 'Biểu 06a';
const at = (code: string, row: number | null, column: string | null, sheet: string | null = SHEET) => ({ code, sheet, row, column });

const official = (variant: Partial<Variant> = {}, more: Partial<ReportSpec> = {}) => writeReport(makeSpec(variant, more));
const withTypos = (typos: Typo[], variant: Partial<Variant> = {}) => official(variant, { typos });

describe('the identities', () => {
  it('received_total ≠ online + direct + postal + carried over, in a data row (and so the total row ≠ sum)', async () => {
    const r = await read(await withTypos([{ row: 1, column: 'received_total', value: 61 }]));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('likely_typo', 13, 'C'), at('received_total_mismatch', 13, 'C'), at('total_row_mismatch', 15, 'C')]);
    expect(r.errors[1].message).toContain('61');
  });
  it('received_total ≠ parts without a total row', async () => {
    const r = await read(await withTypos([{ row: 1, column: 'received_total', value: 61 }], { totalRow: 'none' }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('received_total_mismatch', 13, 'C')]);
  });
  it('received_total ≠ online + combined desk/postal + carried over', async () => {
    // Combined layout: C Tổng số, D Trực tuyến, E Trực tiếp + bưu chính, F Từ kỳ trước, G… resolved.
    const r = await read(await withTypos([{ row: 0, column: 'received_direct_or_postal', value: 2356 }], { desk: 'combined', totalRow: 'none' }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('received_total_mismatch', 12, 'C')]);
  });
  it('resolved_total ≠ early + on time + overdue', async () => {
    const r = await read(await withTypos([{ row: 1, column: 'resolved_on_time', value: 31 }], { totalRow: 'none' }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('resolved_total_mismatch', 13, 'H')]);
  });
  it('pending_total ≠ within + overdue', async () => {
    const r = await read(await withTypos([{ row: 2, column: 'pending_total', value: 401 }], { totalRow: 'none' }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('pending_total_mismatch', 14, 'L')]);
  });
  it('the identities hold on the total row too', async () => {
    const r = await read(await withTypos([{ row: 'total', column: 'resolved_total', value: 5080 }]));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('likely_typo', 15, 'H'), at('resolved_total_mismatch', 15, 'H'), at('total_row_mismatch', 15, 'H')]);
  });
  it('received = resolved + pending is only a warning: accepted, with the row named', async () => {
    const rows = [{ ...ROWS[0], counts: { ...ROWS[0].counts, pending_within: 449 } }, ROWS[1], ROWS[2]];
    const r = await read(await official({}, { rows }));
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: '06a', counts: withCounts({ pending_within: 839 }) });
    expect(where(r.warnings)).toEqual([at('received_not_balanced', 12, null), at('received_not_balanced', 15, null)]);
  });
  it('received = resolved + pending is checked without total columns as well (from the parts)', async () => {
    const rows = [ROWS[0], { ...ROWS[1], counts: { ...ROWS[1].counts, carried_over: 5 } }, ROWS[2]];
    const r = await read(await official({ totalColumns: false, totalRow: 'none' }, { rows }));
    expect(r.status).toBe('accepted');
    expect(where(r.warnings)).toEqual([at('received_not_balanced', 13, null)]);
  });
});

describe('many broken rows', () => {
  it('the first 1,000 small imbalances are warnings, then how many more, in one more warning', async () => {
    const header = 'unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue';
    // Received 10, resolved 9 + pending 0: a gap of 1, within the slack: a warning each.
    const rows = Array.from({ length: 1_200 }, (_, i) => `S01,2022-06,Lĩnh vực ${i + 1},5,5,0,9,0,0,0,0`);
    const r = await read(csv([header, ...rows].join('\n')));
    expect(r.status).toBe('accepted');
    expect(r.warnings.filter((w) => w.code === 'received_not_balanced')).toHaveLength(1_000);
    expect(r.warnings.at(-1)).toMatchObject({ code: 'too_many_warnings', message: 'Còn 200 dòng khác có số nhận khác số đã và đang giải quyết, không được liệt kê.' });
  });

  it('the first 1,000 failed sums listed, the total row\'s mismatch still named, then how many more', async () => {
    const header = 'unit_code,period,field,received_total,received_online,received_direct,carried_over,resolved_total,resolved_early,resolved_on_time,resolved_overdue,pending_total,pending_within,pending_overdue';
    // Each row: received_total 10 but 1 + 1 + 1; resolved and pending hold.
    const rows = Array.from({ length: 1100 }, (_, i) => `S01,2022-06,Lĩnh vực ${i + 1},10,1,1,1,10,10,0,0,0,0,0`);
    // The total row sums the rows, but for received_online (1101, not 1100): its own sum fails too.
    const total = 'S01,2022-06,Tổng cộng,11000,1101,1100,1100,11000,11000,0,0,0,0,0';
    const r = await read(csv([header, ...rows, total].join('\n')));
    expectRejected(r);
    const codes = r.errors.map((e) => e.code);
    expect(codes.slice(0, 1000)).toEqual(Array(1000).fill('received_total_mismatch'));
    expect(r.errors[999]).toMatchObject({ row: 1001, column: 'D' });
    expect(codes.slice(1000)).toEqual(['total_row_mismatch', 'too_many_errors']);
    expect(r.errors[1000]).toMatchObject({ row: 1102, column: 'E' });
    expect(r.errors[1001].message).toBe('Còn 101 lỗi khác ở các phép cộng của dòng không được liệt kê. Sửa các lỗi trên rồi kiểm tra lại cả tệp.');
  });
});

describe('the total row', () => {
  // Without total columns: C Trực tuyến, D Trực tiếp, E Bưu chính, F Từ kỳ trước, G–I resolved, J–K pending, L returned.
  it('a total that is not the sum of the data rows', async () => {
    const r = await read(await withTypos([{ row: 'total', column: 'received_online', value: 1250 }], { totalColumns: false }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('total_row_mismatch', 15, 'C')]);
  });
  it('returned_postal is summed too', async () => {
    const r = await read(await withTypos([{ row: 'total', column: 'returned_postal', value: 10 }], { totalColumns: false }));
    expectRejected(r, at('total_row_mismatch', 15, 'L'));
    expect(r.errors).toHaveLength(1);
  });
  it('a SUM formula whose cached result is stale', async () => {
    const r = await read(await withTypos([{ row: 'total', column: 'received_direct', value: { formula: 'SUM(D12:D14)', result: 3420 } }],
      { totalColumns: false, totalRow: 'formulas' }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('total_row_mismatch', 15, 'D')]);
  });
  it('a SUM of its own column without a cached value is accepted silently (it is the sum we check against)', async () => {
    const r = await read(await withTypos([{ row: 'total', column: 'received_online', value: { formula: 'SUM(D12:D14)' } }]));
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
    expect(r.warnings).toEqual([]);
  });
  it('another formula without a cached value in the total row: accepted, with a warning on that cell', async () => {
    const r = await read(await withTypos([{ row: 'total', column: 'received_online', value: { formula: 'D12+D13+D14' } }]));
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
    expect(where(r.warnings)).toEqual([at('total_not_checked', 15, 'D')]);
  });
});

describe('rows counted twice', () => {
  // Layout B: A unit_code, B period, C field, D–K the eight counts.
  const HEADER = 'unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue';
  const FIELDS = ['S01,2022-06,Hộ tịch,80,20,20,36,60,2,22,0', 'S01,2022-06,Chứng thực,48,12,12,22,36,1,13,0', 'S01,2022-06,Đất đai,32,8,8,14,24,1,9,0'];
  /** The three fields' sum: a total row's counts. */
  const SUM = '160,40,40,72,120,4,44,0';
  const file = (...rows: string[]) => csv([HEADER, ...rows].join('\n'));
  const ONLINE = 160;

  it.each(['Tổng các lĩnh vực', 'Cộng các lĩnh vực', 'Tổng toàn Sở', 'CONG CAC LINH VUC'])('a total row labelled "%s" is not added in', async (label) => {
    const r = await read(file(...FIELDS, `S01,2022-06,${label},${SUM}`));
    expect(r.status).toBe('accepted');
    expect(r.counts?.received_online).toBe(ONLINE);
  });
  it('a last row named like a total ("Tổng hợp") that adds up is the total, with a warning naming it; "Tổng hợp" that does not add up stays a field', async () => {
    const total = await read(file(...FIELDS, `S01,2022-06,Tổng hợp,${SUM}`));
    expect(total.counts?.received_online).toBe(ONLINE);
    expect(where(total.warnings)).toEqual([at('total_row_unlabelled', 5, null, null)]);
    expect(total.warnings[0].message).toContain('Dòng 5 ("Tổng hợp") bằng tổng các dòng trên');
    const field = await read(file(...FIELDS, 'S01,2022-06,Tổng hợp,5,0,0,5,0,0,0,0'));
    expect(field.counts?.received_online).toBe(ONLINE + 5);
    expect(field.warnings).toEqual([]);
  });
  it('an unnamed last row that adds up is the total even beside the unit code and period (Layout B)', async () => {
    const r = await read(file(...FIELDS, `S01,2022-06,,${SUM}`));
    expect(r.counts?.received_online).toBe(ONLINE);
    expect(where(r.warnings)).toEqual([at('total_row_unlabelled', 5, null, null)]);
  });
  it('an unnamed last row that nearly adds up (a typo, a total not updated) is a wrong total: rejected at its cells, not added in', async () => {
    const typo = await read(file(...FIELDS, 'S01,2022-06,,160,40,40,72,121,4,43,0'));
    expectRejected(typo);
    expect(where(typo.errors)).toEqual([at('total_row_mismatch', 5, 'H', null), at('total_row_mismatch', 5, 'J', null)]);
    expect(typo.warnings[0].message).toContain('gần bằng tổng các dòng trên');
    // Đất đai's online changed from 32 to 52 after the total was written: only that column disagrees.
    const stale = await read(file(...FIELDS.slice(0, 2), 'S01,2022-06,Đất đai,52,8,8,14,44,1,9,0', `S01,2022-06,,${SUM}`));
    expectRejected(stale);
    expect(where(stale.errors).map((e) => e.code)).toEqual(['total_row_mismatch', 'total_row_mismatch']);
  });
  it('an unnamed row far from the sum is a row of counts', async () => {
    const r = await read(file(...FIELDS, 'S01,2022-06,,10,0,0,10,0,0,0,0'));
    expect(r.counts?.received_online).toBe(ONLINE + 10);
  });
  it('small counts add up by chance: a last field named "Cộng đồng dân cư" with a few ones is counted, and so is an unnamed one near the sum of ones', async () => {
    // Ones and zeros: the last row equals the sum above in every column, or nearly.
    const small = ['S01,2022-06,Đất đai,0,1,0,0,0,0,1,0', 'S01,2022-06,Quốc tịch,0,0,0,0,0,0,0,0'];
    const named = await read(file(...small, 'S01,2022-06,Cộng đồng dân cư,0,1,0,0,0,0,1,0'));
    expect(named.counts?.received_direct).toBe(2);
    expect(named.warnings).toEqual([]);
    const unnamed = await read(file(...small, 'S01,2022-06,,0,0,1,0,0,0,0,1'));
    expect(unnamed.counts?.carried_over).toBe(1);
  });
  it('the same field twice with the same counts is rejected at the copy; with other counts, counted with a warning', async () => {
    const copy = await read(file(...FIELDS, FIELDS[0]));
    expectRejected(copy);
    expect(where(copy.errors)).toEqual([at('duplicate_row', 5, null, null)]);
    expect(copy.errors[0].message).toBe('Dòng 5 ("Hộ tịch") trùng hoàn toàn dòng 2: cùng lĩnh vực, cùng mọi số liệu, nên bị cộng hai lần. Xoá một trong hai dòng.');
    const other = await read(file(...FIELDS, 'S01,2022-06,HỘ TỊCH,8,0,0,8,0,0,0,0'));
    expect(other.counts?.received_online).toBe(ONLINE + 8);
    expect(where(other.warnings)).toEqual([at('duplicate_field', 5, null, null)]);
  });
  it('an unreadable count and a wrong sum in another row are both told at once (the clerk fixes both in one upload)', async () => {
    const r = await read(file('S01,2022-06,Hộ tịch,8O,20,20,36,60,2,22,0', FIELDS[1], 'S01,2022-06,Đất đai,32,8,8,14,24,1,90,0'));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('invalid_number', 2, 'D', null), at('received_not_balanced', 4, null, null)]);
  });
  it('a repeated row of a few ones and zeros is not a copy (two small fields may match by chance)', async () => {
    const small = 'S01,2022-06,Quốc tịch,1,0,0,0,1,0,0,0';
    const r = await read(file(...FIELDS, small, small.replace('Quốc tịch', 'Quốc tịch')));
    expect(r.status).toBe('accepted');
    expect(r.warnings).toEqual([]);
  });
  it('a group row ("I. Tư pháp") holding the sum of its rows under it is rejected; left without counts, it is read', async () => {
    const group = 'S01,2022-06,I. Tư pháp (Hộ tịch + Chứng thực),128,32,32,58,96,3,35,0';
    const r = await read(file(group, ...FIELDS));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('group_subtotal', 2, null, null)]);
    expect(r.errors[0].message).toContain('bằng tổng các dòng 3–4 ngay dưới');
    const blank = await read(file('S01,2022-06,I. Tư pháp,,,,,,,,', ...FIELDS));
    expect(blank.counts?.received_online).toBe(ONLINE);
    // A field's own number is no group's: "1. Hộ tịch" equal to the two rows under it is a field.
    const numbered = await read(file('S01,2022-06,1. Tổng hợp hộ tịch,128,32,32,58,96,3,35,0', ...FIELDS));
    expect(numbered.status).toBe('accepted');
    // Ones and zeros add up by chance: a lettered row {1 online, 1 resolved} over two rows that sum to it is read.
    const small = await read(file('S01,2022-06,A. Quốc tịch,1,0,0,0,1,0,0,0', 'S01,2022-06,Quốc tịch 1,1,0,0,0,1,0,0,0', 'S01,2022-06,Quốc tịch 2,0,0,0,0,0,0,0,0'));
    expect(small.status).toBe('accepted');
  });
});

describe('the counts', () => {
  it.each([
    ['a negative number', -5, 'negative_count'],
    ['negative text "-5"', '-5', 'negative_count'],
    ['a fraction', 2.5, 'fractional_count'],
    ['fraction text "2,5"', '2,5', 'fractional_count'],
    ['fraction text "12.75"', '12.75', 'fractional_count'],
    ['words', 'không rõ', 'invalid_number'],
    ['a number with words', '12 hồ sơ', 'invalid_number'],
    ['a mixed separator', '1.234,5', 'invalid_number'],
    ['an Excel error', { error: '#REF!' }, 'cell_error'],
    ['a formula without a cached value', { formula: 'E12*2' }, 'formula_without_value'],
  ] as Array<[string, Typo['value'], string]>)('%s in a data row is rejected at that cell', async (_, value, code) => {
    const r = await read(await withTypos([{ row: 0, column: 'received_online', value }]));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at(code, 12, 'D')]);
  });
  it('a bad count in the total row is rejected at that cell', async () => {
    const r = await read(await withTypos([{ row: 'total', column: 'pending_overdue', value: 'bảy mươi' }]));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('invalid_number', 15, 'N')]);
  });
  it('a date in a count cell is not a count', async () => {
    const r = await read(await withTypos([{ row: 2, column: 'carried_over', value: new Date(Date.UTC(2022, 5, 15)) as unknown as string }]));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('invalid_number', 14, 'G')]);
  });
  it('a formula with a cached result in a data row is its result', async () => {
    const r = await read(await withTypos([{ row: 0, column: 'received_online', value: { formula: 'E12-1111', result: 1234 } }]));
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
  });
  it('a row of all zeros is accepted ("không phát sinh")', async () => {
    const zero = withCounts({
      received_online: 0, received_direct: 0, received_postal: 0, carried_over: 0, resolved_early: 0,
      resolved_on_time: 0, resolved_overdue: 0, pending_within: 0, pending_overdue: 0, returned_postal: 0,
    });
    for (const z of ['number', 'dash'] as const) {
      const r = await read(await official({ zero: z }, { rows: [{ field: 'Hộ tịch', counts: zero }] }));
      expectAccepted(r, { unit: 'S01', period: '2022-06', layout: '06a', counts: zero });
      expect(r.fields).toHaveLength(1);
      expect(r.warnings).toEqual([]);
    }
  });
  it('a table with no data rows is rejected (with a total row of zeros)', async () => {
    const r = await read(await official({}, { rows: [] }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('no_data_rows', 11, null)]);
  });
  it('a table with no data rows is rejected (header only)', async () => {
    const r = await read(await official({ totalRow: 'none', signature: false }, { rows: [] }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('no_data_rows', 11, null)]);
  });
});

describe('the columns', () => {
  const renamed = async (cell: string, text: string, variant: Partial<Variant> = {}) =>
    read(await editWorkbook(await official(variant), (ws) => { ws.getCell(cell).value = text; }));

  it.each([
    ['received_online', 'D10'], ['received_direct', 'E10'], ['carried_over', 'G10'], ['resolved_early', 'I10'],
    ['resolved_on_time', 'J10'], ['resolved_overdue', 'K10'], ['pending_within', 'M10'], ['pending_overdue', 'N10'],
  ])('missing required column %s (header %s renamed)', async (key, cell) => {
    const r = await renamed(cell, 'Ghi chú');
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('missing_column', 10, null)]);
    expect(r.errors[0].message).toContain(`"${COLUMN_TITLES[key as ColumnKey]}"`);
  });
  it('missing combined column: asked for as "Trực tiếp"', async () => {
    const r = await renamed('E10', 'Ghi chú', { desk: 'combined' });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('missing_column', 10, null)]);
    expect(r.errors[0].message).toContain('Trực tiếp');
  });
  it('the optional columns may be missing (totals, postal, returned)', async () => {
    const r = await read(await official({ totalColumns: false, postalColumn: false, returnedPostal: false }));
    expect(r.status).toBe('accepted');
    expect(r.counts).toMatchObject({ received_postal: null, returned_postal: null, received_direct: 3436 });
  });
  it('"Quá hạn" with no group above it is ambiguous', async () => {
    // One header row (row 9), column numbers in row 10; K is the resolved "Quá hạn".
    const r = await renamed('K9', 'Quá hạn', { headerRows: 1 });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('ambiguous_column', 9, 'K'), at('missing_column', 9, null)]);
  });
  it('both "Quá hạn" columns without a group: each is reported', async () => {
    const bytes = await editWorkbook(await official({ headerRows: 1 }), (ws) => {
      ws.getCell('K9').value = 'Quá hạn';
      ws.getCell('N9').value = 'QUÁ HẠN';
    });
    const r = await read(bytes);
    expectRejected(r, at('ambiguous_column', 9, 'K'), at('ambiguous_column', 9, 'N'));
  });
  it('a duplicate column', async () => {
    const r = await renamed('O9', 'Trực tuyến'); // O9:O10 is merged: "Trả kết quả qua bưu chính"
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('duplicate_column', 10, 'O')]);
  });
  it('the combined column and a separate "Trực tiếp" / "Bưu chính" column together', async () => {
    const r = await renamed('F10', 'Trực tiếp, dịch vụ bưu chính');
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('conflicting_columns', 10, 'F')]);
  });
  it('no report table at all', async () => {
    const bytes = await workbookOf({ 'Sheet1': [['Kính gửi: Văn phòng UBND thành phố'], ['Đơn vị báo cáo: Sở Công Thương'], ['Số liệu gửi kèm công văn.']] });
    const r = await read(bytes);
    expectRejected(r);
    expect(where(r.errors)).toEqual([{ code: 'no_table_found', sheet: null, row: null, column: null }]);
  });
});

describe('which unit', () => {
  it('a code naming another unit than the upload prefix (cross-unit by code)', async () => {
    const r = await read(await official(), { uploader: 'S02' });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('wrong_unit', 5, 'A')]);
  });
  it('a name resolving to another unit than the upload prefix (cross-unit by name)', async () => {
    const r = await read(await official({ codeLine: false }, { unit: { code: 'S10', name: 'Sở Tài chính' } }), { uploader: 'S01' });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('wrong_unit', 4, 'A')]);
  });
  const quocTuan = () => official({ codeLine: false, unitPrefix: true }, { unit: { code: 'X074', name: 'Xã Quốc Tuấn' } });
  it.each(['X074', 'X087'])('"UBND Xã Quốc Tuấn" (X074 and X087 share the name) uploaded by %s is that unit', async (uploader) => {
    const r = await read(await quocTuan(), { uploader });
    expectAccepted(r, { unit: uploader, period: '2022-06', layout: '06a', counts: TOTALS });
    expect(r.warnings).toEqual([]);
  });
  it('"Xã Quốc Tuấn" uploaded by a third unit is a cross-unit file', async () => {
    const r = await read(await quocTuan(), { uploader: 'X001' });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('wrong_unit', 4, 'A')]);
    expect(r.errors[0].message).toContain('X074, X087');
  });
  it('"Xã Quốc Tuấn" with no upload prefix is ambiguous, never a guess', async () => {
    const r = await read(await quocTuan());
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('ambiguous_unit', 4, 'A')]);
    expect(r.unit).toBeNull();
  });
  it('a shared name with "Mã đơn vị: X074" uploaded by X087 is cross-unit', async () => {
    const r = await read(await official({ codeLine: true }, { unit: { code: 'X074', name: 'Xã Quốc Tuấn' } }), { uploader: 'X087' });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('wrong_unit', 5, 'A')]);
  });
  it('an unknown name with no prefix', async () => {
    const r = await read(await official({ codeLine: false }, { unit: { code: 'X999', name: 'Xã Không Tồn Tại' } }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('unknown_unit', 4, 'A')]);
  });
  it('an unknown name under a known prefix: the prefix decides, with a warning', async () => {
    const r = await read(await official({ codeLine: false }, { unit: { code: 'S01', name: 'Sở Công Thương Hải Phòng (cũ)' } }), { uploader: 'S01' });
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
    expect(where(r.warnings)).toEqual([at('unit_name_unknown', 4, 'A')]);
  });
  it('an unknown unit code', async () => {
    const r = await read(await official({}, { unit: { code: 'Z99', name: 'Sở Công Thương' } }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('unknown_unit_code', 5, 'A')]);
  });
  it('an upload prefix that is no unit', async () => {
    const r = await read(await official(), { uploader: 'Q77' });
    expectRejected(r);
    expect(where(r.errors)).toEqual([{ code: 'unknown_uploader', sheet: null, row: null, column: null }]);
  });
  it('no unit in the file and no prefix', async () => {
    const r = await read(await official({ unitLine: false, codeLine: false }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('unit_not_found', 1, 'A')]);
  });
  it('the code decides when name and code disagree: accepted, with a warning', async () => {
    const bytes = await editWorkbook(await official(), (ws) => { ws.getCell('A4').value = 'Đơn vị báo cáo: Sở Tài chính'; });
    const r = await read(bytes, { uploader: 'S01' });
    expectAccepted(r, { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
    expect(where(r.warnings)).toEqual([at('unit_name_mismatch', 4, 'A')]);
  });
});

describe('which period', () => {
  const titled = async (text: string, row = 6) =>
    editWorkbook(await official({ merged: false }), (ws) => { ws.getCell(row, 1).value = text; });

  it('no period in the file', async () => {
    const r = await read(await official({ title: 'none' }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('period_not_found', 1, 'A')]);
  });
  it.each([
    'Kỳ báo cáo: Từ ngày 01/06/2022 đến ngày 30/06/2022',
    'Kỳ báo cáo: Từ ngày 16/05/2022 đến ngày 14/06/2022',
    'Kỳ báo cáo: Từ ngày 15/05/2022 đến ngày 15/06/2022',
  ])('a window that is no reporting period: "%s"', async (text) => {
    const r = await read(await titled(text));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('period_window_mismatch', 6, 'A')]);
    expect(r.period).toBeNull();
  });
  it('the window is configuration: a 15th-to-14th province accepts 15/05–14/06 and rejects 16/05–15/06', async () => {
    const periods = { startDay: 15, dueDay: 20, timeZone: 'Asia/Ho_Chi_Minh' };
    const ok = await read(await titled('Kỳ báo cáo: Từ ngày 15/05/2022 đến ngày 14/06/2022'), { periods });
    expectAccepted(ok, { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
    const r = await read(await official(), { periods });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('period_window_mismatch', 6, 'A')]);
  });
  it('a period more than one month in the future (now = 20/06/2022)', async () => {
    const r = await read(await official({}, { period: '2022-09' }));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('period_in_future', 6, 'A')]);
  });
  it('the period after next is "in the future"; the next one merely has not ended, depending on `now`', async () => {
    const aug = await official({ title: 'month' }, { period: '2022-08' });
    // 20/06 is already in period 2022-07: 2022-08 is next, not over yet (period-rules.test.ts).
    expect(where((await read(aug)).errors)).toEqual([at('period_not_ended', 6, 'A')]);
    const early = await read(aug, { now: new Date('2022-06-10T03:00:00Z') }); // 10/06 is in period 2022-06
    expectRejected(early);
    expect(where(early.errors)).toEqual([at('period_in_future', 6, 'A')]);
  });
  it('two different periods in the title lines', async () => {
    const r = await read(await titled('Kỳ báo cáo: 07/2022', 7));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('period_conflict', 7, 'A')]);
  });
  it('the same period written twice is fine', async () => {
    const r = await read(await titled('Tháng 6/2022', 7));
    expect(r.status).toBe('accepted');
  });
  it('a month that does not exist', async () => {
    const r = await read(await titled('Tháng 13/2022'));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('invalid_period', 6, 'A')]);
  });
});

describe('CSV: unit and period columns', () => {
  const HEADER = 'unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue';
  // The same counts under another field: the same field twice is a repeated row (duplicate_row).
  const ok = (unit = 'H03', period = '2022-06', field = 'Hộ tịch') => `${unit},${period},${field},60,96,23,58,89,3,29,0`;

  it('a valid file, for reference', async () => {
    const r = await read(csv([HEADER, ok(), ok('H03', '2022-06', 'Chứng thực')].join('\n')));
    expectAccepted(r, {
      unit: 'H03', period: '2022-06', layout: 'csv', counts: {
        received_online: 120, received_direct: 192, received_postal: null, carried_over: 46, resolved_early: 116,
        resolved_on_time: 178, resolved_overdue: 6, pending_within: 58, pending_overdue: 0, returned_postal: null,
      },
    });
  });
  it('mixed units in one file', async () => {
    const r = await read(csv([HEADER, ok(), ok('H03', '2022-06', 'Chứng thực'), ok('H04', '2022-06', 'Đất đai')].join('\n')));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('mixed_units', 4, 'A', null)]);
  });
  it('mixed periods in one file', async () => {
    const r = await read(csv([HEADER, ok(), ok('H03', '2022-05', 'Chứng thực')].join('\n')));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('mixed_periods', 3, 'B', null)]);
  });
  it('a unit code of another unit than the upload prefix', async () => {
    const r = await read(csv([HEADER, ok()].join('\n')), { uploader: 'H04' });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('wrong_unit', 2, 'A', null)]);
  });
  it('an unknown unit code', async () => {
    const r = await read(csv([HEADER, ok('H99')].join('\n')));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('unknown_unit_code', 2, 'A', null)]);
  });
  it('a period that is not YYYY-MM', async () => {
    const r = await read(csv([HEADER, ok('H03', 'tháng sáu')].join('\n')));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('invalid_period', 2, 'B', null)]);
  });
  it.each(['06/2022', '2022/06', '6-2022'])('period written "%s" is 2022-06', async (period) => {
    const r = await read(csv([HEADER, ok('H03', period)].join('\n')));
    expect(r.status).toBe('accepted');
    expect(r.period).toBe('2022-06');
  });
  it('no period column', async () => {
    const header = HEADER.replace('period,', '');
    const r = await read(csv([header, 'H03,Hộ tịch,60,96,23,58,89,3,29,0'].join('\n')));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('period_not_found', 1, 'A', null)]);
  });
  it('a bad count, located by row and column', async () => {
    const r = await read(csv([HEADER, ok(), 'H03,2022-06,Đất đai,5,-1,0,1,2,0,1,0'].join('\n')));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('negative_count', 3, 'E', null)]);
  });
  it('a missing required column', async () => {
    const header = HEADER.replace(',pending_overdue', '');
    const r = await read(csv([header, 'H03,2022-06,Hộ tịch,60,96,23,58,89,3,29'].join('\n')));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('missing_column', 1, null, null)]);
  });
  it('identities in the CSV template too (resolved_total given)', async () => {
    const r = await read(csv(`${HEADER},resolved_total\n${ok()},151`));
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('resolved_total_mismatch', 2, 'L', null)]);
  });
});

describe('the "Chi tiết TTHC" sheet', () => {
  const DETAIL = 'Chi tiết TTHC';
  const procedures = [
    { code: '1.001', name: 'Thông báo thực hiện khuyến mại', level: 'Toàn trình' as const, online: 40, direct: 0, postal: 0 },
    { code: '1.003', name: 'Cấp Giấy phép bán buôn rượu', level: 'Một phần' as const, online: 0, direct: 3, postal: 1 },
  ];
  // Columns: A STT, B Mã TTHC, C Tên TTHC, D Mức độ, E Trực tuyến, F Trực tiếp, G Bưu chính; header in row 1.
  const detailEdited = async (edit: (ws: import('exceljs').Worksheet) => void) =>
    read(await editWorkbook(await official({ detailSheet: true }, { procedures }), (_, wb) => edit(wb.getWorksheet(DETAIL)!)));

  it('an online level that is none of the four', async () => {
    const r = await detailEdited((ws) => { ws.getCell('D2').value = 'Mức độ 5'; });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('invalid_online_level', 2, 'D', DETAIL)]);
  });
  it('a bad count', async () => {
    const r = await detailEdited((ws) => { ws.getCell('E3').value = -2; });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('negative_count', 3, 'E', DETAIL)]);
  });
  it('counts without a procedure name', async () => {
    const r = await detailEdited((ws) => { ws.getCell('C3').value = null; });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('detail_name_missing', 3, 'C', DETAIL)]);
  });
  it('no "Trực tiếp" column', async () => {
    const r = await detailEdited((ws) => { ws.getCell('F1').value = 'Ghi chú'; });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('detail_column_missing', 1, null, DETAIL)]);
  });
  it('no header with "Tên TTHC"', async () => {
    const r = await detailEdited((ws) => { ws.getCell('C1').value = 'Thủ tục'; });
    expectRejected(r);
    expect(where(r.errors)).toEqual([at('detail_header_missing', 1, null, DETAIL)]);
  });
});
