// The whole hostile corpus (scripts/generate/hostile.ts) through readReport, the public entry:
// it never throws, and each file gets the verdict it should, with a clear Vietnamese error and
// bounded texts and counts. How fast and how much memory: `npm run bench` (bench/hostile.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { hostileCorpus, unboundedParts, type HostileFile } from '../../scripts/generate/hostile.ts';
import { read } from './helpers.ts';

// Vietnamese: at least one letter only Vietnamese writes (ă â đ ê ô ơ ư or a tone mark).
const VIETNAMESE = /[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/;

let corpus: HostileFile[] = [];
beforeAll(async () => { corpus = await hostileCorpus(); }, 600_000);

describe('the hostile corpus', () => {
  it('has every case the adversarial pass found, and the classic broken files', () => {
    const names = corpus.map((f) => f.name);
    for (const expected of [
      'count-10e308.csv', 'notes-32767-chars.xlsx', 'field-name-500000-chars.csv', 'sheet-named-xmlz-1.95m-cells.xlsx',
      'wide-rows-xfd-95000.xlsx', 'shared-strings-3.7m.xlsx', 'zip-bomb-600mib.xlsx', 'zip-bomb-lying-directory.xlsx',
      'password-protected.xlsx', 'utf-16.csv', 'unterminated-quote.csv', '100000-lines.csv', 'period-thang-1-0000.xlsx',
    ]) expect(names).toContain(expected);
    for (const f of corpus) expect(f.bytes.length, f.name).toBeLessThanOrEqual(5 * 1024 * 1024);
  });

  it('every file gets the verdict it should, never a throw, with short, clean texts and bounded counts', async () => {
    expect(corpus.length).toBeGreaterThan(20);
    for (const f of corpus) {
      const r = await read(f.bytes).catch((e: Error) => { throw new Error(`${f.name}: readReport threw ${e.message}`); });
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
