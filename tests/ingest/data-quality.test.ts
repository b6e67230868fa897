// Data quality at ingest, on the memory stores: a correction after the period's leadership
// report went out, and figures far from the unit's own history.
import { describe, expect, it, vi } from 'vitest';
import { csvReport, randomCsvReport, seeded } from './helpers.ts';
import { MemoryIngest } from './memory-harness.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
});

const PERIOD = '2022-06';
const h = new MemoryIngest();

const codes = (issues: Array<{ code: string }>) => issues.map((i) => i.code);

describe('uploads for a period already reported to leadership', () => {
  it('a new accepted upload is a correction: accepted, warned with the publication date, on-time status kept, new figures counted', async () => {
    const rng = seeded(801);
    const [first, fix] = [randomCsvReport(rng, 'S01', PERIOD), randomCsvReport(rng, 'S01', PERIOD)];
    const before = await h.upload('incoming/S01/bao-cao.csv', first.bytes, '2022-06-19T10:00:00+07:00');
    expect(before).toMatchObject({ outcome: 'accepted' });
    expect(codes(before.warnings)).not.toContain('correction_after_publication');

    // The report Lambda marks the period published when the leadership email goes (08:00, the 20th).
    await h.store.markPublished(PERIOD, '2022-06-20T01:00:00.000Z', 'leadership-mail-1');

    const after = await h.upload('incoming/S01/bao-cao-sua.csv', fix.bytes, '2022-06-24T09:00:00+07:00');
    expect(after).toMatchObject({ unit: 'S01', period: PERIOD, outcome: 'accepted' });
    const warning = after.warnings.find((w) => w.code === 'correction_after_publication');
    expect(warning?.message).toBe('Kỳ 06/2022 đã được tổng hợp gửi lãnh đạo ngày 20/06/2022; báo cáo này được ghi nhận là điều chỉnh số liệu và sẽ được liệt kê trong báo cáo kỳ sau.');
    expect(codes((await h.store.getUpload(PERIOD, 'S01', after.uploadId))!.warnings)).toContain('correction_after_publication');
    expect(await h.text(after.feedback.text)).toContain(`Lưu ý: ${warning!.message} (mã lưu ý: correction_after_publication)`);
    expect(JSON.parse((await h.text(after.feedback.json))!).warnings).toContainEqual(expect.objectContaining({ code: 'correction_after_publication' }));

    expect(await h.statusOf('S01', PERIOD)).toMatchObject({ status: 'on_time', counts: fix.counts });
  });

  it('the same bytes again after publication are unchanged, no correction', async () => {
    const report = csvReport('S02', PERIOD, [{ field: 'Hộ tịch', counts: randomCsvReport(seeded(802), 'S02', PERIOD).counts }]);
    await h.upload('incoming/S02/a.csv', report.bytes, '2022-06-18T10:00:00+07:00');
    const again = await h.upload('incoming/S02/b.csv', report.bytes, '2022-06-25T10:00:00+07:00');
    expect(again.outcome).toBe('unchanged');
    expect(codes(again.warnings)).not.toContain('correction_after_publication');
  });

  it('a period claimed (its report has read the data; the mail goes a moment later) takes an upload as a correction', async () => {
    await h.store.claimPublication('2021-12', '2021-12-20T01:00:00.000Z');
    const v = await h.upload('incoming/S03/bc.csv', randomCsvReport(seeded(803), 'S03', '2021-12').bytes, '2021-12-22T10:00:00+07:00');
    expect(v).toMatchObject({ period: '2021-12', outcome: 'accepted' });
    expect(codes(v.warnings)).toContain('correction_after_publication');
  });
});

describe('figures far from the unit\'s own history', () => {
  it('a period with ten times the unit\'s usual new dossiers is accepted with outlier_new_dossiers, on the record and in the feedback', async () => {
    // Balanced: everything received was resolved on time.
    const figures = (online: number, direct = 100) => ({
      received_online: online, received_direct: direct, received_postal: 0, carried_over: 0, resolved_early: 0,
      resolved_on_time: online + direct, resolved_overdue: 0, pending_within: 0, pending_overdue: 0, returned_postal: 0,
    });
    for (const [i, period] of ['2022-01', '2022-02', '2022-03', '2022-04'].entries()) {
      const v = await h.upload(`incoming/X111/bao-cao-${period}.csv`, csvReport('X111', period, [{ field: 'Hộ tịch', counts: figures(100 + i) }]).bytes, `${period}-17T09:00:00+07:00`);
      expect(v, period).toMatchObject({ outcome: 'accepted' });
      expect(codes(v.warnings), period).toEqual([]);
    }
    const slip = csvReport('X111', '2022-05', [{ field: 'Hộ tịch', counts: figures(1000, 1000) }]); // an extra zero in both
    const v = await h.upload('incoming/X111/bao-cao-2022-05.csv', slip.bytes, '2022-05-17T09:00:00+07:00');
    expect(v.outcome).toBe('accepted');
    expect(codes(v.warnings)).toEqual(['outlier_new_dossiers']);
    expect(codes((await h.store.getUpload('2022-05', 'X111', v.uploadId))!.warnings)).toEqual(['outlier_new_dossiers']);
    expect(await h.text(v.feedback.text)).toContain('Số hồ sơ mới tiếp nhận trong kỳ là 2.000, gấp 9,9 lần mức trung vị 201,5 của 4 kỳ báo cáo gần nhất');
    expect(await h.store.getCurrent('2022-05', 'X111')).toMatchObject({ uploadId: v.uploadId, counts: slip.counts });
  });
});
