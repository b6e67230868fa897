// Lambda entry for the leadership report, driven by three schedules:
// - the 20th, 08:00 Asia/Ho_Chi_Minh: builds and mails the report for the period that
//   closed on the 15th ({} or {"period":"YYYY-MM"} to rebuild any period by hand);
// - the 20th, 09:00: {"mode":"deadline_check"}: emits ReportNotSent=1 if the period's
//   report is not published (store: getPublication().sentAt) (alarmed);
// - daily: {"mode":"status"}: emits UnitsMissing / UnitsLate for the period being collected;
// - the day after a quarter's last period is due: {"mode":"quarter"} (or {"mode":"quarter",
//   "quarter":"2022-Q3"}) builds and mails the quarter's report; after December's is due,
//   {"mode":"year"} (or "year":"2022") the year's, with the evaluation against the targets.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dueInstant, isPeriod, lastClosedPeriod } from '../../shared/period.ts';
import { unitsAndTargets } from '../../shared/report/load-report.ts';
import { isQuarter, isYear, quarterEndingIn, quarterRange, yearRange, type ReportRange } from '../../shared/report/range-report.ts';
import { runRangeReport, runLeadershipReport, type LeadershipReportRun, type ReportDeps } from '../../shared/report/run-report.ts';
import { periodStatus } from '../../shared/status.ts';
import { reportDepsFromEnv } from '../commons/deps.ts';
import { logger, metrics } from '../commons/powertools.ts';

const MODES = ['report', 'deadline_check', 'status', 'quarter', 'year'] as const;

export interface ReportEvent {
  mode?: (typeof MODES)[number];
  period?: string;
  /** mode quarter: "YYYY-Qn"; default the quarter whose last period closed last. */
  quarter?: string;
  /** mode year: "YYYY"; default the year whose December closed last. */
  year?: string;
  /** Default true: the scheduled run mails (once per period); a rebuild by hand may choose not to. */
  send?: boolean;
  /** By hand only: mail even though the period was claimed or sent (ReportNotSent after a run died mid-send). */
  resend?: boolean;
}

/** What a report run returns (the scheduled and by-hand invocations). */
export interface ReportResult {
  /** The period, or the range's id (2022-Q3, 2022). */
  period: string;
  workbookKey: string;
  messageId: string | null;
  emailFile: string | null;
  missing: number;
  /** Sending was asked for and the period's report had already gone (or is going): not mailed again. */
  alreadySent: boolean;
  /** Sending was asked for before the period (the range's last period) was due: not mailed, due then (ISO-8601). */
  notDueUntil: string | null;
}

/** An event no run can serve (an unknown mode, a send flag that is not true or false): said, counted, and not retried. */
function rejected(reason: string, event: unknown): { rejected: string } {
  logger.error('report event rejected', { reason, event: JSON.stringify(event).slice(0, 500) });
  metrics.addMetric('ReportEventsRejected', MetricUnit.Count, 1);
  return { rejected: reason };
}

/**
 * Whether to mail: asked for (by default), and the period due. Before its due instant units may
 * still be reporting, and the one send per period would be spent on incomplete figures (the
 * scheduled run would then find it sent).
 */
function sendPlan(event: ReportEvent, lastPeriod: string, d: ReportDeps, clock: () => Date): { send: boolean; notDueUntil: string | null } {
  const due = dueInstant(lastPeriod, d.periods);
  const asked = event.send ?? true;
  if (asked && clock() < due) {
    logger.warn('report not mailed: its period is not due yet', { period: lastPeriod, dueAt: due.toISOString() });
    return { send: false, notDueUntil: due.toISOString() };
  }
  return { send: asked, notDueUntil: null };
}

export function makeReportHandler(deps: () => ReportDeps | Promise<ReportDeps>, clock: () => Date = () => new Date()) {
  return middy(async (event: ReportEvent = {}) => {
    if (event.mode !== undefined && !MODES.includes(event.mode)) return rejected(`unknown mode "${String(event.mode)}" (${MODES.join(', ')})`, event);
    for (const flag of ['send', 'resend'] as const) {
      if (event[flag] !== undefined && typeof event[flag] !== 'boolean') return rejected(`${flag} must be true or false, not ${JSON.stringify(event[flag])}`, event);
    }
    const d = await deps();
    if (event.mode === 'quarter' || event.mode === 'year') return rangeRun(d, event, clock);
    const period = event.period ?? lastClosedPeriod(clock(), d.periods);
    if (!isPeriod(period)) throw new Error(`not a period (YYYY-MM): ${period}`);

    if (event.mode === 'deadline_check') {
      const sent = Boolean((await d.store.getPublication(period))?.sentAt);
      metrics.addMetric('ReportNotSent', MetricUnit.Count, sent ? 0 : 1);
      if (!sent) logger.error('leadership report not sent by the deadline', { period });
      return { period, sent };
    }
    if (event.mode === 'status') {
      const statuses = periodStatus(unitsAndTargets(d, period).units, period, await d.store.listPeriod(period), d.periods);
      const count = (s: string) => statuses.filter((x) => x.status === s).length;
      metrics.addMetric('UnitsMissing', MetricUnit.Count, count('missing') + count('rejected_only'));
      metrics.addMetric('UnitsLate', MetricUnit.Count, count('late'));
      return { period, missing: count('missing'), rejectedOnly: count('rejected_only'), late: count('late') };
    }

    const started = Date.now();
    const plan = sendPlan(event, period, d, clock);
    const run = await runLeadershipReport(d, period, { send: plan.send, resend: event.resend === true });
    logger.info('report built', {
      period, workbookKey: run.workbookKey, bytes: run.workbook.length, mailed: Boolean(run.mail), alreadySent: run.alreadySent,
      missing: run.report.missing.length, cityRate: run.report.totals.city.periodRates.onlineRate,
    });
    return finished(period, started, run, plan.notDueUntil);
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

/** The range a quarter or year event asks for; by default the one whose last period closed last. */
export function rangeOf(event: ReportEvent, closed: string): ReportRange {
  if (event.mode === 'quarter') {
    const id = event.quarter ?? quarterEndingIn(closed);
    if (!id || !isQuarter(id)) throw new Error(`not a quarter (YYYY-Qn), or ${closed} does not end one: ${id ?? ''}`);
    return quarterRange(id);
  }
  const id = event.year ?? (closed.endsWith('-12') ? closed.slice(0, 4) : null);
  if (!id || !isYear(id)) throw new Error(`not a year (YYYY), or ${closed} does not end one: ${id ?? ''}`);
  return yearRange(id);
}

async function rangeRun(d: ReportDeps, event: ReportEvent, clock: () => Date) {
  const range = rangeOf(event, lastClosedPeriod(clock(), d.periods));
  const started = Date.now();
  const plan = sendPlan(event, range.periods[range.periods.length - 1], d, clock);
  const run = await runRangeReport(d, range, { send: plan.send, resend: event.resend === true });
  logger.info('range report built', { range: range.id, workbookKey: run.workbookKey, bytes: run.workbook.length, mailed: Boolean(run.mail), alreadySent: run.alreadySent });
  return finished(range.id, started, run, plan.notDueUntil);
}

/** A month's or a range's run: its metrics, and what the invocation answers. */
function finished(period: string, started: number, run: LeadershipReportRun, notDueUntil: string | null): ReportResult {
  metrics.addMetric('ReportRuns', MetricUnit.Count, 1);
  metrics.addMetric('ReportDuration', MetricUnit.Milliseconds, Date.now() - started);
  metrics.addMetric('EmailsSent', MetricUnit.Count, run.mail ? 1 : 0);
  return {
    period, workbookKey: run.workbookKey, messageId: run.mail?.messageId ?? null,
    // Local mode: where the mail transport kept a copy of the message (.eml).
    emailFile: run.mail?.file ?? null, missing: run.report.missing.length, alreadySent: run.alreadySent, notDueUntil,
  };
}

export const handler = makeReportHandler(reportDepsFromEnv);
