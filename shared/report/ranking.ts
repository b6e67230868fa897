// Rankings (indicators.md): units ranked by year-to-date gap to target, descending; ties
// by YTD online rate, then new dossiers (more first), then code. Units equal on gap, rate
// and new dossiers share a rank (1, 2, 2, 4). The overdue ranking orders by YTD overdue
// rate ascending with the same tie rules. figuresFor: each unit's row of a period (its
// figures, year-to-date sums, target and gap) and the rankings built on them; rankEntries:
// the rankings as the report writes them, with each unit's change of rank.
import { addMonths, periodRange } from '../period.ts';
import { groupBy } from '../group-by.ts';
import { periodStatus } from '../status.ts';
import type { PeriodReports } from '../store/report-store.ts';
import { LEVELS, type Level } from '../units/unit.ts';
import { addCountsInto, type Counts } from '../report-file/counts.ts';
import { ratesOf } from './indicators.ts';
import type { ExclusionReason, LeadershipReport, OverdueEntry, RankEntry, ReportInput, UnitRow } from './period-report.ts';
import { targetInForce, ytdStart } from './targets.ts';

export interface Rankable {
  unit: string;
  /** The ranking's main key; sorted descending (negate for "lower is better"). */
  key: number;
  ytdOnlineRate: number;
  newDossiers: number;
}

export interface Ranked<T extends Rankable> {
  rank: number;
  item: T;
}

/** The main key, descending: a unit with a larger key goes first. */
const byKey = (a: Rankable, b: Rankable) => b.key - a.key;

/** The ranking order without the code: units it finds equal share a rank. */
const tieOrder = <T extends Rankable>(primary: (a: T, b: T) => number) =>
  (a: T, b: T) => primary(a, b) || b.ytdOnlineRate - a.ytdOnlineRate || b.newDossiers - a.newDossiers;

/** Ranks for items already in ranking order: the position, shared by items equal under `order`. */
function ranksInOrder<T extends Rankable>(sorted: readonly T[], order: (a: T, b: T) => number): Array<Ranked<T>> {
  const out: Array<Ranked<T>> = [];
  sorted.forEach((item, i) => {
    const rank = i > 0 && order(sorted[i - 1], item) === 0 ? out[i - 1].rank : i + 1;
    out.push({ rank, item });
  });
  return out;
}

/**
 * Ranks `items`: `primary` orders them (negative: a goes first, 0: equal), then the tie
 * rules (higher YTD online rate, more new dossiers), then the code. Units equal on all but
 * the code share a rank.
 */
export function rank<T extends Rankable>(items: readonly T[], primary: (a: T, b: T) => number = byKey): Array<Ranked<T>> {
  const order = tieOrder(primary);
  return ranksInOrder([...items].sort((a, b) => order(a, b) || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0)), order);
}

/**
 * The city's ranking and each level's: one sort. A level's ranking is the city's order
 * restricted to its units (the order depends on nothing but the two units compared), ranked
 * anew. A national list is 12,000 units; a report ranks two periods, two indicators.
 */
function rankByScope<T extends Item>(items: readonly T[], primary: (a: T, b: T) => number = byKey): Scoped<Array<Ranked<T>>> {
  const city = rank(items, primary);
  const order = tieOrder(primary);
  const levels = Object.fromEntries(LEVELS.map((l) => [l, ranksInOrder(city.filter((x) => x.item.row.unit.level === l).map((x) => x.item), order)]));
  return { city, levels: levels as Record<Level, Array<Ranked<T>>> };
}

const EMPTY: PeriodReports = { current: [], uploads: [] };

type Scope = Level | 'city';
type Scoped<T> = { levels: Record<Level, T>; city: T };
const byScope = <T,>(f: (scope: Scope) => T): Scoped<T> =>
  ({ levels: Object.fromEntries(LEVELS.map((l) => [l, f(l)])) as Record<Level, T>, city: f('city') });
const ofScope = <T,>(scoped: Scoped<T>, scope: Scope): T => (scope === 'city' ? scoped.city : scoped.levels[scope]);

interface Item extends Rankable {
  row: UnitRow;
  /** The row's position in Figures.rows: the unit's in ReportInput.units, the same in every period's figures. */
  index: number;
}

/** A period's unit rows and its rankings, ranked but not yet written out as entries. */
export interface Figures {
  period: string;
  /** First period of the year-to-date sums. */
  ytdFrom: string;
  rows: UnitRow[];
  online: Scoped<Array<Ranked<Item>>>;
  overdue: Scoped<Array<Ranked<Item>>>;
}

/**
 * Gaps to target, descending, compared exactly: in floating point, equal gaps can differ in
 * the last bit (60⅓% − 60 vs 70⅓% − 70) and then skip the tie rule (higher YTD rate
 * first). Floating point decides whenever the gaps differ by more than its error can (gaps
 * are within ±100, errors ~1e-13); only near-equal gaps are compared exactly, as fractions
 * gap = (100·online − target·new) / new, each computed once (`exact` caches them).
 */
function byGap(exact: Map<UnitRow, { num: bigint; den: bigint }>) {
  const SCALE = 1_000_000; // targets are percentages with at most a few decimals
  const gapOf = (r: UnitRow) => {
    let g = exact.get(r);
    if (!g) {
      const den = BigInt(r.ytdRates.newDossiers);
      g = { num: BigInt(r.ytd!.received_online) * 100n * BigInt(SCALE) - BigInt(Math.round(r.targetPct! * SCALE)) * den, den };
      exact.set(r, g);
    }
    return g;
  };
  return (a: UnitRow, b: UnitRow): number => {
    const d = b.gapPp! - a.gapPp!;
    if (d > 1e-9 || d < -1e-9) return d;
    const x = gapOf(a);
    const y = gapOf(b);
    const e = y.num * x.den - x.num * y.den;
    return e > 0n ? 1 : e < 0n ? -1 : 0;
  };
}

/**
 * Each unit's row for `period` and the rankings. Figures come from `input.data` (usable
 * reports only); the submission status from `stored` (what was received, usable or not).
 * Given the period before's figures (same window), its year-to-date sums are extended.
 */
export function figuresFor(input: ReportInput, period: string, previous: Figures | null, stored: ReadonlyMap<string, PeriodReports> = input.data): Figures {
  const targetsByUnit = groupBy(input.targets, (t) => t.unit);
  // In the order of input.units, as the rows are.
  const statuses = periodStatus(input.units, period, stored.get(period) ?? EMPTY, input.periods);
  const ytdFrom = ytdStart(input.targets, period);
  const thisPeriod = new Map<string, Counts>();
  for (const c of (input.data.get(period) ?? EMPTY).current) thisPeriod.set(c.unit, c.counts);
  const ytdByUnit = previous?.ytdFrom === ytdFrom && previous.period === addMonths(period, -1)
    ? ytdExtended(previous.rows, thisPeriod)
    : ytdSummed(input.data, periodRange(ytdFrom, period));

  const rows: UnitRow[] = input.units.map((unit, i) => {
    const status = statuses[i];
    const counts = thisPeriod.get(unit.code) ?? null;
    const ytd = ytdByUnit.get(unit.code) ?? null;
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
      period: counts, periodRates: ratesOf(counts), ytd, ytdRates,
      targetPct, gapPp, met: gapPp === null ? null : gapPp >= 0, excluded,
    };
  });

  const gapOrder = byGap(new Map());
  const online = rankByScope(
    items(rows, (r) => !r.excluded, (r) => r.gapPp!),
    (a, b) => gapOrder(a.row, b.row),
  );
  const overdue = rankByScope(
    items(rows, (r) => r.ytdRates.overdueRate !== null, (r) => -r.ytdRates.overdueRate!),
  );
  return { period, ytdFrom, rows, online, overdue };
}

/** The rows a ranking takes, as rankable items with their main key. */
function items(rows: readonly UnitRow[], eligible: (r: UnitRow) => boolean, key: (r: UnitRow) => number): Item[] {
  const out: Item[] = [];
  rows.forEach((r, index) => {
    if (eligible(r)) out.push({ unit: r.unit.code, key: key(r), ytdOnlineRate: r.ytdRates.onlineRate ?? 0, newDossiers: r.ytdRates.newDossiers, row: r, index });
  });
  return out;
}

/**
 * The rankings of `now` as the report writes them, each entry with its change of rank since
 * `previous` (the period before). Only this period's are written out: the previous period's
 * rankings give ranks, and nothing else (12,000 units: 8 lists of entries saved).
 */
export function rankEntries(now: Figures, previous: Figures | null): Pick<LeadershipReport, 'ranking' | 'overdue'> {
  // The previous period's ranks by this period's row position: a unit's city rank and its
  // level's, 0 where it was not ranked (or did not exist). Rows of the same units in the same
  // order map by position (no map by code for the 12,000 units of a national report); after a
  // registry change, by code.
  const n = now.rows.length;
  const samePositions = previous !== null && previous.rows.length === n && previous.rows.every((r, i) => r.unit.code === now.rows[i].unit.code);
  const nowIndex = samePositions || !previous ? null : new Map(now.rows.map((r, i) => [r.unit.code, i]));
  const ranksBefore = (list: 'online' | 'overdue') => {
    const city = new Int32Array(n);
    const level = new Int32Array(n);
    const put = (into: Int32Array, x: { rank: number; item: Item }) => {
      const i = nowIndex ? nowIndex.get(x.item.unit) : x.item.index;
      if (i !== undefined) into[i] = x.rank;
    };
    if (previous) {
      for (const x of previous[list].city) put(city, x);
      for (const l of LEVELS) for (const x of previous[list].levels[l]) put(level, x);
    }
    return (scope: Scope) => (scope === 'city' ? city : level);
  };
  const change = (before: Int32Array, index: number, position: number) => (before[index] === 0 ? null : before[index] - position);
  const onlineBefore = ranksBefore('online');
  const overdueBefore = ranksBefore('overdue');
  const ranking = byScope((scope): RankEntry[] => {
    const before = onlineBefore(scope);
    return ofScope(now.online, scope).map(({ rank: position, item: { row, index } }) => ({
      rank: position, unit: row.unit.code, name: row.unit.name, level: row.unit.level,
      ytd_online_rate: row.ytdRates.onlineRate!, target_pct: row.targetPct!, gap_pp: row.gapPp!,
      new_dossiers: row.ytdRates.newDossiers, ytd_overdue_rate: row.ytdRates.overdueRate,
      rank_change: change(before, index, position),
    }));
  });
  const overdue = byScope((scope): OverdueEntry[] => {
    const before = overdueBefore(scope);
    return ofScope(now.overdue, scope).map(({ rank: position, item: { row, index } }) => ({
      rank: position, unit: row.unit.code, name: row.unit.name, level: row.unit.level,
      ytd_overdue_rate: row.ytdRates.overdueRate!, ytd_resolved: row.ytdRates.resolvedTotal,
      ytd_resolved_overdue: row.ytd!.resolved_overdue, pending_overdue: row.period?.pending_overdue ?? null,
      rank_change: change(before, index, position),
    }));
  });
  return { ranking, overdue };
}

/** Adds a unit's counts to its running sum, a fresh copy the first time (the stored counts are never touched). */
function addTo(sums: Map<string, Counts>, unit: string, counts: Counts): void {
  const sum = sums.get(unit);
  if (sum) addCountsInto(sum, counts);
  else sums.set(unit, { ...counts });
}

/** Each unit's counts summed over `periods`. */
function ytdSummed(data: ReadonlyMap<string, PeriodReports>, periods: readonly string[]): Map<string, Counts> {
  const sums = new Map<string, Counts>();
  for (const p of periods) for (const c of (data.get(p) ?? EMPTY).current) addTo(sums, c.unit, c.counts);
  return sums;
}

/**
 * The previous period's year-to-date sums (same window) plus this period's counts: the
 * report computes both months' rankings, and summing the window twice doubled its cost.
 */
function ytdExtended(previousRows: readonly UnitRow[], thisPeriod: ReadonlyMap<string, Counts>): Map<string, Counts> {
  const sums = new Map<string, Counts>();
  for (const r of previousRows) if (r.ytd) sums.set(r.unit.code, { ...r.ytd });
  for (const [unit, counts] of thisPeriod) addTo(sums, unit, counts);
  return sums;
}
