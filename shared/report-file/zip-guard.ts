// Refuses an .xlsx whose unzipped size or cell count is absurd before any XML parser sees
// it: a 2.5 MB zip can hold 600 MB of sheet XML. Reads the zip's central directory (a few
// KB), then inflates each part with a hard output cap equal to its declared size, so a
// part that lies about its size stops at the cap instead of growing memory.
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Sum of the declared uncompressed sizes of all parts. */
  maxUncompressedBytes: number;
  /** Cells (<c> elements) across all worksheets. */
  maxCells: number;
  /** Rows (<row> elements) across all worksheets: empty rows cost memory too. */
  maxRows: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: 64 * 1024 * 1024,
  maxCells: 300_000,
  maxRows: 100_000,
  maxEntries: 2_000,
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

/** The zip's table of contents, from its central directory. Throws on a malformed zip. */
export function listZipEntries(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new Error('zip64 is not expected in a report file');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CEN_SIG) throw new Error('bad central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      localHeaderOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
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

/** Bytes that may follow an element name: whitespace, '/', '>'. */
const NAME_END = new Set([0x20, 0x09, 0x0a, 0x0d, 0x2f, 0x3e]);

/** Count of <name …> elements (any attribute layout; namespace prefix as the root uses it). */
function countElements(xml: Buffer, name: string): number {
  // Sheets may be written with a prefix (<x:worksheet>, <x:c>): use the root's.
  const head = xml.subarray(0, 4096).toString('latin1');
  const prefix = /<([A-Za-z_][\w.-]*:)?worksheet[\s>]/.exec(head)?.[1] ?? '';
  const open = Buffer.from(`<${prefix}${name}`);
  let n = 0;
  for (let i = xml.indexOf(open); i >= 0; i = xml.indexOf(open, i + open.length)) {
    if (NAME_END.has(xml[i + open.length])) n++;
  }
  return n;
}

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
  try {
    for (const e of entries) {
      const xml = readZipEntry(buf, e);
      if (/^xl\/worksheets\/[^/]+\.xml$/.test(e.name)) {
        cells += countElements(xml, 'c');
        rows += countElements(xml, 'row');
        if (cells > limits.maxCells) return { ok: false, reason: 'too_many_cells', detail: `more than ${limits.maxCells} cells` };
        if (rows > limits.maxRows) return { ok: false, reason: 'too_many_cells', detail: `more than ${limits.maxRows} rows` };
      }
    }
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: (e as Error).message };
  }
  return { ok: true, entries, uncompressedBytes: declared, cells };
}
