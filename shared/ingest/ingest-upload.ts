// The ingest use case: one uploaded object → read, validate, record, make current, tell
// the unit. Safe to run twice for the same object (S3 may deliver an event again, Lambda
// retries): every write is keyed by the upload and conditional.
import { createHash } from 'node:crypto';
import { isIncomingKey, parseUploadKey, UNRECOGNISED_UNIT } from '../bucket-layout.ts';
import { addMonths, formatDate, isPeriod, lastClosedPeriod, localDateOf, periodBounds, periodContaining, periodLabel, type PeriodConfig } from '../period.ts';
import { escapeHtml } from '../text.ts';
import { isPermanentMailError, type Mailer, type ObjectStore } from '../ports.ts';
import { MAX_SUBMISSION_BYTES, readSubmission, rejectTooLarge, type ReadOptions, type SubmissionReading } from '../report-file/read-report.ts';
import { capText, fileIssue, type FileIssue } from '../report-file/file-issue.ts';
import type { IngestView, Publication, ReportStore } from '../store/report-store.ts';
import type { Counts } from '../report-file/counts.ts';
import { MAX_ISSUES } from '../store/item-limits.ts';
import type { UnitsInForce } from '../units/units-in-force.ts';
import { feedbackJson, feedbackKeys, feedbackText, plainFeedbackText } from './feedback.ts';
import { DEFAULT_QUALITY, outlierWarnings, type QualityConfig } from './quality.ts';
import {
  carriedInto, carriedOverWarning, countsFingerprint, distinctive, sameAsOtherUnitWarning, sameAsPreviousWarning, sameCounts,
} from './cross-checks.ts';
import { orderKey, type Outcome, type UploadEvent, type UploadRecord } from './upload.ts';

export interface IngestDeps {
  objects: ObjectStore;
  reports: ReportStore;
  /** Null: no mail transport configured (feedback files are still written). */
  mailer: Mailer | null;
  /** The units in force per period: the plan's configuration, or fixedUnits of a registry. */
  units: UnitsInForce;
  periods: PeriodConfig;
  /** Outlier thresholds against the unit's own history; DEFAULT_QUALITY when absent. */
  quality?: QualityConfig;
  clock?: () => Date;
}

/**
 * The periods whose reports make the unit's usual figures: twice as many periods before as
 * quality compares, so a unit that missed some still has its latest ones.
 */
function earlierPeriods(period: string, quality: QualityConfig): string[] {
  // At least the period before, which the cross-checks compare with (cross-checks.ts).
  return Array.from({ length: Math.max(1, 2 * quality.historyPeriods) }, (_, i) => addMonths(period, -(i + 1)));
}

/** What ingest did with one object: the handler returns one per upload record of the event. */
export interface IngestResult {
  key: string;
  uploadId: string;
  unit: string;
  period: string;
  outcome: Outcome;
  /** Where the unit's feedback was written (JSON and Vietnamese text). */
  feedback: { json: string; text: string };
  /** False when this object had already been ingested (a repeated event). */
  firstDelivery: boolean;
  record: UploadRecord;
  /** Errors of our own code met on this file (never shown to the clerk): for ops' logs. */
  faults: unknown[];
  /** SES refused the feedback mail for good on this delivery (the unit's contact_email, or the account): for ops' logs and metric. */
  mailRefused: MailRefusal | null;
}

/** Why SES refused a mail for good: the error's name (MessageRejected, BadRequestException) and SES's words. */
export interface MailRefusal {
  reason: string;
  message: string;
}

/**
 * What the function returns for one upload: small and JSON-safe whatever the file (Lambda caps
 * a response at 6 MB, and a failed response is a failed, retried invocation). The procedure
 * list stays in the history record.
 */
export interface IngestVerdict extends Omit<IngestResult, 'record' | 'faults' | 'mailRefused'> {
  layout: UploadRecord['layout'];
  counts: UploadRecord['counts'];
  errors: FileIssue[];
  warnings: FileIssue[];
}

export function verdictOf(r: IngestResult): IngestVerdict {
  const { record } = r;
  return {
    key: r.key, uploadId: r.uploadId, unit: r.unit, period: r.period, outcome: r.outcome, feedback: r.feedback,
    firstDelivery: r.firstDelivery, layout: record.layout, counts: record.counts,
    errors: record.errors.slice(0, MAX_ISSUES), warnings: record.warnings.slice(0, MAX_ISSUES),
  };
}

/**
 * Mails the unit about one upload, once: the send is claimed first, so concurrent or repeated
 * deliveries of the upload, and a retry after the "mailed" mark failed, send nothing more. A
 * send that failed in passing gives the claim back and fails the invocation, so Lambda's retry
 * mails. A send SES refuses for good (the unit's address, or the account in the sandbox) keeps
 * the claim and is said, not thrown: the data and the feedback are stored, and retrying (then
 * the dead-letter queue) would fail every upload of the unit until the registry changes.
 */
async function mailOnce(deps: IngestDeps, mailer: Mailer, record: UploadRecord, contact: string, text: string): Promise<{ record: UploadRecord; refused: MailRefusal | null }> {
  const now = () => (deps.clock?.() ?? new Date()).toISOString();
  if (!await deps.reports.claimUploadMail(record.period, record.unit, record.uploadId, now())) return { record, refused: null };
  try {
    await mailer.send({
      to: [contact],
      subject: `[DVC] Báo cáo kỳ ${periodLabel(record.period)}: ${record.outcome === 'rejected' ? 'bị từ chối' : 'đã tiếp nhận'}`,
      text,
      html: `<pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(text)}</pre>`,
    });
  } catch (error) {
    // Kept claimed: no retry, redelivery or replay of this upload tries the address again.
    if (isPermanentMailError(error)) return { record, refused: { reason: (error as Error).name, message: String((error as Error).message ?? '') } };
    await deps.reports.releaseUploadMail(record.period, record.unit, record.uploadId);
    throw error;
  }
  // The claim already keeps a retry from mailing again; the mark says when it went.
  const notifiedAt = now();
  await deps.reports.markNotified(record.period, record.unit, record.uploadId, notifiedAt);
  return { record: { ...record, notifiedAt }, refused: null };
}

/** The same object delivered twice has the same id; a new upload of the same bytes does not. */
export function uploadIdOf(e: UploadEvent): string {
  return createHash('sha256').update(`${e.bucket}\n${e.key}\n${e.versionId ?? e.etag}\n${e.sequencer}`).digest('hex').slice(0, 24);
}

/**
 * The unit an upload folder names: the folder must be a unit code exactly as the registry
 * writes it (in force for the period being collected, or retired, so the reader can say who
 * reports now). No case folding, no trimming: 's01', 'ſ01' (which upper-cases to S) or 'S01 '
 * would otherwise count for S01, or be stored under a code no status ever lists.
 */
export function unitOfFolder(units: UnitsInForce, folder: string, period: string): string | null {
  if (units.registryFor(period).get(folder)?.code === folder) return folder;
  return units.retired(folder, period)?.code === folder ? folder : null;
}

/** The verdict on a file under a folder that is no unit's: nothing of it is read or counted. */
function refuseUnrecognised(folder: string | null): SubmissionReading {
  const message = folder === null
    ? 'Tệp nằm ngay trong thư mục "incoming/", không trong thư mục của đơn vị nào. Tệp không được ghi nhận cho đơn vị nào: hãy tải lên thư mục mang đúng mã đơn vị, ví dụ "incoming/S01/".'
    : `Thư mục "incoming/${capText(folder, 60)}/" không phải mã của đơn vị nào trong danh mục (mã phải viết đúng như danh mục: chữ hoa, không dấu cách, ví dụ "S01"). Tệp không được ghi nhận cho đơn vị nào: hãy tải lên thư mục mang đúng mã đơn vị.`;
  return {
    status: 'rejected', unit: null, period: null, layout: null, counts: null, fields: [], procedures: [], warnings: [],
    errors: [fileIssue('unknown_unit_folder', message)],
  };
}

/**
 * The reader must never throw on a file, whatever it holds; if it does (a bug meeting some
 * input), the file is refused with a plain message and the error goes to ops (faults), never
 * to the clerk.
 */
async function readSafely(bytes: Buffer, options: ReadOptions, faults: unknown[]): Promise<SubmissionReading> {
  try {
    return await readSubmission(bytes, options);
  } catch (error) {
    faults.push(error);
    return {
      status: 'rejected', unit: null, period: null, layout: null, counts: null, fields: [], procedures: [], warnings: [],
      errors: [fileIssue('file_not_processed',
        'Hệ thống không xử lý được tệp này. Hãy kiểm tra tệp theo đúng mẫu (Biểu 06a hoặc mẫu CSV), lưu lại rồi tải lên lại; nếu vẫn không được, hãy liên hệ bộ phận quản trị kèm mã lần gửi dưới đây.')],
    };
  }
}

/** True when the period's dates can be worked out (its bounds reach into the month before): "0000-01" cannot. */
export function usablePeriod(period: string, periods: PeriodConfig): boolean {
  if (!isPeriod(period)) return false;
  try {
    periodBounds(period, periods);
    return true;
  } catch {
    return false;
  }
}

/** A period from the file that no date can be worked out for refuses the file (and is not stored as its period). */
function withUsablePeriod(reading: SubmissionReading, periods: PeriodConfig): SubmissionReading {
  if (reading.period === null || usablePeriod(reading.period, periods)) return reading;
  const label = capText(isPeriod(reading.period) ? periodLabel(reading.period) : reading.period, 40);
  return {
    ...reading, status: 'rejected', period: null, counts: null,
    errors: [fileIssue('invalid_period', `Kỳ báo cáo "${label}" ghi trong tệp không phải một tháng hợp lệ. Hãy ghi đúng kỳ báo cáo (ví dụ 06/2022) rồi tải lên lại.`), ...reading.errors],
  };
}

/** The warning on an upload for a period whose report has read its data: the next report lists it (report/corrections.ts). */
export const CORRECTION_CODE = 'correction_after_publication';

/**
 * Figures accepted after the period's leadership report went out change what leadership was
 * told: the upload counts (the unit's on-time status stays that of its first accepted report),
 * and the clerk is told it is a correction the next report lists.
 */
export function correctionAfterPublication(publication: Publication | null, periods: PeriodConfig, faults: unknown[] = []): FileIssue | null {
  // Claimed is enough: the report read its data before claiming the send, so this upload is
  // in no workbook of the period, whether the mail has gone yet or goes a moment later.
  if (!publication) return null;
  let sent = '';
  try {
    sent = ` ngày ${formatDate(localDateOf(new Date(publication.sentAt ?? publication.claimedAt), periods.timeZone))}`;
  } catch (error) {
    faults.push(error); // the warning stands without its date
  }
  const done = publication.sentAt ? `đã được tổng hợp gửi lãnh đạo${sent}` : `đã được tổng hợp${sent} để gửi lãnh đạo`;
  return fileIssue(CORRECTION_CODE,
    `Kỳ ${periodLabel(publication.period)} ${done}; báo cáo này được ghi nhận là điều chỉnh số liệu và sẽ được liệt kê trong báo cáo kỳ sau.`);
}

/** Another unit's reports named by the counts' note, at most this many read to confirm one is still equal. */
const TWIN_CANDIDATES = 10;

/** The counts' fingerprint ingest notes and looks up, for figures distinctive enough (cross-checks.ts); null otherwise. */
function fingerprintOf(counts: Counts | null): string | null {
  return counts && distinctive(counts) ? countsFingerprint(counts) : null;
}

/**
 * The report's figures against other reports (cross-checks.ts): the unit's report of the period
 * before (and those of units merged into it from this period: one more read, only then), and
 * another unit's report of the period with the same figures (one more read, only when the
 * counts' note names another unit: the note is never taken back, so the report is read again).
 */
async function crossCheckWarnings(deps: IngestDeps, unit: string, period: string, counts: Counts, view: IngestView, faults: unknown[]): Promise<FileIssue[]> {
  const warnings: FileIssue[] = [];
  const before = addMonths(period, -1);
  let continued = [unit];
  try {
    continued = carriedInto(deps.units, unit, period);
  } catch (error) {
    faults.push(error); // judged on the unit's own report alone
  }
  const merged = continued.filter((code) => code !== unit);
  const own = view.earlier.find((e) => e.period === before);
  const others = view.notedUnits.filter((code) => code !== unit).slice(0, TWIN_CANDIDATES);
  // A read that fails costs its warnings, never the report (null: not read).
  const read = <T>(reports: Promise<T[]>) => reports.catch((error: unknown) => { faults.push(error); return null; });
  const [mergedReports, candidates] = await Promise.all([
    merged.length ? read(deps.reports.currentCounts(before, merged)) : [],
    others.length ? read(deps.reports.currentCounts(period, others)) : [],
  ]);
  const twin = candidates?.find((r) => sameCounts(r.counts, counts));
  try {
    // Complete: the unit, if it was one then, and every unit merged into it have their report of the period before.
    const complete = (own !== undefined || !continued.includes(unit)) && mergedReports !== null && mergedReports.length === merged.length;
    const previous = { period: before, reports: [...(own ? [{ unit, counts: own.counts }] : []), ...(mergedReports ?? [])], complete };
    for (const w of [sameAsPreviousWarning(counts, unit, period, previous), carriedOverWarning(counts, unit, period, previous)]) if (w) warnings.push(w);
    if (twin) warnings.push(sameAsOtherUnitWarning(period, { code: twin.unit, name: deps.units.registryFor(period).get(twin.unit)?.name ?? null }));
  } catch (error) {
    faults.push(error);
  }
  return warnings;
}

/** What an accepted report is warned about: a correction after publication, figures far from the unit's history or equal to another report's. */
async function acceptedWarnings(deps: IngestDeps, unit: string, period: string, counts: Counts, view: IngestView, order: string, faults: unknown[]): Promise<FileIssue[]> {
  const warnings: FileIssue[] = [];
  // An upload older than the report (a late or replayed event) never becomes it: no correction.
  const correction = view.current && order < view.current.orderKey ? null : correctionAfterPublication(view.publication, deps.periods, faults);
  if (correction) warnings.push(correction);
  try {
    // Each earlier period's current report is its newest accepted upload, newest period first.
    const quality = deps.quality ?? DEFAULT_QUALITY;
    warnings.push(...outlierWarnings(counts, view.earlier.slice(0, quality.historyPeriods), quality));
  } catch (error) {
    faults.push(error); // a warning we cannot work out is no reason to lose the report
  }
  warnings.push(...await crossCheckWarnings(deps, unit, period, counts, view, faults));
  return warnings;
}

export async function ingestUpload(deps: IngestDeps, event: UploadEvent): Promise<IngestResult> {
  if (!isIncomingKey(event.key)) throw new Error(`not an upload key (incoming/<unit>/<file>): ${event.key}`);
  const uploadId = uploadIdOf(event);
  const order = orderKey(event.eventTime, event.sequencer);
  const eventAt = new Date(event.eventTime);
  const parsed = parseUploadKey(event.key);
  // The folder names a unit of the period being collected, or of the one still running: a unit
  // new in the registry that sends before its first period ends is told so as itself.
  const folderUnit = parsed && (unitOfFolder(deps.units, parsed.folder, lastClosedPeriod(eventAt, deps.periods))
    ?? unitOfFolder(deps.units, parsed.folder, periodContaining(eventAt, deps.periods)));
  // An unrecognised folder is kept in the history under a marker no unit code can be, with its
  // feedback under results/_unrecognised/: seen by ops, counted for nobody.
  const target = {
    unit: folderUnit ?? UNRECOGNISED_UNIT,
    // Shown in the feedback and the mail as it is named: cleaned and capped like any text from a file.
    fileName: capText(parsed?.fileName ?? event.key.slice(event.key.lastIndexOf('/') + 1)),
  };

  // Files over the limit are judged by their size, never downloaded.
  let contentHash = '';
  let reading: SubmissionReading;
  const faults: unknown[] = [];
  if (!folderUnit) reading = refuseUnrecognised(parsed?.folder ?? null);
  else if (event.size > MAX_SUBMISSION_BYTES) reading = rejectTooLarge(event.size);
  else {
    const { bytes } = await deps.objects.get(event.key, event.versionId);
    contentHash = createHash('sha256').update(bytes).digest('hex');
    reading = await readSafely(bytes, { units: deps.units, uploader: target.unit, periods: deps.periods, now: eventAt }, faults);
  }
  reading = withUsablePeriod(reading, deps.periods);
  const period = reading.period ?? lastClosedPeriod(eventAt, deps.periods);

  // The content decides, whatever the key: bytes the unit's report already has are unchanged,
  // and of the same bytes arriving at once under several keys, the first to claim them on top
  // of the same report is accepted, the others unchanged. (A, B, then A again: A is news.)
  let outcome: Outcome = reading.status;
  if (outcome === 'accepted') {
    // The current report, the publication, the unit's usual figures and the note of its counts: one read.
    const view = await deps.reports.ingestView(period, target.unit, earlierPeriods(period, deps.quality ?? DEFAULT_QUALITY), fingerprintOf(reading.counts) ?? undefined);
    const { current } = view;
    if (current && current.contentHash === contentHash && current.uploadId !== uploadId) outcome = 'unchanged';
    // Only an upload that can become the report claims its bytes: an older one S3 delivers late
    // never will, and its claim would make the clerk's later re-upload of the same bytes (an
    // undo, after publication a correction) "unchanged" while it changes the figures.
    else if ((!current || order > current.orderKey)
      && await deps.reports.claimContent(period, target.unit, contentHash, current?.uploadId ?? '-', uploadId) !== uploadId) outcome = 'unchanged';
    // The ingest's own warnings first: the stored record keeps the first MAX_ISSUES, and a file's
    // own can be a thousand (duplicate_field), which would push these off the leadership's sheet.
    if (outcome === 'accepted') reading = { ...reading, warnings: [...await acceptedWarnings(deps, target.unit, period, reading.counts!, view, order, faults), ...reading.warnings] };
  }

  const draft: UploadRecord = {
    uploadId, unit: target.unit, period, periodFromFile: reading.period !== null,
    key: event.key, fileName: target.fileName, size: event.size, etag: event.etag, versionId: event.versionId,
    sequencer: event.sequencer, eventTime: eventAt.toISOString(), orderKey: order,
    contentHash, outcome, layout: reading.layout, counts: reading.counts, procedures: reading.procedures,
    errors: reading.errors, warnings: reading.warnings, processedAt: (deps.clock?.() ?? new Date()).toISOString(),
    notifiedAt: null,
  };
  // The history record first (immutable); a repeat keeps the first verdict.
  const put = await deps.reports.putUpload(draft);
  let record = put === 'created' ? draft : (await deps.reports.getUpload(period, target.unit, uploadId)) ?? draft;
  // The feedback lists every issue; the stored record keeps the first MAX_ISSUES. A repeat reads
  // the same bytes for the same event, so its reading has the full lists of the first verdict.
  const shown = put === 'created' || record.contentHash !== draft.contentHash || record.outcome !== draft.outcome ? record
    : { ...record, errors: draft.errors, warnings: record.outcome === 'rejected' ? draft.warnings : record.warnings };

  // The JSON feedback depends on the record alone: written while the current report moves.
  const feedback = feedbackKeys(record);
  const jsonWritten = deps.objects.put(feedback.json, `${JSON.stringify(feedbackJson(shown), null, 2)}\n`, 'application/json; charset=utf-8');
  // Then move the unit's current report, which only a newer accepted upload can do.
  let superseded = false;
  if (record.outcome !== 'rejected' && record.counts) {
    const moved = deps.reports.moveCurrent({
      unit: record.unit, period: record.period, uploadId, orderKey: record.orderKey, eventTime: record.eventTime,
      contentHash: record.contentHash, key: record.key, counts: record.counts, procedures: record.procedures,
    });
    // Noted alongside, for another unit's report of the same figures to find (cross-checks.ts). A
    // note of a report that is not current (an older upload, a replaced report) is harmless: the
    // unit's report is read again before any warning.
    const fingerprint = record.outcome === 'accepted' ? fingerprintOf(record.counts) : null;
    // Only for a later warning: a failed note is logged, the report stands.
    const noted = fingerprint ? deps.reports.noteCounts(record.period, record.unit, fingerprint).catch((error: unknown) => void faults.push(error)) : null;
    superseded = 'newer_exists' === (await Promise.all([moved, jsonWritten, noted]))[0];
  }

  const registry = deps.units.registryFor(record.period);
  let text: string;
  try {
    text = feedbackText(shown, registry, deps.periods, superseded);
  } catch (error) {
    faults.push(error); // a bug in the wording must not cost the clerk the verdict
    text = plainFeedbackText(shown);
  }
  await Promise.all([jsonWritten, deps.objects.put(feedback.text, text, 'text/plain; charset=utf-8')]);

  const contact = record.unit === UNRECOGNISED_UNIT ? undefined : registry.get(record.unit)?.contactEmail;
  let mailRefused: MailRefusal | null = null;
  if (!record.notifiedAt && contact && deps.mailer) ({ record, refused: mailRefused } = await mailOnce(deps, deps.mailer, record, contact, text));
  return {
    key: record.key, uploadId, unit: record.unit, period: record.period, outcome: record.outcome,
    feedback, firstDelivery: put === 'created', record, faults, mailRefused,
  };
}
