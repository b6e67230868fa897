// The report use case (the scheduled Lambda on the 20th, `tthc report` locally): compute
// the period's figures, write the workbook to reports/<period>/, mail the leadership.
import type { Mailer, ObjectStore, SentMail } from '../ports.ts';
import { leadershipEmail } from './email.ts';
import { loadPeriodReport, type ReportContext } from './load-report.ts';
import type { PeriodReport } from './period-report.ts';
import { buildWorkbook, workbookFileName } from './workbook.ts';
import { periodReportKey, sentMarkerKey as sentKey } from '../bucket-layout.ts';

export interface ReportDeps extends ReportContext {
  objects: ObjectStore;
  mailer: Mailer | null;
  recipients: string[];
}

export interface ReportRun {
  report: PeriodReport;
  workbook: Buffer;
  workbookKey: string;
  mail: SentMail | null;
}

export function workbookKey(period: string): string {
  return periodReportKey(period, workbookFileName(period));
}

/** Written once the leadership email has gone: the deadline check looks for it. */
export function sentMarkerKey(period: string): string {
  return sentKey(period);
}

export async function runReport(deps: ReportDeps, period: string, options: { send: boolean }): Promise<ReportRun> {
  const report = await loadPeriodReport(deps, period);
  const workbook = await buildWorkbook(report);
  const key = workbookKey(period);
  await deps.objects.put(key, workbook, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  let mail: SentMail | null = null;
  if (options.send) {
    if (!deps.mailer) throw new Error('no mail transport configured (TTHC_MAIL_FROM)');
    if (deps.recipients.length === 0) throw new Error('no leadership recipients configured (TTHC_REPORT_RECIPIENTS)');
    mail = await deps.mailer.send(leadershipEmail(report, deps.recipients, workbook));
    await deps.objects.put(sentMarkerKey(period), `${JSON.stringify({
      period, messageId: mail.messageId, recipients: deps.recipients, sentAt: (deps.clock?.() ?? new Date()).toISOString(), workbookKey: key,
    }, null, 2)}\n`, 'application/json');
  }
  return { report, workbook, workbookKey: key, mail };
}
