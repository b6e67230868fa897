// The zip guard against workbooks built to get past it: parts exceljs loads under names a
// guard might not expect, zips JSZip reads differently from a naive reader, and small parts
// that make exceljs build billions of objects (merged ranges, validations, columns, defined
// names, shared strings). Each is checked against the real exceljs: what it parses, the guard
// measures.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ZIP_LIMITS, exceljsPartKind, inspectXlsxZip, listZipEntries, rangeArea, type ZipLimits } from '../../shared/report-file/zip-guard.ts';
import {
  baseWorkbook, cellsSheetXml, columnsBomb, definedNameBomb, hiddenSheetWorkbook, manyMerges, manySheets, mergeBomb, sharedStringsBomb, unicodePathWorkbook,
  validationBomb, withParts, withSheet,
} from '../../scripts/generate/hostile.ts';
import { expectRejected, read } from './helpers.ts';

const TOO_LARGE = { code: 'xlsx_too_large', sheet: null, row: null, column: null };
const CORRUPT = { code: 'xlsx_corrupt', sheet: null, row: null, column: null };
const limits = (l: Partial<ZipLimits>): ZipLimits => ({ ...DEFAULT_ZIP_LIMITS, ...l });

/** Whether exceljs parses a part of this name: a malformed XML part under it makes load throw. */
async function exceljsParses(name: string): Promise<boolean> {
  const bytes = await withParts([{ name, content: '<?xml version="1.0"?><worksheet><sheetData></row></worksheet>' }]);
  try {
    await new ExcelJS.Workbook().xlsx.load(bytes as unknown as ArrayBuffer);
    return false;
  } catch {
    return true;
  }
}

const PARSED_KINDS = new Set(['workbook', 'sharedStrings', 'styles', 'worksheet', 'comments', 'drawing', 'vmlDrawing', 'table', 'rels', 'docProps']);

describe('the parts exceljs loads are the parts the guard measures', () => {
  const names = [
    'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet1.xmlz', 'foo/xl/worksheets/sheet2.xml', '/xl/worksheets/sheet3.xml',
    'xl/worksheets/sheet2.xml.bak', 'xl/worksheets/Sheet2.xml', 'xl/worksheets/data.xml', 'XL/worksheets/sheet2.xml',
    'xl/comments1.xml', 'a/xl/comments12.xmlx', 'xl/commentsA.xml', 'xl/drawings/drawing1.xml', 'xl/drawings/vmlDrawing1.vml',
    'xl/tables/table1.xml', 'xl/worksheets/_rels/sheet1.xml.rels', 'xl/drawings/_rels/drawing1.xml.rels',
    'docProps/custom.xml', 'customXml/item1.xml', 'xl/calcChain.xml', 'xl/printerSettings/printerSettings1.bin',
  ];
  it.each(names)('%s', async (name) => {
    expect(PARSED_KINDS.has(exceljsPartKind(name))).toBe(await exceljsParses(name));
  });

  it.each(['xl/worksheets/sheet1.xmlz', 'foo/xl/worksheets/sheet2.xml', '/xl/worksheets/sheet3.xml', 'xl/worksheets/sheet2.xml.bak'])(
    'a worksheet of too many cells stored as %s is refused before exceljs sees it', async (name) => {
      const bytes = await hiddenSheetWorkbook(name, 2_000);
      expectRejected(await read(bytes, { zipLimits: limits({ maxCells: 1_000 }) }), TOO_LARGE);
      // The same under a limit it fits: the hidden part is loaded and ignored, the form is read.
      expect((await read(bytes, { zipLimits: limits({ maxCells: 5_000 }) })).status).toBe('accepted');
    });

  it('a part named by a Unicode Path extra field is read under that name, as JSZip does', async () => {
    const probe = await unicodePathWorkbook('xl/worksheets/sheet2.xml', '<worksheet><sheetData></row></worksheet>');
    expect(listZipEntries(probe).map((e) => e.name)).toContain('xl/worksheets/sheet2.xml');
    await expect(new ExcelJS.Workbook().xlsx.load(probe as unknown as ArrayBuffer)).rejects.toThrow(); // exceljs parses it
    const bytes = await unicodePathWorkbook('xl/worksheets/sheet2.xml', cellsSheetXml(2_000));
    expectRejected(await read(bytes, { zipLimits: limits({ maxCells: 1_000 }) }), TOO_LARGE);
  });

  it('central directory records past the declared count (JSZip reads them all) make the zip corrupt', async () => {
    const bytes = await baseWorkbook();
    const eocd = bytes.length - 22;
    const count = bytes.readUInt16LE(eocd + 10);
    bytes.writeUInt16LE(count - 1, eocd + 8);
    bytes.writeUInt16LE(count - 1, eocd + 10);
    expectRejected(await read(bytes), CORRUPT);
  });

  it('bytes before the zip (JSZip shifts every offset, and may read another directory) make it corrupt', async () => {
    const bytes = Buffer.concat([Buffer.from('PK\u0003\u0004 prepended '), await baseWorkbook()]);
    await new ExcelJS.Workbook().xlsx.load(bytes as unknown as ArrayBuffer); // exceljs reads it
    expectRejected(await read(bytes), CORRUPT);
  });
});

describe('small parts, huge cost', () => {
  it('rangeArea counts what exceljs loops over', () => {
    expect(rangeArea('A1')).toBe(1);
    expect(rangeArea('A1:O1')).toBe(15);
    expect(rangeArea('$B$2:$C$3')).toBe(4);
    expect(rangeArea("'Biểu 06a'!$A$1:$XFD$1048576")).toBe(16_384 * 1_048_576);
    expect(rangeArea('C3:A1')).toBe(9);
  });

  it.each([
    ['a merged range over the whole sheet', mergeBomb],
    ['a data validation over the whole sheet', validationBomb],
    ['a defined name over the whole sheet', definedNameBomb],
    ['a <col> up to column 2,000,000,000', columnsBomb],
    ['20,000 merged ranges (each checked against all before it)', () => manyMerges(20_000)],
    ['1,500 worksheets as wide as Excel allows (16,384 column objects each)', () => manySheets(1_500)],
  ])('%s: refused before exceljs sees it (alone, it runs for seconds to minutes, up to past 1 GB)', async (_, build) => {
    const bytes = await build();
    expect(bytes.length).toBeLessThan(600_000);
    expectRejected(await read(bytes), TOO_LARGE);
  });

  it('the same features at a form\'s scale are fine: merges, a validation over the table, a print area', async () => {
    expect((await read(await definedNameBomb("'Biểu 06a'!$A$1:$O$30"))).status).toBe('accepted');
    expect((await read(await validationBomb('C12:O20'))).status).toBe('accepted');
    expect((await read(await columnsBomb(16_384))).status).toBe('accepted');
    expect((await read(await manyMerges(100))).status).toBe('accepted');
    expect((await read(await manySheets(20))).status).toBe('accepted');
  });

  it('a shared-strings bomb (3.7 million strings in a 155 KB file) is refused before anything is inflated', async () => {
    const bytes = await sharedStringsBomb(3_700_000);
    expect(bytes.length).toBeLessThan(200_000);
    expectRejected(await read(bytes), TOO_LARGE);
    // Smaller, within the workbook's size limit: refused from the part's declared size.
    expect(inspectXlsxZip(await sharedStringsBomb(1_000_000))).toMatchObject({ ok: false, reason: 'too_large', detail: expect.stringContaining('shared strings') });
  });

  it('shared strings are counted (<si>), with any namespace prefix', async () => {
    const bytes = await sharedStringsBomb(5_000);
    expect(inspectXlsxZip(bytes, limits({ maxSharedStrings: 4_000 }))).toMatchObject({ ok: false, reason: 'too_many_cells' });
    expectRejected(await read(bytes, { zipLimits: limits({ maxSharedStrings: 4_000 }) }), TOO_LARGE);
    expect(inspectXlsxZip(bytes, limits({ maxSharedStrings: 6_000 })).ok).toBe(true);
    const prefixed = await withParts([{ name: 'xl/sharedStrings.xml', content: `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<x:si><x:t>a</x:t></x:si>'.repeat(5_000)}</x:sst>` }]);
    expect(inspectXlsxZip(prefixed, limits({ maxSharedStrings: 4_000 }))).toMatchObject({ ok: false, reason: 'too_many_cells' });
  });

  it('every part exceljs parses counts toward the element limit (styles here)', async () => {
    const bytes = await withSheet((xml) => xml); // the plain form
    const elements = (l: number) => inspectXlsxZip(bytes, limits({ maxElements: l }));
    expect(elements(200)).toMatchObject({ ok: false, reason: 'too_many_cells' });
    expect(elements(100_000).ok).toBe(true);
  });
});
