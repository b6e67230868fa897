// The unit's usual figures, which the outlier check compares an accepted upload with: its
// reports (each period's newest accepted upload) of the twelve periods before, the latest six
// of them. Read in the one request ingest makes before judging (ReportStore.ingestView).
import { describe, expect, it, vi } from 'vitest';
import { csvReport } from './helpers.ts';
import { MemoryIngest } from './memory-harness.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
});

const codes = (issues: Array<{ code: string }>) => issues.map((i) => i.code);
// Balanced: everything received was resolved on time. New dossiers: online + direct.
const figures = (online: number, direct = 100) => ({
  received_online: online, received_direct: direct, received_postal: 0, carried_over: 0, resolved_early: 0,
  resolved_on_time: online + direct, resolved_overdue: 0, pending_within: 0, pending_overdue: 0, returned_postal: 0,
});

async function report(h: MemoryIngest, unit: string, period: string, online: number, direct = 100, at = `${period}-17T09:00:00+07:00`) {
  const file = csvReport(unit, period, [{ field: 'Hộ tịch', counts: figures(online, direct) }]);
  return h.upload(`incoming/${unit}/bao-cao-${period}-${online}.csv`, file.bytes, at);
}

describe('the usual figures an upload is compared with', () => {
  it('each earlier period counts with its newest accepted upload, and a period the unit missed is skipped', async () => {
    const h = new MemoryIngest();
    expect((await report(h, 'X111', '2022-01', 100)).outcome).toBe('accepted');
    expect((await report(h, 'X111', '2022-02', 5000)).outcome).toBe('accepted'); // a slip, corrected the next day
    expect((await report(h, 'X111', '2022-02', 102, 100, '2022-02-18T09:00:00+07:00')).outcome).toBe('accepted');
    // No report for 03/2022.
    expect((await report(h, 'X111', '2022-04', 104)).outcome).toBe('accepted');
    const slip = await report(h, 'X111', '2022-05', 1000, 1000);
    expect(slip.outcome).toBe('accepted');
    expect(codes(slip.warnings)).toEqual(['outlier_new_dossiers']);
    // Median of 200, 202 (the correction, not 5,100) and 204.
    expect(await h.text(slip.feedback.text)).toContain('Số hồ sơ mới tiếp nhận trong kỳ là 2.000, gấp 9,9 lần mức trung vị 202 của 3 kỳ báo cáo gần nhất');
  });

  it('reports more than twelve periods before are no longer the unit\'s usual', async () => {
    const h = new MemoryIngest();
    for (const period of ['2021-04', '2021-05', '2021-06']) expect((await report(h, 'X112', period, 100)).outcome).toBe('accepted');
    const far = await report(h, 'X112', '2022-07', 1000, 1000); // 13 to 15 periods on
    expect(far.outcome).toBe('accepted');
    expect(codes(far.warnings)).not.toContain('outlier_new_dossiers');
    // Within twelve periods they are (10 to 12 periods on).
    const near = await report(h, 'X112', '2022-04', 1000, 1000);
    expect(codes(near.warnings)).toContain('outlier_new_dossiers');
  });
});
