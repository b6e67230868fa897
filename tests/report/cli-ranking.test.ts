// Through the real `tthc` command on the local stack: a ranking or a report for a period
// nobody has reported says so in Vietnamese and exits 1, and writes no workbook; once a
// report is in, the ranking carries the window's totals.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeForks, tthc, tthcSideBySide, type TthcRun } from '../fixtures/tthc.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let home: string;
const NO_DATA = 'Kỳ 01/2030 chưa có báo cáo hợp lệ nào của đơn vị';
/** The commands on the empty home only read it: all started at once in beforeAll, each on a copy. */
let empty: Promise<TthcRun[]>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'tthc-cli-nodata-'));
  empty = tthcSideBySide(home, [['ranking', '--period', '2030-01'], ['ranking', '--period', '2030-01', '--json'],
    ['report', '--period', '2030-01', '--out', join(home, 'out', 'bao-cao.xlsx')]]);
  empty.catch(() => undefined); // awaited by the tests
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await removeForks();
});

describe('a period with no report at all', () => {
  it('tthc ranking (and --json): a Vietnamese message on stderr, nothing on stdout, exit 1', async () => {
    const [text, json] = await empty;
    for (const [args, out] of [['text', text], ['--json', json]] as const) {
      expect(out.code, args).toBe(1);
      expect(out.stderr).toContain(NO_DATA);
      expect(out.stdout).toBe('');
    }
  }, 60_000);

  it('tthc report: exit 1, no workbook written', async () => {
    const out = (await empty)[2];
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(NO_DATA);
    await expect(readdir(join(home, 'out'))).rejects.toThrow();
  }, 60_000);
});

describe('a period with reports', () => {
  it('tthc ranking --json has totals for the city and each level; the text says the city\'s', async () => {
    await empty; // its copies are made from the empty home
    const sample = join(REPO, 'tests/fixtures/samples/06a-S01-2022-06.xlsx');
    const ingest = await tthc(['ingest', '--unit', 'S01', '--at', '2022-06-18T09:00:00+07:00', '--json', sample], { home });
    expect(ingest.code, ingest.stderr).toBe(0);
    const { counts } = JSON.parse(ingest.stdout.trim().split('\n').pop()!);
    const fresh = counts.received_online + counts.received_direct + (counts.received_postal ?? 0);
    const [json, text] = await tthcSideBySide(home, [['ranking', '--period', '2022-06', '--json'], ['ranking', '--period', '2022-06']]);
    expect(json.code, json.stderr).toBe(0);
    const ranking = JSON.parse(json.stdout);
    expect(ranking.totals.city).toEqual({ new_dossiers: fresh, received_online: counts.received_online, ytd_online_rate: counts.received_online / fresh });
    expect(ranking.totals.department).toEqual(ranking.totals.city);
    expect(ranking.totals.commune).toEqual({ new_dossiers: 0, received_online: 0, ytd_online_rate: null });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Toàn thành phố, lũy kế: ${fresh.toLocaleString('vi-VN')} hồ sơ mới`);
  }, 120_000);
});
