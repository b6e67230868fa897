// "Điều chỉnh số liệu": uploads accepted for a period already published to the leadership
// (warning correction_after_publication), listed in the next workbook with the published
// and the current figures. Records go straight into the in-memory store.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORRECTION_CODE } from '../../shared/ingest/ingest-upload.ts';
import { leadershipEmail } from '../../shared/report/email.ts';
import { loadLeadershipReport } from '../../shared/report/load-report.ts';
import { buildWorkbook } from '../../shared/report/workbook.ts';
import { MemoryObjectStore } from '../../shared/store/memory-object-store.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';
import { runLeadershipReport } from '../../shared/report/run-report.ts';
import { counts } from './helpers.ts';
import { planContext, putReport } from './store-records.ts';

const CORRECTION = [{ code: CORRECTION_CODE, message: 'Kỳ đã được tổng hợp gửi lãnh đạo; báo cáo này được ghi nhận là điều chỉnh số liệu.' }];
const store = new MemoryReportStore();

async function publish(period: string, sentAt: string, on: MemoryReportStore = store) {
  expect(await on.claimPublication(period, sentAt)).toBe(true);
  await on.markPublished(period, sentAt, `msg-${period}`);
}

/** The corrections sheet's rows below its header, as plain values. */
async function sheetRows(period: string, now: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await buildWorkbook(await loadLeadershipReport(planContext(store, new Date(now)), period)) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Điều chỉnh số liệu')!;
  const rows: unknown[][] = [];
  ws.eachRow((row, n) => { if (n > 4) rows.push((row.values as unknown[]).slice(1)); });
  return rows;
}

beforeAll(async () => {
  await putReport(store, 'S01', '2022-05', counts({ online: 100, direct: 100 }));
  await putReport(store, 'X001', '2022-05', counts({ online: 10, direct: 10 }));
  await publish('2022-05', '2022-05-20T01:00:00.000Z');
  await putReport(store, 'X001', '2022-05', counts({ online: 30, direct: 10 }), { eventTime: '2022-05-25T03:00:00.000Z', warnings: CORRECTION });

  await putReport(store, 'S01', '2022-06', counts({ online: 50, direct: 50 }));
  await putReport(store, 'X001', '2022-06', counts({ online: 5, direct: 5 }));
  await publish('2022-06', '2022-06-20T01:00:00.000Z');
  await putReport(store, 'S01', '2022-06', counts({ online: 60, direct: 40 }), { eventTime: '2022-06-25T03:00:00.000Z', warnings: CORRECTION });
  await putReport(store, 'S01', '2022-06', counts({ online: 90, direct: 60 }), { eventTime: '2022-06-27T03:00:00.000Z', warnings: CORRECTION });
  // X002 never reported May before it was published: its first report is a correction too.
  await putReport(store, 'X002', '2022-05', counts({ online: 7, direct: 3 }), { eventTime: '2022-07-01T03:00:00.000Z', warnings: CORRECTION });
  // July was never published: its reports are no corrections.
  await putReport(store, 'X001', '2022-07', counts({ online: 1, direct: 1 }));
});

describe('corrections since the previous publication', () => {
  it('the July workbook lists what changed since June was sent: S01 (June, newest correction) and X002 (May)', async () => {
    const r = await loadLeadershipReport(planContext(store, new Date('2022-07-20T01:00:00Z')), '2022-07');
    expect(r.correctionsSince).toBe('2022-06-20T01:00:00.000Z');
    expect(r.corrections).toEqual([
      {
        unit: 'S01', name: expect.any(String), period: '2022-06', receivedAt: '2022-06-27T03:00:00.000Z',
        old: { newDossiers: 100, receivedOnline: 50, onlineRate: 0.5 }, new: { newDossiers: 150, receivedOnline: 90, onlineRate: 0.6 },
      },
      {
        unit: 'X002', name: expect.any(String), period: '2022-05', receivedAt: '2022-07-01T03:00:00.000Z',
        old: null, new: { newDossiers: 10, receivedOnline: 7, onlineRate: 0.7 },
      },
    ]);
    // X001's May correction (25/05) went out with June's workbook, not again.
    expect(r.corrections.map((c) => c.unit)).not.toContain('X001');
    expect(leadershipEmail(r, ['lanh-dao@haiphong.gov.vn'], Buffer.alloc(0)).html)
      .toContain('<b>Lưu ý:</b> 2 báo cáo điều chỉnh số liệu sau khi đã báo cáo (trang tính "Điều chỉnh số liệu").');
  });

  it('the June workbook (rebuilt) lists everything since May was sent, X001 with its published May figures', async () => {
    const r = await loadLeadershipReport(planContext(store, new Date('2022-07-20T01:00:00Z')), '2022-06');
    expect(r.correctionsSince).toBe('2022-05-20T01:00:00.000Z');
    expect(r.corrections.map((c) => `${c.period} ${c.unit}`)).toEqual(['2022-06 S01', '2022-05 X001', '2022-05 X002']);
    const x001 = r.corrections.find((c) => c.unit === 'X001')!;
    expect(x001.old).toEqual({ newDossiers: 20, receivedOnline: 10, onlineRate: 0.5 });
    expect(x001.new).toEqual({ newDossiers: 40, receivedOnline: 30, onlineRate: 0.75 });
  });

  it('the sheet shows unit, period, time received (local), old and new figures', async () => {
    const rows = await sheetRows('2022-07', '2022-07-20T01:00:00Z');
    expect(rows).toHaveLength(2);
    const [s01, x002] = rows;
    expect(s01.slice(0, 2)).toEqual([1, 'S01']);
    expect(s01.slice(3)).toEqual(['06/2022', '27/06/2022 10:00', 100, 150, 50, 90, 0.5, 0.6]);
    expect(x002.slice(3, 5)).toEqual(['05/2022', '01/07/2022 10:00']);
    expect(x002.slice(5)).toEqual([undefined, 10, undefined, 7, undefined, 0.7]);
  });

  it('with no correction the sheet is there and says so', async () => {
    const empty = new MemoryReportStore();
    await putReport(empty, 'S01', '2022-06', counts({ online: 1, direct: 1 }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await buildWorkbook(await loadLeadershipReport(planContext(empty, new Date('2022-06-20T01:00:00Z')), '2022-06')) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Điều chỉnh số liệu')!;
    expect(ws.getCell(5, 1).value).toBe('Không có điều chỉnh');
  });
});

describe('corrections to periods outside the year-to-date', () => {
  it('April (before the 2022 window) corrected after it was sent is listed in May; December corrected is listed in January, once', async () => {
    const own = new MemoryReportStore();
    const sent = (period: string, at: string) => publish(period, at, own);
    await putReport(own, 'S01', '2022-04', counts({ online: 10, direct: 10 }));
    await sent('2022-04', '2022-04-20T01:00:00.000Z');
    await putReport(own, 'S01', '2022-04', counts({ online: 15, direct: 10 }), { eventTime: '2022-04-25T03:00:00.000Z', warnings: CORRECTION });
    await putReport(own, 'S01', '2022-05', counts({ online: 20, direct: 10 }));
    await putReport(own, 'S02', '2022-12', counts({ online: 30, direct: 10 }));
    await sent('2022-12', '2022-12-20T01:00:00.000Z');
    await putReport(own, 'S02', '2022-12', counts({ online: 40, direct: 10 }), { eventTime: '2022-12-28T03:00:00.000Z', warnings: CORRECTION });
    await putReport(own, 'S02', '2023-01', counts({ online: 5, direct: 5 }));
    const report = (period: string) => loadLeadershipReport(planContext(own, new Date(`${period}-20T01:00:00Z`)), period);

    const may = await report('2022-05');
    expect(may.ytdFrom).toBe('2022-05');
    expect(may.corrections.map((c) => [c.period, c.unit, c.new?.receivedOnline])).toEqual([['2022-04', 'S01', 15]]);
    const january = await report('2023-01');
    expect(january.ytdFrom).toBe('2023-01');
    expect(january.corrections.map((c) => [c.period, c.unit, c.old?.receivedOnline, c.new?.receivedOnline])).toEqual([['2022-12', 'S02', 30, 40]]);
    await sent('2023-01', '2023-01-20T01:00:00.000Z');
    await putReport(own, 'S02', '2023-02', counts({ online: 5, direct: 5 }));
    expect((await report('2023-02')).corrections).toEqual([]);
  });
});

describe('corrections around the moment of sending', () => {
  it('an upload received before the send but stored after the report read its data is a correction; one stored before is not', async () => {
    const own = new MemoryReportStore();
    await putReport(own, 'S01', '2022-06', counts({ online: 10, direct: 10 }));
    await putReport(own, 'S02', '2022-06', counts({ online: 20, direct: 10 }));
    // The report read June at 08:00:00 and claimed the send; the mail went at 08:00:05.
    expect(await own.claimPublication('2022-06', '2022-06-20T01:00:00.000Z')).toBe(true);
    // S01's new file reached S3 at 07:59:58 and ingest stored it at 08:00:02: in no workbook.
    await putReport(own, 'S01', '2022-06', counts({ online: 15, direct: 10 }), { eventTime: '2022-06-20T00:59:58.000Z', processedAt: '2022-06-20T01:00:02.000Z', warnings: CORRECTION });
    await own.markPublished('2022-06', '2022-06-20T01:00:05.000Z', 'msg-2022-06');
    const july = await loadLeadershipReport(planContext(own, new Date('2022-07-20T01:00:00Z')), '2022-07');
    expect(july.corrections.map((c) => [c.unit, c.old?.receivedOnline, c.new?.receivedOnline])).toEqual([['S01', 10, 15]]);
  });
});

describe('a run\'s claim is the moment it read its data', () => {
  it('the claim is dated at the read, before the workbook is built and sent: an upload stored in between is a correction', async () => {
    const own = new MemoryReportStore();
    await putReport(own, 'S01', '2022-06', counts({ online: 10, direct: 10 }));
    // Each look at the clock is a second later: the read comes first, the claim and the send after.
    let tick = 0;
    const clock = () => new Date(Date.parse('2022-06-20T01:00:00.000Z') + 1000 * tick++);
    const deps = { ...planContext(own, new Date()), clock, objects: new MemoryObjectStore(), mailer: { send: async () => ({ messageId: 'm-06' }) }, recipients: ['lanh-dao@haiphong.gov.vn'] };
    await runLeadershipReport(deps, '2022-06', { send: true });
    const publication = (await own.getPublication('2022-06'))!;
    expect(publication.claimedAt).toBe('2022-06-20T01:00:00.000Z');
    expect(Date.parse(publication.sentAt!)).toBeGreaterThan(Date.parse(publication.claimedAt));
    // Stored half a second after the read, before the claim was written: ingest saw no claim and
    // gave no warning, yet the workbook did not hold it.
    await putReport(own, 'S01', '2022-06', counts({ online: 14, direct: 10 }), { eventTime: '2022-06-20T00:59:59.000Z', processedAt: '2022-06-20T01:00:00.500Z' });
    const july = await loadLeadershipReport(planContext(own, new Date('2022-07-20T01:00:00Z')), '2022-07');
    expect(july.corrections.map((c) => [c.unit, c.period, c.old?.receivedOnline, c.new?.receivedOnline])).toEqual([['S01', '2022-06', 10, 14]]);
  });
});
