// Quarterly and annual reports ("báo cáo định kỳ hàng tháng, quý, năm"), composed from the
// monthly building blocks: one LeadershipReport per period of the range, read from one shared
// load of the stored reports. The range's last period carries the year-to-date figures
// and rankings (the same sheets as the month); beside them each unit's rates period by
// period, its submission record, and for the year the evaluation against the target
// window (đạt / không đạt), the list the civil-service evaluation (Sở Nội vụ) uses.
import { periodLabel, periodRange, type LocalDate } from '../period.ts';
import type { Counts } from '../report-file/counts.ts';
import type { SubmissionStatus } from '../status.ts';
import { LEVEL_NAMES, LEVELS, type Level, type LevelInfo, type Unit } from '../units/unit.ts';
import { dateRange } from './format.ts';
import { ratesOf, sumCounts, type Rates } from './indicators.ts';
import type { LeadershipReport, UnitRow } from './period-report.ts';

export type RangeKind = 'quarter' | 'year';

export interface ReportRange {
  kind: RangeKind;
  /** "2022-Q3", "2022": the argument and the file name. */
  id: string;
  /** "Quý III/2022", "năm 2022": how the title names it. */
  label: string;
  periods: string[];
}

const ROMAN = ['I', 'II', 'III', 'IV'];
const QUARTER_RE = /^(\d{4})-Q([1-4])$/;
const YEAR_RE = /^\d{4}$/;

export function isQuarter(text: string): boolean {
  return QUARTER_RE.test(text);
}

export function isYear(text: string): boolean {
  return YEAR_RE.test(text);
}

/** "2022-Q3" → periods 2022-07..2022-09, "Quý III/2022". */
export function quarterRange(id: string): ReportRange {
  const m = QUARTER_RE.exec(id);
  if (!m) throw new Error(`not a quarter (YYYY-Qn): ${id}`);
  const q = Number(m[2]);
  const first = `${m[1]}-${String(q * 3 - 2).padStart(2, '0')}`;
  const last = `${m[1]}-${String(q * 3).padStart(2, '0')}`;
  return { kind: 'quarter', id, label: `Quý ${ROMAN[q - 1]}/${m[1]}`, periods: periodRange(first, last) };
}

/** "2022" → periods 2022-01..2022-12, "năm 2022". */
export function yearRange(id: string): ReportRange {
  if (!YEAR_RE.test(id)) throw new Error(`not a year (YYYY): ${id}`);
  return { kind: 'year', id, label: `năm ${id}`, periods: periodRange(`${id}-01`, `${id}-12`) };
}

export function lastPeriodOf(range: ReportRange): string {
  return range.periods[range.periods.length - 1];
}

/** The quarter whose last period is `period` ("2022-09" → 2022-Q3), or null. */
export function quarterEndingIn(period: string): string | null {
  const month = Number(period.slice(5));
  return month % 3 === 0 ? `${period.slice(0, 4)}-Q${month / 3}` : null;
}

/** no_dossiers: a target, and not one new dossier over the window to judge it on (no rate, not a failure). */
export type Evaluation = 'met' | 'not_met' | 'no_target' | 'no_dossiers';

export interface RangeUnitRow {
  unit: Unit;
  /** A unit that left during the range with no successor: its last period in force (its row ends there). */
  until: string | null;
  /** The periods its year-to-date and evaluation are summed over (from..to): a unit that left, to its last period. */
  judgedOver: [string, string];
  /** Online rate per period of the range (null: no figure, or not in force then); a successor's with its predecessors' before the merger. */
  rates: Array<number | null>;
  /** Online rate over the whole range: its periods' counts summed, as `rates`. */
  rangeRate: number | null;
  /** Submission status per period of the range (null: not in force then). */
  statuses: Array<SubmissionStatus | null>;
  onTime: number;
  late: number;
  /** Missing or rejected only: no acceptable report for the period. */
  missing: number;
  /** Year-to-date as the judged month shows it (RangeReport.judged: the target window's sums). */
  ytdRate: number | null;
  targetPct: number | null;
  gapPp: number | null;
  evaluation: Evaluation;
}

/** Counts of a scope (the city, a level) summed over the range's periods, and their rates. */
export interface RangeTotals {
  counts: Counts | null;
  rates: Rates;
}

export interface RangeReport {
  range: ReportRange;
  /** The first day of the range's first period to the last day of its last. */
  bounds: { from: LocalDate; to: LocalDate };
  /** The range's own figures: its periods' counts summed (not the year-to-date, which starts at the target window). */
  totals: { city: RangeTotals; levels: Partial<Record<Level, RangeTotals>> };
  /**
   * The levels of the range, those of `totals.levels`, in the city's order: each named as its last
   * month in force names it; `until`, that month for a level that ended during the range (the
   * districts at 1/7/2025), null for a level in force at its end.
   */
  levels: Array<LevelInfo & { until: string | null }>;
  /** The report of the range's last period: the same sheets as the month, year-to-date to the range's end. */
  last: LeadershipReport;
  /** One report per period of the range with stored data, in order. */
  months: LeadershipReport[];
  /** The month whose year-to-date the rows carry: `last`, or for a year whose target window ended before it, the window's last month. */
  judged: LeadershipReport;
  rows: RangeUnitRow[];
  /** City and level rates per period of the range. */
  cityRates: Array<number | null>;
  /** For the year: the evaluation against the target window (from..to, the window's sums). */
  evaluation: { window: [string, string]; met: number; notMet: number; noTarget: number; noDossiers: number } | null;
}

/**
 * A year is judged on its target window: when the window ended before the year's last period,
 * on the window's last month (its year-to-date is the window's sums), not on the months after.
 * Null: judged on the range's last period.
 */
export function judgedPeriodOf(range: ReportRange, last: LeadershipReport): string | null {
  const to = last.targetWindow?.to;
  return range.kind === 'year' && to && to < last.period && range.periods.includes(to) ? to : null;
}

export interface RangeOptions {
  /**
   * The report of judgedPeriodOf's period, built over the range end's units and mergers (a unit
   * merged after the window is judged within its successor, as every report after the merger
   * counts it); by default the months' report of that period.
   */
  judged?: LeadershipReport;
  /** Retired codes and the unit in force at the range's end that carries their figures (successorsFor). */
  successors?: ReadonlyMap<string, string>;
  /** Periods of the range not yet due when it is built: a unit that sent nothing for one has not missed it yet. */
  notDue?: ReadonlySet<string>;
}

/**
 * Composes the range from its periods' reports (each built by buildLeadershipReport over the
 * same stored data). Rows are the units in force at the range's end, then the units that left
 * during the range with no successor (the district level and the old communes at 1/7/2025):
 * their months, and their evaluation on their last month in force. A unit merged into another
 * is in its successor's row.
 */
export function buildRangeReport(range: ReportRange, months: LeadershipReport[], options: RangeOptions = {}): RangeReport {
  const { judged, successors, notDue } = options;
  const byPeriod = new Map(months.map((m) => [m.period, m]));
  const last = byPeriod.get(lastPeriodOf(range));
  if (!last) throw new Error(`no report for the range's last period ${lastPeriodOf(range)}`);
  const rowMaps = range.periods.map((p) => {
    const m = byPeriod.get(p);
    return m ? new Map(m.rows.map((r) => [r.unit.code, r])) : null;
  });
  const judgedPeriod = judgedPeriodOf(range, last);
  const judgedBy = (judgedPeriod && (judged ?? byPeriod.get(judgedPeriod))) || last;
  const judgedRows = judgedBy === last ? null : new Map(judgedBy.rows.map((r) => [r.unit.code, r]));
  // Each unit's last row in the range: for the units in force at its end, the last month's.
  const lastRows = new Map<string, { row: UnitRow; period: string }>();
  range.periods.forEach((p, i) => rowMaps[i]?.forEach((row, code) => lastRows.set(code, { row, period: p })));
  const departed = [...lastRows.values()].filter(({ row }) => !rowMaps.at(-1)!.has(row.unit.code) && !successors?.has(row.unit.code));
  // A successor's range rate holds its predecessors' months before the merger, as its year-to-date does.
  const predecessors = new Map<string, string[]>();
  for (const [old, heir] of successors ?? []) predecessors.set(heir, [...(predecessors.get(heir) ?? []), old]);
  const rows: RangeUnitRow[] = [...last.rows.map((now) => ({ now, until: null as string | null })), ...departed.map(({ row, period }) => ({ now: row, until: period }))].map(({ now, until }) => {
    const end = (until === null && judgedRows?.get(now.unit.code)) || now;
    const endReport = until === null ? judgedBy : byPeriod.get(until)!;
    const own = rowMaps.map((m) => m?.get(now.unit.code) ?? null);
    const statuses = own.map((r, i) => {
      const status = r?.status ?? null;
      return notDue?.has(range.periods[i]) && (status === 'missing' || status === 'rejected_only') ? null : status;
    });
    const carried = [now.unit.code, ...(until === null ? predecessors.get(now.unit.code) ?? [] : [])];
    const monthly = rowMaps.map((m) => (m ? sumCounts(carried.map((code) => m.get(code)?.period)) : null));
    return {
      unit: now.unit,
      until,
      judgedOver: [endReport.ytdFrom, endReport.period],
      rates: monthly.map((c, i) => (own[i] || c ? ratesOf(c).onlineRate : null)),
      rangeRate: ratesOf(sumCounts(monthly)).onlineRate,
      statuses,
      onTime: statuses.filter((s) => s === 'on_time').length,
      late: statuses.filter((s) => s === 'late').length,
      missing: statuses.filter((s) => s === 'missing' || s === 'rejected_only').length,
      ytdRate: end.ytdRates.onlineRate,
      targetPct: end.targetPct,
      gapPp: end.gapPp,
      // A unit with a target and no figures (no report) has not met it; one whose reports held no dossier has no rate to judge.
      evaluation: end.targetPct === null ? 'no_target' : end.met === true ? 'met' : end.excluded === 'no_dossiers' ? 'no_dossiers' : 'not_met',
    };
  });
  const count = (e: Evaluation) => rows.filter((r) => r.evaluation === e).length;
  // Every level of the range, one that ended in it too (the districts in 2025): the levels add up to the city.
  const levelsSeen = new Map<Level, { name: string; period: string }>();
  for (const m of months) for (const l of m.levels) levelsSeen.set(l.level, { name: l.name, period: m.period });
  const levels = LEVELS.filter((l) => levelsSeen.has(l)).map((level) => {
    const { name, period } = levelsSeen.get(level)!;
    return { level, name, until: period === last.period ? null : period };
  });
  const summed = (pick: (m: LeadershipReport) => Counts | null | undefined): RangeTotals => {
    const counts = sumCounts(months.map(pick));
    return { counts, rates: ratesOf(counts) };
  };
  return {
    range, last, months, judged: judgedBy, rows,
    bounds: { from: shiftMonths(last.bounds.from, 1 - range.periods.length), to: last.bounds.to },
    totals: {
      city: summed((m) => m.totals.city.period),
      levels: Object.fromEntries(levels.map(({ level }) => [level, summed((m) => m.totals.levels[level]?.period)])),
    },
    levels,
    cityRates: range.periods.map((p) => byPeriod.get(p)?.totals.city.periodRates.onlineRate ?? null),
    evaluation: range.kind === 'year'
      ? { window: [judgedBy.ytdFrom, judgedBy.period], met: count('met'), notMet: count('not_met'), noTarget: count('no_target'), noDossiers: count('no_dossiers') }
      : null,
  };
}

/** The unit's name as the range's lists give it: one that left, until when ("Sở Nội vụ (đến kỳ 06/2025)"). */
export function rangeRowName(row: Pick<RangeUnitRow, 'unit' | 'until'>): string {
  return namedUntil(row.unit.name, row.until);
}

/**
 * The name of each row's level as the registry of the row's own last period named it: a 2022
 * commune that left at 1/7/2025 is "Xã, phường, thị trấn", as June's report called its level,
 * not the "Xã, phường, đặc khu" of the units in force at the range's end.
 */
export function rowLevelNamer(rr: Pick<RangeReport, 'months' | 'last'>): (row: Pick<RangeUnitRow, 'unit' | 'until'>) => string {
  const byPeriod = new Map(rr.months.map((m) => [m.period, m]));
  const names = new Map<string, Record<Level, string>>();
  const namesAt = (m: LeadershipReport) => {
    let got = names.get(m.period);
    if (!got) names.set(m.period, (got = { ...LEVEL_NAMES, ...Object.fromEntries(m.levels.map((l) => [l.level, l.name])) }));
    return got;
  };
  return (row) => namesAt((row.until && byPeriod.get(row.until)) || rr.last)[row.unit.level];
}

/** A unit's or a level's name, with the last period it reported when it ended during the range. */
export function namedUntil(name: string, until: string | null | undefined): string {
  return name + (until ? ` (đến kỳ ${periodLabel(until)})` : '');
}

/** The range's own figures named: "cả quý III/2022", "cả năm 2025". */
export function wholeRangeName(range: RangeReport): string {
  return `cả ${range.range.label.replace(/^./, (c) => c.toLowerCase())}`;
}

/** A period's first day n periods away: periods start on the same day of every month (1–28). */
function shiftMonths(d: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1 + n, d.day));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** "Quý III/2022 (kỳ 07/2022 – 09/2022, từ ngày 16/06/2022 đến ngày 15/09/2022)". */
export function rangeDescription(rr: Pick<RangeReport, 'range' | 'bounds'>): string {
  const { range } = rr;
  return `${range.label.replace(/^./, (c) => c.toUpperCase())} (kỳ ${periodLabel(range.periods[0])} – ${periodLabel(lastPeriodOf(range))}, ${dateRange(rr.bounds)})`;
}

export const EVALUATION_TEXT: Record<Evaluation, string> = { met: 'Đạt', not_met: 'Không đạt', no_target: 'Không giao chỉ tiêu', no_dossiers: 'Không phát sinh hồ sơ' };
