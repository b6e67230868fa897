// Decoding: what a clerk hears when the bytes themselves are the problem (a quote left open,
// a CSV saved as UTF-16, a workbook with a password, stray NUL bytes), and the CSV reader's
// own contract (quotes, separators, BOM, line bound).
import { describe, expect, it } from 'vitest';
import { MAX_CSV_ROWS } from '../../shared/report-file/read-report.ts';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { MAX_FIELDS, parseCsv, recordDelimiterOf, TooManyRecords, UnterminatedQuote, type Separator } from '../../shared/csv.ts';
import { decodeFile } from '../../shared/report-file/decode-file.ts';
import { cellAt, MAX_CELL_TEXT } from '../../shared/report-file/grid.ts';
import { longSharedStringWorkbook } from '../../scripts/generate/hostile.ts';
import { readRegistryFile } from '../../shared/config/config-files.ts';
import { csv, expectRejected, read, TOTALS } from './helpers.ts';

const HEADER = 'unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal';
const ROW_1 = 'H03,2022-06,Hộ tịch,1234,2345,12,300,1500,1800,91,450,50,7';
const ROW_2 = 'H03,2022-06,Công chứng,0,56,0,4,20,30,0,10,0,0';
const ROW_3 = 'H03,2022-06,Đất đai,15,1020,3,1002,1000,540,100,380,20,2';

describe('a quote left open', () => {
  it('is its own error, naming the line where the quote opens (not "no data rows" + "period not found")', async () => {
    const r = await read(csv(`${HEADER}\n${ROW_1}\nH03,2022-06,"Công chứng,0,56,0,4,20,30,0,10,0,0\n${ROW_3}\n`));
    expectRejected(r, { code: 'csv_unterminated_quote', sheet: null, row: 3, column: null });
    expect(r.errors.map((e) => e.code)).toEqual(['csv_unterminated_quote']);
    expect(r.errors[0].message).toContain('dòng 3');
    expect(r.errors[0].message).toContain('"');
  });

  it('the line counts the lines of a quoted field that spans lines before it', async () => {
    const r = await read(csv(`${HEADER}\nH03,2022-06,"Hộ\ntịch",1,2,0,0,1,1,0,1,0,0\n"Đất đai,1,2,0,0,1,1,0,1,0,0\n`));
    expectRejected(r, { code: 'csv_unterminated_quote', sheet: null, row: 4, column: null });
  });

  it('a registry file with a quote left open is refused the same way, nothing loaded', async () => {
    const r = await readRegistryFile(Buffer.from('code,level,name,valid_from\nX900,commune,"Xã Mới,2025-07\nX901,commune,Xã Khác,2025-07\n'));
    expect(r.rows).toEqual([]);
    expect(r.errors.map(({ code, row }) => ({ code, row }))).toEqual([{ code: 'csv_unterminated_quote', row: 2 }]);
  });

  it('parseCsv throws UnterminatedQuote with the line', () => {
    expect(() => parseCsv('a,b\n"c,d\ne,f\n')).toThrow(UnterminatedQuote);
    try { parseCsv('a,b\nc,d\n\n"e,f\n'); } catch (e) { expect((e as UnterminatedQuote).line).toBe(4); }
  });
});

describe('a CSV saved as UTF-16', () => {
  const text = `${HEADER}\r\n${ROW_1}\r\n`;
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  const bom = (b: Buffer, mark: number[]) => Buffer.concat([Buffer.from(mark), b]);

  it.each([
    ['little endian, no BOM', le],
    ['big endian, no BOM', be],
    ['little endian with BOM', bom(le, [0xff, 0xfe])],
    ['big endian with BOM', bom(be, [0xfe, 0xff])],
  ])('%s: told to save as "CSV UTF-8" (csv_not_utf8), not "unknown file type"', async (_, bytes) => {
    const r = await read(bytes);
    expectRejected(r, { code: 'csv_not_utf8', sheet: null, row: null, column: null });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toContain('CSV UTF-8');
    expect(r.errors[0].message).not.toContain('Không nhận dạng');
  });

  it('binary with NUL bytes is still an unknown type', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    expectRejected(await read(bytes), { code: 'unsupported_type', sheet: null, row: null, column: null });
  });
});

/** A compound file (OLE/CFB, 512-byte sectors) holding empty streams of these names:
 * the container Office puts a password-protected .xlsx in. */
function compoundFile(streams: string[]): Buffer {
  const sector = 512;
  const header = Buffer.alloc(sector, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e); // 512-byte sectors
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // one FAT sector
  header.writeUInt32LE(1, 0x30); // directory in sector 1
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(0xfffffffe, 0x3c);
  header.writeUInt32LE(0xfffffffe, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4);
  const fat = Buffer.alloc(sector, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0); // sector 0 is the FAT
  fat.writeUInt32LE(0xfffffffe, 4); // the directory is one sector
  const dir = Buffer.alloc(sector, 0);
  ['Root Entry', ...streams].slice(0, 4).forEach((name, i) => {
    const at = i * 128;
    dir.write(name, at, 'utf16le');
    dir.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    dir[at + 0x42] = i === 0 ? 5 : 2;
    dir.writeUInt32LE(0xffffffff, at + 0x44);
    dir.writeUInt32LE(0xffffffff, at + 0x48);
    dir.writeUInt32LE(0xffffffff, at + 0x4c);
    dir.writeUInt32LE(0xfffffffe, at + 0x74);
  });
  return Buffer.concat([header, fat, dir]);
}

describe('a workbook with a password', () => {
  it('is told to remove the password (file_encrypted), not to "Save As" .xlsx', async () => {
    const r = await read(compoundFile(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']));
    expectRejected(r, { code: 'file_encrypted', sheet: null, row: null, column: null });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toMatch(/^Tệp Excel có đặt mật khẩu: gỡ mật khẩu/);
    expect(r.errors[0].message).not.toContain('97-2003');
  });

  it('an Excel 97-2003 file is still told to save as .xlsx', async () => {
    const r = await read(compoundFile(['Workbook', '\u0005SummaryInformation']));
    expectRejected(r, { code: 'unsupported_type', sheet: null, row: null, column: null });
    expect(r.errors[0].message).toContain('97-2003');
  });

  it('a compound file whose directory points outside it is an .xls, not a crash', async () => {
    const bytes = compoundFile(['EncryptionInfo']);
    bytes.writeUInt32LE(0x7ffffff0, 0x30);
    expectRejected(await read(bytes), { code: 'unsupported_type', sheet: null, row: null, column: null });
  });
});

describe('NUL bytes', () => {
  it('are stripped from field names and never reach a message', async () => {
    // The second row's received_total is off, so its label is quoted in a message.
    const header = `${HEADER},received_total`;
    const r = await read(csv(`${header}\n${ROW_1},3891\nH03,2022-06,Công\u0000 chứng,0,56,0,4,20,30,0,10,0,0,61\n`));
    expect(r.fields.map((f) => f.field)).toEqual(['Hộ tịch', 'Công chứng']);
    expect(r.errors.map((e) => e.code)).toEqual(['received_total_mismatch']);
    for (const i of [...r.errors, ...r.warnings]) expect(i.message).not.toContain('\u0000');
    expect(r.errors[0].message).toContain('Công chứng');
  });

  it('a CSV with a NUL is read, with its counts', async () => {
    const r = await read(csv(`${HEADER}\n${ROW_1}\n${ROW_2.replace('Công', 'Công\u0000')}\n${ROW_3}\n`));
    expect(r.errors).toEqual([]);
    expect(r.counts).toEqual(TOTALS);
  });
});

describe('the CSV reader (csv-parse)', () => {
  it('quoted fields keep separators, line breaks and doubled quotes', () => {
    expect(parseCsv('a,"b,c","d\r\ne","f ""g"""\r\n1,2,3,4\r\n')).toEqual([['a', 'b,c', 'd\r\ne', 'f "g"'], ['1', '2', '3', '4']]);
  });
  it('";" is detected from the header line; "," on a tie', () => {
    expect(parseCsv('a;b;c\n1,5;2;3\n')).toEqual([['a', 'b', 'c'], ['1,5', '2', '3']]);
    expect(parseCsv('a\n1;2\n')).toEqual([['a'], ['1;2']]);
  });
  it('a BOM is not part of the first header', () => {
    expect(parseCsv('\uFEFFa,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
  });
  it('an empty line inside is a record (record n is line n); a trailing line break adds none', () => {
    expect(parseCsv('a,b\n\n1,2\n')).toEqual([['a', 'b'], [''], ['1', '2']]);
  });
  it('rows may be shorter or longer than the header', () => {
    expect(parseCsv('a,b,c\n1\n1,2,3,4\n')).toEqual([['a', 'b', 'c'], ['1'], ['1', '2', '3', '4']]);
  });
  it(`refuses more than ${MAX_CSV_ROWS.toLocaleString('en')} lines before building any row; that many is fine`, () => {
    expect(parseCsv('a\n'.repeat(MAX_CSV_ROWS), ',', MAX_CSV_ROWS)).toHaveLength(MAX_CSV_ROWS);
    expect(() => parseCsv('a\n'.repeat(MAX_CSV_ROWS + 1), ',', MAX_CSV_ROWS)).toThrow(TooManyRecords);
    // An unterminated quote past the bound: the bound is decided first, from the line breaks alone.
    expect(() => parseCsv(`"${'a\n'.repeat(MAX_CSV_ROWS + 1)}`, ',', MAX_CSV_ROWS)).toThrow(TooManyRecords);
  });
  it('the line break it is given is the one csv-parse would discover: the same records or the same error, whatever the quotes and breaks', () => {
    // Texts made of the pieces that decide it: separators, quotes (doubled or not), every kind of line break, a BOM.
    const piece = fc.constantFrom('a', 'b', ',', ';', '"', '""', '\r', '\n', '\r\n', ' ');
    const text = fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 30 })).map(([bom, pieces]) => (bom ? '\uFEFF' : '') + pieces.join(''));
    const outcome = (t: string, separator: Separator, recordDelimiter?: string) => {
      try {
        return parse(t, { delimiter: separator, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, ...(recordDelimiter ? { record_delimiter: recordDelimiter } : {}) });
      } catch (e) {
        return { error: (e as { code?: string }).code };
      }
    };
    fc.assert(fc.property(text, fc.constantFrom<Separator>(',', ';'), (t, separator) => {
      expect(outcome(t, separator, recordDelimiterOf(t, separator) ?? '\n')).toEqual(outcome(t, separator));
    }), { numRuns: 3000 });
  });
});

describe('cell texts and line widths, bounded as Excel bounds them', () => {
  it('a CSV field is cut at 32,767 characters; a line keeps its first 16,384 fields', async () => {
    const wide = Array.from({ length: MAX_FIELDS + 50 }, (_, i) => `c${i + 1}`).join(',');
    const decoded = await decodeFile(csv(`${'x'.repeat(40_000)},b\n${wide}\n`));
    if (!decoded.ok) throw new Error('not decoded');
    const [sheet] = decoded.sheets;
    expect(cellAt(sheet, 1, 1)).toBe('x'.repeat(MAX_CELL_TEXT));
    expect(cellAt(sheet, 1, 2)).toBe('b');
    expect(sheet.rows[2]).toHaveLength(MAX_FIELDS + 1); // 1-based: column 0 is empty
    expect(cellAt(sheet, 2, MAX_FIELDS)).toBe(`c${MAX_FIELDS}`);
  });

  it('a workbook\'s rich text of 7 million characters in 400 cells: each cell holds its first 32,767', async () => {
    const decoded = await decodeFile(await longSharedStringWorkbook(7_000_000, true, [200], 400));
    if (!decoded.ok) throw new Error('not decoded');
    const form = decoded.sheets[0];
    const cells = form.rows[200]!.filter((v) => v !== undefined);
    expect(cells).toHaveLength(400);
    expect(cells.every((v) => v === 'a'.repeat(MAX_CELL_TEXT))).toBe(true);
  });
});
