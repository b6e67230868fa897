// The zip guard reads zip directories by hand (it must refuse a bomb before anything is
// inflated), so it is checked against a second, well-kept reader: yauzl, with its entry-size
// validation on. Both must see the same parts and sizes; where a zip lies about a size,
// both must refuse it.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { bombWorkbook, deflatedPart, partsOf, zip } from '../../scripts/generate/zip-bomb.ts';
import { writeReport } from '../../scripts/generate/report-files.ts';
import { makeSpec } from './helpers.ts';
import { inspectXlsxZip, listZipEntries, readZipEntry } from '../../shared/report-file/zip-guard.ts';
import { SAMPLES } from '../fixtures/samples.ts';

interface Seen { name: string; compressedSize: number; uncompressedSize: number }

/** Every entry as yauzl sees it, each one read through to the end with its sizes validated. */
function yauzlEntries(bytes: Buffer): Promise<Seen[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zipfile) => {
      if (err || !zipfile) return reject(err);
      const seen: Seen[] = [];
      zipfile.on('error', reject);
      zipfile.on('end', () => resolve(seen));
      zipfile.on('entry', (entry: yauzl.Entry) => {
        seen.push({ name: entry.fileName, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
        zipfile.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          stream.on('error', reject);
          stream.on('end', () => zipfile.readEntry());
          stream.resume();
        });
      });
      zipfile.readEntry();
    });
  });
}

const ours = (bytes: Buffer): Seen[] => listZipEntries(bytes).map((e) => ({ name: e.name, compressedSize: e.compressedSize, uncompressedSize: e.uncompressedSize }));

describe('the zip guard and yauzl read the same zips alike', () => {
  it.each(['06a-S01-2022-06.xlsx', '06a-X007-2022-06-combined.xlsx', 'bad-S05-2022-06-total-mismatch.xlsx'])('%s: same parts, same sizes, same bytes', async (file) => {
    const bytes = await readFile(new URL(file, SAMPLES));
    const theirs = await yauzlEntries(bytes);
    expect(ours(bytes)).toEqual(theirs);
    for (const e of listZipEntries(bytes)) expect(readZipEntry(bytes, e).length).toBe(e.uncompressedSize);
  });

  it('a generated workbook rebuilt by our zip writer: the same parts and sizes', async () => {
    const rebuilt = zip(partsOf(await writeReport(makeSpec())).map((p) => deflatedPart(p.name, p.content)));
    expect(ours(rebuilt)).toEqual(await yauzlEntries(rebuilt));
  });

  it('a bomb that tells its true size: both read the same 600 MiB sheet size, and the guard refuses it', async () => {
    const { bytes, sheetSize } = bombWorkbook(await writeReport(makeSpec()), 600);
    const theirs = await yauzlEntries(bytes);
    expect(ours(bytes)).toEqual(theirs);
    expect(Math.max(...theirs.map((e) => e.uncompressedSize))).toBe(sheetSize);
    expect(inspectXlsxZip(bytes)).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('a bomb whose directory lies about its size: yauzl refuses it on reading, the guard refuses it too', async () => {
    const { bytes } = bombWorkbook(await writeReport(makeSpec()), 600, 40_000);
    await expect(yauzlEntries(bytes)).rejects.toThrow(/too many bytes|size/i);
    expect(inspectXlsxZip(bytes).ok).toBe(false);
  });
});
