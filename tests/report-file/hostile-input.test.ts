// Hostile content in otherwise well-formed files: counts without bounds, texts without
// bounds, control characters. Whatever the file holds, every count read is a safe integer
// within a plausible bound and every text the reader returns is short and clean.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { capText, MAX_QUOTED_CHARS } from '../../shared/report-file/file-issue.ts';
import { MAX_ROW_CELLS, MAX_ROW_TEXT, rowCells, rowText, type CellValue, type Sheet } from '../../shared/report-file/grid.ts';
import { MAX_COUNT, parseCount } from '../../shared/report-file/numbers.ts';
import type { SubmissionReading } from '../../shared/report-file/read-report.ts';
import { readTable } from '../../shared/report-file/table.ts';
import { presentCells } from '../../shared/report-file/xlsx.ts';
import { SAMPLES } from '../fixtures/samples.ts';
import { readTitle } from '../../shared/report-file/title.ts';
import {
  baseWorkbook, controlCharsCsv, csvRow, CSV_HEADER, EXCEL_MAX_TEXT, HUGE_COUNT, hugeCountCsv, hugeCountWorkbook, longFieldNameCsv, longNotesWorkbook,
  unboundedParts,
} from '../../scripts/generate/hostile.ts';
import { csv, expectRejected, read } from './helpers.ts';

/** Every text of a reading is bounded and clean; every count a safe integer within the bound. */
function expectBounded(r: SubmissionReading): void {
  expect(unboundedParts(r)).toEqual([]);
}

describe('what bounded means', () => {
  it('unboundedParts names a long or dirty message, a long field name, a count past the bound', () => {
    const issue = { code: 'x', sheet: null, row: null, column: null };
    const reading: SubmissionReading = {
      status: 'rejected', unit: null, period: null, layout: null, counts: null, procedures: [], warnings: [],
      errors: [{ ...issue, message: 'a'.repeat(501) }, { ...issue, message: 'bell\u0007' }],
      fields: [{ field: 'f'.repeat(201), sheet: null, row: 2, counts: { received_online: 1e308 } as SubmissionReading['fields'][number]['counts'] }],
    };
    expect(unboundedParts(reading)).toHaveLength(4);
  });
});

describe('counts without bounds', () => {
  it.each([
    [1e308, 'count_implausible'],
    [MAX_COUNT + 1, 'count_implausible'],
    [Number.MAX_SAFE_INTEGER + 2, 'count_implausible'],
    [HUGE_COUNT, 'count_implausible'],
    [`${HUGE_COUNT}${'0'.repeat(100)}`, 'count_implausible'], // Infinity once read as a number
    ['10.000.001', 'count_implausible'],
    [-1e308, 'negative_count'],
    [Number.NaN, 'invalid_number'],
  ] as Array<[number | string, string]>)('%s is refused (%s)', (input, code) => {
    expect(parseCount(input)).toMatchObject({ ok: false, code });
  });
  it('ten million is still a count', () => {
    expect(parseCount(MAX_COUNT)).toEqual({ ok: true, value: MAX_COUNT, blank: false });
    expect(parseCount('10.000.000')).toEqual({ ok: true, value: MAX_COUNT, blank: false });
  });

  it('a CSV with 10^308 typed in two rows is rejected cell by cell, never summed to Infinity', async () => {
    const r = await read(hugeCountCsv());
    expectRejected(r,
      { code: 'count_implausible', sheet: null, row: 2, column: 'D' }, { code: 'count_implausible', sheet: null, row: 2, column: 'J' },
      { code: 'count_implausible', sheet: null, row: 3, column: 'D' }, { code: 'count_implausible', sheet: null, row: 3, column: 'J' });
    const message = r.errors[0].message;
    expect(message).toContain('ô D2');
    expect(message).toContain(`"${HUGE_COUNT.slice(0, MAX_QUOTED_CHARS - 1)}…"`);
    expect(message).toContain('10.000.000');
    expectBounded(r);
  });

  it('a workbook cell holding the number 1e308 (or 10,000,001) is rejected, naming the cell and the value', async () => {
    const r = await read(await hugeCountWorkbook());
    expectRejected(r, { code: 'count_implausible', sheet: 'Biểu 06a', row: 12, column: 'D' }, { code: 'count_implausible', sheet: 'Biểu 06a', row: 12, column: 'E' });
    expect(r.errors.find((e) => e.column === 'D')!.message).toMatch(/ô D12 .*"1e\+308"/);
    expect(r.errors.find((e) => e.column === 'E')!.message).toContain('"10000001"');
    expectBounded(r);
  });

  it('a procedure count over the bound is refused too (the "Chi tiết TTHC" sheet)', async () => {
    const r = await read(await baseWorkbook({ procedures: [
      { code: '1.001', name: 'Cấp giấy phép kinh doanh', level: 'Toàn trình', online: 1e12, direct: 5, postal: 0 },
    ] }));
    expect(r.status).toBe('rejected');
    expect(r.errors.map((e) => e.code)).toContain('count_implausible');
    expectBounded(r);
  });
});

describe('texts without bounds', () => {
  it('capText: at most 200 characters, cut marked with "…", never inside a surrogate pair, no control characters', () => {
    expect(capText('Hộ tịch')).toBe('Hộ tịch');
    expect(capText('x'.repeat(200))).toBe('x'.repeat(200));
    expect(capText('x'.repeat(201))).toBe(`${'x'.repeat(199)}…`);
    const emoji = `${'x'.repeat(198)}😀😀`;
    expect(capText(emoji)).toBe(`${'x'.repeat(198)}…`);
    expect(capText('Hộ\u0000tịch\u0007\u001b\u0085')).toBe('Hộ tịch ');
  });

  it('capText: no character that breaks a workbook\'s XML (U+FFFE, U+FFFF, half a surrogate pair) or disguises a name (U+202E), no line break', () => {
    expect(capText('Đăng ký\uffff\ufffe khai sinh\ud800')).toBe('Đăng ký  khai sinh ');
    expect(capText('=HYPERLINK("x")\u202egnp.exe')).toBe('=HYPERLINK("x") gnp.exe');
    expect(capText('Sở A\r\nSubject: x')).toBe('Sở A Subject: x');
    expect(capText('Hộ tịch 😀')).toBe('Hộ tịch 😀'); // a whole pair stays
  });

  it('13 count cells holding 32,767-character notes (a 7 KB file): 13 short errors', async () => {
    const bytes = await longNotesWorkbook();
    expect(bytes.length).toBeLessThan(20_000);
    const r = await read(bytes);
    expectRejected(r, { code: 'invalid_number', sheet: 'Biểu 06a', row: 12, column: 'D' });
    expect(r.errors.filter((e) => e.code === 'invalid_number')).toHaveLength(13);
    for (const e of r.errors) {
      const quoted = /"([^"]*)"/.exec(e.message)![1];
      expect(quoted.length).toBe(MAX_QUOTED_CHARS);
      expect(quoted.endsWith('…')).toBe(true);
    }
    expectBounded(r);
    // What is stored and mailed stays small: nothing like 13 × 32,767 characters.
    expect(JSON.stringify(r).length).toBeLessThan(10_000);
    expect(EXCEL_MAX_TEXT).toBe(32_767);
  });

  it('a field name of 500,000 characters is kept as its first 200', async () => {
    const r = await read(longFieldNameCsv());
    expect(r.status).toBe('accepted');
    expect(r.fields[0].field).toHaveLength(MAX_QUOTED_CHARS);
    expect(r.fields[0].field.startsWith('Hộ tịch Hộ tịch')).toBe(true);
    expect(JSON.stringify(r).length).toBeLessThan(5_000);
    expectBounded(r);
  });

  it('a procedure name of 100,000 characters is kept as its first 200', async () => {
    const r = await read(await baseWorkbook({ procedures: [
      { code: '1.001', name: 'Cấp phép '.repeat(12_000), level: 'Toàn trình', online: 10, direct: 5, postal: 0 },
    ] }));
    expect(r.procedures[0].name).toHaveLength(MAX_QUOTED_CHARS);
    expectBounded(r);
  });

  it('a unit code or period of any length is quoted short', async () => {
    const r = await read(csv(`${CSV_HEADER}\n${csvRow('Hộ tịch').replace('H03', 'H'.repeat(100_000)).replace('2022-06', '9'.repeat(100_000))}\n`));
    expect(r.status).toBe('rejected');
    expect(r.errors.length).toBeGreaterThan(0);
    expectBounded(r);
  });

  it('NUL, BEL, ESC and C1 controls never reach a message or a field name', async () => {
    const r = await read(controlCharsCsv());
    // (Whether the CSV reader drops a NUL or keeps it, it never reaches the clerk.)
    expectRejected(r, { code: 'invalid_number', sheet: null, row: 122, column: 'F' });
    expect(r.errors.find((e) => e.column === 'F')!.message).toContain('"2 3"');
    expect(r.fields.find((f) => f.row === 122)!.field).toMatch(/^Hộ ?tịch \[31m$/);
    expectBounded(r);
  });
});

describe('cost follows the cells present, not the sheet\'s width', () => {
  const XFD = 16_384;
  /** The CSV template as a sheet, then `wide` rows holding one number in column XFD each; every
   * read of a row's cell by index is counted. */
  function wideSheet(wide: number): { sheet: Sheet; reads: () => number } {
    let reads = 0;
    const counted = (cells: CellValue[]) => new Proxy(cells, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const lines = [CSV_HEADER, csvRow('Hộ tịch'), csvRow('Đất đai')].map((l) => [null, ...l.split(',')]);
    const rows: Sheet['rows'] = [undefined, ...lines.map(counted)];
    for (let i = 0; i < wide; i++) {
      const cells: CellValue[] = [];
      cells[XFD] = 1;
      rows.push(counted(cells));
    }
    return { sheet: { name: '', rows }, reads: () => reads };
  }

  it('the table reader reads each row\'s cells, not its 16,384 columns', () => {
    const { sheet, reads } = wideSheet(2_000);
    const table = readTable(sheet)!;
    expect(table.dataRows.map((r) => r.label).slice(0, 2)).toEqual(['Hộ tịch', 'Đất đai']);
    // A few reads per cell present and per count column; walking the width would be 2,000 × 16,384.
    expect(reads()).toBeLessThan(2_000 * 100);
  });

  it('lines of 50,000 fields above the header: each scanned for at most 1,000 cells', () => {
    let reads = 0;
    const counted = (cells: CellValue[]) => new Proxy(cells, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const rows: Sheet['rows'] = [undefined];
    for (let i = 0; i < 45; i++) rows.push(counted([null, ...Array.from({ length: 50_000 }, () => 'x')]));
    for (const line of [CSV_HEADER, csvRow('Hộ tịch'), csvRow('Đất đai')]) rows.push([null, ...line.split(',')]);
    const sheet: Sheet = { name: '', rows };
    expect(readTable(sheet)!.dataRows.map((r) => r.label)).toEqual(['Hộ tịch', 'Đất đai']);
    expect(rowCells(sheet, 1)).toHaveLength(MAX_ROW_CELLS);
    // Scanning each wide line in full, a few times over, would be millions of reads.
    expect(reads).toBeLessThan(45 * MAX_ROW_CELLS * 10);
  });

  it('presentCells gives exactly the cells exceljs\'s eachRow/eachCell give (a sample with merged cells and a detail sheet)', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await readFile(new URL('06a-S01-2022-06.xlsx', SAMPLES)) as unknown as ArrayBuffer);
    for (const ws of wb.worksheets) {
      const viaApi: string[] = [];
      ws.eachRow({ includeEmpty: false }, (row, r) => row.eachCell({ includeEmpty: false }, (cell, c) => { viaApi.push(`${r}:${c}:${String(cell.value)}`); }));
      const ours = [...presentCells(ws)].map(({ row, col, cell }) => `${row}:${col}:${String(cell.value)}`);
      expect(ours.length).toBeGreaterThan(10);
      expect(ours).toEqual(viaApi);
    }
  });
});

describe('title lines of any length', () => {
  const spaced = `Đơn vị báo cáo: a${' '.repeat(32_000)}b`;

  it('a row\'s text has its whitespace runs collapsed and is at most 1,000 characters', () => {
    const sheet: Sheet = { name: 'x', rows: [undefined, [null, spaced, 'x'.repeat(5_000)]] };
    const text = rowText(sheet, 1);
    expect(text.length).toBeLessThanOrEqual(MAX_ROW_TEXT);
    expect(text).not.toMatch(/\s\s/);
    expect(text.startsWith('Đơn vị báo cáo: a')).toBe(true);
  });

  it('99 title lines of 32,000 spaces (quadratic backtracking in the unit-name pattern) are read at once', () => {
    const rows: Sheet['rows'] = [undefined];
    for (let r = 1; r <= 99; r++) rows.push([null, spaced]);
    const title = readTitle({ name: 'x', rows }, 99);
    expect(title.unitName?.value).toBe('a');
  });
});

// The large files' verdicts (4.5 MB lines, 25,000 and 95,000 rows in XFD, 4 MB of title
// spaces, 392,000 bad cells, 160,000 failed sums) are checked in hostile-corpus.test.ts, on
// its one reading of the same generated files.
