// The report use case (the scheduled Lambda on the 20th, `tthc report` locally): compute
// the period's figures, write the workbook to reports/<period>/, mail the leadership once
// per period. The send is claimed in the store before mailing, so a retry or a schedule
// fired twice rebuilds the workbook but does not mail again; a failed send gives the
// claim back. The period counts as published (getPublication().sentAt) once mailed.
import type { Mailer, ObjectStore, SentMail } from '../ports.ts';
import { trendChartInput, trendChartPng } from './chart.ts';
import { leadershipEmail } from './email.ts';
import { loadPeriodReport, requireReportData, type ReportContext } from './load-report.ts';
import type { PeriodReport } from './period-report.ts';
import { buildWorkbook, workbookFileName } from './workbook.ts';
import { periodReportKey } from '../bucket-layout.ts';

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
  /** Sending was asked for, but this period's report had already been claimed or sent: not mailed again. */
  alreadySent: boolean;
}

export function workbookKey(period: string): string {
  return periodReportKey(period, workbookFileName(period));
}

/**
 * send: mail once per period (claimed). resend: an operator's deliberate second mail (a run
 * that died between claiming and sending leaves a claim no retry may take): no claim asked.
 */
export async function runReport(deps: ReportDeps, period: string, options: { send: boolean; resend?: boolean }): Promise<ReportRun> {
  // A period without any report is an error, not an empty workbook.
  const report = requireReportData(await loadPeriodReport(deps, period));
  const workbook = await buildWorkbook(report);
  const key = workbookKey(period);
  await deps.objects.put(key, workbook, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const now = () => (deps.clock?.() ?? new Date()).toISOString();
  if (!options.send && !options.resend) return { report, workbook, workbookKey: key, mail: null, alreadySent: false };
  if (!deps.mailer) throw new Error('no mail transport configured (TTHC_MAIL_FROM)');
  if (deps.recipients.length === 0) throw new Error('no leadership recipients configured (TTHC_REPORT_RECIPIENTS)');
  const claimed = !options.resend;
  if (claimed && !(await deps.store.claimPublication(period, now()))) return { report, workbook, workbookKey: key, mail: null, alreadySent: true };
  let mail: SentMail;
  try {
    mail = await deps.mailer.send(leadershipEmail(report, deps.recipients, workbook, { chart: trendChartPng(trendChartInput(report)) }));
  } catch (e) {
    if (claimed) await deps.store.releasePublication(period);
    throw e;
  }
  // Mailed: should this write fail, the claim still stands (no second mail) and the
  // deadline check, finding no sentAt, raises the alarm.
  await deps.store.markPublished(period, now(), mail.messageId);
  return { report, workbook, workbookKey: key, mail, alreadySent: false };
}
