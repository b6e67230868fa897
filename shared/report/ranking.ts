// Rankings (indicators.md): units ranked by year-to-date gap to target, descending; ties
// by YTD online rate, then new dossiers (more first), then code. Units equal on gap, rate
// and new dossiers share a rank (1, 2, 2, 4). The overdue ranking orders by YTD overdue
// rate ascending with the same tie rules. figuresFor: each unit's row of a period (its
// figures, year-to-date sums, target and gap) and the rankings built on them.
import { periodRange } from '../period.ts';
import { periodStatus } from '../status.ts';
import type { PeriodReports } from '../store/report-store.ts';
import type { Target } from '../units/target.ts';
import { LEVELS, type Level } from '../units/unit.ts';
import { addCountsInto, type Counts } from '../report-file/counts.ts';
import { ratesOf } from './indicators.ts';
import type { ExclusionReason, OverdueEntry, RankEntry, ReportInput, UnitRow } from './period-report.ts';
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

function compare(a: Rankable, b: Rankable): number {
  return b.key - a.key || b.ytdOnlineRate - a.ytdOnlineRate || b.newDossiers - a.newDossiers || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0);
}

function tied(a: Rankable, b: Rankable): boolean {
  return a.key === b.key && a.ytdOnlineRate === b.ytdOnlineRate && a.newDossiers === b.newDossiers;
}

export function rank<T extends Rankable>(items: readonly T[]): Array<Ranked<T>> {
  const sorted = [...items].sort(compare);
  const out: Array<Ranked<T>> = [];
  sorted.forEach((item, i) => {
    const rank = i > 0 && tied(sorted[i - 1], item) ? out[i - 1].rank : i + 1;
    out.push({ rank, item });
  });
  return out;
}

const EMPTY: PeriodReports = { current: [], uploads: [] };

export interface Figures {
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
  const exact = (a: { num: bigint; den: bigint }, b: { num: bigint; den: bigint }) => {
    const d = a.num * b.den - b.num * a.den;
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  };
  // Floating point decides whenever the gaps differ by more than its error can (gaps are
  // within ±100, errors ~1e-13); only near-equal gaps are compared exactly. The order is
  // the exact one either way, at a fraction of the BigInt work (12,000 units: 4 rankings).
  type Item = { r: UnitRow; f: number; g?: { num: bigint; den: bigint } };
  const exactOf = (x: Item) => (x.g ??= gap(x.r));
  const cmp = (a: Item, b: Item) => {
    const d = a.f - b.f;
    return d > 1e-9 ? 1 : d < -1e-9 ? -1 : exact(exactOf(a), exactOf(b));
  };
  const sorted: Item[] = rows.map((r) => ({ r, f: r.gapPp! })).sort(cmp);
  const keys = new Map<UnitRow, number>();
  sorted.forEach((x, i) => keys.set(x.r, i > 0 && cmp(sorted[i - 1], x) === 0 ? keys.get(sorted[i - 1].r)! : i));
  return keys;
}

/**
 * Each unit's row for `period` and the rankings. Figures come from `input.data` (usable
 * reports only); the submission status from `stored` (what was received, usable or not).
 */
export function figuresFor(input: ReportInput, period: string, previous: Figures | null, stored: ReadonlyMap<string, PeriodReports> = input.data): Figures {
  const targetsByUnit = new Map<string, Target[]>();
  for (const t of input.targets) targetsByUnit.set(t.unit, [...(targetsByUnit.get(t.unit) ?? []), t]);
  const statuses = new Map(periodStatus(input.units, period, stored.get(period) ?? EMPTY, input.periods).map((s) => [s.unit, s]));
  const ytdPeriods = periodRange(ytdStart(input.targets, period), period);
  const byPeriod = ytdPeriods.map((p) => new Map((input.data.get(p) ?? EMPTY).current.map((c) => [c.unit, c.counts])));
  const thisPeriod = byPeriod[byPeriod.length - 1];

  const rows: UnitRow[] = input.units.map((unit) => {
    const status = statuses.get(unit.code)!;
    const counts = thisPeriod.get(unit.code) ?? null;
    // Summed in place, period by period (sumCounts without the list: 12,000 units × 12 periods).
    let ytd: Counts | null = null;
    for (const m of byPeriod) {
      const c = m.get(unit.code);
      if (c) ytd = ytd ? addCountsInto(ytd, c) : { ...c };
    }
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
