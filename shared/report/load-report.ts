// Gathers what a period's report reads from the store: one Query pair per period of the
// year-to-date window (and the previous period's, for rank changes). Never a Scan.
import type { PeriodConfig } from '../period.ts';
import type { PeriodReports, ReportStore } from '../store/report-store.ts';
import type { OnlineOnlyProcedure } from '../units/plan-128-2022.ts';
import type { Target } from '../units/target.ts';
import type { Unit } from '../units/unit.ts';
import { buildPeriodReport, periodsNeeded, type PeriodReport } from './period-report.ts';

export interface ReportContext {
  store: ReportStore;
  periods: PeriodConfig;
  units: readonly Unit[];
  targets: readonly Target[];
  pilot: readonly OnlineOnlyProcedure[];
  floor: number;
  clock?: () => Date;
}

export async function loadPeriodReport(ctx: ReportContext, period: string): Promise<PeriodReport> {
  const needed = periodsNeeded(ctx.targets, period);
  const data = new Map<string, PeriodReports>();
  await Promise.all(needed.map(async (p) => data.set(p, await ctx.store.listPeriod(p))));
  return buildPeriodReport({
    period, periods: ctx.periods, units: ctx.units, targets: ctx.targets, pilot: ctx.pilot,
    data, floor: ctx.floor, asOf: ctx.clock?.() ?? new Date(),
  });
}
