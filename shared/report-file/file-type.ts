// What a file is, by its bytes, not its name: units rename files, and an .xls saved as
// ".xlsx" must get the right message.
import { listZipEntries } from './zip-guard.ts';

export type FileKind =
  | { kind: 'xlsx' }
  | { kind: 'csv'; text: string }
  | { kind: 'unsupported'; detected: 'xls' | 'ods' | 'zip' | 'pdf' | 'docx' | 'binary' | 'empty' }
  | { kind: 'bad_encoding'; detected: 'utf16' | 'not_utf8' };

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export function detectFileKind(bytes: Buffer): FileKind {
  if (bytes.length === 0) return { kind: 'unsupported', detected: 'empty' };
  if (bytes.subarray(0, 8).equals(OLE2)) return { kind: 'unsupported', detected: 'xls' };
  if (bytes.subarray(0, 4).toString('latin1') === '%PDF') return { kind: 'unsupported', detected: 'pdf' };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return zipKind(bytes);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { kind: 'bad_encoding', detected: 'utf16' };
  }
  const sample = bytes.subarray(0, 4096);
  if (sample.includes(0)) return { kind: 'unsupported', detected: 'binary' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { kind: 'csv', text };
  } catch {
    return { kind: 'bad_encoding', detected: 'not_utf8' };
  }
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
