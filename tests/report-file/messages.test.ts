// What the clerk reads: Vietnamese sentences with no English code inside them (the code goes
// last in the text output, and only in `code` in JSON), "trang tính" for a sheet, periods as
// MM/YYYY and counts with Vietnamese grouping (1.000.227).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { describeReading } from '../../shared/report-file/describe.ts';
import type { FileIssue } from '../../shared/report-file/file-issue.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import { writeReport, type Typo } from '../../scripts/generate/report-files.ts';
import { SAMPLES } from '../fixtures/samples.ts';
import { csv, editWorkbook, makeSpec, read, registry, ROWS, workbookOfSheets } from './helpers.ts';

const HEADER = 'unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue';
const official = (typos: Typo[] = [], variant = {}) => writeReport(makeSpec(variant, { typos }));

/** Files that between them raise most of the reader's issues. */
async function badFiles(): Promise<Array<{ name: string; issues: FileIssue[] }>> {
  const big = { ...ROWS[0], counts: { ...ROWS[0].counts, received_online: 1_000_000, resolved_on_time: 1_000_000 + 1800 } };
  const files: Array<[string, Buffer | Promise<Buffer>, Parameters<typeof read>[1]?]> = [
    ['total row', official([{ row: 'total', column: 'received_online', value: 999999 }])],
    ['row sums and a culprit', official([{ row: 0, column: 'received_online', value: 1243 }])],
    ['big counts', writeReport(makeSpec({}, { rows: [big, ROWS[1], ROWS[2]], typos: [{ row: 'total', column: 'received_online', value: 1_000_227 }] }))],
    ['not balanced', official([{ row: 0, column: 'pending_within', value: 4500 }, { row: 0, column: 'pending_total', value: 4550 }])],
    ['premature', official(), { now: new Date('2022-06-10T03:00:00Z') }],
    ['stale', official(), { now: new Date('2022-07-20T03:00:00Z') }],
    ['future', writeReport(makeSpec({}, { period: '2022-12' }))],
    ['conflict', editWorkbook(await official([], { merged: false }), (ws) => { ws.getCell(7, 1).value = 'Kỳ báo cáo: 07/2022'; })],
    ['year', editWorkbook(await official([], { merged: false }), (ws) => { ws.getCell(6, 1).value = 'Tháng 1/0000'; })],
    ['wrong unit', official(), { uploader: 'S02' }],
    ['unknown uploader', official(), { uploader: 'ZZZ' }],
    ['csv mixed periods', csv(`${HEADER}\nS01,2022-06,A,1,2,0,1,1,0,1,0\nS01,2022-05,B,1,2,0,1,1,0,1,0\n`)],
    ['csv bad number', csv(`${HEADER}\nS01,2022-06,A,x,2,0,1,1,0,1,0\n`)],
    ['csv quote', csv(`${HEADER}\nS01,2022-06,"A,1,2,0,1,1,0,1,0\n`)],
    ['csv extra field', csv(`${HEADER}\nS01,2022-06,A,1,2,0,1,1,0,1,0,500\n`)],
    ['tab per month', workbookOfSheets({ name: 'T5', bytes: await official([], { merged: false }) }, { name: 'T6', bytes: await official([], { merged: false }) })],
    ['hidden form and detail', workbookOfSheets({ name: 'Ghi chú', rows: [['Ghi chú']] }, { name: 'Biểu 06a', state: 'hidden', bytes: await official([], { merged: false }) },
      { name: 'Chi tiết TTHC', state: 'hidden', rows: [['Mã TTHC', 'Tên TTHC', 'Trực tuyến', 'Trực tiếp'], ['1.001', 'Cấp phép', 1, 2]] })],
    ['hidden detail', workbookOfSheets({ name: 'Biểu 06a', bytes: await official([], { merged: false }) }, { name: 'Chi tiết TTHC', state: 'hidden', rows: [['Tên TTHC']] })],
    ['utf-16', Buffer.from(`${HEADER}\n`, 'utf16le')],
    ['empty', Buffer.alloc(0)],
  ];
  const out = [];
  for (const [name, bytes, options] of files) {
    const r = await read(await bytes, options ?? {});
    out.push({ name, issues: [...r.errors, ...r.warnings] });
  }
  return out;
}

describe('messages', () => {
  it('no English code inside a sentence, no "sheet", periods as MM/YYYY, counts grouped', async () => {
    const all = await badFiles();
    const codes = new Set(all.flatMap((f) => f.issues.map((i) => i.code)));
    for (const expected of ['total_row_mismatch', 'received_total_mismatch', 'likely_typo', 'received_not_balanced', 'period_not_ended',
      'period_not_current', 'period_in_future', 'period_conflict', 'period_year_out_of_range', 'wrong_unit', 'unknown_uploader', 'mixed_periods',
      'invalid_number', 'csv_unterminated_quote', 'csv_not_utf8', 'unsupported_type',
      'csv_extra_fields', 'several_report_sheets', 'table_on_hidden_sheet', 'hidden_sheet_not_read']) expect(codes, expected).toContain(expected);
    for (const { name, issues } of all) {
      for (const i of issues) {
        const what = `${name}: ${i.code}: ${i.message}`;
        expect(i.message, what).not.toMatch(/\b[a-z]+(?:_[a-z0-9]+)+\b/); // no snake_case code
        expect(i.message, what).not.toMatch(/\bsheet\b/i);
        // Counts of four digits or more are grouped (years, rows and "YYYY-MM" format hints aside).
        expect(i.message.replace(/\b(?:19|20|21)\d\d\b|dòng \d+|[A-Z]+\d+/g, ''), what).not.toMatch(/\b\d{4,}\b/);
        // What the file itself wrote is quoted as written.
        if (!['invalid_period', 'period_not_found'].includes(i.code)) expect(i.message.replace(/"[^"]*"/g, ''), what).not.toMatch(/\b\d{4}-\d{2}\b/);
      }
    }
    const big = all.find((f) => f.name === 'big counts')!.issues.find((i) => i.code === 'total_row_mismatch')!;
    expect(big.message).toContain('1.000.227');
    const stale = all.find((f) => f.name === 'stale')!.issues[0];
    expect(stale.message).toContain('kỳ đang thu là 07/2022');
  });

  it('the text output: location in Vietnamese, the message, then "(mã lỗi: …)"', async () => {
    const r = await read(await readFile(new URL('bad-S05-2022-06-total-mismatch.xlsx', SAMPLES)));
    const lines = describeReading('bad.xlsx', r, registry);
    expect(lines[0]).toBe('✘ bad.xlsx: Sở Khoa học và Công nghệ (S05), kỳ 06/2022: bị từ chối (3 lỗi), không số liệu nào được ghi nhận');
    expect(lines).toContain('    Lỗi (trang tính "Biểu 06a", ô D13): Dòng "Tổng cộng" ghi 999.999 ở cột "Số hồ sơ nhận giải quyết / Trực tuyến" nhưng cộng các dòng số liệu được 200. (mã lỗi: total_row_mismatch)');
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {4}(Lỗi|Lưu ý)( \(trang tính "[^"]+"(, ô [A-Z]+\d+|, dòng \d+)?\)| \((ô [A-Z]+\d+|dòng \d+)\))?: [^_]+ \(mã (lỗi|lưu ý): [a-z_0-9]+\)$/);
  });

  it('a warning ends with "(mã lưu ý: …)"', async () => {
    const r = await read(await official(), { now: new Date('2022-07-20T03:00:00Z') });
    const lines = describeReading('a.xlsx', r, registry);
    expect(lines.at(-1)).toMatch(/^ {4}Lưu ý \(trang tính "Biểu 06a", ô A6\): Tệp ghi kỳ 06\/2022; kỳ đang thu là 07\/2022\. .* \(mã lưu ý: period_not_current\)$/);
  });

  it('a unit merged away: periods in the message as MM/YYYY', async () => {
    const plan = PlanConfig.withLoaded([{ ...registry.get('X001')!, validFrom: '2000-01', validTo: '2022-05', mergedInto: 'X002' }], []);
    const r = await read(await official(), { units: plan, uploader: 'X001' });
    expect(r.errors[0].code).toBe('unit_retired');
    expect(r.errors[0].message).toContain('từ sau kỳ 05/2022: báo cáo kỳ 06/2022 do X002 gửi');
  });
});
