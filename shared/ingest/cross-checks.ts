// A report's figures against other reports, not against the unit's usual scale (quality.ts):
// a clerk who sends last month's file again with only the period line changed, or a
// neighbour's file with only the code changed, sends figures that read well and balance, and
// would silently falsify the month's ranking. And "Từ kỳ trước" must be what was still pending
// at the end of the period before: a copy, or a year-to-date file, breaks it. Each is a warning:
// the report is accepted (the figures can be read without guessing), the clerk is told what to
// check, and the leadership's "Kiểm tra số liệu" sheet lists it (report/quality.ts).
import { createHash } from 'node:crypto';
import { addMonths, periodLabel } from '../period.ts';
import { COUNT_KEYS, countText as n, type Counts } from '../report-file/counts.ts';
import { fileIssue, type FileIssue } from '../report-file/file-issue.ts';
import type { UnitsInForce } from '../units/units-in-force.ts';

export const SAME_AS_PREVIOUS_PERIOD = 'same_as_previous_period';
export const SAME_AS_OTHER_UNIT = 'same_as_other_unit';
export const CARRIED_OVER_MISMATCH = 'carried_over_mismatch';
/** The warnings of this module: each puts the report's figures in doubt. */
export const CROSS_CHECK_CODES: readonly string[] = [SAME_AS_PREVIOUS_PERIOD, SAME_AS_OTHER_UNIT, CARRIED_OVER_MISMATCH];

/**
 * "Từ kỳ trước" differing from the previous period's pending by more than both of these is
 * warned about. Wider than the balance check's 5 dossiers and 2% (report-file/checks.ts): that
 * one compares figures of one file, this one two files sent a month apart, between which a
 * dossier may be withdrawn, moved to another unit or re-counted by the system.
 */
export const CARRIED_OVER_SLACK = 5;
export const CARRIED_OVER_SHARE = 0.1;

/**
 * Two units' reports agreeing on every count by chance must be less likely than this for
 * SAME_AS_OTHER_UNIT (see coincidenceChance). 252 units make about 31,600 pairs a period,
 * 380,000 a year: even if every pair were as alike as two draws around the same values, one
 * chance twin every two years or so city-wide; units differ in size, which makes it far rarer.
 */
export const TWIN_CHANCE = 1e-6;

/**
 * A unit's report equal to its own of the period before must be less likely than this by
 * chance for SAME_AS_PREVIOUS_PERIOD: one comparison a unit a month, not 251, so a looser
 * bound than TWIN_CHANCE (252 units × 12 months: about three chance repeats a year at worst);
 * a quiet commune's {2 online, 2 resolved} two months running is no copy.
 */
export const REPEAT_CHANCE = 1e-3;

/** Every count the same (an unknown, null, only matches an unknown). */
export function sameCounts(a: Counts, b: Counts): boolean {
  return COUNT_KEYS.every((k) => a[k] === b[k]);
}

export function allZero(c: Counts): boolean {
  return COUNT_KEYS.every((k) => !c[k]);
}

/**
 * About how likely two units' reports with these figures are to agree on every count by chance.
 * Two counts drawn around the same value v (Poisson) agree with probability about
 * 1 / (2·√(π·v)), whatever v's size: that is the most alike two units can be. The columns are
 * taken as independent, but received = resolved + pending ties one of them to the others, so
 * the factor of the largest count (the smallest) is left out; a zero or unknown count gives
 * no evidence. So {10 online, 10 direct, 20 resolved}, the size of a quiet commune, is about
 * 1 in 126 per pair, plausible among 252 units; a report of 100 dossiers spread over seven
 * columns is about 1 in 7 million.
 */
export function coincidenceChance(c: Counts): number {
  const factors = COUNT_KEYS.map((k) => c[k]).filter((v): v is number => v !== null && v > 0)
    .map((v) => Math.min(1, 1 / (2 * Math.sqrt(Math.PI * v))))
    .sort((a, b) => a - b);
  return factors.slice(1).reduce((p, f) => p * f, 1);
}

/** Figures distinctive enough that another unit's report equal to them is no coincidence. */
export function distinctive(c: Counts): boolean {
  return coincidenceChance(c) <= TWIN_CHANCE;
}

/** The counts' fingerprint: equal counts, equal fingerprints (the store finds another unit's report by it). */
export function countsFingerprint(c: Counts): string {
  return createHash('sha256').update(JSON.stringify(COUNT_KEYS.map((k) => c[k]))).digest('hex').slice(0, 32);
}

/**
 * The codes whose reports of the period before `period` the unit's figures continue: its own,
 * if it was a unit then, and those of the units merged into it (or renamed to it) from
 * `period` on, through a chain of mergers (N1 → N2 → N3): those whose heir it is.
 * Empty for a unit new in `period`.
 */
export function carriedInto(units: UnitsInForce, unit: string, period: string): string[] {
  const before = units.registryFor(addMonths(period, -1));
  if (before === units.registryFor(period)) return before.get(unit)?.code === unit ? [unit] : []; // no change of units between the two
  return before.units.map((u) => u.code).filter((code) => code === unit || units.heirOf(code, period) === unit);
}

/** A report of the period before that the unit's figures continue (carriedInto). */
export interface PreviousReport {
  unit: string;
  counts: Counts;
}

/** The reports of the period before, and whether every code the unit continues has one (carried_over is then their pending). */
export interface PreviousFigures {
  period: string;
  reports: PreviousReport[];
  complete: boolean;
}

const CHECK = 'nếu số liệu đúng, không cần gửi lại.';
const whose = (r: PreviousReport, unit: string) => (r.unit === unit ? 'của đơn vị' : `của mã ${r.unit} (nay thuộc đơn vị)`);

/**
 * The same figures as a report of the period before: most often last month's file sent again
 * with the period line changed. A report of zeros is no copy: a commune may have no dossier
 * two months running.
 */
export function sameAsPreviousWarning(counts: Counts, unit: string, period: string, previous: PreviousFigures): FileIssue | null {
  if (allZero(counts) || coincidenceChance(counts) > REPEAT_CHANCE) return null;
  const twin = previous.reports.find((r) => sameCounts(r.counts, counts));
  if (!twin) return null;
  return fileIssue(SAME_AS_PREVIOUS_PERIOD,
    `Mọi số liệu của báo cáo kỳ ${periodLabel(period)} trùng khớp với báo cáo kỳ ${periodLabel(previous.period)} ${whose(twin, unit)}: ` +
    `có thể tệp của kỳ ${periodLabel(previous.period)} đã được gửi lại, chỉ sửa dòng kỳ báo cáo. ` +
    `Đề nghị kiểm tra lại dòng kỳ báo cáo và các số liệu; ${CHECK}`);
}

/**
 * "Từ kỳ trước" against what was pending at the end of the period before (pending within +
 * overdue, summed over the reports the unit continues), when every one of those reports is there.
 */
export function carriedOverWarning(counts: Counts, unit: string, period: string, previous: PreviousFigures): FileIssue | null {
  if (!previous.complete || previous.reports.length === 0) return null;
  const within = previous.reports.reduce((s, r) => s + r.counts.pending_within, 0);
  const overdue = previous.reports.reduce((s, r) => s + r.counts.pending_overdue, 0);
  const pending = within + overdue;
  const gap = Math.abs(counts.carried_over - pending);
  if (gap <= CARRIED_OVER_SLACK || gap <= CARRIED_OVER_SHARE * pending) return null;
  const source = previous.reports.length === 1 ? whose(previous.reports[0], unit)
    : `của các mã ${previous.reports.map((r) => r.unit).join(', ')} (nay hợp thành đơn vị)`;
  return fileIssue(CARRIED_OVER_MISMATCH,
    `Số hồ sơ "Từ kỳ trước" của kỳ ${periodLabel(period)} là ${n(counts.carried_over)}, nhưng cuối kỳ ${periodLabel(previous.period)} ` +
    `còn ${n(pending)} hồ sơ đang giải quyết (trong hạn ${n(within)} + quá hạn ${n(overdue)}) theo báo cáo kỳ đó ${source}: ` +
    `lệch ${n(gap)} hồ sơ (ngưỡng: quá ${CARRIED_OVER_SLACK} hồ sơ và quá ${CARRIED_OVER_SHARE * 100}%). ` +
    `"Từ kỳ trước" phải là số hồ sơ còn đang giải quyết cuối kỳ trước; tệp sao chép từ kỳ khác hoặc số lũy kế từ đầu năm thường làm lệch số này. ` +
    `Đề nghị kiểm tra lại số liệu (nếu báo cáo kỳ ${periodLabel(previous.period)} sai, hãy gửi lại báo cáo kỳ đó); ${CHECK}`);
}

/** Figures equal to another unit's report of the same period: most often its file with the code changed. */
export function sameAsOtherUnitWarning(period: string, twin: { code: string; name: string | null }): FileIssue {
  return fileIssue(SAME_AS_OTHER_UNIT,
    `Mọi số liệu của báo cáo này trùng khớp với báo cáo kỳ ${periodLabel(period)} của ${twin.name ? `${twin.name} (${twin.code})` : `đơn vị ${twin.code}`}; ` +
    `hai đơn vị khó có số liệu giống hệt nhau: có thể một trong hai đơn vị đã gửi tệp của đơn vị kia, chỉ sửa mã đơn vị. ` +
    `Đề nghị kiểm tra lại mã đơn vị và các số liệu; ${CHECK}`);
}
