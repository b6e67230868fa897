// Everything the leadership report says about one period, computed from the stored
// reports alone: per-unit figures, year-to-date sums, rankings against targets, submission
// status, online services used, online-only pilot breaches, trend. Pure: no I/O. The
// parts: targets.ts (which target, which window), ranking.ts (unit rows and rankings),
// services.ts (procedure-detail indicators); this module composes them.
import { addMonths, dueInstant, localDateOf, periodBounds, periodRange, type LocalDate, type PeriodConfig } from '../period.ts';
import { addCountsInto, type Counts } from '../report-file/counts.ts';
import type { SubmissionStatus } from '../status.ts';
import type { PeriodReports, Publication } from '../store/report-store.ts';
import type { OnlineOnlyProcedure } from '../units/plan-128-2022.ts';
import type { Target } from '../units/target.ts';
import { levelsOf, LEVELS, type Level, type LevelInfo, type Unit } from '../units/unit.ts';
import { PLAN_128, type Plan } from '../config/plan.ts';
import { correctionsOf, previousPublication, type Correction } from './corrections.ts';
import { ratesOf, sumCounts, type Rates } from './indicators.ts';
import { withSuccessors } from './mergers.ts';
import { qualityIssues, type QualityIssue } from './quality.ts';
import { figuresFor, rankEntries } from './ranking.ts';
import { onlineServicesFor, pilotBreachesFor } from './services.ts';
import { targetSourceOf, targetWindowOf, ytdStart, type TargetSource } from './targets.ts';
import { screenReports, type UnusableReport } from './usable.ts';

export { periodsNeeded, targetFor, ytdStart } from './targets.ts';

export interface ReportInput {
  period: string;
  periods: PeriodConfig;
  units: readonly Unit[];
  targets: readonly Target[];
  pilot: readonly OnlineOnlyProcedure[];
  /** Stored reports per period; must cover ytdRange(period) and the previous period's. */
  data: ReadonlyMap<string, PeriodReports>;
  /** The plan's floor for the online share (0.6). */
  floor: number;
  /** The plan in force (its citation for the texts); default: Kế hoạch 128 with `floor` and `pilot`. */
  plan?: Plan;
  asOf: Date;
  /** Publications of the periods read (those never published absent): for the corrections sheet. */
  publications?: ReadonlyMap<string, Publication>;
  /** Codes retired before `period` → the unit in force that carries their figures (mergers.ts). */
  successors?: ReadonlyMap<string, string>;
  /**
   * The units in force in another period (PlanConfig.unitsFor). The city's and the levels' sums
   * of a period count every unit of that period, also one that has since left the registry with
   * no successor. Default: `units` for every period.
   */
  unitsAt?: (period: string) => readonly Unit[];
  /** `successors` as of another period (successorsFor): the period before, ranked with its own units. */
  successorsAt?: (period: string) => ReadonlyMap<string, string>;
}

export type ExclusionReason = 'no_target' | 'no_dossiers' | 'not_reported';

export interface UnitRow {
  unit: Unit;
  status: SubmissionStatus;
  receivedAt: string | null;
  period: Counts | null;
  periodRates: Rates;
  ytd: Counts | null;
  ytdRates: Rates;
  /** Target online share in percent, null: no target. */
  targetPct: number | null;
  /** YTD online rate − target, in percentage points. */
  gapPp: number | null;
  met: boolean | null;
  excluded: ExclusionReason | null;
}

export interface RankEntry {
  rank: number;
  unit: string;
  name: string;
  level: Level;
  ytd_online_rate: number;
  target_pct: number;
  gap_pp: number;
  new_dossiers: number;
  ytd_overdue_rate: number | null;
  rank_change: number | null;
}

export interface OverdueEntry {
  rank: number;
  unit: string;
  name: string;
  level: Level;
  ytd_overdue_rate: number;
  ytd_resolved: number;
  ytd_resolved_overdue: number;
  pending_overdue: number | null;
  rank_change: number | null;
}

export interface Totals {
  period: Counts | null;
  periodRates: Rates;
  ytd: Counts | null;
  ytdRates: Rates;
  previousPeriodRate: number | null;
  /**
   * The level's units in the period before were another set (a new registry: the 2022 communes
   * in 06/2025, the 2025 ones in 07/2025; fewer than half in common): its rate then is another level's, so previousPeriodRate
   * is null and no change is shown. Never for the city, whose every dossier is counted either way.
   */
  previousNotComparable: boolean;
  /**
   * The units in force, partitioned: met + notMet + noTarget = total. A unit with a target
   * but no year-to-date figures (no report, no dossiers) has not met it.
   */
  unitsMet: number;
  unitsNotMet: number;
  unitsNoTarget: number;
  /** Among all of them: no acceptable report this period (missing or rejected only). */
  unitsNotReported: number;
  unitsReported: number;
  unitsTotal: number;
}

export interface PilotBreach {
  unit: string;
  name: string;
  procedure: string;
  received_direct: number;
  received_postal: number | null;
}

export interface OnlineServices {
  offered: number;
  used: number;
  share: number | null;
}

export interface LeadershipReport {
  period: string;
  bounds: { from: LocalDate; to: LocalDate };
  /** Last day reports count as on time. */
  dueDate: LocalDate;
  /** Built before the period was due (a quarter's workbook before its end, a report run early): "chưa báo cáo" is "not yet". */
  beforeDue: boolean;
  ytdFrom: string;
  /** The target window the period is judged in (the year's, for a period outside every window); null: no target anywhere. */
  targetWindow: { from: string; to: string } | null;
  asOf: Date;
  /** The plan's time zone (PeriodConfig.timeZone): dates and times are shown in it. */
  timeZone: string;
  floor: number;
  /** The plan in force for the period: every text that names a plan or its numbers takes them from it. */
  plan: Plan;
  /** Where the targets in force for the units come from (the built-in Phụ lục 2, the targets files loaded). */
  targetSource: TargetSource;
  /** The levels of the units in force, named as then (no district since 2025-07): what the outputs show. */
  levels: LevelInfo[];
  rows: UnitRow[];
  ranking: { levels: Record<Level, RankEntry[]>; city: RankEntry[] };
  overdue: { levels: Record<Level, OverdueEntry[]>; city: OverdueEntry[] };
  excluded: Array<{ unit: string; reason: ExclusionReason }>;
  missing: string[];
  late: string[];
  rejectedOnly: string[];
  totals: { city: Totals; levels: Record<Level, Totals> };
  /** Reports of the window, in the city's and levels' sums, by units no longer in force (no successor carries them): in no unit's row. */
  formerUnitReports: number;
  trend: Array<{ period: string; city: number | null; levels: Record<Level, number | null> }>;
  onlineServices: { city: OnlineServices; units: Array<{ unit: string; name: string } & OnlineServices> };
  pilotBreaches: PilotBreach[];
  /** Stored reports of the year-to-date window left out of every figure: not counts (usable.ts). */
  unusable: Array<UnusableReport & { name: string }>;
  /** This period's reports with warnings that put a figure in doubt, then the unusable reports. */
  quality: QualityIssue[];
  /** Corrections to published periods of the window since the previous publication (correctionsSince). */
  corrections: Correction[];
  correctionsSince: string | null;
  /** Accepted reports that make up this period's figures. */
  sourceFiles: number;
}

const EMPTY: PeriodReports = { current: [], uploads: [] };

/** The units' totals; `ytd` the year-to-date summed from every report of the window (periodSums). */
function totalsOf(rows: UnitRow[], previousRate: number | null, ytd: Counts | null, previousNotComparable = false): Totals {
  const period = sumCounts(rows.map((r) => r.period));
  return {
    period, periodRates: ratesOf(period), ytd, ytdRates: ratesOf(ytd), previousPeriodRate: previousNotComparable ? null : previousRate, previousNotComparable,
    unitsMet: rows.filter((r) => r.targetPct !== null && r.met === true).length,
    unitsNotMet: rows.filter((r) => r.targetPct !== null && r.met !== true).length,
    unitsNoTarget: rows.filter((r) => r.targetPct === null).length,
    unitsNotReported: rows.filter((r) => r.status === 'missing' || r.status === 'rejected_only').length,
    unitsReported: rows.filter((r) => r.period !== null).length,
    unitsTotal: rows.length,
  };
}

interface Sums {
  city: Counts | null;
  levels: Record<Level, Counts | null>;
  /** Reports in the sums of units no longer in force (and carried by no successor): in no unit's row. */
  former: number;
}

/**
 * A period's counts, city-wide and per level: one pass over every usable report stored for it,
 * of any unit the registry named then. A unit that has since left with no successor (the
 * districts in 2025) still counts for the periods it reported: the city's figures never shrink
 * when the registry changes.
 */
function periodSums(input: ReportInput, period: string, levelOf: ReadonlyMap<string, Level>, today: ReadonlyMap<string, Level>): Sums {
  // Added in place, one pass, level by level (the city is their sum): a national period has
  // 12,000 reports and the window twelve periods.
  const levels: Record<Level, Counts | null> = { department: null, district: null, commune: null };
  let former = 0;
  for (const c of (input.data.get(period) ?? EMPTY).current) {
    const level = levelOf.get(c.unit);
    if (!level) continue;
    const held = levels[level];
    levels[level] = held ? addCountsInto(held, c.counts) : { ...c.counts };
    if (!today.has(c.unit)) former++;
  }
  return { city: sumCounts(LEVELS.map((l) => levels[l])), levels, former };
}

/**
 * The level of each unit whose reports count in a period's sums: the units in force then, and
 * today's (a merged unit's reports were moved to a successor that may be younger than them).
 * One map per list of units: the periods of one registry era share it.
 */
function levelsOfPeriods(input: ReportInput, today: ReadonlyMap<string, Level>): (period: string) => ReadonlyMap<string, Level> {
  if (!input.unitsAt) return () => today;
  const byList = new Map<readonly Unit[], Map<string, Level>>();
  return (p) => {
    const units = input.unitsAt!(p);
    let levels = byList.get(units);
    if (!levels) byList.set(units, (levels = new Map([...units.map((u) => [u.code, u.level] as const), ...today])));
    return levels;
  };
}

const onlineRateOf = (sums: Sums) => ({
  city: ratesOf(sums.city).onlineRate,
  levels: Object.fromEntries(LEVELS.map((l) => [l, ratesOf(sums.levels[l]).onlineRate])) as Record<Level, number | null>,
});

export function buildLeadershipReport(given: ReportInput): LeadershipReport {
  const { period } = given;
  // Every figure below comes from usable reports only; statuses from what was received.
  // A merged unit's reports count for its successor.
  const screened = screenReports(given.data);
  const successors = given.successors ?? new Map<string, string>();
  const input: ReportInput = { ...given, data: withSuccessors(screened.data, successors) };
  const received = withSuccessors(given.data, successors);
  const previousPeriod = addMonths(period, -1);
  // The period before as its own report ranked it: with its own units when the registry changed
  // in between (a merger, a new registry), so a rank change compares with the ranking the leaders
  // read then. Then this period's year-to-date is summed afresh, not extended from those rows.
  const unitsBefore = given.unitsAt?.(previousPeriod) ?? input.units;
  const sameUnits = unitsBefore === input.units || (unitsBefore.length === input.units.length && unitsBefore.every((u, i) => u.code === input.units[i].code));
  const successorsBefore = sameUnits ? null : given.successorsAt?.(previousPeriod) ?? new Map<string, string>();
  const previous = successorsBefore
    ? figuresFor({ ...input, units: unitsBefore, data: withSuccessors(screened.data, successorsBefore) }, previousPeriod, null, withSuccessors(given.data, successorsBefore))
    : figuresFor(input, previousPeriod, null, received);
  const now = figuresFor(input, period, sameUnits ? previous : null, received);
  const { ranking, overdue } = rankEntries(now, previous);
  const data = input.data.get(period) ?? EMPTY;

  const today = new Map(input.units.map((u) => [u.code, u.level]));
  const levelsAt = levelsOfPeriods(input, today);
  const window = periodRange(ytdStart(input.targets, period), period).map((p) => ({ period: p, sums: periodSums(input, p, levelsAt(p), today) }));
  const trend = window.map((w) => ({ period: w.period, ...onlineRateOf(w.sums) }));
  // The period before is in the trend unless this period opens a window.
  const before = trend.find((t) => t.period === previousPeriod) ?? { period: previousPeriod, ...onlineRateOf(periodSums(input, previousPeriod, levelsAt(previousPeriod), today)) };
  // A level whose units the period before were another set (a new registry, as at 1/7/2025): its
  // rate then is no "kỳ trước" of this one. Another set: fewer than half of either period's units
  // of the level are in the other's (a retired code carried by a successor counts as it). A unit
  // that left or a merger is the same level, still compared.
  const levelChanged = (l: Level) => {
    if (sameUnits) return false;
    const codes = (units: readonly Unit[]) => new Set(units.filter((u) => u.level === l).map((u) => successors.get(u.code) ?? u.code));
    const [then, nowCodes] = [codes(unitsBefore), codes(input.units)];
    const shared = [...then].filter((c) => nowCodes.has(c)).length;
    return 2 * shared < Math.max(then.size, nowCodes.size);
  };
  const totals = {
    city: totalsOf(now.rows, before.city, sumCounts(window.map((w) => w.sums.city))),
    levels: Object.fromEntries(LEVELS.map((l) => [l, totalsOf(now.rows.filter((r) => r.unit.level === l), before.levels[l], sumCounts(window.map((w) => w.sums.levels[l])), levelChanged(l))])) as Record<Level, Totals>,
  };

  const unitsByCode = new Map(input.units.map((u) => [u.code, u]));
  const reports = data.current.filter((c) => unitsByCode.has(c.unit));
  const onlineServices = onlineServicesFor(reports, unitsByCode);
  const pilotBreaches = pilotBreachesFor(reports, unitsByCode, input.pilot);
  const ytdPeriods = new Set(periodRange(ytdStart(input.targets, period), period));
  const unusable = screened.unusable
    .filter((u) => ytdPeriods.has(u.period) && (unitsByCode.has(u.unit) || successors.has(u.unit)))
    // A merged unit's report is named after the unit that now carries its figures.
    .map((u) => ({ ...u, name: unitsByCode.get(u.unit)?.name ?? `${u.unit} (nay thuộc ${unitsByCode.get(successors.get(u.unit)!)!.name})` }))
    .sort((a, b) => b.period.localeCompare(a.period) || a.unit.localeCompare(b.unit));
  const publications = given.publications ?? new Map<string, Publication>();
  const correctionsSince = previousPublication(period, publications);
  // Every period read, not only the year-to-date: a correction to last year's December, or to a
  // month before the window, is news for this report as much as one to last month.
  const corrections = correctionsOf([...given.data.keys()].filter((p) => p <= period), given.data, publications, input.units, correctionsSince);
  const quality = qualityIssues(period, given.data.get(period), unitsByCode, unusable);
  const unusableNow = new Set(unusable.filter((u) => u.period === period).map((u) => u.unit));

  // As dueInstant says it: a calendar-month period (startDay 1) is due in the month after.
  const due = dueInstant(period, input.periods);
  const plan = given.plan ?? { ...PLAN_128, floor: given.floor, pilot: given.pilot };
  return {
    period, bounds: periodBounds(period, input.periods),
    dueDate: localDateOf(due, input.periods.timeZone),
    beforeDue: input.asOf.getTime() < due.getTime(),
    ytdFrom: ytdStart(input.targets, period), targetWindow: targetWindowOf(input.targets, period), asOf: input.asOf, timeZone: input.periods.timeZone, floor: input.floor,
    plan, targetSource: targetSourceOf(input.targets, input.units, period, plan),
    levels: levelsOf(input.units), rows: now.rows, ranking, overdue,
    excluded: now.rows.filter((r) => r.excluded).map((r) => ({ unit: r.unit.code, reason: r.excluded! })),
    missing: now.rows.filter((r) => r.period === null && !unusableNow.has(r.unit.code)).map((r) => r.unit.code),
    late: now.rows.filter((r) => r.status === 'late').map((r) => r.unit.code),
    rejectedOnly: now.rows.filter((r) => r.status === 'rejected_only').map((r) => r.unit.code),
    totals, formerUnitReports: window.reduce((n, w) => n + w.sums.former, 0), trend, onlineServices, pilotBreaches, unusable, quality, corrections, correctionsSince, sourceFiles: reports.length,
  };
}

interface ScopeTotals { new_dossiers: number; received_online: number; ytd_online_rate: number | null }

/** `tthc ranking --json`: keep this shape stable, other tools read it. */
export function rankingJson(r: LeadershipReport) {
  const entry = (e: RankEntry) => ({
    rank: e.rank, unit: e.unit, name: e.name, ytd_online_rate: e.ytd_online_rate, target_pct: e.target_pct,
    gap_pp: e.gap_pp, new_dossiers: e.new_dossiers, ytd_overdue_rate: e.ytd_overdue_rate, rank_change: e.rank_change,
  });
  // Only the levels in force: a 2025 city has no district key at all.
  const levels = r.levels.map((l) => l.level);
  return {
    period: r.period,
    window: [r.ytdFrom, r.period],
    levels: Object.fromEntries(levels.map((l) => [l, r.ranking.levels[l].map(entry)])),
    city: r.ranking.city.map(entry),
    excluded: r.excluded,
    missing: r.missing,
    late: r.late,
    // Sums over the year-to-date window, city-wide and per level: every unit in force in each period.
    totals: Object.fromEntries((['city', ...levels] as const).map((scope) => {
      const t = scope === 'city' ? r.totals.city : r.totals.levels[scope];
      return [scope, { new_dossiers: t.ytdRates.newDossiers, received_online: t.ytd?.received_online ?? 0, ytd_online_rate: t.ytdRates.onlineRate }];
    })) as { city: ScopeTotals } & Partial<Record<Level, ScopeTotals>>,
  };
}
