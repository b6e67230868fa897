// One upload of a report file, and what became of it. Every upload, accepted or not, is
// kept in the history; the newest accepted one per unit and period is the unit's report.
import type { Counts } from '../report-file/counts.ts';
import type { Procedure } from '../report-file/detail.ts';
import type { FileIssue } from '../report-file/file-issue.ts';
import type { Layout } from '../report-file/read-report.ts';

/** An object-created notification, as S3 sends it (key already URL-decoded). */
export interface UploadEvent {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  versionId: string | null;
  /** S3's per-key ordering token (hex). */
  sequencer: string;
  /** When S3 received the object (ISO-8601). */
  eventTime: string;
}

export type Outcome = 'accepted' | 'rejected' | 'unchanged';

export interface UploadRecord {
  uploadId: string;
  /** The unit named by the key prefix (incoming/<unit>/…). */
  unit: string;
  /** The file's own period; when unreadable, the period being collected at event time. */
  period: string;
  periodFromFile: boolean;
  key: string;
  fileName: string;
  size: number;
  etag: string;
  versionId: string | null;
  sequencer: string;
  eventTime: string;
  /** eventTime then sequencer, comparable as strings: newest upload wins. */
  orderKey: string;
  contentHash: string;
  outcome: Outcome;
  layout: Layout | null;
  counts: Counts | null;
  procedures: Procedure[];
  errors: FileIssue[];
  warnings: FileIssue[];
  processedAt: string;
  /** When the unit's contact was mailed about this upload; null until then. */
  notifiedAt: string | null;
}

/** A unit's figures for a period: the counts of its newest accepted submission (the table's current item). */
export interface UnitFigures {
  unit: string;
  period: string;
  uploadId: string;
  orderKey: string;
  eventTime: string;
  contentHash: string;
  key: string;
  counts: Counts;
  procedures: Procedure[];
}

/** Upload history as the period's status needs it. */
export interface UploadSummary {
  uploadId: string;
  unit: string;
  period: string;
  eventTime: string;
  /** When ingest stored it: whether a report read it (corrections.ts). */
  processedAt: string;
  outcome: Outcome;
  /** The upload's figures (null when rejected): the report shows a correction's old figures. */
  counts?: Counts | null;
  /** Its warnings (as stored: at most 100): the report's data-quality and corrections sheets. */
  warnings?: Array<Pick<FileIssue, 'code' | 'message'>>;
}

// S3 sequencers are hex strings of varying length. AWS: "right-pad the shorter value with
// zeros, and then do a lexicographical comparison". They only order events of the same key,
// so they break ties of event time only.
const SEQUENCER_WIDTH = 32;

export function orderKey(eventTime: string, sequencer: string): string {
  return `${new Date(eventTime).toISOString()}#${sequencer.toUpperCase().padEnd(SEQUENCER_WIDTH, '0')}`;
}
