// Where uploads and reports are kept. The DynamoDB adapter lives with the AWS code
// (functions/commons/dynamodb-report-store.ts); the domain sees only this.
import type { UnitFigures, UploadRecord, UploadSummary } from '../ingest/upload.ts';
import type { Counts } from '../report-file/counts.ts';

export interface PeriodReports {
  current: UnitFigures[];
  uploads: UploadSummary[];
}

/** A period's leadership report: claimed once before it is mailed, published once sent. */
export interface Publication {
  period: string;
  /** When the report that claimed (or, resent, was mailed) read its data: what it holds was stored before. */
  claimedAt: string;
  /** Null while claimed and not yet sent. */
  sentAt: string | null;
  messageId: string | null;
}

/** What ingest reads before judging an accepted upload: one round trip to the store. */
export interface IngestView {
  /** The unit's report for the period: which upload, its place in upload order and its bytes (figures and procedures are not read). */
  current: { uploadId: string; orderKey: string; contentHash: string } | null;
  publication: Publication | null;
  /** The unit's reports of the earlier periods asked for, those it has: their figures, in the order asked. */
  earlier: Array<{ period: string; counts: Counts }>;
  /**
   * The units noted (noteCounts) with the counts fingerprint asked for, in this period; empty when
   * none was asked. A note is never taken back: a unit's report may have changed since.
   */
  notedUnits: string[];
}

export interface ReportStore {
  /** Records an upload once; a second call for the same id keeps the first record. */
  putUpload(record: UploadRecord): Promise<'created' | 'exists'>;
  getUpload(period: string, unit: string, uploadId: string): Promise<UploadRecord | null>;
  /** Records that the unit was mailed about an upload (so a retry does not mail twice). */
  markNotified(period: string, unit: string, uploadId: string, at: string): Promise<void>;
  /** Makes this the unit's report for the period unless a newer upload already is (by orderKey). */
  moveCurrent(report: UnitFigures): Promise<'moved' | 'newer_exists'>;
  getCurrent(period: string, unit: string): Promise<UnitFigures | null>;
  /** Claims the right to mail the unit about one upload: true for exactly one caller until released. */
  claimUploadMail(period: string, unit: string, uploadId: string, at: string): Promise<boolean>;
  /** A failed send gives the claim back, so a retry may mail. */
  releaseUploadMail(period: string, unit: string, uploadId: string): Promise<void>;
  /**
   * Same bytes uploaded at once under different keys: the first upload to claim this content
   * on top of the same current report (basedOn: its upload id, or '-' for none) wins. Returns
   * the winner's upload id (this one's when it won, or when it had already claimed it).
   */
  claimContent(period: string, unit: string, contentHash: string, basedOn: string, uploadId: string): Promise<string>;
  /** Claims the sending of a period's leadership report: true once, until released. */
  claimPublication(period: string, at: string): Promise<boolean>;
  releasePublication(period: string): Promise<void>;
  /** readAt: when the report mailed read its data (a resend reads anew); claimedAt becomes it. */
  markPublished(period: string, sentAt: string, messageId: string, readAt?: string): Promise<void>;
  getPublication(period: string): Promise<Publication | null>;
  /** Every unit's report and every upload for a period: one query, never a scan. */
  listPeriod(period: string): Promise<PeriodReports>;
  /**
   * The unit's current report for `period` (upload and content only), the period's publication,
   * the unit's current reports of `earlierPeriods`, and the units noted with `countsHash`: what
   * getCurrent, getPublication, the unit's history and the notes would give ingest, in one request.
   */
  ingestView(period: string, unit: string, earlierPeriods: readonly string[], countsHash?: string): Promise<IngestView>;
  /** Notes that a report of the unit for the period has (or had) counts with this fingerprint; again is a no-op. */
  noteCounts(period: string, unit: string, countsHash: string): Promise<void>;
  /** The figures of these units' current reports for the period, those that have one, each once, in the order asked (one request a hundred units). */
  currentCounts(period: string, units: readonly string[]): Promise<Array<{ unit: string; counts: Counts }>>;
  /** A unit's uploads, newest first. */
  unitHistory(unit: string, limit?: number): Promise<UploadRecord[]>;
}
