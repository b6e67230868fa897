// The whole hostile corpus (scripts/generate/hostile.ts) through readSubmission, the public entry:
// it never throws, and each file gets the verdict it should, with a clear Vietnamese error and
// bounded texts and counts. How fast and how much memory: `npm run bench` (bench/hostile.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng, type Rng } from '../../scripts/generate/report-files.ts';
import { baseWorkbook, CSV_HEADER, csvRow, deflatedPartOf, hostileCorpus, unboundedParts, type HostileFile } from '../../scripts/generate/hostile.ts';
import { partsOf, zip } from '../../scripts/generate/zip-bomb.ts';
import type { SubmissionReading } from '../../shared/report-file/read-report.ts';
import { MAX_CELL_ERRORS } from '../../shared/report-file/table.ts';
import { expectRejected, read } from './helpers.ts';

// Vietnamese: at least one letter only Vietnamese writes (ă â đ ê ô ơ ư or a tone mark).
const VIETNAMESE = /[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/;

let corpus: HostileFile[] = [];
/** Each file read once, here: what readSubmission gave, or what it threw. Tests below look them up by name. */
const readings = new Map<string, { reading: SubmissionReading } | { threw: Error }>();
beforeAll(async () => {
  corpus = await hostileCorpus();
  for (const f of corpus) readings.set(f.name, await read(f.bytes).then((reading) => ({ reading }), (threw: Error) => ({ threw })));
}, 600_000);

/** The reading of a corpus file; a throw fails the test that asks. */
function readingOf(name: string): SubmissionReading {
  const outcome = readings.get(name);
  if (!outcome) throw new Error(`${name}: not in the corpus`);
  if ('threw' in outcome) throw new Error(`${name}: readSubmission threw ${outcome.threw.message}`);
  return outcome.reading;
}

describe('the hostile corpus', () => {
  it('has every case the adversarial pass found, and the classic broken files', () => {
    const names = corpus.map((f) => f.name);
    for (const expected of [
      'count-10e308.csv', 'notes-32767-chars.xlsx', 'field-name-500000-chars.csv', 'sheet-named-xmlz-1.95m-cells.xlsx',
      'wide-rows-xfd-95000.xlsx', 'shared-strings-3.7m.xlsx', 'zip-bomb-600mib.xlsx', 'zip-bomb-lying-directory.xlsx',
      'password-protected.xlsx', 'utf-16.csv', 'unterminated-quote.csv', '100000-lines.csv', 'period-thang-1-0000.xlsx',
      // The second adversarial pass: one long text in thousands of cells, and lines that are all fields or all headers.
      'rich-text-7m-chars-in-400-cells.xlsx', 'shared-string-1m-chars-in-2100-title-cells.xlsx', 'detail-sheet-2m-chars-in-30000-cells.xlsx',
      'csv-title-2.5m-words.csv', 'csv-99-header-like-lines.csv', 'csv-1.67m-fields-a-line.csv',
    ]) expect(names).toContain(expected);
    for (const f of corpus) expect(f.bytes.length, f.name).toBeLessThanOrEqual(5 * 1024 * 1024);
  });

  it('every file gets the verdict it should, never a throw, with short, clean texts and bounded counts', () => {
    expect(corpus.length).toBeGreaterThan(20);
    for (const f of corpus) {
      const r = readingOf(f.name);
      expect({ file: f.name, status: r.status }).toEqual({ file: f.name, status: f.expected.status });
      if (f.expected.code) expect(r.errors.map((e) => e.code), f.name).toContain(f.expected.code);
      if (r.status === 'rejected') {
        expect(r.counts, f.name).toBeNull();
        expect(r.errors.length, f.name).toBeGreaterThan(0);
        for (const e of r.errors) expect(e.message, `${f.name}: ${e.code}`).toMatch(VIETNAMESE);
      }
      expect(unboundedParts(r), f.name).toEqual([]);
    }
  }, 600_000);
});

// What the cost bounds of hostile-input.test.ts say about the large files, checked on the
// corpus's readings of the same generated files (each is read once in this suite, not twice).
describe('the large corpus files, case by case', () => {
  it('4.5 MB CSV files of 50,000 fields a line (above the header, or in the data rows) are read', () => {
    const r = readingOf('csv-50000-fields-before-header.csv');
    expect(r.status).toBe('accepted');
    expect(r.counts?.received_online).toBe(60);
    // In the data rows, the fields past the header's are no column's: each line is refused, once.
    const wide = readingOf('csv-50000-fields-per-row.csv');
    expect(wide.status).toBe('rejected');
    expect(wide.errors.map((e) => [e.code, e.row, e.column])).toEqual(Array.from({ length: 45 }, (_, i) => ['csv_extra_fields', i + 2, 'L']));
    expect(wide.errors[0].message).toMatch(/^Dòng 2 có 16\.384 ô trở lên, nhiều hơn 11 cột/); // a record keeps its first 16,384 fields
  });

  it('a workbook of 25,000 rows each with one cell in XFD is read (exceljs\'s eachRow/eachCell would walk 400 million columns)', () => {
    const r = readingOf('wide-rows-xfd-25000.xlsx');
    expect(r.status).toBe('accepted');
    expect(r.fields.map((f) => f.field)).toEqual(['Hộ tịch', 'Đất đai']);
  });

  it('95,000 such rows (a 780 KB file) are more rows than a report has: refused before parsing', () => {
    expectRejected(readingOf('wide-rows-xfd-95000.xlsx'), { code: 'xlsx_too_large', sheet: null, row: null, column: null });
  });

  it('a workbook whose title lines are 32,767 characters, and a CSV whose first line is 4 MB of spaces, get their verdicts', () => {
    expect(readingOf('title-lines-32767-chars.xlsx').status).toBe('rejected');
    const r = readingOf('title-4m-spaces.csv');
    expect(r.status).toBe('accepted');
    expect(r.counts?.received_online).toBe(60);
  });

  it('392,000 bad cells (a 2 MB CSV): the first 1,000 listed, then how many more', () => {
    const r = readingOf('bad-cells-49000-rows.csv');
    expect(r.status).toBe('rejected');
    expect(r.errors).toHaveLength(MAX_CELL_ERRORS + 1);
    expect(r.errors[0]).toMatchObject({ code: 'invalid_number', row: 2, column: 'D' });
    expect(r.errors.at(-1)).toMatchObject({ code: 'too_many_errors', row: null, column: null });
    expect(r.errors.at(-1)!.message).toContain(`${(49_000 * 8 - MAX_CELL_ERRORS).toLocaleString('vi-VN')} ô`);
    expect(unboundedParts(r)).toEqual([]);
  });

  it('160,000 failed sums (40,000 rows with the total columns): a verdict, the first 1,000 listed, then how many more', () => {
    const r = readingOf('broken-sums-40000-rows.csv');
    expect(r.status).toBe('rejected');
    expect(r.errors).toHaveLength(MAX_CELL_ERRORS + 1);
    expect(r.errors.map((e) => e.code).slice(0, 4)).toEqual(['received_total_mismatch', 'resolved_total_mismatch', 'pending_total_mismatch', 'received_not_balanced']);
    expect(r.errors.at(-1)).toMatchObject({ code: 'too_many_errors', row: null, column: null });
    expect(r.errors.at(-1)!.message).toContain(`Còn ${(40_000 * 4 - MAX_CELL_ERRORS).toLocaleString('vi-VN')} lỗi khác ở các phép cộng của dòng`);
    expect(unboundedParts(r)).toEqual([]);
  });
});

/** One random edit of XML or CSV text: a slice dropped or repeated, a digit run replaced, markup inserted. */
function mutate(text: string, rng: Rng): string {
  const at = rng.int(0, text.length - 1);
  const len = rng.int(1, 40);
  switch (rng.int(0, 4)) {
    case 0: return text.slice(0, at) + text.slice(at + len);
    case 1: return text.slice(0, at + len) + text.slice(at, at + len).repeat(rng.int(2, 50)) + text.slice(at + len);
    case 2: return text.replace(/\d+/g, (d) => (rng.chance(0.05) ? rng.pick(['-1', '1e308', '99999999999', '0.5', 'NaN', '', '1048577', 'XFD1']) : d));
    case 3: return text.slice(0, at) + rng.pick(['<', '>', '"', '&amp;', '&#0;', '<c r="XFD9">', '</row>', '\u0000', '\r\n', ';', ',', '"\n"']) + text.slice(at);
    default: return text.slice(0, at) + rng.pick(['Tổng cộng', 'Tháng 13/2022', 'Mã đơn vị: S99', 'Kỳ báo cáo: 99/9999', 'Trực tuyến']) + text.slice(at);
  }
}

describe('randomly damaged files', () => {
  it('60 workbooks with their XML damaged at random: a verdict every time, never a throw', async () => {
    const rng = makeRng('hostile-xml');
    const parts = partsOf(await baseWorkbook());
    const verdicts = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const target = rng.pick(['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/workbook.xml', 'xl/styles.xml', '[Content_Types].xml']);
      const bytes = zip(parts.map((p) => {
        if (p.name !== target) return deflatedPartOf(p);
        let text = p.content.toString('utf8');
        for (let k = rng.int(1, 4); k > 0; k--) text = mutate(text, rng);
        return deflatedPartOf({ name: p.name, content: Buffer.from(text) });
      }));
      const r = await read(bytes).catch((e: Error) => { throw new Error(`damage #${i} in ${target}: readSubmission threw ${e.message}`); });
      expect(['accepted', 'rejected']).toContain(r.status);
      expect(unboundedParts(r), `damage #${i} in ${target}`).toEqual([]);
      verdicts.add(r.errors[0]?.code ?? r.status);
    }
    // The damage reaches past the zip and the XML parser: into the table, the title, the counts.
    expect(verdicts.size).toBeGreaterThan(3);
  }, 600_000);

  it('60 CSV files damaged at random: a verdict every time, never a throw', async () => {
    const rng = makeRng('hostile-csv');
    const text = [CSV_HEADER, csvRow('Hộ tịch'), csvRow('"Đất đai, nhà ở"'), csvRow('Tổng cộng', [120, 192, 46, 116, 178, 6, 58, 0])].join('\n');
    for (let i = 0; i < 60; i++) {
      let t = text;
      for (let k = rng.int(1, 4); k > 0; k--) t = mutate(t, rng);
      const r = await read(Buffer.from(t)).catch((e: Error) => { throw new Error(`damage #${i}: readSubmission threw ${e.message}`); });
      expect(unboundedParts(r), `damage #${i}`).toEqual([]);
    }
  }, 600_000);

  it('60 workbooks with random bytes of the zip flipped: a verdict every time, never a throw', async () => {
    const rng = makeRng('hostile-bytes');
    const base = await baseWorkbook();
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.from(base);
      for (let k = rng.int(1, 8); k > 0; k--) bytes[rng.int(0, bytes.length - 1)] = rng.int(0, 255);
      const r = await read(bytes).catch((e: Error) => { throw new Error(`flip #${i}: readSubmission threw ${e.message}`); });
      expect(unboundedParts(r), `flip #${i}`).toEqual([]);
    }
  }, 600_000);
});
