// What the reader refuses before reading: the file type by content (not by name), the size
// limit, zip bombs (honest and lying), and sheets with absurd cell counts. Every hostile file
// is built here, in memory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInflateRaw } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ZIP_LIMITS, listZipEntries } from '../../shared/report-file/zip-guard.ts';
import { bombWorkbook as bomb, deflatedPart, partsOf, storedPart, zip, SHEET_PART } from '../../scripts/generate/zip-bomb.ts';
import { MAX_SUBMISSION_BYTES } from '../../shared/report-file/read-report.ts';
import { makeRng, writeReport } from '../../scripts/generate/report-files.ts';
import { tthcOk } from '../fixtures/tthc.ts';
import { csv, expectAccepted, expectRejected, makeSpec, read, TOTALS } from './helpers.ts';

const MB = 1024 * 1024;
const bombWorkbook = async (copies: number, declaredSize?: number) => bomb(await writeReport(makeSpec()), copies, declaredSize);

/** Inflated length of one part, streamed (never held in memory). */
async function inflatedLength(xlsx: Buffer, name: string): Promise<number> {
  const e = listZipEntries(xlsx).find((x) => x.name === name)!;
  const p = e.localHeaderOffset;
  const start = p + 30 + xlsx.readUInt16LE(p + 26) + xlsx.readUInt16LE(p + 28);
  const inflate = createInflateRaw();
  let n = 0;
  inflate.on('data', (d: Buffer) => { n += d.length; });
  const done = new Promise((resolve, reject) => { inflate.on('end', resolve); inflate.on('error', reject); });
  inflate.end(xlsx.subarray(start, start + e.compressedSize));
  await done;
  return n;
}

/** Runs `fn` and reports how long it took and how much the process's memory grew. */
// Memory only: how fast the refusal is belongs to `npm run bench`, not to a test.
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; rssGrowth: number; peakGrowth: number }> {
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  const peak0 = process.resourceUsage().maxRSS * 1024;
  const value = await fn();
  return { value, rssGrowth: process.memoryUsage().rss - rss0, peakGrowth: process.resourceUsage().maxRSS * 1024 - peak0 };
}

// The zip-bomb tests come first, while this worker's peak RSS is still low: growth of the
// peak is what shows a bomb was (or was not) inflated.
describe('zip bombs and absurd workbooks', () => {
  it('the zip writer makes valid workbooks: with no filler, the rebuilt form reads back exactly', async () => {
    const { bytes } = await bombWorkbook(0);
    expectAccepted(await read(bytes), { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
  });

  it('a 600 MiB sheet in a small .xlsx is rejected as xlsx_too_large without loading it', async () => {
    const { bytes, sheetSize } = await bombWorkbook(600);
    expect(sheetSize).toBeGreaterThan(600 * MB);
    expect(bytes.length).toBeLessThan(3 * MB);
    const { value: r, rssGrowth, peakGrowth } = await measured(() => read(bytes));
    expectRejected(r, { code: 'xlsx_too_large', sheet: null, row: null, column: null });
    expect(r.errors).toHaveLength(1);
    expect(rssGrowth).toBeLessThan(100 * MB);
    expect(peakGrowth).toBeLessThan(100 * MB);
  });

  it('a zip whose central directory lies (declares 40 KB, inflates to 600 MiB) is rejected without memory growth', async () => {
    const { bytes } = await bombWorkbook(600, 40_000);
    const { value: r, rssGrowth, peakGrowth } = await measured(() => read(bytes));
    expectRejected(r);
    expect(r.errors.map((e) => e.code)).toEqual([expect.stringMatching(/^xlsx_(corrupt|too_large)$/)]);
    expect(rssGrowth).toBeLessThan(100 * MB);
    expect(peakGrowth).toBeLessThan(100 * MB);
  });

  it('the bomb really is one: its sheet streams out to more than 600 MiB', async () => {
    const { bytes, sheetSize } = await bombWorkbook(600);
    expect(await inflatedLength(bytes, SHEET_PART)).toBe(sheetSize);
  });

  it('a sheet with more cells than the limit is rejected (xlsx_too_large) before it is parsed', async () => {
    const bytes = await writeReport(makeSpec());
    const small = { ...DEFAULT_ZIP_LIMITS, maxCells: 100 };
    expectRejected(await read(bytes, { zipLimits: small }), { code: 'xlsx_too_large', sheet: null, row: null, column: null });
    // The same file under a limit it fits: accepted.
    expectAccepted(await read(bytes, { zipLimits: { ...small, maxCells: 1000 } }), { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
  });

  it('a workbook of too many parts is rejected (xlsx_too_large)', async () => {
    const bytes = await writeReport(makeSpec());
    const r = await read(bytes, { zipLimits: { ...DEFAULT_ZIP_LIMITS, maxEntries: 3 } });
    expectRejected(r, { code: 'xlsx_too_large', sheet: null, row: null, column: null });
  });

  // The cell count must see every way XML can write a cell: a line break after the name,
  // a namespace prefix, or rows with no cells at all.
  const rewriteSheet = async (edit: (xml: string) => string) => {
    const parts = partsOf(await writeReport(makeSpec()));
    return zip(parts.map((p) => deflatedPart(p.name, p.name === SHEET_PART ? edit(p.content.toString('utf8')) : p.content)));
  };
  it('cells written as <c\n r="…"> still count', async () => {
    const bytes = await rewriteSheet((xml) => xml.replace(/<c /g, '<c\n'));
    expectRejected(await read(bytes, { zipLimits: { ...DEFAULT_ZIP_LIMITS, maxCells: 100 } }), { code: 'xlsx_too_large', sheet: null, row: null, column: null });
    expect((await read(bytes)).status).toBe('accepted'); // and the file itself is fine
  });
  it('cells written with a namespace prefix (<x:c>) still count', async () => {
    const bytes = await rewriteSheet((xml) => xml.replace('<worksheet ', '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')
      .replace(/<(\/?)(sheetData|row|c|v|is|t|f)([\s>/])/g, '<$1x:$2$3'));
    expectRejected(await read(bytes, { zipLimits: { ...DEFAULT_ZIP_LIMITS, maxCells: 100 } }), { code: 'xlsx_too_large', sheet: null, row: null, column: null });
  });
  it('a flood of empty rows is refused too', async () => {
    const bytes = await rewriteSheet((xml) => xml.replace('</sheetData>', `${Array.from({ length: 2000 }, (_, i) => `<row r="${1000 + i}"/>`).join('')}</sheetData>`));
    expectRejected(await read(bytes, { zipLimits: { ...DEFAULT_ZIP_LIMITS, maxRows: 1000 } }), { code: 'xlsx_too_large', sheet: null, row: null, column: null });
  });

  it('a part whose deflate data is damaged is xlsx_corrupt', async () => {
    const parts = partsOf(await writeReport(makeSpec()));
    const zipped = parts.map((p) => deflatedPart(p.name, p.content));
    const sheet = zipped.find((p) => p.name === SHEET_PART)!;
    sheet.data = Buffer.from(sheet.data);
    for (let i = 10; i < sheet.data.length; i += 7) sheet.data[i] ^= 0x5a;
    const r = await read(zip(zipped));
    expectRejected(r, { code: 'xlsx_corrupt', sheet: null, row: null, column: null });
  });

  it('a workbook cut off in the upload is rejected as damaged, not as the wrong type', async () => {
    const bytes = await writeReport(makeSpec());
    const r = await read(bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectRejected(r, { code: 'xlsx_corrupt', sheet: null, row: null, column: null });
  });
});

describe('file type by content', () => {
  const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  const typeError = { code: 'unsupported_type', sheet: null, row: null, column: null };

  it('an .xls (OLE2 compound file), whatever its name', async () => {
    const r = await read(Buffer.concat([OLE2, Buffer.alloc(4096, 0)]));
    expectRejected(r, typeError);
    expect(r.errors[0].message).toContain('.xls');
    expect(r.errors[0].message).toContain('.xlsx');
  });
  it('an .ods (OpenDocument zip)', async () => {
    const ods = zip([
      storedPart('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'),
      deflatedPart('content.xml', '<?xml version="1.0"?><office:document-content/>'),
      deflatedPart('META-INF/manifest.xml', '<manifest:manifest/>'),
    ]);
    const r = await read(ods);
    expectRejected(r, typeError);
    expect(r.errors[0].message).toContain('OpenDocument');
  });
  it('a Word document', async () => {
    const r = await read(zip([deflatedPart('[Content_Types].xml', '<Types/>'), deflatedPart('word/document.xml', '<w:document/>')]));
    expectRejected(r, typeError);
  });
  it('a zip of something else', async () => {
    const r = await read(zip([deflatedPart('bao-cao.csv', 'unit_code,period\n')]));
    expectRejected(r, typeError);
  });
  it('a PDF', async () => {
    const r = await read(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 'latin1'));
    expectRejected(r, typeError);
    expect(r.errors[0].message).toContain('PDF');
  });
  it('random binary', async () => {
    const rng = makeRng('binary');
    const bytes = Buffer.from(Array.from({ length: 8192 }, () => rng.int(0, 255)));
    bytes[100] = 0;
    expectRejected(await read(bytes), typeError);
  });
  it('an empty file', async () => {
    expectRejected(await read(Buffer.alloc(0)), typeError);
  });
  it('a UTF-16 CSV (little and big endian)', async () => {
    const text = 'unit_code,period,field,received_online\r\nH03,2022-06,Hộ tịch,60\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const bytes of [le, be]) {
      const r = await read(bytes);
      expectRejected(r, { code: 'csv_not_utf8', sheet: null, row: null, column: null });
      expect(r.errors[0].message).toContain('UTF-16');
    }
  });
  it('a Windows-1258 (not UTF-8) CSV', async () => {
    // "Đất đai" in Windows-1258: Đ=D0, â=E2 + combining acute EC, đ=F0.
    const bytes = Buffer.concat([
      Buffer.from('unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue\r\nH03,2022-06,', 'latin1'),
      Buffer.from([0xd0, 0xe2, 0xec, 0x74, 0x20, 0xf0, 0x61, 0x69]),
      Buffer.from(',1,2,3,4,5,6,7,8\r\n', 'latin1'),
    ]);
    const r = await read(bytes);
    expectRejected(r, { code: 'csv_encoding', sheet: null, row: null, column: null });
    expect(r.errors[0].message).toContain('UTF-8');
  });

  describe('by content, not by name (tthc check)', () => {
    let dir = '';
    afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

    it('a CSV named .xlsx is read as CSV; a workbook named .csv as a workbook', async () => {
      dir = await mkdtemp(join(tmpdir(), 'tthc-defences-'));
      const csvAsXlsx = join(dir, 'bao-cao-thang-6.xlsx');
      const xlsxAsCsv = join(dir, 'bao-cao-thang-6.csv');
      await writeFile(csvAsXlsx, await writeReport(makeSpec({ layout: 'csv' })));
      await writeFile(xlsxAsCsv, await writeReport(makeSpec()));
      const { stdout } = await tthcOk(['check', '--json', csvAsXlsx, xlsxAsCsv], { home: dir });
      const [a, b] = stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(a).toMatchObject({ status: 'accepted', layout: 'csv', unit: 'S01', period: '2022-06', counts: TOTALS });
      expect(b).toMatchObject({ status: 'accepted', layout: '06a', unit: 'S01', period: '2022-06', counts: TOTALS });
    });
  });
});

describe('size limit', () => {
  const HEADER = 'unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,ghi_chu\n';
  const ROW = 'H03,2022-06,Hộ tịch,60,96,23,58,89,3,29,0,';
  /** A valid CSV whose (ignored) note column pads it to exactly `size` bytes. */
  const padded = (size: number) => {
    const body = Buffer.from(HEADER + ROW);
    return Buffer.concat([body, Buffer.alloc(size - body.length - 1, 'x'), Buffer.from('\n')]);
  };

  it('the limit is 5 MB', () => expect(MAX_SUBMISSION_BYTES).toBe(5 * MB));
  it('a file of exactly 5 MB is read', async () => {
    const r = await read(padded(5 * MB));
    expect(r.status).toBe('accepted');
    expect(r.counts?.received_online).toBe(60);
  });
  it('one byte more is rejected as file_too_large, before anything is parsed', async () => {
    const r = await read(padded(5 * MB + 1));
    expectRejected(r, { code: 'file_too_large', sheet: null, row: null, column: null });
    expect(r.errors).toHaveLength(1);
    // Not "5 MB, over 5 MB": a size that rounds to the limit is given in bytes (as the portal gives it).
    expect(r.errors[0].message).toBe('Tệp 5.242.881 byte, lớn hơn giới hạn 5 MB (5.242.880 byte).');
  });
  it('a CSV of millions of blank lines is refused quickly, not parsed line by line into memory', async () => {
    const bytes = Buffer.from(`${HEADER}${'\n'.repeat(5 * MB - HEADER.length - 1)}`);
    const r = await read(bytes);
    expectRejected(r, { code: 'csv_too_large', sheet: null, row: null, column: null });
  });
  it('the limit is an option', async () => {
    const bytes = csv(`${HEADER}${ROW}\n`);
    expectRejected(await read(bytes, { maxBytes: bytes.length - 1 }), { code: 'file_too_large', sheet: null, row: null, column: null });
    expect((await read(bytes, { maxBytes: bytes.length })).status).toBe('accepted');
  });
});
