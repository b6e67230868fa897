// Which target applies to a unit in a period, and which periods the year-to-date sums cover.
import { addMonths, parsePeriod, periodRange } from '../period.ts';
import type { Target } from '../units/target.ts';

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
