// Gathers what a period's report reads from the store: one Query pair and one GetItem (its
// publication) per period of the year-to-date window (and the previous period's, for rank
// changes and the corrections since its publication). Never a Scan.
import { dueInstant, periodLabel, type PeriodConfig } from '../period.ts';
import type { PeriodReports, Publication, ReportStore } from '../store/report-store.ts';
import type { OnlineOnlyProcedure } from '../units/plan-128-2022.ts';
import type { Target } from '../units/target.ts';
import type { Unit } from '../units/unit.ts';
import type { PlanConfig } from '../config/plan-config.ts';
import { successorsFor } from './mergers.ts';
import { buildLeadershipReport, periodsNeeded, type LeadershipReport } from './period-report.ts';
import { buildRangeReport, judgedPeriodOf, lastPeriodOf, type RangeReport, type ReportRange } from './range-report.ts';

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
export function requireReportData(r: LeadershipReport): LeadershipReport {
  if (r.sourceFiles === 0 && !r.unusable.some((u) => u.period === r.period)) throw new NoReportDataError(r.period);
  return r;
}

/** Stored reports and publications of the given periods, one Query pair and one GetItem each. */
async function loadPeriods(ctx: ReportContext, periods: Iterable<string>) {
  const data = new Map<string, PeriodReports>();
  const publications = new Map<string, Publication>();
  await Promise.all([...new Set(periods)].map(async (p) => {
    const [reports, publication] = await Promise.all([ctx.store.listPeriod(p), ctx.store.getPublication(p)]);
    data.set(p, reports);
    if (publication) publications.set(p, publication);
  }));
  return { data, publications };
}

/** asOf: the period whose units and mergers the report counts by (a year judged on an earlier window: the year's end). */
function reportFrom(ctx: ReportContext, period: string, loaded: Awaited<ReturnType<typeof loadPeriods>>, asOf = period): LeadershipReport {
  const { units, targets } = unitsAndTargets(ctx, asOf);
  // The plan in force for the period when the configuration is loaded; else the context's numbers.
  const plan = ctx.plan?.planFor(period);
  return buildLeadershipReport({
    period, periods: ctx.periods, units, targets, pilot: plan?.pilot ?? ctx.pilot, plan,
    data: loaded.data, publications: loaded.publications, floor: plan?.floor ?? ctx.floor, asOf: ctx.clock?.() ?? new Date(),
    successors: ctx.plan ? successorsFor(ctx.plan, asOf) : undefined, unitsAt: ctx.plan && ((p) => ctx.plan!.unitsFor(p)),
    successorsAt: ctx.plan && ((p) => successorsFor(ctx.plan!, p)),
  });
}

export async function loadLeadershipReport(ctx: ReportContext, period: string): Promise<LeadershipReport> {
  return reportFrom(ctx, period, await loadPeriods(ctx, periodsNeeded(unitsAndTargets(ctx, period).targets, period)));
}

/**
 * A quarter's or a year's report: every period any of its months reads, loaded once, then
 * one LeadershipReport per period collected: from the first period anything was stored for
 * (before it, the plan had not begun: no submission record), a period nobody sent included
 * (everyone missing), and always the range's last period.
 */
export async function loadRangeReport(ctx: ReportContext, range: ReportRange): Promise<RangeReport> {
  const end = lastPeriodOf(range);
  const loaded = await loadPeriods(ctx, range.periods.flatMap((p) => periodsNeeded(unitsAndTargets(ctx, p).targets, p)));
  const began = [...loaded.data].filter(([, d]) => d.uploads.length > 0).map(([p]) => p).sort()[0];
  // A range built before its end: a period not yet due is built if reports came for it (they
  // count), and a unit with none has not missed it yet (buildRangeReport's notDue).
  const now = ctx.clock?.() ?? new Date();
  const due = (p: string) => dueInstant(p, ctx.periods) <= now;
  const collected = range.periods.filter((p) => p === end || (began !== undefined && p >= began && (due(p) || (loaded.data.get(p)?.uploads.length ?? 0) > 0)));
  const months = collected.map((p) => reportFrom(ctx, p, loaded));
  // A quarter nobody reported in is still a quarter to account for (everyone missing), as
  // long as the year-to-date it reports on has figures; with none at all there is nothing.
  if (![...loaded.data.values()].some((d) => d.current.length > 0 || d.uploads.length > 0)) throw new NoReportDataError(end);
  const judgedPeriod = judgedPeriodOf(range, months.at(-1)!);
  return buildRangeReport(range, months, {
    judged: judgedPeriod ? reportFrom(ctx, judgedPeriod, loaded, end) : undefined,
    successors: ctx.plan ? successorsFor(ctx.plan, end) : undefined,
    notDue: new Set(collected.filter((p) => !due(p))),
  });
}
