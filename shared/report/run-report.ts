// The report use case (the scheduled Lambda on the 20th, `tthc report` locally): compute
// the period's figures, write the workbook to reports/<period>/, mail the leadership once
// per period. The send is claimed in the store before mailing, so a retry or a schedule
// fired twice rebuilds the workbook but does not mail again; a failed send gives the
// claim back. The period counts as published (getPublication().sentAt) once mailed.
import type { Mailer, ObjectStore, SentMail } from '../ports.ts';
import { trendChartInput, trendChartPng } from './chart.ts';
import { leadershipEmail } from './email.ts';
import { loadLeadershipReport, loadRangeReport, requireReportData, type ReportContext } from './load-report.ts';
import type { LeadershipReport } from './period-report.ts';
import type { RangeReport, ReportRange } from './range-report.ts';
import { buildWorkbook, workbookFileName } from './workbook.ts';
import { periodReportKey } from '../bucket-layout.ts';

export interface ReportDeps extends ReportContext {
  objects: ObjectStore;
  mailer: Mailer | null;
  recipients: string[];
}

export interface LeadershipReportRun {
  report: LeadershipReport;
  workbook: Buffer;
  workbookKey: string;
  mail: SentMail | null;
  /** Sending was asked for, but this period's report had already been claimed or sent: not mailed again. */
  alreadySent: boolean;
}

/** period: a period, or a range's id (2022-Q3, 2022). */
export function workbookKey(period: string): string {
  return periodReportKey(period, workbookFileName(period));
}

/**
 * send: mail once per period (claimed). resend: an operator's deliberate second mail (a run
 * that died between claiming and sending leaves a claim no retry may take): no claim asked.
 */
export async function runLeadershipReport(deps: ReportDeps, period: string, options: { send: boolean; resend?: boolean }): Promise<LeadershipReportRun> {
  const readAt = instantNow(deps);
  // A period without any report is an error, not an empty workbook.
  const report = requireReportData(await loadLeadershipReport(deps, period));
  return publish(deps, period, report, undefined, { ...options, readAt });
}

/** The moment a run reads its data: what it holds was stored before; a later upload is a correction (corrections.ts). */
const instantNow = (deps: Pick<ReportDeps, 'clock'>) => (deps.clock?.() ?? new Date()).toISOString();

export interface RangeRun extends LeadershipReportRun {
  range: RangeReport;
}

/**
 * A quarter's or a year's report ("2022-Q3", "2022"): the workbook goes to
 * reports/<id>/bao-cao-dvc-<id>.xlsx and is mailed once per range (claimed under its id).
 */
export async function runRangeReport(deps: ReportDeps, range: ReportRange, options: { send: boolean; resend?: boolean }): Promise<RangeRun> {
  const readAt = instantNow(deps);
  const rr = await loadRangeReport(deps, range);
  return { ...(await publish(deps, range.id, rr.last, rr, { ...options, readAt })), range: rr };
}

async function publish(deps: ReportDeps, id: string, report: LeadershipReport, range: RangeReport | undefined, options: { send: boolean; resend?: boolean; readAt: string }): Promise<LeadershipReportRun> {
  // Drawn once: on Tổng hợp and inline in the email.
  const chart = trendChartPng(trendChartInput(report));
  const workbook = await buildWorkbook(report, { chart, range });
  const key = workbookKey(id);
  await deps.objects.put(key, workbook, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  if (!options.send && !options.resend) return { report, workbook, workbookKey: key, mail: null, alreadySent: false };
  if (!deps.mailer) throw new Error('no mail transport configured (TTHC_MAIL_FROM)');
  if (deps.recipients.length === 0) throw new Error('no leadership recipients configured (TTHC_REPORT_RECIPIENTS)');
  const claimed = !options.resend;
  // Claimed as of the read: an upload stored after it, while the workbook was built, is in no workbook.
  if (claimed && !(await deps.store.claimPublication(id, options.readAt))) return { report, workbook, workbookKey: key, mail: null, alreadySent: true };
  let mail: SentMail;
  try {
    mail = await deps.mailer.send(leadershipEmail(report, deps.recipients, workbook, { chart, range }));
  } catch (e) {
    if (claimed) await deps.store.releasePublication(id);
    throw e;
  }
  // Mailed: should this write fail, the claim still stands (no second mail) and the
  // deadline check, finding no sentAt, raises the alarm.
  await deps.store.markPublished(id, instantNow(deps), mail.messageId, options.readAt);
  return { report, workbook, workbookKey: key, mail, alreadySent: false };
}
