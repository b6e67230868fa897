// Hostile and broken report files, for the tests and the benchmark (bench/hostile.ts): each
// is something an adversarial pass or a clumsy exporter produced, and each must get a clear
// verdict at a bounded cost. Workbooks are built from a valid form's parts with the small zip
// writer of zip-bomb.ts, so a part can be anything, under any name, of any size.
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { columnLetter, MAX_MESSAGE_CHARS, MAX_QUOTED_CHARS } from '../../shared/report-file/file-issue.ts';
import { MAX_COUNT } from '../../shared/report-file/numbers.ts';
import type { SubmissionReading } from '../../shared/report-file/read-report.ts';
import { writeReport, type ReportRow, type ReportSpec } from './report-files.ts';
import { bombWorkbook, deflatedPart, partsOf, zip, SHEET_PART, type Part } from './zip-bomb.ts';

export interface HostileFile {
  name: string;
  bytes: Buffer;
  /** The verdict a correct reader gives (code: one of the errors it reports). */
  expected: { status: 'accepted' | 'rejected'; code?: string };
}

const ROWS: ReportRow[] = [
  { field: 'Hộ tịch', counts: {
    received_online: 1234, received_direct: 2345, received_postal: 12, carried_over: 300,
    resolved_early: 1500, resolved_on_time: 1800, resolved_overdue: 91, pending_within: 450, pending_overdue: 50, returned_postal: 7 } },
  { field: 'Đất đai', counts: {
    received_online: 15, received_direct: 1020, received_postal: 3, carried_over: 1002,
    resolved_early: 1000, resolved_on_time: 540, resolved_overdue: 100, pending_within: 380, pending_overdue: 20, returned_postal: 2 } },
];

/** A valid Biểu 06a of Sở Công Thương (S01) for 2022-06, the base of the hostile workbooks. */
export const BASE_SPEC: ReportSpec = { unit: { code: 'S01', name: 'Sở Công Thương' }, period: '2022-06', rows: ROWS };

export function baseWorkbook(spec: Partial<ReportSpec> = {}): Promise<Buffer> {
  return writeReport({ ...BASE_SPEC, ...spec });
}

/** Loads a workbook, edits its form sheet as a clerk (or a script) would, saves it again. */
export async function editForm(bytes: Buffer, edit: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  edit(wb.worksheets[0]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The CSV template's header (Layout B) and a valid row of H03 for 2022-06. */
export const CSV_HEADER = 'unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue';
export const csvRow = (field: string, counts: Array<string | number> = [60, 96, 23, 58, 89, 3, 29, 0]) => `H03,2022-06,${field},${counts.join(',')}`;
const csvFile = (...lines: string[]) => Buffer.from(`${[CSV_HEADER, ...lines].join('\n')}\n`, 'utf8');

// ---------------------------------------------------------------------------------------------
// Counts without bounds

/** 10^308 typed in full: read as a number it is 1e308, twice is Infinity. */
export const HUGE_COUNT = `1${'0'.repeat(308)}`;

export function hugeCountCsv(): Buffer {
  return csvFile(csvRow('Hộ tịch', [HUGE_COUNT, 96, 23, 58, 89, 3, HUGE_COUNT, 0]), csvRow('Đất đai', [HUGE_COUNT, 96, 23, 58, 89, 3, HUGE_COUNT, 0]));
}

/** Numeric cells of 1e308 and 10,000,001 in the form's first field row. */
export async function hugeCountWorkbook(): Promise<Buffer> {
  return editForm(await baseWorkbook(), (ws) => {
    const { row, col } = fieldCell(ws, 'Hộ tịch');
    // The field's column, then "Tổng số", then the counts.
    row.getCell(col + 2).value = 1e308;
    row.getCell(col + 3).value = 10_000_001;
  });
}

function fieldCell(ws: ExcelJS.Worksheet, field: string): { row: ExcelJS.Row; col: number } {
  let found: { row: ExcelJS.Row; col: number } | undefined;
  ws.eachRow((row) => { row.eachCell((c, col) => { if (!found && c.value === field) found = { row, col }; }); });
  if (!found) throw new Error(`no row "${field}"`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Texts without bounds

const NOTE = 'Số liệu chưa đối chiếu với phần mềm một cửa, đề nghị xem lại. ';
/** Excel's longest cell text. */
export const EXCEL_MAX_TEXT = 32_767;

/** Every count cell of the first field row holds a 32,767-character note (a ~7 KB file). */
export async function longNotesWorkbook(): Promise<Buffer> {
  const note = NOTE.repeat(Math.ceil(EXCEL_MAX_TEXT / NOTE.length)).slice(0, EXCEL_MAX_TEXT);
  return editForm(await baseWorkbook(), (ws) => {
    fieldCell(ws, 'Hộ tịch').row.eachCell((c) => { if (typeof c.value === 'number') c.value = note; });
  });
}

/** A field name of 500,000 characters (otherwise a valid CSV). */
export function longFieldNameCsv(length = 500_000): Buffer {
  return csvFile(csvRow('Hộ tịch '.repeat(Math.ceil(length / 8)).slice(0, length)));
}

/** NUL, BEL, ESC and C1 controls in a field name and in count cells, past the first 4 KB (the
 * binary sniff) so the file is read as text. */
export function controlCharsCsv(): Buffer {
  const padding = Array.from({ length: 120 }, () => csvRow('Chứng thực'));
  return csvFile(...padding, csvRow('Hộ\u0000tịch\u0007\u001b[31m\u0085', ['6\u00000', 96, '2\u001b3', 58, 89, 3, 29, 0]));
}

// ---------------------------------------------------------------------------------------------
// Parts exceljs loads that a guard might not see, and parts whose cost is not their size

const WS_OPEN = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">';

/** A worksheet part of `cells` numeric cells, `perRow` to a row, as compact as Excel writes them. */
export function cellsSheetXml(cells: number, perRow = 64): Buffer {
  const chunks: string[] = [WS_OPEN, '<sheetData>'];
  const cols = Array.from({ length: perRow }, (_, i) => columnLetter(i + 1));
  for (let r = 1, left = cells; left > 0; r++) {
    const n = Math.min(perRow, left);
    let row = `<row r="${r}">`;
    for (let c = 0; c < n; c++) row += `<c r="${cols[c]}${r}"><v>${(r + c) % 10}</v></c>`;
    chunks.push(`${row}</row>`);
    left -= n;
  }
  chunks.push('</sheetData></worksheet>');
  return Buffer.from(chunks.join(''));
}

/** The base workbook with extra parts (or a part replaced, when the name exists). */
export async function withParts(extra: Array<{ name: string; content: Buffer | string } | Part>, base?: Buffer): Promise<Buffer> {
  const parts = partsOf(base ?? await baseWorkbook());
  const zipped: Part[] = parts.filter((p) => !extra.some((x) => x.name === p.name)).map((p) => deflatedPart(p.name, p.content));
  for (const x of extra) zipped.push('content' in x ? deflatedPart(x.name, x.content) : x);
  return zip(zipped);
}

/** A part as partsOf gives it, deflated again for zip(). */
export const deflatedPartOf = (p: { name: string; content: Buffer }): Part => deflatedPart(p.name, p.content);

/** The form's sheet XML, edited. */
export async function withSheet(edit: (xml: string) => string, base?: Buffer): Promise<Buffer> {
  const parts = partsOf(base ?? await baseWorkbook());
  const sheet = parts.find((p) => p.name === SHEET_PART)!;
  return withParts([{ name: SHEET_PART, content: edit(sheet.content.toString('utf8')) }], base);
}

/** A worksheet of `cells` cells under a name exceljs's unanchored pattern loads but that
 * `^xl/worksheets/[^/]+\.xml$` misses. */
export function hiddenSheetWorkbook(name: string, cells: number): Promise<Buffer> {
  return withParts([{ name, content: cellsSheetXml(cells) }]);
}

/** A part whose central directory name is harmless but whose Unicode Path extra field (read
 * by JSZip when the UTF-8 flag is off) names a worksheet. */
export async function unicodePathWorkbook(realName: string, content: Buffer | string | Part, shownName = 'docProps/custom.bin'): Promise<Buffer> {
  const raw = Buffer.from(shownName, 'latin1');
  const upath = Buffer.from(realName, 'utf8');
  const extra = Buffer.alloc(4 + 5 + upath.length);
  extra.writeUInt16LE(0x7075, 0);
  extra.writeUInt16LE(5 + upath.length, 2);
  extra.writeUInt8(1, 4);
  extra.writeUInt32LE(crc32(raw), 5);
  upath.copy(extra, 9);
  const part = typeof content === 'object' && 'data' in content ? { ...content, name: shownName } : deflatedPart(shownName, content);
  return withParts([{ ...part, extra, legacyName: true }]);
}

/** `rows` rows below the form, each with one cell in Excel's last column (XFD). */
export function wideRowsWorkbook(rows: number): Promise<Buffer> {
  let extra = '';
  for (let r = 0; r < rows; r++) extra += `<row r="${100 + r}"><c r="XFD${100 + r}"><v>1</v></c></row>`;
  return withSheet((xml) => xml.replace('</sheetData>', `${extra}</sheetData>`));
}

/** A shared-strings part of `count` one-letter strings (3.7 million in a 155 KB file). */
export function sharedStringsBomb(count: number): Promise<Buffer> {
  const open = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
  const si = '<si><t>a</t></si>';
  return withParts([{ name: 'xl/sharedStrings.xml', content: Buffer.concat([Buffer.from(open), Buffer.alloc(count * si.length, si), Buffer.from('</sst>')]) }]);
}

/** The form's own shared strings, then `count` more that no cell uses. */
export async function extraSharedStrings(count: number): Promise<Buffer> {
  const sst = partsOf(await baseWorkbook()).find((p) => p.name === 'xl/sharedStrings.xml')!.content.toString('utf8');
  return withParts([{ name: 'xl/sharedStrings.xml', content: sst.replace('</sst>', `${'<si><t>a</t></si>'.repeat(count)}</sst>`) }]);
}

/** One merged range, validated range or column range as large as the sheet: exceljs makes an
 * object for every cell (or column) of it. */
export function mergeBomb(ref = 'A30:XFD1048576'): Promise<Buffer> {
  return withSheet((xml) => xml.replace('</mergeCells>', `<mergeCell ref="${ref}"/></mergeCells>`));
}
export function validationBomb(sqref = 'A30:XFD1048576'): Promise<Buffer> {
  return withSheet((xml) => xml.replace('<pageMargins', `<dataValidations count="1"><dataValidation type="whole" sqref="${sqref}"><formula1>0</formula1></dataValidation></dataValidations><pageMargins`));
}
export function columnsBomb(max = 2_000_000_000): Promise<Buffer> {
  return withSheet((xml) => xml.replace('<sheetData>', `<cols><col min="1" max="${max}" width="9"/></cols><sheetData>`));
}
export async function definedNameBomb(range = "'Biểu 06a'!$A$30:$XFD$1048576"): Promise<Buffer> {
  const parts = partsOf(await baseWorkbook());
  const wb = parts.find((p) => p.name === 'xl/workbook.xml')!.content.toString('utf8');
  return withParts([{ name: 'xl/workbook.xml', content: wb.replace('</sheets>', `</sheets><definedNames><definedName name="vung_so_lieu">${range}</definedName></definedNames>`) }]);
}
/** `count` small worksheets, each as wide as Excel allows: exceljs makes 16,384 column objects for each. */
export function manySheets(count: number): Promise<Buffer> {
  const sheet = `${WS_OPEN}<cols><col min="1" max="16384" width="9"/></cols><sheetData><row r="1"><c r="XFD1"><v>1</v></c></row></sheetData></worksheet>`;
  return withParts(Array.from({ length: count }, (_, i) => ({ name: `xl/worksheets/sheet${i + 2}.xml`, content: sheet })));
}

/** Many small merged ranges: exceljs checks each against all the ones before it. */
export function manyMerges(count: number): Promise<Buffer> {
  let merges = '';
  for (let i = 0; i < count; i++) merges += `<mergeCell ref="${columnLetter(20 + (i % 1000) * 2)}${100 + Math.floor(i / 1000)}:${columnLetter(21 + (i % 1000) * 2)}${100 + Math.floor(i / 1000)}"/>`;
  return withSheet((xml) => xml.replace('</mergeCells>', `${merges}</mergeCells>`));
}

/** A title line "Đơn vị báo cáo: a", a run of `spaces` spaces, then "b": a lazy pattern
 * followed by `\s*$` backtracks quadratically over such a run. */
export function spacedTitleCsv(spaces = 4_000_000): Buffer {
  return Buffer.concat([Buffer.from('Đơn vị báo cáo: a'), Buffer.alloc(spaces, ' '), Buffer.from('b\n'), csvFile(csvRow('Hộ tịch'))]);
}
export async function spacedTitleWorkbook(spaces = EXCEL_MAX_TEXT - 20): Promise<Buffer> {
  return editForm(await baseWorkbook(), (ws) => {
    for (let r = 1; r <= 7; r++) if (typeof ws.getCell(r, 1).value === 'string') ws.getCell(r, 1).value = `Đơn vị báo cáo: a${' '.repeat(spaces)}b`;
  });
}

/** Lines of `fields` fields each (a 4.5 MB CSV): before the header, or as the data rows. */
export function wideLinesCsv(where: 'title' | 'data', lines = 45, fields = 50_000): Buffer {
  // Each data line its own field: the same field twice is a repeated row (duplicate_row).
  const wide = Array.from({ length: lines }, (_, i) => (where === 'data' ? csvRow(`Lĩnh vực ${i + 1}`) + ',x'.repeat(fields) : 'x,'.repeat(fields)));
  return Buffer.from(`${(where === 'data' ? [CSV_HEADER, ...wide] : [...wide, CSV_HEADER, csvRow('Hộ tịch')]).join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// One long text in many cells: a shared string (or a merge) puts it in any number of cells, and
// Excel writes no cell text over 32,767 characters, so a longer one comes from a forger

/** The index the next shared string gets, and the shared strings part with `si` added there. */
function withSharedString(sst: string, si: string): { index: number; sst: string } {
  return { index: (sst.match(/<si[ >]/g) ?? []).length, sst: sst.replace('</sst>', `${si}</sst>`) };
}

/** The form with one more shared string, `length` letters (rich text: two runs), in `perRow`
 * cells from column P of each of `rows` (rows the form has keep their cells). */
export async function longSharedStringWorkbook(length: number, rich: boolean, rows: number[], perRow: number): Promise<Buffer> {
  const base = await baseWorkbook();
  const parts = partsOf(base);
  const text = 'a'.repeat(length);
  const { index, sst } = withSharedString(parts.find((p) => p.name === 'xl/sharedStrings.xml')!.content.toString('utf8'),
    rich ? `<si><r><t>${text}</t></r><r><t>b</t></r></si>` : `<si><t xml:space="preserve">${text}</t></si>`);
  const rowXml = new Map<number, string>();
  let sheet = parts.find((p) => p.name === SHEET_PART)!.content.toString('utf8').replace(/<dimension ref="[^"]*"\/>/, '');
  for (const m of sheet.matchAll(/<row r="(\d+)"[^>]*>.*?<\/row>/gs)) rowXml.set(Number(m[1]), m[0]);
  for (const r of rows) {
    let cells = '';
    for (let c = 16; c < 16 + perRow; c++) cells += `<c r="${columnLetter(c)}${r}" t="s"><v>${index}</v></c>`;
    rowXml.set(r, rowXml.has(r) ? rowXml.get(r)!.replace(/<\/row>$/, `${cells}</row>`) : `<row r="${r}">${cells}</row>`);
  }
  const ordered = [...rowXml].sort(([a], [b]) => a - b).map(([, x]) => x).join('');
  sheet = sheet.replace(/<sheetData>.*<\/sheetData>/s, `<sheetData>${ordered}</sheetData>`);
  return withParts([{ name: 'xl/sharedStrings.xml', content: sst }, { name: SHEET_PART, content: sheet }], base);
}

/** The form with a "Chi tiết TTHC" sheet whose first `rows` rows hold `perRow` cells of one
 * shared string of `length` letters (and no "Tên TTHC": every row is searched for the header). */
export async function longTextDetailWorkbook(length: number, rows = 30, perRow = 1_000): Promise<Buffer> {
  const base = await baseWorkbook();
  const parts = partsOf(base);
  const part = (name: string) => parts.find((p) => p.name === name)!.content.toString('utf8');
  const { index, sst } = withSharedString(part('xl/sharedStrings.xml'), `<si><t>${'a'.repeat(length)}</t></si>`);
  let data = '';
  for (let r = 1; r <= rows; r++) {
    data += `<row r="${r}">`;
    for (let c = 1; c <= perRow; c++) data += `<c r="${columnLetter(c)}${r}" t="s"><v>${index}</v></c>`;
    data += '</row>';
  }
  return withParts([
    { name: 'xl/sharedStrings.xml', content: sst },
    { name: 'xl/workbook.xml', content: part('xl/workbook.xml').replace('</sheets>', '<sheet sheetId="2" name="Chi tiết TTHC" state="visible" r:id="rId99"/></sheets>') },
    { name: 'xl/_rels/workbook.xml.rels', content: part('xl/_rels/workbook.xml.rels').replace('</Relationships>',
      '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>') },
    { name: '[Content_Types].xml', content: part('[Content_Types].xml').replace('</Types>',
      '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
    { name: 'xl/worksheets/sheet2.xml', content: `${WS_OPEN}<sheetData>${data}</sheetData></worksheet>` },
  ], base);
}

/** A first line of 2.5 million two-letter words (5 MB, one field): millions of matches for
 * every pattern that folds or cleans a text. */
export function shortWordsTitleCsv(words = 2_499_900): Buffer {
  return Buffer.from(`${'a '.repeat(words)}\n${CSV_HEADER}\n${csvRow('Hộ tịch')}\n`);
}

/** `lines` lines of `fields` header-like fields ("Trực tuyến xx…x") above the real header: each
 * line a candidate header, each looking at the lines below it. */
export function headerLikeLinesCsv(lines = 99, fields = 1_000, pad = 35): Buffer {
  const line = Array.from({ length: fields }, () => `Trực tuyến ${'x'.repeat(pad)}`).join(',');
  return Buffer.from(`${[...Array.from({ length: lines }, () => line), CSV_HEADER, csvRow('Hộ tịch')].join('\n')}\n`);
}

/** A first line of 1.67 million fields (5 MB of `a",`: a stray quote in each). */
export function millionFieldsCsv(fields = 1_666_600): Buffer {
  return Buffer.from(`${'a",'.repeat(fields)}\n${CSV_HEADER}\n${csvRow('Hộ tịch')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Many issues

/** `rows` field rows whose every count is text: 8 errors a row. */
export function badCellsCsv(rows = 49_000): Buffer {
  return csvFile(...Array.from({ length: rows }, () => csvRow('Hộ tịch', ['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'])));
}

/** `rows` rows with the template's total columns, each failing all three sums and the balance. */
export function brokenSumsCsv(rows = 40_000): Buffer {
  const header = 'unit_code,period,field,received_total,received_online,received_direct,carried_over,resolved_total,resolved_early,resolved_on_time,resolved_overdue,pending_total,pending_within,pending_overdue';
  // Each row its own field: the same field twice would also be a repeated row (duplicate_row).
  return Buffer.from(`${[header, ...Array.from({ length: rows }, (_, i) => `H03,2022-06,Lĩnh vực ${i + 1},1000,60,96,23,1,58,89,3,1,29,0`)].join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Broken files: wrong container, wrong encoding, malformed text, impossible values

/** An OLE compound file whose directory names the streams of Office encryption, as Excel
 * saves a password-protected .xlsx (the streams themselves are noise). */
export function encryptedLookingCfb(): Buffer {
  const SECTOR = 512;
  const END = 0xfffffffe;
  const FREE = 0xffffffff;
  const header = Buffer.alloc(SECTOR, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18); // minor version
  header.writeUInt16LE(3, 0x1a); // major version: 512-byte sectors
  header.writeUInt16LE(0xfffe, 0x1c); // byte order
  header.writeUInt16LE(9, 0x1e); // sector shift
  header.writeUInt16LE(6, 0x20); // mini sector shift
  header.writeUInt32LE(1, 0x2c); // FAT sectors
  header.writeUInt32LE(1, 0x30); // first directory sector
  header.writeUInt32LE(0x1000, 0x38); // mini stream cutoff
  header.writeUInt32LE(END, 0x3c);
  header.writeUInt32LE(END, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);
  const fat = Buffer.alloc(SECTOR, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0); // sector 0: the FAT itself
  fat.writeUInt32LE(END, 4); // sector 1: the directory, one sector
  fat.writeUInt32LE(END, 8); // sectors 2…: the package, one chain
  for (let s = 3; s < 40; s++) fat.writeUInt32LE(s, (s - 1) * 4);
  fat.writeUInt32LE(END, 39 * 4);
  const dir = Buffer.alloc(SECTOR, 0);
  ['Root Entry', 'EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces'].forEach((name, i) => {
    const at = i * 128;
    dir.write(name, at, 'utf16le');
    dir.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    dir.writeUInt8(i === 0 ? 5 : i === 3 ? 1 : 2, at + 0x42); // root, storage, stream
    dir.writeUInt32LE(FREE, at + 0x44);
    dir.writeUInt32LE(FREE, at + 0x48);
    dir.writeUInt32LE(i === 0 ? 1 : FREE, at + 0x4c);
  });
  const noise = Buffer.alloc(38 * SECTOR);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  return Buffer.concat([header, fat, dir, noise]);
}

export function utf16Csv(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${CSV_HEADER}\r\n${csvRow('Hộ tịch')}\r\n`, 'utf16le')]);
}

/** A quote opened in a field and never closed: the rest of the file is one field. */
export function unterminatedQuoteCsv(): Buffer {
  return csvFile(csvRow('"Hộ tịch'), csvRow('Đất đai'));
}

/** 100,000 valid lines (4.5 MB, under the 5 MB cap): no unit reports that many rows. */
export function manyLinesCsv(lines = 100_000): Buffer {
  return csvFile(...Array.from({ length: lines }, (_, i) => csvRow(`Lĩnh vực ${i + 1}`)));
}

/** The title line says "Tháng 1/0000". */
export async function yearZeroWorkbook(): Promise<Buffer> {
  return editForm(await baseWorkbook({ variant: { title: 'month' } }), (ws) => {
    ws.eachRow((row) => row.eachCell((c) => { if (c.value === 'Tháng 6/2022') c.value = 'Tháng 1/0000'; }));
  });
}

/** "Billion laughs": nested entities in the shared strings that expand to gigabytes in a
 * parser that expands them (exceljs's saxes does not define DTD entities). */
export async function billionLaughs(): Promise<Buffer> {
  const sst = partsOf(await baseWorkbook()).find((p) => p.name === 'xl/sharedStrings.xml')!.content.toString('utf8');
  const entities = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
  return withParts([{ name: 'xl/sharedStrings.xml', content: sst.replace('<sst ', `<!DOCTYPE sst [${entities}]><sst `).replace('<si><t>', '<si><t>&lol9;') }]);
}

/** A row numbered past Excel's last row (1,048,576), and a cell past its last column (XFD). */
export function rowPastExcel(): Promise<Buffer> {
  return withSheet((xml) => xml.replace('</sheetData>', '<row r="2000000000"><c r="A2000000000"><v>1</v></c></row></sheetData>'));
}
export function columnPastExcel(): Promise<Buffer> {
  return withSheet((xml) => xml.replace('</sheetData>', '<row r="90"><c r="XFE90"><v>1</v></c></row></sheetData>'));
}

// ---------------------------------------------------------------------------------------------
// What every reading must be, whatever the file

// C0 and C1 control characters.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What is wrong with a reading's bounds: a long or dirty text, a count that is not a safe
 * integer within 10,000,000. Empty: nothing. */
export function unboundedParts(r: SubmissionReading): string[] {
  const problems: string[] = [];
  for (const i of [...r.errors, ...r.warnings]) {
    if (i.message.length > MAX_MESSAGE_CHARS) problems.push(`${i.code}: message of ${i.message.length} characters`);
    if (CONTROL.test(i.message)) problems.push(`${i.code}: control character in the message`);
    if ((i.sheet ?? '').length > MAX_QUOTED_CHARS) problems.push(`${i.code}: sheet name of ${i.sheet!.length} characters`);
  }
  for (const f of r.fields) {
    if (f.field.length > MAX_QUOTED_CHARS || CONTROL.test(f.field)) problems.push(`field at row ${f.row}: ${f.field.length} characters or control characters`);
  }
  for (const p of r.procedures) {
    if (p.name.length > MAX_QUOTED_CHARS || (p.code ?? '').length > MAX_QUOTED_CHARS) problems.push(`procedure name or code over ${MAX_QUOTED_CHARS} characters`);
  }
  const counts = [r.counts, ...r.fields.map((f) => f.counts)].flatMap((c) => Object.values(c ?? {}));
  counts.push(...r.procedures.flatMap((p) => [p.received_online, p.received_direct, p.received_postal]));
  for (const n of counts) {
    if (n !== null && !(Number.isSafeInteger(n) && n >= 0 && n <= MAX_COUNT)) problems.push(`count ${n}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The corpus

export async function hostileCorpus(): Promise<HostileFile[]> {
  const files: HostileFile[] = [];
  const add = (name: string, bytes: Buffer, status: 'accepted' | 'rejected', code?: string) => files.push({ name, bytes, expected: { status, code } });

  add('count-10e308.csv', hugeCountCsv(), 'rejected', 'count_implausible');
  add('count-1e308.xlsx', await hugeCountWorkbook(), 'rejected', 'count_implausible');
  add('notes-32767-chars.xlsx', await longNotesWorkbook(), 'rejected', 'invalid_number');
  add('field-name-500000-chars.csv', longFieldNameCsv(), 'accepted');
  add('control-characters.csv', controlCharsCsv(), 'rejected', 'invalid_number');
  // The adversary's file: 1.95 million cells, 47 MB of XML in 4.96 MB, as xl/worksheets/sheet1.xmlz.
  add('sheet-named-xmlz-1.95m-cells.xlsx', await hiddenSheetWorkbook('xl/worksheets/sheet1.xmlz', 1_950_000), 'rejected', 'xlsx_too_large');
  // Within the unzipped-size limit, so only counting the cells of every part exceljs loads refuses them.
  const sheet = deflatedPart('', cellsSheetXml(1_000_000)); // deflated once, stored under three names
  add('sheet-named-xmlz-1m-cells.xlsx', await withParts([{ ...sheet, name: 'xl/worksheets/sheet1.xmlz' }]), 'rejected', 'xlsx_too_large');
  add('sheet-under-a-folder.xlsx', await withParts([{ ...sheet, name: 'foo/xl/worksheets/sheet2.xml' }]), 'rejected', 'xlsx_too_large');
  add('sheet-by-unicode-path.xlsx', await unicodePathWorkbook('xl/worksheets/sheet2.xml', sheet), 'rejected', 'xlsx_too_large');
  add('wide-rows-xfd-95000.xlsx', await wideRowsWorkbook(95_000), 'rejected', 'xlsx_too_large');
  add('wide-rows-xfd-25000.xlsx', await wideRowsWorkbook(25_000), 'accepted');
  add('shared-strings-3.7m.xlsx', await sharedStringsBomb(3_700_000), 'rejected', 'xlsx_too_large');
  add('merge-whole-sheet.xlsx', await mergeBomb(), 'rejected', 'xlsx_too_large');
  add('merges-20000.xlsx', await manyMerges(20_000), 'rejected', 'xlsx_too_large');
  add('sheets-1500-full-width.xlsx', await manySheets(1_500), 'rejected', 'xlsx_too_large');
  add('validation-whole-sheet.xlsx', await validationBomb(), 'rejected', 'xlsx_too_large');
  add('columns-2e9.xlsx', await columnsBomb(), 'rejected', 'xlsx_too_large');
  add('defined-name-whole-sheet.xlsx', await definedNameBomb(), 'rejected', 'xlsx_too_large');
  const base = await baseWorkbook();
  add('zip-bomb-600mib.xlsx', bombWorkbook(base, 600).bytes, 'rejected', 'xlsx_too_large');
  add('zip-bomb-lying-directory.xlsx', bombWorkbook(base, 600, 40_000).bytes, 'rejected', 'xlsx_corrupt');
  add('row-past-excel.xlsx', await rowPastExcel(), 'rejected', 'xlsx_corrupt');
  add('column-past-xfd.xlsx', await columnPastExcel(), 'rejected', 'xlsx_corrupt');
  add('title-4m-spaces.csv', spacedTitleCsv(), 'accepted');
  add('title-lines-32767-chars.xlsx', await spacedTitleWorkbook(), 'rejected');
  add('csv-50000-fields-before-header.csv', wideLinesCsv('title'), 'accepted');
  // Fields past the header's in data rows: refused (csv_extra_fields), after every line is read.
  add('csv-50000-fields-per-row.csv', wideLinesCsv('data'), 'rejected', 'csv_extra_fields');
  add('bad-cells-49000-rows.csv', badCellsCsv(), 'rejected', 'too_many_errors');
  add('broken-sums-40000-rows.csv', brokenSumsCsv(), 'rejected', 'received_total_mismatch');
  add('rich-text-7m-chars-in-400-cells.xlsx', await longSharedStringWorkbook(7_000_000, true, [200], 400), 'accepted');
  add('shared-string-1m-chars-in-2100-title-cells.xlsx', await longSharedStringWorkbook(1_000_000, false, [1, 2, 3, 4, 5, 6, 7], 300), 'accepted');
  add('detail-sheet-2m-chars-in-30000-cells.xlsx', await longTextDetailWorkbook(2_000_000), 'rejected', 'detail_header_missing');
  add('csv-title-2.5m-words.csv', shortWordsTitleCsv(), 'accepted');
  add('csv-99-header-like-lines.csv', headerLikeLinesCsv(), 'rejected', 'duplicate_column');
  add('csv-1.67m-fields-a-line.csv', millionFieldsCsv(), 'accepted');
  add('billion-laughs.xlsx', await billionLaughs(), 'rejected', 'xlsx_corrupt');
  add('truncated.xlsx', base.subarray(0, Math.floor(base.length / 2)), 'rejected', 'xlsx_corrupt');
  add('password-protected.xlsx', encryptedLookingCfb(), 'rejected');
  add('utf-16.csv', utf16Csv(), 'rejected');
  add('unterminated-quote.csv', unterminatedQuoteCsv(), 'rejected');
  add('100000-lines.csv', manyLinesCsv(), 'rejected', 'csv_too_large');
  add('period-thang-1-0000.xlsx', await yearZeroWorkbook(), 'rejected');
  // Just under the guard's limits: the most a file it lets through can cost.
  add('under-limits-95000-cells.xlsx', await hiddenSheetWorkbook('xl/worksheets/sheet2.xml', 95_000), 'accepted');
  add('under-limits-90000-strings.xlsx', await extraSharedStrings(90_000), 'accepted');
  add('valid-form.xlsx', base, 'accepted');
  return files;
}
