// One S3 event, several records: each record is ingested on its own, so one bad record
// never blocks the others. A file's fault is a rejected upload (a result, not an error);
// an infrastructure fault (S3, DynamoDB) fails the invocation after the other records are
// done, so Lambda retries it (already-ingested records are no-ops) and finally sends it to
// the dead-letter queue. An object deleted before it was read is neither: nothing is left to
// ingest, so it is logged and counted, and the record is done. So is a feedback mail SES
// refuses for good: the upload stands, and only a registry change can mend the address.
import type { S3Event } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ingestUpload, type IngestDeps, type IngestResult, type MailRefusal } from '../../shared/ingest/ingest-upload.ts';
import { loadConfigFile } from '../../shared/config/load-config.ts';
import { configKindOf, isFolderMarker, isIncomingKey, UNRECOGNISED_UNIT } from '../../shared/bucket-layout.ts';
import { ObjectNotFound } from '../../shared/ports.ts';
import type { ConfigStore } from '../../shared/store/config-store.ts';
import type { UploadRecord } from '../../shared/ingest/upload.ts';
import { logger, metrics } from '../commons/powertools.ts';
import { toUploadEvent } from './s3-event.ts';

const OUTCOME_METRICS = { accepted: 'UploadsAccepted', rejected: 'UploadsRejected', unchanged: 'UploadsUnchanged' } as const;

/** Records this function acts on: created objects under incoming/ or config/. */
export function isHandled(record: S3Event['Records'][number]): boolean {
  const key = toUploadEvent(record).key;
  return record.eventName.startsWith('ObjectCreated:') && (isIncomingKey(key) || configKindOf(key) !== null);
}

/** The object named by the event is gone (deleted, or its version removed): no retry can read it. */
function vanished(key: string, error: ObjectNotFound): void {
  metrics.addMetric('UploadsVanished', MetricUnit.Count, 1);
  logger.warn('object deleted before it was read: nothing ingested', { key, versionId: error.versionId ?? null });
}

/**
 * SES refused the unit's feedback mail for good: counted (alarmed) and logged for ops to mend
 * the unit's contact_email, or the account (sandbox, sender identity). Not retried: the claim
 * is kept, and the clerk has the feedback in the portal and in S3.
 */
function mailRefused(key: string, record: UploadRecord, refusal: MailRefusal): void {
  metrics.addMetric('FeedbackMailsUndeliverable', MetricUnit.Count, 1);
  logger.warn('feedback mail refused by SES for good, not retried: check the unit\'s contact_email, or SES (sandbox, sender identity)', {
    key, unit: record.unit, uploadId: record.uploadId, period: record.period, reason: refusal.reason, sesMessage: refusal.message,
  });
}

export async function processS3Event(deps: IngestDeps & { config?: ConfigStore; onConfigLoaded?: () => void }, event: S3Event): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  const failures: unknown[] = [];
  await Promise.all(event.Records.map(async (raw) => {
    const upload = toUploadEvent(raw);
    if (!raw.eventName.startsWith('ObjectCreated:')) return;
    if (deps.config && configKindOf(upload.key)) {
      // An administrator's registry or targets file: loaded whole, or not at all.
      try {
        const result = await loadConfigFile({ objects: deps.objects, config: deps.config }, upload.key, upload.versionId, upload.size);
        metrics.addMetric(result.status === 'rejected' ? 'ConfigFilesRejected' : 'ConfigFilesLoaded', MetricUnit.Count, 1);
        if (result.status === 'loaded') deps.onConfigLoaded?.();
        logger.info('configuration file processed', { key: upload.key, status: result.status, rows: result.rows, changed: result.changed, errors: result.errors.map((e) => e.code) });
      } catch (error) {
        if (error instanceof ObjectNotFound) return vanished(upload.key, error);
        failures.push(error);
        metrics.addMetric('IngestErrors', MetricUnit.Count, 1);
        logger.error('configuration load failed, will be retried', { key: upload.key, error: error as Error });
      }
      return;
    }
    if (!isIncomingKey(upload.key)) return;
    if (isFolderMarker(upload.key, upload.size)) {
      // The console's "create folder": an empty object named like a folder, not a report.
      logger.info('folder marker ignored', { key: upload.key });
      metrics.addMetric('UploadsIgnored', MetricUnit.Count, 1);
      return;
    }
    const started = Date.now();
    try {
      const result = await ingestUpload(deps, upload);
      results.push(result);
      const { record } = result;
      if (result.firstDelivery) metrics.addMetric(OUTCOME_METRICS[record.outcome], MetricUnit.Count, 1);
      metrics.addMetric('IngestDuration', MetricUnit.Milliseconds, Date.now() - started);
      for (const fault of result.faults) {
        metrics.addMetric('IngestFaults', MetricUnit.Count, 1);
        logger.error('our code failed on this file; the clerk got a plain verdict', { key: upload.key, uploadId: record.uploadId, error: fault as Error });
      }
      if (result.mailRefused) mailRefused(upload.key, record, result.mailRefused);
      // An upload under a folder that is no unit code: nobody can be mailed, ops must see it.
      if (record.unit === UNRECOGNISED_UNIT) logger.warn('upload under a folder that is no unit code, refused', { key: upload.key, uploadId: record.uploadId, feedback: result.feedback.json });
      logger.info('upload ingested', {
        key: upload.key, uploadId: record.uploadId, unit: record.unit, period: record.period,
        outcome: record.outcome, firstDelivery: result.firstDelivery, errors: record.errors.map((e) => e.code),
      });
    } catch (error) {
      if (error instanceof ObjectNotFound) return vanished(upload.key, error);
      failures.push(error);
      metrics.addMetric('IngestErrors', MetricUnit.Count, 1);
      logger.error('ingest failed, will be retried', { key: upload.key, error: error as Error });
    }
  }));
  if (failures.length) throw new AggregateError(failures, `${failures.length} of ${event.Records.length} records failed`);
  return results;
}
