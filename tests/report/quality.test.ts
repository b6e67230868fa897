// "Kiểm tra số liệu": this period's reports whose upload carries an outlier, a balance or a
// cross-check warning, and stored reports that are not counts. Records go straight into the memory store.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Counts } from '../../shared/report-file/counts.ts';
import { loadLeadershipReport } from '../../shared/report/load-report.ts';
import type { LeadershipReport } from '../../shared/report/period-report.ts';
import { doubtsFigure } from '../../shared/report/quality.ts';
import { leadershipEmail } from '../../shared/report/email.ts';
import { buildWorkbook } from '../../shared/report/workbook.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';
import { counts } from './helpers.ts';
import { planContext, putReport } from './store-records.ts';

const OUTLIER = { code: 'outlier_new_dossiers', message: 'Số hồ sơ mới trong kỳ (12.000) gấp hơn 5 lần trung vị 6 kỳ gần nhất của đơn vị (1.500).' };
const RATE = { code: 'outlier_online_rate', message: 'Tỷ lệ trực tuyến 95,0% lệch hơn 40 điểm % so với trung vị (20,0%).' };
const BALANCE = { code: 'received_not_balanced', message: 'Tổng số hồ sơ tiếp nhận (1.003) khác đã giải quyết cộng đang giải quyết (1.000).' };
const NAME = { code: 'unit_name_mismatch', message: 'Tên đơn vị trong tệp khác danh mục.' };
const HOSTILE = { code: 'outlier_online_rate', message: '=HYPERLINK("http://x")' };

let r: LeadershipReport;
let rows: unknown[][];
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  const store = new MemoryReportStore();
  await putReport(store, 'S01', '2022-06', counts({ online: 12000, direct: 0 }), { warnings: [NAME, OUTLIER, RATE] });
  await putReport(store, 'X001', '2022-06', counts({ online: 500, direct: 500 }), { warnings: [BALANCE] });
  // H01's flagged upload was replaced by a clean one: its report no longer carries the warning.
  await putReport(store, 'H01', '2022-06', counts({ online: 1, direct: 1 }), { warnings: [OUTLIER], eventTime: '2022-06-17T01:00:00.000Z' });
  await putReport(store, 'H01', '2022-06', counts({ online: 2, direct: 1 }), { eventTime: '2022-06-18T01:00:00.000Z' });
  await putReport(store, 'X002', '2022-05', counts({ online: 1, direct: 1 }), { warnings: [OUTLIER] }); // another period
  await putReport(store, 'X003', '2022-06', { ...counts({ online: 1, direct: 1 }), received_online: Infinity } as Counts);
  await putReport(store, 'X004', '2022-06', counts({ online: 1, direct: 1 }), { warnings: [HOSTILE] });
  r = await loadLeadershipReport(planContext(store, new Date('2022-06-20T01:00:00Z')), '2022-06');
  const wb = workbook = new ExcelJS.Workbook();
  await wb.xlsx.load(await buildWorkbook(r) as unknown as ArrayBuffer);
  rows = [];
  wb.getWorksheet('Kiểm tra số liệu')!.eachRow((row, n) => { if (n > 4) rows.push((row.values as unknown[]).slice(1)); });
});

describe('data-quality sheet', () => {
  it('which warnings put a figure in doubt', () => {
    for (const code of ['outlier_new_dossiers', 'outlier_online_rate', 'received_not_balanced', 'received_total_not_balanced']) expect(doubtsFigure(code), code).toBe(true);
    // Figures equal to another report's, a carried-over count that does not follow (ingest/cross-checks.ts).
    for (const code of ['same_as_previous_period', 'same_as_other_unit', 'carried_over_mismatch']) expect(doubtsFigure(code), code).toBe(true);
    for (const code of ['unit_name_mismatch', 'period_not_current', 'correction_after_publication']) expect(doubtsFigure(code), code).toBe(false);
  });

  it('lists the current reports\' outlier and balance warnings, then the unusable reports', () => {
    expect(r.quality.map((q) => `${q.unit} ${q.period} ${q.code}`)).toEqual([
      'S01 2022-06 outlier_new_dossiers',
      'S01 2022-06 outlier_online_rate',
      'X001 2022-06 received_not_balanced',
      'X004 2022-06 outlier_online_rate',
      'X003 2022-06 unusable_counts',
    ]);
    expect(r.quality[0].message).toBe(OUTLIER.message);
  });

  it('the sheet shows unit, name, period and the Vietnamese message; text from uploads stays text', () => {
    expect(rows.map((x) => [x[0], x[1], x[3]])).toEqual([[1, 'S01', '06/2022'], [2, 'S01', '06/2022'], [3, 'X001', '06/2022'], [4, 'X004', '06/2022'], [5, 'X003', '06/2022']]);
    expect(typeof rows[0][2]).toBe('string');
    expect(rows[0][4]).toBe(OUTLIER.message);
    expect(rows[2][4]).toBe(BALANCE.message);
    expect(rows[3][4]).toBe(`'${HOSTILE.message}`);
    expect(String(rows[4][4])).toMatch(/không được tính vào số liệu tổng hợp/);
  });

  it('on the ranking sheets a unit listed there is marked after its name, with a line saying why; a unit whose flagged upload was replaced is not', () => {
    const texts = (sheet: string) => {
      const out: string[] = [];
      workbook.getWorksheet(sheet)!.eachRow((row) => row.eachCell((c) => void out.push(String(c.value))));
      return out;
    };
    const departments = texts('Sở ban ngành');
    const s01 = r.rows.find((x) => x.unit.code === 'S01')!.unit.name;
    expect(departments).toContain(`${s01} (*)`);
    expect(departments).toContain('(*) Số liệu kỳ này cần kiểm tra lại với đơn vị (vẫn được tính và xếp hạng như đã gửi): xem trang "Kiểm tra số liệu".');
    // X003's report is unusable (left out, not ranked as sent): not marked.
    expect(texts('Xã phường')).toContain(r.rows.find((x) => x.unit.code === 'X003')!.unit.name);
    const districts = texts('Quận huyện');
    expect(districts).toContain(r.rows.find((x) => x.unit.code === 'H01')!.unit.name);
    expect(districts.some((t) => t.includes('(*)'))).toBe(false);
  });

  it('the email points the leadership to the sheet', () => {
    const mail = leadershipEmail(r, ['lanh-dao@haiphong.gov.vn'], Buffer.alloc(0));
    expect(mail.html).toContain('<b>Lưu ý:</b> 5 nội dung cần kiểm tra số liệu (trang tính "Kiểm tra số liệu").');
    expect(mail.text).toContain('Lưu ý: 5 nội dung cần kiểm tra số liệu');
  });
});
