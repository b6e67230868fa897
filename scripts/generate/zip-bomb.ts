// Hostile workbooks for the tests and the benchmark: a small zip writer whose parts are given
// as raw deflate streams, so a 600 MB part never exists in memory, and the zip bomb built with it.
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { listZipEntries, readZipEntry } from '../../shared/report-file/zip-guard.ts';


export interface Part {
  name: string;
  /** Raw deflate data (method 8) or the stored bytes (method 0). */
  data: Buffer;
  method: 0 | 8;
  crc: number;
  size: number;
  /** What the central directory claims instead of `size` (a lying zip). */
  declaredSize?: number;
  /** Extra fields of the central directory record (e.g. a Unicode Path field). */
  extra?: Buffer;
  /** The name is not flagged UTF-8 (general purpose bit 11 off). */
  legacyName?: boolean;
}

export function storedPart(name: string, content: Buffer | string): Part {
  const data = Buffer.from(content);
  return { name, data, method: 0, crc: crc32(data), size: data.length };
}

export function deflatedPart(name: string, content: Buffer | string): Part {
  const raw = Buffer.from(content);
  return { name, data: deflateRawSync(raw), method: 8, crc: crc32(raw), size: raw.length };
}

export function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? p.size;
    const extra = p.extra ?? Buffer.alloc(0);
    const flags = p.legacyName ? 0 : 0x0800; // UTF-8 names
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(p.method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x5421, 12); // 1 Jan 2022
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(p.method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5421, 14);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name, extra);
    offset += local.length + name.length + p.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The parts of a real workbook, as stored (re-deflated, so sizes and CRCs are ours). */
export function partsOf(xlsx: Buffer): Array<{ name: string; content: Buffer }> {
  return listZipEntries(xlsx).map((e) => ({ name: e.name, content: readZipEntry(xlsx, e) }));
}

export const SHEET_PART = 'xl/worksheets/sheet1.xml';
const MB = 1024 * 1024;

/**
 * A workbook (`base`) with a huge XML comment right after <sheetData>: still a well-formed,
 * valid workbook, whose sheet inflates to `copies` MiB. The deflate stream is the prefix,
 * then the same full-flushed 1 MiB block `copies` times (each block is self-contained, so
 * copies can be concatenated), then the suffix: ~1 KB on disk per 600 MiB… times the copies.
 */
export function bombWorkbook(base: Buffer, copies: number, declaredSize?: number): { bytes: Buffer; sheetSize: number } {
  const parts = partsOf(base);
  const sheet = parts.find((p) => p.name === SHEET_PART)!.content.toString('utf8');
  const at = sheet.indexOf('<sheetData>') + '<sheetData>'.length;
  const prefix = Buffer.from(`${sheet.slice(0, at)}<!--`);
  const suffix = Buffer.from(`-->${sheet.slice(at)}`);
  // Not all one letter: XML text a clerk's macro might leave, compressible but not trivially.
  const chunk = Buffer.from('Số liệu dự phòng, không xóa. '.repeat(Math.ceil(MB / 32))).subarray(0, MB);
  const flushed = (b: Buffer) => deflateRawSync(b, { finishFlush: constants.Z_FULL_FLUSH, level: 9 });
  const block = flushed(chunk);
  const data = Buffer.concat([flushed(prefix), ...Array.from({ length: copies }, () => block), deflateRawSync(suffix)]);
  let crc = crc32(prefix);
  for (let i = 0; i < copies; i++) crc = crc32(chunk, crc);
  crc = crc32(suffix, crc);
  const size = prefix.length + copies * chunk.length + suffix.length;
  const bomb: Part = { name: SHEET_PART, data, method: 8, crc, size, declaredSize };
  const bytes = zip(parts.map((p) => (p.name === SHEET_PART ? bomb : deflatedPart(p.name, p.content))));
  return { bytes, sheetSize: size };
}

