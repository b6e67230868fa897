// A rate beside its target or the floor is shown as precisely as its verdict needs: 59.96%
// against 60% is "Chưa đạt", so it must not read "60,0%" beside "60,0%" (and a gap of "−0,0").
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { leadershipEmail } from '../../shared/report/email.ts';
import { decimalsBeside, floorPct, judgedTexts } from '../../shared/report/format.ts';
import { buildLeadershipReport } from '../../shared/report/period-report.ts';
import { buildWorkbook, LEVEL_SHEETS, SHEETS } from '../../shared/report/workbook.ts';
import { counts, History, input, targets, unit } from './helpers.ts';

describe('decimalsBeside', () => {
  it.each([
    [59.96, 60, 2], [60, 60, 1], [60.04, 60, 1], [47.3, 60, 1], [59.996, 60, 3], [62.45, 62.5, 2], [62.5, 62.5, 1], [59.95, 60, 2],
  ])('%s%% beside %s%%: %s decimals', (rate, reference, decimals) => {
    expect(decimalsBeside(rate, reference)).toBe(decimals);
  });

  it('texts: the rate, the reference and the gap agree with the verdict', () => {
    expect(judgedTexts(0.5996, 0.6)).toEqual({ rate: '59,96%', reference: '60,00%', gap: '−0,04' });
    expect(judgedTexts(0.473, 0.6)).toEqual({ rate: '47,3%', reference: '60,0%', gap: '−12,7' });
  });

  it('the floor as the plan writes it', () => {
    expect([floorPct(0.6), floorPct(0.625), floorPct(0.7)]).toEqual(['60%', '62,5%', '70%']);
  });
});

describe('in the workbook and the email', () => {
  const units = [unit('D1', 'department'), unit('D2', 'department')];
  const history = new History()
    .report('D1', '2022-05', counts({ online: 5996, direct: 4004 }))
    .report('D2', '2022-05', counts({ online: 6000, direct: 4000 }));

  it('the level sheet shows D1 (59.96%, chưa đạt) to two decimals, D2 (60.0%, đạt) as every other row', async () => {
    const r = buildLeadershipReport(input({ period: '2022-05', data: history.data, units, targets: targets({ D1: 60, D2: 60 }), asOf: new Date('2022-05-20T01:00:00Z') }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await buildWorkbook(r) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(LEVEL_SHEETS.department)!;
    const rowOf = (code: string) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((row) => { if (row.getCell(3).value === code) found = row; });
      return found!;
    };
    // Columns: year-to-date (8), target (9), gap (10), result (11).
    const judged = (code: string) => [8, 9, 10, 11].map((c) => ({ value: rowOf(code).getCell(c).value, numFmt: rowOf(code).getCell(c).numFmt ?? null }));
    expect(judged('D1')).toEqual([
      { value: 0.5996, numFmt: '0.00%' }, { value: 0.6, numFmt: '0.00%' }, { value: expect.closeTo(-0.04, 9), numFmt: '+0.00;-0.00;0.00' }, { value: 'Chưa đạt', numFmt: null },
    ]);
    expect(judged('D2')).toEqual([
      { value: 0.6, numFmt: '0.0%' }, { value: 0.6, numFmt: '0.0%' }, { value: 0, numFmt: '+0.0;-0.0;0.0' }, { value: 'Đạt', numFmt: null },
    ]);

    const mail = leadershipEmail(r, ['lanh-dao@haiphong.gov.vn'], Buffer.from('x'));
    expect(mail.text).toContain('Đơn vị D1: lũy kế 59,96%, chỉ tiêu 60,00% (−0,04 điểm %)');
    expect(mail.text).toContain('Đơn vị D2: lũy kế 60,0%, chỉ tiêu 60,0% (0,0 điểm %)');
  });

  it('the city against the floor: summary and email say 59,96% and −0,04, the floor as written', async () => {
    const only = new History().report('D1', '2022-05', counts({ online: 5996, direct: 4004 }));
    const r = buildLeadershipReport(input({ period: '2022-05', data: only.data, units: [units[0]], targets: targets({ D1: 50 }), asOf: new Date('2022-05-20T01:00:00Z') }));
    const mail = leadershipEmail(r, ['lanh-dao@haiphong.gov.vn'], Buffer.from('x'));
    expect(mail.text).toContain('Lũy kế từ kỳ 05/2022: 59,96%, chưa đạt mức tối thiểu 60% của Kế hoạch (−0,04 điểm %).');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await buildWorkbook(r) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(SHEETS.summary)!;
    const cells: Array<{ label: string; value: unknown; numFmt: string | undefined }> = [];
    ws.eachRow((row) => {
      const label = String(row.getCell(1).value ?? '');
      if (label.startsWith('Tỷ lệ hồ sơ trực tuyến lũy kế') || label.startsWith('So với mức tối thiểu')) cells.push({ label, value: row.getCell(2).value, numFmt: row.getCell(2).numFmt });
    });
    expect(cells).toEqual([
      { label: 'Tỷ lệ hồ sơ trực tuyến lũy kế (từ kỳ 05/2022)', value: 0.5996, numFmt: '0.00%' },
      { label: 'So với mức tối thiểu 60% của Kế hoạch (điểm %)', value: expect.closeTo(-0.04, 9), numFmt: '+0.00;-0.00;0.00' },
    ]);

    const r625 = buildLeadershipReport(input({ period: '2022-05', data: only.data, units: [units[0]], targets: targets({ D1: 50 }), floor: 0.625, asOf: new Date('2022-05-20T01:00:00Z') }));
    expect(leadershipEmail(r625, ['lanh-dao@haiphong.gov.vn'], Buffer.from('x')).text).toContain('chưa đạt mức tối thiểu 62,5% của Kế hoạch (−2,5 điểm %)');
  });
});
