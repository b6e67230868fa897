// Records put straight into a report store (the in-memory one, or any other), as ingest
// would have written them: the immutable upload, then the unit's current report.
import { orderKey, type UnitFigures, type UploadRecord } from '../../shared/ingest/upload.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import type { Counts } from '../../shared/report-file/counts.ts';
import type { Procedure } from '../../shared/report-file/detail.ts';
import type { FileIssue } from '../../shared/report-file/file-issue.ts';
import type { ReportContext } from '../../shared/report/load-report.ts';
import type { ReportStore } from '../../shared/store/report-store.ts';
import { PLAN_128_FLOOR, PLAN_128_ONLINE_ONLY, PLAN_128_TARGETS, PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';

let n = 0;

export interface Stored {
  record: UploadRecord;
  current: UnitFigures;
}

/** An accepted upload and, unless a newer one holds it, the unit's current report. */
export async function putReport(store: ReportStore, unit: string, period: string, counts: Counts, opts: {
  eventTime?: string; warnings?: Array<Pick<FileIssue, 'code' | 'message'>>; procedures?: Procedure[];
  /** When ingest stored it (default: as S3 received it). */
  processedAt?: string;
} = {}): Promise<Stored> {
  const eventTime = opts.eventTime ?? `${period}-17T03:00:00.000Z`;
  const sequencer = (0x1000 + ++n).toString(16).toUpperCase();
  const uploadId = `${unit}-${period}-${n}`;
  const warnings: FileIssue[] = (opts.warnings ?? []).map((w) => ({ ...w, sheet: null, row: null, column: null }));
  const record = {
    uploadId, unit, period, periodFromFile: true, key: `incoming/${unit}/bao-cao-${n}.xlsx`, fileName: `bao-cao-${n}.xlsx`,
    size: 1000, etag: `etag-${n}`, versionId: null, sequencer, eventTime, orderKey: orderKey(eventTime, sequencer),
    contentHash: `h-${uploadId}`, outcome: 'accepted', layout: '06a', counts, procedures: opts.procedures ?? [],
    errors: [], warnings, processedAt: opts.processedAt ?? eventTime, notifiedAt: null,
  } as UploadRecord;
  const current: UnitFigures = {
    unit, period, uploadId, orderKey: record.orderKey, eventTime, contentHash: record.contentHash, key: record.key,
    counts, procedures: record.procedures,
  };
  await store.putUpload(record);
  await store.moveCurrent(current);
  return { record, current };
}

/** The 2022 plan's report context over a store, at a fixed moment. */
export function planContext(store: ReportStore, now: Date): ReportContext {
  return {
    store, periods: PLAN_128_PERIODS, units: PLAN_128_UNITS, targets: PLAN_128_TARGETS, pilot: PLAN_128_ONLINE_ONLY,
    floor: PLAN_128_FLOOR, clock: () => now,
  };
}
