// What a file is, by its bytes, not its name: units rename files, and an .xls saved as
// ".xlsx" must get the right message.
import { listZipEntries } from './zip-guard.ts';

export type FileKind =
  | { kind: 'xlsx' }
  | { kind: 'csv'; text: string }
  | { kind: 'unsupported'; detected: 'xls' | 'encrypted' | 'ods' | 'zip' | 'pdf' | 'docx' | 'binary' | 'empty' }
  | { kind: 'bad_encoding'; detected: 'utf16' | 'not_utf8' };

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export function detectFileKind(bytes: Buffer): FileKind {
  if (bytes.length === 0) return { kind: 'unsupported', detected: 'empty' };
  // Excel keeps a password-protected .xlsx in the same compound-file container as an .xls.
  if (bytes.subarray(0, 8).equals(OLE2)) return { kind: 'unsupported', detected: isEncryptedPackage(bytes) ? 'encrypted' : 'xls' };
  if (bytes.subarray(0, 4).toString('latin1') === '%PDF') return { kind: 'unsupported', detected: 'pdf' };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return zipKind(bytes);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { kind: 'bad_encoding', detected: 'utf16' };
  }
  const sample = bytes.subarray(0, 4096);
  const nuls = countNuls(sample);
  if (nuls > 0 && looksUtf16(sample, nuls)) return { kind: 'bad_encoding', detected: 'utf16' };
  // A stray NUL in a text file is dropped; a file that is mostly NULs is no text at all.
  if (nuls * 10 > sample.length) return { kind: 'unsupported', detected: 'binary' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return nuls > 0 ? { kind: 'unsupported', detected: 'binary' } : { kind: 'bad_encoding', detected: 'not_utf8' };
  }
  return { kind: 'csv', text: text.includes('\0') ? text.replaceAll('\0', '') : text };
}

function countNuls(sample: Buffer): number {
  let n = 0;
  for (let i = sample.indexOf(0); i !== -1; i = sample.indexOf(0, i + 1)) n++;
  return n;
}

/** UTF-16 without a BOM: text whose every other byte is NUL (the high byte of ASCII
 * letters, digits, separators), on one side only. */
function looksUtf16(sample: Buffer, nuls: number): boolean {
  if (nuls * 4 < sample.length) return false;
  let even = 0;
  for (let i = 0; i < sample.length; i += 2) if (sample[i] === 0) even++;
  const odd = nuls - even;
  return Math.max(even, odd) >= 0.95 * nuls;
}

const FREE = 0xfffffffc; // FAT values from here up end a chain

/** An OLE compound file whose directory holds the streams of Office encryption
 * (EncryptionInfo, EncryptedPackage). Any inconsistency: false, i.e. an .xls. */
function isEncryptedPackage(bytes: Buffer): boolean {
  if (bytes.length < 512) return false;
  const sectorSize = 1 << bytes.readUInt16LE(0x1e);
  if (sectorSize !== 512 && sectorSize !== 4096) return false;
  const sectorAt = (n: number) => (n + 1) * sectorSize;
  const entriesPerSector = sectorSize / 4;
  // The FAT's own sectors: the first 109 are listed in the header (up to 7 MB at 512-byte sectors: past the 5 MB cap).
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = bytes.readUInt32LE(0x4c + i * 4);
    if (s >= FREE) break;
    fatSectors.push(s);
  }
  const next = (n: number): number => {
    const fatSector = fatSectors[Math.floor(n / entriesPerSector)];
    const at = fatSector === undefined ? -1 : sectorAt(fatSector) + (n % entriesPerSector) * 4;
    return at >= 0 && at + 4 <= bytes.length ? bytes.readUInt32LE(at) : FREE;
  };
  const names = new Set<string>();
  let sector = bytes.readUInt32LE(0x30);
  for (let steps = 0; sector < FREE && steps < 1024; steps++, sector = next(sector)) {
    const start = sectorAt(sector);
    if (start + sectorSize > bytes.length) return false;
    for (let at = start; at < start + sectorSize; at += 128) {
      const length = bytes.readUInt16LE(at + 0x40);
      if (length >= 2 && length <= 64) names.add(bytes.toString('utf16le', at, at + length - 2));
    }
  }
  return names.has('EncryptionInfo') && names.has('EncryptedPackage');
}

function zipKind(bytes: Buffer): FileKind {
  let names: string[];
  try {
    names = listZipEntries(bytes).map((e) => e.name);
  } catch {
    // A workbook cut off mid-upload has no directory, but its parts' names are in the bytes:
    // call it a workbook, so the clerk hears "damaged", not "wrong type".
    return bytes.includes('xl/') ? { kind: 'xlsx' } : { kind: 'unsupported', detected: 'zip' };
  }
  if (names.includes('xl/workbook.xml')) return { kind: 'xlsx' };
  if (names.includes('content.xml') && names.includes('mimetype')) return { kind: 'unsupported', detected: 'ods' };
  if (names.some((n) => n.startsWith('word/'))) return { kind: 'unsupported', detected: 'docx' };
  return { kind: 'unsupported', detected: 'zip' };
}
