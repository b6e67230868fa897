// Where uploads and reports are kept. The DynamoDB adapter lives with the AWS code
// (functions/commons/dynamodb-report-store.ts); the domain sees only this.
import type { CurrentReport, UploadRecord, UploadSummary } from '../ingest/upload.ts';

export interface PeriodReports {
  current: CurrentReport[];
  uploads: UploadSummary[];
}

export interface ReportStore {
  /** Records an upload once; a second call for the same id keeps the first record. */
  putUpload(record: UploadRecord): Promise<'created' | 'exists'>;
  getUpload(period: string, unit: string, uploadId: string): Promise<UploadRecord | null>;
  /** Records that the unit was mailed about an upload (so a retry does not mail twice). */
  markNotified(period: string, unit: string, uploadId: string, at: string): Promise<void>;
  /** Makes this the unit's report for the period unless a newer upload already is (by orderKey). */
  moveCurrent(report: CurrentReport): Promise<'moved' | 'newer_exists'>;
  getCurrent(period: string, unit: string): Promise<CurrentReport | null>;
  /** Every unit's report and every upload for a period: one query, never a scan. */
  listPeriod(period: string): Promise<PeriodReports>;
  /** A unit's uploads, newest first. */
  unitHistory(unit: string, limit?: number): Promise<UploadRecord[]>;
}
