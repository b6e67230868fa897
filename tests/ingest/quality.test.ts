// The outlier rule against the unit's own history (pure), and its configuration.
import { describe, expect, it } from 'vitest';
import { qualityFromEnv } from '../../functions/commons/deps.ts';
import { DEFAULT_QUALITY, historyBefore, outlierWarnings, type PeriodFigures } from '../../shared/ingest/quality.ts';
import type { Counts } from '../../shared/report-file/counts.ts';
import { SAMPLE_COUNTS, uploadRecord } from './helpers.ts';

/** Counts with these new dossiers (online + direct + postal) and online share. */
function counts(newDossiers: number, onlineShare = 0.5): Counts {
  const online = Math.round(newDossiers * onlineShare);
  return { ...SAMPLE_COUNTS, received_online: online, received_direct: newDossiers - online, received_postal: 0 };
}
const history = (...items: Array<[number, number?]>): PeriodFigures[] =>
  items.map(([n, share], i) => ({ period: `2022-0${5 - i}`, counts: counts(n, share) }));
const codes = (c: Counts, h: PeriodFigures[], config = DEFAULT_QUALITY) => outlierWarnings(c, h, config).map((w) => w.code);

describe('outlierWarnings', () => {
  const usual = history([1000], [900], [1100], [1000]); // median 1,000 new dossiers, 50% online

  it('new dossiers more than 5× or under 1/5 of the median are flagged, with the figures in Vietnamese', () => {
    const [high] = outlierWarnings(counts(6000), usual);
    expect(high.code).toBe('outlier_new_dossiers');
    expect(high.message).toContain('Số hồ sơ mới tiếp nhận trong kỳ là 6.000, gấp 6 lần mức trung vị 1.000 của 4 kỳ báo cáo gần nhất');
    expect(high).toMatchObject({ sheet: null, row: null, column: null });
    const [low] = outlierWarnings(counts(150), usual);
    expect(low.message).toContain('là 150, chỉ bằng 15,0% mức trung vị 1.000');
    expect(codes(counts(4900), usual)).toEqual([]);
    expect(codes(counts(201), usual)).toEqual([]);
    expect(codes(counts(0), usual)).toEqual(['outlier_new_dossiers']);
  });

  it('an online rate more than 40 points from the median rate is flagged', () => {
    const [w] = outlierWarnings(counts(1000, 0.95), usual);
    expect(w.code).toBe('outlier_online_rate');
    expect(w.message).toContain('Tỷ lệ hồ sơ trực tuyến trong kỳ là 95,0% (950 trên 1.000 hồ sơ mới), cao hơn 45 điểm phần trăm so với mức trung vị 50,0%');
    expect(outlierWarnings(counts(1000, 0.05), usual)[0].message).toContain('thấp hơn 45 điểm phần trăm');
    expect(codes(counts(1000, 0.85), usual)).toEqual([]);
    expect(codes(counts(12_000, 1), usual)).toEqual(['outlier_new_dossiers', 'outlier_online_rate']);
  });

  it('an overdue rate more than 40 points from its median is flagged: "Đúng hạn" and "Quá hạn" swapped', () => {
    const swapped = { ...counts(1000), resolved_on_time: SAMPLE_COUNTS.resolved_overdue, resolved_overdue: SAMPLE_COUNTS.resolved_on_time };
    const [w] = outlierWarnings(swapped, usual);
    expect(w.code).toBe('outlier_overdue_rate');
    expect(w.message).toMatch(/^Tỷ lệ hồ sơ giải quyết quá hạn trong kỳ là [\d,]+% \([\d.]+ trên [\d.]+ hồ sơ đã giải quyết\), cao hơn [\d,]+ điểm phần trăm so với mức trung vị/);
    expect(w.message).toContain('Kiểm tra cột "Đúng hạn" và "Quá hạn" có bị đổi chỗ không');
    expect(codes(counts(1000), usual)).toEqual([]);
  });

  it('no judgement with fewer than three earlier periods, nor on the scale of a unit that usually has none', () => {
    expect(codes(counts(100_000), history([10], [10]))).toEqual([]);
    expect(codes(counts(50), history([0], [0], [0]))).toEqual([]);
  });

  it('only the last six periods count, and the thresholds are configuration', () => {
    const long = history([100], [100], [100], [100], [100], [100], [5000], [5000], [5000]); // the old 5,000s are too old
    expect(codes(counts(900), long)).toEqual(['outlier_new_dossiers']);
    expect(codes(counts(2500), usual, { ...DEFAULT_QUALITY, newDossiersRatio: 2 })).toEqual(['outlier_new_dossiers']);
    expect(codes(counts(1000, 0.75), usual, { ...DEFAULT_QUALITY, onlineRatePoints: 20 })).toEqual(['outlier_online_rate']);
    expect(codes(counts(6000), usual.slice(0, 3), { ...DEFAULT_QUALITY, minHistory: 4 })).toEqual([]);
  });
});

describe('historyBefore', () => {
  it('keeps, per earlier period, the newest accepted upload, newest period first', () => {
    const u = (uploadId: string, period: string, eventTime: string, outcome: 'accepted' | 'rejected' | 'unchanged', n: number) =>
      uploadRecord({ uploadId, unit: 'S01', period, eventTime, outcome, counts: outcome === 'rejected' ? null : counts(n) });
    const uploads = [
      u('a', '2022-04', '2022-04-18T02:00:00Z', 'accepted', 10),
      u('b', '2022-04', '2022-04-19T02:00:00Z', 'accepted', 20), // newer: kept
      u('c', '2022-04', '2022-04-20T02:00:00Z', 'rejected', 0),
      u('d', '2022-05', '2022-05-18T02:00:00Z', 'unchanged', 30),
      u('e', '2022-06', '2022-06-18T02:00:00Z', 'accepted', 40), // the period itself: not history
      u('f', '2022-03', '2022-03-18T02:00:00Z', 'accepted', 50),
    ];
    expect(historyBefore(uploads, '2022-06', 6).map((h) => [h.period, h.counts.received_online * 2])).toEqual([['2022-05', 30], ['2022-04', 20], ['2022-03', 50]]);
    expect(historyBefore(uploads, '2022-06', 2).map((h) => h.period)).toEqual(['2022-05', '2022-04']);
  });
});

describe('qualityFromEnv', () => {
  it('defaults, overrides, and a bad value refused', () => {
    expect(qualityFromEnv({})).toEqual({ newDossiersRatio: 5, onlineRatePoints: 40, historyPeriods: 6, minHistory: 3 });
    expect(qualityFromEnv({ TTHC_OUTLIER_RATIO: '3', TTHC_OUTLIER_RATE_POINTS: '25', TTHC_OUTLIER_HISTORY: '12', TTHC_OUTLIER_MIN_HISTORY: '4' }))
      .toEqual({ newDossiersRatio: 3, onlineRatePoints: 25, historyPeriods: 12, minHistory: 4 });
    expect(() => qualityFromEnv({ TTHC_OUTLIER_RATIO: 'năm' })).toThrow(/TTHC_OUTLIER_RATIO/);
  });
});
