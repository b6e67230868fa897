// Figures far from the unit's own history, as DHIS2's outlier rules do: a period whose new
// dossiers are many times (or a small fraction of) the unit's usual, or whose online rate
// jumps, is most often a typing slip (an extra zero, a column shifted). The report is still
// accepted, the clerk is warned with the figures, so a slip is fixed before leadership sees it.
import { newDossiers, type Counts } from '../report-file/counts.ts';
import { fileIssue, type FileIssue } from '../report-file/file-issue.ts';
import { int, pct } from '../report/format.ts';
import { ratesOf, resolvedTotal } from '../report/indicators.ts';
import type { UploadRecord } from './upload.ts';

export interface QualityConfig {
  /** New dossiers more than this many times the median, or less than the median divided by it. */
  newDossiersRatio: number;
  /** A rate (online among new dossiers, overdue among resolved) further than this from its median, in percentage points. */
  onlineRatePoints: number;
  /** How many of the unit's latest earlier accepted periods make its history. */
  historyPeriods: number;
  /** With fewer earlier periods than this there is no "usual" to compare with. */
  minHistory: number;
}

export const DEFAULT_QUALITY: QualityConfig = { newDossiersRatio: 5, onlineRatePoints: 40, historyPeriods: 6, minHistory: 3 };

/** One earlier period of the unit: the figures of its newest accepted upload. */
export interface PeriodFigures {
  period: string;
  counts: Counts;
}

/**
 * The unit's history before `period`, newest period first, at most `limit` periods: for each
 * period, the newest accepted upload (uploads as unitHistory returns them, in any order).
 */
export function historyBefore(uploads: readonly UploadRecord[], period: string, limit: number): PeriodFigures[] {
  const newest = new Map<string, UploadRecord>();
  for (const u of uploads) {
    if (u.outcome === 'rejected' || !u.counts || u.period >= period) continue;
    const kept = newest.get(u.period);
    if (!kept || kept.orderKey < u.orderKey) newest.set(u.period, u);
  }
  return [...newest.values()]
    .sort((a, b) => (a.period < b.period ? 1 : -1))
    .slice(0, limit)
    .map((u) => ({ period: u.period, counts: u.counts! }));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const ratioText = (r: number) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(r);
const CHECK = 'Đề nghị kiểm tra lại số liệu; nếu số liệu đúng, không cần gửi lại.';

/** Warnings for figures far from the unit's history (`history`: earlier periods, see historyBefore). */
export function outlierWarnings(counts: Counts, history: readonly PeriodFigures[], config: QualityConfig = DEFAULT_QUALITY): FileIssue[] {
  const recent = history.slice(0, config.historyPeriods);
  if (recent.length < config.minHistory) return [];
  const n = recent.length;
  const warnings: FileIssue[] = [];

  // A unit that usually has none gives no scale to compare with.
  const usual = median(recent.map((h) => newDossiers(h.counts)));
  const now = newDossiers(counts);
  if (usual > 0 && (now > usual * config.newDossiersRatio || now < usual / config.newDossiersRatio)) {
    const how = now > usual ? `gấp ${ratioText(now / usual)} lần` : `chỉ bằng ${pct(now / usual)}`;
    warnings.push(fileIssue('outlier_new_dossiers',
      `Số hồ sơ mới tiếp nhận trong kỳ là ${int(now)}, ${how} mức trung vị ${int(usual)} của ${n} kỳ báo cáo gần nhất của đơn vị ` +
      `(ngưỡng: gấp ${ratioText(config.newDossiersRatio)} lần hoặc dưới 1/${ratioText(config.newDossiersRatio)}). ${CHECK}`));
  }

  /** A rate further than the threshold from its median over the history: the message's opening says what it is. */
  const rateOutlier = (code: string, rateOf: (c: Counts) => number | null, what: (rate: number) => string, check: string) => {
    const rates = recent.map((h) => rateOf(h.counts)).filter((r): r is number => r !== null);
    const rate = rateOf(counts);
    if (rate === null || rates.length < config.minHistory) return;
    const usualRate = median(rates);
    const points = (rate - usualRate) * 100;
    if (Math.abs(points) <= config.onlineRatePoints) return;
    warnings.push(fileIssue(code,
      `${what(rate)}, ${points > 0 ? 'cao' : 'thấp'} hơn ${ratioText(Math.abs(points))} điểm phần trăm so với mức trung vị ${pct(usualRate)} của ${rates.length} kỳ báo cáo gần nhất của đơn vị ` +
      `(ngưỡng: ${ratioText(config.onlineRatePoints)} điểm). ${check}`));
  };
  rateOutlier('outlier_online_rate', (c) => ratesOf(c).onlineRate,
    (rate) => `Tỷ lệ hồ sơ trực tuyến trong kỳ là ${pct(rate)} (${int(counts.received_online)} trên ${int(now)} hồ sơ mới)`, CHECK);
  // "Đúng hạn" and "Quá hạn" swapped (two columns side by side) turns 3% overdue into 97%.
  rateOutlier('outlier_overdue_rate', (c) => ratesOf(c).overdueRate,
    (rate) => `Tỷ lệ hồ sơ giải quyết quá hạn trong kỳ là ${pct(rate)} (${int(counts.resolved_overdue)} trên ${int(resolvedTotal(counts))} hồ sơ đã giải quyết)`,
    'Kiểm tra cột "Đúng hạn" và "Quá hạn" có bị đổi chỗ không; nếu số liệu đúng, không cần gửi lại.');
  return warnings;
}
