// tthc report through the real command on the local stack: --send keeps an .eml whose HTML
// shows the trend chart from an inline image/png part; --quarter and --year write their
// workbooks; a wrong or a second range option is an argument error (exit 2).
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeForks, tthc, tthcInProcess, tthcSideBySide, type TthcRun } from '../fixtures/tthc.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let home: string;
const out = (name: string) => join(home, 'out', name);
/** The three reports only read the ingested data: all started at once in beforeAll, each on a copy of the home. */
let reports: Promise<Record<'month' | 'quarter' | 'year', TthcRun>>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'tthc-cli-report-'));
  const ingest = await tthc(['ingest', '--unit', 'S01', '--at', '2022-06-18T09:00:00+07:00', join(REPO, 'tests/fixtures/samples/06a-S01-2022-06.xlsx')], { home });
  expect(ingest.code, ingest.stderr).toBe(0);
  reports = tthcSideBySide(home, [
    ['report', '--period', '2022-06', '--send', '--out', out('thang.xlsx')],
    ['report', '--quarter', '2022-Q3', '--out', out('2022-Q3.xlsx')],
    ['report', '--year', '2022', '--out', out('2022.xlsx')],
  ]).then(([month, quarter, year]) => ({ month, quarter, year }));
  reports.catch(() => undefined); // awaited by the tests
}, 120_000);
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await removeForks();
});

describe('tthc report', () => {
  it('--period 2022-06 --send keeps the .eml, with the chart as an inline image/png part', async () => {
    const { month } = await reports;
    expect(month.code, month.stderr).toBe(0);
    const eml = /Thư điện tử: (.+\.eml)/.exec(month.stdout)?.[1];
    expect(eml, month.stdout).toBeTruthy();
    const mail = await simpleParser(await readFile(eml!), { keepCidLinks: true });
    const png = mail.attachments.find((a) => a.contentType === 'image/png')!;
    expect(png.contentDisposition).toBe('inline');
    expect(String(mail.html)).toContain(`src="cid:${png.cid}"`);
  }, 120_000);

  it('--quarter 2022-Q3 and --year 2022 write their workbooks, titled by the range', async () => {
    const runs = await reports;
    for (const [kind, value, title] of [['quarter', '2022-Q3', 'QUÝ III/2022'], ['year', '2022', 'NĂM 2022']] as const) {
      const file = out(`${value}.xlsx`);
      expect(runs[kind].code, runs[kind].stderr).toBe(0);
      expect((await stat(file)).size).toBeGreaterThan(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await readFile(file) as unknown as ArrayBuffer);
      expect(String(wb.worksheets[0].getCell(5, 1).value)).toContain(title);
    }
  }, 180_000);

  it('a malformed quarter, or two range options at once, is exit 2 with the reason', async () => {
    // Decided before the stack starts: cli/main.ts in this process (tests/cli/args.test.ts runs a mistake through bin/tthc.js).
    const bad = await tthcInProcess(['report', '--quarter', '2022-Q5'], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--quarter');
    const both = await tthcInProcess(['report', '--period', '2022-06', '--year', '2022'], { home });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('chỉ chọn một');
  }, 60_000);
});
