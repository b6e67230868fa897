// Lambda entry for the leadership report, driven by three schedules:
// - the 20th, 08:00 Asia/Ho_Chi_Minh: builds and mails the report for the period that
//   closed on the 15th ({} or {"period":"YYYY-MM"} to rebuild any period by hand);
// - the 20th, 09:00: {"mode":"deadline_check"}: emits ReportNotSent=1 if the period's
//   report is not published (store: getPublication().sentAt) (alarmed);
// - daily: {"mode":"status"}: emits UnitsMissing / UnitsLate for the period being collected.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { isPeriod, lastClosedPeriod } from '../../shared/period.ts';
import { unitsAndTargets } from '../../shared/report/load-report.ts';
import { runReport, type ReportDeps } from '../../shared/report/run-report.ts';
import { periodStatus } from '../../shared/status.ts';
import { reportDepsFromEnv } from '../commons/deps.ts';
import { logger, metrics } from '../commons/powertools.ts';

export interface ReportEvent {
  mode?: 'report' | 'deadline_check' | 'status';
  period?: string;
  /** Default true: the scheduled run mails (once per period); a rebuild by hand may choose not to. */
  send?: boolean;
  /** By hand only: mail even though the period was claimed or sent (ReportNotSent after a run died mid-send). */
  resend?: boolean;
}

/** What a report run returns (the scheduled and by-hand invocations). */
export interface ReportResult {
  period: string;
  workbookKey: string;
  messageId: string | null;
  emailFile: string | null;
  missing: number;
  /** Sending was asked for and the period's report had already gone (or is going): not mailed again. */
  alreadySent: boolean;
}

export function makeReportHandler(deps: () => ReportDeps | Promise<ReportDeps>, clock: () => Date = () => new Date()) {
  return middy(async (event: ReportEvent = {}) => {
    const d = await deps();
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
    const run = await runReport(d, period, { send: event.send ?? true, resend: event.resend === true });
    metrics.addMetric('ReportRuns', MetricUnit.Count, 1);
    metrics.addMetric('ReportDuration', MetricUnit.Milliseconds, Date.now() - started);
    metrics.addMetric('EmailsSent', MetricUnit.Count, run.mail ? 1 : 0);
    logger.info('report built', {
      period, workbookKey: run.workbookKey, bytes: run.workbook.length, mailed: Boolean(run.mail), alreadySent: run.alreadySent,
      missing: run.report.missing.length, cityRate: run.report.totals.city.periodRates.onlineRate,
    });
    return {
      period, workbookKey: run.workbookKey, messageId: run.mail?.messageId ?? null,
      // Local mode: where the mail transport kept a copy of the message (.eml).
      emailFile: run.mail?.file ?? null, missing: run.report.missing.length, alreadySent: run.alreadySent,
    } satisfies ReportResult;
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeReportHandler(reportDepsFromEnv);
