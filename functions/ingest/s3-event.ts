// S3 notification records → the domain's UploadEvent. S3 URL-encodes keys in events (spaces
// as '+'); the handler's @middy/event-normalizer decodes them before these functions run.
import type { S3EventRecord } from 'aws-lambda';
import type { UploadEvent } from '../../shared/ingest/upload.ts';

/** A record whose key the event normalizer has already decoded. */
export function toUploadEvent(record: S3EventRecord): UploadEvent {
  const { bucket, object } = record.s3;
  return {
    bucket: bucket.name,
    key: object.key,
    size: object.size,
    etag: (object.eTag ?? '').replace(/"/g, ''),
    versionId: object.versionId ?? null,
    sequencer: object.sequencer,
    eventTime: record.eventTime,
  };
}
