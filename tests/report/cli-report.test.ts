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
import { tthcOn } from '../fixtures/tthc.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let home: string;

const tthc = tthcOn(() => home).run;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'tthc-cli-report-'));
  const ingest = await tthc('ingest', '--unit', 'S01', '--at', '2022-06-18T09:00:00+07:00', join(REPO, 'tests/fixtures/samples/06a-S01-2022-06.xlsx'));
  expect(ingest.code, ingest.stderr).toBe(0);
}, 120_000);
afterAll(async () => { await rm(home, { recursive: true, force: true }); });

describe('tthc report', () => {
  it('--period 2022-06 --send keeps the .eml, with the chart as an inline image/png part', async () => {
    const out = await tthc('report', '--period', '2022-06', '--send', '--out', join(home, 'out', 'thang.xlsx'));
    expect(out.code, out.stderr).toBe(0);
    const eml = /Thư điện tử: (.+\.eml)/.exec(out.stdout)?.[1];
    expect(eml, out.stdout).toBeTruthy();
    const mail = await simpleParser(await readFile(eml!), { keepCidLinks: true });
    const png = mail.attachments.find((a) => a.contentType === 'image/png')!;
    expect(png.contentDisposition).toBe('inline');
    expect(String(mail.html)).toContain(`src="cid:${png.cid}"`);
  }, 120_000);

  it('--quarter 2022-Q3 and --year 2022 write their workbooks, titled by the range', async () => {
    for (const [flag, value, title] of [['--quarter', '2022-Q3', 'QUÝ III/2022'], ['--year', '2022', 'NĂM 2022']]) {
      const file = join(home, 'out', `${value}.xlsx`);
      const out = await tthc('report', flag, value, '--out', file);
      expect(out.code, out.stderr).toBe(0);
      expect((await stat(file)).size).toBeGreaterThan(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await readFile(file) as unknown as ArrayBuffer);
      expect(String(wb.worksheets[0].getCell(5, 1).value)).toContain(title);
    }
  }, 180_000);

  it('a malformed quarter, or two range options at once, is exit 2 with the reason', async () => {
    const bad = await tthc('report', '--quarter', '2022-Q5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--quarter');
    const both = await tthc('report', '--period', '2022-06', '--year', '2022');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('chỉ chọn một');
  }, 60_000);
});
