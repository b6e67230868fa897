// Gathers what a period's report reads from the store: one Query pair and one GetItem (its
// publication) per period of the year-to-date window (and the previous period's, for rank
// changes and the corrections since its publication). Never a Scan.
import { periodLabel, type PeriodConfig } from '../period.ts';
import type { PeriodReports, Publication, ReportStore } from '../store/report-store.ts';
import type { OnlineOnlyProcedure } from '../units/plan-128-2022.ts';
import type { Target } from '../units/target.ts';
import type { Unit } from '../units/unit.ts';
import type { PlanConfig } from '../config/plan-config.ts';
import { successorsFor } from './mergers.ts';
import { buildPeriodReport, periodsNeeded, type PeriodReport } from './period-report.ts';

export interface ReportContext {
  store: ReportStore;
  periods: PeriodConfig;
  /** Loaded registry and targets; when given, the units in force for the period replace `units`. */
  plan?: PlanConfig;
  units: readonly Unit[];
  targets: readonly Target[];
  pilot: readonly OnlineOnlyProcedure[];
  floor: number;
  clock?: () => Date;
}

/** The units a period's report covers, and the targets that apply. */
export function unitsAndTargets(ctx: Pick<ReportContext, 'plan' | 'units' | 'targets'>, period: string) {
  return ctx.plan ? { units: ctx.plan.unitsFor(period), targets: ctx.plan.targets } : { units: ctx.units, targets: ctx.targets };
}

/** A period with no accepted report at all: there is nothing to rank or to send. */
export class NoReportDataError extends Error {
  readonly code = 'no_report_data';
  constructor(readonly period: string) {
    super(`Kỳ ${periodLabel(period)} chưa có báo cáo hợp lệ nào của đơn vị: không có số liệu để xếp hạng hay lập báo cáo.`);
    this.name = 'NoReportDataError';
  }
}

/** What leadership is sent and `tthc ranking` prints needs at least one report of the period. */
export function requireReportData(r: PeriodReport): PeriodReport {
  if (r.sourceFiles === 0 && !r.unusable.some((u) => u.period === r.period)) throw new NoReportDataError(r.period);
  return r;
}

export async function loadPeriodReport(ctx: ReportContext, period: string): Promise<PeriodReport> {
  const { units, targets } = unitsAndTargets(ctx, period);
  const needed = periodsNeeded(targets, period);
  const data = new Map<string, PeriodReports>();
  const publications = new Map<string, Publication>();
  await Promise.all(needed.map(async (p) => {
    const [reports, publication] = await Promise.all([ctx.store.listPeriod(p), ctx.store.getPublication(p)]);
    data.set(p, reports);
    if (publication) publications.set(p, publication);
  }));
  return buildPeriodReport({
    period, periods: ctx.periods, units, targets, pilot: ctx.pilot,
    data, publications, floor: ctx.floor, asOf: ctx.clock?.() ?? new Date(),
    successors: ctx.plan ? successorsFor(ctx.plan, period) : undefined,
  });
}
