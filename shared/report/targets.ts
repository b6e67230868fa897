// Which target applies to a unit in a period, which periods the year-to-date sums cover, and
// where the targets in force come from.
import { PLAN_128, type Plan } from '../config/plan.ts';
import { groupBy } from '../group-by.ts';
import { addMonths, parsePeriod, periodLabel, periodRange, periodSpan } from '../period.ts';
import { PLAN_128_TARGETS } from '../units/plan-128-2022.ts';
import type { Target } from '../units/target.ts';
import type { Unit } from '../units/unit.ts';

/** The targets of one unit, among a list, in force for a period: the window containing it, else that year's. */
export function targetFor(targets: readonly Target[], unit: string, period: string): Target | null {
  return targetInForce(targets.filter((t) => t.unit === unit), period);
}

export function targetInForce(mine: readonly Target[], period: string): Target | null {
  return mine.find((t) => t.windowFrom <= period && period <= t.windowTo)
    ?? mine.find((t) => t.windowFrom.slice(0, 4) === period.slice(0, 4))
    ?? null;
}

/** The target window a period is judged in: the one holding it, else that year's (as targetInForce falls back). */
export function targetWindowOf(targets: readonly Target[], period: string): { from: string; to: string } | null {
  const t = targetInForce(targets, period);
  return t ? { from: t.windowFrom, to: t.windowTo } : null;
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

/** Where the targets a period's units are judged by come from, as the notes say it. */
export interface TargetSource {
  /** "Phụ lục 2 Kế hoạch 128/KH-UBND …", "Chỉ tiêu theo tệp chỉ tiêu chi-tieu-2026-01.csv (chỉ tiêu kỳ 01/2026–04/2026)". */
  text: string;
  /** Every target in force is the built-in plan's (Phụ lục 2): the texts may cite the appendix. */
  builtin: boolean;
}

const SOURCES_NAMED = 3;

/**
 * The sources of the targets in force for the units: the built-in plan's Phụ lục 2, or the
 * targets files loaded (their names, their window, the plan they cite). A plan only says where
 * its own targets came from; once targets are loaded, or for a year it set none, the plan's
 * appendix is no source. plan: the plan in force, whose citation a loaded plan's targets carry
 * when their file cites none.
 */
export function targetSourceOf(targets: readonly Target[], units: readonly Unit[], period: string, plan: Plan): TargetSource {
  const builtin = new Set<Target>(PLAN_128_TARGETS);
  const byUnit = groupBy(targets, (t) => t.unit);
  const groups = new Map<string, Target>();
  for (const u of units) {
    const t = targetInForce(byUnit.get(u.code) ?? [], period);
    if (!t || t.targetPct === null) continue;
    const key = builtin.has(t) ? 'builtin' : `${t.plan ?? ''}\n${t.file ?? ''}\n${t.windowFrom}\n${t.windowTo}`;
    if (!groups.has(key)) groups.set(key, t);
  }
  if (groups.size === 0) return { text: `Không đơn vị nào được giao chỉ tiêu cho kỳ ${periodLabel(period)}`, builtin: false };
  const cites = (t: Target) => t.plan?.trim()
    ?? (!plan.builtin && plan.window && plan.window.from <= t.windowFrom && t.windowFrom <= plan.window.to ? plan.citation : null);
  const texts = [...groups].map(([key, t]) => {
    if (key === 'builtin') return PLAN_128.sources.targets;
    const window = `chỉ tiêu kỳ ${periodSpan(t.windowFrom, t.windowTo)}`;
    const citation = cites(t);
    return citation ? `${citation} (${window}${t.file ? `; tệp chỉ tiêu ${t.file}` : ''})` : `Chỉ tiêu theo tệp chỉ tiêu ${t.file ?? 'đã nạp'} (${window})`;
  });
  const more = texts.length - SOURCES_NAMED;
  return {
    text: more > 0 ? `${texts.slice(0, SOURCES_NAMED).join('; ')}; và ${more} nguồn khác` : texts.join('; '),
    builtin: groups.size === 1 && groups.has('builtin'),
  };
}
