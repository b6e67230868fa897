// Lambda entry: on the schedule (the 20th, 08:00 Asia/Ho_Chi_Minh) builds and mails the
// report for the period that closed on the 15th; invoked with {"period":"YYYY-MM"} it
// rebuilds that period.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { isPeriod, lastClosedPeriod } from '../../shared/period.ts';
import { runReport, type ReportDeps } from '../../shared/report/run-report.ts';
import { reportDepsFromEnv } from '../commons/deps.ts';
import { logger, metrics } from '../commons/powertools.ts';

export interface ReportEvent {
  period?: string;
  /** Default true: the scheduled run mails; a rebuild by hand may choose not to. */
  send?: boolean;
}

export function makeReportHandler(deps: () => ReportDeps, clock: () => Date = () => new Date()) {
  return middy(async (event: ReportEvent = {}) => {
    const d = deps();
    const period = event.period ?? lastClosedPeriod(clock(), d.periods);
    if (!isPeriod(period)) throw new Error(`not a period (YYYY-MM): ${period}`);
    const started = Date.now();
    const run = await runReport(d, period, { send: event.send ?? true });
    metrics.addMetric('ReportRuns', MetricUnit.Count, 1);
    metrics.addMetric('ReportDuration', MetricUnit.Milliseconds, Date.now() - started);
    metrics.addMetric('EmailsSent', MetricUnit.Count, run.mail ? 1 : 0);
    metrics.addMetric('UnitsMissing', MetricUnit.Count, run.report.missing.length);
    logger.info('report built', {
      period, workbookKey: run.workbookKey, bytes: run.workbook.length, mailed: Boolean(run.mail),
      missing: run.report.missing.length, cityRate: run.report.totals.city.periodRates.onlineRate,
    });
    return { period, workbookKey: run.workbookKey, messageId: run.mail?.messageId ?? null, missing: run.report.missing.length };
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

let deps: ReportDeps | undefined;
export const handler = makeReportHandler(() => (deps ??= reportDepsFromEnv()));
