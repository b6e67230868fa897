// The workbooks as they print (monthly, quarterly, annual): one table per sheet under its
// own repeated header, no fixed default row height, wrapped labels on rows tall enough,
// Tổng hợp's sections on pages of their own with the trend chart, and the range sheets.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH } from '../../shared/report/chart.ts';
import { buildLeadershipReport } from '../../shared/report/period-report.ts';
import { buildRangeReport, quarterRange, yearRange, type ReportRange } from '../../shared/report/range-report.ts';
import { buildWorkbook, SHEETS } from '../../shared/report/workbook.ts';
import { HEADER_FILL } from '../../shared/report/workbook/layout.ts';
import { input, planHistory } from './helpers.ts';
import { unzip } from './zip.ts';

interface Built {
  bytes: Buffer;
  wb: ExcelJS.Workbook;
  parts: Map<string, Buffer>;
}

async function open(bytes: Buffer): Promise<Built> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return { bytes, wb, parts: unzip(bytes) };
}

const { history } = planHistory(23, '2022-12');
const month = (period: string) => buildLeadershipReport(input({ period, data: history.data, asOf: new Date(`${period}-21T01:00:00Z`) }));
const range = (rg: ReportRange) => buildRangeReport(rg, rg.periods.map(month));

const books: Record<'month' | 'quarter' | 'year', Built> = {} as never;
beforeAll(async () => {
  books.month = await open(await buildWorkbook(month('2022-06')));
  const q = range(quarterRange('2022-Q3'));
  books.quarter = await open(await buildWorkbook(q.last, { range: q }));
  const y = range(yearRange('2022'));
  books.year = await open(await buildWorkbook(y.last, { range: y }));
}, 120_000);

/** Rows holding a table header (the header fill), per sheet. */
function headerRows(ws: ExcelJS.Worksheet): number[] {
  const rows: number[] = [];
  ws.eachRow((row, n) => {
    let header = false;
    row.eachCell((c) => { if ((c.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb === HEADER_FILL) header = true; });
    if (header) rows.push(n);
  });
  return rows;
}

/** sheetN.xml of a sheet, by its position. */
const sheetXml = (b: Built, index: number) => b.parts.get(`xl/worksheets/sheet${index + 1}.xml`)!.toString('utf8');

describe.each(['month', 'quarter', 'year'] as const)('the %s workbook', (kind) => {
  it('one table per sheet: the one header row is the row repeated on every printed page', () => {
    const { wb } = books[kind];
    for (const ws of wb.worksheets) {
      if (ws.name === SHEETS.summary || ws.name === SHEETS.notes) continue;
      const headers = headerRows(ws);
      expect(headers, ws.name).toHaveLength(1);
      expect(ws.pageSetup.printTitlesRow, ws.name).toBe(`${headers[0]}:${headers[0]}`);
    }
  });

  it('the online services have their own sheet, after the pilot breaches', () => {
    const names = books[kind].wb.worksheets.map((w) => w.name);
    expect(names.indexOf(SHEETS.services)).toBe(names.indexOf(SHEETS.pilot) + 1);
    const ws = books[kind].wb.getWorksheet(SHEETS.services)!;
    const header = (ws.getRow(headerRows(ws)[0]).values as unknown[]).slice(1);
    expect(header).toEqual(['STT', 'Mã', 'Đơn vị', 'Số dịch vụ trực tuyến đơn vị báo cáo', 'Có hồ sơ trực tuyến', 'Tỷ lệ']);
    const pilot = books[kind].wb.getWorksheet(SHEETS.pilot)!;
    let services = false;
    pilot.eachRow((row) => row.eachCell((c) => { if (String(c.value).includes('Có hồ sơ trực tuyến')) services = true; }));
    expect(services).toBe(false);
  });

  it('no sheet fixes its default row height; rows whose label wraps are tall enough for it', () => {
    const b = books[kind];
    b.wb.worksheets.forEach((ws, i) => {
      const format = /<sheetFormatPr[^>]*>/.exec(sheetXml(b, i))![0];
      expect(format, ws.name).not.toContain('customHeight');
    });
    const summary = b.wb.getWorksheet(SHEETS.summary)!;
    let checked = 0;
    summary.eachRow((row) => {
      const label = row.getCell(1).value;
      if (typeof label === 'string' && label.startsWith('Dịch vụ trực tuyến có phát sinh')) {
        expect(row.height).toBeGreaterThanOrEqual(30);
        checked++;
      }
    });
    expect(checked).toBe(1);
    // Sub-rows keep their indent in print: text is written as shared strings with the
    // spaces marked preserved (LibreOffice drops leading spaces of an inline value).
    expect(b.parts.get('xl/sharedStrings.xml')?.toString('utf8')).toContain('<t xml:space="preserve">   Trong đó');
    // A header row holds its longest label: "Có hồ sơ trực tuyến" in 14 units is two lines.
    const services = b.wb.getWorksheet(SHEETS.services)!;
    expect(services.getRow(headerRows(services)[0]).height).toBeGreaterThanOrEqual(36);
  });

  it('a level name ("Xã, phường, thị trấn") fits its column: no unit row is printed two lines tall for it', () => {
    for (const ws of books[kind].wb.worksheets) {
      const header = headerRows(ws)[0];
      if (!header) continue;
      const levelColumn = (ws.getRow(header).values as unknown[]).indexOf('Cấp');
      if (levelColumn < 0) continue;
      ws.eachRow((row, n) => {
        if (n > header && row.getCell(levelColumn).value === 'Xã, phường, thị trấn' && String(row.getCell(levelColumn - 1).value).length < 30) {
          expect(row.height ?? 15, `${ws.name} row ${n}`).toBeLessThan(20);
        }
      });
    }
  });

  it('data bars stay solid and span the cell (their x14 part is written, linked from the main rule)', () => {
    const xml = sheetXml(books[kind], 0);
    const id = /<cfRule type="dataBar"[^>]*>.*?<x14:id>(\{[0-9A-F-]+\})<\/x14:id>/.exec(xml)?.[1];
    expect(id).toBeTruthy();
    expect(xml).toContain(`<x14:cfRule type="dataBar" id="${id}"><x14:dataBar minLength="0" maxLength="100" gradient="0">`);
  });

  it('Tổng hợp: the trend section starts a page; the trend chart is a PNG under its table', () => {
    const b = books[kind];
    const summary = b.wb.getWorksheet(SHEETS.summary)!;
    const xml = sheetXml(b, 0);
    const brk = /<rowBreaks[^>]*><brk id="(\d+)"/.exec(xml);
    expect(brk).not.toBeNull();
    const trendHeading = Number(brk![1]) + 1;
    expect(String(summary.getCell(trendHeading, 1).value)).toMatch(/^II\. XU HƯỚNG/);
    expect(summary.pageSetup.printTitlesRow).toBeFalsy();
    // The drawing: one picture anchored on Tổng hợp, the PNG of the chart's size in the package.
    expect(xml).toMatch(/<drawing r:id="rId\d+"\/>/);
    const images = (summary as unknown as { getImages(): Array<{ imageId: string; range: { tl: { nativeRow: number } } }> }).getImages();
    expect(images).toHaveLength(1);
    expect(images[0].range.tl.nativeRow).toBeGreaterThan(trendHeading);
    const media = [...b.parts.keys()].filter((k) => k.startsWith('xl/media/') && k.endsWith('.png'));
    expect(media).toHaveLength(1);
    const png = b.parts.get(media[0])!;
    expect(png.readUInt32BE(16) / png.readUInt32BE(20)).toBeCloseTo(CHART_WIDTH / CHART_HEIGHT, 5);
  });
});

describe('the quarterly and annual workbooks', () => {
  const title = (b: Built) => {
    const texts: string[] = [];
    b.wb.worksheets[0].getRow(5).eachCell((c) => texts.push(String(c.value)));
    return texts.join(' ');
  };

  it('the first sheet\'s title names the period', () => {
    expect(title(books.quarter)).toContain('QUÝ III/2022');
    expect(title(books.year)).toContain('NĂM 2022');
    expect(title(books.month)).not.toMatch(/QUÝ|NĂM/);
  });

  it('every workbook\'s subtitle cites the plan it carries out, as the monthly one does', () => {
    const subtitle = (b: Built) => String(b.wb.worksheets[0].getCell(6, 1).value);
    for (const b of [books.month, books.quarter, books.year]) expect(subtitle(b)).toMatch(/— thực hiện Kế hoạch (số )?128\/KH-UBND/);
  });

  it('the quarter puts each unit\'s rates and submissions side by side; only the year has the evaluation', () => {
    const q = books.quarter.wb;
    const rates = q.getWorksheet(SHEETS.rangeRates)!;
    const header = (rates.getRow(headerRows(rates)[0]).values as unknown[]).slice(1).map(String);
    expect(header.filter((h) => h.startsWith('Tháng '))).toEqual(['Tháng 07/2022', 'Tháng 08/2022', 'Tháng 09/2022']);
    const submissions = q.getWorksheet(SHEETS.rangeSubmissions)!;
    const seen = new Set<string>();
    submissions.eachRow((row, n) => { if (n > headerRows(submissions)[0]) for (let c = 5; c <= 7; c++) seen.add(String(row.getCell(c).value)); });
    expect([...seen].sort()).toEqual(expect.arrayContaining(['Chưa BC', 'Muộn', 'Đúng hạn']));
    expect(q.getWorksheet(SHEETS.yearEvaluation)).toBeUndefined();
  });

  it('the year lists đạt / không đạt per unit against the target window', () => {
    const ws = books.year.wb.getWorksheet(SHEETS.yearEvaluation)!;
    expect(books.year.wb.worksheets[1].name).toBe(SHEETS.yearEvaluation);
    const head = headerRows(ws)[0];
    const results = new Map<string, number>();
    ws.eachRow((row, n) => { if (n > head) results.set(String(row.getCell(9).value), (results.get(String(row.getCell(9).value)) ?? 0) + 1); });
    // Units whose reports held no new dossier over the window have no rate to judge: neither đạt nor không đạt.
    expect(results.get('Đạt')! + results.get('Không đạt')! + (results.get('Không phát sinh hồ sơ') ?? 0)).toBe(249);
    expect(results.get('Không giao chỉ tiêu')).toBe(3);
    const headers = (ws.getRow(head).values as unknown[]).slice(1).map(String);
    expect(headers).toEqual(expect.arrayContaining(['Kỳ đánh giá', 'Tỷ lệ trực tuyến cộng dồn các kỳ đánh giá']));
    // Each unit with a target says the months it is judged on: the 2022 window.
    const windows = new Set<string>();
    ws.eachRow((row, n) => { if (n > head && row.getCell(9).value !== 'Không giao chỉ tiêu') windows.add(String(row.getCell(5).value)); });
    expect([...windows]).toEqual(['05/2022 – 12/2022']);
  });
});
