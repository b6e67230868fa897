// Every shape the format page says must be accepted (shared/docs/report-format.md), one test
// each: the same three fields (helpers.ts ROWS, summed by hand in TOTALS) written in that
// shape must read back to exactly those counts, unit, period and layout.
import { describe, expect, it } from 'vitest';
import type { Counts } from '../../shared/report-file/counts.ts';
import { expectedCounts, writeReport, type ReportSpec, type Variant } from '../../scripts/generate/report-files.ts';
import { editWorkbook, expectAccepted, makeSpec, read, ROWS, TOTALS, TOTALS_DESK, withCounts } from './helpers.ts';

const NO_RETURNED: Counts = { ...TOTALS, returned_postal: null };

async function roundTrip(spec: ReportSpec, counts: Counts, options: { uploader?: string } = {}) {
  expect(expectedCounts(spec)).toEqual(counts); // the generator agrees with the hand sums
  const r = await read(await writeReport(spec), options);
  expectAccepted(r, { unit: spec.unit.code, period: spec.period, layout: spec.variant?.layout ?? '06a', counts });
  return r;
}

const shape = (variant: Partial<Variant>, counts: Counts = TOTALS) => roundTrip(makeSpec(variant), counts);

describe('Biểu 06a: header', () => {
  it('the official form as one-stop systems export it (two header rows, merged groups)', async () => {
    const r = await shape({});
    expect(r.fields.map((f) => f.field)).toEqual(['Hộ tịch', 'Công chứng', 'Đất đai']);
    expect(r.fields.map((f) => f.row)).toEqual([12, 13, 14]);
    expect(r.warnings).toEqual([]);
  });
  it('one header row: each column names its own group ("Đã giải quyết quá hạn")', async () => { await shape({ headerRows: 1 }); });
  it('three header rows: "Trong đó" over Trực tuyến / Trực tiếp / Bưu chính', async () => { await shape({ headerRows: 3 }); });
  it('three header rows with the combined "Trực tiếp, dịch vụ bưu chính" column (the official form)', async () => {
    await shape({ headerRows: 3, desk: 'combined' }, TOTALS_DESK);
  });
  it('two header rows with the combined column', async () => { await shape({ headerRows: 2, desk: 'combined' }, TOTALS_DESK); });
  it('one header row with the combined column', async () => { await shape({ headerRows: 1, desk: 'combined' }, TOTALS_DESK); });
  it('separate direct column and no postal column: postal is unknown (null), not zero', async () => {
    await shape({ postalColumn: false }, TOTALS_DESK);
  });
  it('without the optional total columns', async () => { await shape({ totalColumns: false }); });
  it('without the total columns, combined column, three header rows', async () => {
    await shape({ totalColumns: false, desk: 'combined', headerRows: 3 }, TOTALS_DESK);
  });
  it('without the returned_postal column: returned_postal is null', async () => { await shape({ returnedPostal: false }, NO_RETURNED); });
  it('postal column titled "Bưu chính"', async () => { await shape({ postalHeader: 'Bưu chính' }); });
  it('postal column titled "BCCI"', async () => { await shape({ postalHeader: 'BCCI' }); });
  it('carried-over column titled "Kỳ trước chuyển qua"', async () => { await shape({ carriedHeader: 'Kỳ trước chuyển qua' }); });
  it.each(['Lĩnh vực', 'Tên lĩnh vực', 'Lĩnh vực giải quyết'])('field column titled "%s"', async (fieldHeader) => { await shape({ fieldHeader }); });
  it('header texts in upper case', async () => { await shape({ headerText: 'upper', headerRows: 3 }); });
  it('header texts without diacritics', async () => { await shape({ headerText: 'ascii', headerRows: 3, desk: 'combined' }, TOTALS_DESK); });
  it('header cells not merged, two rows (group text only over its first column)', async () => { await shape({ merged: false }); });
  it('header cells not merged, three rows', async () => { await shape({ merged: false, headerRows: 3 }); });
  it('header cells not merged, three rows, combined column', async () => { await shape({ merged: false, headerRows: 3, desk: 'combined' }, TOTALS_DESK); });
  it.each([1, 2, 3, 4, 5, 6])('columns shuffled (seed %i), unmerged three-row header: every total column still checked', async (seed) => {
    const spec = makeSpec({ shuffle: true, seed, merged: false, headerRows: 3 });
    await roundTrip(spec, TOTALS);
    // A wrong received total must be caught, so the shuffled "Tổng số" column was found.
    const typo = await read(await writeReport({ ...spec, typos: [{ row: 0, column: 'received_total', value: 1 }] }));
    expect(typo.errors.map((e) => e.code)).toContain('received_total_mismatch');
  });
  it.each([1, 2, 3])('columns shuffled (seed %i), merged, two header rows', async (seed) => { await shape({ shuffle: true, seed }); });
  it('table not at A1 (title and table from C4)', async () => {
    const r = await shape({ origin: { row: 4, col: 3 } });
    expect(r.fields[0].row).toBe(15);
  });
  it('shuffled and not at A1, one header row', async () => { await shape({ shuffle: true, seed: 9, origin: { row: 2, col: 5 }, headerRows: 1 }); });
  it('without the column-number row "(1) … (n)"', async () => { await shape({ columnNumbers: false }); });
  it('with the column-number row written as plain numbers 1 … n', async () => {
    const bytes = await editWorkbook(await writeReport(makeSpec({ columnNumbers: true })), (ws) => {
      for (let c = 1; c <= 15; c++) ws.getCell(11, c).value = c;
    });
    expectAccepted(await read(bytes), { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
  });
});

describe('Biểu 06a: total row', () => {
  it('no total row', async () => { await shape({ totalRow: 'none' }); });
  it('total row of values', async () => { await shape({ totalRow: 'values' }); });
  it('total row of SUM formulas with cached results', async () => { await shape({ totalRow: 'formulas' }); });
  it('total row of SUM formulas, columns shuffled and not at A1', async () => {
    await shape({ totalRow: 'formulas', shuffle: true, seed: 4, origin: { row: 3, col: 2 } });
  });
  it('total row first, right under the header', async () => { await shape({ totalFirst: true }); });
  it('total row first, SUM formulas, with the column-number row', async () => { await shape({ totalFirst: true, totalRow: 'formulas' }); });
  it.each(['Tổng cộng', 'Tổng số', 'Cộng', 'TỔNG CỘNG', 'Tong cong'])('total row labelled "%s" is not added in', async (totalLabel) => {
    await shape({ totalLabel });
  });
  it('fields whose names start like the total label ("Công chứng", "Công nghiệp", "Tổng hợp", "Cộng đồng") are data rows', async () => {
    const rows = ['Công nghiệp', 'Công chứng', 'Tổng hợp', 'Cộng đồng'].map((field, i) => ({ field, counts: ROWS[i % 3].counts }));
    const spec = makeSpec({}, { rows });
    const r = await roundTrip(spec, expectedCounts(spec));
    expect(r.fields.map((f) => f.field)).toEqual(['Công nghiệp', 'Công chứng', 'Tổng hợp', 'Cộng đồng']);
    expect(r.counts?.received_direct).toBe(2345 + 56 + 1020 + 2345);
  });
  it('data rows whose total columns are formulas with cached results', async () => { await shape({ rowTotalFormulas: true }); });
  it('a row of zeros whose total columns are formulas caching 0 (exceljs drops a cached 0)', async () => {
    const zero: Counts = withCounts({
      received_online: 0, received_direct: 0, received_postal: 0, carried_over: 0, resolved_early: 0,
      resolved_on_time: 0, resolved_overdue: 0, pending_within: 0, pending_overdue: 0, returned_postal: 0,
    });
    const spec = makeSpec({ rowTotalFormulas: true, totalRow: 'formulas' }, { rows: [...ROWS, { field: 'Quốc tịch', counts: zero }] });
    await roundTrip(spec, TOTALS);
  });
});

describe('Biểu 06a: numbers', () => {
  it('real numbers', async () => { await shape({ numbers: 'number' }); });
  it('digits as text ("1234")', async () => { await shape({ numbers: 'text' }); });
  it('thousands with dots ("1.234")', async () => { await shape({ numbers: 'dots' }); });
  it('thousands with commas ("1,234")', async () => { await shape({ numbers: 'commas' }); });
  it('thousands with spaces ("1 234", also no-break spaces)', async () => { await shape({ numbers: 'spaces', seed: 3 }); });
  it('padded text (" 12 ")', async () => { await shape({ numbers: 'padded' }); });
  it('every form mixed in one file', async () => { await shape({ numbers: 'mixed', seed: 11 }); });
  it('"-" for zero', async () => { await shape({ zero: 'dash' }); });
  it('empty cells for zero', async () => { await shape({ zero: 'empty' }); });
  it('text numbers, "-" for zero and SUM formulas in the total row', async () => { await shape({ numbers: 'dots', zero: 'dash', totalRow: 'formulas' }); }); });

describe('Biểu 06a: title lines', () => {
  it('"Kỳ báo cáo: Từ ngày 16/05/2022 đến ngày 15/06/2022"', async () => { await shape({ title: 'range' }); });
  it('"Tháng 6/2022"', async () => { await shape({ title: 'month' }); });
  it('"Kỳ báo cáo: 06/2022"', async () => { await shape({ title: 'period' }); });
  it('real Excel dates for the two days', async () => { await shape({ title: 'dates' }); });
  it('period 2022-01 spans the new year (16/12/2021 … 15/01/2022)', async () => {
    for (const title of ['range', 'dates'] as const) {
      const spec = makeSpec({ title }, { period: '2022-01' });
      const r = await read(await writeReport(spec), { now: new Date('2022-01-20T03:00:00Z') });
      expectAccepted(r, { unit: 'S01', period: '2022-01', layout: '06a', counts: TOTALS });
    }
  });
  it('without "Mã đơn vị": the unit comes from its name', async () => { await shape({ codeLine: false }); });
  it('merged title lines across the table (the name is read once, not repeated)', async () => {
    const r = await shape({ codeLine: false, merged: true });
    expect(r.warnings).toEqual([]);
  });
  it('"UBND " before a commune name', async () => {
    const spec = makeSpec({ codeLine: false, unitPrefix: true }, { unit: { code: 'X008', name: 'Phường Đằng Hải' } });
    await roundTrip(spec, TOTALS);
  });
  const named = (code: string, name: string, variant: Partial<Variant>) =>
    roundTrip(makeSpec({ codeLine: false, ...variant }, { unit: { code, name } }), TOTALS);
  it('unit name in upper case', async () => { await named('X008', 'Phường Đằng Hải', { unitUpper: true, unitPrefix: true }); });
  it('unit name without diacritics', async () => { await named('S10', 'Sở Tài chính', { unitAscii: true }); });
  it('unit name upper case, without diacritics, with "UBND"', async () => {
    await named('X008', 'Phường Đằng Hải', { unitAscii: true, unitUpper: true, unitPrefix: true });
  });
  it('unit line in NFD (decomposed) Unicode', async () => { await named('X120', 'Xã Thuỵ Hương', { unitNfd: true }); });
  it('old tone-mark placement in the file, new in the registry ("Phường Hoà Nghĩa" = "Phường Hòa Nghĩa")', async () => {
    await roundTrip(makeSpec({ codeLine: false }, { unit: { code: 'X004', name: 'Phường Hoà Nghĩa' } }), TOTALS);
  });
  it('new tone-mark placement in the file, old in the registry ("Xã Thụy Hương" = "Xã Thuỵ Hương")', async () => {
    await roundTrip(makeSpec({ codeLine: false }, { unit: { code: 'X120', name: 'Xã Thụy Hương' } }), TOTALS);
  });
  it('a shared commune name with "Mã đơn vị" decides by the code', async () => {
    await roundTrip(makeSpec({ codeLine: true }, { unit: { code: 'X087', name: 'Xã Quốc Tuấn' } }), TOTALS);
  });
  it('a shared commune name uploaded under one of its units is that unit', async () => {
    await roundTrip(makeSpec({ codeLine: false }, { unit: { code: 'X190', name: 'Xã An Hòa' } }), TOTALS, { uploader: 'X190' });
  });
  it('no unit line at all: the upload prefix names the unit', async () => {
    await roundTrip(makeSpec({ codeLine: false, unitLine: false }), TOTALS, { uploader: 'S01' });
  });
});

describe('Biểu 06a: around the table', () => {
  it('an instruction sheet before the form (with its own small "Cột | Ý nghĩa" table)', async () => { await shape({ instructionSheet: true }); });
  it('blank rows between data rows', async () => {
    const r = await shape({ blankRows: true });
    expect(r.fields.map((f) => f.row)).toEqual([12, 13, 15]);
  });
  it('blank rows between data rows, SUM formulas over the gaps', async () => { await shape({ blankRows: true, totalRow: 'formulas' }); });
  it('a signature block and notes below the table', async () => { await shape({ signature: true }); });
  it('a signature block but no total row', async () => { await shape({ signature: true, totalRow: 'none' }); });
  it('nothing below the table', async () => { await shape({ signature: false }); });
  it('the "Chi tiết TTHC" sheet: procedures with their online level', async () => {
    const spec = makeSpec({ detailSheet: true }, {
      procedures: [
        { code: '1.001', name: 'Thông báo thực hiện khuyến mại', level: 'Toàn trình', online: 40, direct: 0, postal: 0 },
        { code: '1.003', name: 'Cấp Giấy phép kinh doanh bán buôn sản phẩm rượu', level: 'Một phần', online: 0, direct: 3, postal: 1 },
        { code: null, name: 'Cấp phép hoạt động điện lực', level: 'Mức độ 4', online: 1234, direct: 2, postal: 0 },
        { code: '1.010', name: 'Đăng ký nội quy lao động', level: 'Mức độ 3', online: 5, direct: 6, postal: 7 },
        { code: '1.011', name: 'Xác nhận hợp đồng', level: '', online: 0, direct: 9, postal: 0 },
      ],
    });
    const r = await roundTrip(spec, TOTALS);
    expect(r.procedures).toEqual([
      { code: '1.001', name: 'Thông báo thực hiện khuyến mại', online_level: 'full', received_online: 40, received_direct: 0, received_postal: 0 },
      { code: '1.003', name: 'Cấp Giấy phép kinh doanh bán buôn sản phẩm rượu', online_level: 'partial', received_online: 0, received_direct: 3, received_postal: 1 },
      { code: null, name: 'Cấp phép hoạt động điện lực', online_level: 'full', received_online: 1234, received_direct: 2, received_postal: 0 },
      { code: '1.010', name: 'Đăng ký nội quy lao động', online_level: 'partial', received_online: 5, received_direct: 6, received_postal: 7 },
      { code: '1.011', name: 'Xác nhận hợp đồng', online_level: null, received_online: 0, received_direct: 9, received_postal: 0 },
    ]);
  });
  it('the detail sheet with text numbers', async () => {
    const spec = makeSpec({ numbers: 'dots' }, { procedures: [{ code: '2.1', name: 'Cấp phép', level: 'Toàn trình', online: 1234, direct: 0, postal: 0 }] });
    const r = await roundTrip(spec, TOTALS);
    expect(r.procedures[0].received_online).toBe(1234);
  });
  it('one field row only', async () => {
    const spec = makeSpec({}, { rows: [ROWS[0]] });
    await roundTrip(spec, { ...ROWS[0].counts });
  });
  it('a report of thirty field rows and tens of thousands of dossiers', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ field: `Lĩnh vực ${i + 1}`, counts: ROWS[i % 3].counts }));
    const spec = makeSpec({ numbers: 'mixed' }, { rows });
    const r = await roundTrip(spec, expectedCounts(spec));
    expect(r.counts?.received_direct).toBe(10 * (2345 + 56 + 1020));
    expect(r.fields).toHaveLength(30);
  });
});

describe('Layout B: CSV template', () => {
  const csvShape = (variant: Partial<Variant>, counts: Counts = TOTALS, more: Partial<ReportSpec> = {}) =>
    roundTrip(makeSpec({ layout: 'csv', totalColumns: false, ...variant }, more), counts);

  it('comma-separated with BOM', async () => { await csvShape({ csvSeparator: ',', csvBom: true }); });
  it('comma-separated without BOM', async () => { await csvShape({ csvSeparator: ',', csvBom: false }); });
  it('semicolon-separated with BOM', async () => { await csvShape({ csvSeparator: ';', csvBom: true }); });
  it('semicolon-separated without BOM, CRLF line ends', async () => { await csvShape({ csvSeparator: ';', csvBom: false, csvCrlf: true }); });
  it('every field quoted', async () => { await csvShape({ csvQuoteAll: true }); });
  it('extra columns (ignored), columns in another order', async () => { await csvShape({ csvExtraColumns: true, shuffle: true, seed: 5 }); });
  it('a field name with the separator in it, quoted', async () => {
    await csvShape({}, expectedCounts(makeSpec({ layout: 'csv' }, { rows: [{ field: 'Thi đua, khen thưởng', counts: ROWS[0].counts }] })),
      { rows: [{ field: 'Thi đua, khen thưởng', counts: ROWS[0].counts }] });
  });
  it('one row for the whole unit', async () => {
    await csvShape({}, { ...TOTALS }, { rows: [{ field: 'Tất cả lĩnh vực', counts: TOTALS }] });
  });
  it('many rows', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ field: `Lĩnh vực ${i}`, counts: ROWS[i % 3].counts }));
    const spec = makeSpec({ layout: 'csv' }, { rows });
    await roundTrip(spec, expectedCounts(spec));
  });
  it('with the total columns', async () => { await csvShape({ totalColumns: true }); });
  it('with the combined received_direct_or_postal column', async () => { await csvShape({ desk: 'combined' }, TOTALS_DESK); });
  it('without received_postal: postal is null', async () => { await csvShape({ postalColumn: false }, TOTALS_DESK); });
  it('without returned_postal: returned_postal is null', async () => { await csvShape({ returnedPostal: false }, NO_RETURNED); });
  it('text numbers "1.234" with ";" and quoted "1,234" with ","', async () => {
    await csvShape({ csvSeparator: ';', numbers: 'commas' });
    await csvShape({ csvSeparator: ',', numbers: 'commas' });
    await csvShape({ csvSeparator: ',', numbers: 'dots', zero: 'dash' });
    await csvShape({ csvSeparator: ';', numbers: 'mixed', zero: 'empty', seed: 8 });
  });
  it('without a unit_code column: the upload prefix names the unit', async () => {
    const spec = makeSpec({ layout: 'csv', csvUnitColumn: false });
    await roundTrip(spec, TOTALS, { uploader: 'S01' });
  });
});
