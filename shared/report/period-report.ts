// Everything the leadership report says about one period, computed from the stored
// reports alone: per-unit figures, year-to-date sums, rankings against targets, submission
// status, online services used, online-only pilot breaches, trend. Pure: no I/O.
import { addMonths, parsePeriod, periodBounds, periodRange, type LocalDate, type PeriodConfig } from '../period.ts';
import type { Counts } from '../report-file/counts.ts';
import type { Procedure } from '../report-file/detail.ts';
import { periodStatus, type SubmissionStatus } from '../status.ts';
import type { PeriodReports } from '../store/report-store.ts';
import { looseKey } from '../text.ts';
import type { OnlineOnlyProcedure } from '../units/plan-128-2022.ts';
import type { Target } from '../units/target.ts';
import { LEVELS, type Level, type Unit } from '../units/unit.ts';
import { ratesOf, sumCounts, type Rates } from './indicators.ts';
import { rank } from './ranking.ts';

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
  asOf: Date;
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
  unitsMet: number;
  unitsNotMet: number;
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

export interface PeriodReport {
  period: string;
  bounds: { from: LocalDate; to: LocalDate };
  /** Last day reports count as on time. */
  dueDate: LocalDate;
  ytdFrom: string;
  asOf: Date;
  floor: number;
  rows: UnitRow[];
  ranking: { levels: Record<Level, RankEntry[]>; city: RankEntry[] };
  overdue: { levels: Record<Level, OverdueEntry[]>; city: OverdueEntry[] };
  excluded: Array<{ unit: string; reason: ExclusionReason }>;
  missing: string[];
  late: string[];
  rejectedOnly: string[];
  totals: { city: Totals; levels: Record<Level, Totals> };
  trend: Array<{ period: string; city: number | null; levels: Record<Level, number | null> }>;
  onlineServices: { city: OnlineServices; units: Array<{ unit: string; name: string } & OnlineServices> };
  pilotBreaches: PilotBreach[];
  /** Accepted reports that make up this period's figures. */
  sourceFiles: number;
}

/** The targets of one unit, among a list, in force for a period: the window containing it, else that year's. */
export function targetFor(targets: readonly Target[], unit: string, period: string): Target | null {
  return targetInForce(targets.filter((t) => t.unit === unit), period);
}

function targetInForce(mine: readonly Target[], period: string): Target | null {
  return mine.find((t) => t.windowFrom <= period && period <= t.windowTo)
    ?? mine.find((t) => t.windowFrom.slice(0, 4) === period.slice(0, 4))
    ?? null;
}

/** First period of the year-to-date sums: the target window's start, or January before it. */
export function ytdStart(targets: readonly Target[], period: string): string {
  const window = targets.find((t) => t.windowFrom <= period && period <= t.windowTo);
  return window ? window.windowFrom : `${parsePeriod(period).year}-01`;
}

/** Every period whose stored reports the report for `period` reads. */
export function periodsNeeded(targets: readonly Target[], period: string): string[] {
  const previous = addMonths(period, -1);
  const from = [ytdStart(targets, period), ytdStart(targets, previous)].sort()[0];
  return periodRange(from, period);
}

const EMPTY: PeriodReports = { current: [], uploads: [] };

interface Figures {
  rows: UnitRow[];
  ranking: { levels: Record<Level, RankEntry[]>; city: RankEntry[] };
  overdue: { levels: Record<Level, OverdueEntry[]>; city: OverdueEntry[] };
}

/**
 * Ranking keys for the gap, compared exactly: equal gaps get equal keys, larger gaps larger
 * keys. In floating point, equal gaps can differ in the last bit (60⅓% − 60 vs 70⅓% − 70)
 * and then skip the tie rule (higher YTD rate first). gap = (100·online − target·new) / new.
 */
function exactGapOrder(rows: readonly UnitRow[]): Map<UnitRow, number> {
  const SCALE = 1_000_000; // targets are percentages with at most a few decimals
  const gap = (r: UnitRow) => ({
    num: BigInt(r.ytd!.received_online) * 100n * BigInt(SCALE) - BigInt(Math.round(r.targetPct! * SCALE)) * BigInt(r.ytdRates.newDossiers),
    den: BigInt(r.ytdRates.newDossiers),
  });
  const cmp = (a: { num: bigint; den: bigint }, b: { num: bigint; den: bigint }) => {
    const d = a.num * b.den - b.num * a.den;
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  };
  const sorted = rows.map((r) => ({ r, g: gap(r) })).sort((a, b) => cmp(a.g, b.g));
  const keys = new Map<UnitRow, number>();
  sorted.forEach((x, i) => keys.set(x.r, i > 0 && cmp(sorted[i - 1].g, x.g) === 0 ? keys.get(sorted[i - 1].r)! : i));
  return keys;
}

function figuresFor(input: ReportInput, period: string, previous: Figures | null): Figures {
  const targetsByUnit = new Map<string, Target[]>();
  for (const t of input.targets) targetsByUnit.set(t.unit, [...(targetsByUnit.get(t.unit) ?? []), t]);
  const data = input.data.get(period) ?? EMPTY;
  const statuses = new Map(periodStatus(input.units, period, data, input.periods).map((s) => [s.unit, s]));
  const ytdPeriods = periodRange(ytdStart(input.targets, period), period);
  const byPeriod = ytdPeriods.map((p) => new Map((input.data.get(p) ?? EMPTY).current.map((c) => [c.unit, c.counts])));

  const rows: UnitRow[] = input.units.map((unit) => {
    const status = statuses.get(unit.code)!;
    const ytd = sumCounts(byPeriod.map((m) => m.get(unit.code)));
    const ytdRates = ratesOf(ytd);
    const targetPct = targetInForce(targetsByUnit.get(unit.code) ?? [], period)?.targetPct ?? null;
    // One division (100·online / new), so a rate equal to the target gives a gap of exactly 0
    // (0.58 * 100 - 58 would be -7e-15: "chưa đạt").
    const gapPp = targetPct !== null && ytd !== null && ytdRates.newDossiers > 0 ? (ytd.received_online * 100) / ytdRates.newDossiers - targetPct : null;
    const excluded: ExclusionReason | null = targetPct === null ? 'no_target'
      : ytd === null ? 'not_reported'
      : ytdRates.newDossiers === 0 ? 'no_dossiers'
      : null;
    return {
      unit, status: status.status, receivedAt: status.received_at,
      period: status.counts, periodRates: ratesOf(status.counts), ytd, ytdRates,
      targetPct, gapPp, met: gapPp === null ? null : gapPp >= 0, excluded,
    };
  });

  // Previous ranks by unit, one map per list and scope (12,000 units: no linear searches).
  const previousRanks = new Map<string, Map<string, number>>();
  const previousRank = (list: 'ranking' | 'overdue', scope: Level | 'city', unit: string): number | null => {
    if (!previous) return null;
    const key = `${list}/${scope}`;
    let ranks = previousRanks.get(key);
    if (!ranks) {
      const entries: Array<{ unit: string; rank: number }> = scope === 'city' ? previous[list].city : previous[list].levels[scope];
      previousRanks.set(key, (ranks = new Map(entries.map((e) => [e.unit, e.rank]))));
    }
    return ranks.get(unit) ?? null;
  };

  const rankOnline = (scope: Level | 'city'): RankEntry[] => {
    const eligible = rows.filter((r) => !r.excluded && (scope === 'city' || r.unit.level === scope));
    const gapOrder = exactGapOrder(eligible);
    return rank(eligible.map((r) => ({ unit: r.unit.code, key: gapOrder.get(r)!, ytdOnlineRate: r.ytdRates.onlineRate!, newDossiers: r.ytdRates.newDossiers, row: r })))
      .map(({ rank: position, item }) => {
        const before = previousRank('ranking', scope, item.unit);
        return {
          rank: position, unit: item.unit, name: item.row.unit.name, level: item.row.unit.level,
          ytd_online_rate: item.ytdOnlineRate, target_pct: item.row.targetPct!, gap_pp: item.row.gapPp!,
          new_dossiers: item.newDossiers, ytd_overdue_rate: item.row.ytdRates.overdueRate,
          rank_change: before === null ? null : before - position,
        };
      });
  };

  const rankOverdue = (scope: Level | 'city'): OverdueEntry[] => {
    const eligible = rows.filter((r) => r.ytdRates.overdueRate !== null && (scope === 'city' || r.unit.level === scope));
    return rank(eligible.map((r) => ({
      unit: r.unit.code, key: -r.ytdRates.overdueRate!, ytdOnlineRate: r.ytdRates.onlineRate ?? 0, newDossiers: r.ytdRates.newDossiers, row: r,
    }))).map(({ rank: position, item }) => {
      const before = previousRank('overdue', scope, item.unit);
      return {
        rank: position, unit: item.unit, name: item.row.unit.name, level: item.row.unit.level,
        ytd_overdue_rate: -item.key, ytd_resolved: item.row.ytdRates.resolvedTotal,
        ytd_resolved_overdue: item.row.ytd!.resolved_overdue, pending_overdue: item.row.period?.pending_overdue ?? null,
        rank_change: before === null ? null : before - position,
      };
    });
  };

  const byLevel = <T,>(f: (scope: Level | 'city') => T[]) =>
    ({ levels: Object.fromEntries(LEVELS.map((l) => [l, f(l)])) as Record<Level, T[]>, city: f('city') });
  return { rows, ranking: byLevel(rankOnline), overdue: byLevel(rankOverdue) };
}

function totalsOf(rows: UnitRow[], previousRate: number | null): Totals {
  const period = sumCounts(rows.map((r) => r.period));
  const ytd = sumCounts(rows.map((r) => r.ytd));
  return {
    period, periodRates: ratesOf(period), ytd, ytdRates: ratesOf(ytd), previousPeriodRate: previousRate,
    unitsMet: rows.filter((r) => !r.excluded && r.met).length,
    unitsNotMet: rows.filter((r) => !r.excluded && r.met === false).length,
    unitsNotReported: rows.filter((r) => r.status === 'missing' || r.status === 'rejected_only').length,
    unitsReported: rows.filter((r) => r.period !== null).length,
    unitsTotal: rows.length,
  };
}

function periodRate(input: ReportInput, period: string, units: readonly Unit[]): number | null {
  const codes = new Set(units.map((u) => u.code));
  const current = (input.data.get(period) ?? EMPTY).current.filter((c) => codes.has(c.unit));
  return ratesOf(sumCounts(current.map((c) => c.counts))).onlineRate;
}

function onlineServicesOf(procedures: readonly Procedure[]): OnlineServices {
  const offered = procedures.filter((p) => p.online_level !== null);
  const used = offered.filter((p) => p.received_online > 0).length;
  return { offered: offered.length, used, share: offered.length ? used / offered.length : null };
}

export function buildPeriodReport(input: ReportInput): PeriodReport {
  const { period } = input;
  const previousPeriod = addMonths(period, -1);
  const previous = figuresFor(input, previousPeriod, null);
  const now = figuresFor(input, period, previous);
  const data = input.data.get(period) ?? EMPTY;

  const levelUnits = (level: Level) => input.units.filter((u) => u.level === level);
  const totals = {
    city: totalsOf(now.rows, periodRate(input, previousPeriod, input.units)),
    levels: Object.fromEntries(LEVELS.map((l) => [l, totalsOf(now.rows.filter((r) => r.unit.level === l), periodRate(input, previousPeriod, levelUnits(l)))])) as Record<Level, Totals>,
  };

  const trend = periodRange(ytdStart(input.targets, period), period).map((p) => ({
    period: p,
    city: periodRate(input, p, input.units),
    levels: Object.fromEntries(LEVELS.map((l) => [l, periodRate(input, p, levelUnits(l))])) as Record<Level, number | null>,
  }));

  // Online services: procedures the unit offers online (toàn trình / một phần) that received an online dossier.
  const unitsByCode = new Map(input.units.map((u) => [u.code, u]));
  const reports = data.current.filter((c) => unitsByCode.has(c.unit));
  const allProcedures = reports.flatMap((c) => c.procedures);
  const onlineServices = {
    city: onlineServicesOf(allProcedures),
    units: reports.filter((c) => c.procedures.length > 0)
      .map((c) => ({ unit: c.unit, name: unitsByCode.get(c.unit)!.name, ...onlineServicesOf(c.procedures) }))
      .sort((a, b) => a.unit.localeCompare(b.unit)),
  };

  // Online-only pilot (Phụ lục 3): any desk or postal dossier for a listed procedure is a breach.
  const pilotNames = new Map<Level, Set<string>>(LEVELS.map((l) => [l, new Set(input.pilot.filter((p) => p.level === l).map((p) => looseKey(p.procedureName)))]));
  const pilotBreaches: PilotBreach[] = [];
  for (const c of reports) {
    const unit = unitsByCode.get(c.unit)!;
    for (const p of c.procedures) {
      if (!pilotNames.get(unit.level)!.has(looseKey(p.name))) continue;
      if (p.received_direct > 0 || (p.received_postal ?? 0) > 0) {
        pilotBreaches.push({ unit: unit.code, name: unit.name, procedure: p.name, received_direct: p.received_direct, received_postal: p.received_postal });
      }
    }
  }
  pilotBreaches.sort((a, b) => a.unit.localeCompare(b.unit) || a.procedure.localeCompare(b.procedure));

  return {
    period, bounds: periodBounds(period, input.periods),
    dueDate: { ...parsePeriod(period), day: input.periods.dueDay },
    ytdFrom: ytdStart(input.targets, period), asOf: input.asOf, floor: input.floor,
    rows: now.rows, ranking: now.ranking, overdue: now.overdue,
    excluded: now.rows.filter((r) => r.excluded).map((r) => ({ unit: r.unit.code, reason: r.excluded! })),
    missing: now.rows.filter((r) => r.period === null).map((r) => r.unit.code),
    late: now.rows.filter((r) => r.status === 'late').map((r) => r.unit.code),
    rejectedOnly: now.rows.filter((r) => r.status === 'rejected_only').map((r) => r.unit.code),
    totals, trend, onlineServices, pilotBreaches, sourceFiles: reports.length,
  };
}

/** `tthc ranking --json`: keep this shape stable, other tools read it. */
export function rankingJson(r: PeriodReport) {
  const entry = (e: RankEntry) => ({
    rank: e.rank, unit: e.unit, name: e.name, ytd_online_rate: e.ytd_online_rate, target_pct: e.target_pct,
    gap_pp: e.gap_pp, new_dossiers: e.new_dossiers, ytd_overdue_rate: e.ytd_overdue_rate, rank_change: e.rank_change,
  });
  return {
    period: r.period,
    window: [r.ytdFrom, r.period],
    levels: Object.fromEntries(LEVELS.map((l) => [l, r.ranking.levels[l].map(entry)])),
    city: r.ranking.city.map(entry),
    excluded: r.excluded,
    missing: r.missing,
    late: r.late,
  };
}
