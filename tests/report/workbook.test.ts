// The leadership workbook (indicators.md "The monthly leadership workbook"), opened again
// with exceljs and, for formulas, read as raw sheet XML.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLeadershipReport, type LeadershipReport } from '../../shared/report/period-report.ts';
import { buildWorkbook, LEVEL_SHEETS, SHEETS, workbookFileName } from '../../shared/report/workbook.ts';
import { PLAN_128_ONLINE_ONLY, PLAN_128_UNITS, type OnlineOnlyProcedure } from '../../shared/units/plan-128-2022.ts';
import { LEVELS, type Level, type Unit } from '../../shared/units/unit.ts';
import { counts, History, input, planHistory } from './helpers.ts';
import { unzip } from './zip.ts';

const ORDER = ['Tổng hợp', 'Sở ban ngành', 'Quận huyện', 'Xã phường', 'Chưa báo cáo', 'Quá hạn', 'Thí điểm trực tuyến', 'Dịch vụ trực tuyến', 'Điều chỉnh số liệu', 'Kiểm tra số liệu', 'Ghi chú'];

// Names that a spreadsheet would take for formulas (the registry and procedure names are uploads).
const HOSTILE: Record<string, string> = {
  S03: '=HYPERLINK("http://x")',
  S04: '=1+1',
  H02: '+SUM(1,2)',
  X005: '-2+3',
  X010: '@cmd',
};
const HOSTILE_PROCEDURE = '=cmd|" /C calc"!A0';

const units: Unit[] = PLAN_128_UNITS.map((u) => (HOSTILE[u.code] ? { ...u, name: HOSTILE[u.code] } : u));
const pilot: OnlineOnlyProcedure[] = [...PLAN_128_ONLINE_ONLY, { level: 'department', unitName: '', field: '', procedureName: HOSTILE_PROCEDURE }];

let r: LeadershipReport;
let bytes: Buffer;
let wb: ExcelJS.Workbook;

beforeAll(async () => {
  const { history } = planHistory(11, '2022-06');
  const june = history.data.get('2022-06')!;
  // S03 reports (with a breach of the hostile pilot procedure); X010 misses June; S04 is late.
  june.current = june.current.filter((c) => !['S03', 'S04', 'X010'].includes(c.unit));
  june.uploads = june.uploads.filter((c) => !['S03', 'S04', 'X010'].includes(c.unit));
  history.report('S03', '2022-06', counts({ online: 300, direct: 100, postal: 5, onTime: 200, overdue: 7, pendingOverdue: 3 }), {
    procedures: [
      { code: null, name: HOSTILE_PROCEDURE, online_level: 'full', received_online: 3, received_direct: 2, received_postal: 0 },
      { code: '1.2', name: 'Thủ tục thường', online_level: 'partial', received_online: 0, received_direct: 4, received_postal: 0 },
    ],
  });
  history.report('S04', '2022-06', counts({ online: 10, direct: 10 }), { eventTime: '2022-06-23T03:00:00.000Z' });
  history.report('X005', '2022-06', counts({ online: 50, direct: 50 }));
  history.report('H02', '2022-06', counts({ online: 500, direct: 500 }));
  r = buildLeadershipReport(input({ period: '2022-06', data: history.data, units, pilot, asOf: new Date('2022-06-20T01:00:00Z') }));
  bytes = await buildWorkbook(r);
  wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
});

const sheet = (name: string) => {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
};

/** Header texts of a row → column numbers. */
function headerColumns(ws: ExcelJS.Worksheet, row: number): Map<string, number> {
  const out = new Map<string, number>();
  ws.getRow(row).eachCell((cell, col) => out.set(String(cell.value), col));
  return out;
}

function columnStarting(cols: Map<string, number>, prefix: string): number {
  for (const [text, col] of cols) if (text.startsWith(prefix)) return col;
  throw new Error(`no column ${prefix}`);
}

/** Text cells as strings, stripped of the spreadsheet's text marker (leading apostrophe) if the writer used one. */
const shown = (v: ExcelJS.CellValue) => (typeof v === 'string' ? v.replace(/^'/, '') : v);

function findRow(ws: ExcelJS.Worksheet, col: number, value: string): ExcelJS.Row {
  for (let i = 1; i <= ws.rowCount; i++) if (ws.getRow(i).getCell(col).value === value) return ws.getRow(i);
  throw new Error(`${ws.name}: no row with ${value} in column ${col}`);
}

describe('structure', () => {
  it('sheet names, in order', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(ORDER);
    expect([SHEETS.summary, ...LEVELS.map((l) => LEVEL_SHEETS[l]), SHEETS.missing, SHEETS.overdue, SHEETS.pilot, SHEETS.services, SHEETS.corrections, SHEETS.quality, SHEETS.notes]).toEqual(ORDER);
    expect(workbookFileName('2022-06')).toBe('bao-cao-dvc-2022-06.xlsx');
  });

  it('Tổng hợp carries the Nghị định 30 heading: agency on the left, national motto on the right, place and date, title', () => {
    const ws = sheet('Tổng hợp');
    const cells = new Map<string, { row: number; col: number; bold: boolean }>();
    for (let row = 1; row <= 6; row++) {
      ws.getRow(row).eachCell((c, col) => {
        if (typeof c.value === 'string' && !cells.has(c.value)) cells.set(c.value, { row, col, bold: Boolean(c.font?.bold) });
      });
    }
    const at = (text: string) => {
      const x = cells.get(text);
      if (!x) throw new Error(`heading "${text}" missing; have ${[...cells.keys()].join(' | ')}`);
      return x;
    };
    expect(at('ỦY BAN NHÂN DÂN')).toMatchObject({ row: 1, col: 1, bold: true });
    expect(at('THÀNH PHỐ HẢI PHÒNG')).toMatchObject({ row: 2, col: 1, bold: true });
    const motto = at('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(motto).toMatchObject({ row: 1, bold: true });
    expect(motto.col).toBeGreaterThan(1);
    expect(at('Độc lập - Tự do - Hạnh phúc')).toMatchObject({ row: 2, col: motto.col, bold: true });
    expect(at('Hải Phòng, ngày 20 tháng 6 năm 2022').row).toBe(3); // 08:00 on 20/6 in Hải Phòng
    expect(at('BÁO CÁO KẾT QUẢ TIẾP NHẬN HỒ SƠ TRỰC TUYẾN')).toMatchObject({ bold: true });
    expect([...cells.keys()].some((t) => t.includes('Kế hoạch số 128/KH-UBND') && t.includes('06/2022') && t.includes('16/05/2022') && t.includes('15/06/2022'))).toBe(true);
    expect(ws.getCell(2, motto.col).font?.underline).toBeTruthy();
  });

  it('every written cell is in Times New Roman', () => {
    let checked = 0;
    for (const ws of wb.worksheets) {
      ws.eachRow((row) => row.eachCell((cell) => {
        if (cell.value === null || cell.value === undefined || cell.isMerged && cell.master !== cell) return;
        expect(cell.font?.name, `${ws.name}!${cell.address}`).toBe('Times New Roman');
        checked++;
      }));
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('print setup: A4 landscape fitted to one page wide on every sheet; header row repeated, frozen panes and filter on ranking sheets', () => {
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup, ws.name).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    }
    for (const name of [...LEVELS.map((l) => LEVEL_SHEETS[l]), 'Quá hạn', 'Chưa báo cáo']) {
      const ws = sheet(name);
      expect(ws.pageSetup.printTitlesRow, name).toBe('4:4');
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
      expect((ws.views[0] as { xSplit?: number }).xSplit).toBeGreaterThan(0);
      expect(String(ws.autoFilter), name).toMatch(/^A4:[A-Z]+\d+$/);
    }
  });

  it('conditional formatting: data bars for rates, green đạt / red chưa đạt on the result column', () => {
    for (const level of LEVELS) {
      const ws = sheet(LEVEL_SHEETS[level]);
      const cf = (ws as unknown as { conditionalFormattings: Array<{ ref: string; rules: Array<Record<string, unknown>> }> }).conditionalFormattings;
      const cols = headerColumns(ws, 4);
      const letter = (col: number) => ws.getColumn(col).letter;
      const last = 4 + r.rows.filter((x) => x.unit.level === level).length;
      const bars = cf.find((x) => x.rules.some((rule) => rule.type === 'dataBar'));
      expect(bars?.ref).toBe(`${letter(cols.get('Tỷ lệ trực tuyến trong kỳ')!)}5:${letter(columnStarting(cols, 'Tỷ lệ trực tuyến lũy kế'))}${last}`);
      const result = letter(cols.get('Kết quả')!);
      const colours = cf.find((x) => x.ref === `${result}5:${result}${last}`);
      expect(colours).toBeDefined();
      const byText = (text: string) => colours!.rules.find((rule) => JSON.stringify(rule.formulae) === JSON.stringify([`${result}5="${text}"`])) as
        { style: { fill: { bgColor: { argb: string } } } } | undefined;
      expect(byText('Đạt')?.style.fill.bgColor.argb).toBe('FFC6EFCE');
      // Every text that starts "Chưa đạt" (also "Chưa đạt (chưa có số liệu lũy kế)") is red.
      const red = colours!.rules.find((rule) => JSON.stringify(rule.formulae) === JSON.stringify([`LEFT(${result}5,8)="Chưa đạt"`])) as
        { style: { fill: { bgColor: { argb: string } } } } | undefined;
      expect(red?.style.fill.bgColor.argb).toBe('FFFFC7CE');
    }
    const summary = (sheet('Tổng hợp') as unknown as { conditionalFormattings: Array<{ rules: Array<{ type: string }> }> }).conditionalFormattings;
    expect(summary.some((x) => x.rules.some((rule) => rule.type === 'dataBar'))).toBe(true);
  });
});

describe('Tổng hợp figures', () => {
  it('city and level figures are numbers with 0.0% / #,##0 formats', () => {
    const ws = sheet('Tổng hợp');
    let headerRow = 0;
    for (let i = 1; i <= 20 && !headerRow; i++) if (ws.getCell(i, 1).value === 'Chỉ tiêu') headerRow = i;
    expect(headerRow).toBeGreaterThan(0);
    expect([2, 3, 4, 5].map((c) => ws.getCell(headerRow, c).value)).toEqual(['Toàn thành phố', 'Sở, ban, ngành', 'Quận, huyện', 'Xã, phường, thị trấn']);
    const line = (label: string) => findRow(ws, 1, label);
    const rate = line('Tỷ lệ hồ sơ trực tuyến trong kỳ');
    expect(rate.getCell(2).value).toBe(r.totals.city.periodRates.onlineRate);
    expect(rate.getCell(2).numFmt).toBe('0.0%');
    LEVELS.forEach((l, i) => expect(rate.getCell(3 + i).value).toBe(r.totals.levels[l].periodRates.onlineRate));
    const fresh = line('Hồ sơ mới tiếp nhận trong kỳ');
    expect(fresh.getCell(2).value).toBe(r.totals.city.periodRates.newDossiers);
    expect(typeof fresh.getCell(2).value).toBe('number');
    expect(fresh.getCell(2).numFmt).toBe('#,##0');
    expect(line('Tỷ lệ hồ sơ trực tuyến kỳ trước').getCell(2).value).toBe(r.totals.city.previousPeriodRate);
    const ytd = findRow(ws, 1, 'Tỷ lệ hồ sơ trực tuyến lũy kế (từ kỳ 05/2022)');
    expect(ytd.getCell(2).value).toBe(r.totals.city.ytdRates.onlineRate);
    expect(ytd.getCell(2).numFmt).toBe('0.0%');
    // The units partitioned: đạt + chưa đạt + không giao chỉ tiêu = all units; "chưa báo cáo" among them.
    const value = (label: string, col = 2) => line(label).getCell(col).value as number;
    expect(value('   Đạt chỉ tiêu được giao')).toBe(r.totals.city.unitsMet);
    expect(value('   Chưa đạt chỉ tiêu được giao (kể cả chưa có số liệu lũy kế, không phát sinh hồ sơ)')).toBe(r.totals.city.unitsNotMet);
    expect(value('   Không giao chỉ tiêu')).toBe(3);
    expect(value('   Trong đó: chưa báo cáo kỳ này')).toBe(r.totals.city.unitsNotReported);
    expect(value('Số đơn vị')).toBe(252);
    for (let col = 2; col <= 5; col++) {
      expect(value('   Đạt chỉ tiêu được giao', col) + value('   Chưa đạt chỉ tiêu được giao (kể cả chưa có số liệu lũy kế, không phát sinh hồ sơ)', col) + value('   Không giao chỉ tiêu', col), `column ${col}`)
        .toBe(value('Số đơn vị', col));
      expect(value('   Trong đó: chưa báo cáo kỳ này', col)).toBeLessThanOrEqual(value('Số đơn vị', col));
    }
    expect(r.totals.city.unitsNotReported).toBeGreaterThan(0);
  });
});

describe.each(LEVELS)('ranking sheet for %s', (level: Level) => {
  const HEADERS = ['Hạng', 'Thay đổi hạng so với kỳ trước', 'Mã', 'Đơn vị', ...(level === 'commune' ? ['Quận, huyện'] : []),
    'Hồ sơ mới trong kỳ', 'Trực tuyến trong kỳ', 'Tỷ lệ trực tuyến trong kỳ', 'Tỷ lệ trực tuyến lũy kế từ 05/2022', 'Chỉ tiêu được giao',
    'Chênh lệch (điểm %)', 'Kết quả', 'Tỷ lệ quá hạn lũy kế', 'Tình trạng báo cáo kỳ này'];

  it('header row 4, then the ranked units in ranking order, then the units listed apart', () => {
    const ws = sheet(LEVEL_SHEETS[level]);
    expect(ws.getRow(4).values).toEqual([undefined, ...HEADERS]);
    const cols = headerColumns(ws, 4);
    const ranking = r.ranking.levels[level];
    const apart = r.rows.filter((x) => x.unit.level === level && x.excluded);
    expect(ranking.length).toBeGreaterThan(0);
    const codes: unknown[] = [];
    const rankCells: unknown[] = [];
    for (let i = 0; i < ranking.length + apart.length; i++) {
      codes.push(ws.getCell(5 + i, cols.get('Mã')!).value);
      rankCells.push(ws.getCell(5 + i, cols.get('Hạng')!).value);
    }
    expect(codes).toEqual([...ranking.map((e) => e.unit), ...apart.map((x) => x.unit.code)]);
    expect(rankCells).toEqual([...ranking.map((e) => e.rank), ...apart.map(() => null)]);
  });

  it('rates are numbers formatted 0.0%, counts are numbers, results read Đạt / Chưa đạt', () => {
    const ws = sheet(LEVEL_SHEETS[level]);
    const cols = headerColumns(ws, 4);
    const rows = new Map(r.rows.map((x) => [x.unit.code, x]));
    r.ranking.levels[level].forEach((e, i) => {
      const row = ws.getRow(5 + i);
      const x = rows.get(e.unit)!;
      const ytd = row.getCell(columnStarting(cols, 'Tỷ lệ trực tuyến lũy kế'));
      expect(ytd.value).toBe(e.ytd_online_rate);
      expect(ytd.numFmt).toBe('0.0%');
      const target = row.getCell(cols.get('Chỉ tiêu được giao')!);
      expect(target.value).toBeCloseTo(e.target_pct / 100, 12);
      expect(target.numFmt).toBe('0.0%');
      expect(row.getCell(cols.get('Chênh lệch (điểm %)')!).value).toBe(e.gap_pp);
      expect(row.getCell(cols.get('Kết quả')!).value).toBe(e.gap_pp >= 0 ? 'Đạt' : 'Chưa đạt');
      expect(shown(row.getCell(cols.get('Đơn vị')!).value)).toBe(e.name);
      const fresh = row.getCell(cols.get('Hồ sơ mới trong kỳ')!);
      const period = row.getCell(cols.get('Tỷ lệ trực tuyến trong kỳ')!);
      if (x.period) {
        expect(fresh.value).toBe(x.periodRates.newDossiers);
        expect(typeof row.getCell(cols.get('Trực tuyến trong kỳ')!).value).toBe('number');
        if (x.periodRates.onlineRate !== null) expect(period.value).toBe(x.periodRates.onlineRate);
      } else {
        expect(fresh.value).toBeNull(); // missed this period: ranked on YTD, no period figures
      }
      expect(period.numFmt).toBe('0.0%');
      expect(fresh.numFmt).toBe('#,##0');
      expect(row.getCell(cols.get('Thay đổi hạng so với kỳ trước')!).value).toBe(e.rank_change);
    });
  });
});

describe('other sheets', () => {
  it('Chưa báo cáo lists every missing unit and every late unit', () => {
    const ws = sheet('Chưa báo cáo');
    const cols = headerColumns(ws, 4);
    expect([...cols.keys()]).toEqual(['STT', 'Mã', 'Đơn vị', 'Cấp', 'Tình trạng', 'Thời điểm nhận báo cáo hợp lệ']);
    const listed = new Map<string, string>();
    for (let i = 5; i <= ws.rowCount; i++) {
      const code = ws.getCell(i, cols.get('Mã')!).value;
      if (typeof code === 'string') listed.set(code, String(ws.getCell(i, cols.get('Tình trạng')!).value));
    }
    expect(r.missing.length).toBeGreaterThan(5);
    for (const code of r.missing) expect(listed.has(code), code).toBe(true);
    expect(listed.get('X010')).toBe('Chưa báo cáo');
    expect(r.late).toContain('S04');
    for (const code of r.late) expect(listed.get(code)).toBe('Nộp muộn');
    expect(listed.size).toBe(r.rows.filter((x) => x.status !== 'on_time').length);
    expect(typeof ws.getCell(5, 1).value).toBe('number');
  });

  it('Quá hạn: the overdue ranking ascending, rates as 0.0% numbers, counts as numbers', () => {
    const ws = sheet('Quá hạn');
    const cols = headerColumns(ws, 4);
    r.overdue.city.forEach((e, i) => {
      const row = ws.getRow(5 + i);
      expect(row.getCell(cols.get('Mã')!).value).toBe(e.unit);
      expect(row.getCell(cols.get('Hạng')!).value).toBe(e.rank);
      const rate = row.getCell(cols.get('Tỷ lệ quá hạn lũy kế')!);
      expect(rate.value).toBe(e.ytd_overdue_rate);
      expect(rate.numFmt).toBe('0.0%');
      expect(row.getCell(cols.get('Đã giải quyết lũy kế')!).value).toBe(e.ytd_resolved);
    });
    const rates = r.overdue.city.map((e) => e.ytd_overdue_rate);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
  });

  it('Thí điểm trực tuyến lists the pilot breaches; Ghi chú says the period and the source file count', () => {
    const pilotSheet = sheet('Thí điểm trực tuyến');
    const cols = headerColumns(pilotSheet, 4);
    const row = findRow(pilotSheet, cols.get('Mã')!, 'S03');
    expect(shown(row.getCell(columnStarting(cols, 'Thủ tục hành chính')).value)).toBe(HOSTILE_PROCEDURE);
    expect(row.getCell(cols.get('Hồ sơ trực tiếp')!).value).toBe(2);
    const notes = sheet('Ghi chú');
    const text = (label: string) => String(findRow(notes, 1, label).getCell(2).value);
    expect(text('Kỳ báo cáo')).toContain('16/05/2022');
    expect(text('Xếp hạng quá hạn')).toContain('tăng dần (thấp xếp trước); bằng nhau (chẳng hạn cùng 0%) thì theo tỷ lệ trực tuyến lũy kế');
    expect(text('Số báo cáo hợp lệ của kỳ')).toBe(`${r.sourceFiles} báo cáo / 252 đơn vị`);
    expect(text('Kỳ tính lũy kế')).toContain('không lấy trung bình');
  });
});

describe('text from uploads is never a formula', () => {
  it('hostile unit and procedure names arrive as string cells', () => {
    const found = new Map<string, ExcelJS.CellValue>();
    for (const ws of wb.worksheets) {
      ws.eachRow((row) => row.eachCell((cell) => {
        const v = cell.value;
        expect(typeof v === 'object' && v !== null && !(v instanceof Date) && ('formula' in v || 'sharedFormula' in v), `${ws.name}!${cell.address}`).toBe(false);
        const s = shown(v);
        if (typeof s === 'string' && (Object.values(HOSTILE).includes(s) || s === HOSTILE_PROCEDURE)) found.set(`${ws.name}:${s}`, v);
      }));
    }
    for (const name of Object.values(HOSTILE)) {
      expect(found.has(`Xã phường:${name}`) || found.has(`Sở ban ngành:${name}`) || found.has(`Quận huyện:${name}`), name).toBe(true);
    }
    expect(found.has(`Xã phường:${HOSTILE.H02}`)).toBe(true); // the district name as the communes' parent
    expect(found.has(`Chưa báo cáo:${HOSTILE.X010}`)).toBe(true);
    expect(found.has(`Thí điểm trực tuyến:${HOSTILE_PROCEDURE}`)).toBe(true);
    for (const v of found.values()) expect(typeof v).toBe('string');
  });

  it('the sheet XML holds no formula element at all', () => {
    const parts = unzip(bytes);
    const sheets = [...parts.keys()].filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k));
    expect(sheets).toHaveLength(ORDER.length);
    for (const k of sheets) expect(parts.get(k)!.toString('utf8'), k).not.toMatch(/<f[ >]/);
    const shared = parts.get('xl/sharedStrings.xml')?.toString('utf8') ?? '';
    const inline = sheets.map((k) => parts.get(k)!.toString('utf8')).join('');
    expect(shared + inline).toContain('HYPERLINK(&quot;http://x&quot;)');
  });
});

describe('dates and times are in the configured time zone', () => {
  // 2022-06-19T20:30Z is 20/06 03:30 in Hải Phòng and still 19/06 20:30 in UTC.
  const at = new Date('2022-06-19T20:30:00Z');
  const build = async (timeZone: string) => {
    const h = new History().report('S01', '2022-06', counts({ online: 1, direct: 1 }), { eventTime: at.toISOString() });
    const report = buildLeadershipReport(input({ period: '2022-06', data: h.data, asOf: at, periods: { startDay: 16, dueDay: 20, timeZone } }));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await buildWorkbook(report) as unknown as ArrayBuffer);
    const texts: string[] = [];
    for (const ws of book.worksheets) ws.eachRow((row) => row.eachCell((c) => { if (typeof c.value === 'string') texts.push(c.value); }));
    return { report, texts };
  };

  it('the report carries PeriodConfig.timeZone; the heading date and the times shown follow it', async () => {
    const vn = await build('Asia/Ho_Chi_Minh');
    const utc = await build('UTC');
    expect(vn.report.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(utc.report.timeZone).toBe('UTC');
    expect(vn.texts).toContain('Hải Phòng, ngày 20 tháng 6 năm 2022');
    expect(utc.texts).toContain('Hải Phòng, ngày 19 tháng 6 năm 2022');
    expect(vn.texts.some((t) => t.includes('20/06/2022 03:30'))).toBe(true);
    expect(utc.texts.some((t) => t.includes('19/06/2022 20:30'))).toBe(true);
    expect(utc.texts.some((t) => t.includes('20/06/2022 03:30'))).toBe(false);
  });
});

describe('Quá hạn: dossiers past their deadline at a unit that has resolved none', () => {
  it('are listed under the ranking, unranked, with the count, and said in a line', async () => {
    const h = new History()
      .report('S01', '2022-06', counts({ online: 10, direct: 10, onTime: 17, overdue: 3, pendingOverdue: 3 }))
      .report('S02', '2022-06', counts({ online: 10, direct: 10, pendingOverdue: 50 }))
      .report('S03', '2022-06', counts({ online: 10, direct: 10 }));
    const report = buildLeadershipReport(input({ period: '2022-06', data: h.data }));
    expect(report.overdue.city.map((e) => e.unit)).toEqual(['S01']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await buildWorkbook(report) as unknown as ArrayBuffer);
    const ws = book.getWorksheet(SHEETS.overdue)!;
    const cols = headerColumns(ws, 4);
    const at = (row: number, header: string) => ws.getRow(row).getCell(cols.get(header)!).value;
    expect([5, 6].map((row) => [at(row, 'Hạng'), at(row, 'Mã'), at(row, 'Tỷ lệ quá hạn lũy kế'), at(row, 'Đang giải quyết quá hạn (cuối kỳ)')]))
      .toEqual([[1, 'S01', 0.15, 3], [null, 'S02', null, 50]]);
    expect(ws.getCell(7, 3).value).toBeNull(); // S03 has nothing overdue
    expect(ws.getCell(8, 1).value).toBe('Không xếp hạng: 1 đơn vị có hồ sơ đang giải quyết quá hạn nhưng chưa giải quyết hồ sơ nào từ kỳ 05/2022 (chưa tính được tỷ lệ).');
  });
});
