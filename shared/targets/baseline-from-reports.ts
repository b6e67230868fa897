// Phụ lục 2's baseline from what the units really reported: per unit, the dossiers received
// (online + desk + postal, carried-over excluded, as the online rate counts them) and the
// online ones, summed over the stored reports of the baseline periods, then projected to the
// target window in proportion to its length (the plan's 4 months → 8: ×2). The allocation
// itself is Phụ lục 2's (allocate.ts), unchanged.
import { periodRange } from '../period.ts';
import { newDossiers } from '../report-file/counts.ts';
import { unusableFields } from '../report/usable.ts';
import type { ReportStore } from '../store/report-store.ts';
import type { Unit } from '../units/unit.ts';
import type { BaselineRow } from './allocate.ts';

export interface PeriodSpan {
  from: string;
  to: string;
}

export interface UnitBaseline extends BaselineRow {
  name: string;
  /** Received dossiers and online ones over the baseline periods, as reported. */
  baselineTotal: number;
  baselineOnline: number;
  /** Baseline periods the unit has a (usable) report for. */
  periodsReported: number;
  /** Never blank: a reported figure is a figure. */
  projectedOnline: number;
  notOnline: number;
}

export interface ReportedBaseline {
  baseline: PeriodSpan;
  window: PeriodSpan;
  /** window months / baseline months. */
  factor: number;
  rows: UnitBaseline[];
  /** Units in force for the window with no usable report in the baseline: no target made up for them. */
  unreported: Unit[];
}

/**
 * Baseline rows for the units in force at the window's start, from the current reports of
 * the baseline periods. A report whose stored figures are not counts (see usable.ts) is left
 * out, as the leadership report leaves it out of every sum. As in the leadership report, a
 * merged unit's reports count for its successor (`successors`: retired code → unit in force,
 * report/mergers.ts); a unit that was only split up (no merged_into) hands on nothing.
 */
export async function baselineFromReports(
  store: Pick<ReportStore, 'listPeriod'>, units: readonly Unit[], baseline: PeriodSpan, window: PeriodSpan,
  successors: ReadonlyMap<string, string> = new Map(),
): Promise<ReportedBaseline> {
  const periods = periodRange(baseline.from, baseline.to);
  const factor = periodRange(window.from, window.to).length / periods.length;
  const sums = new Map<string, { total: number; online: number; periods: Set<string> }>();
  for (const period of periods) {
    for (const report of (await store.listPeriod(period)).current) {
      if (unusableFields(report).length) continue;
      const unit = successors.get(report.unit) ?? report.unit;
      const s = sums.get(unit) ?? { total: 0, online: 0, periods: new Set<string>() };
      s.total += newDossiers(report.counts);
      s.online += report.counts.received_online;
      s.periods.add(period);
      sums.set(unit, s);
    }
  }
  const rows: UnitBaseline[] = [];
  const unreported: Unit[] = [];
  for (const unit of units) {
    const s = sums.get(unit.code);
    if (!s) {
      unreported.push(unit);
      continue;
    }
    // Whole dossiers, as the plan prints its projection.
    const projectedTotal = Math.round(s.total * factor);
    const projectedOnline = Math.round(s.online * factor);
    rows.push({
      code: unit.code, level: unit.level, name: unit.name,
      baselineTotal: s.total, baselineOnline: s.online, periodsReported: s.periods.size,
      projectedTotal, projectedOnline, notOnline: projectedTotal - projectedOnline,
    });
  }
  return { baseline, window, factor, rows, unreported };
}
