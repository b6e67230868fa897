// Refuses an .xlsx whose unzipped size or content is absurd before any XML parser sees it: a
// 2.5 MB zip can hold 600 MB of sheet XML, or 4 million shared strings, or one merged range
// of 17 billion cells. Reads the zip's central directory (a few KB) the way exceljs's zip
// reader (JSZip) does, then inflates each part with a hard output cap equal to its declared
// size, so a part that lies about its size stops at the cap instead of growing memory.
//
// What counts is what exceljs will do with each part: it inflates every part, and parses a
// part when its name matches one of its patterns (lib/xlsx/xlsx.js, `load`), which are not
// anchored: `foo/xl/worksheets/sheet2.xml` or `xl/worksheets/sheet1.xmlz` load as
// worksheets. exceljsPartKind repeats those patterns, in the same order, so the guard
// measures exactly the parts the reader will load.
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Sum of the declared uncompressed sizes of all parts. */
  maxUncompressedBytes: number;
  /** Cells across all worksheets, with the cells exceljs creates for merged ranges, data
   * validations, comments and defined names. */
  maxCells: number;
  /** Rows (<row> elements) across all worksheets: empty rows cost memory too. */
  maxRows: number;
  maxEntries: number;
  /** Strings (<si>) in the shared strings part, and its inflated size. */
  maxSharedStrings: number;
  maxSharedStringsBytes: number;
  /** XML elements across every part exceljs parses (styles, drawings, rels…). */
  maxElements: number;
  /** Merged ranges: exceljs checks each new one against all before it. */
  maxMerges: number;
  /** Worksheet parts: each one exceljs loads gets up to 16,384 column objects. */
  maxWorksheets: number;
}

// A unit's monthly report is a form of a few dozen rows and a procedure list of at most a few
// thousand: these are far above any real report, and low enough that the worst file they let
// through costs about a second of CPU and under 200 MiB (npm run bench: hostile).
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: 32 * 1024 * 1024,
  maxCells: 100_000,
  maxRows: 30_000,
  maxEntries: 2_000,
  maxSharedStrings: 100_000,
  maxSharedStringsBytes: 8 * 1024 * 1024,
  maxElements: 400_000,
  maxMerges: 5_000,
  maxWorksheets: 50,
};

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipVerdict =
  | { ok: true; entries: ZipEntry[]; uncompressedBytes: number; cells: number }
  | { ok: false; reason: 'corrupt' | 'too_large' | 'too_many_cells'; detail: string };

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
/** Info-ZIP's Unicode Path extra field: JSZip takes the name from it when the UTF-8 flag is off. */
const UNICODE_PATH = 0x7075;
/** Excel's last column (XFD). */
const MAX_COLUMN = 16_384;

/**
 * The zip's table of contents, from its central directory, with names as JSZip reads them.
 * Throws on a malformed zip, and on one JSZip would read differently (records past the
 * declared count, a directory that does not end where the end record starts).
 */
export function listZipEntries(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new Error('zip64 is not expected in a report file');
  // JSZip shifts every offset when the directory ends before the end record (bytes
  // prepended to the zip): it would then read another directory than this one.
  if (cdOffset + cdSize !== eocd) throw new Error('central directory does not end at the end record');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  // JSZip reads records while their signature is there, whatever the count says.
  while (p + 46 <= eocd && buf.readUInt32LE(p) === CEN_SIG) {
    const flags = buf.readUInt16LE(p + 8);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const rawName = buf.subarray(p + 46, p + 46 + nameLen);
    const extra = buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    entries.push({
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      name: (flags & 0x0800 ? null : unicodePath(extra, rawName)) ?? rawName.toString('utf8'),
      localHeaderOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (entries.length !== count || p !== eocd) throw new Error('bad central directory');
  return entries;
}

/** The name in a Unicode Path extra field, when JSZip would use it (version 1, CRC of the raw name). */
function unicodePath(extra: Buffer, rawName: Buffer): string | null {
  for (let i = 0; i + 4 <= extra.length;) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    const value = extra.subarray(i + 4, i + 4 + len);
    if (id === UNICODE_PATH && value.length >= 5 && value[0] === 1 && value.readUInt32LE(1) === crc32(rawName)) {
      return value.subarray(5).toString('utf8');
    }
    i += 4 + len;
  }
  return null;
}

/** The bytes of one part, never more than it declares. Throws if it inflates to anything else. */
export function readZipEntry(buf: Buffer, e: ZipEntry): Buffer {
  const p = e.localHeaderOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOC_SIG) throw new Error(`bad local header for ${e.name}`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (data.length !== e.compressedSize) throw new Error(`truncated part ${e.name}`);
  let out: Buffer;
  if (e.method === 0) out = data;
  else if (e.method === 8) out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
  else throw new Error(`unsupported compression ${e.method} for ${e.name}`);
  if (out.length !== e.uncompressedSize) throw new Error(`part ${e.name} is not the size it declares`);
  return out;
}

export type PartKind =
  | 'workbook' | 'sharedStrings' | 'styles' | 'worksheet' | 'comments' | 'drawing' | 'vmlDrawing' | 'table'
  | 'rels' | 'docProps' | 'theme' | 'media' | 'other';

/** What exceljs 4.4's `xlsx.load` does with a part of this name: the same tests, in the same
 * order. 'other' parts are inflated but not parsed; 'theme' and 'media' are kept as they are. */
export function exceljsPartKind(zipName: string): PartKind {
  const name = zipName.startsWith('/') ? zipName.slice(1) : zipName;
  switch (name) {
    case '_rels/.rels': return 'rels';
    case 'xl/workbook.xml': return 'workbook';
    case 'xl/_rels/workbook.xml.rels': return 'rels';
    case 'xl/sharedStrings.xml': return 'sharedStrings';
    case 'xl/styles.xml': return 'styles';
    case 'docProps/app.xml': return 'docProps';
    case 'docProps/core.xml': return 'docProps';
  }
  if (/xl\/worksheets\/sheet(\d+)[.]xml/.test(name)) return 'worksheet';
  if (/xl\/worksheets\/_rels\/sheet(\d+)[.]xml.rels/.test(name)) return 'rels';
  if (/xl\/theme\/([a-zA-Z0-9]+)[.]xml/.test(name)) return 'theme';
  if (/xl\/media\/([a-zA-Z0-9]+[.][a-zA-Z0-9]{3,4})$/.test(name)) return 'media';
  if (/xl\/drawings\/([a-zA-Z0-9]+)[.]xml/.test(name)) return 'drawing';
  if (/xl\/(comments\d+)[.]xml/.test(name)) return 'comments';
  if (/xl\/tables\/(table\d+)[.]xml/.test(name)) return 'table';
  if (/xl\/drawings\/_rels\/([a-zA-Z0-9]+)[.]xml[.]rels/.test(name)) return 'rels';
  if (/xl\/drawings\/(vmlDrawing\d+)[.]vml/.test(name)) return 'vmlDrawing';
  return 'other';
}

/** Bytes that may follow an element name: whitespace, '/', '>'. */
const NAME_END = new Set([0x20, 0x09, 0x0a, 0x0d, 0x2f, 0x3e]);
const isNameStart = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;

/** Start tags of an XML part, by local name (any namespace prefix). Overcounts rather than
 * misses: a '<' in a comment or CDATA counts too. */
interface Tally {
  elements: number;
  /** Local name → count, for the names asked for. */
  counts: Map<string, number>;
  /** Local name → each tag's text up to '>', for the names asked for (rare elements only). */
  tags: Map<string, string[]>;
}

function tallyElements(xml: Buffer, count: readonly string[], keep: readonly string[], stopAt: number): Tally {
  const tally: Tally = { elements: 0, counts: new Map(count.map((n) => [n, 0])), tags: new Map(keep.map((n) => [n, []])) };
  for (let i = xml.indexOf(0x3c); i >= 0 && tally.elements <= stopAt; i = xml.indexOf(0x3c, i + 1)) {
    if (!isNameStart(xml[i + 1])) continue;
    tally.elements++;
    let end = i + 1;
    let colon = -1;
    while (end < xml.length && end - i < 64 && !NAME_END.has(xml[end])) { if (xml[end] === 0x3a) colon = end; end++; }
    const local = xml.toString('latin1', colon >= 0 ? colon + 1 : i + 1, end);
    const n = tally.counts.get(local);
    if (n !== undefined) tally.counts.set(local, n + 1);
    const tags = tally.tags.get(local);
    if (tags) {
      const close = xml.indexOf(0x3e, end);
      tags.push(xml.toString('utf8', end, close < 0 ? xml.length : close));
    }
  }
  return tally;
}

/** Cells in a range as exceljs loops over it ("A1:XFD1048576", "$A$1", "Sheet1!B2:C3"). */
export function rangeArea(ref: string): number {
  const parts = ref.replace(/^.*!/, '').replace(/\$/g, '').split(':');
  const at = (a: string) => {
    const m = /^([A-Za-z]*)(\d*)/.exec(a)!;
    let col = 0;
    for (const ch of m[1].toUpperCase()) col = col * 26 + ch.charCodeAt(0) - 64;
    return { col: col || 1, row: m[2] ? Number(m[2]) : 1 };
  };
  if (parts.length !== 2) return 1;
  const [a, b] = parts.map(at);
  return (Math.abs(a.col - b.col) + 1) * (Math.abs(a.row - b.row) + 1);
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`).exec(tag)?.[1] ?? '';

export function inspectXlsxZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipVerdict {
  let entries: ZipEntry[];
  try {
    entries = listZipEntries(buf);
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: (e as Error).message };
  }
  if (entries.length > limits.maxEntries) return { ok: false, reason: 'too_large', detail: `${entries.length} parts` };
  const declared = entries.reduce((s, e) => s + e.uncompressedSize, 0);
  if (declared > limits.maxUncompressedBytes) {
    return { ok: false, reason: 'too_large', detail: `${declared} bytes uncompressed` };
  }
  let cells = 0;
  let rows = 0;
  let elements = 0;
  let merges = 0;
  let worksheets = 0;
  const tooMany = (detail: string): ZipVerdict => ({ ok: false, reason: 'too_many_cells', detail });
  try {
    for (const e of entries) {
      const kind = exceljsPartKind(e.name);
      if (kind === 'sharedStrings' && e.uncompressedSize > limits.maxSharedStringsBytes) {
        return { ok: false, reason: 'too_large', detail: `${e.uncompressedSize} bytes of shared strings` };
      }
      const xml = readZipEntry(buf, e);
      if (kind === 'other' || kind === 'theme' || kind === 'media') continue;
      const budget = limits.maxElements - elements;
      if (kind === 'worksheet') {
        if (++worksheets > limits.maxWorksheets) return tooMany(`more than ${limits.maxWorksheets} worksheets`);
        const t = tallyElements(xml, ['c', 'row', 'hyperlink'], ['mergeCell', 'dataValidation', 'col'], budget);
        elements += t.elements;
        cells += t.counts.get('c')! + t.counts.get('hyperlink')!;
        rows += t.counts.get('row')!;
        // exceljs makes a cell for every cell of a merged range and a validation for every cell
        // of a validated range; and a column object for every column up to a <col>'s max.
        const mergeTags = t.tags.get('mergeCell')!;
        merges += mergeTags.length;
        if (merges > limits.maxMerges) return tooMany(`more than ${limits.maxMerges} merged ranges`);
        for (const tag of mergeTags) cells += rangeArea(attr(tag, 'ref'));
        for (const tag of t.tags.get('dataValidation')!) {
          for (const ref of attr(tag, 'sqref').split(/\s+/)) cells += ref ? rangeArea(ref) : 0;
        }
        for (const tag of t.tags.get('col')!) {
          const max = Number.parseInt(attr(tag, 'max') || '0', 10);
          if (max > MAX_COLUMN) return tooMany(`a column past ${MAX_COLUMN}`);
        }
      } else if (kind === 'sharedStrings') {
        const t = tallyElements(xml, ['si'], [], budget);
        elements += t.elements;
        if (t.counts.get('si')! > limits.maxSharedStrings) return tooMany(`more than ${limits.maxSharedStrings} shared strings`);
      } else if (kind === 'workbook') {
        // A defined name over a range: exceljs makes a cell for each cell of it.
        const t = tallyElements(xml, [], [], budget);
        elements += t.elements;
        for (const m of xml.toString('utf8').matchAll(/[$]?([A-Za-z]+)[$]?(\d+):[$]?([A-Za-z]+)[$]?(\d+)/g)) cells += rangeArea(m[0]);
      } else {
        const t = tallyElements(xml, ['comment'], [], budget);
        elements += t.elements;
        cells += t.counts.get('comment')!; // each comment becomes a cell's note
      }
      if (cells > limits.maxCells) return tooMany(`more than ${limits.maxCells} cells`);
      if (rows > limits.maxRows) return tooMany(`more than ${limits.maxRows} rows`);
      if (elements > limits.maxElements) return tooMany(`more than ${limits.maxElements} XML elements`);
    }
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: (e as Error).message };
  }
  return { ok: true, entries, uncompressedBytes: declared, cells };
}
